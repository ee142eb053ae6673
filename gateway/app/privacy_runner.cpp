#include "app/privacy_runner.hpp"

#include <chrono>
#include <future>

#include "core/log.hpp"

namespace satupintu::app {

privacy::Retention RetentionFrom(const config::RetentionConfig& c) {
  privacy::Retention r;
  r.enabled = c.enabled;
  r.batch_rows = c.batch_rows;
  r.journal_redact_days = c.journal_redact_days;
  r.journal_days = c.journal_days;
  r.conversation_days = c.conversation_days;
  r.outbox_text_days = c.outbox_text_days;
  r.channel_log_days = c.channel_log_days;
  r.closed_ticket_days = c.closed_ticket_days;
  r.citizen_days = c.citizen_days;
  r.audit_log_days = c.audit_log_days;
  return r;
}

namespace {
constexpr const char* kPurged = "satupintu_privacy_purged_total";
constexpr const char* kPurgedHelp =
    "Rows deleted, minimised or anonymised by the retention purge, by class of data.";
constexpr const char* kPasses = "satupintu_privacy_passes_total";
constexpr const char* kPassesHelp = "Retention purge passes by result.";
}  // namespace

PrivacyRunner::PrivacyRunner(const config::RetentionConfig& config, storage::Store* store,
                             core::MetricsRegistry* metrics, core::Clock* clock)
    : retention_(RetentionFrom(config)),
      store_(store),
      clock_(clock != nullptr ? clock : core::SystemClock()),
      passes_ok_(&metrics->GetCounter(kPasses, kPassesHelp, {{"result", "ok"}})),
      passes_failed_(&metrics->GetCounter(kPasses, kPassesHelp, {{"result", "error"}})),
      worker_([this] { return Pass(); }, {.interval = std::chrono::minutes(config.interval_minutes),
                                          .run_at_start = true,
                                          .clock = clock_}) {
  for (std::size_t i = 0; i < privacy::kClasses; ++i) {
    purged_[i] = &metrics->GetCounter(
        kPurged, kPurgedHelp, {{"class", privacy::ClassName(static_cast<privacy::DataClass>(i))}});
  }
}

PrivacyRunner::~PrivacyRunner() { Stop(); }

void PrivacyRunner::Start() { worker_.Start(); }

void PrivacyRunner::Stop() { worker_.Stop(); }

core::Worker::Next PrivacyRunner::Pass() {
  // Each batch is one job of the store's writer, waited for: the writer takes inbound
  // messages' group commits between two batches.
  const privacy::RunBatch run = [this](const privacy::Batch& batch) -> core::Status {
    std::promise<core::Status> committed;
    store_->Write([&batch](storage::Db& db) { return batch(db); },
                  [&committed](core::Status s) { committed.set_value(std::move(s)); });
    return committed.get_future().get();
  };
  const auto started = std::chrono::steady_clock::now();
  auto result = privacy::Purge(run, retention_, clock_->NowMs(), "system");
  if (!result.ok()) {
    passes_failed_->Inc();
    core::log::Warn("privacy.purge_failed").Str("error", result.error().message);
    return core::Worker::Next::kWait;
  }
  passes_ok_->Inc();
  const auto& done = result.value().done;
  for (std::size_t i = 0; i < privacy::kClasses; ++i) {
    if (done.rows[i] > 0) purged_[i]->Inc(static_cast<std::uint64_t>(done.rows[i]));
  }
  if (done.Total() > 0) {
    core::log::Info("privacy.purge")
        .Str("counts", done.Summary())
        .Int("batches", result.value().batches)
        .Int("ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - started)
                       .count());
  }
  return core::Worker::Next::kWait;
}

}  // namespace satupintu::app
