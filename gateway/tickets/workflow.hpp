#pragma once
// The SLRT case workflow as a pure function: who may do what to a ticket in which state.
// No I/O; the store applies what Decide returns and appends it to the ticket's history.
// Every rule here is enforced on the server, for the web page, the API and facilitators' SMS
// alike (docs/tickets.md has the state diagram and the citizen-facing labels).
//
//   received --verify--> verified --forward--> forwarded --review--> reviewed --refer--> referred
//      |                    |                                                            |
//      +--close (village)---+---------------------close (any reason)------------------+ resolve
//                                                                                       v
//                                                                   resolved --close--> closed

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace satupintu::tickets {

enum class Status : std::uint8_t {
  kReceived,   // opened by a citizen's dialog or a facilitator
  kVerified,   // the facilitator checked identity and facts
  kForwarded,  // the kecamatan supervisor sent it to the secretariat
  kReviewed,   // the front office checked it (and the registry)
  kReferred,   // the back office referred it to one or more programmes
  kResolved,   // every referral answered, or solved
  kClosed,     // with a CloseReason
};
const char* StatusName(Status status);  // "received", ...
std::optional<Status> StatusFromName(std::string_view name);
// The citizen-facing message key of a status ("ticket.status.received"): several internal
// states can share a citizen label.
std::string CitizenStatusKey(Status status);

enum class CloseReason : std::uint8_t {
  kSolved,  // solved at the village (or after the referrals)
  kDuplicate,
  kNotEligible,
  kWithdrawn,
  kUnreachable,
};
const char* CloseReasonName(CloseReason reason);
std::optional<CloseReason> CloseReasonFromName(std::string_view name);

enum class ReferralStatus : std::uint8_t { kPending, kAccepted, kRejected, kNeedsInfo };
const char* ReferralStatusName(ReferralStatus status);
std::optional<ReferralStatus> ReferralStatusFromName(std::string_view name);

enum class Role : std::uint8_t {
  kAdmin,        // users, catalogue, configuration; reads the whole region
  kManager,      // everything in the region
  kFrontOffice,  // reviews forwarded tickets
  kBackOffice,   // refers, records the programmes' answers, resolves
  kSupervisor,   // kecamatan: forwards, closes what the village solved
  kFacilitator,  // village: claims, verifies, closes what the village solved
  kBroadcaster,  // status broadcasts only
  kViewer,       // reads only
  // A programme's officer (PKH, PBI-JK, ...): sees the tickets referred to their programme
  // within their region and answers those referrals (accepted / rejected / needs_info), nothing
  // else. Bound to one programme of the catalogue (Actor::programme).
  kProgrammeManager,
};
const char* RoleName(Role role);
std::optional<Role> RoleFromName(std::string_view name);

// Whose queue a ticket is in: its village's, its kecamatan's (escalated), the regency's.
enum class Level : std::uint8_t { kVillage, kKecamatan, kRegency };
const char* LevelName(Level level);
std::optional<Level> LevelFromName(std::string_view name);

// Fast track (DOMAIN.md): set at opening from what the citizen told (category, age) and by
// any office user afterwards; shown first in queues.
enum class Priority : std::uint8_t { kNone, kPregnant, kElderly, kDisability, kViolence };
const char* PriorityName(Priority priority);  // "" for kNone, "pregnant", ...
std::optional<Priority> PriorityFromName(std::string_view name);

struct Actor {
  std::int64_t user_id = 0;
  Role role = Role::kViewer;
  std::string region;          // dotted code the user is bound to: village, kecamatan or regency
  std::string programme = {};  // kProgrammeManager: the catalogue id they answer for ("pkh")
};

// A dotted region code contains another when equal or an ancestor: "32.06" contains
// "32.06.05.2002"; "32.06.0" does not contain "32.06.05".
bool RegionContains(std::string_view region, std::string_view code);
// A code a ticket can be placed at: a kecamatan ("32.06.05") or a village ("32.06.05.2002").
bool IsPlaceCode(std::string_view code);
// A ticket's region is a village: anything shorter (a kecamatan, or the regency a ticket
// without a village waits in) is "unplaced" in the queues.
bool IsVillageCode(std::string_view code);
// Whether `actor` may see a ticket of `village_code` at all (lists, reads, exports, actions).
bool InScope(const Actor& actor, std::string_view village_code);

struct Referral {
  std::string programme;  // catalogue id ("pkh")
  ReferralStatus status = ReferralStatus::kPending;
};

// What the workflow needs to know of a ticket.
struct CaseView {
  Status status = Status::kReceived;
  Level level = Level::kVillage;
  std::string village_code;
  std::int64_t claimed_by = 0;  // user id, 0 unclaimed
  Priority priority = Priority::kNone;
  std::vector<Referral> referrals;
};

// Whether `actor` may see this ticket: InScope, and for a programme manager a referral of the
// ticket to their programme (a PKH manager never sees a ticket referred to PBI-JK only).
bool Sees(const Actor& actor, const CaseView& ticket);

// The region's reports count every ticket of the region: not for a programme manager, who sees
// only their programme's referrals (kPermissionDenied).
core::Status MayReadReports(const Actor& actor);

enum class Action : std::uint8_t {
  kClaim,    // a facilitator takes it: it leaves the other facilitators' queues
  kRelease,  // gives a claim back
  kVerify,
  kForward,
  kReview,
  kRefer,   // programmes: one referral each (new ones only)
  kAnswer,  // a programme's answer to its referral
  kResolve,
  kClose,       // with a reason
  kEscalate,    // one level up (also done by the SLA clock, Actor role kManager)
  kNote,        // a note; changes nothing else
  kPrioritize,  // sets or clears the fast track
  kPlace,       // gives the ticket the village (or kecamatan) it belongs to
};
const char* ActionName(Action action);
std::optional<Action> ActionFromName(std::string_view name);

struct Request {
  Action action = Action::kNote;
  std::vector<std::string> programmes;               // kRefer
  std::string programme;                             // kAnswer
  ReferralStatus answer = ReferralStatus::kPending;  // kAnswer
  std::optional<CloseReason> reason;                 // kClose
  Priority priority = Priority::kNone;               // kPrioritize
  std::string village_code = {};                     // kPlace: a village or kecamatan code
};

// The change to apply: the ticket's new status, level, claim and referrals. Errors:
// kNotFound out of the actor's region (the very answer an unknown code gets, so codes cannot
// be probed), kPermissionDenied (the role may not), kConflict (not in this state, or claimed
// by someone else), kInvalidArgument (a missing programme or reason).
struct Change {
  CaseView after;
  std::vector<std::string> new_referrals;
};
core::Result<Change> Decide(const CaseView& ticket, const Request& request, const Actor& actor);

}  // namespace satupintu::tickets
