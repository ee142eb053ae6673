// The outbound HTTP client against real loopback peers: the scriptable FakeServer, a raw
// socket peer that can misbehave on purpose (hang, close, count connections), and the
// gateway's own TLS server.

#include "http/client.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "fakes/fake_server.hpp"
#include "http/url.hpp"
#include "integration/server_fixture.hpp"

namespace satupintu::testing {
namespace {

using std::chrono::milliseconds;
using namespace std::chrono_literals;

// ---------------------------------------------------------------------------------------
// A raw loopback peer: one thread per connection, each reply decided by a script. Counts
// accepted and concurrently open connections. Every wait polls in short slices and ends
// when the peer stops.

struct PeerReply {
  std::string bytes;  // written as is
  bool close_after = false;
  bool hang = false;  // never answer; keep the connection open until the client closes it
  milliseconds delay{0};
};

std::string HttpOk(const std::string& body, const std::string& extra_headers = "") {
  return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

class RawPeer {
 public:
  using Script = std::function<PeerReply(const std::string& request)>;

  explicit RawPeer(Script script) : script_(std::move(script)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd_, 128) != 0) {
      throw std::runtime_error("raw peer: cannot listen");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }

  ~RawPeer() {
    stop_ = true;
    acceptor_.join();
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mutex_);
      threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
    ::close(fd_);
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int accepted() const { return accepted_; }
  int max_open() const { return max_open_; }
  int requests() const { return requests_; }

  bool WaitForRequests(int n, milliseconds timeout) const {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (requests_ < n) {
      if (std::chrono::steady_clock::now() > until) return false;
      std::this_thread::sleep_for(5ms);
    }
    return true;
  }

 private:
  // Waits for `fd` to become readable; false when stopping.
  bool WaitReadable(int fd) const {
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 20) > 0) return true;
    }
    return false;
  }

  void AcceptLoop() {
    while (WaitReadable(fd_)) {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      ++accepted_;
      const int now_open = ++open_;
      int seen = max_open_;
      while (now_open > seen && !max_open_.compare_exchange_weak(seen, now_open)) {
      }
      std::lock_guard lock(mutex_);
      threads_.emplace_back([this, c] {
        Serve(c);
        --open_;
        ::close(c);
      });
    }
  }

  void Serve(int fd) {
    std::string in;
    char buf[16384];
    while (true) {
      // One request: head, then Content-Length bytes of body.
      std::size_t head_end;
      while ((head_end = in.find("\r\n\r\n")) == std::string::npos) {
        if (!WaitReadable(fd)) return;
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return;
        in.append(buf, static_cast<std::size_t>(n));
      }
      std::size_t body_length = 0;
      std::string head = in.substr(0, head_end);
      std::transform(head.begin(), head.end(), head.begin(),
                     [](char ch) { return static_cast<char>(std::tolower(ch)); });
      if (const auto p = head.find("content-length:"); p != std::string::npos) {
        body_length = std::stoul(head.substr(p + 15));
      }
      while (in.size() < head_end + 4 + body_length) {
        if (!WaitReadable(fd)) return;
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return;
        in.append(buf, static_cast<std::size_t>(n));
      }
      const std::string request = in.substr(0, head_end + 4 + body_length);
      in.erase(0, request.size());
      ++requests_;
      const PeerReply reply = script_(request);
      if (reply.hang) {
        // Until the client gives up (EOF) or the peer stops.
        while (WaitReadable(fd)) {
          if (::recv(fd, buf, sizeof buf, 0) <= 0) return;
        }
        return;
      }
      const auto until = std::chrono::steady_clock::now() + reply.delay;
      while (!stop_ && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(2ms);
      if (::send(fd, reply.bytes.data(), reply.bytes.size(), MSG_NOSIGNAL) < 0) return;
      if (reply.close_after) return;
    }
  }

  Script script_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::atomic<int> open_{0};
  std::atomic<int> max_open_{0};
  std::atomic<int> requests_{0};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<std::thread> threads_;
};

// ---------------------------------------------------------------------------------------

struct Outcome {
  http::ClientResponse response;
  std::thread::id thread;
};

// Sends and waits (bounded) for the one completion.
Outcome SendSync(http::Client& client, http::ClientRequest request, milliseconds wait = 15s) {
  auto promise = std::make_shared<std::promise<Outcome>>();
  auto future = promise->get_future();
  client.Send(std::move(request), [promise](http::ClientResponse r) {
    promise->set_value(Outcome{std::move(r), std::this_thread::get_id()});
  });
  if (future.wait_for(wait) != std::future_status::ready) {
    ADD_FAILURE() << "no completion within " << wait.count() << " ms";
    Outcome none;
    none.response.error = "test: no completion";
    return none;
  }
  return future.get();
}

http::ClientRequest Get(const std::string& url, milliseconds timeout = 5s) {
  http::ClientRequest r;
  r.method = "GET";
  r.url = url;
  r.timeout = timeout;
  return r;
}

// Collects many completions; each index must complete exactly once.
class Completions {
 public:
  explicit Completions(std::size_t n) : counts_(n, 0), responses_(n) {}

  std::function<void(http::ClientResponse)> For(std::size_t i) {
    return [this, i](http::ClientResponse r) {
      std::lock_guard lock(mutex_);
      ++counts_[i];
      responses_[i] = std::move(r);
      ++total_;
      cv_.notify_all();
    };
  }

  bool WaitAll(milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return total_ >= counts_.size(); });
  }

  // Snapshot, taken under the lock.
  std::vector<int> counts() {
    std::lock_guard lock(mutex_);
    return counts_;
  }
  std::vector<http::ClientResponse> responses() {
    std::lock_guard lock(mutex_);
    return responses_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<int> counts_;
  std::vector<http::ClientResponse> responses_;
  std::size_t total_ = 0;
};

// Options with a few fields changed (designated initializers would trip
// -Wmissing-field-initializers).
template <class F>
http::ClientOptions With(F change) {
  http::ClientOptions o;
  change(o);
  return o;
}

// ---------------------------------------------------------------------------------------
// URL parsing

TEST(HttpUrlTest, AcceptsWhatPeersUse) {
  auto u = http::ParseUrl("https://graph.facebook.com/v21.0/123/messages");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "graph.facebook.com");
  EXPECT_EQ(u->port, 443);
  EXPECT_TRUE(u->default_port);
  EXPECT_EQ(u->target, "/v21.0/123/messages");

  u = http::ParseUrl("http://127.0.0.1:13013/cgi-bin/sendsms?user=a&to=%2B62&text=x#frag");
  ASSERT_TRUE(u);
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 13013);
  EXPECT_FALSE(u->default_port);
  EXPECT_EQ(u->target, "/cgi-bin/sendsms?user=a&to=%2B62&text=x");

  u = http::ParseUrl("HTTPS://api.telegram.org/bot123:ABC-def_1/sendMessage");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->target, "/bot123:ABC-def_1/sendMessage");

  u = http::ParseUrl("http://[::1]:8080");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->ipv6);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->target, "/");

  u = http::ParseUrl("http://example.org:80/");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->default_port);
}

TEST(HttpUrlTest, RejectsEverythingElse) {
  for (const char* bad : {"",
                          "ftp://h/",
                          "http://",
                          "http:///path",
                          "http//h/",
                          "h/path",
                          "http://h:/",
                          "http://h:0/",
                          "http://h:65536/",
                          "http://h:123456/",
                          "http://h:8x/",
                          "http://u:p@h/",
                          "http://h?q=1",
                          "http://h/a b",
                          "http://h/\x01",
                          "http://h/\xc3\xa9",
                          "http://[::1/",
                          "http://[]/",
                          "http://[::1]x/",
                          "http://[::g]/",
                          "http://-h/",
                          "http://h h/",
                          "http://h\t/",
                          "mailto:x@y"}) {
    EXPECT_FALSE(http::ParseUrl(bad)) << bad;
  }
}

// ---------------------------------------------------------------------------------------
// Plain HTTP

TEST(HttpClientTest, GetAndPostRoundTrip) {
  fakes::FakeServer server([](const fakes::RecordedRequest& r) {
    return fakes::FakeResponse{201, r.method + ":" + r.body, {{"X-Echo", r.Header("x-token")}}};
  });
  http::Client client;

  http::ClientRequest post;
  post.url = server.BaseUrl() + "/v1/send?x=1";
  post.headers = {{"Content-Type", "application/json"}, {"X-Token", "abc"}};
  post.body = R"({"to":"x"})";
  auto r = SendSync(client, post).response;
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, R"(POST:{"to":"x"})");
  EXPECT_EQ(r.Header("x-echo"), "abc");
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_TRUE(r.request_sent);
  EXPECT_GT(r.elapsed_ms, 0.0);

  auto g = SendSync(client, Get(server.BaseUrl() + "/status")).response;
  EXPECT_EQ(g.status, 201);
  EXPECT_EQ(g.body, "GET:");

  const auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/v1/send?x=1");
  EXPECT_EQ(requests[0].body, R"({"to":"x"})");
  EXPECT_EQ(requests[0].Header("host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(requests[0].Header("user-agent"), "satupintu");
  EXPECT_EQ(requests[0].Header("content-length"), "10");
  EXPECT_EQ(requests[0].Header("content-type"), "application/json");
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(requests[1].target, "/status");
  EXPECT_EQ(requests[1].body, "");
  EXPECT_EQ(client.in_flight(), 0u);
}

TEST(HttpClientTest, KeepAliveReusesOneConnection) {
  RawPeer peer([](const std::string&) { return PeerReply{HttpOk("ok")}; });
  http::Client client;
  auto first = SendSync(client, Get(peer.Url("/a"))).response;
  auto second = SendSync(client, Get(peer.Url("/b"))).response;
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(second.status, 200);
  EXPECT_FALSE(first.reused_connection);
  EXPECT_TRUE(second.reused_connection);
  EXPECT_EQ(peer.accepted(), 1);
  EXPECT_EQ(peer.requests(), 2);
}

TEST(HttpClientTest, PeerConnectionCloseIsRespected) {
  RawPeer peer([](const std::string&) {
    return PeerReply{HttpOk("bye", "Connection: close\r\n"), true};
  });
  http::Client client;
  for (int i = 0; i < 3; ++i) {
    auto r = SendSync(client, Get(peer.Url("/"))).response;
    EXPECT_EQ(r.status, 200) << r.error;
    EXPECT_EQ(r.body, "bye");
    EXPECT_FALSE(r.reused_connection);
  }
  EXPECT_EQ(peer.accepted(), 3);
}

TEST(HttpClientTest, CallersConnectionCloseIsRespected) {
  RawPeer peer([](const std::string&) { return PeerReply{HttpOk("ok")}; });
  http::Client client;
  for (int i = 0; i < 2; ++i) {
    auto request = Get(peer.Url("/"));
    request.headers.emplace_back("Connection", "close");
    auto r = SendSync(client, request).response;
    EXPECT_EQ(r.status, 200) << r.error;
    EXPECT_FALSE(r.reused_connection);
  }
  EXPECT_EQ(peer.accepted(), 2);
}

TEST(HttpClientTest, IdleConnectionClosedByPeerIsNotReused) {
  // The peer closes after answering without saying so (like a server's idle timeout).
  RawPeer peer([](const std::string&) { return PeerReply{HttpOk("ok"), true}; });
  http::Client client;
  EXPECT_EQ(SendSync(client, Get(peer.Url("/"))).response.status, 200);
  std::this_thread::sleep_for(100ms);  // let the FIN arrive
  auto r = SendSync(client, Get(peer.Url("/"))).response;
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_FALSE(r.reused_connection);
  EXPECT_EQ(peer.accepted(), 2);
}

TEST(HttpClientTest, ConnectionIdleLongerThanIdleCloseIsNotReused) {
  RawPeer peer([](const std::string&) { return PeerReply{HttpOk("ok")}; });
  http::Client client(With([](auto& o) { o.idle_close = 150ms; }));
  EXPECT_EQ(SendSync(client, Get(peer.Url("/"))).response.status, 200);
  auto quick = SendSync(client, Get(peer.Url("/"))).response;
  EXPECT_TRUE(quick.reused_connection);
  std::this_thread::sleep_for(400ms);
  auto late = SendSync(client, Get(peer.Url("/"))).response;
  EXPECT_EQ(late.status, 200) << late.error;
  EXPECT_FALSE(late.reused_connection);
  EXPECT_EQ(peer.accepted(), 2);
}

TEST(HttpClientTest, ConnectionsPerHostAreCappedAndTheRestQueue) {
  RawPeer peer([](const std::string&) { return PeerReply{HttpOk("slow"), false, false, 100ms}; });
  http::Client client(With([](auto& o) {
    o.threads = 2;
    o.max_connections_per_host = 2;
  }));
  constexpr std::size_t kN = 8;
  Completions done(kN);
  for (std::size_t i = 0; i < kN; ++i) client.Send(Get(peer.Url("/slow")), done.For(i));
  ASSERT_TRUE(done.WaitAll(10s));
  for (int c : done.counts()) EXPECT_EQ(c, 1);
  for (const auto& r : done.responses()) EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_LE(peer.max_open(), 2);
  EXPECT_EQ(peer.accepted(), 2);
  EXPECT_EQ(peer.requests(), static_cast<int>(kN));
  EXPECT_EQ(client.in_flight(), 0u);
}

TEST(HttpClientTest, QueuedRequestTimesOutWithoutBeingSent) {
  RawPeer peer([](const std::string&) { return PeerReply{{}, false, true}; });
  http::Client client(With([](auto& o) { o.max_connections_per_host = 1; }));
  Completions done(2);
  client.Send(Get(peer.Url("/hang"), 3s), done.For(0));
  ASSERT_TRUE(peer.WaitForRequests(1, 5s));
  client.Send(Get(peer.Url("/queued"), 200ms), done.For(1));
  ASSERT_TRUE(done.WaitAll(10s));
  const auto responses = done.responses();
  EXPECT_EQ(responses[1].error, "timeout");
  EXPECT_FALSE(responses[1].request_sent);
  EXPECT_LT(responses[1].elapsed_ms, 2000);
  EXPECT_EQ(responses[0].error, "timeout");
  EXPECT_TRUE(responses[0].request_sent);
  EXPECT_EQ(peer.requests(), 1);
}

TEST(HttpClientTest, SilentPeerTimesOut) {
  RawPeer peer([](const std::string&) { return PeerReply{{}, false, true}; });
  http::Client client;
  http::ClientRequest request;
  request.url = peer.Url("/never");
  request.body = "{}";
  request.timeout = 300ms;
  auto r = SendSync(client, request).response;
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.error, "timeout");
  EXPECT_TRUE(r.request_sent);
  EXPECT_GE(r.elapsed_ms, 250);
  EXPECT_LT(r.elapsed_ms, 3000);
  EXPECT_EQ(peer.requests(), 1) << "never retried";
}

TEST(HttpClientTest, ConnectRefused) {
  // A bound port that does not listen refuses connections, and nobody else can take it.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  http::Client client;
  auto r = SendSync(client, Get("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/"))
               .response;
  ::close(fd);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.error, "connect refused");
  EXPECT_FALSE(r.request_sent);
}

TEST(HttpClientTest, ResponseTooLarge) {
  fakes::FakeServer server([](const fakes::RecordedRequest& r) {
    return fakes::FakeResponse{200, std::string(r.target == "/big" ? 5000 : 10, 'x'), {}};
  });
  http::Client client(With([](auto& o) { o.max_response_bytes = 1000; }));
  auto big = SendSync(client, Get(server.BaseUrl() + "/big")).response;
  EXPECT_EQ(big.status, 0);
  EXPECT_EQ(big.error, "response too large");
  EXPECT_TRUE(big.body.empty());
  auto small = SendSync(client, Get(server.BaseUrl() + "/small")).response;
  EXPECT_EQ(small.status, 200) << small.error;
  EXPECT_FALSE(small.reused_connection) << "the connection with the unread rest is gone";
}

TEST(HttpClientTest, BadUrlCompletesOnAClientThread) {
  http::Client client;
  const std::string secret_url = "http://h:99999/cgi-bin/sendsms?to=6281234567890";
  const auto out = SendSync(client, Get(secret_url));
  EXPECT_EQ(out.response.error, "bad url");
  EXPECT_EQ(out.response.status, 0);
  EXPECT_NE(out.thread, std::this_thread::get_id());
  EXPECT_EQ(out.response.error.find("628"), std::string::npos);
  EXPECT_EQ(SendSync(client, Get("ftp://example.org/")).response.error, "bad url");
  EXPECT_EQ(client.in_flight(), 0u);
}

TEST(HttpClientTest, ManyConcurrentRequestsAreAnsweredExactlyOnce) {
  fakes::FakeServer server([](const fakes::RecordedRequest& r) {
    return fakes::FakeResponse{200, r.body, {}};
  });
  http::Client client(With([](auto& o) {
    o.threads = 2;
    o.max_connections_per_host = 8;
  }));
  constexpr std::size_t kN = 2000;
  Completions done(kN);
  std::vector<std::thread> senders;
  for (std::size_t t = 0; t < 4; ++t) {
    senders.emplace_back([&, t] {
      for (std::size_t i = t; i < kN; i += 4) {
        http::ClientRequest request;
        request.url = server.BaseUrl() + "/m";
        request.body = std::to_string(i);
        client.Send(std::move(request), done.For(i));
      }
    });
  }
  for (auto& s : senders) s.join();
  ASSERT_TRUE(done.WaitAll(60s));
  const auto counts = done.counts();
  const auto responses = done.responses();
  std::size_t reused = 0;
  for (std::size_t i = 0; i < kN; ++i) {
    EXPECT_EQ(counts[i], 1) << i;
    EXPECT_EQ(responses[i].status, 200) << responses[i].error;
    EXPECT_EQ(responses[i].body, std::to_string(i));
    if (responses[i].reused_connection) ++reused;
  }
  EXPECT_GE(reused, kN - 8) << "at most one new connection per slot";
  EXPECT_EQ(server.RequestCount(), kN);
  EXPECT_EQ(client.in_flight(), 0u);
}

TEST(HttpClientTest, StopCompletesPendingAndQueuedRequests) {
  RawPeer peer([](const std::string&) { return PeerReply{{}, false, true}; });
  auto client =
      std::make_unique<http::Client>(With([](auto& o) { o.max_connections_per_host = 2; }));
  constexpr std::size_t kN = 5;
  Completions done(kN);
  for (std::size_t i = 0; i < kN; ++i) client->Send(Get(peer.Url("/hang"), 30s), done.For(i));
  ASSERT_TRUE(peer.WaitForRequests(2, 5s));
  EXPECT_EQ(client->in_flight(), kN);
  const auto before = std::chrono::steady_clock::now();
  client->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);
  ASSERT_TRUE(done.WaitAll(1s)) << "Stop returns after every done ran";
  for (int c : done.counts()) EXPECT_EQ(c, 1);
  for (const auto& r : done.responses()) EXPECT_EQ(r.error, "client stopped");
  EXPECT_EQ(client->in_flight(), 0u);

  // After Stop, Send completes at once on the caller's thread.
  bool called = false;
  client->Send(Get(peer.Url("/late")), [&](const http::ClientResponse& r) {
    called = true;
    EXPECT_EQ(r.error, "client stopped");
  });
  EXPECT_TRUE(called);
  client.reset();  // the destructor after Stop is fine
}

// ---------------------------------------------------------------------------------------
// HTTPS against the gateway's own server with a self-signed certificate

class HttpClientTlsTest : public ServerFixture {
 protected:
  static std::string Url(const std::string& host, std::uint16_t port, const std::string& path) {
    return "https://" + host + ":" + std::to_string(port) + path;
  }
};

TEST_F(HttpClientTlsTest, TrustedSelfSignedPeerWorksAndIsReused) {
  http::Client client(With([&](auto& o) { o.ca_file = dir_.File("cert.pem"); }));
  for (const char* host : {"127.0.0.1", "localhost"}) {
    auto first = SendSync(client, Get(Url(host, tls_, "/hello"))).response;
    EXPECT_EQ(first.error, "") << host;
    EXPECT_EQ(first.status, 200) << host;
    EXPECT_EQ(first.body, "hi");
    EXPECT_FALSE(first.reused_connection);
    http::ClientRequest post;
    post.url = Url(host, tls_, "/echo");
    post.body = "over tls";
    auto second = SendSync(client, post).response;
    EXPECT_EQ(second.status, 200) << second.error;
    EXPECT_EQ(second.body, "over tls");
    EXPECT_TRUE(second.reused_connection);
  }
}

TEST_F(HttpClientTlsTest, UntrustedPeerFailsVerification) {
  http::Client client;  // system CAs only
  auto r = SendSync(client, Get(Url("localhost", tls_, "/hello"))).response;
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.error.rfind("tls handshake failed: certificate verify failed", 0), 0u) << r.error;
  EXPECT_FALSE(r.request_sent);
}

TEST_F(HttpClientTlsTest, HostnameMismatchFailsVerification) {
  // A second listener whose certificate names another host; trusted, but not for "localhost".
  ASSERT_TRUE(
      http::GenerateSelfSigned(dir_.File("other.pem"), dir_.File("other.key"), {"other.example"})
          .ok());
  ASSERT_TRUE(server_
                  ->Listen({"other",
                            "127.0.0.1",
                            0,
                            true,
                            {dir_.File("other.pem"), dir_.File("other.key"), false},
                            &router_})
                  .ok());
  const auto other = server_->BoundPort("other");
  http::Client client(With([&](auto& o) { o.ca_file = dir_.File("other.pem"); }));
  auto r = SendSync(client, Get(Url("localhost", other, "/hello"))).response;
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.error.find("certificate verify failed"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("mismatch"), std::string::npos) << r.error;
}

TEST_F(HttpClientTlsTest, VerificationCanBeTurnedOffForTests) {
  http::Client client(With([](auto& o) { o.verify_peer = false; }));
  auto r = SendSync(client, Get(Url("localhost", tls_, "/hello"))).response;
  EXPECT_EQ(r.status, 200) << r.error;
}

TEST_F(HttpClientTlsTest, HeldRequestsRespectTheConnectionLimit) {
  http::Client client(With([&](auto& o) {
    o.threads = 2;
    o.max_connections_per_host = 2;
    o.ca_file = dir_.File("cert.pem");
  }));
  constexpr std::size_t kN = 6;
  Completions done(kN);
  for (std::size_t i = 0; i < kN; ++i) {
    client.Send(Get(Url("127.0.0.1", tls_, "/held")), done.For(i));
  }
  for (std::size_t released = 0; released < kN; released += 2) {
    ASSERT_TRUE(WaitHeld(2));
    std::this_thread::sleep_for(50ms);  // a third connection, if any, would show up now
    EXPECT_LE(server_->open_connections(), 2u);
    {
      std::lock_guard lock(held_mutex_);
      EXPECT_EQ(held_.size(), 2u);
    }
    ReleaseHeld();
  }
  ASSERT_TRUE(done.WaitAll(10s));
  for (const auto& r : done.responses()) EXPECT_EQ(r.status, 200) << r.error;
}

}  // namespace
}  // namespace satupintu::testing
