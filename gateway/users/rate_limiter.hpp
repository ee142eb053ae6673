#pragma once
// Request limits of the API and the login: `count` requests per `window` for each key
// ("ip:1.2.3.4", "token:<hash prefix>", "login:1.2.3.4"), a token bucket per key (a full
// window's worth at once, then refilled evenly). In memory, thread-safe (one mutex; a
// decision takes under a microsecond, evictions included, docs/BENCHMARKS.md). The number of keys
// is bounded: past `max_keys` the least recently used key is forgotten, so a flood of addresses
// cannot grow memory without bound; a forgotten key starts again with a full bucket.

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/token_bucket.hpp"

namespace satupintu::users {

class RateLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  struct Decision {
    bool allowed = true;
    int retry_after_seconds = 0;  // when refused: whole seconds until one request is allowed
  };

  // `count` <= 0: no limit.
  RateLimiter(int count, std::chrono::seconds window, std::size_t max_keys = 100'000);

  // Counts one request of `key` at `now`.
  Decision Allow(std::string_view key, TimePoint now);
  std::size_t keys() const;

 private:
  struct Entry {
    core::TokenBucket bucket;
    std::list<std::string>::iterator recent;
  };

  const double rate_per_second_;
  const double burst_;
  const std::size_t max_keys_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> recent_;  // front: the key used last
};

}  // namespace satupintu::users
