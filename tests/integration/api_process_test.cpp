// The back office's REST API on the real binary over HTTPS: login and tokens, the whole SLRT
// path by five roles, and every region-scope rule - a facilitator of one village can neither
// list, read, export, report on nor act on another village's ticket, not even by its code -
// with every read in the hash-chained audit log; bad requests, rate limits and logout.

#include <gtest/gtest.h>

#include <filesystem>

#include "api/gzip.hpp"
#include "gateway_harness.hpp"
#include "paths/paths.hpp"
#include "storage/sqlite.hpp"
#include "tickets/tickets.hpp"

namespace satupintu::testing {
namespace {

using namespace std::chrono_literals;

constexpr char kCilumba[] = "32.06.05.2002";    // Kec. Cikatomas
constexpr char kPakemitan[] = "32.06.05.2003";  // Kec. Cikatomas
constexpr char kPassword[] = "kopi-tubruk-2025";
const std::string kRegions = ::satupintu::testing::RegionsDataDir();

class ApiProcessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    // The region tree (village names in the answers) from the npm package, imported before
    // the start: the default data_dir is relative to the working directory, which CTest sets
    // to the build tree.
    config_ = ConfigWith(*dir_, {{"users",
                                  {{"api_requests_per_minute_per_token", 100000},
                                   {"api_requests_per_minute_per_ip", 100000},
                                   {"login_attempts_per_15_min", 1000}}},
                                 {"regions", {{"data_dir", kRegions}}}});
    WriteFile(dir_->File("cli.json"), config_);
    ASSERT_TRUE(std::filesystem::exists(std::string(kRegions) + "/villages.csv"))
        << "the region tree is missing: run `npm ci --prefix deploy/regions --ignore-scripts`"
           " (tools/dev.sh test does)";
    ASSERT_EQ(Cli("regions import"), 0) << ReadFile(dir_->File("cli.out"));
    for (const auto& [user, role, region] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"siti", "facilitator", kCilumba},
             {"budi", "facilitator", kPakemitan},
             {"sari", "supervisor", "32.06.05"},
             {"fajar", "front_office", "32.06"},
             {"bayu", "back_office", "32.06"},
             {"admin", "admin", "32.06"}}) {
      ASSERT_EQ(AddUser(*dir_, user, role, region, kPassword), 0);
    }
    gw_ = new Gateway(StartGateway(*dir_, config_));
    ASSERT_NE(gw_->ports.public_port, 0) << gw_->Log();
  }
  static void TearDownTestSuite() {
    delete gw_;
    gw_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }

  static int Cli(const std::string& args) { return RunCli(*dir_, args); }

  // Opens a ticket the way the dialogs do, on the gateway's own store file.
  static std::string OpenTicket(const std::string& village, const std::string& name) {
    auto db = storage::Db::Open(dir_->File("satupintu.db"), false);
    EXPECT_TRUE(db.ok());
    if (!db.ok()) return "";
    EXPECT_TRUE(db.value()->Exec("PRAGMA busy_timeout = 5000").ok());
    tickets::NewTicket t;
    t.citizen_id = 1;
    t.channel = "telegram:bot";
    t.category = "pkh";
    t.village_code = village;
    t.name = name;
    t.nik_masked = "3206********0003";
    t.description = "PKH belum cair sejak Maret";
    // Opened now: an old ticket would be escalated by the gateway's SLA pass meanwhile.
    const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    auto code = tickets::Open(*db.value(), t, now);
    EXPECT_TRUE(code.ok());
    return code.ok() ? code.value() : "";
  }

  static ClientResponse Call(const std::string& method, const std::string& target,
                             const std::string& token, const std::string& body = "") {
    RequestOptions o;
    o.method = method;
    o.target = target;
    o.tls = true;
    o.body = body;
    if (!body.empty()) o.headers.emplace_back("Content-Type", "application/json");
    if (!token.empty()) o.headers.emplace_back("Authorization", "Bearer " + token);
    return Send(gw_->ports.public_port, o);
  }

  static std::string Login(const std::string& user, const std::string& password = kPassword) {
    return LoginToken(gw_->ports.public_port, user, password);
  }

  static json Body(const ClientResponse& r) { return json::parse(r.body, nullptr, false); }

  static ClientResponse Do(const std::string& token, const std::string& code, const json& action) {
    return Call("POST", "/api/v1/tickets/" + code + "/actions", token, action.dump());
  }

  static TempDir* dir_;
  static std::string config_;
  static Gateway* gw_;
};

TempDir* ApiProcessTest::dir_ = nullptr;
std::string ApiProcessTest::config_;
Gateway* ApiProcessTest::gw_ = nullptr;

TEST_F(ApiProcessTest, LoginGivesATokenAndRefusalsLookAlike) {
  auto wrong = Call("POST", "/api/v1/session", "",
                    json{{"username", "siti"}, {"password", "salah-sekali-123"}}.dump());
  auto unknown = Call("POST", "/api/v1/session", "",
                      json{{"username", "nobody"}, {"password", kPassword}}.dump());
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.body, unknown.body) << "one answer whether the user exists or not";
  EXPECT_EQ(Call("POST", "/api/v1/session", "", "{not json").status, 400);

  const std::string token = Login("siti");
  ASSERT_FALSE(token.empty());
  auto me = Call("GET", "/api/v1/me", token);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Body(me)["role"], "facilitator");
  EXPECT_EQ(Body(me)["region"], kCilumba);
  EXPECT_EQ(Body(me)["region_name"], "Cilumba");

  EXPECT_EQ(Call("GET", "/api/v1/me", "").status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/me", token + "x").status, 401);
  EXPECT_EQ(Call("DELETE", "/api/v1/session", token).status, 204);
  EXPECT_EQ(Call("GET", "/api/v1/me", token).status, 401) << "logged out";
  // The store holds no token in clear.
  EXPECT_EQ(ReadFile(dir_->File("satupintu.db")).find(token), std::string::npos);
}

TEST_F(ApiProcessTest, AFacilitatorCannotListReadExportReportOrActOnAnotherVillage) {
  const std::string mine = OpenTicket(kCilumba, "Siti Aminah");
  const std::string theirs = OpenTicket(kPakemitan, "Ujang Rahmat");
  const std::string siti = Login("siti");
  const std::string budi = Login("budi");

  auto list = Call("GET", "/api/v1/tickets?limit=200", siti);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_NE(list.body.find(mine), std::string::npos);
  EXPECT_EQ(list.body.find(theirs), std::string::npos);
  EXPECT_EQ(list.body.find("Siti Aminah"), std::string::npos) << "no names in a queue";

  auto read = Call("GET", "/api/v1/tickets/" + theirs + "?purpose=verifikasi", siti);
  auto unknown = Call("GET", "/api/v1/tickets/ADU-ZZZZZZ?purpose=verifikasi", siti);
  EXPECT_EQ(read.status, 404);
  EXPECT_EQ(read.body, unknown.body) << "another village's code looks unknown";
  EXPECT_EQ(Call("GET", "/api/v1/tickets/" + theirs + "/history", siti).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/tickets/" + theirs + "/conversation", siti).status, 404);
  for (const char* action : {"claim", "verify", "note", "escalate"}) {
    auto r = Do(siti, theirs, {{"action", action}, {"note", "x"}});
    EXPECT_EQ(r.status, 404) << action << " " << r.body;
  }
  auto notes = Call("POST", "/api/v1/tickets/" + theirs + "/notes", siti, R"({"text":"x"})");
  EXPECT_EQ(notes.status, 404);

  auto csv = Call("GET", "/api/v1/tickets.csv", siti);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.Header("content-type").find("text/csv"), std::string::npos);
  EXPECT_NE(csv.body.find(mine), std::string::npos);
  EXPECT_EQ(csv.body.find(theirs), std::string::npos);

  // No survey answered yet: no data, not an IKM of 0.
  auto ikm = Call("GET", "/api/v1/reports/ikm", siti);
  ASSERT_EQ(ikm.status, 200) << ikm.body;
  EXPECT_EQ(Body(ikm)["responses"], 0);
  EXPECT_TRUE(Body(ikm)["ikm"].is_null()) << ikm.body;
  EXPECT_TRUE(Body(ikm)["average"].is_null()) << ikm.body;

  auto weekly = Call("GET", "/api/v1/reports/weekly?from_ms=0", siti);
  ASSERT_EQ(weekly.status, 200) << weekly.body;
  std::int64_t counted = 0;
  const json weeks = Body(weekly);
  for (const auto& w : weeks["weeks"]) {
    for (const auto& [k, v] : w["counts"].items()) counted += v.get<std::int64_t>();
  }
  auto all_mine = Call("GET", "/api/v1/tickets?status=received&limit=200", siti);
  EXPECT_EQ(counted, static_cast<std::int64_t>(Body(all_mine)["items"].size()))
      << "the report counts only the village's tickets " << weekly.body;

  // The other village's facilitator sees theirs, and the supervisor both.
  EXPECT_EQ(Call("GET", "/api/v1/tickets/" + theirs, budi).status, 200);
  auto sari = Call("GET", "/api/v1/tickets?limit=200", Login("sari"));
  EXPECT_NE(sari.body.find(mine), std::string::npos);
  EXPECT_NE(sari.body.find(theirs), std::string::npos);

  // Users: only administrators and managers list them, only within their region.
  EXPECT_EQ(Call("GET", "/api/v1/users", siti).status, 403);
  const std::string admin = Login("admin");
  auto users = Call("GET", "/api/v1/users", admin);
  ASSERT_EQ(users.status, 200) << users.body;
  EXPECT_NE(users.body.find("\"siti\""), std::string::npos);
  auto outside = Call("POST", "/api/v1/users", admin,
                      json{{"username", "joko"},
                           {"display_name", "Joko"},
                           {"role", "viewer"},
                           {"region", "33.01"},
                           {"password", kPassword}}
                          .dump());
  EXPECT_EQ(outside.status, 403) << outside.body;
  auto created = Call("POST", "/api/v1/users", admin,
                      json{{"username", "joko"},
                           {"display_name", "Joko"},
                           {"role", "viewer"},
                           {"region", "32.06.05"},
                           {"password", kPassword}}
                          .dump());
  EXPECT_EQ(created.status, 201) << created.body;
  const std::string joko = Login("joko");
  EXPECT_EQ(Do(joko, mine, {{"action", "note"}, {"note", "x"}}).status, 403) << "a viewer reads";
  EXPECT_EQ(Call("GET", "/api/v1/tickets/" + mine, joko).status, 200);
}

TEST_F(ApiProcessTest, TheWholePathByFiveRolesWithHistoryAndAuditedReads) {
  const std::string code = OpenTicket(kCilumba, "Siti Aminah");
  const std::string siti = Login("siti");
  const std::string budi = Login("budi");

  auto ticket = Call("GET", "/api/v1/tickets/" + code + "?purpose=verifikasi", siti);
  ASSERT_EQ(ticket.status, 200) << ticket.body;
  EXPECT_EQ(Body(ticket)["citizen"]["name"], "Siti Aminah");
  EXPECT_EQ(Body(ticket)["citizen"]["nik_masked"], "3206********0003");
  EXPECT_EQ(Body(ticket)["allowed_actions"],
            json::array({"claim", "close", "escalate", "note", "prioritize"}));

  ASSERT_EQ(Do(siti, code, {{"action", "claim"}}).status, 200);
  EXPECT_EQ(Do(budi, code, {{"action", "claim"}}).status, 404) << "another village";
  auto verified = Do(siti, code, {{"action", "verify"}, {"note", "KTP dicek"}});
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(Body(verified)["status"], "verified");
  EXPECT_EQ(Do(siti, code, {{"action", "verify"}}).status, 409) << "not twice";
  EXPECT_EQ(Do(siti, code, {{"action", "forward"}}).status, 403) << "the supervisor's";
  ASSERT_EQ(Do(Login("sari"), code, {{"action", "forward"}}).status, 200);
  ASSERT_EQ(Do(Login("fajar"), code, {{"action", "review"}}).status, 200);
  const std::string bayu = Login("bayu");
  auto unknown = Do(bayu, code, {{"action", "refer"}, {"programmes", {"pkh", "kartu_sakti"}}});
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  auto referred = Do(bayu, code, {{"action", "refer"}, {"programmes", {"pkh", "pbi_jk"}}});
  ASSERT_EQ(referred.status, 200) << referred.body;
  EXPECT_EQ(Body(referred)["referrals"].size(), 2u);
  EXPECT_EQ(Do(bayu, code, {{"action", "resolve"}}).status, 409) << "referrals unanswered";
  for (const char* p : {"pkh", "pbi_jk"}) {
    ASSERT_EQ(
        Do(bayu, code, {{"action", "answer"}, {"programme", p}, {"answer", "accepted"}}).status,
        200);
  }
  ASSERT_EQ(Do(bayu, code, {{"action", "resolve"}}).status, 200);
  EXPECT_EQ(Do(siti, code, {{"action", "close"}}).status, 400) << "a reason is required";
  auto closed = Do(siti, code, {{"action", "close"}, {"reason", "solved"}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(Body(closed)["status"], "closed");
  EXPECT_EQ(Body(closed)["close_reason"], "solved");

  auto history = Call("GET", "/api/v1/tickets/" + code + "/history", siti);
  ASSERT_EQ(history.status, 200) << history.body;
  std::vector<std::string> actions;
  const json events = Body(history);
  for (const auto& e : events["events"]) actions.push_back(e["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"open", "claim", "verify", "forward", "review",
                                               "refer", "answer", "answer", "resolve", "close"}))
      << history.body;
  EXPECT_EQ(Body(history)["events"][2]["detail"]["note"], "KTP dicek");
  EXPECT_EQ(Body(history)["events"][2]["actor"]["display_name"], "siti P");

  auto conversation = Call("GET", "/api/v1/tickets/" + code + "/conversation", siti);
  ASSERT_EQ(conversation.status, 200) << conversation.body;
  const json said = Body(conversation);
  ASSERT_FALSE(said["messages"].empty());
  EXPECT_EQ(said["messages"][0]["direction"], "in");
  EXPECT_EQ(said["messages"][0]["text"], "PKH belum cair sejak Maret");

  // Bad requests change nothing.
  EXPECT_EQ(Do(siti, code, {{"action", "fly"}}).status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/tickets/" + code + "/actions", siti, "[1,2").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/tickets?limit=9999", siti).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/reports/nothing", siti).status, 404);

  // Every read and change is in the audit log, and the chain holds.
  auto db = storage::Db::Open(dir_->File("satupintu.db"), true);
  ASSERT_TRUE(db.ok());
  auto reads = db.value()->QueryInt(
      "SELECT COUNT(*) FROM audit_log WHERE action = 'ticket.read' AND object = 'ticket:" + code +
      "' AND purpose = 'verifikasi'");
  ASSERT_TRUE(reads.ok());
  EXPECT_EQ(reads.value(), 1);
  auto closes = db.value()->QueryInt(
      "SELECT COUNT(*) FROM audit_log WHERE action = 'ticket.close' AND object = 'ticket:" + code +
      "' AND ip = '127.0.0.1' AND outcome = 'ok'");
  EXPECT_EQ(closes.value(), 1);
  auto refusals =
      db.value()->QueryInt("SELECT COUNT(*) FROM audit_log WHERE object = 'ticket:" + code +
                           "' AND outcome IN ('not_found', 'denied', 'conflict', 'invalid')");
  EXPECT_GE(refusals.value(), 6) << "refused actions and another village's probes leave a trace";
  EXPECT_EQ(Cli("audit verify"), 0) << ReadFile(dir_->File("cli.out"));
  // Exportable: CSV with the chain's hashes, the export itself recorded, no name in it.
  ASSERT_EQ(Cli("audit export"), 0) << ReadFile(dir_->File("cli.out"));
  const std::string exported = ReadFile(dir_->File("cli.out"));
  // (the log lines on stderr share the file here)
  EXPECT_NE(exported.find("id,at,actor,action,object,purpose,ip,outcome,prev_hash,hash\r\n"),
            std::string::npos)
      << exported.substr(0, 400);
  EXPECT_NE(exported.find("ticket.read,ticket:" + code + ",verifikasi,127.0.0.1,ok"),
            std::string::npos);
  EXPECT_NE(exported.find(",audit.export,audit_log:1-,audit export,,exported,"), std::string::npos);
  EXPECT_EQ(exported.find("Siti Aminah"), std::string::npos);
  EXPECT_EQ(Cli("audit export --from-id 0"), 2);
}

TEST_F(ApiProcessTest, TheConversationIsAuditedWithThePurposeAndProbesLeaveATrace) {
  const std::string mine = OpenTicket(kCilumba, "Siti Aminah");
  const std::string theirs = OpenTicket(kPakemitan, "Ujang Rahmat");
  const std::string siti = Login("siti");
  auto read = Call("GET", "/api/v1/tickets/" + mine + "/conversation?purpose=pelaporan", siti);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(Body(read)["messages"][0]["text"], "PKH belum cair sejak Maret");
  auto probe = Call("GET", "/api/v1/tickets/" + theirs + "/conversation?purpose=pelaporan", siti);
  EXPECT_EQ(probe.status, 404);
  EXPECT_EQ(Call("GET",
                 "/api/v1/tickets/" + mine + "/conversation?purpose=" + std::string(101, 'x'), siti)
                .status,
            400);

  auto db = storage::Db::Open(dir_->File("satupintu.db"), true);
  ASSERT_TRUE(db.ok());
  auto count = [&](const std::string& code, const std::string& outcome) {
    auto n = db.value()->QueryInt(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'ticket.conversation' AND object = "
        "'ticket:" +
        code + "' AND purpose = 'pelaporan' AND outcome = '" + outcome + "'");
    return n.ok() ? n.value() : -1;
  };
  EXPECT_EQ(count(mine, "ok"), 1) << "read with the session's purpose";
  EXPECT_EQ(count(theirs, "not_found"), 1) << "another village's code probed";
}

TEST_F(ApiProcessTest, TheTriagePageIsServedWithItsTexts) {
  RequestOptions o;
  o.tls = true;
  o.target = "/ui";
  auto redirect = Send(gw_->ports.public_port, o);
  EXPECT_EQ(redirect.status, 308);
  EXPECT_EQ(redirect.Header("location"), "/ui/");
  o.target = "/ui/";
  auto page = Send(gw_->ports.public_port, o);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.Header("content-type").find("text/html"), std::string::npos);
  EXPECT_NE(page.Header("content-security-policy").find("default-src 'self'"), std::string::npos);
  // Compressed for whoever accepts gzip: the same bytes, a fraction of them.
  o.headers.emplace_back("Accept-Encoding", "gzip, deflate, br");
  auto zipped = Send(gw_->ports.public_port, o);
  ASSERT_EQ(zipped.status, 200);
  EXPECT_EQ(zipped.Header("content-encoding"), "gzip");
  EXPECT_EQ(api::Gunzip(zipped.body), page.body);
  o.target = "/ui/app.js";
  auto script = Send(gw_->ports.public_port, o);
  ASSERT_EQ(script.status, 200);
  const std::string plain_script = api::Gunzip(script.body);
  EXPECT_FALSE(plain_script.empty());
  EXPECT_LT(script.body.size() * 2, plain_script.size()) << "at least halved";
  o.headers.back().second = "gzip;q=0, identity";
  EXPECT_EQ(Send(gw_->ports.public_port, o).body, plain_script) << "refused: sent as is";
  o.headers.clear();
  o.target = "/ui/locales/id.json";
  auto texts = Send(gw_->ports.public_port, o);
  ASSERT_EQ(texts.status, 200);
  EXPECT_TRUE(json::parse(texts.body, nullptr, false).is_object());
  o.target = "/ui/..%2F..%2Fetc%2Fpasswd";
  EXPECT_EQ(Send(gw_->ports.public_port, o).status, 404);
  o.target = "/ui/locales/..%2Fid.json";
  EXPECT_EQ(Send(gw_->ports.public_port, o).status, 404);
}

// Lists and reports come gzipped to a client that accepts it, whole and the same; small answers
// and clients that refuse gzip get them as they are.
TEST_F(ApiProcessTest, LargerReadAnswersAreGzippedForWhoAcceptsIt) {
  const std::string token = Login("admin");
  RequestOptions o;
  o.tls = true;
  o.target = "/api/v1/users";
  o.headers.emplace_back("Authorization", "Bearer " + token);
  auto plain = Send(gw_->ports.public_port, o);
  ASSERT_EQ(plain.status, 200) << plain.body;
  ASSERT_GE(plain.body.size(), 1024u) << "six users make more than 1 KB";
  EXPECT_EQ(plain.Header("content-encoding"), "");
  o.headers.emplace_back("Accept-Encoding", "gzip, deflate, br");
  auto zipped = Send(gw_->ports.public_port, o);
  ASSERT_EQ(zipped.status, 200);
  EXPECT_EQ(zipped.Header("content-encoding"), "gzip");
  EXPECT_LT(zipped.body.size() * 2, plain.body.size());
  EXPECT_EQ(json::parse(api::Gunzip(zipped.body), nullptr, false), Body(plain));
  o.target = "/api/v1/me";
  auto me = Send(gw_->ports.public_port, o);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.Header("content-encoding"), "") << "under 1 KB";
  EXPECT_TRUE(Body(me).is_object());
  o.target = "/api/v1/users";
  o.headers.back().second = "gzip;q=0";
  EXPECT_EQ(Body(Send(gw_->ports.public_port, o)), Body(plain)) << "refused: sent as is";
}

// A page folder without its files stops the start, naming the key, before anything listens.
TEST(ApiStart, AMissingPageFolderStopsTheStartNamingTheKey) {
  TempDir dir;
  WriteFile(dir.File("nopage.json"),
            ConfigWith(dir, {{"web", {{"dir", dir.File("no-such-folder")}}}}));
  auto [code, out] = RunToExit(dir, {"serve", "--config", dir.File("nopage.json")}, "nopage");
  EXPECT_NE(code, 0) << out;
  EXPECT_NE(out.find("web.dir"), std::string::npos) << out;
  EXPECT_EQ(out.find("http.listening"), std::string::npos) << out;
}

// Limits: its own gateway with small ones.
TEST(ApiLimits, TooManyLoginsOrRequestsAreRefusedWithRetryAfter) {
  TempDir dir;
  const std::string config = ConfigWith(
      dir, {{"users", {{"login_attempts_per_15_min", 3}, {"api_requests_per_minute_per_ip", 5}}}});
  Gateway gw = StartGateway(dir, config);
  ASSERT_NE(gw.ports.public_port, 0) << gw.Log();
  auto login = [&] {
    RequestOptions o;
    o.method = "POST";
    o.target = "/api/v1/session";
    o.tls = true;
    o.body = R"({"username":"nobody","password":"salah-sekali-123"})";
    return Send(gw.ports.public_port, o);
  };
  for (int i = 0; i < 3; ++i) EXPECT_EQ(login().status, 401);
  auto limited = login();
  EXPECT_EQ(limited.status, 429);
  EXPECT_FALSE(limited.Header("retry-after").empty());
  int refused = 0;
  for (int i = 0; i < 8; ++i) {
    RequestOptions o;
    o.target = "/api/v1/tickets";
    o.tls = true;
    o.headers.emplace_back("Authorization", "Bearer sp_nothing");
    const int status = Send(gw.ports.public_port, o).status;
    EXPECT_TRUE(status == 401 || status == 429) << status;
    refused += status == 429 ? 1 : 0;
  }
  EXPECT_EQ(refused, 3) << "5 a minute per address";
}

}  // namespace
}  // namespace satupintu::testing
