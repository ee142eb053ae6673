// The catalogue as data the administrator keeps, and the programme manager, on the real binary:
// the CLI adds a programme and a programme manager; over /api/v1 the regency's administrator
// adds, renames and retires a programme and a complaint category (each change and each refusal
// audited), others are refused (403), a retired programme takes no referral, the citizens' list
// of categories stays one SMS (a full list refuses a new category), and a PKH manager of a
// kecamatan lists and answers only the PKH referrals of its kecamatan.

#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <set>
#include <thread>
#include <tuple>

#include "gateway_harness.hpp"
#include "paths/paths.hpp"

namespace satupintu::testing {
namespace {

using namespace std::chrono_literals;

constexpr char kCilumba[] = "32.06.05.2002";   // Kec. Cikatomas
constexpr char kCisempur[] = "32.06.06.2001";  // another kecamatan of the regency
constexpr char kPassword[] = "kopi-tubruk-2025";
constexpr char kSecret[] = "mo-secret";

class CatalogueProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const json patch = OfficeTestPatch();
    config_ = ConfigWith(dir_, patch);
    WriteFile(dir_.File("cli.json"), config_);
    ASSERT_TRUE(std::filesystem::exists(RegionsDataDir() + "/villages.csv"));
    ASSERT_EQ(RunCli(dir_, "regions import"), 0) << ReadFile(dir_.File("cli.out"));
    for (const auto& [user, role, region] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"admin", "admin", "32.06"},
             {"camat_admin", "admin", "32.06.05"},
             {"dewi", "manager", "32.06"},
             {"budi", "back_office", "32.06"}}) {
      ASSERT_EQ(AddUser(dir_, user, role, region, kPassword), 0) << ReadFile(dir_.File("cli.out"));
    }
  }

  void Start() {
    gw_ = StartGateway(dir_, config_, "gw",
                       {"SATUPINTU_TEST_KANNEL_PASSWORD=pw",
                        std::string("SATUPINTU_TEST_KANNEL_SECRET=") + kSecret});
    ASSERT_NE(gw_.ports.public_port, 0) << gw_.Log();
  }

  void TearDown() override {
    if (gw_.child) {
      EXPECT_EQ(StopGateway(gw_), 0);
    }
  }

  void Sms(const std::string& phone, const std::string& text) {
    ASSERT_EQ(Get(gw_.ports.private_port, KannelMoTarget(phone, text, ++mo_id_, kSecret)).status,
              200);
  }

  ClientResponse Call(const std::string& method, const std::string& target,
                      const std::string& token, const json& body = nullptr) const {
    return ApiCall(gw_.ports.public_port, method, target, token,
                   body.is_null() ? std::string() : body.dump());
  }

  std::string Login(const std::string& user) {
    return LoginToken(gw_.ports.public_port, user, kPassword);
  }

  std::set<std::string> Listed(const std::string& token) {
    auto r = Call("GET", "/api/v1/tickets", token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::string> out;
    auto doc = json::parse(r.body, nullptr, false);
    if (!doc.is_object()) return out;
    for (const auto& t : doc["items"]) out.insert(t.value("code", ""));
    return out;
  }

  int Act(const std::string& token, const std::string& code, const json& body) {
    auto r = Call("POST", "/api/v1/tickets/" + code + "/actions", token, body);
    return r.status;
  }

  // The ids of GET `target`'s items with `active`.
  std::set<std::string> Ids(const std::string& target, const std::string& token,
                            bool active = true) {
    auto r = Call("GET", target, token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::string> out;
    auto doc = json::parse(r.body, nullptr, false);
    if (!doc.is_object()) return out;
    for (const auto& i : doc["items"]) {
      if (i.value("active", false) == active) out.insert(i.value("id", ""));
    }
    return out;
  }

  // The audit rows of `action` on `object`, as "actor outcome" lines.
  std::vector<std::string> Audited(const std::string& action, const std::string& object) {
    SqliteFile db(dir_.File("satupintu.db"));
    std::vector<std::string> out;
    const std::int64_t n =
        db.Int("SELECT COUNT(*) FROM audit_log WHERE action = ?1 AND object = ?2", action, object);
    for (std::int64_t i = 0; i < n; ++i) {
      out.push_back(db.Text("SELECT actor || ' ' || outcome FROM audit_log WHERE action = '" +
                            action + "' AND object = '" + object + "' ORDER BY id LIMIT 1 OFFSET " +
                            std::to_string(i)));
    }
    return out;
  }

  TempDir dir_;
  std::string config_;
  Gateway gw_;
  int mo_id_ = 0;
};

TEST_F(CatalogueProcessTest, TheAdministratorKeepsTheCatalogueAndAProgrammeManagerItsReferrals) {
  // The command line: a programme, then a PKH manager of Kec. Cikatomas bound to it.
  ASSERT_EQ(RunCli(dir_,
                   "catalogue add programme --id kube --name 'Kelompok Usaha Bersama'"
                   " --short-name KUBE"),
            0)
      << ReadFile(dir_.File("cli.out"));
  EXPECT_EQ(RunCli(dir_, "catalogue add programme --id kube --name x --short-name KUBE"), 1)
      << "the id exists";
  EXPECT_EQ(RunCli(dir_,
                   "users add --username pkh_tanpa --name 'Tanpa Program'"
                   " --role programme_manager --region 32.06.05"),
            2)
      << "a programme manager needs a programme";
  EXPECT_NE(ReadFile(dir_.File("cli.out")).find("programme"), std::string::npos);
  ASSERT_EQ(RunCli(dir_,
                   "users add --username pkh_cikatomas --name 'PKH Cikatomas'"
                   " --role programme_manager --region 32.06.05 --programme pkh --password-stdin",
                   std::string(kPassword) + "\n"),
            0)
      << ReadFile(dir_.File("cli.out"));
  ASSERT_EQ(RunCli(dir_, "catalogue list"), 0);
  const std::string listed = ReadFile(dir_.File("cli.out"));
  EXPECT_NE(listed.find("kube"), std::string::npos) << listed;
  EXPECT_NE(listed.find("category  pkh"), std::string::npos) << "seeded from categories.json";
  EXPECT_EQ(Audited("catalogue.programme.add", "programme:kube").size(), 1u);
  Start();

  const std::string admin = Login("admin");
  const std::string bo = Login("budi");
  const std::string camat_admin = Login("camat_admin");
  const std::string dewi = Login("dewi");

  // Programmes: added, renamed, retired by the regency's administrator; refused to others.
  const json csr = {{"id", "csr_bank"}, {"name", "CSR Bank Daerah"}, {"short_name", "CSR Bank"}};
  EXPECT_EQ(Call("POST", "/api/v1/programmes", bo, csr).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/programmes", camat_admin, csr).status, 403)
      << "the catalogue is the regency's: a kecamatan's administrator does not change it";
  auto bad =
      Call("POST", "/api/v1/programmes", admin,
           json{{"id", "csr_bank"}, {"name", "CSR"}, {"short_name", "CSR \xE2\x80\x93 Bank"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("short_name"), std::string::npos) << bad.body;
  EXPECT_EQ(Call("POST", "/api/v1/programmes", admin, csr).status, 201);
  auto renamed =
      Call("POST", "/api/v1/programmes/csr_bank/actions", admin,
           json{{"action", "rename"}, {"name", "CSR BPD Jabar"}, {"short_name", "CSR BPD"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(json::parse(renamed.body).value("short_name", ""), "CSR BPD");
  EXPECT_EQ(Call("POST", "/api/v1/programmes/kube/actions", bo, json{{"action", "retire"}}).status,
            403);
  EXPECT_EQ(
      Call("POST", "/api/v1/programmes/kube/actions", admin, json{{"action", "retire"}}).status,
      200);
  EXPECT_EQ(
      Call("POST", "/api/v1/programmes/kube/actions", admin, json{{"action", "retire"}}).status,
      409);
  EXPECT_FALSE(Ids("/api/v1/programmes", bo).contains("kube")) << "everyone reads the catalogue";
  EXPECT_TRUE(Ids("/api/v1/programmes?all=1", bo, false).contains("kube"));
  EXPECT_EQ(
      Audited("catalogue.programme.add", "programme:csr_bank"),
      (std::vector<std::string>{"user:4 denied", "user:2 denied", "user:1 invalid", "user:1 ok"}));
  EXPECT_EQ(Audited("catalogue.programme.rename", "programme:csr_bank"),
            std::vector<std::string>{"user:1 ok"});
  EXPECT_EQ(Audited("catalogue.programme.retire", "programme:kube").size(), 3u);

  // Categories: the first list holds 10 (one WhatsApp list, one SMS): a new one is refused
  // until one is retired.
  const json rantau = {{"id", "rantau"}, {"labels", {{"id", "Perantau"}, {"en", "Migrants"}}}};
  EXPECT_EQ(Call("POST", "/api/v1/categories", bo, rantau).status, 403);
  auto full = Call("POST", "/api/v1/categories", admin, rantau);
  EXPECT_EQ(full.status, 409) << full.body;
  EXPECT_FALSE(Ids("/api/v1/categories?all=1", admin).contains("rantau")) << "undone";
  auto no_en = Call("POST", "/api/v1/categories", admin,
                    json{{"id", "rantau"}, {"labels", {{"id", "Perantau"}}}});
  EXPECT_EQ(no_en.status, 400);
  EXPECT_NE(no_en.body.find("labels.en"), std::string::npos) << no_en.body;
  auto retired =
      Call("POST", "/api/v1/categories/bencana/actions", admin, json{{"action", "retire"}});
  ASSERT_EQ(retired.status, 200) << retired.body;
  auto added = Call("POST", "/api/v1/categories", admin, rantau);
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(json::parse(added.body)["labels"].value("en", ""), "Migrants");
  EXPECT_EQ(
      Call("POST", "/api/v1/categories/rantau/actions", admin,
           json{{"action", "rename"}, {"labels", {{"id", "Warga rantau"}, {"en", "Migrant"}}}})
          .status,
      200);
  EXPECT_EQ(
      Call("POST", "/api/v1/categories/rantau/actions", admin, json{{"action", "retire"}}).status,
      200);
  const auto offered = Ids("/api/v1/categories", bo);
  EXPECT_FALSE(offered.contains("rantau"));
  EXPECT_FALSE(offered.contains("bencana"));
  EXPECT_TRUE(offered.contains("pkh"));
  EXPECT_EQ(Audited("catalogue.category.add", "category:rantau"),
            (std::vector<std::string>{"user:4 denied", "user:1 conflict", "user:1 invalid",
                                      "user:1 ok"}));
  EXPECT_EQ(Audited("catalogue.category.rename", "category:rantau"),
            std::vector<std::string>{"user:1 ok"});
  EXPECT_EQ(Audited("catalogue.category.retire", "category:bencana"),
            std::vector<std::string>{"user:1 ok"});

  // Three complaints by the one-shot form (the place not known: "tidak tahu"), placed by the
  // manager in two villages of Kec. Cikatomas and one of another kecamatan, taken to
  // "reviewed".
  Sms("6281200000001", "ADU#3206014508850003#Bantuan PKH blm cair sdh 3 bln");
  Sms("6281200000002", "ADU#3206014508850003#Kartu KIS tdk aktif lg");
  Sms("6281200000003", "ADU#3206014508850003#PKH ibu sy dihapus");
  for (const char* phone : {"6281200000001", "6281200000002", "6281200000003"}) {
    Sms(phone, "tidak tahu");
  }
  std::set<std::string> codes;
  for (auto until = std::chrono::steady_clock::now() + 30s;
       codes.size() < 3 && std::chrono::steady_clock::now() < until;
       std::this_thread::sleep_for(100ms)) {
    codes = Listed(dewi);
  }
  ASSERT_EQ(codes.size(), 3u) << gw_.Log();
  std::vector<std::string> c(codes.begin(), codes.end());
  const std::vector<std::string> places = {kCilumba, kCilumba, kCisempur};
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(Act(dewi, c[i], {{"action", "place"}, {"village_code", places[i]}}), 200);
    for (const char* action : {"verify", "forward", "review"}) {
      ASSERT_EQ(Act(dewi, c[i], {{"action", action}}), 200) << action;
    }
  }
  // A retired programme takes no referral.
  EXPECT_EQ(Act(dewi, c[0], {{"action", "refer"}, {"programmes", {"kube"}}}), 400);
  ASSERT_EQ(Act(dewi, c[0], {{"action", "refer"}, {"programmes", {"pkh"}}}), 200);
  ASSERT_EQ(Act(dewi, c[1], {{"action", "refer"}, {"programmes", {"pbi_jk"}}}), 200);
  ASSERT_EQ(Act(dewi, c[2], {{"action", "refer"}, {"programmes", {"pkh"}}}), 200);

  // The PKH manager of Kec. Cikatomas: the PKH referral of its kecamatan, nothing else.
  const std::string pkh = Login("pkh_cikatomas");
  EXPECT_EQ(Listed(pkh), std::set<std::string>{c[0]});
  auto read = Call("GET", "/api/v1/tickets/" + c[0], pkh);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(json::parse(read.body)["allowed_actions"], json::array({"answer"}));
  EXPECT_EQ(Call("GET", "/api/v1/tickets/" + c[1], pkh).status, 404) << "PBI-JK's referral";
  EXPECT_EQ(Call("GET", "/api/v1/tickets/" + c[2], pkh).status, 404) << "another kecamatan";
  EXPECT_EQ(Act(pkh, c[1], {{"action", "answer"}, {"programme", "pbi_jk"}, {"answer", "accepted"}}),
            404);
  EXPECT_EQ(Act(pkh, c[0], {{"action", "resolve"}}), 403);
  EXPECT_EQ(Act(pkh, c[0],
                {{"action", "answer"},
                 {"programme", "pkh"},
                 {"answer", "needs_info"},
                 {"note", "KK belum sesuai"}}),
            200);
  EXPECT_EQ(Call("GET", "/api/v1/reports/weekly", pkh).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/programmes", pkh, csr).status, 403);
  auto answered = json::parse(Call("GET", "/api/v1/tickets/" + c[0], dewi).body);
  EXPECT_EQ(answered["referrals"][0].value("status", ""), "needs_info");
  auto me = json::parse(Call("GET", "/api/v1/me", pkh).body);
  EXPECT_EQ(me.value("programme", ""), "pkh");
}

}  // namespace
}  // namespace satupintu::testing
