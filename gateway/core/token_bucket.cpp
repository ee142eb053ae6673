#include "core/token_bucket.hpp"

#include <algorithm>

namespace satupintu::core {

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

TokenBucket::Duration TokenBucket::Wait(double cost, TimePoint now) {
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

}  // namespace satupintu::core
