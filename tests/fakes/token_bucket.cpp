#include "fakes/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace satupintu::testing::fakes {

namespace {
// Refills add up in floating point: 5.999 s + 0.001 s at 1/6 per second must still make a token.
constexpr double kEpsilon = 1e-9;
}  // namespace

void TokenBucket::Refill(TimePoint now) {
  if (!started_) {
    started_ = true;
    last_ = now;
    return;
  }
  if (now <= last_) return;  // a manual clock may stand still; it never goes back for us
  const double seconds = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(capacity_, tokens_ + seconds * rate_);
  last_ = now;
}

bool TokenBucket::Available(TimePoint now) {
  if (rate_ <= 0) return true;
  Refill(now);
  return tokens_ >= 1.0 - kEpsilon;
}

bool TokenBucket::TryTake(TimePoint now) {
  if (!Available(now)) return false;
  if (rate_ > 0) tokens_ -= 1.0;
  return true;
}

std::chrono::milliseconds TokenBucket::WaitTime(TimePoint now) {
  if (Available(now)) return std::chrono::milliseconds(0);
  const double seconds = (1.0 - tokens_) / rate_;
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000.0)));
}

}  // namespace satupintu::testing::fakes
