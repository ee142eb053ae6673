#pragma once
// Time for code that reads it or waits on it.
//   NowMs(): the wall clock in milliseconds since the Unix epoch, what the store's *_at_ms
//   columns hold.
//   Clock: the same as an injectable object that can also wait. Production code takes a
//   Clock* that defaults to SystemClock(); tests pass a ManualClock and Advance() it instead of
//   sleeping.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace satupintu::core {

inline std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t NowMs() = 0;
  // With `lock` held: blocks on `cv` until `done()` is true or `timeout` of this clock's time
  // has passed. Whoever makes `done()` true notifies `cv` under the lock's mutex.
  virtual void WaitFor(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                       std::chrono::milliseconds timeout, const std::function<bool()>& done) = 0;
};

// The real clock: system_clock for NowMs, the condition variable's own timed wait.
Clock* SystemClock();

// A clock that moves only when told: Advance() wakes every waiter so it re-checks its timeout.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t start_ms = 1'760'000'000'000) : now_ms_(start_ms) {}
  std::int64_t NowMs() override;
  void WaitFor(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
               std::chrono::milliseconds timeout, const std::function<bool()>& done) override;
  void Advance(std::chrono::milliseconds by);
  // Waiters blocked in WaitFor now (tests wait for a worker to be asleep before advancing).
  int waiters();

 private:
  std::mutex state_mutex_;
  std::int64_t now_ms_;
  std::vector<std::condition_variable*> waiters_;
};

}  // namespace satupintu::core
