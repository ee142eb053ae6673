// Tickets as cases on a real SQLite file with the real migrations: the workflow applied to the
// rows, the append-only history, referrals, region-scoped reads, queues and claims.

#include "tickets/cases.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"
#include "support/process.hpp"

namespace satupintu::tickets {
namespace {

constexpr char kCilumba[] = "32.06.05.2002";    // Kec. Cikatomas
constexpr char kPakemitan[] = "32.06.05.2003";  // Kec. Cikatomas
constexpr char kCiawi[] = "32.06.36.2001";      // Kec. Ciawi

class CasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::Db::Open(dir_.File("t.db"), false);
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
    auto v = storage::ApplyMigrations(*db_, storage::Migrations());
    ASSERT_TRUE(v.ok()) << v.error().message << " " << v.error().detail;
  }

  std::string OpenIn(const std::string& village, const std::string& suffix) {
    NewTicket t;
    t.citizen_id = 7;
    t.channel = "kannel:dinsos";
    t.category = "pkh";
    t.village_code = village;
    t.description = "PKH belum cair";
    auto code = Open(*db_, t, ++now_, [&] { return suffix; });
    EXPECT_TRUE(code.ok());
    return code.ok() ? code.value() : "";
  }

  core::Result<Outcome> Do(const std::string& code, Action action, const Actor& actor,
                           const std::string& note = "") {
    Request r;
    r.action = action;
    return Act(*db_, code, r, actor, note, ++now_);
  }

  std::int64_t Count(const std::string& sql) {
    auto v = db_->QueryInt(sql);
    EXPECT_TRUE(v.ok()) << sql;
    return v.ok() ? v.value() : -1;
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::Db> db_;
  std::int64_t now_ = 1'763'000'000'000;
  const Actor siti_{11, Role::kFacilitator, kCilumba};
  const Actor budi_{12, Role::kFacilitator, kCilumba};
  const Actor pakemitan_{13, Role::kFacilitator, kPakemitan};
  const Actor supervisor_{21, Role::kSupervisor, "32.06.05"};
  const Actor front_{31, Role::kFrontOffice, "32.06"};
  const Actor back_{41, Role::kBackOffice, "32.06"};
};

TEST_F(CasesTest, ActionsChangeTheRowAndEachLeavesOneHistoryEvent) {
  const std::string code = OpenIn(kCilumba, "AAAAAA");
  ASSERT_TRUE(Do(code, Action::kClaim, siti_).ok());
  auto verified = Do(code, Action::kVerify, siti_, "KTP dicek di rumah");
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_EQ(verified.value().from, Status::kReceived);
  EXPECT_EQ(verified.value().after.view.status, Status::kVerified);
  ASSERT_TRUE(Do(code, Action::kForward, supervisor_).ok());
  ASSERT_TRUE(Do(code, Action::kReview, front_).ok());
  Request refer;
  refer.action = Action::kRefer;
  refer.programmes = {"pkh", "pbi_jk"};
  ASSERT_TRUE(Act(*db_, code, refer, back_, "", ++now_).ok());
  Request answer;
  answer.action = Action::kAnswer;
  answer.programme = "pkh";
  answer.answer = ReferralStatus::kAccepted;
  ASSERT_TRUE(Act(*db_, code, answer, back_, "", ++now_).ok());

  auto got = Get(*db_, code, back_);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got.value().ticket.status, "referred");
  EXPECT_EQ(got.value().view.level, Level::kRegency);
  ASSERT_EQ(got.value().view.referrals.size(), 2u);
  EXPECT_EQ(got.value().view.referrals[0].programme, "pkh");
  EXPECT_EQ(got.value().view.referrals[0].status, ReferralStatus::kAccepted);
  EXPECT_EQ(got.value().view.referrals[1].status, ReferralStatus::kPending);

  auto history = History(*db_, code, back_);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history.value().size(), 7u) << "open + six actions";
  EXPECT_EQ(history.value()[0].action, "open");
  EXPECT_EQ(history.value()[0].actor_id, 0);
  EXPECT_EQ(history.value()[2].action, "verify");
  EXPECT_EQ(history.value()[2].actor_id, 11);
  EXPECT_EQ(history.value()[2].from_status, "received");
  EXPECT_EQ(history.value()[2].to_status, "verified");
  EXPECT_NE(history.value()[2].detail.find("KTP dicek di rumah"), std::string::npos);
  EXPECT_NE(history.value()[5].detail.find("pbi_jk"), std::string::npos);
  EXPECT_NE(history.value()[6].detail.find("\"accepted\""), std::string::npos);
}

TEST_F(CasesTest, TheHistoryCannotBeChangedOrDeleted) {
  const std::string code = OpenIn(kCilumba, "BBBBBB");
  ASSERT_TRUE(Do(code, Action::kClaim, siti_).ok());
  EXPECT_FALSE(db_->Exec("UPDATE ticket_event SET actor_id = 99").ok());
  EXPECT_FALSE(db_->Exec("DELETE FROM ticket_event").ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ticket_event WHERE actor_id = 11"), 1);
}

TEST_F(CasesTest, ARefusedActionWritesNothing) {
  const std::string code = OpenIn(kCilumba, "CCCCCC");
  const auto events = Count("SELECT COUNT(*) FROM ticket_event");
  auto refused = Do(code, Action::kForward, supervisor_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ticket_event"), events);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ticket WHERE status = 'received'"), 1);
}

TEST_F(CasesTest, AnotherVillagesTicketIsUnknownEvenByItsCode) {
  const std::string mine = OpenIn(kCilumba, "DDDDDD");
  const std::string theirs = OpenIn(kPakemitan, "EEEEEE");
  for (const auto& [code, actor] : {std::pair{theirs, siti_}, std::pair{mine, pakemitan_}}) {
    auto get = Get(*db_, code, actor);
    ASSERT_FALSE(get.ok());
    EXPECT_EQ(get.error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(get.error().message, "no such ticket");
    auto act = Do(code, Action::kClaim, actor);
    ASSERT_FALSE(act.ok());
    EXPECT_EQ(act.error().code, core::ErrorCode::kNotFound);
    EXPECT_FALSE(History(*db_, code, actor).ok());
  }
  auto unknown = Get(*db_, "ADU-ZZZZZZ", siti_);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message, "no such ticket") << "the same answer as out of region";
  // The kecamatan's supervisor sees both; a supervisor of another kecamatan neither.
  EXPECT_TRUE(Get(*db_, mine, supervisor_).ok());
  EXPECT_TRUE(Get(*db_, theirs, supervisor_).ok());
  const Actor ciawi{22, Role::kSupervisor, "32.06.36"};
  EXPECT_FALSE(Get(*db_, mine, ciawi).ok());
}

TEST_F(CasesTest, QueuesHoldOnlyTheRegionAndAClaimLeavesTheOthersQueues) {
  const std::string a = OpenIn(kCilumba, "FFFFFF");
  const std::string b = OpenIn(kCilumba, "GGGGGG");
  OpenIn(kPakemitan, "HHHHHH");
  OpenIn(kCiawi, "JJJJJJ");
  // A code that only shares a prefix with the region's: "32.06.05.20021" is not in
  // "32.06.05.2002" (no such village, but the range must not take it).
  OpenIn("32.06.05.20021", "KKKKKK");

  auto codes = [&](const Actor& who, QueueFilter f) {
    std::vector<std::string> out;
    auto q = Queue(*db_, who, f);
    EXPECT_TRUE(q.ok());
    if (q.ok()) {
      for (const auto& c : q.value()) out.push_back(c.ticket.code);
    }
    return out;
  };
  EXPECT_EQ(codes(siti_, {}), (std::vector<std::string>{a, b}));
  EXPECT_EQ(codes(supervisor_, {}).size(), 4u) << "three villages' of the kecamatan";
  EXPECT_EQ(codes(front_, {}).size(), 5u);
  EXPECT_TRUE(codes({1, Role::kManager, ""}, {}).empty());

  ASSERT_TRUE(Do(a, Action::kClaim, siti_).ok());
  QueueFilter unclaimed;
  unclaimed.unclaimed = true;
  EXPECT_EQ(codes(budi_, unclaimed), std::vector<std::string>{b});
  QueueFilter mine;
  mine.mine = true;
  EXPECT_EQ(codes(siti_, mine), std::vector<std::string>{a});
  EXPECT_TRUE(codes(budi_, mine).empty());

  // Paging by id, and a status filter; closed tickets leave the default queue.
  QueueFilter page;
  page.limit = 1;
  const auto first = Queue(*db_, siti_, page);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first.value().size(), 1u);
  page.after_id = first.value()[0].id;
  EXPECT_EQ(codes(siti_, page), std::vector<std::string>{b});
  Request close;
  close.action = Action::kClose;
  close.reason = CloseReason::kDuplicate;
  ASSERT_TRUE(Act(*db_, b, close, budi_, "", ++now_).ok());
  EXPECT_EQ(codes(siti_, {}), std::vector<std::string>{a});
  QueueFilter closed;
  closed.status = Status::kClosed;
  EXPECT_EQ(codes(siti_, closed), std::vector<std::string>{b});
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ticket WHERE close_reason = 'duplicate'"), 1);
}

TEST_F(CasesTest, TicketsOfTheMinimalSchemaMoveToTheWorkflowStates) {
  // What migration 8 wrote: statuses open/in_progress/rejected, no history.
  auto db = storage::Db::Open(dir_.File("old.db"), false);
  ASSERT_TRUE(db.ok());
  std::vector<storage::Migration> upto8(storage::Migrations().begin(),
                                        storage::Migrations().begin() + 8);
  ASSERT_TRUE(storage::ApplyMigrations(*db.value(), upto8).ok());
  ASSERT_TRUE(db.value()
                  ->Exec("INSERT INTO ticket (code, type, status, citizen_id, channel,"
                         " village_code, created_at_ms, updated_at_ms) VALUES"
                         " ('ADU-000001','complaint','open',1,'sms','32.06.05.2002',1,1),"
                         " ('ADU-000002','complaint','in_progress',1,'sms','32.06.05.2002',2,2),"
                         " ('ADU-000003','complaint','rejected',1,'sms','32.06.05.2002',3,3)")
                  .ok());
  ASSERT_TRUE(storage::ApplyMigrations(*db.value(), storage::Migrations()).ok());
  auto statuses = db.value()->QueryText(
      "SELECT group_concat(status, ',') FROM (SELECT status FROM ticket ORDER BY id)");
  ASSERT_TRUE(statuses.ok());
  EXPECT_EQ(statuses.value(), "received,verified,closed");
  EXPECT_EQ(db.value()->QueryInt("SELECT COUNT(*) FROM ticket_event WHERE action = 'open'").value(),
            3);
}

}  // namespace
}  // namespace satupintu::tickets
