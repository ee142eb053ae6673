#pragma once
// A token bucket: `burst` tokens at the start, refilled at a steady rate. Time is passed in,
// never read, so tests drive it exactly. Used by the shared sender's rate limits
// (outbound/rate_limit.hpp) and the API's limits per token and per address
// (users/rate_limiter.hpp). Not thread-safe: the owner locks.

#include <chrono>

namespace satupintu::core {

class TokenBucket {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;

  TokenBucket() = default;  // unlimited
  // `burst` tokens at the start, refilled at `rate_per_second`; a rate <= 0 means no limit.
  TokenBucket(double rate_per_second, double burst);

  bool unlimited() const { return rate_ <= 0; }
  // Takes `cost` tokens if they are there now; otherwise takes nothing.
  bool TryTake(double cost, TimePoint now);
  // How long until `cost` tokens are there (zero when they are now). A cost above the burst
  // is treated as the burst, so an expensive item is never blocked forever.
  Duration Wait(double cost, TimePoint now);
  // Tokens available now (large when unlimited).
  double Available(TimePoint now);
  // Nothing is taken before `until`; the bucket then starts empty-but-refilling.
  void PauseUntil(TimePoint until);

 private:
  void Refill(TimePoint now);

  double rate_ = 0;
  double burst_ = 0;
  double tokens_ = 0;
  TimePoint last_{};
  TimePoint paused_until_{};
};

}  // namespace satupintu::core
