#include "tickets/sla.hpp"

#include <algorithm>
#include <string_view>

#include "tickets/cases.hpp"

namespace satupintu::tickets {
namespace {

SlaState StateFromName(std::string_view name) {
  if (name == "warning") return SlaState::kWarning;
  if (name == "breached") return SlaState::kBreached;
  return SlaState::kOnTime;
}

}  // namespace

SlaStage StageOf(Status status) {
  switch (status) {
    case Status::kReceived:
    case Status::kVerified:
      return SlaStage::kVerify;
    case Status::kForwarded:
    case Status::kReviewed:
      return SlaStage::kFollowUp;
    case Status::kReferred:
      return SlaStage::kComplete;
    case Status::kResolved:
    case Status::kClosed:
      return SlaStage::kNone;
  }
  return SlaStage::kNone;
}

const char* SlaStageName(SlaStage stage) {
  switch (stage) {
    case SlaStage::kVerify:
      return "verify";
    case SlaStage::kFollowUp:
      return "follow_up";
    case SlaStage::kComplete:
      return "complete";
    case SlaStage::kNone:
      return "none";
  }
  return "none";
}

const char* SlaStateName(SlaState state) {
  switch (state) {
    case SlaState::kOnTime:
      return "on_time";
    case SlaState::kWarning:
      return "warning";
    case SlaState::kBreached:
      return "breached";
  }
  return "on_time";
}

SlaClock Evaluate(Status status, std::int64_t stage_at_ms, std::int64_t now_ms,
                  const WorkCalendar& calendar, const SlaTargets& targets) {
  SlaClock c;
  c.stage = StageOf(status);
  if (c.stage == SlaStage::kNone) return c;
  const int days = c.stage == SlaStage::kVerify     ? targets.verify_days
                   : c.stage == SlaStage::kFollowUp ? targets.follow_up_days
                                                    : targets.complete_days;
  c.due_at_ms = calendar.DeadlineMs(stage_at_ms, days);
  const int warn_after = std::max(days - targets.warn_days, 0);
  c.warn_at_ms = warn_after == 0 ? stage_at_ms : calendar.DeadlineMs(stage_at_ms, warn_after);
  c.state = now_ms >= c.due_at_ms    ? SlaState::kBreached
            : now_ms >= c.warn_at_ms ? SlaState::kWarning
                                     : SlaState::kOnTime;
  return c;
}

core::Result<SlaPass> RunSlaPass(storage::Db& db, const WorkCalendar& calendar,
                                 const SlaTargets& targets, std::int64_t now_ms, int limit) {
  struct Row {
    std::int64_t id;
    std::string code;
    std::string status;
    std::string level;
    std::string village;
    std::int64_t stage_at;
    std::string sla;
  };
  std::vector<Row> rows;
  {
    auto q = db.Prepare(
        "SELECT id, code, status, level, village_code, stage_at_ms, sla FROM ticket"
        " WHERE (sla_check_ms IS NULL OR sla_check_ms <= ?1)"
        " AND status NOT IN ('resolved', 'closed') ORDER BY sla_check_ms LIMIT ?2");
    if (!q.ok()) return q.error();
    q.value()->Bind(1, now_ms).Bind(2, static_cast<std::int64_t>(std::max(limit, 1)));
    auto read = storage::ForEachRow(db, *q.value(), "sla tickets", [&](storage::Stmt& r) {
      rows.push_back({r.ColumnInt(0), r.ColumnText(1), r.ColumnText(2), r.ColumnText(3),
                      r.ColumnText(4), r.ColumnInt(5), r.ColumnText(6)});
    });
    if (!read.ok()) return read.error();
  }
  // sla_breaches counts breaches for the compliance reports (sla goes back to on_time when
  // the next stage starts).
  auto update = db.Prepare(
      "UPDATE ticket SET sla = ?1, sla_check_ms = ?2,"
      " sla_breaches = sla_breaches + (?1 = 'breached' AND sla <> 'breached') WHERE id = ?3");
  if (!update.ok()) return update.error();
  SlaPass pass;
  for (const auto& row : rows) {
    const Status status = StatusFromName(row.status).value_or(Status::kReceived);
    const SlaClock clock = Evaluate(status, row.stage_at, now_ms, calendar, targets);
    const SlaState before = StateFromName(row.sla);
    const bool newly = clock.state != before && clock.state != SlaState::kOnTime;
    const bool breached = clock.state == SlaState::kBreached;
    if (newly) {
      const std::string detail = std::string("{\"stage\":\"") + SlaStageName(clock.stage) +
                                 "\",\"due_at_ms\":" + std::to_string(clock.due_at_ms) + "}";
      if (auto s = AppendEvent(db, row.id, now_ms, 0, breached ? "sla_breach" : "sla_warning",
                               row.status, row.status, detail);
          !s.ok()) {
        return s.error();
      }
      ++(breached ? pass.breached : pass.warned);
      (breached ? pass.breached_codes : pass.warned_codes).push_back(row.code);
    }
    if (newly && breached) {
      if (row.level != LevelName(Level::kRegency)) {
        // The system escalates as a manager of the ticket's own village would.
        const Actor system{0, Role::kManager, row.village};
        Request escalate;
        escalate.action = Action::kEscalate;
        auto done = Act(db, row.code, escalate, system, "SLA", now_ms);
        if (!done.ok() && done.error().code != core::ErrorCode::kConflict) {
          return done.error();
        }
        if (done.ok()) ++pass.escalated;
      }
    }
    const std::int64_t next = clock.state == SlaState::kOnTime    ? clock.warn_at_ms
                              : clock.state == SlaState::kWarning ? clock.due_at_ms
                                                                  : kSlaNeverCheck;
    if (auto s = update.value()
                     ->Bind(1, std::string_view(SlaStateName(clock.state)))
                     .Bind(2, next)
                     .Bind(3, row.id)
                     .Run();
        !s.ok()) {
      return s.error();
    }
  }
  return pass;
}

}  // namespace satupintu::tickets
