// No complaint without an accountable officer, on the real binary: citizens open tickets by
// every path (the complaint dialog with a village, the one-shot form with a NIK the registry
// does not know, a request for an officer) as Kannel MOs, and /api/v1 shows which officers
// list each one. The one-shot form and the request for an officer ask the place once (a
// village or kecamatan, or "tidak tahu"); a ticket whose village nobody knows waits in the
// regency's queue, where the front office places it.

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

constexpr char kCilumba[] = "32.06.05.2002";    // Kec. Cikatomas, Kab. Tasikmalaya
constexpr char kPakemitan[] = "32.06.05.2003";  // Kec. Cikatomas
constexpr char kPassword[] = "kopi-tubruk-2025";
constexpr char kSecret[] = "mo-secret";

class TicketOwnerProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const json patch = OfficeTestPatch();
    config_ = ConfigWith(dir_, patch);
    WriteFile(dir_.File("cli.json"), config_);
    ASSERT_TRUE(std::filesystem::exists(RegionsDataDir() + "/villages.csv"));
    ASSERT_EQ(RunCli(dir_, "regions import"), 0) << ReadFile(dir_.File("cli.out"));
    for (const auto& [user, role, region] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"siti", "facilitator", kCilumba},
             {"budi", "facilitator", kPakemitan},
             {"sari", "supervisor", "32.06.05"},
             {"fajar", "front_office", "32.06"},
             {"dewi", "manager", "32.06"},
             {"garut", "manager", "32.05"}}) {
      ASSERT_EQ(AddUser(dir_, user, role, region, kPassword), 0) << ReadFile(dir_.File("cli.out"));
    }
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

  // One SMS from `phone` through Kannel's MO callback.
  void Sms(const std::string& phone, const std::string& text) {
    ASSERT_EQ(Get(gw_.ports.private_port, KannelMoTarget(phone, text, ++mo_id_, kSecret)).status,
              200);
  }

  ClientResponse Call(const std::string& method, const std::string& target,
                      const std::string& token, const std::string& body = "") const {
    return ApiCall(gw_.ports.public_port, method, target, token, body);
  }

  std::string Login(const std::string& user) {
    return LoginToken(gw_.ports.public_port, user, kPassword);
  }

  // The codes `token`'s officer lists (open tickets, with `query`), by code prefix and place.
  std::set<std::string> Listed(const std::string& token, const std::string& query = "") {
    auto r = Call("GET", "/api/v1/tickets" + query, token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::string> out;
    auto doc = json::parse(r.body, nullptr, false);
    if (!doc.is_object()) return out;
    for (const auto& t : doc["items"]) out.insert(t.value("code", ""));
    return out;
  }

  TempDir dir_;
  std::string config_;
  Gateway gw_;
  int mo_id_ = 0;
};

TEST_F(TicketOwnerProcessTest, EveryPathLeadsToAnOfficerAndTheFrontOfficePlacesTheUnknown) {
  // 1. The one-shot form with a NIK the (empty) registry does not know: one question, the
  //    place, answered with the village; two villages of the regency are called Pakemitan,
  //    and the first on the list is the one of Kec. Cikatomas.
  Sms("6281200000001", "ADU#3206014508850003#Bantuan PKH blm cair sdh 3 bln");
  Sms("6281200000001", "Pakemitan");
  Sms("6281200000001", "1");
  // 2. A request for an officer, confirmed; the citizen does not say where they live.
  Sms("6281200000002", "PETUGAS");
  Sms("6281200000002", "ya");
  Sms("6281200000002", "tidak tahu");
  // 3. The complaint dialog, where the citizen names their village.
  for (const char* text : {"1", "1", "5", "gak tau", "Ujang Sutisna", "17 agustus 1975", "cilumba",
                           "rumah bocor dan dinding retak", "ya"}) {
    Sms("6281200000003", text);
  }
  const std::string fajar = Login("fajar");
  std::set<std::string> all;
  for (auto until = std::chrono::steady_clock::now() + 30s;
       all.size() < 3 && std::chrono::steady_clock::now() < until;
       std::this_thread::sleep_for(100ms)) {
    all = Listed(fajar);
  }
  ASSERT_EQ(all.size(), 3u) << gw_.Log();

  // Which ticket came from which path: the one-shot complaint is in Pakemitan (its
  // facilitator lists it), the dialog's in Cilumba, the request for an officer waits at the
  // regency, the only unplaced one.
  const std::string siti = Login("siti");
  const std::string budi = Login("budi");
  const auto in_pakemitan = Listed(budi);
  ASSERT_EQ(in_pakemitan.size(), 1u) << "the one-shot form's answer placed it";
  const std::string oneshot = *in_pakemitan.begin();
  std::string human;
  std::string dialog;
  for (const auto& code : all) {
    if (code.rfind("PTG-", 0) == 0) human = code;
    if (code.rfind("ADU-", 0) == 0 && code != oneshot) dialog = code;
  }
  ASSERT_EQ(oneshot.rfind("ADU-", 0), 0u);
  ASSERT_FALSE(human.empty());
  ASSERT_FALSE(dialog.empty());
  EXPECT_EQ(Listed(fajar, "?unplaced=1"), std::set<std::string>{human});
  EXPECT_EQ(
      json::parse(Call("GET", "/api/v1/tickets/" + oneshot, fajar).body).value("village_code", ""),
      kPakemitan);

  const auto read = json::parse(Call("GET", "/api/v1/tickets/" + human, fajar).body);
  EXPECT_EQ(read.value("village_code", ""), "32.06");
  EXPECT_TRUE(read.value("unplaced", false));
  EXPECT_NE(read["allowed_actions"].dump().find("\"place\""), std::string::npos);

  // Who lists what: the regency's front office and manager everything, each village's
  // facilitator only the ticket placed in that village, the kecamatan's supervisor both placed
  // ones, another regency's manager nothing; nobody below the regency the unplaced one.
  EXPECT_EQ(Listed(Login("dewi")), all);
  EXPECT_EQ(Listed(siti), std::set<std::string>{dialog});
  EXPECT_EQ(Listed(Login("sari")), (std::set<std::string>{dialog, oneshot}));
  EXPECT_TRUE(Listed(Login("garut")).empty());
  EXPECT_EQ(Call("GET", "/api/v1/tickets/" + human, siti).status, 404);

  // The front office places the request for an officer in Pakemitan: now its facilitator has it.
  auto bad = Call("POST", "/api/v1/tickets/" + human + "/actions", fajar,
                  json{{"action", "place"}, {"village_code", "32.06.05.2999"}}.dump());
  EXPECT_EQ(bad.status, 400) << bad.body;
  auto placed = Call("POST", "/api/v1/tickets/" + human + "/actions", fajar,
                     json{{"action", "place"}, {"village_code", kPakemitan}}.dump());
  ASSERT_EQ(placed.status, 200) << placed.body;
  EXPECT_FALSE(json::parse(placed.body).value("unplaced", true));
  EXPECT_EQ(Listed(budi), (std::set<std::string>{oneshot, human}));
  EXPECT_TRUE(Listed(fajar, "?unplaced=1").empty());

  // The office writes to the citizen of the one-shot complaint: on their channel (SMS), with
  // the code; refused for a ticket out of the caller's region, for an empty text, and by the
  // page's viewer-less roles only within their scope.
  auto sent = Call("POST", "/api/v1/tickets/" + oneshot + "/messages", fajar,
                   json{{"text", "Bu, mohon datang ke kantor desa hari Kamis."}}.dump());
  ASSERT_EQ(sent.status, 201) << sent.body;
  EXPECT_EQ(json::parse(sent.body).value("channel", ""), "kannel:dinsos");
  EXPECT_EQ(
      Call("POST", "/api/v1/tickets/" + oneshot + "/messages", siti, json{{"text", "halo"}}.dump())
          .status,
      404);
  EXPECT_EQ(
      Call("POST", "/api/v1/tickets/" + oneshot + "/messages", fajar, json{{"text", "  "}}.dump())
          .status,
      400);
  // The citizen answers by SMS: the answer is in the ticket's conversation.
  Sms("6281200000001", "Baik bu, Kamis saya datang");
  std::string conversation;
  for (auto until = std::chrono::steady_clock::now() + 15s;
       conversation.find("Kamis saya datang") == std::string::npos &&
       std::chrono::steady_clock::now() < until;
       std::this_thread::sleep_for(100ms)) {
    conversation = Call("GET", "/api/v1/tickets/" + oneshot + "/conversation", fajar).body;
  }
  EXPECT_NE(conversation.find("\"direction\":\"in\",\"text\":\"Baik bu, Kamis saya datang\""),
            std::string::npos)
      << conversation;
  EXPECT_NE(conversation.find("mohon datang ke kantor desa"), std::string::npos) << conversation;
  // The officer's alerts: no route yet (no phone on the record), so nothing to turn off.
  EXPECT_EQ(json::parse(Call("GET", "/api/v1/me/alerts", fajar).body).value("enabled", json()),
            json());
  EXPECT_EQ(Call("PUT", "/api/v1/me/alerts", fajar, json{{"enabled", false}}.dump()).status, 409);
  EXPECT_EQ(Call("PUT", "/api/v1/me/alerts", fajar, json{{"enabled", "no"}}.dump()).status, 400);
}

}  // namespace
}  // namespace satupintu::testing
