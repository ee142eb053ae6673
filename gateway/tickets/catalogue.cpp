#include "tickets/catalogue.hpp"

#include <algorithm>

namespace satupintu::tickets {
namespace {

bool ValidId(std::string_view id) {
  return id.size() >= 2 && id.size() <= 24 && std::all_of(id.begin(), id.end(), [](char ch) {
           return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
         });
}

}  // namespace

core::Result<std::vector<Programme>> Programmes(storage::Db& db, bool include_retired) {
  auto q = db.Prepare(
      "SELECT id, name, short_name, active, sort FROM programme WHERE ?1 OR active"
      " ORDER BY sort, id");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, std::int64_t{include_retired ? 1 : 0});
  std::vector<Programme> out;
  auto rows = storage::ForEachRow(db, *q.value(), "programmes", [&](storage::Stmt& r) {
    out.push_back({r.ColumnText(0), r.ColumnText(1), r.ColumnText(2), r.ColumnInt(3) != 0,
                   static_cast<int>(r.ColumnInt(4))});
  });
  if (!rows.ok()) return rows.error();
  return out;
}

core::Status CheckReferrable(storage::Db& db, const std::vector<std::string>& ids) {
  auto q = db.Prepare("SELECT 1 FROM programme WHERE id = ? AND active");
  if (!q.ok()) return q.error();
  for (const auto& id : ids) {
    q.value()->Bind(1, id);
    const int rc = q.value()->Step();
    q.value()->Reset();
    if (rc == SQLITE_DONE) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "not a programme of the catalogue: " + (ValidId(id) ? id : "?"));
    }
    if (rc != SQLITE_ROW) return db.LastError("programme check");
  }
  return {};
}

core::Status SaveProgramme(storage::Db& db, const Programme& p) {
  if (!ValidId(p.id)) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "programme id: 2-24 of a-z, 0-9 and _");
  }
  if (p.name.empty() || p.short_name.empty() || p.short_name.size() > 24) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "programme: a name and a short name of at most 24 characters");
  }
  auto q = db.Prepare(
      "INSERT INTO programme (id, name, short_name, active, sort) VALUES (?, ?, ?, ?, ?)"
      " ON CONFLICT (id) DO UPDATE SET name = excluded.name, short_name = excluded.short_name,"
      " active = excluded.active, sort = excluded.sort");
  if (!q.ok()) return q.error();
  return q.value()
      ->Bind(1, p.id)
      .Bind(2, p.name)
      .Bind(3, p.short_name)
      .Bind(4, std::int64_t{p.active ? 1 : 0})
      .Bind(5, std::int64_t{p.sort})
      .Run();
}

}  // namespace satupintu::tickets
