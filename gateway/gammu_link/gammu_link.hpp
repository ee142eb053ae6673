#pragma once
// The receiving side of one Gammu SMSD instance, and the status side of its sends: a worker
// thread that polls SMSD's SQLite file every LinkConfig::poll_interval.
//
//   inbox:     unprocessed rows -> adapters::gammu::Reassemble -> `deliver` (returns only once
//              our store committed the messages) -> only then Processed = 'true'. A failed
//              deliver marks nothing; the same rows are read again next poll and give the
//              same provider ids ("gammu:<lowest inbox ID>:<hash>"), so a crash between our
//              commit and the mark yields journal duplicates, never a loss.
//   sentitems: status changes of the rows our GammuTransport wrote (SentTracker) ->
//              `on_status`, provider_message_id = our part key.
//
// The link owns its own connection (busy_timeout set: SMSD writes the same file). It never
// logs numbers or texts: ids, counts and SQLite's error text only.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "adapters/core/adapter.hpp"
#include "core/result.hpp"
#include "core/worker.hpp"
#include "gammu_link/link_config.hpp"
#include "gammu_link/sent_tracker.hpp"
#include "gammu_link/smsd_db.hpp"

namespace satupintu::gammu_link {

struct PollStats {
  int delivered = 0;      // messages handed to deliver and acknowledged
  int marked = 0;         // inbox rows set Processed = 'true'
  int pending_parts = 0;  // parts of incomplete concatenations left for later
  int statuses = 0;       // updates handed to on_status
};

class GammuLink {
 public:
  using Deliver = std::function<core::Status(std::vector<adapters::InboundMessage>)>;
  using OnStatus = std::function<void(std::vector<adapters::StatusUpdate>)>;
  // The wall clock in seconds since the epoch, injected for the partial-message timeout.
  using Clock = std::function<std::int64_t()>;

  GammuLink(LinkConfig config, Deliver deliver, OnStatus on_status, Clock clock = {});
  ~GammuLink();  // Stop()
  GammuLink(const GammuLink&) = delete;
  GammuLink& operator=(const GammuLink&) = delete;

  // Starts the worker; its first poll runs at once.
  void Start();
  // Wakes the worker and joins it; a poll in progress (including a deliver call) finishes
  // first. Idempotent.
  void Stop();

  // One poll of inbox then sentitems on the caller's thread (the worker calls the same).
  // Errors (database missing, locked, deliver failed) leave everything for the next poll.
  core::Result<PollStats> PollOnce();

  std::uint64_t polls() const;
  std::uint64_t failed_polls() const;

 private:
  core::Status PollInbox(storage::Db& db, PollStats& stats);
  static core::Status MarkProcessed(storage::Db& db, const std::vector<std::int64_t>& ids);
  core::Worker::Next Pass();

  LinkConfig config_;
  Deliver deliver_;
  OnStatus on_status_;
  Clock clock_;

  std::mutex poll_mutex_;  // one poll at a time; guards db_ and tracker_
  SmsdDb db_;
  SentTracker tracker_;

  // An unplugged modem or a missing database fails every poll, once a second, for hours: the
  // worker warns when a failure starts (or changes), reminds while it lasts, and says when it
  // is over. Only the worker's passes touch these three.
  std::uint64_t failures_ = 0;  // consecutive failed polls
  std::string failing_;         // the error message last warned about
  std::chrono::steady_clock::time_point warned_at_{};

  mutable std::mutex counts_mutex_;  // guards the two counts
  std::uint64_t polls_ = 0;
  std::uint64_t failed_polls_ = 0;

  core::Worker worker_;  // last: stopped before the members its passes use go away
};

}  // namespace satupintu::gammu_link
