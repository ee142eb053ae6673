// Tickets as cases on a real SQLite file with the real migrations: the workflow applied to the
// rows, the append-only history, referrals, region-scoped reads, queues and claims.

#include "tickets/cases.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "schema/schema.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"
#include "support/process.hpp"
#include "tickets/catalogue.hpp"
#include "tickets/tickets.hpp"

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
    auto v = storage::ApplyMigrations(*db_, schema::Migrations());
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

  std::vector<std::string> Codes(const Actor& who, const QueueFilter& f) {
    std::vector<std::string> out;
    auto q = Queue(*db_, who, f);
    EXPECT_TRUE(q.ok());
    if (q.ok()) {
      for (const auto& c : q.value()) out.push_back(c.ticket.code);
    }
    return out;
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
  const Actor manager_{51, Role::kManager, "32.06"};
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

  auto codes = [&](const Actor& who, const QueueFilter& f) { return Codes(who, f); };
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

TEST_F(CasesTest, QueuesFilterOverdueFastTrackAndCategory) {
  const std::string a = OpenIn(kCilumba, "LLLLLL");
  const std::string b = OpenIn(kCilumba, "MMMMMM");
  const std::string c = OpenIn(kCilumba, "NNNNNN");
  ASSERT_TRUE(db_->Exec("UPDATE ticket SET sla = 'breached' WHERE code = '" + a + "'").ok());
  ASSERT_TRUE(db_->Exec("UPDATE ticket SET category = 'pip' WHERE code = '" + c + "'").ok());
  Request fast;
  fast.action = Action::kPrioritize;
  fast.priority = Priority::kViolence;
  auto prioritized = Act(*db_, b, fast, siti_, "", ++now_);
  ASSERT_TRUE(prioritized.ok()) << prioritized.error().message;
  EXPECT_EQ(prioritized.value().after.view.priority, Priority::kViolence);

  auto codes = [&](const QueueFilter& f) { return Codes(siti_, f); };
  QueueFilter overdue;
  overdue.overdue = true;
  EXPECT_EQ(codes(overdue), std::vector<std::string>{a});
  QueueFilter priority;
  priority.priority_only = true;
  EXPECT_EQ(codes(priority), std::vector<std::string>{b});
  QueueFilter pip;
  pip.category = "pip";
  EXPECT_EQ(codes(pip), std::vector<std::string>{c});
  auto got = Get(*db_, b, siti_);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got.value().view.priority, Priority::kViolence) << "kept in the row";
  EXPECT_EQ(got.value().sla, "on_time");
  EXPECT_EQ(got.value().ticket.channel, "kannel:dinsos");
  auto history = History(*db_, b, siti_);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history.value().back().action, "prioritize");
  EXPECT_NE(history.value().back().detail.find("violence"), std::string::npos);
}

TEST_F(CasesTest, ReferralsNeedActiveCatalogueProgrammesAndParticularsStayOutOfQueues) {
  NewTicket t;
  t.citizen_id = 7;
  t.channel = "telegram:bot";
  t.category = "pkh";
  t.village_code = kCilumba;
  t.name = "Siti Aminah";
  t.nik_masked = "3206********0003";
  t.description = "PKH belum cair";
  t.registry_snapshot = RegistrySnapshot{.snapshot_date = "2025-10-01",
                                         .found = true,
                                         .status = "aktif",
                                         .desil = 2,
                                         .village_code = kCilumba,
                                         .programmes = {{"PKH", "2024-01", ""}}};
  auto code = Open(*db_, t, ++now_, [] { return std::string("PPPPPP"); });
  ASSERT_TRUE(code.ok());
  ASSERT_TRUE(Do(code.value(), Action::kClaim, siti_).ok());
  ASSERT_TRUE(Do(code.value(), Action::kVerify, siti_).ok());
  ASSERT_TRUE(Do(code.value(), Action::kForward, supervisor_).ok());
  ASSERT_TRUE(Do(code.value(), Action::kReview, front_).ok());

  Request refer;
  refer.action = Action::kRefer;
  refer.programmes = {"pkh", "kartu_sakti"};
  auto refused = Act(*db_, code.value(), refer, back_, "", ++now_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("kartu_sakti"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM referral"), 0) << "nothing referred";

  auto programmes = Programmes(*db_, false);
  ASSERT_TRUE(programmes.ok());
  ASSERT_GE(programmes.value().size(), 9u);
  EXPECT_EQ(programmes.value()[0].id, "pkh");
  ASSERT_TRUE(SaveProgramme(*db_, {"pip", "Program Indonesia Pintar", "PIP", false, 40}).ok());
  refer.programmes = {"pkh", "pip"};
  refused = Act(*db_, code.value(), refer, back_, "", ++now_);
  ASSERT_FALSE(refused.ok()) << "a retired programme takes no new referrals";
  EXPECT_EQ(Programmes(*db_, false).value().size(), programmes.value().size() - 1);
  EXPECT_EQ(Programmes(*db_, true).value().size(), programmes.value().size());
  refer.programmes = {"pkh", "pbi_jk"};
  ASSERT_TRUE(Act(*db_, code.value(), refer, back_, "", ++now_).ok());
  EXPECT_FALSE(SaveProgramme(*db_, {"PKH!", "x", "x", true, 0}).ok());

  auto got = Get(*db_, code.value(), back_);
  ASSERT_TRUE(got.ok());
  auto particulars = ReadParticulars(*db_, got.value());
  ASSERT_TRUE(particulars.ok());
  EXPECT_EQ(particulars.value().name, "Siti Aminah");
  EXPECT_EQ(particulars.value().registry_snapshot,
            R"({"desil":2,"found":true,"programmes":[{"code":"PKH","from":"2024-01","to":""}],)"
            R"("snapshot_date":"2025-10-01","status":"aktif","village_code":")" +
                std::string(kCilumba) + R"("})");
}

TEST(Tickets, TheElderlyAndTheDisabledGetTheFastTrackAtOpening) {
  EXPECT_EQ(PriorityAtOpening("pkh", "1966-11-22", "2026-11-22"), "elderly") << "60 today";
  EXPECT_EQ(PriorityAtOpening("pkh", "1966-11-23", "2026-11-22"), "") << "60 tomorrow";
  EXPECT_EQ(PriorityAtOpening("pkh", "", "2026-11-22"), "");
  EXPECT_EQ(PriorityAtOpening("lansia", "", "2026-11-22"), "elderly");
  EXPECT_EQ(PriorityAtOpening("disabilitas", "1990-01-01", "2026-11-22"), "disability");
}

TEST_F(CasesTest, NoTicketWithoutARegionAndTheSecretariatPlacesTheUnplaced) {
  NewTicket t;
  t.citizen_id = 7;
  t.channel = "kannel:dinsos";
  t.type = Type::kHuman;
  auto refused = Open(*db_, t, ++now_, [] { return std::string("ZZZZZZ"); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kInvalidArgument);
  // The store refuses it too, whatever code writes the row.
  EXPECT_FALSE(db_->Exec("INSERT INTO ticket (code, type, citizen_id, channel, created_at_ms,"
                         " updated_at_ms) VALUES ('PTG-X', 'human', 7, 'sms', 1, 1)")
                   .ok());

  const std::string code = OpenIn("32.06", "UNPLCD");  // the regency's queue
  QueueFilter unplaced;
  unplaced.unplaced = true;
  EXPECT_EQ(Codes(front_, unplaced), std::vector<std::string>{code});
  EXPECT_EQ(Codes(manager_, QueueFilter{}).size(), 1u);
  EXPECT_TRUE(Codes(siti_, QueueFilter{}).empty());
  EXPECT_TRUE(Codes(supervisor_, QueueFilter{}).empty());

  Request place;
  place.action = Action::kPlace;
  place.village_code = kCilumba;
  auto placed = Act(*db_, code, place, front_, "", ++now_);
  ASSERT_TRUE(placed.ok()) << placed.error().message;
  EXPECT_EQ(placed.value().after.ticket.village_code, kCilumba);
  EXPECT_EQ(Codes(siti_, QueueFilter{}), std::vector<std::string>{code});
  EXPECT_TRUE(Codes(front_, unplaced).empty());
  auto history = History(*db_, code, manager_);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history.value().back().action, "place");
  EXPECT_NE(history.value().back().detail.find(kCilumba), std::string::npos);
  EXPECT_FALSE(db_->Exec("UPDATE ticket SET village_code = '' WHERE code = '" + code + "'").ok());
}

// A store as a gateway before migration 16 left it.
std::unique_ptr<storage::Db> StoreBefore16(const satupintu::testing::TempDir& dir,
                                           const std::string& name) {
  auto db = storage::Db::Open(dir.File(name), false);
  EXPECT_TRUE(db.ok());
  if (!db.ok()) return nullptr;
  std::vector<storage::Migration> upto15;
  for (const auto& m : schema::Migrations()) {
    if (m.version <= 15) upto15.push_back(m);
  }
  EXPECT_TRUE(storage::ApplyMigrations(*db.value(), upto15).ok());
  return std::move(db).value();
}

TEST_F(CasesTest, TheMigrationPlacesTicketsStoredWithoutARegion) {
  auto db = StoreBefore16(dir_, "old.db");
  ASSERT_NE(db, nullptr);
  // Two placed in Kab. Tasikmalaya, one in Kab. Garut; one unknown NIK's complaint whose
  // registry situation names a village; one request for an officer with nothing.
  ASSERT_TRUE(db->Exec("INSERT INTO ticket (code, type, citizen_id, channel, village_code,"
                       " registry_snapshot, created_at_ms, updated_at_ms) VALUES"
                       " ('ADU-1','complaint',1,'sms','32.06.05.2002','{}',1,1),"
                       " ('ADU-2','complaint',1,'sms','32.06.36.2001','{}',1,1),"
                       " ('ADU-3','complaint',1,'sms','32.05.01.2001','{}',1,1),"
                       " ('ADU-4','complaint',2,'sms','',"
                       "  '{\"found\":true,\"village_code\":\"32.06.05.2003\"}',2,2),"
                       " ('PTG-5','human',3,'sms','','{}',3,3)")
                  .ok());
  ASSERT_TRUE(storage::ApplyMigrations(*db, schema::Migrations()).ok());
  auto places = db->QueryText(
      "SELECT group_concat(village_code, ',') FROM (SELECT village_code FROM ticket"
      " WHERE code IN ('ADU-4', 'PTG-5') ORDER BY code)");
  EXPECT_EQ(places.value(), "32.06.05.2003,32.06");
  EXPECT_EQ(db->QueryInt("SELECT COUNT(*) FROM ticket WHERE village_code = ''").value(), 0);
}

TEST_F(CasesTest, OrphansLeftAfterTheMigrationGoToTheConfiguredRegion) {
  auto db = StoreBefore16(dir_, "orphans.db");
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("INSERT INTO ticket (code, type, citizen_id, channel, created_at_ms,"
                       " updated_at_ms) VALUES ('PTG-1','human',3,'sms',3,3)")
                  .ok());
  ASSERT_TRUE(storage::ApplyMigrations(*db, schema::Migrations()).ok());
  // Nothing to go by: held at "00" (nobody's region) until a regency is configured.
  EXPECT_EQ(db->QueryText("SELECT village_code FROM ticket").value(), kHoldingRegion);
  EXPECT_EQ(PlaceOrphans(*db, "").value(), 0);
  EXPECT_EQ(PlaceOrphans(*db, "32.06").value(), 1);
  EXPECT_EQ(db->QueryText("SELECT village_code FROM ticket").value(), "32.06");
  EXPECT_EQ(PlaceOrphans(*db, "32.06").value(), 0);
}

TEST_F(CasesTest, TicketsOfTheMinimalSchemaMoveToTheWorkflowStates) {
  // What migration 8 wrote: statuses open/in_progress/rejected, no history.
  auto db = storage::Db::Open(dir_.File("old.db"), false);
  ASSERT_TRUE(db.ok());
  std::vector<storage::Migration> upto8;
  for (const auto& m : schema::Migrations()) {
    if (m.version <= 8) upto8.push_back(m);
  }
  ASSERT_TRUE(storage::ApplyMigrations(*db.value(), upto8).ok());
  ASSERT_TRUE(db.value()
                  ->Exec("INSERT INTO ticket (code, type, status, citizen_id, channel,"
                         " village_code, created_at_ms, updated_at_ms) VALUES"
                         " ('ADU-000001','complaint','open',1,'sms','32.06.05.2002',1,1),"
                         " ('ADU-000002','complaint','in_progress',1,'sms','32.06.05.2002',2,2),"
                         " ('ADU-000003','complaint','rejected',1,'sms','32.06.05.2002',3,3)")
                  .ok());
  ASSERT_TRUE(storage::ApplyMigrations(*db.value(), schema::Migrations()).ok());
  auto statuses = db.value()->QueryText(
      "SELECT group_concat(status, ',') FROM (SELECT status FROM ticket ORDER BY id)");
  ASSERT_TRUE(statuses.ok());
  EXPECT_EQ(statuses.value(), "received,verified,closed");
  EXPECT_EQ(db.value()->QueryInt("SELECT COUNT(*) FROM ticket_event WHERE action = 'open'").value(),
            3);
}

}  // namespace
}  // namespace satupintu::tickets
