#pragma once
// The token bucket behind the fakes' rate limits. Time is passed in, never read, so a test can
// drive it with a manual clock and know exactly which request is the first one over.

#include <chrono>

#include "fakes/fake_server.hpp"

namespace satupintu::testing::fakes {

class TokenBucket {
 public:
  // `capacity` tokens at the start, refilled at `rate_per_second`. A rate <= 0 means no limit.
  TokenBucket(double rate_per_second, double capacity)
      : rate_(rate_per_second), capacity_(capacity), tokens_(capacity) {}

  // Takes one token if there is one; false (and nothing taken) otherwise.
  bool TryTake(TimePoint now);
  bool Available(TimePoint now);
  // How long until a token is available (zero if one is now).
  std::chrono::milliseconds WaitTime(TimePoint now);

 private:
  void Refill(TimePoint now);

  double rate_;
  double capacity_;
  double tokens_;
  TimePoint last_{};
  bool started_ = false;
};

}  // namespace satupintu::testing::fakes
