// A citizen's requests about their own data on the real binary (issue 18 item 5): a citizen
// opens a ticket by SMS (Kannel MOs; replies wait in the outbox, Kannel is not there), an
// officer reads it, the operator restricts the citizen's processing by phone with
// `satupintu subject restrict`: the dialogs then answer only privacy.restricted and the office's
// officers' messages do not reach them. The export (command line and API) holds the ticket and the
// officer's read from the audit log; only an administrator may use the API (a facilitator
// gets 403, audited); erasure is held while the ticket is open and forced with a legal basis.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <tuple>

#include "gateway_harness.hpp"
#include "paths/paths.hpp"

namespace satupintu::testing {
namespace {

using namespace std::chrono_literals;

constexpr char kCilumba[] = "32.06.05.2002";
constexpr char kPassword[] = "kopi-tubruk-2025";
constexpr char kSecret[] = "mo-secret";
constexpr char kAni[] = "6281200000001";
constexpr char kNik[] = "3206014508850003";

class SubjectProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    json patch = OfficeTestPatch();
    patch["registry"] = {{"dir", dir_.File("registry")},
                         {"hash_key_file", dir_.File("registry/hash.key")}};
    config_ = ConfigWith(dir_, patch);
    WriteFile(dir_.File("cli.json"), config_);
    ASSERT_EQ(RunCli(dir_, "regions import"), 0) << ReadFile(dir_.File("cli.out"));
    // A registry of one household: tickets keep the NIK's keyed hash and the registry's answer.
    WriteFile(dir_.File("dtks.csv"),
              "nik,kk,name,sex,birth_date,village_code,status,desil,snapshot_date\n" +
                  std::string(kNik) + ",3206010101100001,Ani Suryani,P,1985-08-05," + kCilumba +
                  ",aktif,2,2026-04-01\n");
    ASSERT_EQ(RunCli(dir_, "registry import '" + dir_.File("dtks.csv") + "'"), 0)
        << ReadFile(dir_.File("cli.out"));
    for (const auto& [user, role, region] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"siti", "facilitator", kCilumba},
             {"fajar", "front_office", "32.06"},
             {"rina", "admin", "32.06"}}) {
      ASSERT_EQ(AddUser(dir_, user, role, region, kPassword), 0) << ReadFile(dir_.File("cli.out"));
    }
    gw_ = StartGateway(dir_, config_, "gw",
                       {"SATUPINTU_TEST_KANNEL_PASSWORD=pw",
                        std::string("SATUPINTU_TEST_KANNEL_SECRET=") + kSecret});
    ASSERT_NE(gw_.ports.public_port, 0) << gw_.Log();
    db_ = std::make_unique<SqliteFile>(dir_.File("satupintu.db"));
    ASSERT_TRUE(db_->IsOpen());
  }

  void TearDown() override {
    db_.reset();
    if (gw_.child) {
      EXPECT_EQ(StopGateway(gw_), 0);
    }
  }

  void Sms(const std::string& phone, const std::string& text) {
    ASSERT_EQ(Get(gw_.ports.private_port, KannelMoTarget(phone, text, ++mo_id_, kSecret)).status,
              200);
  }

  // Messages queued to `address` so far.
  std::int64_t Queued(const std::string& address) {
    return db_->Int("SELECT COUNT(*) FROM outbox_message WHERE address = ?", address);
  }
  // Waits until more than `count` messages were queued to `address` (the dispatcher answered).
  bool WaitQueued(const std::string& address, std::int64_t count) {
    for (auto until = std::chrono::steady_clock::now() + 20s;
         std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(50ms)) {
      if (Queued(address) > count) return true;
    }
    return false;
  }
  std::string LastText(const std::string& address) {
    return db_->Text(
        "SELECT group_concat(p.text, '') FROM outbox_part p WHERE p.message_id ="
        " (SELECT MAX(id) FROM outbox_message WHERE address = ?)",
        address);
  }

  ClientResponse Call(const std::string& method, const std::string& target,
                      const std::string& token, const std::string& body = "") const {
    return ApiCall(gw_.ports.public_port, method, target, token, body);
  }
  std::string Login(const std::string& user) {
    return LoginToken(gw_.ports.public_port, user, kPassword);
  }

  int Cli(const std::string& args) { return RunCli(dir_, args); }
  std::string CliOut() { return ReadFile(dir_.File("cli.out")); }

  TempDir dir_;
  std::string config_;
  Gateway gw_;
  std::unique_ptr<SqliteFile> db_;
  int mo_id_ = 0;
};

TEST_F(SubjectProcessTest, RestrictExportAndEraseAPersonByCliAndApi) {
  // The citizen's complaint by the one-shot form; the place asked once, answered "don't know".
  Sms(kAni, std::string("ADU#") + kNik + "#Bantuan PKH blm cair sdh 3 bln");
  ASSERT_TRUE(WaitQueued(kAni, 0)) << gw_.Log();
  std::string code;
  for (const char* answer : {"tidak tahu", "1", "ya"}) {
    code = db_->Text("SELECT code FROM ticket WHERE nik_masked = '3206********0003'");
    if (!code.empty()) break;
    const std::int64_t before = Queued(kAni);
    Sms(kAni, answer);
    ASSERT_TRUE(WaitQueued(kAni, before)) << gw_.Log();
  }
  if (code.empty())
    code = db_->Text("SELECT code FROM ticket WHERE nik_masked = '3206********0003'");
  ASSERT_FALSE(code.empty()) << "no ticket: " << LastText(kAni);
  ASSERT_NE(db_->Text("SELECT nik_hash FROM ticket WHERE code = ?", code), "") << gw_.Log();

  // An officer reads it (an audit row the export must show).
  const std::string fajar = Login("fajar");
  ASSERT_EQ(Call("GET", "/api/v1/tickets/" + code + "?purpose=verifikasi", fajar).status, 200);
  const std::string fajar_id =
      std::to_string(db_->Int("SELECT id FROM app_user WHERE username = 'fajar'"));

  // Restricted by phone, in the national form the citizen gave on paper.
  ASSERT_EQ(Cli("subject restrict --phone 081200000001"), 2) << "--purpose and --by are required";
  ASSERT_EQ(Cli("subject restrict --phone 081200000001 --purpose 'permintaan warga 2026-05-27'"
                " --by 'Rina DPO' --reason 'surat tertanggal 2026-05-27'"),
            0)
      << CliOut();
  const std::int64_t before = Queued(kAni);
  Sms(kAni, "MENU");
  ASSERT_TRUE(WaitQueued(kAni, before)) << gw_.Log();
  Sms(kAni, "STATUS");
  ASSERT_TRUE(WaitQueued(kAni, before + 1)) << gw_.Log();
  std::this_thread::sleep_for(300ms);  // anything else the dispatcher would have queued
  EXPECT_EQ(Queued(kAni), before + 2);
  const std::string restricted =
      json::parse(ReadFile(SourcePath("locales/id.json")))["privacy.restricted"];
  EXPECT_EQ(db_->Int("SELECT COUNT(*) FROM outbox_message m WHERE m.address = ? AND m.id >"
                     " (SELECT MAX(id) - 2 FROM outbox_message WHERE address = ?)"
                     " AND (SELECT group_concat(text, '') FROM outbox_part WHERE message_id = m.id)"
                     " = '" +
                         restricted + "'",
                     kAni, kAni),
            2);
  EXPECT_EQ(db_->Int("SELECT COUNT(*) FROM inbound_journal WHERE channel = 'kannel:dinsos'"),
            mo_id_)
      << "every message is journaled";

  // The office cannot write to them: nothing is routed to a restricted citizen.
  auto message = Call("POST", "/api/v1/tickets/" + code + "/messages", fajar,
                      json{{"text", "Mohon datang ke kantor desa"}}.dump());
  EXPECT_EQ(message.status, 409) << message.body;
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(Queued(kAni), before + 2) << LastText(kAni);

  // The export by NIK to a file: the ticket, the address and the officer's read.
  ASSERT_EQ(Cli(std::string("subject export --nik ") + kNik + " --purpose 'akses data warga'" +
                " --by 'Rina DPO' --out '" + dir_.File("ani.json") + "'"),
            0)
      << CliOut();
  struct stat st {};
  ASSERT_EQ(::stat(dir_.File("ani.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const json doc = json::parse(ReadFile(dir_.File("ani.json")));
  ASSERT_EQ(doc["tickets"].size(), 1u);
  EXPECT_EQ(doc["tickets"][0]["code"], code);
  EXPECT_EQ(doc["citizens"][0]["addresses"][0]["address"], kAni);
  EXPECT_EQ(doc["restrictions"].size(), 1u);
  bool read_by_fajar = false;
  bool export_row = false;
  for (const auto& row : doc["audit"]) {
    read_by_fajar |= row["actor"] == "user:" + fajar_id && row["action"] == "ticket.read" &&
                     row["purpose"] == "verifikasi";
    export_row |=
        row["action"] == "subject.export" && row["actor"].get<std::string>().starts_with("cli:");
  }
  EXPECT_TRUE(read_by_fajar) << doc["audit"].dump();
  EXPECT_TRUE(export_row);

  // The API: a facilitator is refused (and audited), the administrator gets the document.
  const std::string siti = Login("siti");
  const json by_phone = {{"phone", "+62 812-0000-0001"}, {"purpose", "akses data warga"}};
  auto refused = Call("POST", "/api/v1/subjects/export", siti, by_phone.dump());
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(refused.body.find(code), std::string::npos);
  EXPECT_EQ(db_->Int("SELECT COUNT(*) FROM audit_log WHERE action = 'subject.export'"
                     " AND outcome = 'denied'"),
            1);
  EXPECT_EQ(Call("POST", "/api/v1/subjects/erase", siti, by_phone.dump()).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/subjects/restrict", siti, by_phone.dump()).status, 403);
  const std::string rina = Login("rina");
  auto exported = Call("POST", "/api/v1/subjects/export", rina, by_phone.dump());
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(json::parse(exported.body)["tickets"][0]["code"], code);
  EXPECT_EQ(Call("POST", "/api/v1/subjects/export", rina,
                 json{{"phone", "081299990000"}, {"purpose", "x"}}.dump())
                .status,
            404);

  // Erasure: held while the ticket is open, then forced with its legal basis; the reports keep
  // their count.
  const std::int64_t received = db_->Int("SELECT SUM(received) FROM report_day");
  auto held = Call("POST", "/api/v1/subjects/erase", rina, by_phone.dump());
  EXPECT_EQ(held.status, 409) << held.body;
  EXPECT_NE(db_->Text("SELECT description FROM ticket WHERE code = ?", code), "");
  json forced = by_phone;
  forced["force"] = true;
  forced["legal_basis"] = "Putusan PN 11/2026";
  auto erased = Call("POST", "/api/v1/subjects/erase", rina, forced.dump());
  ASSERT_EQ(erased.status, 200) << erased.body;
  EXPECT_EQ(json::parse(erased.body)["tickets_anonymised"], 1);
  EXPECT_EQ(db_->Text("SELECT name || description || nik_hash FROM ticket WHERE code = ?", code),
            "");
  EXPECT_EQ(db_->Int("SELECT COUNT(*) FROM citizen_address WHERE address = ?", kAni), 0);
  EXPECT_EQ(db_->Int("SELECT COUNT(*) FROM outbox_message WHERE address = ?", kAni), 0);
  EXPECT_EQ(db_->Int("SELECT SUM(received) FROM report_day"), received);
  EXPECT_EQ(Cli(std::string("subject export --nik ") + kNik + " --purpose x --by y"), 1)
      << "nothing is held any more";

  // A second citizen with an open ticket: held, then forced with its legal basis (command line).
  Sms("6281200000002", "PETUGAS");
  Sms("6281200000002", "ya");
  Sms("6281200000002", "tidak tahu");
  for (auto until = std::chrono::steady_clock::now() + 20s;
       db_->Int("SELECT COUNT(*) FROM ticket WHERE citizen_id > 0") == 0 &&
       std::chrono::steady_clock::now() < until;
       std::this_thread::sleep_for(50ms)) {
  }
  ASSERT_EQ(db_->Int("SELECT COUNT(*) FROM ticket WHERE citizen_id > 0"), 1) << gw_.Log();
  EXPECT_EQ(Cli("subject erase --phone 081200000002 --purpose hapus --by Rina"), 1) << CliOut();
  EXPECT_NE(CliOut().find("still open"), std::string::npos) << CliOut();
  EXPECT_EQ(Cli("subject erase --phone 081200000002 --purpose hapus --by Rina --force"), 2);
  EXPECT_EQ(Cli("subject erase --phone 081200000002 --purpose hapus --by Rina --force"
                " --legal-basis 'Putusan PN 12/2026'"),
            0)
      << CliOut();
  EXPECT_EQ(db_->Int("SELECT COUNT(*) FROM ticket WHERE citizen_id > 0"), 0);
  EXPECT_EQ(db_->Int("SELECT COUNT(*) FROM audit_log WHERE action = 'subject.erase'"
                     " AND purpose LIKE '%legal basis: Putusan PN 12/2026%'"),
            1);
  EXPECT_EQ(Cli("audit verify"), 0) << CliOut();
  // No NIK or phone number in the audit log's subject rows, only masked references.
  EXPECT_EQ(db_->Int("SELECT COUNT(*) FROM audit_log WHERE object LIKE '%0000000%'"
                     " OR object LIKE '%" +
                     std::string(kNik) + "%'"),
            0);
}

}  // namespace
}  // namespace satupintu::testing
