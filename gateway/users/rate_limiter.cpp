#include "users/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace satupintu::users {

RateLimiter::RateLimiter(int count, std::chrono::seconds window, std::size_t max_keys)
    : rate_per_second_(count > 0 && window.count() > 0
                           ? static_cast<double>(count) / static_cast<double>(window.count())
                           : 0),
      burst_(std::max(count, 1)),
      max_keys_(std::max<std::size_t>(max_keys, 1)) {}

RateLimiter::Decision RateLimiter::Allow(std::string_view key, TimePoint now) {
  if (rate_per_second_ <= 0) return {};
  std::lock_guard lock(mu_);
  std::string k(key);
  auto it = entries_.find(k);
  if (it == entries_.end()) {
    if (entries_.size() >= max_keys_) {
      entries_.erase(recent_.back());
      recent_.pop_back();
    }
    recent_.push_front(k);
    it = entries_
             .emplace(std::move(k),
                      Entry{core::TokenBucket(rate_per_second_, burst_), recent_.begin()})
             .first;
  } else {
    recent_.splice(recent_.begin(), recent_, it->second.recent);
  }
  core::TokenBucket& bucket = it->second.bucket;
  if (bucket.TryTake(1, now)) return {};
  const double wait = std::chrono::duration<double>(bucket.Wait(1, now)).count();
  // The bucket's wait carries a microsecond of rounding margin: not a second more.
  return {false, std::max(1, static_cast<int>(std::ceil(wait - 1e-3)))};
}

std::size_t RateLimiter::keys() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace satupintu::users
