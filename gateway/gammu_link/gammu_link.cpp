#include "gammu_link/gammu_link.hpp"

#include <algorithm>
#include <utility>

#include "adapters/gammu/reassembly.hpp"
#include "adapters/gammu/rows.hpp"
#include "adapters/gammu/sql.hpp"
#include "core/log.hpp"

namespace satupintu::gammu_link {
namespace {

namespace gammu = adapters::gammu;
namespace log = core::log;

// While polls keep failing the same way, the warning is repeated this often.
constexpr auto kFailureReminder = std::chrono::minutes(5);

std::int64_t WallSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

core::Result<std::vector<gammu::InboxRow>> ReadInbox(storage::Db& db) {
  auto stmt = db.Prepare(std::string(gammu::sql::kSelectUnprocessedInbox));
  if (!stmt.ok()) return stmt.error();
  storage::Stmt* s = stmt.value();
  std::vector<gammu::InboxRow> rows;
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) {
    gammu::InboxRow row;
    row.id = s->ColumnInt(0);
    row.receiving_date_time = s->ColumnText(1);
    row.sender_number = s->ColumnText(2);
    row.text_decoded = s->ColumnText(3);
    row.coding = s->ColumnText(4);
    row.udh_hex = s->ColumnText(5);
    row.smsc_number = s->ColumnText(6);
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) {
    auto error = db.LastError("read inbox");
    s->Reset();
    return error;
  }
  s->Reset();
  return rows;
}

}  // namespace

GammuLink::GammuLink(LinkConfig config, Deliver deliver, OnStatus on_status, Clock clock)
    : config_(std::move(config)),
      deliver_(std::move(deliver)),
      on_status_(std::move(on_status)),
      clock_(clock ? std::move(clock) : Clock(WallSeconds)),
      db_(config_.database, config_.busy_timeout),
      tracker_(config_),
      worker_(
          [this] { return Pass(); },
          {.interval = std::chrono::duration_cast<std::chrono::milliseconds>(config_.poll_interval),
           .run_at_start = true}) {}

GammuLink::~GammuLink() { Stop(); }

void GammuLink::Start() { worker_.Start(); }

void GammuLink::Stop() { worker_.Stop(); }

std::uint64_t GammuLink::polls() const {
  std::lock_guard lock(counts_mutex_);
  return polls_;
}

std::uint64_t GammuLink::failed_polls() const {
  std::lock_guard lock(counts_mutex_);
  return failed_polls_;
}

core::Worker::Next GammuLink::Pass() {
  auto result = PollOnce();
  const auto now = std::chrono::steady_clock::now();
  if (!result.ok()) {
    ++failures_;
    if (failures_ == 1 || result.error().message != failing_ ||
        now - warned_at_ >= kFailureReminder) {
      log::Warn("gammu.poll_failed")
          .Str("channel", config_.name)
          .Str("error", result.error().message)
          .Str("detail", result.error().detail)
          .Int("failed_polls", static_cast<std::int64_t>(failures_));
      failing_ = result.error().message;
      warned_at_ = now;
    }
  } else if (failures_ > 0) {
    log::Info("gammu.poll_recovered")
        .Str("channel", config_.name)
        .Int("failed_polls", static_cast<std::int64_t>(failures_));
    failures_ = 0;
  }
  if (result.ok() && (result->delivered > 0 || result->statuses > 0)) {
    log::Info("gammu.polled")
        .Str("channel", config_.name)
        .Int("delivered", result->delivered)
        .Int("marked", result->marked)
        .Int("pending_parts", result->pending_parts)
        .Int("statuses", result->statuses);
  }
  std::lock_guard lock(counts_mutex_);
  ++polls_;
  if (!result.ok()) ++failed_polls_;
  return core::Worker::Next::kWait;
}

core::Result<PollStats> GammuLink::PollOnce() {
  std::lock_guard poll_lock(poll_mutex_);
  PollStats stats;
  auto db = db_.Get();
  if (!db.ok()) return db.error();

  core::Status inbox = PollInbox(*db.value(), stats);
  // Statuses are independent of the inbox: a failed deliver must not hold them back.
  auto updates = tracker_.Poll(*db.value(), std::chrono::steady_clock::now());
  if (!updates.ok()) {
    RollbackQuietly(*db.value());
    if (inbox.ok()) return updates.error();
  } else if (!updates->empty()) {
    stats.statuses = static_cast<int>(updates->size());
    if (on_status_) on_status_(std::move(updates).value());
  }
  if (!inbox.ok()) return inbox.error();
  return stats;
}

core::Status GammuLink::PollInbox(storage::Db& db, PollStats& stats) {
  auto rows = ReadInbox(db);
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return {};

  const gammu::Reassembly assembled = gammu::Reassemble(config_.adapter, *rows, clock_());
  stats.pending_parts = static_cast<int>(assembled.pending_ids.size());
  for (const auto& note : assembled.notes) {
    log::Info("gammu.reassembly").Str("channel", config_.name).Str("note", note);
  }

  if (!assembled.messages.empty()) {
    std::vector<adapters::InboundMessage> messages;
    messages.reserve(assembled.messages.size());
    for (const auto& m : assembled.messages) messages.push_back(m.message);
    const int count = static_cast<int>(messages.size());
    core::Status delivered = deliver_ ? deliver_(std::move(messages))
                                      : core::MakeError(core::ErrorCode::kInternal,
                                                        "gammu link has no deliver callback");
    if (!delivered.ok()) return delivered.error();  // nothing marked: read again next poll
    stats.delivered = count;
  }
  const std::vector<std::int64_t> ids = assembled.ProcessedIds();
  if (ids.empty()) return {};
  if (auto marked = MarkProcessed(db, ids); !marked.ok()) return marked;
  stats.marked = static_cast<int>(ids.size());
  return {};
}

core::Status GammuLink::MarkProcessed(storage::Db& db, const std::vector<std::int64_t>& ids) {
  // All batches in one transaction, so a failure leaves either every row or none marked;
  // either way the journal absorbs a repeated delivery.
  if (auto begin = db.Run("BEGIN IMMEDIATE"); !begin.ok()) return begin;
  for (std::size_t at = 0; at < ids.size(); at += gammu::sql::kMaxIdsPerUpdate) {
    const std::size_t n = std::min(gammu::sql::kMaxIdsPerUpdate, ids.size() - at);
    auto stmt = db.Prepare(gammu::sql::MarkProcessedSql(n));
    if (!stmt.ok()) {
      RollbackQuietly(db);
      return stmt.error();
    }
    for (std::size_t i = 0; i < n; ++i) stmt.value()->Bind(static_cast<int>(i + 1), ids[at + i]);
    if (auto run = stmt.value()->Run(); !run.ok()) {
      RollbackQuietly(db);
      return run;
    }
  }
  if (auto commit = db.Run("COMMIT"); !commit.ok()) {
    RollbackQuietly(db);
    return commit;
  }
  return {};
}

}  // namespace satupintu::gammu_link
