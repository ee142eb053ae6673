#include "tickets/workflow.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>
#include <utility>

namespace satupintu::tickets {
namespace {

using core::ErrorCode;
using core::MakeError;

template <typename E, std::size_t N>
std::optional<E> FromName(const std::array<const char*, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (name == names[i]) return static_cast<E>(i);
  }
  return std::nullopt;
}

constexpr std::array<const char*, 7> kStatusNames = {
    "received", "verified", "forwarded", "reviewed", "referred", "resolved", "closed"};
constexpr std::array<const char*, 5> kCloseReasonNames = {"solved", "duplicate", "not_eligible",
                                                          "withdrawn", "unreachable"};
constexpr std::array<const char*, 4> kReferralStatusNames = {"pending", "accepted", "rejected",
                                                             "needs_info"};
constexpr std::array<const char*, 9> kRoleNames = {
    "admin",       "manager",     "front_office", "back_office",      "supervisor",
    "facilitator", "broadcaster", "viewer",       "programme_manager"};
constexpr std::array<const char*, 3> kLevelNames = {"village", "kecamatan", "regency"};
constexpr std::array<const char*, 13> kActionNames = {
    "claim",   "release", "verify",   "forward", "review",     "refer", "answer",
    "resolve", "close",   "escalate", "note",    "prioritize", "place"};
constexpr std::array<const char*, 5> kPriorityNames = {"", "pregnant", "elderly", "disability",
                                                       "violence"};

bool OneOf(Role role, std::initializer_list<Role> roles) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool OneOf(Status status, std::initializer_list<Status> statuses) {
  return std::find(statuses.begin(), statuses.end(), status) != statuses.end();
}

core::Error NotAllowed(Action action) {
  return MakeError(ErrorCode::kPermissionDenied,
                   std::string("your role may not ") + ActionName(action) + " tickets");
}

core::Error WrongState(Action action, Status status) {
  return MakeError(ErrorCode::kConflict, std::string("a ") + StatusName(status) +
                                             " ticket cannot be given '" + ActionName(action) +
                                             "'");
}

// The level a user's region works at: a village code, a kecamatan code, a regency or wider.
Level LevelOfRegion(std::string_view region) {
  const auto dots = std::count(region.begin(), region.end(), '.');
  if (dots >= 3) return Level::kVillage;
  if (dots == 2) return Level::kKecamatan;
  return Level::kRegency;
}

bool AllAnswered(const std::vector<Referral>& referrals) {
  return !referrals.empty() &&
         std::all_of(referrals.begin(), referrals.end(), [](const Referral& r) {
           return r.status == ReferralStatus::kAccepted || r.status == ReferralStatus::kRejected;
         });
}

}  // namespace

const char* StatusName(Status status) { return kStatusNames[static_cast<std::size_t>(status)]; }
std::optional<Status> StatusFromName(std::string_view name) {
  return FromName<Status>(kStatusNames, name);
}

std::string CitizenStatusKey(Status status) {
  // What a citizen can act on: received, being checked, with the social office, referred to
  // programmes, done. The internal hand-overs between the village, the kecamatan and the
  // secretariat are one "being handled" to them.
  switch (status) {
    case Status::kReceived:
      return "ticket.status.received";
    case Status::kVerified:
    case Status::kForwarded:
    case Status::kReviewed:
      return "ticket.status.in_progress";
    case Status::kReferred:
      return "ticket.status.referred";
    case Status::kResolved:
      return "ticket.status.resolved";
    case Status::kClosed:
      return "ticket.status.closed";
  }
  return "ticket.status.in_progress";
}

const char* CloseReasonName(CloseReason reason) {
  return kCloseReasonNames[static_cast<std::size_t>(reason)];
}
std::optional<CloseReason> CloseReasonFromName(std::string_view name) {
  return FromName<CloseReason>(kCloseReasonNames, name);
}

const char* ReferralStatusName(ReferralStatus status) {
  return kReferralStatusNames[static_cast<std::size_t>(status)];
}
std::optional<ReferralStatus> ReferralStatusFromName(std::string_view name) {
  return FromName<ReferralStatus>(kReferralStatusNames, name);
}

const char* RoleName(Role role) { return kRoleNames[static_cast<std::size_t>(role)]; }
std::optional<Role> RoleFromName(std::string_view name) { return FromName<Role>(kRoleNames, name); }

const char* LevelName(Level level) { return kLevelNames[static_cast<std::size_t>(level)]; }
std::optional<Level> LevelFromName(std::string_view name) {
  return FromName<Level>(kLevelNames, name);
}

const char* ActionName(Action action) { return kActionNames[static_cast<std::size_t>(action)]; }
std::optional<Action> ActionFromName(std::string_view name) {
  return FromName<Action>(kActionNames, name);
}

const char* PriorityName(Priority priority) {
  return kPriorityNames[static_cast<std::size_t>(priority)];
}
std::optional<Priority> PriorityFromName(std::string_view name) {
  return FromName<Priority>(kPriorityNames, name);
}

bool RegionContains(std::string_view region, std::string_view code) {
  if (region.empty()) return false;
  if (!code.starts_with(region)) return false;
  return code.size() == region.size() || code[region.size()] == '.';
}

bool IsPlaceCode(std::string_view code) {
  // "32.06.05" (kecamatan) or "32.06.05.2002" (village): digit groups of 2, 2, 2 and 4.
  const std::size_t n = code.size();
  if (n != 8 && n != 13) return false;
  for (std::size_t i = 0; i < n; ++i) {
    const bool dot = i == 2 || i == 5 || i == 8;
    if (dot ? code[i] != '.' : std::isdigit(static_cast<unsigned char>(code[i])) == 0) {
      return false;
    }
  }
  return true;
}

bool IsVillageCode(std::string_view code) { return code.size() == 13 && IsPlaceCode(code); }

bool InScope(const Actor& actor, std::string_view village_code) {
  return RegionContains(actor.region, village_code);
}

bool Sees(const Actor& actor, const CaseView& ticket) {
  if (!InScope(actor, ticket.village_code)) return false;
  if (actor.role != Role::kProgrammeManager) return true;
  return !actor.programme.empty() &&
         std::any_of(ticket.referrals.begin(), ticket.referrals.end(),
                     [&](const Referral& r) { return r.programme == actor.programme; });
}

core::Status MayReadReports(const Actor& actor) {
  if (actor.role == Role::kProgrammeManager) {
    return MakeError(ErrorCode::kPermissionDenied, "your role does not read the region's reports");
  }
  return {};
}

core::Result<Change> Decide(const CaseView& ticket, const Request& request, const Actor& actor) {
  if (!Sees(actor, ticket)) {
    return MakeError(ErrorCode::kNotFound, "no such ticket");
  }
  const Action action = request.action;
  const Role role = actor.role;
  const Status status = ticket.status;
  Change change;
  change.after = ticket;
  CaseView& after = change.after;
  // A programme's officer answers the referrals to their programme and does nothing else.
  if (role == Role::kProgrammeManager) {
    if (action != Action::kAnswer) return NotAllowed(action);
    if (request.programme != actor.programme) {
      return MakeError(ErrorCode::kPermissionDenied,
                       "you answer only the referrals to your own programme");
    }
  }
  // Secretariat roles act on the whole regency; the others at their own level.
  const bool secretariat = OneOf(role, {Role::kManager, Role::kFrontOffice, Role::kBackOffice});
  const bool open = status != Status::kClosed;

  switch (action) {
    case Action::kNote:
      if (OneOf(role, {Role::kBroadcaster, Role::kViewer})) return NotAllowed(action);
      return change;

    case Action::kPrioritize:
      if (OneOf(role, {Role::kBroadcaster, Role::kViewer})) return NotAllowed(action);
      if (!open) return WrongState(action, status);
      if (ticket.priority == request.priority) {
        return MakeError(ErrorCode::kConflict, "the ticket already has this priority");
      }
      after.priority = request.priority;
      return change;

    case Action::kClaim:
    case Action::kRelease: {
      if (!OneOf(role, {Role::kFacilitator, Role::kSupervisor, Role::kManager})) {
        return NotAllowed(action);
      }
      if (!open || status == Status::kResolved) return WrongState(action, status);
      if (action == Action::kClaim) {
        if (ticket.claimed_by == actor.user_id) return change;  // a repeated tap changes nothing
        if (ticket.claimed_by != 0 && role != Role::kManager) {
          return MakeError(ErrorCode::kConflict, "the ticket is claimed by someone else");
        }
        after.claimed_by = actor.user_id;
      } else {
        if (ticket.claimed_by != actor.user_id && role != Role::kManager) {
          return MakeError(ErrorCode::kConflict, "the ticket is not claimed by you");
        }
        after.claimed_by = 0;
      }
      return change;
    }

    case Action::kVerify:
      if (!OneOf(role, {Role::kFacilitator, Role::kSupervisor, Role::kManager})) {
        return NotAllowed(action);
      }
      if (status != Status::kReceived) return WrongState(action, status);
      if (role == Role::kFacilitator && ticket.claimed_by != actor.user_id) {
        return MakeError(ErrorCode::kConflict, "claim the ticket before verifying it");
      }
      after.status = Status::kVerified;
      return change;

    case Action::kForward:
      if (!OneOf(role, {Role::kSupervisor, Role::kManager})) return NotAllowed(action);
      if (status != Status::kVerified) return WrongState(action, status);
      after.status = Status::kForwarded;
      after.level = Level::kRegency;
      return change;

    case Action::kReview:
      if (!OneOf(role, {Role::kFrontOffice, Role::kManager})) return NotAllowed(action);
      if (status != Status::kForwarded) return WrongState(action, status);
      after.status = Status::kReviewed;
      return change;

    case Action::kRefer: {
      if (!OneOf(role, {Role::kBackOffice, Role::kManager})) return NotAllowed(action);
      // More programmes may be added while the ticket is referred (case management).
      if (!OneOf(status, {Status::kReviewed, Status::kReferred})) {
        return WrongState(action, status);
      }
      if (request.programmes.empty()) {
        return MakeError(ErrorCode::kInvalidArgument, "name at least one programme");
      }
      for (const auto& p : request.programmes) {
        if (p.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty programme");
        const bool known = std::any_of(after.referrals.begin(), after.referrals.end(),
                                       [&](const Referral& r) { return r.programme == p; });
        if (known) continue;
        after.referrals.push_back({p, ReferralStatus::kPending});
        change.new_referrals.push_back(p);
      }
      if (change.new_referrals.empty()) {
        return MakeError(ErrorCode::kConflict, "already referred to these programmes");
      }
      after.status = Status::kReferred;
      return change;
    }

    case Action::kAnswer: {
      if (!OneOf(role, {Role::kBackOffice, Role::kManager, Role::kProgrammeManager})) {
        return NotAllowed(action);
      }
      if (status != Status::kReferred) return WrongState(action, status);
      if (request.answer == ReferralStatus::kPending) {
        return MakeError(ErrorCode::kInvalidArgument, "answer accepted, rejected or needs_info");
      }
      auto it = std::find_if(after.referrals.begin(), after.referrals.end(),
                             [&](const Referral& r) { return r.programme == request.programme; });
      if (it == after.referrals.end()) {
        return MakeError(ErrorCode::kInvalidArgument, "not referred to this programme");
      }
      it->status = request.answer;
      return change;
    }

    case Action::kResolve:
      if (!OneOf(role, {Role::kBackOffice, Role::kManager})) return NotAllowed(action);
      if (status != Status::kReferred) return WrongState(action, status);
      if (!AllAnswered(ticket.referrals)) {
        return MakeError(ErrorCode::kConflict, "some referrals are not answered yet");
      }
      after.status = Status::kResolved;
      return change;

    case Action::kClose: {
      if (!request.reason.has_value()) {
        return MakeError(ErrorCode::kInvalidArgument, "a closing reason is required");
      }
      if (!open) return WrongState(action, status);
      const CloseReason reason = request.reason.value();
      // The village closes what it solved or what cannot go on (duplicate, withdrawn,
      // unreachable) before forwarding; "not eligible" is the secretariat's call.
      const bool village_stage = OneOf(status, {Status::kReceived, Status::kVerified});
      bool allowed = false;
      if (secretariat) {
        allowed = role != Role::kFrontOffice || status != Status::kReferred;
      } else if (OneOf(role, {Role::kFacilitator, Role::kSupervisor})) {
        if (ticket.claimed_by != 0 && ticket.claimed_by != actor.user_id) {
          return MakeError(ErrorCode::kConflict, "the ticket is claimed by someone else");
        }
        allowed = (village_stage && reason != CloseReason::kNotEligible) ||
                  status == Status::kResolved;  // the facilitator tells the outcome and closes
      }
      if (!allowed) {
        return OneOf(role, {Role::kFacilitator, Role::kSupervisor, Role::kFrontOffice})
                   ? WrongState(action, status)
                   : NotAllowed(action);
      }
      after.status = Status::kClosed;
      after.claimed_by = 0;
      return change;
    }

    case Action::kEscalate: {
      if (!OneOf(role, {Role::kFacilitator, Role::kSupervisor, Role::kManager})) {
        return NotAllowed(action);
      }
      if (!open || status == Status::kResolved) return WrongState(action, status);
      if (ticket.level == Level::kRegency) {
        return MakeError(ErrorCode::kConflict, "the ticket is already with the secretariat");
      }
      // One level at a time, by the level holding it: a facilitator from the village queue
      // to the kecamatan, a supervisor from the kecamatan queue to the secretariat.
      if (role != Role::kManager && LevelOfRegion(actor.region) != ticket.level) {
        return WrongState(action, status);
      }
      after.level = ticket.level == Level::kVillage ? Level::kKecamatan : Level::kRegency;
      after.claimed_by = 0;
      return change;
    }

    case Action::kPlace: {
      // A ticket opened without a village waits in the regency's queue until the secretariat
      // (or a kecamatan's supervisor, within it) gives it the village it belongs to; a wrongly
      // placed one is moved the same way. The new place lies within the officer's own region.
      if (!OneOf(role, {Role::kFrontOffice, Role::kManager, Role::kSupervisor})) {
        return NotAllowed(action);
      }
      if (!open) return WrongState(action, status);
      const std::string& to = request.village_code;
      if (!IsPlaceCode(to)) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "village_code: a village or kecamatan code like 32.06.05.2002");
      }
      if (!RegionContains(actor.region, to)) {
        return MakeError(ErrorCode::kPermissionDenied, "the new place must lie within your region");
      }
      if (to == ticket.village_code) {
        return MakeError(ErrorCode::kConflict, "the ticket is already placed there");
      }
      after.village_code = to;
      after.claimed_by = 0;  // a claim by the old village's facilitator no longer holds
      return change;
    }
  }
  return NotAllowed(action);
}

}  // namespace satupintu::tickets
