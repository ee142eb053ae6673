#pragma once
// The SLA clock of SP4N-LAPOR! on SLRT tickets, in working days (calendar.hpp): verify and
// forward within 3 of receipt; the secretariat formulates the follow-up (the referral) within
// 5 of the forwarding; complete within 60 of receipt. A warning comes a set number of working
// days before a deadline; at the deadline the ticket is escalated one level up (village ->
// kecamatan -> secretariat) and stays in the overdue queue until its stage changes.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/sqlite.hpp"
#include "tickets/calendar.hpp"
#include "tickets/workflow.hpp"

namespace satupintu::tickets {

// ticket.sla_check_ms of a ticket the SLA pass need not look at again (breached, or resolved
// and closed) until its stage changes.
inline constexpr std::int64_t kSlaNeverCheck = std::numeric_limits<std::int64_t>::max();

struct SlaTargets {
  int verify_days = 3;     // receipt -> forwarded (or closed at the village)
  int follow_up_days = 5;  // forwarded -> referred
  int complete_days = 60;  // receipt -> resolved or closed
  int warn_days = 1;       // the warning, this many working days before a deadline
};

enum class SlaStage : std::uint8_t { kVerify, kFollowUp, kComplete, kNone };
// The stage a status is timed in; kNone for resolved and closed.
SlaStage StageOf(Status status);
const char* SlaStageName(SlaStage stage);

enum class SlaState : std::uint8_t { kOnTime, kWarning, kBreached };
const char* SlaStateName(SlaState state);

struct SlaClock {
  SlaStage stage = SlaStage::kNone;
  std::int64_t warn_at_ms = 0;
  std::int64_t due_at_ms = 0;
  SlaState state = SlaState::kOnTime;
};

// Pure: where a ticket in `status` stands at `now_ms`. `stage_at_ms` is when its present
// stage began (receipt for verify and complete, the forwarding for follow-up).
SlaClock Evaluate(Status status, std::int64_t stage_at_ms, std::int64_t now_ms,
                  const WorkCalendar& calendar, const SlaTargets& targets);

struct SlaPass {
  int warned = 0;
  int breached = 0;
  int escalated = 0;
  std::vector<std::string> warned_codes;  // for the staff's notices
  std::vector<std::string> breached_codes;
};

// One pass over at most `limit` tickets whose clock is due (or not yet computed): records
// warnings and breaches in the ticket and its history, escalates breached tickets one level
// (as the system, actor 0), and sets when to look again. Runs inside the caller's write job.
core::Result<SlaPass> RunSlaPass(storage::Db& db, const WorkCalendar& calendar,
                                 const SlaTargets& targets, std::int64_t now_ms, int limit);

}  // namespace satupintu::tickets
