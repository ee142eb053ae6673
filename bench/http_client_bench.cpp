// bench_http_client: a fixed number of POSTs through http::Client to an in-process loopback
// fake peer (tests/fakes FakeServer, one thread, keep-alive); prints requests per second.
//   bench_http_client [requests=20000] [connections=8] [client_threads=1] [body_bytes=300]
// The sender's target is >= 5,000 req/s on a 2-core machine.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "fakes/fake_server.hpp"
#include "http/client.hpp"

namespace {

long Arg(int argc, char** argv, int i, long fallback) {
  return argc > i ? std::strtol(argv[i], nullptr, 10) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace satupintu;
  const auto requests = static_cast<std::size_t>(Arg(argc, argv, 1, 20000));
  const auto connections = static_cast<std::size_t>(Arg(argc, argv, 2, 8));
  const auto threads = static_cast<int>(Arg(argc, argv, 3, 1));
  const auto body_bytes = static_cast<std::size_t>(Arg(argc, argv, 4, 300));

  testing::fakes::FakeServer peer([](const testing::fakes::RecordedRequest&) {
    return testing::fakes::FakeResponse{200, R"({"ok":true})", {}};
  });
  http::ClientOptions options;
  options.threads = threads;
  options.max_connections_per_host = connections;
  http::Client client(options);

  const std::string url = peer.BaseUrl() + "/v21.0/123/messages";
  const std::string body(body_bytes, 'x');
  std::atomic<std::size_t> ok{0};
  std::atomic<std::size_t> failed{0};
  std::mutex mutex;
  std::condition_variable finished;

  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < requests; ++i) {
    http::ClientRequest request;
    request.url = url;
    request.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer t"}};
    request.body = body;
    request.timeout = std::chrono::seconds(60);
    client.Send(std::move(request), [&](http::ClientResponse r) {
      (r.status == 200 ? ok : failed).fetch_add(1);
      if (ok.load() + failed.load() == requests) {
        std::lock_guard lock(mutex);
        finished.notify_all();
      }
    });
  }
  {
    std::unique_lock lock(mutex);
    finished.wait_for(lock, std::chrono::seconds(120),
                      [&] { return ok.load() + failed.load() == requests; });
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "requests=%zu ok=%zu failed=%zu connections=%zu client_threads=%d seconds=%.3f "
      "req_per_s=%.0f\n",
      requests, ok.load(), failed.load(), connections, threads, seconds,
      static_cast<double>(ok.load() + failed.load()) / seconds);
  client.Stop();
  return failed.load() == 0 && ok.load() == requests ? 0 : 1;
}
