#pragma once
// Which sentitems statuses of our parts have been reported. SMSD's database is not ours to
// extend, and a table in our store would need a write per status, so this lives in memory:
//   - new rows are found by sentitems' implicit rowid (it grows with every insert; SMSD's
//     status-report UPDATE keeps it), read up to MAX(rowid) taken in the same read
//     transaction, so a row SMSD inserts meanwhile is seen by the next poll;
//   - a row whose status can still change (SendingOK waits for its report, DeliveryPending
//     for the final one) stays on a watch list, re-read by rowid every poll, until it reaches
//     a final status or LinkConfig::status_watch passes.
// After a restart the watermark starts just before the rows SMSD sent within
// LinkConfig::status_lookback: those statuses are reported again, and the outbox (which only
// moves a part forward) ignores what it already has. Statuses older than the look-back that
// were not reported before a crash are lost; the part stays 'accepted'.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "adapters/core/adapter.hpp"
#include "core/result.hpp"
#include "gammu_link/link_config.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::gammu_link {

class SentTracker {
 public:
  explicit SentTracker(const LinkConfig& config) : config_(config) {}

  // One pass over `db`; returns the status changes to report (provider_message_id = our part
  // key, the CreatorID without the prefix). On error nothing is remembered as reported.
  core::Result<std::vector<adapters::StatusUpdate>> Poll(storage::Db& db,
                                                         std::chrono::steady_clock::time_point now);

  std::size_t watched() const { return watch_.size(); }

 private:
  struct Watched {
    std::string status;  // last reported
    std::chrono::steady_clock::time_point since;
  };

  const LinkConfig& config_;
  bool started_ = false;
  std::int64_t watermark_ = 0;             // every rowid <= this has been read
  std::map<std::int64_t, Watched> watch_;  // rowid -> last reported, non-final status
};

}  // namespace satupintu::gammu_link
