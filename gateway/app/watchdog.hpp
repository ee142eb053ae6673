#pragma once
// The service manager's watchdog (WatchdogSec= in deploy/systemd/satupintu.service): a worker
// that writes the store's heartbeat row every `period` (half of $WATCHDOG_USEC) and sends
// WATCHDOG=1 only when that write has committed. A writer thread that hangs or a store that
// cannot commit (full disk, I/O errors) stops the pings, and systemd restarts the service.
// Without a notification socket or a watchdog interval it is never started.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include "core/sd_notify.hpp"
#include "core/worker.hpp"
#include "storage/store.hpp"

namespace satupintu::app {

class StoreWatchdog {
 public:
  // `period`: how often to write and ping; a pass waits at most this long for its commit.
  StoreWatchdog(storage::Store* store, const core::SdNotifier* notifier,
                std::chrono::milliseconds period);
  ~StoreWatchdog();
  StoreWatchdog(const StoreWatchdog&) = delete;
  StoreWatchdog& operator=(const StoreWatchdog&) = delete;

  // The period for a notifier: half its watchdog interval (at least 1 ms), or 0 when the
  // service manager set no watchdog or there is no socket.
  static std::chrono::milliseconds PeriodFor(const core::SdNotifier& notifier);

  void Start();
  void Stop();  // idempotent; called before the store closes

  std::uint64_t pings() const { return pings_.load(); }        // WATCHDOG=1 sent
  std::uint64_t withheld() const { return withheld_.load(); }  // passes whose write failed

 private:
  core::Worker::Next Pass();

  storage::Store* store_;
  const core::SdNotifier* notifier_;
  std::chrono::milliseconds period_;
  std::atomic<std::uint64_t> pings_{0};
  std::atomic<std::uint64_t> withheld_{0};
  // A heartbeat write still queued from an earlier pass: no second one is queued behind it.
  std::shared_ptr<std::atomic<bool>> in_flight_ = std::make_shared<std::atomic<bool>>(false);
  core::Worker worker_;
};

}  // namespace satupintu::app
