#include "storage/migrations.hpp"
#include "core/clock.hpp"

#include <chrono>
#include <string>

namespace satupintu::storage {
namespace {

using core::NowMs;

}  // namespace

core::Result<int> ApplyMigrations(Db& db, std::span<const Migration> migrations) {
  if (auto s = db.Exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms INTEGER NOT NULL)");
      !s.ok()) {
    return s.error();
  }
  auto current = db.QueryInt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!current.ok()) return current.error();
  int version = static_cast<int>(current.value());
  int known = 0;
  for (const auto& m : migrations) {
    if (m.version < known) {
      return core::MakeError(core::ErrorCode::kInternal, "migrations out of order: version " +
                                                             std::to_string(m.version) + " after " +
                                                             std::to_string(known));
    }
    known = m.version;
  }
  if (version > known) {
    return core::MakeError(core::ErrorCode::kInternal,
                           "database schema version " + std::to_string(version) +
                               " is newer than this binary knows (" + std::to_string(known) +
                               "); refusing to start");
  }
  // Each version: its pieces (consecutive entries with that version, from the libraries that
  // own the tables) in one transaction, recorded once.
  for (std::size_t i = 0; i < migrations.size();) {
    std::size_t end = i;
    while (end < migrations.size() && migrations[end].version == migrations[i].version) ++end;
    const auto pieces = migrations.subspan(i, end - i);
    i = end;
    const int v = pieces.front().version;
    if (v <= version) continue;
    std::string name;
    for (const auto& m : pieces) name += (name.empty() ? "" : ", ") + std::string(m.name);
    if (auto s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s.error();
    core::Status applied;
    for (const auto& m : pieces) {
      if (applied.ok()) applied = db.Exec(m.sql);
    }
    if (applied.ok()) {
      auto stmt = db.Prepare(
          "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)");
      if (!stmt.ok()) {
        applied = stmt.error();
      } else {
        applied = stmt.value()->Bind(1, std::int64_t{v}).Bind(2, name).Bind(3, NowMs()).Run();
      }
    }
    if (applied.ok()) applied = db.Exec("COMMIT");
    if (!applied.ok()) {
      (void)db.Exec("ROLLBACK");
      auto e = applied.error();
      e.message = "migration " + std::to_string(v) + " (" + name + ") failed: " + e.message;
      return e;
    }
    version = v;
  }
  return version;
}

}  // namespace satupintu::storage
