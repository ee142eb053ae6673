// The catalogue as data the administrator keeps (programmes, complaint categories) and the
// programme manager's scope, on a real SQLite file with the real migrations.

#include "tickets/catalogue.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

#include "schema/schema.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"
#include "support/process.hpp"
#include "tickets/cases.hpp"
#include "tickets/tickets.hpp"

namespace satupintu::tickets {
namespace {

using core::ErrorCode;

constexpr char kCilumba[] = "32.06.05.2002";  // Kab. Tasikmalaya
constexpr char kGarut[] = "32.05.01.2001";    // Kab. Garut

class CatalogueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::Db::Open(dir_.File("t.db"), false);
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
    auto v = storage::ApplyMigrations(*db_, schema::Migrations());
    ASSERT_TRUE(v.ok()) << v.error().message << " " << v.error().detail;
  }

  // A ticket of `village` taken to "referred" to `programmes` by the secretariat.
  std::string Referred(const std::string& village, const std::vector<std::string>& programmes,
                       const std::string& suffix) {
    NewTicket t;
    t.citizen_id = 7;
    t.channel = "kannel:dinsos";
    t.category = "pkh";
    t.village_code = village;
    auto code = Open(*db_, t, ++now_, [&] { return suffix; });
    EXPECT_TRUE(code.ok());
    const Actor manager{51, Role::kManager, village.substr(0, 5)};
    for (Action a : {Action::kVerify, Action::kForward, Action::kReview}) {
      Request r;
      r.action = a;
      EXPECT_TRUE(Act(*db_, code.value(), r, manager, "", ++now_).ok());
    }
    Request refer;
    refer.action = Action::kRefer;
    refer.programmes = programmes;
    auto referred = Act(*db_, code.value(), refer, manager, "", ++now_);
    EXPECT_TRUE(referred.ok()) << (referred.ok() ? "" : referred.error().message);
    return code.value();
  }

  std::set<std::string> Listed(const Actor& actor) {
    std::set<std::string> out;
    auto q = Queue(*db_, actor, {});
    EXPECT_TRUE(q.ok());
    if (q.ok()) {
      for (const auto& c : q.value()) out.insert(c.ticket.code);
    }
    return out;
  }

  ::satupintu::testing::TempDir dir_;
  std::unique_ptr<storage::Db> db_;
  std::int64_t now_ = 1'763'000'000'000;
};

TEST(CatalogueRules, OnlyAnAdministratorOfTheRegencyOrWiderEditsTheCatalogue) {
  EXPECT_TRUE(MayEditCatalogue({1, Role::kAdmin, "32.06"}).ok());
  EXPECT_TRUE(MayEditCatalogue({1, Role::kAdmin, "32"}).ok());
  EXPECT_EQ(MayEditCatalogue({1, Role::kAdmin, "32.06.05"}).error().code,
            ErrorCode::kPermissionDenied)
      << "a kecamatan's administrator: the catalogue is the whole gateway's";
  EXPECT_EQ(MayEditCatalogue({1, Role::kManager, "32.06"}).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(MayEditCatalogue({1, Role::kBackOffice, "32.06"}).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_FALSE(MayEditCatalogue({1, Role::kAdmin, ""}).ok());
}

TEST_F(CatalogueTest, ProgrammesAreAddedRenamedRetiredAndRestored) {
  ASSERT_TRUE(AddProgramme(*db_, {"kube", "Kelompok Usaha Bersama", "KUBE", true, 0}).ok());
  auto all = Programmes(*db_, false);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all.value().back().id, "kube") << "a new programme comes last";

  auto again = AddProgramme(*db_, {"kube", "x", "KUBE", true, 0});
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  auto bad = AddProgramme(*db_, {"Kube!", "x", "KUBE", true, 0});
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("id"), std::string::npos);
  // A short name outside GSM-7's basic set would push every notice naming it to UCS-2.
  bad = AddProgramme(*db_, {"csr_bank", "CSR Bank", "CSR Bank \xE2\x80\x93 Desa", true, 0});
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("short_name"), std::string::npos);
  bad = AddProgramme(*db_, {"csr_bank", "", "CSR", true, 0});
  EXPECT_NE(bad.error().message.find("name"), std::string::npos);

  ASSERT_TRUE(RenameProgramme(*db_, "kube", "KUBE Fakir Miskin", "KUBE-FM").ok());
  EXPECT_EQ(FindProgramme(*db_, "kube").value()->short_name, "KUBE-FM");
  EXPECT_EQ(RenameProgramme(*db_, "nope", "x", "XX").error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(SetProgrammeActive(*db_, "kube", false).ok());
  EXPECT_EQ(SetProgrammeActive(*db_, "kube", false).error().code, ErrorCode::kConflict);
  EXPECT_FALSE(CheckReferrable(*db_, {"kube"}).ok()) << "retired: no new referral";
  EXPECT_EQ(Programmes(*db_, false).value().size() + 1, Programmes(*db_, true).value().size());
  ASSERT_TRUE(SetProgrammeActive(*db_, "kube", true).ok());
  EXPECT_TRUE(CheckReferrable(*db_, {"kube"}).ok());
}

TEST_F(CatalogueTest, CategoriesAreSeededFromTheFileAndKeptByTheAdministrator) {
  const std::vector<Category> file = {{"pkh", "category.pkh", {}, true, 0},
                                      {"lansia", "category.lansia", {}, true, 0}};
  ASSERT_EQ(SeedCategories(*db_, file).value(), 2);
  ASSERT_EQ(SeedCategories(*db_, file).value(), 0) << "seeding twice adds nothing";

  ASSERT_TRUE(
      AddCategory(*db_, {"pungli", "", {{"id", "Pungutan liar"}, {"en", "Illegal fees"}}, true, 0})
          .ok());
  EXPECT_EQ(AddCategory(*db_, {"rantau", "", {{"id", "Pemulangan"}}, true, 0}).error().message,
            "labels.en: required");
  EXPECT_NE(AddCategory(*db_, {"rantau",
                               "",
                               {{"id", "Pemulangan orang terlantar ke daerah asal"},
                                {"en", "Repatriation"}},
                               true,
                               0})
                .error()
                .message.find("labels.id"),
            std::string::npos)
      << "longer than a WhatsApp list row";
  EXPECT_EQ(AddCategory(*db_, {"pkh", "", {{"id", "PKH"}, {"en", "PKH"}}, true, 0}).error().code,
            ErrorCode::kConflict);

  ASSERT_TRUE(SetCategoryActive(*db_, "lansia", false).ok());
  ASSERT_TRUE(RenameCategory(*db_, "pkh", {{"id", "Bansos PKH"}, {"en", "PKH cash aid"}}).ok());
  // A later start with a file that gained a category: it is added after the others; the one the
  // administrator retired stays retired, the one they renamed keeps its labels.
  const std::vector<Category> grown = {{"pkh", "category.pkh", {}, true, 0},
                                       {"lansia", "category.lansia", {}, true, 0},
                                       {"adminduk", "category.adminduk", {}, true, 0}};
  ASSERT_EQ(SeedCategories(*db_, grown).value(), 1);
  auto offered = Categories(*db_, false);
  ASSERT_TRUE(offered.ok());
  std::vector<std::string> ids;
  for (const auto& c : offered.value()) ids.push_back(c.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"pkh", "pungli", "adminduk"}));
  EXPECT_EQ(offered.value()[0].labels.at("id"), "Bansos PKH");
  EXPECT_EQ(offered.value()[0].label_key, "category.pkh");
  EXPECT_EQ(Categories(*db_, true).value().size(), 4u) << "retired ones are kept";
  EXPECT_EQ(SetCategoryActive(*db_, "nope", false).error().code, ErrorCode::kNotFound);
}

TEST_F(CatalogueTest, AProgrammeManagerSeesAndAnswersOnlyItsProgrammesReferralsInItsRegion) {
  const std::string pkh = Referred(kCilumba, {"pkh"}, "AAAAAA");
  const std::string both = Referred(kCilumba, {"pbi_jk", "pkh"}, "BBBBBB");
  const std::string pbi = Referred(kCilumba, {"pbi_jk"}, "CCCCCC");
  const std::string garut = Referred(kGarut, {"pkh"}, "DDDDDD");
  const Actor pkh_manager{71, Role::kProgrammeManager, "32.06", "pkh"};
  const Actor pbi_manager{72, Role::kProgrammeManager, "32.06", "pbi_jk"};
  const Actor unbound{73, Role::kProgrammeManager, "32.06", ""};

  EXPECT_EQ(Listed(pkh_manager), (std::set<std::string>{pkh, both}));
  EXPECT_EQ(Listed(pbi_manager), (std::set<std::string>{both, pbi}));
  EXPECT_TRUE(Listed(unbound).empty());
  EXPECT_EQ(Get(*db_, pbi, pkh_manager).error().code, ErrorCode::kNotFound)
      << "another programme's ticket looks like an unknown code";
  EXPECT_EQ(Get(*db_, garut, pkh_manager).error().code, ErrorCode::kNotFound)
      << "another regency's PKH referral too";

  Request answer;
  answer.action = Action::kAnswer;
  answer.programme = "pkh";
  answer.answer = ReferralStatus::kNeedsInfo;
  auto answered = Act(*db_, both, answer, pkh_manager, "KK belum sesuai", ++now_);
  ASSERT_TRUE(answered.ok()) << answered.error().message;
  EXPECT_EQ(answered.value().after.view.referrals[1].status, ReferralStatus::kNeedsInfo);

  answer.programme = "pbi_jk";
  EXPECT_EQ(Act(*db_, both, answer, pkh_manager, "", ++now_).error().code,
            ErrorCode::kPermissionDenied)
      << "the other programme's referral on the same ticket";
  answer.programme = "pkh";
  EXPECT_EQ(Act(*db_, garut, answer, pkh_manager, "", ++now_).error().code, ErrorCode::kNotFound);
  for (Action a : {Action::kNote, Action::kResolve, Action::kClaim, Action::kRefer}) {
    Request r;
    r.action = a;
    r.programmes = {"pkh"};
    auto refused = Act(*db_, pkh, r, pkh_manager, "catatan", ++now_);
    ASSERT_FALSE(refused.ok()) << ActionName(a);
    EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied) << ActionName(a);
  }
  EXPECT_EQ(MayReadReports(pkh_manager).error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(MayReadReports({51, Role::kManager, "32.06"}).ok());
}

TEST(CatalogueRules, AProgrammeManagerSeesATicketOnlyThroughItsProgrammesReferral) {
  CaseView ticket;
  ticket.village_code = kCilumba;
  ticket.status = Status::kReferred;
  const Actor pkh_manager{71, Role::kProgrammeManager, "32.06", "pkh"};
  EXPECT_FALSE(Sees(pkh_manager, ticket)) << "no referral yet";
  ticket.referrals = {{"pbi_jk", ReferralStatus::kPending}};
  EXPECT_FALSE(Sees(pkh_manager, ticket));
  ticket.referrals.push_back({"pkh", ReferralStatus::kPending});
  EXPECT_TRUE(Sees(pkh_manager, ticket));
  EXPECT_FALSE(Sees({71, Role::kProgrammeManager, "32.07", "pkh"}, ticket));
  EXPECT_TRUE(Sees({51, Role::kManager, "32.06"}, ticket)) << "other roles: the region alone";
  EXPECT_EQ(RoleFromName("programme_manager"), Role::kProgrammeManager);
  EXPECT_STREQ(RoleName(Role::kProgrammeManager), "programme_manager");
}

}  // namespace
}  // namespace satupintu::tickets
