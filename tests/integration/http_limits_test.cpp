// Sockets that degrade gracefully: each listener's own connection limit, the per-address cap,
// the whole-request deadline on kept-alive connections, accepting paused (not spinning) when
// the process has no file descriptor left, and the file limit raised at start.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "core/log.hpp"
#include "http/file_limit.hpp"
#include "server_fixture.hpp"
#include "support/http_client.hpp"

namespace satupintu::testing {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// Polls `done` every 20 ms until it holds or `timeout` passes.
template <class F>
bool Eventually(F done, milliseconds timeout = milliseconds(5000)) {
  const auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return true;
}

// A connection to 127.0.0.1:port from the loopback address `from` (127.0.0.0/8 is all ours).
int OpenConnectionFrom(const char* from, std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  ::inet_pton(AF_INET, from, &local.sin_addr);
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(port);
  remote.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Reads until `needle` arrives, the peer closes or `timeout` passes; returns what was read.
std::string ReadUntil(int fd, const std::string& needle, milliseconds timeout) {
  std::string got;
  const auto deadline = Clock::now() + timeout;
  char buf[4096];
  while (got.find(needle) == std::string::npos) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

// One request with Connection: close from `from`; the raw answer.
std::string GetFrom(const char* from, std::uint16_t port) {
  const int fd = OpenConnectionFrom(from, port);
  if (fd < 0) return "connect failed";
  WriteAll(fd, "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto r = WaitForClose(fd, milliseconds(5000));
  CloseFd(fd);
  return r.received;
}

std::uint64_t MetricValue(const std::string& text, const std::string& series) {
  const auto at = text.find(series + " ");
  if (at == std::string::npos) return 0;
  return std::strtoull(text.c_str() + at + series.size() + 1, nullptr, 10);
}

// Captures the log lines naming `event` while alive.
class LogCapture {
 public:
  explicit LogCapture(std::string event) : event_(std::move(event)) {
    core::log::SetSink([this](std::string_view line) {
      if (line.find("\"" + event_ + "\"") == std::string_view::npos) return;
      std::lock_guard lock(mutex_);
      lines_.emplace_back(line);
    });
  }
  ~LogCapture() { core::log::ResetSink(); }
  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  std::string event_;
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

// ---- each listener's own limit ----

class ListenerLimitTest : public ServerFixture {
 protected:
  void SetUp() override {
    auto limits = DefaultLimits();
    limits.request_timeout = milliseconds(5000);  // the held connections stay while we test
    Start(limits, false, /*max_connections=*/3);
  }
};

TEST_F(ListenerLimitTest, AFullListenerRefusesNewConnectionsAndTheOtherKeepsItsRoom) {
  std::vector<int> held;
  for (int i = 0; i < 3; ++i) held.push_back(OpenConnection(plain_));
  ASSERT_TRUE(Eventually([&] { return server_->open_connections() == 3; }));

  const int extra = OpenConnection(plain_);
  auto r = WaitForClose(extra, milliseconds(3000));
  CloseFd(extra);
  EXPECT_TRUE(r.closed_by_peer) << "the fourth connection on a full listener is closed";
  EXPECT_EQ(r.received, "");

  // The TLS listener counts only its own connections (before: one limit for both).
  RequestOptions tls;
  tls.target = "/hello";
  tls.tls = true;
  auto other = Send(tls_, tls);
  EXPECT_EQ(other.status, 200) << other.error;

  const auto text = metrics_.Render();
  EXPECT_EQ(MetricValue(text, R"(satupintu_http_connections_refused_total{listener="plain",)"
                              R"(reason="listener_full"})"),
            1u)
      << text;
  EXPECT_EQ(MetricValue(text, R"(satupintu_http_listener_connections{listener="plain"})"), 3u)
      << text;

  for (int fd : held) CloseFd(fd);
  EXPECT_TRUE(Eventually([&] { return Get(plain_, "/hello").status == 200; }))
      << "closed connections give their room back";
}

// ---- the per-address cap ----

class PerAddressCapTest : public ServerFixture {
 protected:
  void SetUp() override {
    auto limits = DefaultLimits();
    limits.request_timeout = milliseconds(5000);
    Start(limits, false, /*max_connections=*/64, /*per_address=*/2);
  }
};

TEST_F(PerAddressCapTest, OneAddressCannotTakeTheListenerAndRefusalsAreLoggedOncePerInterval) {
  std::vector<int> held;
  for (int i = 0; i < 2; ++i) held.push_back(OpenConnectionFrom("127.0.0.1", plain_));
  ASSERT_TRUE(Eventually([&] { return server_->open_connections() == 2; }));

  LogCapture log("http.connection_refused");
  constexpr int kRefused = 12;
  for (int i = 0; i < kRefused; ++i) {
    const int fd = OpenConnectionFrom("127.0.0.1", plain_);
    auto r = WaitForClose(fd, milliseconds(3000));
    CloseFd(fd);
    EXPECT_TRUE(r.closed_by_peer) << "connection " << i << " over the cap is closed";
    EXPECT_EQ(r.received, "");
  }
  // Another address still gets in, on the same listener.
  EXPECT_NE(GetFrom("127.0.0.2", plain_).find("HTTP/1.1 200 OK"), std::string::npos);

  const auto text = metrics_.Render();
  EXPECT_EQ(MetricValue(text, R"(satupintu_http_connections_refused_total{listener="plain",)"
                              R"(reason="per_address"})"),
            static_cast<std::uint64_t>(kRefused))
      << text;
  // The first refusal is logged at once; the others fall in the same 10 s interval and are
  // counted into the next line (a flood of refusals is not a flood of log lines).
  const auto lines = log.lines();
  ASSERT_GE(lines.size(), 1u);
  EXPECT_LE(lines.size(), 2u);
  EXPECT_NE(lines.front().find("\"reason\":\"per_address\""), std::string::npos) << lines.front();

  // Closing one of the address's connections makes room for it again.
  CloseFd(held.back());
  held.pop_back();
  EXPECT_TRUE(Eventually(
      [&] { return GetFrom("127.0.0.1", plain_).find("HTTP/1.1 200 OK") != std::string::npos; }));
  for (int fd : held) CloseFd(fd);
}

// ---- the whole-request deadline on kept-alive connections ----

class KeepAliveDeadlineTest : public ServerFixture {
 protected:
  void SetUp() override {
    auto limits = DefaultLimits();
    limits.request_timeout = milliseconds(500);
    limits.idle_timeout = milliseconds(20000);
    Start(limits, false);
  }
};

TEST_F(KeepAliveDeadlineTest, ASlowSecondRequestIsCutAtTheRequestDeadline) {
  const int fd = OpenConnection(plain_);
  ASSERT_GE(fd, 0);
  WriteAll(fd, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_NE(ReadUntil(fd, "\r\n\r\nhi", milliseconds(5000)).find("200 OK"), std::string::npos);

  // The next request trickles in: it gets the 500 ms of a request, not the 20 s of an idle
  // keep-alive wait (before: the idle timeout bounded the whole next request).
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    const std::string head = "GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    for (char c : head) {
      if (stop || !WriteAll(fd, std::string(1, c))) return;
      std::this_thread::sleep_for(milliseconds(20));
    }
    while (!stop && WriteAll(fd, "a")) std::this_thread::sleep_for(milliseconds(50));
  });
  auto r = WaitForClose(fd, milliseconds(8000));
  stop = true;
  trickle.join();
  CloseFd(fd);
  EXPECT_TRUE(r.closed_by_peer) << "still open after 8 s";
  EXPECT_EQ(r.received.find("200 OK"), std::string::npos) << r.received;
}

TEST_F(KeepAliveDeadlineTest, AnIdleKeptAliveConnectionMayWaitLongerThanARequest) {
  const int fd = OpenConnection(plain_);
  ASSERT_GE(fd, 0);
  WriteAll(fd, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_NE(ReadUntil(fd, "\r\n\r\nhi", milliseconds(5000)).find("200 OK"), std::string::npos);
  // Idle for more than a request's deadline: the wait before the first byte is the idle
  // timeout's, the request's deadline starts with that byte.
  std::this_thread::sleep_for(milliseconds(1200));
  WriteAll(fd, "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto r = WaitForClose(fd, milliseconds(5000));
  CloseFd(fd);
  EXPECT_NE(r.received.find("200 OK"), std::string::npos) << r.received;
}

TEST_F(KeepAliveDeadlineTest, PipelinedRequestsAreAnswered) {
  auto r = SendRaw(plain_,
                   "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
                   "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
                   "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                   milliseconds(5000));
  EXPECT_TRUE(r.closed_by_peer);
  std::size_t answers = 0;
  for (auto at = r.received.find("200 OK"); at != std::string::npos;
       at = r.received.find("200 OK", at + 1)) {
    ++answers;
  }
  EXPECT_EQ(answers, 3u) << r.received;
}

// ---- out of file descriptors ----

// Kills and reaps a forked child on every way out of the test.
class ForkedChild {
 public:
  explicit ForkedChild(pid_t pid) : pid_(pid) {}
  ~ForkedChild() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  // The exit status once the child has exited within `timeout`, else -1.
  int Wait(milliseconds timeout) {
    int status = 0;
    const bool exited =
        Eventually([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, timeout);
    if (!exited) return -1;
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  }

 private:
  pid_t pid_;
};

std::string ReadLineFrom(int fd, milliseconds timeout) {
  std::string line;
  const auto deadline = Clock::now() + timeout;
  char c = 0;
  while (line.empty() || line.back() != '\n') {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return "";
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return "";
    if (::read(fd, &c, 1) != 1) return "";
    line.push_back(c);
  }
  return line;
}

// In the forked child: a server in a process whose every file descriptor is taken, until the
// parent says 'f' (free them); on 'q' it reports "<accept errors> <accept_error log lines>".
[[noreturn]] void RunStarvedServer(int control_fd, int report_fd) {
  std::atomic<int> error_lines{0};
  core::log::SetSink([&](std::string_view line) {
    if (line.find("\"http.accept_error\"") != std::string_view::npos) ++error_lines;
  });
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 128);
  ::setrlimit(RLIMIT_NOFILE, &limit);

  core::MetricsRegistry metrics;
  boost::asio::io_context ioc{1};
  auto work = boost::asio::make_work_guard(ioc);
  http::Limits limits;
  limits.accept_backoff_min = milliseconds(10);
  limits.accept_backoff_max = milliseconds(200);
  limits.refusal_log_interval = milliseconds(1000);
  http::Router router;
  router.Add("GET", "/hello",
             [](http::Request, http::Respond respond) { respond(http::TextResponse(200, "hi")); });
  http::Server server(ioc, limits, &metrics);
  if (!server.Listen({"plain", "127.0.0.1", 0, false, {}, &router}).ok()) ::_exit(3);
  std::thread io([&] { ioc.run(); });

  std::vector<int> fillers;
  for (;;) {
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0) break;
    fillers.push_back(fd);
  }
  const std::string port =
      std::to_string(server.BoundPort("plain")) + " " + std::to_string(fillers.size()) + "\n";
  if (::write(report_fd, port.data(), port.size()) < 0) ::_exit(4);

  char command = 0;
  while (::read(control_fd, &command, 1) == 1) {
    if (command == 'f') {
      for (int fd : fillers) ::close(fd);
      fillers.clear();
    } else if (command == 'q') {
      const auto text = metrics.Render();
      const std::string report =
          std::to_string(MetricValue(text, R"(satupintu_http_accept_errors_total{)"
                                           R"(listener="plain",reason="out_of_files"})")) +
          " " + std::to_string(error_lines.load()) + "\n";
      if (::write(report_fd, report.data(), report.size()) < 0) ::_exit(5);
      break;
    }
  }
  // No destructors: the io thread still runs, and nothing of the parent's state is ours.
  ::_exit(0);
}

TEST(AcceptPauseTest, OutOfFilesPausesAcceptingAndRecoversWhenFilesAreFree) {
#if defined(__SANITIZE_ADDRESS__)
  // Named in tests/README.md: in the ASan+UBSan build the forked, descriptor-starved child
  // stops on a UBSan vptr report inside Asio's scheduler (scheduler.ipp, task_->run()), not
  // understood yet. The normal build runs it.
  GTEST_SKIP() << "not in the sanitizer build (tests/README.md)";
#endif
  int control[2];
  int report[2];
  ASSERT_EQ(::pipe(control), 0);
  ASSERT_EQ(::pipe(report), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(control[1]);
    ::close(report[0]);
    RunStarvedServer(control[0], report[1]);
  }
  ForkedChild child(pid);
  ::close(control[0]);
  ::close(report[1]);

  const std::string ready = ReadLineFrom(report[0], milliseconds(10000));
  ASSERT_FALSE(ready.empty()) << "the child did not start its server";
  const auto port = static_cast<std::uint16_t>(std::stoi(ready));
  ASSERT_GT(std::stoi(ready.substr(ready.find(' ') + 1)), 0) << "no descriptor was filled";

  // The kernel completes these connections in the backlog; the server cannot accept them.
  std::vector<int> clients;
  for (int i = 0; i < 4; ++i) {
    const int fd = OpenConnection(port);
    ASSERT_GE(fd, 0);
    WriteAll(fd, "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    clients.push_back(fd);
  }
  std::this_thread::sleep_for(milliseconds(2500));
  ASSERT_EQ(::write(control[1], "f", 1), 1);
  for (int fd : clients) {
    auto r = WaitForClose(fd, milliseconds(10000));
    EXPECT_NE(r.received.find("200 OK"), std::string::npos)
        << "a waiting connection is served once files are free: " << r.received;
    CloseFd(fd);
  }
  ASSERT_EQ(::write(control[1], "q", 1), 1);
  const std::string counts = ReadLineFrom(report[0], milliseconds(10000));
  ::close(control[1]);
  ::close(report[0]);
  EXPECT_EQ(child.Wait(milliseconds(10000)), 0);
  ASSERT_FALSE(counts.empty());
  const long errors = std::stol(counts);
  const long lines = std::stol(counts.substr(counts.find(' ') + 1));
  // With a pause from 10 ms doubling to 200 ms, 2.5 s hold about 15 attempts; the spinning
  // loop this replaces failed hundreds of thousands of times in as long.
  EXPECT_GE(errors, 1) << "accepting never failed: the test did not starve the server";
  EXPECT_LT(errors, 300);
  // One line per second at most, with the count of errors since the previous one.
  EXPECT_GE(lines, 1);
  EXPECT_LE(lines, 6);
}

// ---- the file limit at start ----

// Restores RLIMIT_NOFILE as it was.
class FileLimitTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved_), 0); }
  void TearDown() override { ::setrlimit(RLIMIT_NOFILE, &saved_); }
  rlimit saved_{};
};

TEST_F(FileLimitTest, RaisesTheSoftLimitToWhatIsNeededAndNeverLowersIt) {
  if (saved_.rlim_max != RLIM_INFINITY && saved_.rlim_max < 600) GTEST_SKIP() << "hard limit";
  rlimit low = saved_;
  low.rlim_cur = 256;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);

  auto raised = http::EnsureFileLimit(500);
  ASSERT_TRUE(raised.ok()) << raised.error().message;
  EXPECT_EQ(raised->soft_before, 256u);
  EXPECT_EQ(raised->soft, 500u);
  rlimit now{};
  ::getrlimit(RLIMIT_NOFILE, &now);
  EXPECT_EQ(now.rlim_cur, 500u);
  EXPECT_EQ(now.rlim_max, saved_.rlim_max) << "the hard limit is not touched";

  auto enough = http::EnsureFileLimit(100);
  ASSERT_TRUE(enough.ok());
  EXPECT_EQ(enough->soft, 500u);
  ::getrlimit(RLIMIT_NOFILE, &now);
  EXPECT_EQ(now.rlim_cur, 500u);
}

TEST_F(FileLimitTest, FailsWithoutChangingAnythingWhenTheHardLimitIsTooLow) {
  if (saved_.rlim_max == RLIM_INFINITY) GTEST_SKIP() << "no hard limit";
  rlimit low = saved_;
  low.rlim_cur = std::min<rlim_t>(saved_.rlim_max, 256);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  auto refused = http::EnsureFileLimit(static_cast<std::uint64_t>(saved_.rlim_max) + 1);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("hard limit (RLIMIT_NOFILE) is " +
                                         std::to_string(saved_.rlim_max)),
            std::string::npos)
      << refused.error().message;
  rlimit now{};
  ::getrlimit(RLIMIT_NOFILE, &now);
  EXPECT_EQ(now.rlim_cur, low.rlim_cur);
}

}  // namespace
}  // namespace satupintu::testing
