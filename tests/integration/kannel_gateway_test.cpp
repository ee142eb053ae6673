// The Kannel channel end to end: the real satupintu binary (child process) and a real Kannel
// 1.4.5 (bearerbox, smsbox, fakesmsc; tests/support/kannel_peer.hpp) on loopback.
//   MO:  fakesmsc -> bearerbox -> smsbox get-url -> GET /kannel/dinsos/mo (private listener)
//        -> inbound journal "kannel:dinsos" -> dispatcher (citizen, address, text-only reply)
//   MT:  POST /diag/outbox (or the dispatcher, or WhatsApp's SMS fallback) -> outbox part ->
//        sender -> smsbox sendsms -> fakesmsc; Kannel's DLRs -> GET /kannel/dinsos/dlr ->
//        journal status rows -> dispatcher -> outbox part sent, delivered.
// The gateway's private port is fixed before either starts: Kannel's get-url and our dlr-url
// both name it.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "adapters/sms/analysis.hpp"
#include "adapters/whatsapp/signature.hpp"
#include "core/clock.hpp"
#include "fakes/fake_bot_api.hpp"
#include "fakes/fake_graph_api.hpp"
#include "gateway_harness.hpp"
#include "paths/paths.hpp"
#include "support/gammu_peer.hpp"
#include "support/kannel_peer.hpp"

namespace satupintu::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr char kChannel[] = "kannel:dinsos";
constexpr char kSecret[] = "sp-kannel_gw-Zr5Tq2";
// KannelPeer's sendsms-user; needed before a peer exists when Kannel starts after the gateway.
constexpr char kKannelUser[] = "satupintu";
constexpr char kKannelPassword[] = "kNl-peer-Pw7";
constexpr char kSmscId[] = "modem1";
constexpr char kCitizen[] = "6281234567890";
constexpr char kShortCode[] = "6281100000000";
constexpr char kPkh[] = "Sudah 3 bulan bantuan PKH belum cair, mohon dicek ya pak \xF0\x9F\x99\x8F";
// GSM-7 with extension characters ([ ] { } ~ \ | ^ and the euro sign count two septets each).
constexpr char kGsmText[] =
    "Bantuan [PKH] tahap {2} cair ~ Rp 600.000 (\xE2\x82\xAC 35) ^ cek di \\ desa | BANTU";
// UCS-2 (the emoji), more than 2 * 67 UTF-16 units: three SMS.
constexpr char kLongText[] =
    "Permohonan Anda sudah kami terima \xF0\x9F\x99\x8F. Petugas desa akan menghubungi dalam "
    "3 hari kerja. Mohon siapkan KTP, KK dan surat keterangan tidak mampu. Balas BANTU untuk "
    "menu.";
constexpr milliseconds kWait{20000};
// How long a reply SMS nobody asked for would take to show up: it would follow the MO fetch
// at once, so a second and a half is generous on loopback.
constexpr milliseconds kNoReplyWait{1500};

std::string LocaleText(const std::string& language, const std::string& key) {
  std::ifstream in(::satupintu::testing::SourceDir() + "/locales/" + language + ".json");
  const json doc = json::parse(in, nullptr, false);
  return doc.is_object() ? doc.value(key, "") : "";
}

struct Plan {
  bool whatsapp = false;
  // Start Kannel before the gateway (and point the gateway at it). When false the gateway
  // points at a sendsms port nobody listens on until the test starts Kannel there.
  bool kannel_first = true;
  json config_patch = json::object();  // merged into the gateway's config
};

Plan WithWhatsApp() {
  Plan s;
  s.whatsapp = true;
  return s;
}

Plan KannelLater() {
  Plan s;
  s.kannel_first = false;
  return s;
}

class KannelGateway {
 public:
  explicit KannelGateway(Plan plan) : plan_(plan) {
    const auto ports = FreeLoopbackPorts(2);
    private_port_ = ports[0];
    later_sendsms_port_ = ports[1];
  }
  ~KannelGateway() {
    // The gateway first: a Kannel killed under it would only add retries to its log.
    if (gw.child) gw.child.reset();
    kannel.reset();
  }

  // Starts what the plan asks for; a failure is a fatal failure of the test.
  void Start() {
    std::string sendsms_url =
        "http://127.0.0.1:" + std::to_string(later_sendsms_port_) + "/cgi-bin/sendsms";
    if (plan_.kannel_first) {
      StartKannel();
      if (::testing::Test::HasFatalFailure()) return;
      sendsms_url = kannel->SendSmsUrl();
    }
    json kannel_channel = {{"name", "dinsos"},
                           {"sendsms_url", sendsms_url},
                           {"username", kKannelUser},
                           {"password", {{"env", "SATUPINTU_TEST_KANNEL_PASSWORD"}}},
                           {"shared_secret", {{"env", "SATUPINTU_TEST_KANNEL_SECRET"}}},
                           {"smsc", kSmscId},
                           {"from", "DINSOS"},
                           {"dlr_base_url", "http://127.0.0.1:" + std::to_string(private_port_)},
                           {"send",
                            {{"rate_per_minute", 600},
                             {"burst", 10},
                             {"backoff_base_ms", 200},
                             {"backoff_max_ms", 1000}}}};
    json patch = {{"private", {{"port", private_port_}}},
                  {"log", {{"level", "debug"}}},
                  {"channels", {{"kannel", json::array({kannel_channel})}}}};
    std::vector<std::string> env = {
        std::string("SATUPINTU_TEST_KANNEL_PASSWORD=") + kKannelPassword,
        std::string("SATUPINTU_TEST_KANNEL_SECRET=") + kSecret};
    if (plan_.whatsapp) {
      graph = std::make_unique<fakes::FakeGraphApi>();
      patch["channels"]["whatsapp"] =
          json::array({{{"name", "wa"},
                        {"base_url", graph->BaseUrl()},
                        {"api_version", "v21.0"},
                        {"phone_number_id", graph->config().phone_number_id},
                        {"access_token", {{"env", "SATUPINTU_TEST_WA_TOKEN"}}},
                        {"app_secret", {{"env", "SATUPINTU_TEST_WA_SECRET"}}},
                        {"verify_token", {{"env", "SATUPINTU_TEST_WA_VERIFY"}}},
                        {"sms_fallback", kChannel}}});
      env.push_back("SATUPINTU_TEST_WA_TOKEN=" + graph->config().access_token);
      env.push_back("SATUPINTU_TEST_WA_SECRET=" + graph->config().app_secret);
      env.emplace_back("SATUPINTU_TEST_WA_VERIFY=wa-verify-token-77");
    }
    patch.merge_patch(plan_.config_patch);
    config_ = ConfigWith(dir, patch);
    WriteFile(dir.File("cli.json"), config_);  // for RunCli
    env_ = env;
    gw = StartGateway(dir, config_, "gw", env_);
  }

  // Stops the gateway (SIGTERM) and starts it again on the same config and database.
  int Restart() {
    const int code = StopGateway(gw);
    gw = StartGateway(dir, config_, "gw-" + std::to_string(++restarts_), env_);
    return code;
  }

  // Kannel, with its sendsms port where the gateway already points when it starts second.
  void StartKannel() {
    KannelPeerOptions options;
    options.mo_url = "http://127.0.0.1:" + std::to_string(private_port_) +
                     "/kannel/dinsos/mo?from=%p&to=%P&text=%b&coding=%c&charset=%C&ts=%T&id=%I"
                     "&smsc=%i&secret=" +
                     kSecret;
    if (!plan_.kannel_first) options.sendsms_port = later_sendsms_port_;
    kannel = std::make_unique<KannelPeer>(dir, options);
    ASSERT_EQ(kannel->username(), kKannelUser);
    ASSERT_EQ(kannel->password(), kKannelPassword);
    ASSERT_EQ(kannel->smsc_id(), kSmscId);
  }

  // A citizen's WhatsApp text through the signed webhook, as Meta posts it; the HTTP status.
  int PostWhatsAppText(const std::string& from, const std::string& id,
                       const std::string& text) const {
    const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    const json value = {
        {"messaging_product", "whatsapp"},
        {"metadata",
         {{"display_phone_number", graph->config().display_phone_number},
          {"phone_number_id", graph->config().phone_number_id}}},
        {"contacts", json::array({{{"profile", {{"name", "Siti"}}}, {"wa_id", from}}})},
        {"messages", json::array({{{"from", from},
                                   {"id", id},
                                   {"timestamp", std::to_string(now_s)},
                                   {"type", "text"},
                                   {"text", {{"body", text}}}}})}};
    const std::string body =
        json{{"object", "whatsapp_business_account"},
             {"entry", json::array({{{"id", graph->config().waba_id},
                                     {"changes",
                                      json::array({{{"field", "messages"}, {"value", value}}})}}})}}
            .dump();
    RequestOptions o;
    o.tls = true;
    o.method = "POST";
    o.target = "/webhooks/whatsapp/wa";
    o.body = body;
    o.headers = {{"Content-Type", "application/json"},
                 {"X-Hub-Signature-256",
                  adapters::whatsapp::SignatureHeader(graph->config().app_secret, body)}};
    return Send(gw.ports.public_port, o).status;
  }

  // Merged into the gateway's config at Start (after the plan's own patch).
  void Patch(const json& patch) { plan_.config_patch.merge_patch(patch); }

  std::uint16_t private_port() const { return private_port_; }
  std::string DbPath() const { return dir.File("satupintu.db"); }

  std::int64_t Int(const std::string& sql, const std::string& bind1 = {},
                   const std::string& bind2 = {}) const {
    SqliteFile db(DbPath());
    return db.Int(sql, bind1, bind2);
  }
  std::string Text(const std::string& sql, const std::string& bind1 = {}) const {
    SqliteFile db(DbPath());
    return db.Text(sql, bind1);
  }
  std::int64_t MessageRows() const {
    return Int(
        "SELECT COUNT(*) FROM inbound_journal WHERE channel = ? AND provider_id NOT LIKE "
        "'status:%'",
        kChannel);
  }
  std::string PartState(const std::string& part_key) const {
    return Text("SELECT state FROM outbox_part WHERE part_key = ?", part_key);
  }
  bool WaitForPartState(const std::string& part_key, const std::string& state) const {
    return WaitUntil([&] { return PartState(part_key) == state; }, kWait);
  }

  ClientResponse PostOutbox(const json& body) const {
    RequestOptions o;
    o.method = "POST";
    o.target = "/diag/outbox";
    o.body = body.dump();
    o.headers = {{"Content-Type", "application/json"}};
    return Send(gw.ports.private_port, o);
  }

  TempDir dir;
  std::unique_ptr<fakes::FakeGraphApi> graph;
  std::unique_ptr<KannelPeer> kannel;
  Gateway gw;

 private:
  Plan plan_;
  std::string config_;
  std::vector<std::string> env_;
  int restarts_ = 0;
  std::uint16_t private_port_ = 0;
  std::uint16_t later_sendsms_port_ = 0;
};

// Nothing personal or secret in the gateway's own log.
void ExpectCleanLog(const std::string& log, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> bad = {"81234567890", "PKH", "Halo pak", kSecret, kKannelPassword};
  bad.insert(bad.end(), extra.begin(), extra.end());
  for (const std::string& b : bad) {
    EXPECT_EQ(log.find(b), std::string::npos) << "'" << b << "' in the gateway log";
  }
}

TEST(KannelGatewayTest, MoIsJournaledOnceTheCitizenExistsAndEachGetsOneDialogReply) {
  KannelGateway s(Plan{});
  ASSERT_NO_FATAL_FAILURE(s.Start());
  ASSERT_EQ(s.gw.ports.private_port, s.private_port()) << s.gw.Log();

  // Kannel may fetch two MOs concurrently; the second goes once the first is journaled, so
  // the order the dialogs see is known.
  ASSERT_TRUE(s.kannel->SendMoUcs2(kCitizen, kShortCode, kPkh));
  ASSERT_TRUE(WaitUntil([&] { return s.MessageRows() >= 1; }, kWait)) << s.gw.Log();
  ASSERT_TRUE(s.kannel->SendMo("+6281234567890", kShortCode, "Halo pak"));
  ASSERT_TRUE(WaitUntil([&] { return s.MessageRows() >= 2; }, kWait)) << s.gw.Log();

  // One number, one citizen, one phone address, seen on this channel.
  ASSERT_TRUE(WaitUntil(
      [&] {
        return s.Int("SELECT COUNT(*) FROM address_channel WHERE address = ? AND channel = ?",
                     kCitizen, kChannel) == 1;
      },
      kWait))
      << s.gw.Log();
  EXPECT_EQ(
      s.Int("SELECT COUNT(*) FROM citizen_address WHERE address = ? AND kind = 'phone'", kCitizen),
      1);
  EXPECT_EQ(s.Int("SELECT COUNT(*) FROM citizen_address"), 1);
  EXPECT_EQ(s.Int("SELECT COUNT(*) FROM citizen"), 1);
  // What the row holds: the decoded UCS-2 text, the normalised number.
  EXPECT_EQ(s.Int("SELECT COUNT(*) FROM inbound_journal WHERE channel = ? AND "
                  "instr(payload, ?) > 0",
                  kChannel, "bantuan PKH belum cair"),
            1);

  // Kannel fetching the same MO again (its http-request-retry after a lost answer) is the
  // same row: Kannel's %I is the provider id.
  const std::string id = s.Text(
      "SELECT provider_id FROM inbound_journal WHERE channel = 'kannel:dinsos' ORDER BY id "
      "LIMIT 1");
  ASSERT_FALSE(id.empty());
  const std::string again =
      "/kannel/dinsos/mo?from=%2B6281234567890&to=6281100000000&text=x"
      "&coding=0&charset=UTF-8&ts=1763794800&id=" +
      id + "&smsc=modem1&secret=" + kSecret;
  EXPECT_EQ(Get(s.gw.ports.private_port, again).status, 200);
  EXPECT_EQ(s.MessageRows(), 2);

  // Our empty 200 answers never become an SMS; the dialogs answer each text once, in arrival
  // order: the complaint sentence is understood (PKH) and asked to be confirmed, and "Halo pak"
  // is no answer to that question, so the question comes back shorter.
  const auto got = s.kannel->WaitForReceived(2, kWait);
  ASSERT_EQ(got.size(), 2u) << s.gw.Log();
  std::vector<std::string> texts;
  for (const auto& m : got) {
    EXPECT_EQ(m.receiver, "+6281234567890");
    texts.push_back(m.text);
  }
  const std::string reprompt = LocaleText("id", "input.yesno");
  ASSERT_FALSE(reprompt.empty());
  EXPECT_EQ(std::count(texts.begin(), texts.end(), reprompt), 1) << texts[0] << " | " << texts[1];
  EXPECT_EQ(std::count_if(texts.begin(), texts.end(),
                          [](const std::string& t) { return t.find("PKH?") != std::string::npos; }),
            1)
      << texts[0] << " | " << texts[1];
  // Each reply is keyed by the journal row it answers ("dlg-<row>-<n>"), so a row read again
  // after a crash repeats no reply.
  EXPECT_EQ(s.Int("SELECT COUNT(*) FROM outbox_message o JOIN inbound_journal j ON "
                  "o.message_key = 'dlg-' || j.id || '-0' WHERE j.channel = ?",
                  kChannel),
            2);
  std::this_thread::sleep_for(kNoReplyWait);
  EXPECT_EQ(s.kannel->Received().size(), 2u) << "one answer per message, nothing else";
  EXPECT_EQ(s.Int("SELECT COUNT(*) FROM outbox_message"), 2);

  EXPECT_EQ(StopGateway(s.gw), 0);
  ExpectCleanLog(s.gw.Log());
}

TEST(KannelGatewayTest, CallbacksWithoutTheSecretAreRefused) {
  KannelGateway s(Plan{});
  ASSERT_NO_FATAL_FAILURE(s.Start());
  ASSERT_NE(s.gw.ports.private_port, 0) << s.gw.Log();
  const std::uint16_t port = s.gw.ports.private_port;
  EXPECT_EQ(Get(port, "/kannel/dinsos/mo?from=6281234567890&text=x").status, 401);
  EXPECT_EQ(Get(port, "/kannel/dinsos/mo?from=6281234567890&text=x&secret=wrong").status, 403);
  EXPECT_EQ(Get(port, "/kannel/dinsos/dlr?id=x&type=1&secret=wrong").status, 403);
  EXPECT_EQ(Get(port, std::string("/kannel/nosuch/mo?from=6281234567890&text=x&secret=") + kSecret)
                .status,
            404);
  // A DLR for an id we never sent: accepted (Kannel does not retry), moves nothing.
  const ClientResponse dlr = Get(
      port,
      std::string("/kannel/dinsos/dlr?id=out-1.1&type=1&smsc=modem1&ts=1763794800&reply=&secret=") +
          kSecret);
  EXPECT_EQ(dlr.status, 200);
  EXPECT_TRUE(dlr.body.empty());
  EXPECT_EQ(s.MessageRows(), 0);
  EXPECT_EQ(s.Int("SELECT COUNT(*) FROM outbox_part"), 0);
  EXPECT_EQ(StopGateway(s.gw), 0);
  ExpectCleanLog(s.gw.Log());
}

// An MMS or a picture cannot come over SMS; the SMS that carries no text is 8-bit data. It
// gets the same polite "text only" answer, by SMS, through Kannel.
TEST(KannelGatewayTest, DataMoGetsTheTextOnlyReplyBySms) {
  KannelGateway s(Plan{});
  ASSERT_NO_FATAL_FAILURE(s.Start());
  ASSERT_NE(s.gw.ports.private_port, 0) << s.gw.Log();
  ASSERT_TRUE(s.kannel->SendMoData(kCitizen, kShortCode,
                                   std::string("\x0b\x05\x04\x15\x81\x00\x00\x01", 8)));
  ASSERT_TRUE(WaitUntil([&] { return s.MessageRows() >= 1; }, kWait)) << s.gw.Log();

  const std::string expected = LocaleText("id", "channel.text_only");
  ASSERT_FALSE(expected.empty());
  const auto got = s.kannel->WaitForReceived(1, kWait);
  ASSERT_EQ(got.size(), 1u) << s.gw.Log();
  EXPECT_EQ(got[0].type, "text");
  EXPECT_EQ(got[0].text, expected);
  EXPECT_EQ(got[0].receiver, "+6281234567890");
  EXPECT_EQ(got[0].sender, "DINSOS");
  const std::string key =
      s.Text("SELECT message_key FROM outbox_message WHERE channel = 'kannel:dinsos'");
  EXPECT_EQ(key.rfind("textonly-", 0), 0u) << key;
  EXPECT_TRUE(s.WaitForPartState(key + ".1", "delivered")) << s.PartState(key + ".1");

  std::this_thread::sleep_for(kNoReplyWait);
  EXPECT_EQ(s.kannel->Received().size(), 1u) << "one answer, nothing else";
  EXPECT_EQ(StopGateway(s.gw), 0);
  ExpectCleanLog(s.gw.Log());
}

TEST(KannelGatewayTest, RepliesGoOutWithTheRightTextAndPartsAndDlrsLand) {
  KannelGateway s(Plan{});
  ASSERT_NO_FATAL_FAILURE(s.Start());
  ASSERT_NE(s.gw.ports.private_port, 0) << s.gw.Log();

  const ClientResponse gsm = s.PostOutbox(
      {{"key", "gsm-1"}, {"channel", kChannel}, {"address", kCitizen}, {"text", kGsmText}});
  ASSERT_EQ(gsm.status, 202) << gsm.body;
  EXPECT_EQ(json::parse(gsm.body).value("parts", 0), 1);
  const ClientResponse ucs2 = s.PostOutbox({{"key", "ucs2-1"},
                                            {"channel", kChannel},
                                            {"address", kCitizen},
                                            {"text", kLongText},
                                            {"priority", "notification"}});
  ASSERT_EQ(ucs2.status, 202) << ucs2.body;
  EXPECT_EQ(json::parse(ucs2.body).value("parts", 0), 1) << "Kannel concatenates: one part";

  const auto got = s.kannel->WaitForReceived(4, kWait);
  ASSERT_EQ(got.size(), 4u) << s.gw.Log();
  std::vector<FakeSmscMessage> single;
  std::vector<FakeSmscMessage> parts;
  for (const auto& m : got) {
    EXPECT_EQ(m.receiver, "+6281234567890");
    EXPECT_EQ(m.sender, "DINSOS");
    (m.type == "udh" ? parts : single).push_back(m);
  }
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0].type, "text") << "GSM-7, one SMS";
  EXPECT_EQ(single[0].text, kGsmText);
  ASSERT_EQ(parts.size(), 3u);
  for (const auto& p : parts) {
    EXPECT_EQ(p.concat_total, 3);
    EXPECT_LE(p.data.size(), 134u);  // 67 UTF-16 units
  }
  EXPECT_EQ(Utf16BeToUtf8(JoinParts(parts)), kLongText);

  // fakesmsc's SMSC acknowledges (DLR 8: sent) and reports the phone's receipt (DLR 1).
  EXPECT_TRUE(s.WaitForPartState("gsm-1.1", "delivered")) << s.PartState("gsm-1.1");
  EXPECT_TRUE(s.WaitForPartState("ucs2-1.1", "delivered")) << s.PartState("ucs2-1.1");
  for (const std::string key : {"gsm-1.1", "ucs2-1.1"}) {
    EXPECT_EQ(s.Int("SELECT attempts FROM outbox_part WHERE part_key = ?", key), 1) << key;
    EXPECT_EQ(s.Int("SELECT COUNT(*) FROM inbound_journal WHERE channel = ? AND provider_id = ?",
                    kChannel, "status:" + key + ":delivered"),
              1)
        << key;
  }
  // Each of the three SMS of ucs2-1 has its DLRs; they all carry the one part key, so the
  // journal keeps one row per state. Kannel posts DLRs on several connections: the 'sent' of
  // one SMS may land after the 'delivered' of another.
  const auto ucs2_statuses = [&] {
    return s.Int("SELECT COUNT(*) FROM inbound_journal WHERE provider_id LIKE 'status:ucs2-1.1:%'");
  };
  EXPECT_TRUE(WaitUntil([&] { return ucs2_statuses() == 2; }, kWait)) << ucs2_statuses();

  // The exchange with smsbox is in the channel log, without the password, the shared secret
  // or the citizen's number in clear.
  const ClientResponse log = Get(s.gw.ports.private_port, "/diag/channel-log?key=gsm-1");
  ASSERT_EQ(log.status, 200) << log.body;
  const json entries = json::parse(log.body).at("entries");
  ASSERT_EQ(entries.size(), 1u) << log.body;
  const json& e = entries[0];
  EXPECT_EQ(e.value("channel", ""), kChannel);
  EXPECT_EQ(e.value("part_key", ""), "gsm-1.1");
  EXPECT_EQ(e.value("method", ""), "GET");
  EXPECT_EQ(e.value("http_status", 0), 202);
  EXPECT_EQ(e.value("response_body", ""), "0: Accepted for delivery");
  const std::string url = e.value("url", "");
  EXPECT_EQ(url.rfind(s.kannel->SendSmsUrl() + "?username=satupintu&password=", 0), 0u) << url;
  EXPECT_NE(url.find("dlr-url="), std::string::npos) << url;
  for (const std::string& bad :
       {std::string(kKannelPassword), std::string(kSecret), std::string("81234567890")}) {
    EXPECT_EQ(log.body.find(bad), std::string::npos) << bad << " in " << log.body;
    EXPECT_EQ(s.Int("SELECT COUNT(*) FROM channel_log WHERE instr(url, ?) > 0 OR "
                    "instr(request_body, ?) > 0",
                    bad, bad),
              0)
        << bad;
  }
  EXPECT_EQ(s.Int("SELECT COUNT(*) FROM channel_log WHERE channel = ?", kChannel), 2);

  EXPECT_EQ(StopGateway(s.gw), 0);
  ExpectCleanLog(s.gw.Log(), {"cair ~ Rp", "Permohonan Anda"});
}

TEST(KannelGatewayTest, WhatsAppOutsideTheWindowGoesBySms) {
  KannelGateway s(WithWhatsApp());
  ASSERT_NO_FATAL_FAILURE(s.Start());
  ASSERT_NE(s.gw.ports.private_port, 0) << s.gw.Log();

  // 6281298765432 never wrote to us: WhatsApp allows no free text, and there is no template.
  const std::string text = "Jadwal verifikasi data DTKS: Senin 09.00 di balai desa.";
  const ClientResponse r = s.PostOutbox({{"key", "wa-notice-1"},
                                         {"channel", "whatsapp:wa"},
                                         {"address", "6281298765432"},
                                         {"text", text},
                                         {"priority", "notification"}});
  ASSERT_EQ(r.status, 202) << r.body;

  ASSERT_TRUE(s.WaitForPartState("wa-notice-1.1", "failed")) << s.PartState("wa-notice-1.1");
  const std::string error =
      s.Text("SELECT last_error FROM outbox_part WHERE part_key = 'wa-notice-1.1'");
  EXPECT_NE(error.find("sent by SMS as wa-notice-1.1-sms"), std::string::npos) << error;

  const auto got = s.kannel->WaitForReceived(1, kWait);
  ASSERT_EQ(got.size(), 1u) << s.gw.Log();
  EXPECT_EQ(got[0].type, "text");
  EXPECT_EQ(got[0].text, text);
  EXPECT_EQ(got[0].receiver, "+6281298765432");
  EXPECT_EQ(s.Text("SELECT channel FROM outbox_message WHERE message_key = 'wa-notice-1.1-sms'"),
            kChannel);
  EXPECT_TRUE(s.WaitForPartState("wa-notice-1.1-sms.1", "delivered"))
      << s.PartState("wa-notice-1.1-sms.1");
  // Meta never saw a free-form message it would have refused (131047).
  EXPECT_TRUE(s.graph->Requests().empty());

  EXPECT_EQ(StopGateway(s.gw), 0);
  ExpectCleanLog(s.gw.Log(), {"81298765432", "Jadwal verifikasi", s.graph->config().access_token});
}

// Meta often accepts a free-form message (200, a wamid) and fails it later in a status webhook
// (131047) when the window had closed on its side: the message goes by SMS all the same.
TEST(KannelGatewayTest, AWhatsAppMessageThatFailsLaterOutsideTheWindowGoesBySmsToo) {
  KannelGateway s(WithWhatsApp());
  ASSERT_NO_FATAL_FAILURE(s.Start());
  ASSERT_NE(s.gw.ports.public_port, 0) << s.gw.Log();
  s.graph->SetWindowFailure(fakes::WindowFailure::kAsync);
  // The fake's poster speaks plain HTTP and our webhooks listen on TLS only: its signed status
  // webhooks go to a closed port and are handed over below, as Meta would post them.
  s.graph->SetCallbackUrl("http://127.0.0.1:9/webhooks/whatsapp/wa");
  auto hand_over = [&](const fakes::WebhookDelivery& d) {
    RequestOptions w;
    w.tls = true;
    w.method = "POST";
    w.target = "/webhooks/whatsapp/wa";
    w.body = d.body;
    w.headers = {d.headers.begin(), d.headers.end()};
    w.headers.emplace_back("Content-Type", "application/json");
    return Send(s.gw.ports.public_port, w).status;
  };

  // The citizen writes on WhatsApp; our window opens, Meta's (the fake's) stays closed.
  ASSERT_EQ(s.PostWhatsAppText("6281298765432", "wamid.IN-late-1", "halo"), 200);

  // The menu was accepted by the Graph API, then failed with 131047 in a status webhook.
  ASSERT_TRUE(s.graph->WaitForWebhooks(1, kWait)) << s.gw.Log();
  ASSERT_EQ(s.graph->IssuedWamids().size(), 1u);
  ASSERT_NE(s.graph->Webhooks().at(0).body.find("131047"), std::string::npos);
  ASSERT_EQ(hand_over(s.graph->Webhooks().at(0)), 200);
  // The menu by SMS: its numbered lines make it a concatenated SMS of a few segments.
  ASSERT_TRUE(WaitUntil(
      [&] {
        return s.Int(
                   "SELECT COUNT(*) FROM outbox_part p JOIN outbox_message m ON m.id = p.message_id"
                   " WHERE m.channel = 'kannel:dinsos' AND p.state = 'delivered'") == 1;
      },
      kWait))
      << s.gw.Log();
  const auto got = s.kannel->WaitForReceived(1, kWait);
  ASSERT_GE(got.size(), 1u) << s.gw.Log();
  // (fakesmsc prints the menu's line breaks as they are: the peer reads one SMS per line.)
  EXPECT_EQ(got[0].receiver, "+6281298765432");
  EXPECT_NE(s.Text("SELECT p.text FROM outbox_part p JOIN outbox_message m ON m.id = p.message_id"
                   " WHERE m.channel = 'kannel:dinsos'")
                .find("Layanan SLRT"),
            std::string::npos);
  const std::string key =
      s.Text("SELECT message_key FROM outbox_message WHERE channel = 'kannel:dinsos'");
  EXPECT_EQ(key.size() > 4 ? key.substr(key.size() - 4) : key, "-sms") << key;
  // Once, however often the failure is told.
  EXPECT_TRUE(s.graph->PostStatus(s.graph->IssuedWamids().front(), "failed", 131047));
  ASSERT_TRUE(s.graph->WaitForWebhooks(2, kWait));
  ASSERT_EQ(hand_over(s.graph->Webhooks().at(1)), 200);
  std::this_thread::sleep_for(kNoReplyWait);
  EXPECT_EQ(s.kannel->WaitForReceived(got.size() + 1, milliseconds(200)).size(), got.size());
  EXPECT_EQ(s.Int("SELECT COUNT(*) FROM outbox_message WHERE channel = 'kannel:dinsos'"), 1);
  EXPECT_EQ(StopGateway(s.gw), 0);
  ExpectCleanLog(s.gw.Log(), {"81298765432", s.graph->config().access_token});
}

TEST(KannelGatewayTest, KannelDownThePartWaitsAndGoesOutWhenKannelIsBack) {
  KannelGateway s(KannelLater());
  ASSERT_NO_FATAL_FAILURE(s.Start());
  ASSERT_NE(s.gw.ports.private_port, 0) << s.gw.Log();

  const std::string text = "Bantuan BPNT bulan ini sudah bisa diambil di e-warong.";
  const ClientResponse r = s.PostOutbox(
      {{"key", "down-1"}, {"channel", kChannel}, {"address", kCitizen}, {"text", text}});
  ASSERT_EQ(r.status, 202) << r.body;

  // smsbox is not there: each attempt is refused at connect (the request never left, so a
  // retry cannot duplicate an SMS) and the part goes back to the queue.
  ASSERT_TRUE(WaitUntil(
      [&] { return s.Int("SELECT attempts FROM outbox_part WHERE part_key = 'down-1.1'") >= 3; },
      kWait))
      << s.gw.Log();
  const std::string state = s.PartState("down-1.1");
  EXPECT_TRUE(state == "queued" || state == "in_flight") << state;
  const std::string error =
      s.Text("SELECT last_error FROM outbox_part WHERE part_key = 'down-1.1'");
  EXPECT_NE(error.find("connect refused"), std::string::npos) << error;
  EXPECT_GE(s.Int("SELECT COUNT(*) FROM channel_log WHERE part_key = 'down-1.1' AND "
                  "http_status IS NULL"),
            2);

  ASSERT_NO_FATAL_FAILURE(s.StartKannel());
  const auto got = s.kannel->WaitForReceived(1, kWait);
  ASSERT_EQ(got.size(), 1u) << s.gw.Log();
  EXPECT_EQ(got[0].text, text);
  EXPECT_TRUE(s.WaitForPartState("down-1.1", "delivered")) << s.PartState("down-1.1");
  EXPECT_GE(s.Int("SELECT attempts FROM outbox_part WHERE part_key = 'down-1.1'"), 4);
  EXPECT_EQ(s.Int("SELECT COUNT(*) FROM channel_log WHERE part_key = 'down-1.1' AND "
                  "http_status = 202"),
            1);
  std::this_thread::sleep_for(kNoReplyWait);
  EXPECT_EQ(s.kannel->Received().size(), 1u) << "sent once";

  EXPECT_EQ(StopGateway(s.gw), 0);
  ExpectCleanLog(s.gw.Log(), {"BPNT"});
}

// The outbox is in the database, not in the process: a gateway stopped while Kannel is down
// sends the part after its restart, once.
TEST(KannelGatewayTest, APartQueuedWhileKannelIsDownSurvivesAGatewayRestart) {
  KannelGateway s(KannelLater());
  ASSERT_NO_FATAL_FAILURE(s.Start());
  ASSERT_NE(s.gw.ports.private_port, 0) << s.gw.Log();

  const std::string text = "Pengaduan Anda nomor 17 sudah diteruskan ke dinas sosial.";
  ASSERT_EQ(s.PostOutbox({{"key", "restart-1"},
                          {"channel", kChannel},
                          {"address", kCitizen},
                          {"text", text},
                          {"priority", "bulk"}})
                .status,
            202);
  ASSERT_TRUE(WaitUntil(
      [&] { return s.Int("SELECT attempts FROM outbox_part WHERE part_key = 'restart-1.1'") >= 2; },
      kWait))
      << s.gw.Log();

  const std::string before = s.gw.Log();
  EXPECT_EQ(s.Restart(), 0) << before;
  ASSERT_NE(s.gw.ports.private_port, 0) << s.gw.Log();
  const std::string state = s.PartState("restart-1.1");
  // A refused connect leaves nothing in flight at the stop: the part is still queued (or
  // already being tried again), not held as 'unknown' as a bulk part caught in flight would be.
  EXPECT_TRUE(state == "queued" || state == "in_flight") << state;

  ASSERT_NO_FATAL_FAILURE(s.StartKannel());
  const auto got = s.kannel->WaitForReceived(1, kWait);
  ASSERT_EQ(got.size(), 1u) << s.gw.Log();
  EXPECT_EQ(got[0].text, text);
  EXPECT_TRUE(s.WaitForPartState("restart-1.1", "delivered")) << s.PartState("restart-1.1");
  std::this_thread::sleep_for(kNoReplyWait);
  EXPECT_EQ(s.kannel->Received().size(), 1u) << "sent once";
  EXPECT_EQ(StopGateway(s.gw), 0);
  ExpectCleanLog(before + s.gw.Log(), {"Pengaduan Anda"});
}

// Items 2-4 of the closure issue on the real SMS path: a front-office officer with a basic
// phone is alerted of a new complaint, reads it, writes to the citizen, hears the citizen's
// answer, and checks the overdue list - every answer one SMS, nothing personal in the log.
TEST(KannelGatewayTest, AnOfficerWithoutDataIsAlertedReadsAndTalksWithTheCitizenBySms) {
  constexpr char kOfficer[] = "6281299990031";
  Plan plan;
  plan.config_patch = {{"regions", {{"home_regency", "32.06"}}},
                       {"tickets", {{"alert_quiet_hours", ""}, {"alert_interval_minutes", 0}}}};
  KannelGateway s(plan);
  ASSERT_NO_FATAL_FAILURE(s.Start());
  ASSERT_NE(s.gw.ports.private_port, 0) << s.gw.Log();
  ASSERT_EQ(RunCli(s.dir,
                   "users add --username fajar --name 'Fajar P' --role front_office "
                   "--region 32.06 --phone 081299990031"),
            0)
      << ReadFile(s.dir.File("cli.out"));
  auto from = [&](const std::string& phone, std::size_t after) {
    std::vector<std::string> out;
    const auto got = s.kannel->Received();
    for (std::size_t i = after; i < got.size(); ++i) {
      if (got[i].receiver.find(phone) != std::string::npos) out.push_back(got[i].text);
    }
    return out;
  };
  auto wait_for = [&](const std::string& phone, std::size_t after, std::size_t n) {
    std::vector<std::string> out;
    WaitUntil([&] { return (out = from(phone, after)).size() >= n; }, kWait);
    return out;
  };
  auto one_sms = [](const std::string& text) {
    const auto a = adapters::sms::Analyze(text);
    return a.encoding == adapters::sms::Encoding::kGsm7 && a.segments == 1;
  };

  // A complaint by SMS whose NIK the registry does not know, nor the citizen their village
  // (the one question the form asks): it waits at the regency.
  ASSERT_TRUE(s.kannel->SendMo(kCitizen, kShortCode,
                               "ADU#3206014508850003#PKH blm cair sdh 3 bln, sdh lapor ke desa"));
  ASSERT_EQ(wait_for(kCitizen, 0, 1).size(), 1u) << s.gw.Log();
  ASSERT_TRUE(s.kannel->SendMo(kCitizen, kShortCode, "tidak tahu"));
  ASSERT_TRUE(WaitUntil([&] { return s.Int("SELECT COUNT(*) FROM ticket") == 1; }, kWait))
      << s.gw.Log();
  const std::string code = s.Text("SELECT code FROM ticket");
  auto alert = wait_for(kOfficer, 0, 1);
  ASSERT_EQ(alert.size(), 1u) << s.gw.Log();
  EXPECT_NE(alert[0].find(code), std::string::npos) << alert[0];
  EXPECT_NE(alert[0].find("baru"), std::string::npos) << alert[0];
  EXPECT_EQ(alert[0].find("3206014508850003"), std::string::npos) << "never the NIK";
  EXPECT_TRUE(one_sms(alert[0])) << alert[0];

  std::size_t seen = s.kannel->Received().size();
  ASSERT_TRUE(s.kannel->SendMo(kOfficer, kShortCode, "LIHAT " + code));
  auto read = wait_for(kOfficer, seen, 1);
  ASSERT_EQ(read.size(), 1u) << s.gw.Log();
  EXPECT_EQ(read[0].rfind(code + " PKH", 0), 0u) << read[0];
  EXPECT_NE(read[0].find("PKH blm cair"), std::string::npos) << read[0];
  EXPECT_TRUE(one_sms(read[0])) << read[0];

  seen = s.kannel->Received().size();
  ASSERT_TRUE(s.kannel->SendMo(
      kOfficer, kShortCode, "BALAS " + code + " Bu, mohon bawa KK dan KTP ke kantor desa Kamis"));
  // (fakesmsc prints an SMS's line breaks as they are and the peer reads one SMS per line:
  // the first line reaches the citizen's number; the whole text is the outbox part's.)
  auto to_citizen = wait_for(kCitizen, seen, 1);
  ASSERT_EQ(to_citizen.size(), 1u) << s.gw.Log();
  EXPECT_EQ(to_citizen[0], "Pesan petugas ttg pengaduan " + code + ":");
  EXPECT_TRUE(s.WaitForPartState("tm-1.1", "delivered")) << s.PartState("tm-1.1");
  EXPECT_EQ(s.Text("SELECT text FROM outbox_part WHERE part_key = 'tm-1.1'"),
            "Pesan petugas ttg pengaduan " + code +
                ":\nBu, mohon bawa KK dan KTP ke kantor desa Kamis\nBalas pesan ini utk menjawab.");
  EXPECT_EQ(wait_for(kOfficer, seen, 1).size(), 1u) << "the officer is told it went";

  seen = s.kannel->Received().size();
  ASSERT_TRUE(s.kannel->SendMo(kCitizen, kShortCode, "Baik pak, Kamis saya ke desa"));
  auto ack = wait_for(kCitizen, seen, 1);
  ASSERT_EQ(ack.size(), 1u) << s.gw.Log();
  EXPECT_NE(ack[0].find("diteruskan ke petugas"), std::string::npos) << ack[0];
  auto answered = wait_for(kOfficer, seen, 1);
  ASSERT_EQ(answered.size(), 1u) << s.gw.Log();
  EXPECT_NE(answered[0].find("dijawab warga"), std::string::npos) << answered[0];
  EXPECT_EQ(s.Text("SELECT text FROM ticket_message WHERE direction = 'in'"),
            "Baik pak, Kamis saya ke desa");

  seen = s.kannel->Received().size();
  ASSERT_TRUE(s.kannel->SendMo(kOfficer, kShortCode, "TELAT"));
  ASSERT_TRUE(s.kannel->SendMo(kOfficer, kShortCode, "BANTUAN"));
  auto more = wait_for(kOfficer, seen, 2);
  ASSERT_EQ(more.size(), 2u) << s.gw.Log();
  for (const auto& text : more) EXPECT_TRUE(one_sms(text)) << text;
  EXPECT_EQ(s.Int("SELECT COUNT(*) FROM audit_log WHERE action IN ('ticket.read',"
                  " 'ticket.message') AND purpose = 'sms command' AND outcome = 'ok'"),
            2);
  EXPECT_EQ(StopGateway(s.gw), 0);
  ExpectCleanLog(s.gw.Log(), {"99990031", "3206014508850003", "KK dan KTP", "Kamis"});
}

}  // namespace
}  // namespace satupintu::testing

namespace satupintu::testing {
namespace {

// Issue 18 item 2. A number a citizen types (NIK, KK, phone), however written.
struct Planted {
  std::string typed;   // as the citizen writes it
  std::string digits;  // the number itself
};

const std::vector<Planted>& PlantedNumbers() {
  static const std::vector<Planted> planted = {
      {"3204.0152.0390.0005", "3204015203900005"},
      {"0813-5555-6666", "081355556666"},
      {"3204/0101/0203/0006", "3204010102030006"},
      {"\xEF\xBC\x93\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x95\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x94"
       "\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x99\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90"
       "\xEF\xBC\x90\xEF\xBC\x97",  // full-width 3205014101900007
       "3205014101900007"},
      {"(0265) 331-2345", "02653312345"},
      {"+62 857 1111 2222", "6285711112222"},
      {"3206 0545 0885 0008", "3206054508850008"},
      {"3207  0101  0203  0009", "3207010102030009"},
      {"0878\xC2\xA0"
       "3333\xC2\xA0"
       "4444",
       "087833334444"},  // no-break spaces
      {"3208-0101-0203-0010", "3208010102030010"},
  };
  return planted;
}

// Every way one planted number could sit in a file or a request: as typed, its digits, the
// digits its mask hides (never shown), URL-encoded, UTF-16BE (a UCS-2 SMS), and the hex of
// Gammu SMSD's Text column (GSM or UCS-2).
std::vector<std::string> Needles(const Planted& p) {
  const std::size_t keep = p.digits.size() >= 14 ? 4 : 2;
  const std::string hidden = p.digits.substr(keep, p.digits.size() - 2 * keep);
  std::vector<std::string> out = {p.typed, p.digits, hidden};
  for (const std::string* s : {&p.digits, &hidden}) {
    std::string utf16;
    std::string hex_gsm;
    std::string hex_ucs2;
    for (char c : *s) {
      utf16 += '\0';
      utf16 += c;
      hex_gsm += std::string("3") + c;
      hex_ucs2 += std::string("003") + c;
    }
    out.insert(out.end(), {utf16, hex_gsm, hex_ucs2});
  }
  std::string url;
  for (char c : p.typed) {
    url += c == ' ' ? std::string("%20") : std::string(1, c);
  }
  out.push_back(url);
  return out;
}

// What of `haystack` gives a planted number away: "" when nothing does.
std::string Leak(const std::string& haystack) {
  for (const auto& p : PlantedNumbers()) {
    for (const auto& needle : Needles(p)) {
      if (haystack.find(needle) != std::string::npos) return p.digits + " as \"" + needle + "\"";
    }
  }
  return "";
}

std::string Description(std::size_t first) {
  const auto& p = PlantedNumbers();
  return "Bantuan belum cair. KK " + p[first].typed + ", hubungi " + p[first + 1].typed + " ya pak";
}

TEST(KannelGatewayTest, PlantedNumbersNeverLeaveOnAnyChannelAndLeaveNoTraceInTheFiles) {
  GammuPeer gammu;
  ASSERT_TRUE(gammu.setup_error().empty()) << gammu.setup_error();
  ASSERT_TRUE(gammu.Start()) << gammu.Log();
  fakes::BotApiConfig bot_config;
  bot_config.per_chat_per_second = 1000;
  bot_config.per_chat_burst = 1000;
  fakes::FakeBotApi bot(bot_config);

  Plan plan = WithWhatsApp();
  KannelGateway s(plan);
  WriteFile(s.dir.File("tg.token"), bot.config().token);
  WriteFile(s.dir.File("tg.secret"), "tg-planted-secret");
  s.Patch({{"channels",
            {{"telegram", json::array({{{"name", "tg"},
                                        {"base_url", bot.BaseUrl()},
                                        {"bot_token", {{"file", s.dir.File("tg.token")}}},
                                        {"secret_token", {{"file", s.dir.File("tg.secret")}}}}})},
             {"gammu", json::array({{{"name", "modem"},
                                     {"database", gammu.database()},
                                     {"phone_id", gammu.phone_id()},
                                     {"poll_interval_ms", 200},
                                     {"smsd_utc_offset_minutes", LocalUtcOffsetMinutes()},
                                     {"send", {{"rate_per_minute", 600}, {"burst", 10}}}}})}}}});
  s.Start();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());

  // Each citizen files a complaint in one message (ADU#NIK#text), with two planted numbers in
  // the text, and answers the one question that follows ("tidak tahu": no place).
  const auto adu = [](const std::string& nik, std::size_t first) {
    return "ADU#" + nik + "#" + Description(first);
  };
  const std::string k_from = "+6281300000001";
  ASSERT_TRUE(s.kannel->SendMo(k_from, kShortCode, adu("3206054508850003", 0)).ok());

  const std::string wa_from = "6281300000002";
  s.graph->OpenWindow(wa_from);
  int wa_id = 0;
  const auto wa_say = [&](const std::string& text) {
    return s.PostWhatsAppText(wa_from, "wamid.PLANT-" + std::to_string(++wa_id), text);
  };
  ASSERT_EQ(wa_say(adu("3206054508850011", 2)), 200);

  int tg_id = 7000;
  const auto tg_say = [&](const std::string& text) {
    const json message = {{"message_id", ++tg_id},
                          {"from", {{"id", 7770001}, {"is_bot", false}, {"first_name", "Budi"}}},
                          {"chat", {{"id", 7770001}, {"type", "private"}}},
                          {"date", core::NowMs() / 1000},
                          {"text", text}};
    RequestOptions o;
    o.tls = true;
    o.method = "POST";
    o.target = "/webhooks/telegram/tg";
    o.body = json{{"update_id", tg_id}, {"message", message}}.dump();
    o.headers = {{"Content-Type", "application/json"},
                 {"X-Telegram-Bot-Api-Secret-Token", "tg-planted-secret"}};
    return Send(s.gw.ports.public_port, o).status;
  };
  ASSERT_EQ(tg_say(adu(PlantedNumbers()[6].typed, 4)), 200);

  const std::string gammu_from = "+6281300000004";
  gammu.DropMo(gammu_from, adu("3206054508850029", 7));

  // Each waits for its question, then answers it.
  const auto tickets = [&] { return s.Int("SELECT COUNT(*) FROM ticket"); };
  ASSERT_TRUE(WaitUntil([&] { return s.Int("SELECT COUNT(*) FROM conversation") >= 4; }, kWait))
      << s.gw.Log();
  ASSERT_TRUE(s.kannel->SendMo(k_from, kShortCode, "tidak tahu").ok());
  ASSERT_EQ(wa_say("tidak tahu"), 200);
  ASSERT_EQ(tg_say("tidak tahu"), 200);
  gammu.DropMo(gammu_from, "tidak tahu");
  ASSERT_TRUE(WaitUntil([&] { return tickets() == 4; }, kWait)) << tickets() << " tickets\n"
                                                                << s.gw.Log();

  // The terminal's chat: the fifth channel, into the same store.
  const std::string chat_in = adu("3206054508850037", 8) + "\ntidak tahu\n";
  ASSERT_EQ(RunCli(s.dir, "chat --channel sms --address 6281300000005", chat_in), 0)
      << ReadFile(s.dir.File("cli.out"));
  const std::string chat_out = ReadFile(s.dir.File("cli.out"));
  EXPECT_NE(chat_out.find("ADU-"), std::string::npos) << chat_out;
  EXPECT_EQ(tickets(), 5);

  // Every reply has reached its peer.
  ASSERT_TRUE(WaitUntil(
      [&] {
        return s.Int("SELECT COUNT(*) FROM outbox_part WHERE state IN ('pending', 'sending')") == 0;
      },
      kWait))
      << s.gw.Log();

  // The tickets keep the texts masked; the NIK only as its hash and mask.
  EXPECT_NE(s.Text("SELECT group_concat(description, ' | ') FROM ticket").find("*"),
            std::string::npos);

  // The peers received nothing planted: requests to the Graph and Bot APIs (URLs and
  // bodies), the SMS Kannel's fake SMSC and Gammu's modem got.
  std::string sent;
  for (const auto& r : s.graph->Requests()) sent += r.target + "\n" + r.body + "\n";
  for (const auto& r : bot.Requests()) sent += r.target + "\n" + r.body + "\n";
  for (const auto& m : s.kannel->Received()) sent += m.text + m.data + "\n";
  EXPECT_GT(s.graph->Requests().size(), 0u);
  EXPECT_GT(bot.Requests().size(), 0u);
  EXPECT_EQ(Leak(sent), "") << sent;
  EXPECT_EQ(Leak(chat_out), "") << chat_out;
  // /metrics.
  const auto metrics = Get(s.gw.ports.private_port, "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(Leak(metrics.body), "");

  // A week on, the purge redacts the journal's raw texts (backdated here: the rows are made
  // eight days old, as the purge's clock would see them then).
  ASSERT_EQ(StopGateway(s.gw), 0);
  gammu.Stop();
  {
    SqliteFile db(s.DbPath());
    ASSERT_EQ(db.Exec("UPDATE inbound_journal SET received_at_ms = received_at_ms - 8 * 86400000"),
              SQLITE_OK)
        << db.LastError();
  }
  ASSERT_EQ(RunCli(s.dir, "privacy purge"), 0) << ReadFile(s.dir.File("cli.out"));

  // No file of ours keeps a planted number: the store and its WAL, the logs of the gateway
  // and the CLI, and Gammu SMSD's database, byte by byte. Not the test's own input to the chat
  // command, and not Kannel's own logs: at debug level Kannel logs every SMS it carries (how
  // to run it in production is in deploy/README.md).
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(s.dir.path())) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name == "stdin" || name.starts_with("bearerbox") ||
        name.starts_with("smsbox") || name.starts_with("fakesmsc")) {
      continue;
    }
    files.push_back(entry.path().string());
  }
  files.push_back(gammu.database());
  for (const auto& f : files) {
    EXPECT_EQ(Leak(ReadFile(f)), "") << f;
  }
  EXPECT_EQ(Leak(s.gw.Log()), "");
}

}  // namespace
}  // namespace satupintu::testing
