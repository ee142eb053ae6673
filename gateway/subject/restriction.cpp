#include "subject/restriction.hpp"

#include "outbox/forget.hpp"
#include "subject/audit_row.hpp"
#include "subject/subject.hpp"

namespace satupintu::subject {
namespace {

using core::ErrorCode;
using core::MakeError;
using storage::Db;

constexpr std::size_t kMaxReason = 500;

}  // namespace

core::Result<bool> IsRestricted(Db& db, std::int64_t citizen_id) {
  // The person is the live citizen (an id merged into another resolves to it); a restriction
  // recorded under any id of that person counts.
  auto q = db.Prepare(
      "SELECT 1 FROM subject_restriction r JOIN citizen c ON c.id = r.citizen_id"
      " WHERE r.lifted_at_ms IS NULL AND COALESCE(c.merged_into, c.id) ="
      " (SELECT COALESCE(merged_into, id) FROM citizen WHERE id = ?) LIMIT 1");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, citizen_id);
  return storage::FirstRow(db, *q.value(), "restriction", [](storage::Stmt&) {});
}

core::Result<int> Restrict(Db& db, const Subject& subject, const Request& request,
                           const std::string& reason, std::int64_t now_ms) {
  if (auto s = CheckRequest(request); !s.ok()) return s.error();
  if (reason.size() > kMaxReason) {
    return MakeError(ErrorCode::kInvalidArgument, "reason: at most 500 bytes");
  }
  int added = 0;
  auto insert = db.Prepare(
      "INSERT INTO subject_restriction (citizen_id, restricted_at_ms, restricted_by, reason)"
      " VALUES (?, ?, ?, ?) ON CONFLICT (citizen_id) WHERE lifted_at_ms IS NULL DO NOTHING");
  if (!insert.ok()) return insert.error();
  for (const auto id : subject.citizen_ids) {
    auto s = insert.value()
                 ->Bind(1, id)
                 .Bind(2, now_ms)
                 .Bind(3, request.actor + " by " + request.by)
                 .Bind(4, reason)
                 .Run();
    if (!s.ok()) return s.error();
    added += static_cast<int>(db.Changes());
  }
  auto stopped = outbox::StopQueuedToIn(db, subject.addresses, "restricted", now_ms);
  if (!stopped.ok()) return stopped.error();
  const std::string outcome = subject.citizen_ids.empty() ? "not_found"
                              : added == 0                ? "already_restricted"
                                                          : "restricted";
  if (auto s = AppendAudit(db, request, "subject.restrict", subject.key.reference, outcome, now_ms);
      !s.ok()) {
    return s.error();
  }
  return added;
}

core::Result<int> Lift(Db& db, const Subject& subject, const Request& request,
                       std::int64_t now_ms) {
  if (auto s = CheckRequest(request); !s.ok()) return s.error();
  int lifted = 0;
  auto update = db.Prepare(
      "UPDATE subject_restriction SET lifted_at_ms = ?, lifted_by = ?"
      " WHERE citizen_id = ? AND lifted_at_ms IS NULL");
  if (!update.ok()) return update.error();
  for (const auto id : subject.citizen_ids) {
    auto s = update.value()
                 ->Bind(1, now_ms)
                 .Bind(2, request.actor + " by " + request.by)
                 .Bind(3, id)
                 .Run();
    if (!s.ok()) return s.error();
    lifted += static_cast<int>(db.Changes());
  }
  const std::string outcome = subject.citizen_ids.empty() ? "not_found"
                              : lifted == 0               ? "not_restricted"
                                                          : "lifted";
  if (auto s = AppendAudit(db, request, "subject.lift", subject.key.reference, outcome, now_ms);
      !s.ok()) {
    return s.error();
  }
  return lifted;
}

}  // namespace satupintu::subject
