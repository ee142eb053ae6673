// Outbound on the real binary against the fake Bot API and Graph API servers: replies,
// callback answers, blocked chats, the 24-hour window, templates, rate-limit answers, the
// channel log; and the reliability test that kills the gateway while traffic flows.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "adapters/whatsapp/signature.hpp"
#include "fakes/fake_bot_api.hpp"
#include "fakes/fake_graph_api.hpp"
#include "fakes/fake_smsbox.hpp"
#include "gateway_harness.hpp"

namespace satupintu::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kTgSecret = "tg-secret_42";
constexpr const char* kWaSecret = "wa-app-secret";
constexpr const char* kWaVerify = "wa-verify";

ClientResponse PostTls(std::uint16_t port, const std::string& target, const std::string& body,
                       std::vector<std::pair<std::string, std::string>> headers) {
  RequestOptions o;
  o.tls = true;
  o.method = "POST";
  o.target = target;
  o.body = body;
  o.headers = std::move(headers);
  o.headers.emplace_back("Content-Type", "application/json");
  return Send(port, o);
}

ClientResponse Enqueue(std::uint16_t private_port, const json& message) {
  return Post(private_port, "/diag/outbox", message.dump());
}

std::string PartState(const TempDir& dir, const std::string& message_key, int seq = 1) {
  sqlite3* raw = nullptr;
  sqlite3_open_v2(dir.File("satupintu.db").c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_busy_timeout(raw, 5000);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(raw,
                     "SELECT p.state || '|' || COALESCE(p.last_error, '') FROM outbox_part p"
                     " JOIN outbox_message m ON m.id = p.message_id"
                     " WHERE m.message_key = ? AND p.seq = ?",
                     -1, &stmt, nullptr);
  sqlite3_bind_text(stmt, 1, message_key.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(stmt, 2, seq);
  std::string out;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close_v2(raw);
  return out;
}

bool StateIs(const TempDir& dir, const std::string& key, const std::string& prefix) {
  return PartState(dir, key).rfind(prefix, 0) == 0;
}

// Texts the fake Bot API was asked to send, by chat.
std::multimap<std::string, std::string> TelegramTexts(const fakes::FakeBotApi& bot) {
  std::multimap<std::string, std::string> out;
  for (const auto& r : bot.Requests()) {
    if (r.target.find("/sendMessage") == std::string::npos) continue;
    auto body = json::parse(r.body, nullptr, false);
    if (!body.is_object()) continue;
    const auto chat = body["chat_id"].is_string()
                          ? body["chat_id"].get<std::string>()
                          : std::to_string(body["chat_id"].get<long long>());
    out.emplace(chat, body.value("text", ""));
  }
  return out;
}

std::string TelegramConfig(const TempDir& dir, const fakes::FakeBotApi& bot) {
  json patch = {{"channels",
                 {{"telegram",
                   {{{"name", "tg"},
                     {"base_url", bot.BaseUrl()},
                     {"bot_token", {{"env", "SATUPINTU_TEST_TG_TOKEN"}}},
                     {"secret_token", {{"env", "SATUPINTU_TEST_TG_SECRET"}}},
                     {"send", {{"backoff_base_ms", 100}, {"timeout_ms", 2000}}}}}}}}};
  return ConfigWith(dir, patch);
}

std::vector<std::string> TelegramEnv(const fakes::FakeBotApi& bot) {
  return {"SATUPINTU_TEST_TG_TOKEN=" + bot.config().token,
          std::string("SATUPINTU_TEST_TG_SECRET=") + kTgSecret};
}

std::string TelegramUpdate(std::int64_t update_id, std::int64_t chat, const std::string& kind) {
  json from = {{"id", chat}, {"is_bot", false}, {"first_name", "Siti"}, {"language_code", "id"}};
  json chat_obj = {{"id", chat}, {"type", "private"}};
  json message = {
      {"message_id", update_id}, {"from", from}, {"chat", chat_obj}, {"date", 1763794800}};
  json update = {{"update_id", update_id}};
  if (kind == "photo") {
    message["photo"] = json::array(
        {{{"file_id", "AgAD"}, {"file_unique_id", "u1"}, {"width", 90}, {"height", 90}}});
    update["message"] = message;
  } else if (kind == "callback") {
    message["text"] = "Pilih layanan";
    message["from"] = {{"id", 999}, {"is_bot", true}, {"first_name", "bot"}};
    update["callback_query"] = {{"id", "cbq-" + std::to_string(update_id)},
                                {"from", from},
                                {"message", message},
                                {"chat_instance", "1"},
                                {"data", "complaint"}};
  } else {
    message["text"] = "halo " + std::to_string(update_id);
    update["message"] = message;
  }
  return update.dump();
}

ClientResponse PostTelegram(const Gateway& gw, const std::string& body) {
  return PostTls(gw.ports.public_port, "/webhooks/telegram/tg", body,
                 {{"X-Telegram-Bot-Api-Secret-Token", kTgSecret}});
}

TEST(OutboundProcessTest, TelegramRepliesCallbacksBlockedChatsAndTheChannelLog) {
  fakes::FakeBotApi bot;
  TempDir dir;
  Gateway gw = StartGateway(dir, TelegramConfig(dir, bot), "gw", TelegramEnv(bot));
  ASSERT_NE(gw.ports.private_port, 0) << gw.Log();

  // A button tap is answered (the spinner stops) and goes to the dialogs: a tap on the menu's
  // "Pengaduan" asks which programme, with a keyboard. A photo gets "text only, please".
  ASSERT_EQ(PostTelegram(gw, TelegramUpdate(5001, 777001, "callback")).status, 200);
  ASSERT_EQ(PostTelegram(gw, TelegramUpdate(5002, 777001, "photo")).status, 200);
  EXPECT_TRUE(WaitUntil([&] { return bot.AnsweredCallbackQueries().size() == 1; }));
  EXPECT_EQ(bot.AnsweredCallbackQueries(), std::vector<std::string>{"cbq-5001"});
  EXPECT_TRUE(WaitUntil([&] { return TelegramTexts(bot).count("777001") == 2; }));
  const auto texts = TelegramTexts(bot);
  ASSERT_EQ(texts.count("777001"), 2u);
  int text_only = 0;
  int category = 0;
  for (auto [it, end] = texts.equal_range("777001"); it != end; ++it) {
    text_only += it->second.find("hanya bisa membaca pesan teks") != std::string::npos;
    category += it->second.starts_with("Soal apa?");
  }
  EXPECT_EQ(text_only, 1);
  EXPECT_EQ(category, 1);
  const auto requests = bot.Requests();
  const auto keyboards = std::count_if(requests.begin(), requests.end(), [](const auto& r) {
    return r.body.find("inline_keyboard") != std::string::npos &&
           r.body.find("\"rutilahu\"") != std::string::npos;
  });
  EXPECT_EQ(keyboards, 1) << "the programmes as an inline keyboard";

  // A message enqueued by key is sent once, even when enqueued twice.
  json m = {{"key", "reply-1"},
            {"channel", "telegram:tg"},
            {"address", "tg:777002"},
            {"text", "Pengaduan Anda diterima. Kode: SP-7K2Q"}};
  EXPECT_EQ(Enqueue(gw.ports.private_port, m).status, 202);
  EXPECT_EQ(Enqueue(gw.ports.private_port, m).status, 202);
  EXPECT_TRUE(WaitUntil([&] { return StateIs(dir, "reply-1", "sent|"); }))
      << PartState(dir, "reply-1");
  EXPECT_EQ(TelegramTexts(bot).count("777002"), 1u);

  // A chat that blocked the bot: the part fails with the reason and the address is opted
  // out; the next message to it is not even tried.
  bot.Block(777003);
  m = {{"key", "reply-2"}, {"channel", "telegram:tg"}, {"address", "tg:777003"}, {"text", "Halo"}};
  EXPECT_EQ(Enqueue(gw.ports.private_port, m).status, 202);
  EXPECT_TRUE(WaitUntil([&] { return StateIs(dir, "reply-2", "failed|"); }));
  EXPECT_NE(PartState(dir, "reply-2").find("opted out"), std::string::npos)
      << PartState(dir, "reply-2");
  {
    SqliteFile db(dir.File("satupintu.db"));
    EXPECT_EQ(db.Int("SELECT COUNT(*) FROM citizen_address WHERE address = 'tg:777003'"
                     " AND opted_out_at_ms IS NOT NULL"),
              1);
  }
  const auto requests_before = bot.Requests().size();
  m["key"] = "reply-3";
  EXPECT_EQ(Enqueue(gw.ports.private_port, m).status, 202);
  EXPECT_TRUE(WaitUntil([&] { return StateIs(dir, "reply-3", "failed|recipient opted out"); }))
      << PartState(dir, "reply-3");
  EXPECT_EQ(bot.Requests().size(), requests_before);

  // Bad requests to the diagnostic route are refused with a reason and store nothing.
  EXPECT_EQ(Post(gw.ports.private_port, "/diag/outbox", "{nope").status, 400);
  EXPECT_EQ(
      Enqueue(gw.ports.private_port,
              {{"key", "a#b"}, {"channel", "telegram:tg"}, {"address", "tg:1"}, {"text", "x"}})
          .status,
      400);
  EXPECT_EQ(
      Enqueue(gw.ports.private_port,
              {{"key", "k"}, {"channel", "telegram:nope"}, {"address", "tg:1"}, {"text", "x"}})
          .status,
      400);

  // The channel log has the exchange for the message key, without the bot token.
  auto logged = Get(gw.ports.private_port, "/diag/channel-log?key=reply-1");
  ASSERT_EQ(logged.status, 200) << logged.body;
  auto doc = json::parse(logged.body);
  ASSERT_GE(doc["count"].get<int>(), 1);
  EXPECT_EQ(doc["entries"][0]["http_status"], 200);
  EXPECT_EQ(logged.body.find(bot.config().token), std::string::npos);
  EXPECT_EQ(StopGateway(gw), 0);
  EXPECT_EQ(gw.Log().find(bot.config().token), std::string::npos);
}

std::pair<int, std::string> RunCommand(const TempDir& dir, const std::vector<std::string>& args,
                                       const std::vector<std::string>& env) {
  std::vector<std::string> argv{SatupintuBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  Child child(argv, dir.File("cmd.out"), env);
  const int code = child.Wait(kStopTimeout);
  return {code, ReadFile(dir.File("cmd.out"))};
}

TEST(OutboundProcessTest, TelegramSetWebhookRegistersUrlAndSecret) {
  fakes::FakeBotApi bot;
  TempDir dir;
  WriteFile(dir.File("c.json"), TelegramConfig(dir, bot));
  const std::string url = "https://satupintu.example.go.id/webhooks/telegram/tg";
  auto [code, out] = RunCommand(
      dir,
      {"telegram-set-webhook", "--config", dir.File("c.json"), "--channel", "tg", "--url", url},
      TelegramEnv(bot));
  EXPECT_EQ(code, 0) << out;
  ASSERT_EQ(bot.WebhookRegistrations().size(), 1u);
  EXPECT_EQ(bot.WebhookRegistrations()[0].url, url);
  EXPECT_EQ(bot.WebhookRegistrations()[0].secret_token, kTgSecret);
  EXPECT_EQ(out.find(bot.config().token), std::string::npos);
  EXPECT_EQ(out.find(kTgSecret), std::string::npos);

  auto refused = RunCommand(dir,
                            {"telegram-set-webhook", "--config", dir.File("c.json"), "--channel",
                             "tg", "--url", "http://plain.example/hook"},
                            TelegramEnv(bot));
  EXPECT_EQ(refused.first, 2) << "Telegram requires https: refused before any request";
  EXPECT_EQ(bot.WebhookRegistrations().size(), 1u);
  auto unknown = RunCommand(
      dir,
      {"telegram-set-webhook", "--config", dir.File("c.json"), "--channel", "nope", "--url", url},
      TelegramEnv(bot));
  EXPECT_EQ(unknown.first, 2);
  EXPECT_NE(unknown.second.find("nope"), std::string::npos);
}

std::string WhatsAppConfig(const TempDir& dir, const fakes::FakeGraphApi& graph) {
  json patch = {{"channels",
                 {{"whatsapp",
                   {{{"name", "wa"},
                     {"base_url", graph.BaseUrl()},
                     {"api_version", "v19.0"},
                     {"phone_number_id", graph.config().phone_number_id},
                     {"access_token", {{"env", "SATUPINTU_TEST_WA_TOKEN"}}},
                     {"app_secret", {{"env", "SATUPINTU_TEST_WA_SECRET"}}},
                     {"verify_token", {{"env", "SATUPINTU_TEST_WA_VERIFY"}}},
                     // Our own pair limit (1 per 6 s per recipient) would make the retries
                     // below wait 6 s each; the fake enforces none either.
                     {"send",
                      {{"backoff_base_ms", 100},
                       {"timeout_ms", 2000},
                       {"per_recipient_interval_ms", 0}}}}}}}}};
  return ConfigWith(dir, patch);
}

std::vector<std::string> WhatsAppEnv(const fakes::FakeGraphApi& graph) {
  return {"SATUPINTU_TEST_WA_TOKEN=" + graph.config().access_token,
          std::string("SATUPINTU_TEST_WA_SECRET=") + kWaSecret,
          std::string("SATUPINTU_TEST_WA_VERIFY=") + kWaVerify};
}

json WaValue(const fakes::FakeGraphApi& graph) {
  return {{"messaging_product", "whatsapp"},
          {"metadata",
           {{"display_phone_number", graph.config().display_phone_number},
            {"phone_number_id", graph.config().phone_number_id}}}};
}

std::string WaEnvelope(const json& value) {
  json env = {
      {"object", "whatsapp_business_account"},
      {"entry",
       json::array({{{"id", "102290129340398"},
                     {"changes", json::array({{{"field", "messages"}, {"value", value}}})}}})}};
  return env.dump();
}

ClientResponse PostWhatsApp(const Gateway& gw, const std::string& body) {
  return PostTls(gw.ports.public_port, "/webhooks/whatsapp/wa", body,
                 {{"X-Hub-Signature-256", adapters::whatsapp::SignatureHeader(kWaSecret, body)}});
}

TEST(OutboundProcessTest, WhatsAppWindowTemplatesRateLimitsAndStatuses) {
  fakes::GraphApiConfig config;
  config.pair_interval = 0ms;
  fakes::FakeGraphApi graph(config);
  TempDir dir;
  Gateway gw = StartGateway(dir, WhatsAppConfig(dir, graph), "gw", WhatsAppEnv(graph));
  ASSERT_NE(gw.ports.private_port, 0) << gw.Log();

  // The citizen writes: the window opens (here and at the fake).
  json value = WaValue(graph);
  value["contacts"] = json::array({{{"profile", {{"name", "Siti"}}}, {"wa_id", "6281234567890"}}});
  const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  value["messages"] = json::array({{{"from", "6281234567890"},
                                    {"id", "wamid.IN1"},
                                    {"timestamp", std::to_string(now_s)},
                                    {"type", "text"},
                                    {"text", {{"body", "halo"}}}}});
  graph.OpenWindow("6281234567890");
  ASSERT_EQ(PostWhatsApp(gw, WaEnvelope(value)).status, 200);
  {
    SqliteFile db(dir.File("satupintu.db"));
    ASSERT_TRUE(WaitUntil([&] {
      return db.Int("SELECT COUNT(*) FROM address_channel WHERE address = '6281234567890'") == 1;
    }));
  }
  // The dialogs greet with the menu: five services, so a list rather than buttons.
  EXPECT_TRUE(WaitUntil([&] { return graph.Counters().accepted == 1; })) << gw.Log();
  ASSERT_FALSE(graph.Requests().empty());
  const auto menu = graph.Requests().back();
  EXPECT_NE(menu.body.find("\"type\":\"list\""), std::string::npos) << menu.body;

  // Inside the window, with buttons; a 429 first only delays it.
  graph.ScriptTooManyRequests(1, 1);
  json m = {{"key", "wa-1"},
            {"channel", "whatsapp:wa"},
            {"address", "6281234567890"},
            {"text", "Apakah data ini benar?"},
            {"choices", json::array({json::array({"ya", "Ya"}), json::array({"tidak", "Tidak"})})}};
  ASSERT_EQ(Enqueue(gw.ports.private_port, m).status, 202);
  EXPECT_TRUE(WaitUntil([&] { return StateIs(dir, "wa-1", "sent|"); })) << PartState(dir, "wa-1");
  EXPECT_TRUE(graph.AllScriptsUsed());
  EXPECT_EQ(graph.Counters().accepted, 2);
  const auto sent = graph.Requests().back();
  EXPECT_NE(sent.body.find("\"interactive\""), std::string::npos) << sent.body;

  // Its statuses come back signed; a late 'delivered' after 'read' changes nothing.
  const auto wamid = graph.IssuedWamids().at(1);
  for (const char* status : {"read", "delivered"}) {
    json sv = WaValue(graph);
    sv["statuses"] = json::array({{{"id", wamid},
                                   {"status", status},
                                   {"timestamp", std::to_string(now_s)},
                                   {"recipient_id", "6281234567890"}}});
    ASSERT_EQ(PostWhatsApp(gw, WaEnvelope(sv)).status, 200);
  }
  EXPECT_TRUE(WaitUntil([&] { return StateIs(dir, "wa-1", "read|"); })) << PartState(dir, "wa-1");
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(StateIs(dir, "wa-1", "read|")) << "statuses never go backwards";

  // Outside the window: free text is never sent; a template is.
  const auto before = graph.Requests().size();
  m = {{"key", "wa-2"},
       {"channel", "whatsapp:wa"},
       {"address", "6289999999999"},
       {"text", "Status tiket Anda berubah"}};
  ASSERT_EQ(Enqueue(gw.ports.private_port, m).status, 202);
  EXPECT_TRUE(WaitUntil([&] { return StateIs(dir, "wa-2", "failed|"); }));
  EXPECT_NE(PartState(dir, "wa-2").find("24-hour window"), std::string::npos);
  EXPECT_EQ(graph.Requests().size(), before) << "nothing free-form left for the peer";
  m["key"] = "wa-3";
  m["template"] = {
      {"name", "status_tiket"}, {"language", "id"}, {"params", {"SP-7K2Q", "diverifikasi"}}};
  ASSERT_EQ(Enqueue(gw.ports.private_port, m).status, 202);
  EXPECT_TRUE(WaitUntil([&] { return StateIs(dir, "wa-3", "sent|"); })) << PartState(dir, "wa-3");
  EXPECT_NE(graph.Requests().back().body.find("\"template\""), std::string::npos);

  // A peer that answers 500 is retried; the message goes out when it recovers.
  graph.ScriptHttpStatus(500, 2);
  m = {{"key", "wa-4"}, {"channel", "whatsapp:wa"}, {"address", "6281234567890"}, {"text", "Tes"}};
  ASSERT_EQ(Enqueue(gw.ports.private_port, m).status, 202);
  EXPECT_TRUE(WaitUntil([&] { return StateIs(dir, "wa-4", "sent|"); }, 15s))
      << PartState(dir, "wa-4");
  EXPECT_EQ(StopGateway(gw), 0);
  const std::string log = gw.Log();
  EXPECT_EQ(log.find(graph.config().access_token), std::string::npos);
  EXPECT_EQ(log.find("6281234567890"), std::string::npos);
}

// Issue 19 item 2: a crash between a peer's answer and the store's record of it does not send
// the part again. Another connection holds the store's write lock (the gateway's writer cannot
// commit) while smsbox answers; the answer reaches the acceptance log; SIGKILL. The store still
// has the part in flight, yet the next start records it as sent and smsbox gets it only once.
TEST(OutboundProcessTest, AnAnswerLoggedBeforeAKillIsNotSentAgain) {
  fakes::FakeSmsbox smsbox(1500ms);
  TempDir dir;
  const json patch = {
      {"channels", {{"kannel", json::array({KannelTestChannel(smsbox.SendsmsUrl())})}}}};
  const std::string config = ConfigWith(dir, patch);
  const std::vector<std::string> env = {"SATUPINTU_TEST_KANNEL_PASSWORD=kannel-pass",
                                        "SATUPINTU_TEST_KANNEL_SECRET=kannelsecret"};
  Gateway gw = StartGateway(dir, config, "gw", env);
  ASSERT_NE(gw.ports.private_port, 0) << gw.Log();
  ASSERT_EQ(Enqueue(gw.ports.private_port, {{"key", "once"},
                                            {"channel", "kannel:dinsos"},
                                            {"address", "6281234500001"},
                                            {"text", "Tiket Anda sedang diproses."}})
                .status,
            202);
  ASSERT_TRUE(smsbox.server().WaitForRequests(1, 10s));  // smsbox answers 1.5 s later
  SqliteFile blocker(dir.File("satupintu.db"));
  ASSERT_EQ(blocker.Exec("BEGIN IMMEDIATE"), SQLITE_OK) << blocker.LastError();
  const std::string log_file = dir.File("satupintu.db.a");
  // The log's lines: the marker, the offer (before smsbox got the part), the acceptance.
  ASSERT_TRUE(WaitUntil([&] {
    const std::string lines = ReadFile(log_file);
    return std::count(lines.begin(), lines.end(), '\n') >= 3;
  }));
  gw.child->Signal(SIGKILL);
  gw.child->Wait(kStopTimeout);
  ASSERT_EQ(blocker.Exec("ROLLBACK"), SQLITE_OK);
  EXPECT_TRUE(StateIs(dir, "once", "in_flight")) << "the store never recorded the answer";

  smsbox.SetDelay(0ms);
  Gateway again = StartGateway(dir, config, "again", env);
  ASSERT_NE(again.ports.private_port, 0) << again.Log();
  EXPECT_TRUE(StateIs(dir, "once", "sent")) << PartState(dir, "once");
  // A resend would be claimed at once: give it the time to happen, then count.
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(smsbox.server().RequestCount(), 1u) << "sent twice";
  const auto metrics = Get(again.ports.private_port, "/metrics").body;
  EXPECT_NE(metrics.find("satupintu_outbox_in_flight_at_crash_total{action=\"accepted\"} 1"),
            std::string::npos);
  EXPECT_EQ(StopGateway(again), 0);
  std::error_code ec;
  EXPECT_EQ(std::filesystem::file_size(log_file, ec), 0u) << "emptied once in the store";
}

// The reliability test of the Channels issue: SIGKILL while Telegram updates come in and
// replies go out, restart, repeat; then prove nothing acknowledged was lost and duplicates
// are bounded by the parts that were in flight at the kills.
TEST(OutboundProcessTest, KillNineWhileTrafficFlowsInAndOut) {
  fakes::BotApiConfig config;
  config.global_per_second = 100'000;
  config.global_burst = 100'000;
  config.per_chat_per_second = 100'000;
  config.per_chat_burst = 100'000;
  fakes::FakeBotApi bot(config);
  fakes::GraphApiConfig graph_config;
  graph_config.throughput_per_second = 100'000;
  graph_config.throughput_burst = 100'000;
  graph_config.pair_interval = 0ms;
  graph_config.enforce_window = false;
  fakes::FakeGraphApi graph(graph_config);
  TempDir dir;
  json patch = json::parse(TelegramConfig(dir, bot), nullptr, true, true);
  const json unlimited = {
      {"rate_per_minute", 0}, {"per_recipient_interval_ms", 0}, {"backoff_base_ms", 100}};
  patch["channels"]["telegram"][0]["send"] = unlimited;
  patch["channels"]["whatsapp"] =
      json::parse(WhatsAppConfig(dir, graph), nullptr, true, true)["channels"]["whatsapp"];
  patch["channels"]["whatsapp"][0]["send"] = unlimited;
  const std::string gateway_config = patch.dump(2);
  auto env = TelegramEnv(bot);
  for (auto& e : WhatsAppEnv(graph)) env.push_back(e);
  std::mt19937 rng(12345);
  std::set<std::int64_t> acked_updates;
  std::set<std::string> acked_messages;
  std::set<std::string> acked_statuses;  // wamids whose "delivered" the gateway acknowledged
  std::size_t statuses_posted = 0;
  std::int64_t next_update = 1;
  int next_message = 1;
  int kills = 0;
  std::int64_t in_flight_at_kills = 0;

  auto in_flight_resent = [](const Gateway& gw) -> std::int64_t {
    const auto metrics = Get(gw.ports.private_port, "/metrics").body;
    const std::string key = "satupintu_outbox_in_flight_at_crash_total{action=\"resent\"} ";
    const auto pos = metrics.find(key);
    return pos == std::string::npos ? 0 : std::stoll(metrics.substr(pos + key.size()));
  };

  for (int round = 0; round < 5; ++round) {
    Gateway gw = StartGateway(dir, gateway_config, "gw" + std::to_string(round), env);
    ASSERT_NE(gw.ports.private_port, 0) << gw.Log();
    in_flight_at_kills += in_flight_resent(gw);
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::vector<std::thread> clients;
    clients.reserve(5);
    for (int c = 0; c < 5; ++c) {
      clients.emplace_back([&, c] {
        while (!stop) {
          if (c == 4) {
            // Statuses for what the fake accepted: "delivered", then a late "sent" that must
            // not move anything back.
            const auto wamids = graph.IssuedWamids();
            if (statuses_posted >= wamids.size()) {
              std::this_thread::sleep_for(5ms);
              continue;
            }
            const std::string& wamid = wamids[statuses_posted++];
            bool acked = true;
            for (const char* status : {"delivered", "sent"}) {
              json sv = WaValue(graph);
              sv["statuses"] = json::array({{{"id", wamid},
                                             {"status", status},
                                             {"timestamp", "1763794801"},
                                             {"recipient_id", "6281200000000"}}});
              acked = acked && PostWhatsApp(gw, WaEnvelope(sv)).status == 200;
            }
            if (acked) {
              std::lock_guard lock(mutex);
              acked_statuses.insert(wamid);
            }
            continue;
          }
          std::int64_t id;
          int n;
          {
            std::lock_guard lock(mutex);
            id = next_update++;
            n = next_message++;
          }
          if (c == 0) {
            if (PostTelegram(gw, TelegramUpdate(id, 800000 + id % 50, "text")).status == 200) {
              std::lock_guard lock(mutex);
              acked_updates.insert(id);
            }
          } else {
            const std::string key = "k" + std::to_string(n);
            json m = {{"key", key},
                      {"channel", "telegram:tg"},
                      {"address", "tg:" + std::to_string(900000 + n % 200)},
                      {"text", "msg " + key}};
            if (c == 3) {  // WhatsApp, outside any window: a template
              m["channel"] = "whatsapp:wa";
              m["address"] = "62812" + std::to_string(10000000 + n % 200);
              m["template"] = {{"name", "status_tiket"}, {"language", "id"}, {"params", {key}}};
            }
            if (Enqueue(gw.ports.private_port, m).status == 202) {
              std::lock_guard lock(mutex);
              acked_messages.insert(key);
            }
          }
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300 + rng() % 500));
    gw.child->Signal(SIGKILL);
    gw.child->Wait(kStopTimeout);
    ++kills;
    stop = true;
    for (auto& t : clients) t.join();
  }

  // A last start drains the outbox.
  Gateway gw = StartGateway(dir, gateway_config, "final", env);
  ASSERT_NE(gw.ports.private_port, 0) << gw.Log();
  in_flight_at_kills += in_flight_resent(gw);
  ASSERT_TRUE(WaitUntil(
      [&] {
        SqliteFile db(dir.File("satupintu.db"));
        // Drained, and the dispatcher has read the whole journal (statuses applied).
        return db.Int("SELECT COUNT(*) FROM outbox_part WHERE state IN ('queued', 'in_flight')") ==
                   0 &&
               db.Int(
                   "SELECT (SELECT MAX(id) FROM inbound_journal) ="
                   " (SELECT last_id FROM journal_cursor WHERE consumer = 'channels')") == 1;
      },
      60s));
  EXPECT_EQ(StopGateway(gw), 0);

  SqliteFile db(dir.File("satupintu.db"));
  for (const auto id : acked_updates) {
    EXPECT_EQ(db.Rows("telegram:tg", std::to_string(id)), 1) << "update " << id;
  }
  std::map<std::string, int> received;
  for (const auto& [chat, text] : TelegramTexts(bot)) ++received[text];
  for (const auto& r : graph.Requests()) {
    auto body = json::parse(r.body, nullptr, false);
    if (!body.is_object() || !body.contains("template")) continue;
    const auto& params = body["template"]["components"][0]["parameters"];
    ++received["msg " + params[0]["text"].get<std::string>()];
  }
  // Every acknowledged status of a send we recorded moved its part to 'delivered', and the
  // late 'sent' did not undo it. A status can only miss when its send's answer died with the
  // process (the part was in flight at the kill and was sent again under a new wamid).
  std::int64_t statuses_without_part = 0;
  for (const auto& wamid : acked_statuses) {
    const auto delivered = db.Int(
        "SELECT COUNT(*) FROM outbox_part WHERE provider_message_id = ? AND state = 'delivered'",
        wamid);
    const auto recorded =
        db.Int("SELECT COUNT(*) FROM outbox_part WHERE provider_message_id = ?", wamid);
    if (recorded == 0) {
      ++statuses_without_part;
    } else {
      EXPECT_EQ(delivered, 1) << wamid;
    }
  }
  EXPECT_LE(statuses_without_part, in_flight_at_kills);
  std::int64_t duplicates = 0;
  for (const auto& key : acked_messages) {
    EXPECT_TRUE(StateIs(dir, key, "sent|") || StateIs(dir, key, "delivered|"))
        << key << " " << PartState(dir, key);
    const int n = received["msg " + key];
    EXPECT_GE(n, 1) << key << " was acknowledged but never sent";
    duplicates += std::max(0, n - 1);
  }
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM outbox_part WHERE state NOT IN ('sent', 'delivered')"), 0);
  EXPECT_LE(duplicates, in_flight_at_kills) << "only parts in flight at a kill may repeat";
  std::printf(
      "kills=%d acknowledged_in=%zu acknowledged_out=%zu acknowledged_statuses=%zu "
      "in_flight_at_kills=%lld duplicates=%lld statuses_for_unrecorded_sends=%lld\n",
      kills, acked_updates.size(), acked_messages.size(), acked_statuses.size(),
      static_cast<long long>(in_flight_at_kills), static_cast<long long>(duplicates),
      static_cast<long long>(statuses_without_part));
  EXPECT_GT(acked_statuses.size(), 20u);
  EXPECT_GT(acked_updates.size(), 20u);
  EXPECT_GT(acked_messages.size(), 20u);
}

}  // namespace
}  // namespace satupintu::testing
