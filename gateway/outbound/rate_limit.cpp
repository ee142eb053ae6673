#include "outbound/rate_limit.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace satupintu::outbound {

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
