#pragma once
// A clock a test moves by hand, for the fakes' SetClock: rate-limit tests then say exactly
// which request is the first one over, with no sleeps and no flakiness on a loaded machine.

#include <atomic>
#include <chrono>

#include "fakes/fake_server.hpp"

namespace satupintu::testing::fakes {

class ManualClock {
 public:
  // The returned function refers to this object: keep it alive as long as the fake uses it.
  Clock AsClock() {
    return [this] { return TimePoint{} + kStart + std::chrono::milliseconds(elapsed_ms_.load()); };
  }
  void Advance(std::chrono::milliseconds by) { elapsed_ms_ += by.count(); }

 private:
  // Away from zero so "a day before start" is still a valid time point.
  static constexpr std::chrono::hours kStart{24 * 365};
  std::atomic<long long> elapsed_ms_{0};
};

}  // namespace satupintu::testing::fakes
