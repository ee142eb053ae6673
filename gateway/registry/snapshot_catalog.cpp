#include "registry/snapshot_catalog.hpp"

namespace satupintu::registry {
namespace {

constexpr char kSelect[] =
    "SELECT id, file, state, format, source_name, snapshot_date, key_fingerprint, rows, "
    "rejected, duplicates, started_at_ms, COALESCE(finished_at_ms, 0) FROM registry_snapshot ";

SnapshotEntry Read(storage::Stmt& st) {
  SnapshotEntry e;
  e.id = st.ColumnInt(0);
  e.file = st.ColumnText(1);
  e.state = st.ColumnText(2);
  e.format = st.ColumnText(3);
  e.source_name = st.ColumnText(4);
  e.snapshot_date = st.ColumnText(5);
  e.key_fingerprint = st.ColumnText(6);
  e.rows = st.ColumnInt(7);
  e.rejected = st.ColumnInt(8);
  e.duplicates = st.ColumnInt(9);
  e.started_at_ms = st.ColumnInt(10);
  e.finished_at_ms = st.ColumnInt(11);
  return e;
}

// Runs `body` in BEGIN IMMEDIATE ... COMMIT, rolling back on failure.
template <typename F>
core::Status InTransaction(storage::Db& db, F&& body) {
  if (auto s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  core::Status s = body();
  if (s.ok()) s = db.Exec("COMMIT");
  if (!s.ok()) (void)db.Exec("ROLLBACK");
  return s;
}

}  // namespace

core::Result<SnapshotEntry> BeginSnapshot(storage::Db& db, const std::string& format,
                                          const std::string& source_name,
                                          const std::string& snapshot_date,
                                          const std::string& key_fingerprint, std::int64_t now_ms) {
  SnapshotEntry e;
  auto s = InTransaction(db, [&]() -> core::Status {
    auto ins = db.Prepare(
        "INSERT INTO registry_snapshot (file, state, format, source_name, snapshot_date, "
        "key_fingerprint, started_at_ms) VALUES ('', 'building', ?, ?, ?, ?, ?)");
    if (!ins.ok()) return ins.error();
    if (auto r = ins.value()
                     ->Bind(1, format)
                     .Bind(2, source_name)
                     .Bind(3, snapshot_date)
                     .Bind(4, key_fingerprint)
                     .Bind(5, now_ms)
                     .Run();
        !r.ok()) {
      return r;
    }
    e.id = db.LastInsertId();
    e.file = "snapshot-" + std::to_string(e.id) + ".db";
    auto upd = db.Prepare("UPDATE registry_snapshot SET file = ? WHERE id = ?");
    if (!upd.ok()) return upd.error();
    return upd.value()->Bind(1, e.file).Bind(2, e.id).Run();
  });
  if (!s.ok()) return s.error();
  e.state = "building";
  e.format = format;
  e.source_name = source_name;
  e.snapshot_date = snapshot_date;
  e.key_fingerprint = key_fingerprint;
  e.started_at_ms = now_ms;
  return e;
}

core::Result<std::vector<std::string>> ActivateSnapshot(storage::Db& db, std::int64_t id,
                                                        std::int64_t rows, std::int64_t rejected,
                                                        std::int64_t duplicates,
                                                        std::int64_t now_ms) {
  std::vector<std::string> obsolete;
  auto s = InTransaction(db, [&]() -> core::Status {
    if (auto r = db.Exec("UPDATE registry_snapshot SET state = 'retired' WHERE state = 'current'");
        !r.ok()) {
      return r;
    }
    auto upd = db.Prepare(
        "UPDATE registry_snapshot SET state = 'current', rows = ?, rejected = ?, "
        "duplicates = ?, finished_at_ms = ? WHERE id = ? AND state = 'building'");
    if (!upd.ok()) return upd.error();
    if (auto r = upd.value()
                     ->Bind(1, rows)
                     .Bind(2, rejected)
                     .Bind(3, duplicates)
                     .Bind(4, now_ms)
                     .Bind(5, id)
                     .Run();
        !r.ok()) {
      return r;
    }
    if (db.Changes() != 1) {
      return core::MakeError(core::ErrorCode::kInternal,
                             "registry snapshot " + std::to_string(id) + " is not being built");
    }
    // Builds older than this one were abandoned (an import killed halfway).
    auto old = db.Prepare(
        "SELECT file FROM registry_snapshot WHERE state IN ('retired', 'failed') OR "
        "(state = 'building' AND id < ?)");
    if (!old.ok()) return old.error();
    old.value()->Bind(1, id);
    while (old.value()->Step() == SQLITE_ROW) obsolete.push_back(old.value()->ColumnText(0));
    old.value()->Reset();
    auto fail = db.Prepare(
        "UPDATE registry_snapshot SET state = 'failed' WHERE state = 'building' AND id < ?");
    if (!fail.ok()) return fail.error();
    return fail.value()->Bind(1, id).Run();
  });
  if (!s.ok()) return s.error();
  return obsolete;
}

core::Status FailSnapshot(storage::Db& db, std::int64_t id, std::int64_t now_ms) {
  return InTransaction(db, [&]() -> core::Status {
    auto upd = db.Prepare(
        "UPDATE registry_snapshot SET state = 'failed', finished_at_ms = ? WHERE id = ? AND "
        "state = 'building'");
    if (!upd.ok()) return upd.error();
    return upd.value()->Bind(1, now_ms).Bind(2, id).Run();
  });
}

core::Result<std::optional<SnapshotEntry>> CurrentSnapshot(storage::Db& db) {
  auto st = db.Prepare(std::string(kSelect) + "WHERE state = 'current'");
  if (!st.ok()) return st.error();
  std::optional<SnapshotEntry> out;
  const int rc = st.value()->Step();
  if (rc == SQLITE_ROW) out = Read(*st.value());
  st.value()->Reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db.LastError("reading registry_snapshot");
  return out;
}

core::Result<std::vector<SnapshotEntry>> ListSnapshots(storage::Db& db, int limit) {
  auto st = db.Prepare(std::string(kSelect) + "ORDER BY id DESC LIMIT ?");
  if (!st.ok()) return st.error();
  st.value()->Bind(1, std::int64_t{limit});
  std::vector<SnapshotEntry> out;
  while (st.value()->Step() == SQLITE_ROW) out.push_back(Read(*st.value()));
  st.value()->Reset();
  return out;
}

}  // namespace satupintu::registry
