#include "tickets/tickets.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>

#include "core/redact.hpp"
#include "tickets/cases.hpp"
#include "tickets/workflow.hpp"

namespace satupintu::tickets {
namespace {

using storage::Db;

constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

Ticket ReadRow(const storage::Stmt& q) {
  Ticket t;
  t.code = q.ColumnText(0);
  t.type = TypeFromName(q.ColumnText(1)).value_or(Type::kComplaint);
  t.status = q.ColumnText(2);
  t.citizen_id = q.ColumnInt(3);
  t.category = q.ColumnText(4);
  t.village_code = q.ColumnText(5);
  t.created_at_ms = q.ColumnInt(6);
  t.updated_at_ms = q.ColumnInt(7);
  t.channel = q.ColumnText(8);
  return t;
}

constexpr const char* kColumns =
    "code, type, status, citizen_id, category, village_code, created_at_ms, updated_at_ms,"
    " channel";

}  // namespace

const char* TypeName(Type type) {
  switch (type) {
    case Type::kComplaint:
      return "complaint";
    case Type::kRegistration:
      return "registration";
    case Type::kHuman:
      return "human";
  }
  return "complaint";
}

std::optional<Type> TypeFromName(std::string_view name) {
  for (Type t : {Type::kComplaint, Type::kRegistration, Type::kHuman}) {
    if (name == TypeName(t)) return t;
  }
  return std::nullopt;
}

const char* CodePrefix(Type type) {
  switch (type) {
    case Type::kComplaint:
      return "ADU";
    case Type::kRegistration:
      return "USL";
    case Type::kHuman:
      return "PTG";
  }
  return "ADU";
}

const std::vector<std::string>& Statuses() {
  static const std::vector<std::string> statuses = [] {
    std::vector<std::string> out;
    for (int i = 0; i <= static_cast<int>(Status::kClosed); ++i) {
      out.emplace_back(StatusName(static_cast<Status>(i)));
    }
    return out;
  }();
  return statuses;
}

std::string PriorityAtOpening(std::string_view category, std::string_view birth_date,
                              std::string_view today) {
  if (category == "disabilitas") return "disability";
  if (category == "lansia") return "elderly";
  // ISO dates compare as text: born on or before today 60 years ago.
  if (birth_date.size() == 10 && today.size() == 10) {
    const int year = std::atoi(std::string(today.substr(0, 4)).c_str()) - 60;
    if (year > 0) {
      const std::string cutoff = std::to_string(year) + std::string(today.substr(4));
      if (std::string(birth_date) <= cutoff) return "elderly";
    }
  }
  return "";
}

std::string RandomCodeSuffix() {
  unsigned char bytes[6];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return {};
  std::string out;
  for (unsigned char b : bytes) out += kCrockford[b & 31U];
  return out;
}

core::Result<std::int64_t> PlaceOrphans(Db& db, std::string_view region) {
  if (region.empty()) return std::int64_t{0};
  auto q = db.Prepare("UPDATE ticket SET village_code = ?1 WHERE village_code IN ('', ?2)");
  if (!q.ok()) return q.error();
  if (auto s = q.value()->Bind(1, region).Bind(2, std::string_view(kHoldingRegion)).Run();
      !s.ok()) {
    return s.error();
  }
  return db.Changes();
}

core::Result<std::string> Open(Db& db, const NewTicket& t, std::int64_t now_ms,
                               const std::function<std::string()>& suffix) {
  if (t.village_code.empty()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "a ticket needs a region someone answers for (village, kecamatan or "
                           "regency code)");
  }
  auto insert = db.Prepare(
      "INSERT INTO ticket (code, type, citizen_id, channel, category, nik_hash, nik_masked,"
      " kk_hash, kk_masked, name, birth_date, village_code, household, description,"
      " created_at_ms, updated_at_ms, stage_at_ms, status, priority, registry_snapshot)"
      " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?15,?16,?15, 'received', ?17, ?18)"
      " ON CONFLICT (code) DO NOTHING");
  if (!insert.ok()) return insert.error();
  for (int attempt = 0; attempt < 8; ++attempt) {
    const std::string tail = suffix ? suffix() : RandomCodeSuffix();
    if (tail.size() != 6) {
      return core::MakeError(core::ErrorCode::kInternal, "no random ticket code");
    }
    const std::string code = std::string(CodePrefix(t.type)) + "-" + tail;
    auto* q = insert.value();
    q->Bind(1, code)
        .Bind(2, std::string_view(TypeName(t.type)))
        .Bind(3, t.citizen_id)
        .Bind(4, t.channel)
        .Bind(5, t.category)
        .Bind(6, t.nik_hash)
        .Bind(7, t.nik_masked)
        .Bind(8, t.kk_hash)
        .Bind(9, t.kk_masked)
        .Bind(10, t.name)
        .Bind(11, t.birth_date)
        .Bind(12, t.village_code)
        .Bind(13, static_cast<std::int64_t>(t.household))
        .Bind(14, core::MaskPersonalNumbers(t.description))
        .Bind(15, now_ms)
        .Bind(16, now_ms)
        .Bind(17, t.priority)
        .Bind(18, t.registry_snapshot ? EncodeRegistrySnapshot(*t.registry_snapshot)
                                      : std::string("{}"));
    if (auto s = q->Run(); !s.ok()) return s.error();
    if (db.Changes() == 1) {
      if (auto s = AppendEvent(db, db.LastInsertId(), now_ms, 0, "open", "", "received"); !s.ok()) {
        return s.error();
      }
      return code;
    }
  }
  return core::MakeError(core::ErrorCode::kInternal, "no free ticket code after 8 tries");
}

core::Result<std::optional<Ticket>> Find(Db& db, std::string_view code) {
  auto q = db.Prepare(std::string("SELECT ") + kColumns + " FROM ticket WHERE code = ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, code);
  std::optional<Ticket> out;
  const int rc = q.value()->Step();
  if (rc == SQLITE_ROW) out = ReadRow(*q.value());
  q.value()->Reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db.LastError("find ticket");
  return out;
}

core::Result<std::vector<Ticket>> OfCitizen(Db& db, std::int64_t citizen_id, int limit) {
  auto q = db.Prepare(std::string("SELECT ") + kColumns +
                      " FROM ticket WHERE citizen_id = ? ORDER BY created_at_ms DESC, id DESC"
                      " LIMIT ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, citizen_id).Bind(2, static_cast<std::int64_t>(limit));
  std::vector<Ticket> out;
  auto rows = storage::ForEachRow(db, *q.value(), "tickets of citizen",
                                  [&](storage::Stmt& row) { out.push_back(ReadRow(row)); });
  if (!rows.ok()) return rows.error();
  return out;
}

core::Status SetStatus(Db& db, std::string_view code, std::string_view status,
                       std::int64_t now_ms) {
  const auto& all = Statuses();
  if (std::find(all.begin(), all.end(), status) == all.end()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "unknown ticket status");
  }
  auto before = db.Prepare("SELECT id, status FROM ticket WHERE code = ?");
  if (!before.ok()) return before.error();
  before.value()->Bind(1, code);
  const int rc = before.value()->Step();
  const std::int64_t id = rc == SQLITE_ROW ? before.value()->ColumnInt(0) : 0;
  const std::string from = rc == SQLITE_ROW ? before.value()->ColumnText(1) : "";
  before.value()->Reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db.LastError("ticket status");
  if (id == 0) return core::MakeError(core::ErrorCode::kNotFound, "no such ticket");
  auto q = db.Prepare("UPDATE ticket SET status = ?, updated_at_ms = ? WHERE id = ?");
  if (!q.ok()) return q.error();
  if (auto s = q.value()->Bind(1, status).Bind(2, now_ms).Bind(3, id).Run(); !s.ok()) return s;
  return AppendEvent(db, id, now_ms, 0, "set_status", from, status);
}

core::Status SaveSurvey(Db& db, std::string_view code, int rating, std::string_view comment,
                        std::int64_t now_ms) {
  if (rating < 1 || rating > 5) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "rating must be 1-5");
  }
  auto q = db.Prepare(
      "INSERT INTO survey_response (ticket_id, rating, comment, answered_at_ms)"
      " SELECT id, ?, ?, ? FROM ticket WHERE code = ?"
      " ON CONFLICT (ticket_id) DO UPDATE SET rating = excluded.rating,"
      " comment = excluded.comment, answered_at_ms = excluded.answered_at_ms");
  if (!q.ok()) return q.error();
  if (auto s = q.value()
                   ->Bind(1, static_cast<std::int64_t>(rating))
                   .Bind(2, comment)
                   .Bind(3, now_ms)
                   .Bind(4, code)
                   .Run();
      !s.ok()) {
    return s;
  }
  if (db.Changes() == 0) return core::MakeError(core::ErrorCode::kNotFound, "no such ticket");
  return {};
}

}  // namespace satupintu::tickets
