#include "tickets/cases.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/redact.hpp"
#include "tickets/catalogue.hpp"
#include "tickets/sla.hpp"

namespace satupintu::tickets {
namespace {

using core::ErrorCode;
using core::MakeError;
using nlohmann::json;
using storage::Db;

constexpr const char* kCaseColumns =
    "id, code, type, status, citizen_id, category, village_code, created_at_ms, updated_at_ms,"
    " level, claimed_by, close_reason, priority, sla, channel";

Case ReadCase(const storage::Stmt& q) {
  Case c;
  c.id = q.ColumnInt(0);
  c.ticket.code = q.ColumnText(1);
  c.ticket.type = TypeFromName(q.ColumnText(2)).value_or(Type::kComplaint);
  c.ticket.status = q.ColumnText(3);
  c.ticket.citizen_id = q.ColumnInt(4);
  c.ticket.category = q.ColumnText(5);
  c.ticket.village_code = q.ColumnText(6);
  c.ticket.created_at_ms = q.ColumnInt(7);
  c.ticket.updated_at_ms = q.ColumnInt(8);
  c.view.status = StatusFromName(c.ticket.status).value_or(Status::kReceived);
  c.view.level = LevelFromName(q.ColumnText(9)).value_or(Level::kVillage);
  c.view.village_code = c.ticket.village_code;
  c.view.claimed_by = q.ColumnInt(10);
  c.close_reason = q.ColumnText(11);
  c.view.priority = PriorityFromName(q.ColumnText(12)).value_or(Priority::kNone);
  c.sla = q.ColumnText(13);
  c.ticket.channel = q.ColumnText(14);
  return c;
}

core::Status LoadReferrals(Db& db, Case& c) {
  auto q = db.Prepare("SELECT programme, status FROM referral WHERE ticket_id = ? ORDER BY rowid");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, c.id);
  auto rows = storage::ForEachRow(db, *q.value(), "referrals", [&](storage::Stmt& row) {
    c.view.referrals.push_back(
        {row.ColumnText(0),
         ReferralStatusFromName(row.ColumnText(1)).value_or(ReferralStatus::kPending)});
  });
  if (!rows.ok()) return rows.error();
  return {};
}

core::Error Unknown() { return MakeError(ErrorCode::kNotFound, "no such ticket"); }

std::string Detail(const Request& r, std::string_view note) {
  json d = json::object();
  if (r.reason.has_value()) d["reason"] = CloseReasonName(r.reason.value());
  if (!r.programmes.empty()) d["programmes"] = r.programmes;
  if (r.action == Action::kAnswer) {
    d["programme"] = r.programme;
    d["answer"] = ReferralStatusName(r.answer);
  }
  if (r.action == Action::kPrioritize) d["priority"] = PriorityName(r.priority);
  if (r.action == Action::kPlace) d["village_code"] = r.village_code;
  if (!note.empty()) d["note"] = note;
  return d.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

core::Result<Case> Get(Db& db, std::string_view code, const Actor& actor) {
  auto q = db.Prepare(std::string("SELECT ") + kCaseColumns + " FROM ticket WHERE code = ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, code);
  const int rc = q.value()->Step();
  std::optional<Case> found;
  if (rc == SQLITE_ROW) found = ReadCase(*q.value());
  q.value()->Reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db.LastError("get ticket");
  if (!found.has_value() || !InScope(actor, found.value().view.village_code)) return Unknown();
  if (auto s = LoadReferrals(db, found.value()); !s.ok()) return s.error();
  // A programme's officer sees only the tickets referred to their programme.
  if (!Sees(actor, found.value().view)) return Unknown();
  return std::move(found).value();
}

core::Result<Outcome> Act(Db& db, std::string_view code, const Request& request, const Actor& actor,
                          std::string_view note, std::int64_t now_ms) {
  auto got = Get(db, code, actor);
  if (!got.ok()) return got.error();
  Case& c = got.value();
  auto change = Decide(c.view, request, actor);
  if (!change.ok()) return change.error();
  if (request.action == Action::kRefer) {
    if (auto s = CheckReferrable(db, change.value().new_referrals); !s.ok()) return s.error();
  }
  const CaseView& after = change.value().after;
  Outcome out;
  out.from = c.view.status;

  // A new SLA stage restarts the clock (sla.hpp): the follow-up counts from now, the other
  // stages from receipt; resolved and closed tickets leave the SLA pass.
  const SlaStage stage_before = StageOf(c.view.status);
  const SlaStage stage_after = StageOf(after.status);
  const bool new_stage = stage_after != stage_before;
  const std::int64_t stage_at =
      stage_after == SlaStage::kFollowUp ? now_ms : c.ticket.created_at_ms;
  auto update = db.Prepare(
      "UPDATE ticket SET status = ?1, level = ?2, claimed_by = ?3, close_reason = ?4,"
      " updated_at_ms = ?5, priority = ?10, village_code = ?11,"
      " stage_at_ms = CASE WHEN ?7 THEN ?8 ELSE stage_at_ms END,"
      " sla = CASE WHEN ?7 THEN 'on_time' ELSE sla END,"
      " sla_check_ms = CASE WHEN ?7 THEN ?9 ELSE sla_check_ms END"
      " WHERE id = ?6");
  if (!update.ok()) return update.error();
  const std::string reason = after.status == Status::kClosed && request.reason.has_value()
                                 ? CloseReasonName(request.reason.value())
                                 : c.close_reason;
  update.value()
      ->Bind(1, std::string_view(StatusName(after.status)))
      .Bind(2, std::string_view(LevelName(after.level)))
      .Bind(3, after.claimed_by)
      .Bind(4, reason)
      .Bind(5, now_ms)
      .Bind(6, c.id)
      .Bind(7, std::int64_t{new_stage ? 1 : 0})
      .Bind(8, stage_at)
      .Bind(10, std::string_view(PriorityName(after.priority)))
      .Bind(11, after.village_code);
  if (stage_after == SlaStage::kNone) {
    update.value()->Bind(9, kSlaNeverCheck);
  } else {
    update.value()->BindNull(9);  // the next SLA pass computes it
  }
  if (auto s = update.value()->Run(); !s.ok()) {
    return s.error();
  }
  auto referral = db.Prepare(
      "INSERT INTO referral (ticket_id, programme, status, updated_at_ms) VALUES (?, ?, ?, ?)"
      " ON CONFLICT (ticket_id, programme) DO UPDATE SET status = excluded.status,"
      " updated_at_ms = excluded.updated_at_ms");
  if (!referral.ok()) return referral.error();
  for (const auto& r : after.referrals) {
    const auto before = std::find_if(c.view.referrals.begin(), c.view.referrals.end(),
                                     [&](const Referral& x) { return x.programme == r.programme; });
    if (before != c.view.referrals.end() && before->status == r.status) continue;
    if (auto s = referral.value()
                     ->Bind(1, c.id)
                     .Bind(2, r.programme)
                     .Bind(3, std::string_view(ReferralStatusName(r.status)))
                     .Bind(4, now_ms)
                     .Run();
        !s.ok()) {
      return s.error();
    }
  }
  if (auto s =
          AppendEvent(db, c.id, now_ms, actor.user_id, ActionName(request.action),
                      StatusName(c.view.status), StatusName(after.status), Detail(request, note));
      !s.ok()) {
    return s.error();
  }
  out.event_id = db.LastInsertId();
  c.view = after;
  c.ticket.status = StatusName(after.status);
  c.ticket.village_code = after.village_code;
  c.ticket.updated_at_ms = now_ms;
  c.close_reason = reason;
  out.after = std::move(c);
  return out;
}

core::Status AppendEvent(Db& db, std::int64_t ticket_id, std::int64_t at_ms, std::int64_t actor_id,
                         std::string_view action, std::string_view from_status,
                         std::string_view to_status, std::string_view detail) {
  auto q = db.Prepare(
      "INSERT INTO ticket_event (ticket_id, at_ms, actor_id, action, from_status, to_status,"
      " detail) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!q.ok()) return q.error();
  return q.value()
      ->Bind(1, ticket_id)
      .Bind(2, at_ms)
      .Bind(3, actor_id)
      .Bind(4, action)
      .Bind(5, from_status)
      .Bind(6, to_status)
      .Bind(7, detail)
      .Run();
}

core::Result<Particulars> ReadParticulars(Db& db, const Case& c) {
  auto q = db.Prepare(
      "SELECT name, nik_masked, kk_masked, birth_date, household, description,"
      " registry_snapshot FROM ticket WHERE id = ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, c.id);
  const int rc = q.value()->Step();
  Particulars p;
  if (rc == SQLITE_ROW) {
    const auto& r = *q.value();
    p.name = r.ColumnText(0);
    p.nik_masked = r.ColumnText(1);
    p.kk_masked = r.ColumnText(2);
    p.birth_date = r.ColumnText(3);
    p.household = static_cast<int>(r.ColumnInt(4));
    // Masked when read too: descriptions stored before masking at the door (issue 18).
    p.description = core::MaskPersonalNumbers(r.ColumnText(5));
    p.registry_snapshot = r.ColumnText(6);
  }
  q.value()->Reset();
  if (rc != SQLITE_ROW) return rc == SQLITE_DONE ? Unknown() : db.LastError("ticket particulars");
  return p;
}

core::Result<std::vector<Event>> History(Db& db, std::string_view code, const Actor& actor) {
  auto got = Get(db, code, actor);
  if (!got.ok()) return got.error();
  auto q = db.Prepare(
      "SELECT at_ms, actor_id, action, from_status, to_status, detail FROM ticket_event"
      " WHERE ticket_id = ? ORDER BY id");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, got.value().id);
  std::vector<Event> out;
  auto rows = storage::ForEachRow(db, *q.value(), "ticket history", [&](storage::Stmt& r) {
    out.push_back({r.ColumnInt(0), r.ColumnInt(1), r.ColumnText(2), r.ColumnText(3),
                   r.ColumnText(4), r.ColumnText(5)});
  });
  if (!rows.ok()) return rows.error();
  return out;
}

core::Result<std::vector<Case>> Queue(Db& db, const Actor& actor, const QueueFilter& filter) {
  std::vector<Case> out;
  if (actor.region.empty()) return out;
  // The region as a range of codes: "32.06" covers "32.06" and "32.06." up to "32.06/" ('/'
  // follows '.').
  // Every parameter is always bound (NULL or 0 when its filter is off), so one statement
  // shape serves every filter. Queues of open tickets walk ticket_open (migration 13), the
  // open tickets in id order with every column the filters test, so only the rows of the page
  // are read; the planner cannot see through the bound parameters (without it, it scanned the
  // whole table by id: 0.4-0.8 s for a village of a million-ticket store, docs/BENCHMARKS.md).
  const bool closed = filter.status.has_value() && filter.status.value() == Status::kClosed;
  const std::string sql =
      std::string("SELECT ") + kCaseColumns +
      (closed ? " FROM ticket WHERE status = 'closed'"
              : " FROM ticket INDEXED BY ticket_open WHERE status <> 'closed'") +
      " AND (village_code = ?1 OR (village_code > ?2 AND village_code < ?3))"
      " AND id > ?4"
      " AND (?5 IS NULL OR status = ?5)"
      " AND (?6 IS NULL OR level = ?6)"
      " AND (?7 = 0 OR claimed_by = ?7)"
      " AND (?8 = 0 OR claimed_by = 0)"
      " AND (?10 = 0 OR sla = 'breached')"
      " AND (?11 = 0 OR priority <> '')"
      " AND (?12 = '' OR category = ?12)"
      " AND (?13 = 0 OR length(village_code) < 13)"
      // A programme manager's queue: the tickets referred to their programme (Sees).
      " AND (?14 = '' OR EXISTS (SELECT 1 FROM referral r"
      "  WHERE r.ticket_id = ticket.id AND r.programme = ?14))"
      " ORDER BY id LIMIT ?9";
  auto q = db.Prepare(sql);
  if (!q.ok()) return q.error();
  auto* s = q.value();
  s->Bind(1, actor.region)
      .Bind(2, actor.region + ".")
      .Bind(3, actor.region + "/")
      .Bind(4, filter.after_id)
      .Bind(7, filter.mine ? actor.user_id : std::int64_t{0})
      .Bind(8, std::int64_t{filter.unclaimed ? 1 : 0})
      .Bind(9, static_cast<std::int64_t>(std::clamp(filter.limit, 1, 200)))
      .Bind(10, std::int64_t{filter.overdue ? 1 : 0})
      .Bind(11, std::int64_t{filter.priority_only ? 1 : 0})
      .Bind(12, filter.category)
      .Bind(13, std::int64_t{filter.unplaced ? 1 : 0});
  if (actor.role == Role::kProgrammeManager) {
    // Bound to no programme: nothing ("\x01" is no catalogue id).
    s->Bind(14, actor.programme.empty() ? std::string("\x01") : actor.programme);
  } else {
    s->Bind(14, std::string_view(""));
  }
  if (filter.status.has_value()) {
    s->Bind(5, std::string_view(StatusName(filter.status.value())));
  } else {
    s->BindNull(5);
  }
  if (filter.level.has_value()) {
    s->Bind(6, std::string_view(LevelName(filter.level.value())));
  } else {
    s->BindNull(6);
  }
  auto rows = storage::ForEachRow(db, *s, "ticket queue",
                                  [&](storage::Stmt& row) { out.push_back(ReadCase(row)); });
  if (!rows.ok()) return rows.error();
  for (auto& c : out) {
    if (auto st = LoadReferrals(db, c); !st.ok()) return st.error();
  }
  return out;
}

}  // namespace satupintu::tickets
