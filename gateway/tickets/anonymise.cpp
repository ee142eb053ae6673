#include "tickets/anonymise.hpp"

#include <string>

namespace satupintu::tickets {
namespace {

using storage::Db;

// Runs one statement of the anonymisation with the ticket id as ?1 (and now as ?2).
core::Status RunFor(Db& db, const std::string& sql, std::int64_t ticket_id, std::int64_t now_ms) {
  auto q = db.Prepare(sql);
  if (!q.ok()) return q.error();
  auto* stmt = q.value();
  stmt->Bind(1, ticket_id);
  if (sql.find("?2") != std::string::npos) stmt->Bind(2, now_ms);
  return stmt->Run();
}

// The registry snapshot keeps its date and whether the NIK was found: what a report could
// count. Status, desil, village and programmes describe the household and go.
constexpr const char* kTicket =
    "UPDATE ticket SET name = '', birth_date = '', nik_hash = '', nik_masked = '',"
    " kk_hash = '', kk_masked = '', household = 0, description = '', citizen_id = 0,"
    " registry_snapshot = CASE WHEN json_valid(registry_snapshot)"
    "   AND json_type(registry_snapshot, '$.snapshot_date') IS NOT NULL"
    "   THEN json_object('snapshot_date', json_extract(registry_snapshot, '$.snapshot_date'),"
    "     'found', json(CASE WHEN json_extract(registry_snapshot, '$.found') THEN 'true'"
    "                   ELSE 'false' END))"
    "   ELSE '{}' END,"
    " anonymised_at_ms = ?2"
    " WHERE id = ?1 AND anonymised_at_ms IS NULL";

// Only the note goes: migration 18's trigger refuses any other change of the history.
constexpr const char* kNotes =
    "UPDATE ticket_event SET detail = json_remove(detail, '$.note')"
    " WHERE ticket_id = ?1 AND json_valid(detail) AND json_type(detail, '$.note') IS NOT NULL";

constexpr const char* kMessages =
    "UPDATE ticket_message SET text = '', citizen_id = 0"
    " WHERE ticket_id = ?1 AND (text <> '' OR citizen_id <> 0)";

constexpr const char* kSurvey =
    "UPDATE survey_response SET comment = '' WHERE ticket_id = ?1 AND comment <> ''";

constexpr const char* kPendingSurvey = "DELETE FROM pending_survey WHERE ticket_id = ?1";

}  // namespace

core::Result<bool> IsAnonymised(Db& db, std::int64_t ticket_id) {
  auto q = db.Prepare("SELECT anonymised_at_ms IS NOT NULL FROM ticket WHERE id = ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, ticket_id);
  bool anonymised = false;
  auto found = storage::FirstRow(db, *q.value(), "ticket anonymised",
                                 [&](storage::Stmt& r) { anonymised = r.ColumnInt(0) != 0; });
  if (!found.ok()) return found.error();
  if (!found.value()) return core::MakeError(core::ErrorCode::kNotFound, "no such ticket");
  return anonymised;
}

core::Status Anonymise(Db& db, std::int64_t ticket_id, std::int64_t now_ms) {
  auto done = IsAnonymised(db, ticket_id);
  if (!done.ok()) return done.error();
  if (done.value()) return {};
  // The ticket first: the history's trigger lets a note go only on an anonymised ticket.
  for (const char* sql : {kTicket, kNotes, kMessages, kSurvey, kPendingSurvey}) {
    if (auto s = RunFor(db, sql, ticket_id, now_ms); !s.ok()) return s;
  }
  return {};
}

}  // namespace satupintu::tickets
