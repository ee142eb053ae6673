#include "outbox/forget.hpp"
#include "subject/audit_row.hpp"
#include "subject/subject.hpp"
#include "tickets/anonymise.hpp"

namespace satupintu::subject {
namespace {

using core::ErrorCode;
using core::MakeError;
using storage::Db;

constexpr std::size_t kMaxLegalBasis = 500;

core::Status RunForId(Db& db, const std::string& sql, std::int64_t id) {
  auto q = db.Prepare(sql);
  if (!q.ok()) return q.error();
  return q.value()->Bind(1, id).Run();
}

// Whether the citizen still opened a ticket that is not the subject's (by NIK: a family phone).
core::Result<bool> HasOtherTickets(Db& db, std::int64_t citizen_id) {
  auto q = db.Prepare("SELECT 1 FROM ticket WHERE citizen_id = ? LIMIT 1");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, citizen_id);
  return storage::FirstRow(db, *q.value(), "other tickets", [](storage::Stmt&) {});
}

// Everything under one citizen, children first. Their ticket messages went with their tickets;
// what is left under their id (a thread on a ticket of someone else) goes too.
core::Status DeleteCitizen(Db& db, std::int64_t id) {
  for (const char* sql : {// Broadcast outcomes stay counted, without the person.
                          "UPDATE broadcast_recipient SET citizen_id = 0, address = '',"
                          " first_name = '', ticket_code = '', household = CASE WHEN household"
                          " LIKE 'phone:%' THEN 'phone:#' || id ELSE household END"
                          " WHERE citizen_id = ?1 OR address IN"
                          " (SELECT address FROM citizen_address WHERE citizen_id = ?1)",
                          "DELETE FROM address_channel WHERE address IN"
                          " (SELECT address FROM citizen_address WHERE citizen_id = ?)",
                          "DELETE FROM citizen_address WHERE citizen_id = ?",
                          "DELETE FROM conversation WHERE citizen_id = ?",
                          "DELETE FROM pending_survey WHERE citizen_id = ?",
                          "DELETE FROM ticket_message WHERE citizen_id = ?",
                          "DELETE FROM subject_restriction WHERE citizen_id = ?",

                          "UPDATE citizen SET merged_into = NULL WHERE merged_into = ?",
                          "DELETE FROM citizen WHERE id = ?"}) {
    if (auto s = RunForId(db, sql, id); !s.ok()) return s;
  }
  return {};
}

}  // namespace

core::Result<EraseReport> Erase(Db& db, const Subject& subject, const Request& request,
                                const EraseOptions& options, std::int64_t now_ms) {
  if (auto s = CheckRequest(request); !s.ok()) return s.error();
  if (options.force && options.legal_basis.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "an erasure with open tickets needs its legal basis");
  }
  if (options.legal_basis.size() > kMaxLegalBasis) {
    return MakeError(ErrorCode::kInvalidArgument, "legal basis: at most 500 bytes");
  }
  EraseReport report;
  report.open_tickets = subject.OpenTickets();
  if (subject.Empty()) {
    if (auto s =
            AppendAudit(db, request, "subject.erase", subject.key.reference, "not_found", now_ms);
        !s.ok()) {
      return s.error();
    }
    return report;
  }
  if (report.open_tickets > 0 && !options.force) {
    report.refused = true;
    if (auto s = AppendAudit(db, request, "subject.erase", subject.key.reference,
                             "refused:open_tickets", now_ms);
        !s.ok()) {
      return s.error();
    }
    return report;
  }
  for (const auto& t : subject.tickets) {
    if (auto s = tickets::Anonymise(db, t.id, now_ms); !s.ok()) return s.error();
    if (auto s = RunForId(db, "DELETE FROM ticket_message WHERE ticket_id = ?", t.id); !s.ok()) {
      return s.error();
    }
    ++report.tickets_anonymised;
  }
  // A citizen who also opened tickets of another NIK keeps their addresses and what was sent
  // there; the others go with everything under them.
  std::vector<std::int64_t> erased;
  std::vector<std::string> addresses;
  auto owned = db.Prepare("SELECT address FROM citizen_address WHERE citizen_id = ?");
  if (!owned.ok()) return owned.error();
  for (const auto id : subject.citizen_ids) {
    auto other = HasOtherTickets(db, id);
    if (!other.ok()) return other.error();
    if (other.value()) {
      ++report.citizens_kept;
      continue;
    }
    erased.push_back(id);
    owned.value()->Bind(1, id);
    auto read = storage::ForEachRow(db, *owned.value(), "addresses", [&](storage::Stmt& r) {
      addresses.push_back(r.ColumnText(0));
    });
    if (!read.ok()) return read.error();
  }
  auto forgotten = outbox::ForgetAddressesIn(db, addresses, now_ms);
  if (!forgotten.ok()) return forgotten.error();
  report.messages_forgotten = forgotten.value();
  for (const auto id : erased) {
    if (auto s = DeleteCitizen(db, id); !s.ok()) return s.error();
    ++report.citizens_deleted;
  }
  std::string outcome = "erased:tickets=" + std::to_string(report.tickets_anonymised) +
                        ",citizens=" + std::to_string(report.citizens_deleted);
  if (report.citizens_kept > 0) outcome += ",kept=" + std::to_string(report.citizens_kept);
  if (report.open_tickets > 0) outcome += ",forced";
  if (auto s = AppendAudit(db, request, "subject.erase", subject.key.reference, outcome, now_ms,
                           options.force ? options.legal_basis : "");
      !s.ok()) {
    return s.error();
  }
  return report;
}

}  // namespace satupintu::subject
