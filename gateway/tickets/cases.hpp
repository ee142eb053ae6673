#pragma once
// Tickets as SLRT cases in the store: the workflow (workflow.hpp) applied to a ticket row, its
// referrals and its append-only history, and the region-scoped queue. Functions run inside the
// caller's write job (or read job for the reads) on the Db& given. Every read and change is
// checked against the actor's region first: a ticket outside it is answered exactly like a
// code that does not exist.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "storage/sqlite.hpp"
#include "tickets/tickets.hpp"
#include "tickets/workflow.hpp"

namespace satupintu::tickets {

struct Case {
  std::int64_t id = 0;
  Ticket ticket;
  CaseView view;             // status, level, village, claim, priority, referrals
  std::string close_reason;  // "" unless closed
  std::string sla;           // on_time, warned, breached (sla.hpp)
};

// What a ticket holds about the person, read only when an officer opens the ticket (and the
// read is audited by the caller): never part of a queue.
struct Particulars {
  std::string name;
  std::string nik_masked;
  std::string kk_masked;
  std::string birth_date;
  int household = 0;
  std::string description;
  std::string registry_snapshot;  // JSON object (tickets.hpp NewTicket::registry_snapshot)
};

struct Event {
  std::int64_t at_ms = 0;
  std::int64_t actor_id = 0;  // 0: the citizen or the system
  std::string action;         // ActionName, or "open"
  std::string from_status;
  std::string to_status;
  std::string detail;  // JSON: reason, programmes, programme + answer, note
};

// The case with `code` as `actor` may see it; kNotFound when unknown or out of their region.
core::Result<Case> Get(storage::Db& db, std::string_view code, const Actor& actor);

// What an action did: the case before and after (for the citizen's notification).
struct Outcome {
  Status from = Status::kReceived;
  Case after;
  std::int64_t event_id = 0;  // the history row the action wrote (ticket_event.id)
};

// Applies `request` by `actor` (workflow::Decide), writes the ticket, its referrals and one
// history event with `note` (notes are stored for the office, never sent to the citizen).
// A rejected request changes nothing and writes nothing.
core::Result<Outcome> Act(storage::Db& db, std::string_view code, const Request& request,
                          const Actor& actor, std::string_view note, std::int64_t now_ms);

// Appends one row to a ticket's history (ticket_event; UPDATE and DELETE are refused by the
// schema). `actor_id` 0 is the citizen or the system; `detail` is a JSON object.
core::Status AppendEvent(storage::Db& db, std::int64_t ticket_id, std::int64_t at_ms,
                         std::int64_t actor_id, std::string_view action,
                         std::string_view from_status, std::string_view to_status,
                         std::string_view detail = "{}");

// The particulars of a case already fetched with Get (so in the actor's scope).
core::Result<Particulars> ReadParticulars(storage::Db& db, const Case& c);

// The ticket's history, oldest first (scope checked as Get).
core::Result<std::vector<Event>> History(storage::Db& db, std::string_view code,
                                         const Actor& actor);

struct QueueFilter {
  std::optional<Status> status;  // none: every status but closed
  std::optional<Level> level;    // whose queue: the village's, the kecamatan's, the regency's
  bool mine = false;             // claimed by the actor
  bool unclaimed = false;        // nobody's yet (a claimed ticket leaves the others' queues)
  bool overdue = false;          // breached its SLA target (sla.hpp)
  bool priority_only = false;    // fast track only
  bool unplaced = false;         // not yet at a village (IsVillageCode): waiting to be placed
  std::string category;          // "" any
  std::int64_t after_id = 0;     // paging: ids above this one
  int limit = 50;                // at most 200
};

// The actor's queue: tickets of their region (and only those), oldest first by id.
core::Result<std::vector<Case>> Queue(storage::Db& db, const Actor& actor,
                                      const QueueFilter& filter);

}  // namespace satupintu::tickets
