#include "outbound/rate_limit.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace satupintu::outbound {

TokenBucket::TokenBucket(double rate_per_second, double burst)
    : rate_(rate_per_second), burst_(std::max(burst, 1.0)), tokens_(std::max(burst, 1.0)) {}

void TokenBucket::Refill(TimePoint now) {
  if (last_ == TimePoint{}) {
    last_ = now;
    return;
  }
  if (now <= last_) return;
  const double seconds = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(burst_, tokens_ + seconds * rate_);
  last_ = now;
}

bool TokenBucket::TryTake(double cost, TimePoint now) {
  if (unlimited()) return true;
  if (now < paused_until_) return false;
  Refill(now);
  const double need = std::min(cost, burst_);
  // A hair of tolerance: refills are sums of floating-point slices.
  if (tokens_ + 1e-9 < need) return false;
  tokens_ -= need;
  return true;
}

Duration TokenBucket::Wait(double cost, TimePoint now) {
  if (unlimited()) return Duration::zero();
  if (now < paused_until_) return paused_until_ - now;
  Refill(now);
  const double need = std::min(cost, burst_);
  if (tokens_ + 1e-9 >= need) return Duration::zero();
  const double seconds = (need - tokens_) / rate_;
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(seconds)) +
         std::chrono::microseconds(1);
}

double TokenBucket::Available(TimePoint now) {
  if (unlimited()) return 1e12;
  if (now < paused_until_) return 0;
  Refill(now);
  return tokens_;
}

void TokenBucket::PauseUntil(TimePoint until) {
  if (unlimited() || until <= paused_until_) return;
  paused_until_ = until;
  tokens_ = 0;
  last_ = until;
}

RecipientPacer::RecipientPacer(Duration interval, double burst)
    : interval_(interval), burst_(std::max(burst, 1.0)) {}

TokenBucket& RecipientPacer::BucketOf(const std::string& address) {
  auto it = buckets_.find(address);
  if (it != buckets_.end()) return it->second;
  const double rate = 1.0 / std::chrono::duration<double>(interval_).count();
  return buckets_.emplace(address, TokenBucket(rate, burst_)).first->second;
}

bool RecipientPacer::TryTake(const std::string& address, TimePoint now) {
  if (unlimited()) return true;
  return BucketOf(address).TryTake(1, now);
}

Duration RecipientPacer::Wait(const std::string& address, TimePoint now) {
  if (unlimited()) return Duration::zero();
  auto it = buckets_.find(address);
  if (it == buckets_.end()) return Duration::zero();
  return it->second.Wait(1, now);
}

void RecipientPacer::PauseUntil(const std::string& address, TimePoint until) {
  if (unlimited()) return;
  BucketOf(address).PauseUntil(until);
}

void RecipientPacer::Forget(TimePoint now) {
  if (unlimited() || now - last_forget_ < interval_) return;
  last_forget_ = now;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (it->second.Available(now) + 1e-9 >= burst_) {
      it = buckets_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace satupintu::outbound
