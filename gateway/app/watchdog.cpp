#include "app/watchdog.hpp"

#include <future>

#include "core/clock.hpp"
#include "core/log.hpp"

namespace satupintu::app {

StoreWatchdog::StoreWatchdog(storage::Store* store, const core::SdNotifier* notifier,
                             std::chrono::milliseconds period)
    : store_(store),
      notifier_(notifier),
      period_(period),
      worker_([this] { return Pass(); }, {.interval = period, .run_at_start = true}) {}

StoreWatchdog::~StoreWatchdog() { Stop(); }

std::chrono::milliseconds StoreWatchdog::PeriodFor(const core::SdNotifier& notifier) {
  if (!notifier.enabled() || notifier.watchdog_interval().count() <= 0) {
    return std::chrono::milliseconds(0);
  }
  const auto half =
      std::chrono::duration_cast<std::chrono::milliseconds>(notifier.watchdog_interval() / 2);
  return std::max(half, std::chrono::milliseconds(1));
}

void StoreWatchdog::Start() { worker_.Start(); }

void StoreWatchdog::Stop() { worker_.Stop(); }

core::Worker::Next StoreWatchdog::Pass() {
  if (in_flight_->exchange(true)) {
    withheld_.fetch_add(1);
    core::log::Warn("watchdog.withheld").Str("reason", "the last heartbeat write has not ended");
    return core::Worker::Next::kWait;
  }
  auto committed = std::make_shared<std::promise<core::Status>>();
  auto result = committed->get_future();
  const std::int64_t now_ms = core::NowMs();
  store_->Write(
      [now_ms](storage::Db& db) -> core::Status {
        auto stmt = db.Prepare("UPDATE store_heartbeat SET at_ms = ? WHERE id = 1");
        if (!stmt.ok()) return stmt.error();
        return stmt.value()->Bind(1, now_ms).Run();
      },
      [committed, in_flight = in_flight_](core::Status s) {
        in_flight->store(false);
        committed->set_value(std::move(s));
      });
  if (result.wait_for(period_) != std::future_status::ready) {
    withheld_.fetch_add(1);
    core::log::Warn("watchdog.withheld")
        .Str("reason", "the heartbeat write did not commit in time");
    return core::Worker::Next::kWait;
  }
  const core::Status s = result.get();
  if (!s.ok()) {
    withheld_.fetch_add(1);
    core::log::Warn("watchdog.withheld").Str("reason", s.error().message);
    return core::Worker::Next::kWait;
  }
  if (auto sent = notifier_->Notify("WATCHDOG=1"); !sent.ok()) {
    core::log::Warn("watchdog.notify_failed")
        .Str("reason", sent.error().message)
        .Str("detail", sent.error().detail);
    return core::Worker::Next::kWait;
  }
  pings_.fetch_add(1);
  return core::Worker::Next::kWait;
}

}  // namespace satupintu::app
