#include "app/sla_runner.hpp"

#include <chrono>
#include <future>

#include "core/clock.hpp"
#include "core/log.hpp"

namespace satupintu::app {

// Tickets a pass looks at, at most: the rest wait for the next pass (a minute later).
constexpr int kTicketsPerPass = 500;

core::Result<std::unique_ptr<SlaRunner>> SlaRunner::Create(const config::TicketsConfig& config,
                                                           storage::Store* store) {
  auto calendar = tickets::WorkCalendar::Load(config.holidays_file, config.utc_offset_minutes);
  if (!calendar.ok()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "tickets.holidays_file: " + calendar.error().message);
  }
  tickets::SlaTargets targets;
  targets.verify_days = config.sla_verify_days;
  targets.follow_up_days = config.sla_follow_up_days;
  targets.complete_days = config.sla_complete_days;
  targets.warn_days = config.sla_warn_days;
  core::log::Info("tickets.calendar")
      .Int("holidays", static_cast<std::int64_t>(calendar.value().holidays()))
      .Int("utc_offset_minutes", config.utc_offset_minutes);
  return std::unique_ptr<SlaRunner>(
      new SlaRunner(std::move(calendar).value(), targets, config.sla_interval_seconds, store));
}

SlaRunner::SlaRunner(tickets::WorkCalendar calendar, tickets::SlaTargets targets,
                     int interval_seconds, storage::Store* store)
    : calendar_(std::move(calendar)),
      targets_(targets),
      store_(store),
      worker_([this] { return Pass(); },
              {.interval = std::chrono::seconds(interval_seconds), .run_at_start = true}) {}

SlaRunner::~SlaRunner() { Stop(); }

void SlaRunner::Start() { worker_.Start(); }

void SlaRunner::Stop() { worker_.Stop(); }

core::Worker::Next SlaRunner::Pass() {
  core::Result<tickets::SlaPass> result = tickets::SlaPass{};
  std::promise<core::Status> committed;
  store_->Write(
      [&](storage::Db& db) -> core::Status {
        result = tickets::RunSlaPass(db, calendar_, targets_, core::NowMs(), kTicketsPerPass);
        return result.ok() ? core::Status{} : core::Status(result.error());
      },
      [&](core::Status s) { committed.set_value(std::move(s)); });
  const core::Status status = committed.get_future().get();
  if (!status.ok()) {
    core::log::Warn("tickets.sla_failed").Str("error", status.error().message);
  } else if (result.ok() && (result.value().warned > 0 || result.value().breached > 0)) {
    core::log::Info("tickets.sla")
        .Int("warned", result.value().warned)
        .Int("breached", result.value().breached)
        .Int("escalated", result.value().escalated);
  }
  return core::Worker::Next::kWait;
}

}  // namespace satupintu::app
