// The server base and the webhook client the fake peers are built on.

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "fakes/fake_server.hpp"
#include "fakes/manual_clock.hpp"
#include "fakes/token_bucket.hpp"
#include "fakes/webhook_poster.hpp"
#include "support/http_client.hpp"

namespace satupintu::testing::fakes {
namespace {

using std::chrono::milliseconds;

FakeServer::Handler Echo() {
  return [](const RecordedRequest& r) { return FakeResponse{200, "echo:" + r.body, {}}; };
}

TEST(FakeServerTest, RecordsEveryRequest) {
  FakeServer server(Echo());
  const auto before = std::chrono::steady_clock::now();
  RequestOptions options;
  options.method = "POST";
  options.target = "/a/b?x=1";
  options.body = "hello";
  options.headers = {{"X-Test", "yes"}};
  const auto response = Send(server.port(), options);
  ASSERT_EQ(response.error, "");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "echo:hello");
  EXPECT_EQ(response.Header("Content-Type"), "application/json");

  const auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/a/b?x=1");
  EXPECT_EQ(requests[0].body, "hello");
  EXPECT_EQ(requests[0].Header("x-test"), "yes");
  EXPECT_GE(requests[0].arrived, before);
  EXPECT_LE(requests[0].arrived, std::chrono::steady_clock::now());
}

TEST(FakeServerTest, ScriptsAnswerFirstInOrder) {
  FakeServer server(Echo());
  server.Script(FakeResponse{503, "busy", {{"Retry-After", "3"}}}, 2);
  server.Script(FakeResponse{500, "boom", {{"Content-Type", "text/plain"}}});
  EXPECT_FALSE(server.AllScriptsUsed());
  EXPECT_EQ(server.ScriptsLeft(), 3u);

  auto r = Post(server.port(), "/", "1");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.Header("Retry-After"), "3");
  EXPECT_EQ(Post(server.port(), "/", "2").status, 503);
  r = Post(server.port(), "/", "3");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.Header("Content-Type"), "text/plain");
  EXPECT_TRUE(server.AllScriptsUsed());
  EXPECT_EQ(Post(server.port(), "/", "4").body, "echo:4");
  EXPECT_EQ(server.ScriptedAnswers(), 3u);
  EXPECT_EQ(server.RequestCount(), 4u);
}

TEST(FakeServerTest, KeepsConnectionsAlive) {
  FakeServer server(Echo());
  // Two pipelined requests on one connection; the second asks to close, so the read ends.
  const std::string bytes =
      "POST /one HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nA"
      "POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nB";
  const auto result = SendRaw(server.port(), bytes, milliseconds(3000));
  EXPECT_TRUE(result.closed_by_peer);
  EXPECT_NE(result.received.find("echo:A"), std::string::npos);
  EXPECT_NE(result.received.find("echo:B"), std::string::npos);
  ASSERT_EQ(server.RequestCount(), 2u);
  EXPECT_EQ(server.Requests()[1].target, "/two");
}

TEST(FakeServerTest, StopClosesIdleConnectionsAndJoins) {
  FakeServer server(Echo());
  const int fd = OpenConnection(server.port());
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(WriteAll(fd, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(server.WaitForRequests(1, milliseconds(3000)));
  server.Stop();
  const auto result = WaitForClose(fd, milliseconds(3000));
  CloseFd(fd);
  EXPECT_TRUE(result.closed_by_peer);
  server.Stop();  // idempotent
  EXPECT_NE(Get(server.port(), "/").error, "");
}

TEST(FakeServerTest, HandlerExceptionBecomes500) {
  FakeServer server([](const RecordedRequest&) -> FakeResponse { throw std::runtime_error("x"); });
  EXPECT_EQ(Get(server.port(), "/").status, 500);
}

TEST(TokenBucketTest, RefillsAtRateUpToCapacity) {
  ManualClock clock;
  const auto now = clock.AsClock();
  TokenBucket bucket(2.0, 2.0);
  EXPECT_TRUE(bucket.TryTake(now()));
  EXPECT_TRUE(bucket.TryTake(now()));
  EXPECT_FALSE(bucket.TryTake(now()));
  EXPECT_EQ(bucket.WaitTime(now()), milliseconds(500));
  clock.Advance(milliseconds(499));
  EXPECT_FALSE(bucket.TryTake(now()));
  clock.Advance(milliseconds(1));
  EXPECT_TRUE(bucket.TryTake(now()));
  clock.Advance(milliseconds(60000));  // never more than capacity
  EXPECT_TRUE(bucket.TryTake(now()));
  EXPECT_TRUE(bucket.TryTake(now()));
  EXPECT_FALSE(bucket.TryTake(now()));

  TokenBucket unlimited(0, 0);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(unlimited.TryTake(now()));
}

TEST(WebhookPosterTest, HmacMatchesRfc4231) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookPosterTest, DeliversInOrderAndRefusesOtherHosts) {
  FakeServer receiver([](const RecordedRequest&) { return FakeResponse{204, "", {}}; });
  WebhookPoster poster;
  poster.Post(receiver.BaseUrl() + "/hook", "{\"n\":1}", {{"X-Sig", "a"}});
  poster.Post("http://localhost:" + std::to_string(receiver.port()) + "/hook", "{\"n\":2}", {});
  poster.Post("http://example.com/hook", "{}", {});
  ASSERT_TRUE(poster.WaitForDeliveries(3, milliseconds(5000)));
  const auto done = poster.Deliveries();
  EXPECT_EQ(done[0].status, 204);
  EXPECT_EQ(done[1].status, 204);
  EXPECT_EQ(done[2].status, 0);
  EXPECT_NE(done[2].error.find("not a loopback host"), std::string::npos);
  const auto got = receiver.Requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].target, "/hook");
  EXPECT_EQ(got[0].body, "{\"n\":1}");
  EXPECT_EQ(got[0].Header("X-Sig"), "a");
  EXPECT_EQ(got[1].body, "{\"n\":2}");
}

TEST(WebhookPosterTest, GivesUpOnASilentReceiver) {
  std::promise<void> release;
  auto released = release.get_future().share();
  FakeServer silent([released](const RecordedRequest&) {
    released.wait_for(std::chrono::seconds(5));
    return FakeResponse{200, "", {}};
  });
  const auto started = std::chrono::steady_clock::now();
  const auto delivery = PostOnce(silent.BaseUrl() + "/hook", "{}", {}, milliseconds(300));
  const auto took = std::chrono::steady_clock::now() - started;
  release.set_value();
  EXPECT_EQ(delivery.status, 0);
  EXPECT_NE(delivery.error, "");
  EXPECT_LT(took, std::chrono::seconds(3));
}

}  // namespace
}  // namespace satupintu::testing::fakes
