#pragma once
// Delivers webhook POSTs from a fake peer to the gateway under test, one at a time, in order, on
// a worker thread of its own, so the fake's request handler never waits on the receiver.
// Loopback only: a URL naming any other host is recorded as a failed delivery, never dialled.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "fakes/fake_server.hpp"

namespace satupintu::testing::fakes {

struct WebhookDelivery {
  std::string url;
  std::string body;
  Headers headers;    // what was sent besides Host, Content-Type and Content-Length
  int status = 0;     // the receiver's answer; 0 when none was read
  std::string error;  // transport error or refused URL; empty when an answer was read
};

// "<lowercase hex>" of HMAC-SHA256(key, data).
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// One blocking POST with a connect/write/read deadline. Used by the worker; public for tests.
WebhookDelivery PostOnce(const std::string& url, const std::string& body, const Headers& headers,
                         std::chrono::milliseconds timeout);

class WebhookPoster {
 public:
  WebhookPoster();
  ~WebhookPoster();  // drops what is still queued and joins
  WebhookPoster(const WebhookPoster&) = delete;
  WebhookPoster& operator=(const WebhookPoster&) = delete;

  void Post(std::string url, std::string body, Headers headers);
  std::vector<WebhookDelivery> Deliveries() const;
  // True once `count` deliveries were attempted (successful or not) within `timeout`.
  bool WaitForDeliveries(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  struct Job {
    std::string url;
    std::string body;
    Headers headers;
  };
  void Run();

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::deque<Job> queue_;
  std::vector<WebhookDelivery> done_;
  bool stopping_ = false;
  std::thread worker_;  // last: starts after the rest exists
};

}  // namespace satupintu::testing::fakes
