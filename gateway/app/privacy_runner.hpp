#pragma once
// Runs the retention purge (privacy/purge.hpp) every retention.interval_minutes on the store's
// writer, one batch per write job so inbound messages commit between batches, until stopped.
// Counts what it did in satupintu_privacy_purged_total{class=...} and the passes in
// satupintu_privacy_passes_total{result=...}; logs only counts, never rows.

#include <cstdint>

#include "config/config.hpp"
#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "core/worker.hpp"
#include "privacy/purge.hpp"
#include "storage/store.hpp"

namespace satupintu::app {

// The config's retention section as the purge reads it.
privacy::Retention RetentionFrom(const config::RetentionConfig& config);

class PrivacyRunner {
 public:
  // `clock` nullptr: the system clock (tests pass a ManualClock).
  PrivacyRunner(const config::RetentionConfig& config, storage::Store* store,
                core::MetricsRegistry* metrics, core::Clock* clock = nullptr);
  ~PrivacyRunner();
  PrivacyRunner(const PrivacyRunner&) = delete;
  PrivacyRunner& operator=(const PrivacyRunner&) = delete;

  void Start();
  void Stop();
  void Wake() { worker_.Wake(); }
  std::uint64_t passes() const { return worker_.passes(); }

 private:
  core::Worker::Next Pass();

  privacy::Retention retention_;
  storage::Store* store_;
  core::Clock* clock_;
  core::Counter* purged_[privacy::kClasses];
  core::Counter* passes_ok_;
  core::Counter* passes_failed_;
  core::Worker worker_;
};

}  // namespace satupintu::app
