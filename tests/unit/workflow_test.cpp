// The SLRT case workflow (gateway/tickets/workflow): every action by every role, in and out of
// the actor's region, in every state; the whole path from received to closed; referrals.

#include "tickets/workflow.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace satupintu::tickets {
namespace {

constexpr char kVillageA[] = "32.06.05.2002";  // Cilumba, Kec. Cikatomas
constexpr char kVillageB[] = "32.06.05.2003";  // Pakemitan, same kecamatan
constexpr char kOtherKec[] = "32.06.36.2001";  // Kec. Ciawi

Actor Facilitator(std::int64_t id = 11, std::string region = kVillageA) {
  return {id, Role::kFacilitator, std::move(region)};
}
Actor Supervisor() { return {21, Role::kSupervisor, "32.06.05"}; }
Actor FrontOffice() { return {31, Role::kFrontOffice, "32.06"}; }
Actor BackOffice() { return {41, Role::kBackOffice, "32.06"}; }
Actor Manager() { return {51, Role::kManager, "32.06"}; }

CaseView Received(std::string village = kVillageA) {
  CaseView c;
  c.village_code = std::move(village);
  return c;
}

Request Do(Action action) { return Request{action, {}, {}, ReferralStatus::kPending, {}}; }
Request Close(CloseReason reason) {
  Request r = Do(Action::kClose);
  r.reason = reason;
  return r;
}
Request Refer(std::vector<std::string> programmes) {
  Request r = Do(Action::kRefer);
  r.programmes = std::move(programmes);
  return r;
}
Request Answer(std::string programme, ReferralStatus answer) {
  Request r = Do(Action::kAnswer);
  r.programme = std::move(programme);
  r.answer = answer;
  return r;
}

// Applies a request that must succeed.
CaseView Apply(const CaseView& c, const Request& r, const Actor& a) {
  auto change = Decide(c, r, a);
  EXPECT_TRUE(change.ok()) << ActionName(r.action) << " by " << RoleName(a.role) << ": "
                           << (change.ok() ? "" : change.error().message);
  return change.ok() ? change.value().after : c;
}

core::ErrorCode Refused(const CaseView& c, const Request& r, const Actor& a) {
  auto change = Decide(c, r, a);
  EXPECT_FALSE(change.ok()) << ActionName(r.action) << " by " << RoleName(a.role)
                            << " was allowed in " << StatusName(c.status);
  return change.ok() ? core::ErrorCode::kInternal : change.error().code;
}

TEST(Workflow, RegionContainsOnlyDescendantsOnDotBoundaries) {
  EXPECT_TRUE(RegionContains("32.06", "32.06.05.2002"));
  EXPECT_TRUE(RegionContains("32.06.05", "32.06.05.2002"));
  EXPECT_TRUE(RegionContains("32.06.05.2002", "32.06.05.2002"));
  EXPECT_FALSE(RegionContains("32.06.05.2002", "32.06.05.2003"));
  EXPECT_FALSE(RegionContains("32.06.0", "32.06.05.2002")) << "not a prefix of a code part";
  EXPECT_FALSE(RegionContains("32.0", "32.06"));
  EXPECT_FALSE(RegionContains("", "32.06.05.2002")) << "a user without a region sees nothing";
  EXPECT_FALSE(RegionContains("32.06", ""));
}

TEST(Workflow, TheWholePathFromReceivedToClosed) {
  CaseView c = Received();
  c = Apply(c, Do(Action::kClaim), Facilitator());
  EXPECT_EQ(c.claimed_by, 11);
  c = Apply(c, Do(Action::kVerify), Facilitator());
  EXPECT_EQ(c.status, Status::kVerified);
  c = Apply(c, Do(Action::kForward), Supervisor());
  EXPECT_EQ(c.status, Status::kForwarded);
  EXPECT_EQ(c.level, Level::kRegency) << "forwarded: the secretariat's queue";
  c = Apply(c, Do(Action::kReview), FrontOffice());
  EXPECT_EQ(c.status, Status::kReviewed);

  auto referred = Decide(c, Refer({"pkh", "pbi_jk"}), BackOffice());
  ASSERT_TRUE(referred.ok());
  EXPECT_EQ(referred.value().new_referrals, (std::vector<std::string>{"pkh", "pbi_jk"}));
  c = referred.value().after;
  EXPECT_EQ(c.status, Status::kReferred);
  ASSERT_EQ(c.referrals.size(), 2u);

  EXPECT_EQ(Refused(c, Do(Action::kResolve), BackOffice()), core::ErrorCode::kConflict)
      << "not before every referral is answered";
  c = Apply(c, Answer("pkh", ReferralStatus::kNeedsInfo), BackOffice());
  EXPECT_EQ(Refused(c, Do(Action::kResolve), BackOffice()), core::ErrorCode::kConflict)
      << "needs_info is not an answer that ends a referral";
  c = Apply(c, Answer("pkh", ReferralStatus::kAccepted), BackOffice());
  c = Apply(c, Answer("pbi_jk", ReferralStatus::kRejected), BackOffice());
  c = Apply(c, Do(Action::kResolve), BackOffice());
  EXPECT_EQ(c.status, Status::kResolved);

  // The facilitator tells the citizen the outcome and closes it.
  c = Apply(c, Close(CloseReason::kSolved), Facilitator());
  EXPECT_EQ(c.status, Status::kClosed);
  EXPECT_EQ(Refused(c, Close(CloseReason::kSolved), Manager()), core::ErrorCode::kConflict);
  EXPECT_EQ(Refused(c, Do(Action::kClaim), Facilitator()), core::ErrorCode::kConflict);
}

TEST(Workflow, OutsideTheRegionEveryActionLooksLikeAnUnknownTicket) {
  const CaseView b = Received(kVillageB);
  const CaseView elsewhere = Received(kOtherKec);
  for (int a = 0; a <= static_cast<int>(Action::kNote); ++a) {
    const Request r = Do(static_cast<Action>(a));
    EXPECT_EQ(Refused(b, r, Facilitator()), core::ErrorCode::kNotFound) << ActionName(r.action);
    EXPECT_EQ(Refused(elsewhere, r, Supervisor()), core::ErrorCode::kNotFound);
    EXPECT_EQ(Refused(b, r, {99, Role::kManager, "32.07"}), core::ErrorCode::kNotFound);
    EXPECT_EQ(Refused(b, r, {99, Role::kManager, ""}), core::ErrorCode::kNotFound);
  }
  // Same message as for a code that does not exist.
  auto refused = Decide(b, Do(Action::kNote), Facilitator());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "no such ticket");
}

TEST(Workflow, EachRoleDoesOnlyItsPart) {
  const Actor viewer{61, Role::kViewer, "32.06"};
  const Actor broadcaster{71, Role::kBroadcaster, "32.06"};
  const Actor admin{81, Role::kAdmin, "32.06"};
  CaseView c = Received();
  for (const Actor& a : {viewer, broadcaster, admin}) {
    for (Action x : {Action::kClaim, Action::kVerify, Action::kForward, Action::kReview,
                     Action::kRefer, Action::kResolve, Action::kEscalate}) {
      EXPECT_EQ(Refused(c, Do(x), a), core::ErrorCode::kPermissionDenied)
          << RoleName(a.role) << " " << ActionName(x);
    }
  }
  EXPECT_EQ(Refused(c, Do(Action::kNote), viewer), core::ErrorCode::kPermissionDenied);
  EXPECT_TRUE(Decide(c, Do(Action::kNote), admin).ok());

  EXPECT_EQ(Refused(c, Do(Action::kForward), Facilitator()), core::ErrorCode::kPermissionDenied);
  EXPECT_EQ(Refused(c, Do(Action::kReview), Supervisor()), core::ErrorCode::kPermissionDenied);
  EXPECT_EQ(Refused(c, Refer({"pkh"}), FrontOffice()), core::ErrorCode::kPermissionDenied);
  EXPECT_EQ(Refused(c, Do(Action::kVerify), BackOffice()), core::ErrorCode::kPermissionDenied);

  // Order matters: each step only in its state.
  EXPECT_EQ(Refused(c, Do(Action::kForward), Supervisor()), core::ErrorCode::kConflict);
  EXPECT_EQ(Refused(c, Do(Action::kReview), FrontOffice()), core::ErrorCode::kConflict);
  EXPECT_EQ(Refused(c, Refer({"pkh"}), BackOffice()), core::ErrorCode::kConflict);
}

TEST(Workflow, AClaimedTicketIsTheClaimersUntilReleased) {
  CaseView c = Received();
  EXPECT_EQ(Refused(c, Do(Action::kVerify), Facilitator()), core::ErrorCode::kConflict)
      << "a facilitator verifies what they claimed";
  c = Apply(c, Do(Action::kClaim), Facilitator(11));
  const Actor colleague = Facilitator(12);
  EXPECT_EQ(Refused(c, Do(Action::kClaim), colleague), core::ErrorCode::kConflict);
  EXPECT_EQ(Refused(c, Do(Action::kVerify), colleague), core::ErrorCode::kConflict);
  EXPECT_EQ(Refused(c, Do(Action::kRelease), colleague), core::ErrorCode::kConflict);
  EXPECT_EQ(Apply(c, Do(Action::kClaim), Facilitator(11)).claimed_by, 11) << "idempotent";
  c = Apply(c, Do(Action::kRelease), Facilitator(11));
  EXPECT_EQ(c.claimed_by, 0);
  c = Apply(c, Do(Action::kClaim), colleague);
  EXPECT_EQ(c.claimed_by, 12);
  EXPECT_EQ(Apply(c, Do(Action::kClaim), Manager()).claimed_by, 51) << "the manager may take it";
}

TEST(Workflow, ClosingNeedsAReasonAndTheRightStage) {
  CaseView c = Received();
  EXPECT_EQ(Refused(c, Do(Action::kClose), Facilitator()), core::ErrorCode::kInvalidArgument);
  for (CloseReason r : {CloseReason::kSolved, CloseReason::kDuplicate, CloseReason::kWithdrawn,
                        CloseReason::kUnreachable}) {
    EXPECT_EQ(Apply(c, Close(r), Facilitator()).status, Status::kClosed) << CloseReasonName(r);
  }
  EXPECT_EQ(Refused(c, Close(CloseReason::kNotEligible), Facilitator()), core::ErrorCode::kConflict)
      << "eligibility is the secretariat's call";
  EXPECT_EQ(Apply(c, Close(CloseReason::kNotEligible), FrontOffice()).status, Status::kClosed);

  CaseView forwarded = c;
  forwarded.status = Status::kForwarded;
  forwarded.level = Level::kRegency;
  EXPECT_EQ(Refused(forwarded, Close(CloseReason::kSolved), Facilitator()),
            core::ErrorCode::kConflict)
      << "once forwarded the village no longer closes it";
  EXPECT_EQ(Apply(forwarded, Close(CloseReason::kDuplicate), Manager()).status, Status::kClosed);
}

TEST(Workflow, ReferralsAddUpAndAnswersNeedAReferral) {
  CaseView c = Received();
  c.status = Status::kReviewed;
  c.level = Level::kRegency;
  EXPECT_EQ(Refused(c, Refer({}), BackOffice()), core::ErrorCode::kInvalidArgument);
  c = Apply(c, Refer({"pkh"}), BackOffice());
  auto more = Decide(c, Refer({"pkh", "pip"}), BackOffice());
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(more.value().new_referrals, std::vector<std::string>{"pip"}) << "one per programme";
  c = more.value().after;
  EXPECT_EQ(c.referrals.size(), 2u);
  EXPECT_EQ(Refused(c, Refer({"pkh"}), BackOffice()), core::ErrorCode::kConflict);
  EXPECT_EQ(Refused(c, Answer("rutilahu", ReferralStatus::kAccepted), BackOffice()),
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(Refused(c, Answer("pkh", ReferralStatus::kPending), BackOffice()),
            core::ErrorCode::kInvalidArgument);
}

TEST(Workflow, EscalationGoesOneLevelUpFromTheLevelHoldingIt) {
  CaseView c = Received();
  c = Apply(c, Do(Action::kClaim), Facilitator());
  c = Apply(c, Do(Action::kEscalate), Facilitator());
  EXPECT_EQ(c.level, Level::kKecamatan);
  EXPECT_EQ(c.claimed_by, 0) << "it leaves the facilitator's hands";
  EXPECT_EQ(Refused(c, Do(Action::kEscalate), Facilitator()), core::ErrorCode::kConflict)
      << "no longer in the village queue";
  c = Apply(c, Do(Action::kEscalate), Supervisor());
  EXPECT_EQ(c.level, Level::kRegency);
  EXPECT_EQ(Refused(c, Do(Action::kEscalate), Manager()), core::ErrorCode::kConflict);
  // The SLA clock escalates as the manager would.
  EXPECT_EQ(Apply(Received(), Do(Action::kEscalate), Manager()).level, Level::kKecamatan);
}

TEST(Workflow, AnyOfficeUserSetsTheFastTrackOfAnOpenTicket) {
  Request fast = Do(Action::kPrioritize);
  fast.priority = Priority::kPregnant;
  CaseView c = Apply(Received(), fast, Facilitator());
  EXPECT_EQ(c.priority, Priority::kPregnant);
  EXPECT_EQ(Refused(c, fast, Facilitator()), core::ErrorCode::kConflict) << "already set";
  Request viewer_try = fast;
  viewer_try.priority = Priority::kNone;
  EXPECT_EQ(Refused(c, viewer_try, Actor{61, Role::kViewer, "32.06"}),
            core::ErrorCode::kPermissionDenied);
  EXPECT_EQ(Apply(c, viewer_try, BackOffice()).priority, Priority::kNone);
  EXPECT_EQ(Refused(c, fast, Facilitator(11, kVillageB)), core::ErrorCode::kNotFound);
  for (int i = 0; i <= static_cast<int>(Priority::kViolence); ++i) {
    const auto p = static_cast<Priority>(i);
    EXPECT_EQ(PriorityFromName(PriorityName(p)), p);
  }
  EXPECT_FALSE(PriorityFromName("vip").has_value());
}

Request Place(std::string code) {
  Request r = Do(Action::kPlace);
  r.village_code = std::move(code);
  return r;
}

TEST(Workflow, ATicketWithoutAVillageWaitsForTheSecretariatToPlaceIt) {
  const CaseView unplaced = Received("32.06");  // the regency's queue of tickets to place
  // Nobody below the regency sees it; the front office and the manager do.
  EXPECT_EQ(Refused(unplaced, Do(Action::kClaim), Facilitator()), core::ErrorCode::kNotFound);
  EXPECT_EQ(Refused(unplaced, Place(kVillageA), Supervisor()), core::ErrorCode::kNotFound);
  EXPECT_EQ(Refused(unplaced, Place(kVillageA), BackOffice()), core::ErrorCode::kPermissionDenied);
  EXPECT_EQ(Refused(unplaced, Place("32.06"), FrontOffice()), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(Refused(unplaced, Place("32.06.05.20x2"), FrontOffice()),
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(Refused(unplaced, Place("32.05.01.2001"), Manager()),
            core::ErrorCode::kPermissionDenied)
      << "another regency's village";
  CaseView placed = Apply(unplaced, Place(kVillageA), FrontOffice());
  EXPECT_EQ(placed.village_code, kVillageA);
  EXPECT_EQ(placed.status, Status::kReceived);
  // Now the village's facilitator has it, and the kecamatan's supervisor may move it within
  // the kecamatan (the old claim goes with the old village).
  placed = Apply(placed, Do(Action::kClaim), Facilitator());
  EXPECT_EQ(Refused(placed, Place(kVillageA), Manager()), core::ErrorCode::kConflict);
  const CaseView moved = Apply(placed, Place(kVillageB), Supervisor());
  EXPECT_EQ(moved.village_code, kVillageB);
  EXPECT_EQ(moved.claimed_by, 0);
  EXPECT_EQ(Refused(moved, Place(kOtherKec), Supervisor()), core::ErrorCode::kPermissionDenied);
  EXPECT_EQ(Apply(moved, Place("32.06.36"), Manager()).village_code, "32.06.36");
  EXPECT_EQ(Refused(moved, Place(kVillageA), Facilitator(11, kVillageB)),
            core::ErrorCode::kPermissionDenied);
  const CaseView closed = Apply(moved, Close(CloseReason::kWithdrawn), Manager());
  EXPECT_NE(Refused(closed, Place(kVillageA), Manager()), core::ErrorCode::kPermissionDenied);
}

TEST(Workflow, PlaceCodesAreKecamatanOrVillageCodes) {
  EXPECT_TRUE(IsPlaceCode("32.06.05"));
  EXPECT_TRUE(IsPlaceCode("32.06.05.2002"));
  EXPECT_FALSE(IsPlaceCode("32.06"));
  EXPECT_FALSE(IsPlaceCode("32.06.05.200"));
  EXPECT_FALSE(IsPlaceCode("32-06-05-2002"));
  EXPECT_FALSE(IsPlaceCode(""));
  EXPECT_TRUE(IsVillageCode("32.06.05.2002"));
  EXPECT_FALSE(IsVillageCode("32.06.05"));
  EXPECT_FALSE(IsVillageCode("32.06"));
}

TEST(Workflow, NamesRoundTripAndCitizenLabelsHideTheHandOvers) {
  for (int i = 0; i <= static_cast<int>(Status::kClosed); ++i) {
    const auto s = static_cast<Status>(i);
    EXPECT_EQ(StatusFromName(StatusName(s)), s);
  }
  for (int i = 0; i <= static_cast<int>(Role::kViewer); ++i) {
    const auto r = static_cast<Role>(i);
    EXPECT_EQ(RoleFromName(RoleName(r)), r);
  }
  for (int i = 0; i <= static_cast<int>(Action::kPlace); ++i) {
    const auto a = static_cast<Action>(i);
    EXPECT_EQ(ActionFromName(ActionName(a)), a);
  }
  EXPECT_FALSE(StatusFromName("open").has_value());
  EXPECT_FALSE(RoleFromName("root").has_value());
  std::set<std::string> labels;
  for (int i = 0; i <= static_cast<int>(Status::kClosed); ++i) {
    labels.insert(CitizenStatusKey(static_cast<Status>(i)));
  }
  EXPECT_EQ(labels.size(), 5u) << "verified, forwarded and reviewed read 'being handled'";
}

}  // namespace
}  // namespace satupintu::tickets
