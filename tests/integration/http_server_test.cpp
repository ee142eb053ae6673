#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "server_fixture.hpp"
#include "support/http_client.hpp"

namespace satupintu::testing {
namespace {

using std::chrono::milliseconds;

int CountOf(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1))
    ++n;
  return n;
}

using HttpServerTest = ServerFixture;

TEST_F(HttpServerTest, AnswersAndKeepsConnectionsAlive) {
  auto r = SendRaw(
      plain_,
      "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nConnection: close\r\n\r\nping",
      milliseconds(3000));
  EXPECT_TRUE(r.closed_by_peer);
  EXPECT_EQ(CountOf(r.received, "HTTP/1.1 200 OK"), 2) << r.received;
  EXPECT_NE(r.received.find("\r\n\r\nhi"), std::string::npos);
  EXPECT_NE(r.received.find("ping"), std::string::npos);
}

TEST_F(HttpServerTest, UnknownRouteIs404AndWrongMethod405) {
  EXPECT_EQ(Get(plain_, "/nope").status, 404);
  auto r = Post(plain_, "/hello", "{}");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("Allow"), "GET");
}

TEST_F(HttpServerTest, OversizedHeadersGet431AndClose) {
  auto r = SendRaw(
      plain_, "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n",
      milliseconds(3000));
  EXPECT_NE(r.received.find("HTTP/1.1 431"), std::string::npos) << r.received;
  EXPECT_TRUE(r.closed_by_peer);
}

TEST_F(HttpServerTest, OversizedBodyGets413BeforeTheBodyIsRead) {
  auto r = SendRaw(plain_, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nabc",
                   milliseconds(3000));
  EXPECT_NE(r.received.find("HTTP/1.1 413"), std::string::npos) << r.received;
  EXPECT_TRUE(r.closed_by_peer);
}

TEST_F(HttpServerTest, OversizedChunkedBodyGets413) {
  std::string req = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) req += "400\r\n" + std::string(1024, 'b') + "\r\n";
  req += "0\r\n\r\n";
  auto r = SendRaw(plain_, req, milliseconds(3000));
  EXPECT_NE(r.received.find("HTTP/1.1 413"), std::string::npos) << r.received;
}

TEST_F(HttpServerTest, MalformedRequestsGet400AndClose) {
  for (const std::string& bad :
       std::vector<std::string>{"GARBAGE\r\n\r\n", "GET / HTTP/7.3\r\n\r\n",
                                "GET /hello HTTP/1.1\r\nNo colon here\r\n\r\n",
                                "POST /echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
                                std::string("GET /\x01 HTTP/1.1\r\n\r\n")}) {
    auto r = SendRaw(plain_, bad, milliseconds(3000));
    EXPECT_NE(r.received.find("HTTP/1.1 400"), std::string::npos)
        << "for " << bad << " got " << r.received;
    EXPECT_TRUE(r.closed_by_peer);
  }
  EXPECT_EQ(Get(plain_, "/hello").status, 200) << "the server survives";
}

TEST_F(HttpServerTest, SlowlorisIsCutAtTheReadDeadline) {
  const int fd = OpenConnection(plain_);
  ASSERT_GE(fd, 0);
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    const std::string head = "GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    for (char c : head) {
      if (stop || !WriteAll(fd, std::string(1, c))) return;
    }
    while (!stop && WriteAll(fd, "a")) std::this_thread::sleep_for(milliseconds(50));
  });
  auto r = WaitForClose(fd, milliseconds(5000));
  stop = true;
  trickle.join();
  CloseFd(fd);
  EXPECT_TRUE(r.closed_by_peer);
  EXPECT_GE(r.elapsed.count(), 400);
  EXPECT_LT(r.elapsed.count(), 3000);
  EXPECT_EQ(r.received.find("200 OK"), std::string::npos);
}

TEST_F(HttpServerTest, ManySlowClientsDoNotStarveOthers) {
  std::vector<int> fds;
  for (int i = 0; i < 40; ++i) {
    const int fd = OpenConnection(plain_);
    ASSERT_GE(fd, 0);
    WriteAll(fd, "GET /hello HTTP/1.1\r\n");
    fds.push_back(fd);
  }
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Get(plain_, "/hello").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(400));
  for (int fd : fds) {
    EXPECT_TRUE(WaitForClose(fd, milliseconds(3000)).closed_by_peer);
    CloseFd(fd);
  }
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosed) {
  const int fd = OpenConnection(plain_);
  WriteAll(fd, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r = WaitForClose(fd, milliseconds(5000));
  CloseFd(fd);
  EXPECT_NE(r.received.find("200 OK"), std::string::npos);
  EXPECT_TRUE(r.closed_by_peer);
  EXPECT_GE(r.elapsed.count(), 700);
}

TEST_F(HttpServerTest, HandlerMayAnswerFromAnotherThread) {
  std::future<ClientResponse> pending =
      std::async(std::launch::async, [this] { return Get(plain_, "/held"); });
  ASSERT_TRUE(WaitHeld(1));
  ReleaseHeld();
  auto r = pending.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "released");
}

TEST_F(HttpServerTest, HandlerExceptionIs500AndServerLivesOn) {
  EXPECT_EQ(Get(plain_, "/throw").status, 500);
  EXPECT_EQ(Get(plain_, "/hello").status, 200);
}

TEST_F(HttpServerTest, RequestIdIsEchoedWhenSafeAndReplacedOtherwise) {
  RequestOptions o;
  o.target = "/request-id";
  o.headers = {{"X-Request-Id", "abc-123_X"}};
  auto r = Send(plain_, o);
  EXPECT_EQ(r.body, "abc-123_X");
  EXPECT_EQ(r.Header("X-Request-Id"), "abc-123_X");
  o.headers = {{"X-Request-Id", "evil\"id with spaces"}};
  r = Send(plain_, o);
  EXPECT_EQ(r.body.size(), 16u);
  EXPECT_EQ(r.body.find("evil"), std::string::npos);
}

TEST_F(HttpServerTest, MetricsCountRequestsByRouteAndStatus) {
  Get(plain_, "/hello");
  Get(plain_, "/nope");
  const auto text = metrics_.Render();
  EXPECT_NE(
      text.find(R"(satupintu_http_requests_total{listener="plain",route="/hello",status="200"} 1)"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          R"(satupintu_http_requests_total{listener="plain",route="unmatched",status="404"} 1)"),
      std::string::npos);
}

TEST_F(HttpServerTest, ShutdownFinishesInFlightRequestsAndRefusesNewOnes) {
  std::future<ClientResponse> pending =
      std::async(std::launch::async, [this] { return Get(plain_, "/held"); });
  ASSERT_TRUE(WaitHeld(1));
  const int idle = OpenConnection(plain_);
  ASSERT_GE(idle, 0);

  std::promise<std::size_t> drained;
  server_->Shutdown(std::chrono::milliseconds(5000),
                    [&](std::size_t forced) { drained.set_value(forced); });
  EXPECT_TRUE(WaitForClose(idle, milliseconds(3000)).closed_by_peer)
      << "idle connections close at once";
  CloseFd(idle);
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_NE(Get(plain_, "/hello").status, 200) << "no new requests while draining";

  ReleaseHeld();
  auto r = pending.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Connection"), "close");
  auto f = drained.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(3)), std::future_status::ready);
  EXPECT_EQ(f.get(), 0u);
}

TEST_F(HttpServerTest, ShutdownCutsRequestsThatOutliveTheGrace) {
  std::future<ClientResponse> pending =
      std::async(std::launch::async, [this] { return Get(plain_, "/held"); });
  ASSERT_TRUE(WaitHeld(1));
  std::promise<std::size_t> drained;
  server_->Shutdown(std::chrono::milliseconds(200),
                    [&](std::size_t forced) { drained.set_value(forced); });
  auto f = drained.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(3)), std::future_status::ready);
  EXPECT_EQ(f.get(), 1u);
  EXPECT_EQ(pending.get().status, 0) << "the cut connection got no response";
}

}  // namespace
}  // namespace satupintu::testing
