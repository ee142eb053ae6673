#include "core/clock.hpp"

#include <algorithm>

namespace satupintu::core {
namespace {

class RealClock final : public Clock {
 public:
  std::int64_t NowMs() override { return core::NowMs(); }
  void WaitFor(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
               std::chrono::milliseconds timeout, const std::function<bool()>& done) override {
    cv.wait_for(lock, timeout, done);
  }
};

// Advance() notifies without the waiter's mutex (taking it there would invert the lock order
// with a waiter reading the time), so a notification can fall between a waiter's check and its
// wait: waiters also look again after this much real time.
constexpr std::chrono::milliseconds kManualRecheck{2};

}  // namespace

Clock* SystemClock() {
  static RealClock clock;
  return &clock;
}

std::int64_t ManualClock::NowMs() {
  std::lock_guard lock(state_mutex_);
  return now_ms_;
}

void ManualClock::WaitFor(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                          std::chrono::milliseconds timeout, const std::function<bool()>& done) {
  std::int64_t deadline = 0;
  {
    std::lock_guard state(state_mutex_);
    deadline = now_ms_ + timeout.count();
    waiters_.push_back(&cv);
  }
  auto expired = [&] {
    std::lock_guard state(state_mutex_);
    return now_ms_ >= deadline;
  };
  while (!done() && !expired()) cv.wait_for(lock, kManualRecheck);
  std::lock_guard state(state_mutex_);
  // Removed under the state mutex, so Advance never notifies a condition variable that is gone.
  waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &cv));
}

void ManualClock::Advance(std::chrono::milliseconds by) {
  std::lock_guard state(state_mutex_);
  now_ms_ += by.count();
  for (auto* cv : waiters_) cv->notify_all();
}

int ManualClock::waiters() {
  std::lock_guard state(state_mutex_);
  return static_cast<int>(waiters_.size());
}

}  // namespace satupintu::core
