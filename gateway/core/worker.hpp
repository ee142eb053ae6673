#pragma once
// One background thread running a pass again and again: the dispatcher, the SLA runner, the
// Gammu poller, the channel log pruner and the WAL checkpointer are each one Worker.
//
// A pass runs when the worker starts (unless `run_at_start` is false), when Wake() is called,
// when `interval` of the clock's time has passed since the last pass (no interval: only when
// woken), and at once again when the pass returns kAgain (more work waiting). Stop() lets the
// running pass finish and joins; a wake during a pass runs one more pass after it.
//
// Tests give it a ManualClock and Advance() it instead of sleeping through intervals.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "core/clock.hpp"

namespace satupintu::core {

class Worker {
 public:
  enum class Next { kWait, kAgain };
  using Pass = std::function<Next()>;

  struct Options {
    std::chrono::milliseconds interval{0};  // 0: passes run only when woken
    bool run_at_start = true;
    Clock* clock = nullptr;  // nullptr: SystemClock()
  };

  Worker(Pass pass, Options options);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void Start();  // once; later calls do nothing
  void Wake();   // cheap: callable from a commit hook
  void Stop();   // idempotent; Start after Stop does nothing

  std::uint64_t passes() const;  // passes completed

 private:
  void Loop();

  Pass pass_;
  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stopping_ = false;
  std::uint64_t passes_ = 0;
  std::thread thread_;
};

}  // namespace satupintu::core
