// The SLA clock with an injected clock on a real SQLite file: the verify target across a weekend
// and Independence Day, the warning a working day before, the breach escalating one level per
// stage, the follow-up clock restarting at the forwarding, resolved tickets leaving the pass.

#include "tickets/sla.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "schema/schema.hpp"
#include "storage/migrations.hpp"
#include "support/process.hpp"
#include "tickets/cases.hpp"

namespace satupintu::tickets {
namespace {

namespace chr = std::chrono;
constexpr int kWib = 7 * 60;
constexpr char kVillage[] = "32.06.05.2002";

std::int64_t Wib(int y, unsigned m, unsigned d, int hour = 10) {
  const chr::sys_days day{chr::year{y} / chr::month{m} / chr::day{d}};
  return (chr::sys_time<chr::milliseconds>{day} + chr::hours{hour} - chr::minutes{kWib})
      .time_since_epoch()
      .count();
}

class SlaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::Db::Open(dir_.File("t.db"), false);
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    ASSERT_TRUE(storage::ApplyMigrations(*db_, schema::Migrations()).ok());
    auto cal = WorkCalendar::FromDates({"2026-08-17"}, kWib);
    ASSERT_TRUE(cal.ok());
    calendar_ = std::make_unique<WorkCalendar>(std::move(cal).value());
  }

  std::string OpenAt(std::int64_t at, const std::string& suffix) {
    NewTicket t;
    t.citizen_id = 1;
    t.channel = "kannel:dinsos";
    t.village_code = kVillage;
    auto code = Open(*db_, t, at, [&] { return suffix; });
    EXPECT_TRUE(code.ok());
    return code.ok() ? code.value() : "";
  }

  SlaPass Pass(std::int64_t now) {
    auto p = RunSlaPass(*db_, *calendar_, targets_, now, 100);
    EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message);
    return p.ok() ? p.value() : SlaPass{};
  }

  std::string Text(const std::string& sql) {
    auto v = db_->QueryText(sql);
    return v.ok() ? v.value() : "?";
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::Db> db_;
  std::unique_ptr<WorkCalendar> calendar_;
  SlaTargets targets_;
  const Actor siti_{11, Role::kFacilitator, kVillage};
  const Actor supervisor_{21, Role::kSupervisor, "32.06.05"};
};

TEST(SlaClock, EvaluateAcrossAWeekendAndAHoliday) {
  auto cal = WorkCalendar::FromDates({"2026-08-17"}, kWib);
  ASSERT_TRUE(cal.ok());
  const SlaTargets t;
  // Received Thu 13 Aug 2026: working days Fri 14, Tue 18, Wed 19 (weekend and the 17th off).
  const std::int64_t in = Wib(2026, 8, 13);
  const SlaClock on_time = Evaluate(Status::kReceived, in, Wib(2026, 8, 14), cal.value(), t);
  EXPECT_EQ(on_time.stage, SlaStage::kVerify);
  EXPECT_EQ(on_time.state, SlaState::kOnTime);
  EXPECT_EQ(on_time.due_at_ms, Wib(2026, 8, 20, 0));
  EXPECT_EQ(on_time.warn_at_ms, Wib(2026, 8, 19, 0)) << "a working day before";
  EXPECT_EQ(Evaluate(Status::kVerified, in, Wib(2026, 8, 19, 9), cal.value(), t).state,
            SlaState::kWarning);
  EXPECT_EQ(Evaluate(Status::kVerified, in, Wib(2026, 8, 20, 0), cal.value(), t).state,
            SlaState::kBreached);
  EXPECT_EQ(Evaluate(Status::kForwarded, in, in, cal.value(), t).stage, SlaStage::kFollowUp);
  EXPECT_EQ(Evaluate(Status::kClosed, in, Wib(2027, 1, 1), cal.value(), t).stage, SlaStage::kNone);
}

TEST_F(SlaTest, WarningThenBreachEscalatesOneLevelAndTheOverdueStaysMarked) {
  const std::string code = OpenAt(Wib(2026, 8, 13), "AAAAAA");
  ASSERT_TRUE(Act(*db_, code, {Action::kClaim, {}, {}, ReferralStatus::kPending, {}}, siti_, "",
                  Wib(2026, 8, 13, 11))
                  .ok());
  // Friday: on time; nothing recorded, the next look is the warning time.
  SlaPass p = Pass(Wib(2026, 8, 14));
  EXPECT_EQ(p.warned + p.breached, 0);
  EXPECT_EQ(Text("SELECT sla FROM ticket"), "on_time");
  EXPECT_EQ(Pass(Wib(2026, 8, 18)).warned, 0) << "not due: not even looked at";

  p = Pass(Wib(2026, 8, 19, 8));
  EXPECT_EQ(p.warned, 1);
  EXPECT_EQ(p.warned_codes, std::vector<std::string>{code});
  EXPECT_EQ(Pass(Wib(2026, 8, 19, 9)).warned, 0) << "one warning, not one per pass";

  p = Pass(Wib(2026, 8, 20, 8));
  EXPECT_EQ(p.breached, 1);
  EXPECT_EQ(p.escalated, 1);
  EXPECT_EQ(Text("SELECT sla || ',' || level || ',' || claimed_by FROM ticket"),
            "breached,kecamatan,0")
      << "escalated to the kecamatan, out of the facilitator's hands";
  EXPECT_EQ(Text("SELECT group_concat(action, ',') FROM (SELECT action FROM ticket_event"
                 " ORDER BY id)"),
            "open,claim,sla_warning,sla_breach,escalate");
  EXPECT_EQ(Text("SELECT actor_id FROM ticket_event WHERE action = 'escalate'"), "0");
  EXPECT_EQ(Pass(Wib(2026, 9, 30)).breached, 0) << "breached once, then left alone";

  // The overdue queue of the kecamatan.
  QueueFilter overdue;
  overdue.level = Level::kKecamatan;
  auto q = Queue(*db_, supervisor_, overdue);
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q.value().size(), 1u);
}

TEST_F(SlaTest, TheFollowUpClockStartsAtTheForwardingAndEndsWhenResolved) {
  const std::string code = OpenAt(Wib(2026, 11, 2), "BBBBBB");  // Monday
  const Actor manager{51, Role::kManager, "32.06"};
  const auto act = [&](Action a, std::int64_t at) {
    Request r;
    r.action = a;
    auto done = Act(*db_, code, r, manager, "", at);
    ASSERT_TRUE(done.ok()) << ActionName(a) << ": " << done.error().message;
  };
  act(Action::kVerify, Wib(2026, 11, 3));
  act(Action::kForward, Wib(2026, 11, 4));  // Wednesday
  EXPECT_EQ(Pass(Wib(2026, 11, 4, 12)).warned, 0);
  EXPECT_EQ(Text("SELECT stage_at_ms FROM ticket"), std::to_string(Wib(2026, 11, 4)));
  // 5 working days from Wed 4 Nov: Thu 5, Fri 6, Mon 9, Tue 10, Wed 11 -> due Thu 12 00:00.
  EXPECT_EQ(Pass(Wib(2026, 11, 11, 1)).warned, 1);
  act(Action::kReview, Wib(2026, 11, 11, 2));
  EXPECT_EQ(Text("SELECT sla FROM ticket"), "warning") << "reviewing keeps the follow-up clock";
  SlaPass p = Pass(Wib(2026, 11, 12, 1));
  EXPECT_EQ(p.breached, 1);
  EXPECT_EQ(p.escalated, 0) << "already with the secretariat";

  Request refer;
  refer.action = Action::kRefer;
  refer.programmes = {"pkh"};
  ASSERT_TRUE(Act(*db_, code, refer, manager, "", Wib(2026, 11, 12, 2)).ok());
  EXPECT_EQ(Text("SELECT sla FROM ticket"), "on_time") << "a new stage: the 60-day clock";
  Request answer;
  answer.action = Action::kAnswer;
  answer.programme = "pkh";
  answer.answer = ReferralStatus::kAccepted;
  ASSERT_TRUE(Act(*db_, code, answer, manager, "", Wib(2026, 11, 13)).ok());
  act(Action::kResolve, Wib(2026, 11, 13, 1));
  EXPECT_EQ(Pass(Wib(2027, 6, 1)).breached, 0) << "resolved tickets leave the SLA pass";
}

}  // namespace
}  // namespace satupintu::tickets
