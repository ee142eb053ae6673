#include "gammu_link/sent_tracker.hpp"

#include <string_view>
#include <utility>

#include "adapters/gammu/rows.hpp"
#include "adapters/gammu/sql.hpp"
#include "adapters/gammu/status.hpp"
#include "gammu_link/smsd_db.hpp"

namespace satupintu::gammu_link {
namespace {

namespace gammu = adapters::gammu;

struct Row {
  std::int64_t rowid = 0;
  gammu::SentItemRow item;
};

Row ReadRow(const storage::Stmt& s) {
  Row r;
  r.rowid = s.ColumnInt(0);
  r.item.id = s.ColumnInt(1);
  r.item.sequence_position = static_cast<int>(s.ColumnInt(2));
  r.item.status = s.ColumnText(3);
  r.item.destination_number = s.ColumnText(4);
  r.item.creator_id = s.ColumnText(5);
  r.item.status_error = static_cast<int>(s.ColumnInt(6));
  r.item.delivery_date_time = s.ColumnText(7);
  return r;
}

// Statuses after which SMSD writes nothing more to the row.
bool IsFinal(std::string_view status) {
  return status == "SendingOKNoReport" || status == "SendingError" || status == "DeliveryOK" ||
         status == "DeliveryFailed" || status == "Error";
}

core::Result<std::int64_t> QueryInt(storage::Db& db, std::string_view sql,
                                    const std::string& param) {
  auto stmt = db.Prepare(std::string(sql));
  if (!stmt.ok()) return stmt.error();
  storage::Stmt* s = stmt.value();
  if (!param.empty()) s->Bind(1, param);
  const int rc = s->Step();
  if (rc != SQLITE_ROW) {
    auto error = db.LastError("sentitems watermark");
    s->Reset();
    return error;
  }
  const std::int64_t v = s->ColumnInt(0);
  s->Reset();
  return v;
}

}  // namespace

core::Result<std::vector<adapters::StatusUpdate>> SentTracker::Poll(
    storage::Db& db, std::chrono::steady_clock::time_point now) {
  // One read transaction: MAX(rowid) and the rows up to it see the same snapshot.
  if (auto begin = db.Run("BEGIN"); !begin.ok()) return begin.error();
  auto fail = [&db](core::Error error) {
    RollbackQuietly(db);
    return error;
  };

  std::int64_t watermark = watermark_;
  bool restart = !started_;
  if (started_) {
    // VACUUM may renumber the rowids of a table without INTEGER PRIMARY KEY: below our
    // watermark, start again from the look-back (the outbox ignores repeated statuses).
    auto max_now = QueryInt(db, gammu::sql::kMaxSentItemsRowid, "");
    if (!max_now.ok()) return fail(max_now.error());
    if (max_now.value() < watermark_) restart = true;
  }
  if (restart) {
    const std::string modifier =
        "-" + std::to_string(std::chrono::seconds(config_.status_lookback).count()) + " seconds";
    auto start = QueryInt(db, gammu::sql::kSentItemsStartRowid, modifier);
    if (!start.ok()) return fail(start.error());
    watermark = start.value();
  }
  auto max_rowid = QueryInt(db, gammu::sql::kMaxSentItemsRowid, "");
  if (!max_rowid.ok()) return fail(max_rowid.error());

  std::vector<Row> rows;
  if (max_rowid.value() > watermark) {
    auto stmt = db.Prepare(std::string(gammu::sql::kSelectSentItemsRange));
    if (!stmt.ok()) return fail(stmt.error());
    storage::Stmt* s = stmt.value();
    s->Bind(1, config_.creator_prefix).Bind(2, watermark).Bind(3, max_rowid.value());
    int rc;
    while ((rc = s->Step()) == SQLITE_ROW) rows.push_back(ReadRow(*s));
    if (rc != SQLITE_DONE) {
      auto error = db.LastError("read sentitems");
      s->Reset();
      return fail(error);
    }
    s->Reset();
  }
  std::map<std::int64_t, Row> rechecked;
  for (const auto& [rowid, watched] : watch_) {
    auto stmt = db.Prepare(std::string(gammu::sql::kSelectSentItemByRowid));
    if (!stmt.ok()) return fail(stmt.error());
    storage::Stmt* s = stmt.value();
    s->Bind(1, rowid);
    const int rc = s->Step();
    if (rc == SQLITE_ROW) {
      rechecked.emplace(rowid, ReadRow(*s));
    } else if (rc != SQLITE_DONE) {
      auto error = db.LastError("read sentitems");
      s->Reset();
      return fail(error);
    }
    s->Reset();
  }
  if (auto commit = db.Run("COMMIT"); !commit.ok()) return fail(commit.error());

  // Only now, with every read done, change what we remember.
  started_ = true;
  watermark_ = max_rowid.value();
  std::vector<adapters::StatusUpdate> updates;
  auto report = [&](const Row& row) {
    auto update = gammu::AggregateStatus({row.item}, 1);
    if (!update) return;  // a status we do not map: nothing to say
    update->provider_message_id = row.item.creator_id.substr(config_.creator_prefix.size());
    updates.push_back(std::move(*update));
  };
  for (auto& [rowid, row] : rechecked) {
    auto it = watch_.find(rowid);
    if (row.item.status != it->second.status) report(row);
    if (IsFinal(row.item.status)) {
      watch_.erase(it);
    } else {
      it->second.status = row.item.status;
    }
  }
  for (auto it = watch_.begin(); it != watch_.end();) {
    const bool vanished = !rechecked.contains(it->first);  // someone cleaned sentitems
    if (vanished || now - it->second.since > config_.status_watch) {
      it = watch_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& row : rows) {
    report(row);
    if (!IsFinal(row.item.status)) watch_[row.rowid] = Watched{row.item.status, now};
  }
  return updates;
}

}  // namespace satupintu::gammu_link
