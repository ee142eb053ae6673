// Channel webhooks on the real binary: a Telegram bot configured with secrets from the
// environment, updates posted over HTTPS to the public listener, the journal checked in the
// database file.

#include <gtest/gtest.h>

#include "adapters/whatsapp/signature.hpp"
#include "gateway_harness.hpp"

namespace satupintu::testing {
namespace {

using nlohmann::json;

constexpr const char* kBotToken = "123456:AAbbCCddEEffGG_hh-ii";
constexpr const char* kSecret = "tg-secret_42";

std::string TelegramConfig(const TempDir& dir) {
  return ConfigWith(dir, json::parse(R"({"channels": {"telegram": [
      {"name": "tg", "bot_token": {"env": "SATUPINTU_TEST_TG_TOKEN"},
       "secret_token": {"env": "SATUPINTU_TEST_TG_SECRET"}}]}})"));
}

std::vector<std::string> TelegramEnv() {
  return {std::string("SATUPINTU_TEST_TG_TOKEN=") + kBotToken,
          std::string("SATUPINTU_TEST_TG_SECRET=") + kSecret};
}

ClientResponse PostUpdate(std::uint16_t port, const std::string& body, const std::string& secret) {
  RequestOptions o;
  o.tls = true;
  o.method = "POST";
  o.target = "/webhooks/telegram/tg";
  o.body = body;
  o.headers = {{"Content-Type", "application/json"}};
  if (!secret.empty()) o.headers.emplace_back("X-Telegram-Bot-Api-Secret-Token", secret);
  return Send(port, o);
}

const char* kUpdate = R"({"update_id": 900001, "message": {"message_id": 5,
  "from": {"id": 777001, "is_bot": false, "first_name": "Siti", "language_code": "id"},
  "chat": {"id": 777001, "type": "private"}, "date": 1763794800,
  "text": "PKH sy gk cair2 udh 3 bln, nik 3201014101900003"}})";

TEST(ChannelProcessTest, TelegramUpdatesAreJournaledBeforeThe200) {
  TempDir dir;
  Gateway gw = StartGateway(dir, TelegramConfig(dir), "gw", TelegramEnv());
  ASSERT_NE(gw.ports.public_port, 0) << gw.Log();

  EXPECT_EQ(PostUpdate(gw.ports.public_port, kUpdate, "").status, 401);
  EXPECT_EQ(PostUpdate(gw.ports.public_port, kUpdate, "wrong-secret").status, 403);
  EXPECT_EQ(PostUpdate(gw.ports.public_port, "{not json", kSecret).status, 400);
  {
    SqliteFile db(dir.File("satupintu.db"));
    EXPECT_EQ(db.TotalRows(), 0) << "refused requests store nothing";
  }

  EXPECT_EQ(PostUpdate(gw.ports.public_port, kUpdate, kSecret).status, 200);
  EXPECT_EQ(PostUpdate(gw.ports.public_port, kUpdate, kSecret).status, 200) << "a retry is fine";
  {
    SqliteFile db(dir.File("satupintu.db"));
    EXPECT_EQ(db.Rows("telegram:tg", "900001"), 1);
    EXPECT_EQ(db.TotalRows(), 1);
  }
  EXPECT_EQ(StopGateway(gw), 0);

  const std::string log = gw.Log();
  EXPECT_NE(log.find("channel.mounted"), std::string::npos);
  EXPECT_EQ(log.find(kBotToken), std::string::npos);
  EXPECT_EQ(log.find(kSecret), std::string::npos);
  EXPECT_EQ(log.find("3201014101900003"), std::string::npos);
}

TEST(ChannelProcessTest, UnknownBotPathIs404) {
  TempDir dir;
  Gateway gw = StartGateway(dir, TelegramConfig(dir), "gw", TelegramEnv());
  ASSERT_NE(gw.ports.public_port, 0) << gw.Log();
  RequestOptions o;
  o.tls = true;
  o.method = "POST";
  o.target = "/webhooks/telegram/other";
  o.body = kUpdate;
  EXPECT_EQ(Send(gw.ports.public_port, o).status, 404);
  EXPECT_EQ(StopGateway(gw), 0);
}

TEST(ChannelProcessTest, MissingChannelSecretStopsTheStartNamingIt) {
  TempDir dir;
  Gateway gw = StartGateway(dir, TelegramConfig(dir), "gw",
                            {std::string("SATUPINTU_TEST_TG_TOKEN=") + kBotToken});
  EXPECT_EQ(gw.child->Wait(std::chrono::seconds(10)), 1);
  const std::string log = gw.Log();
  EXPECT_NE(log.find("channels.telegram[0].secret_token"), std::string::npos) << log;
  EXPECT_EQ(log.find(kBotToken), std::string::npos);
}

TEST(ChannelProcessTest, MalformedBotTokenStopsTheStartWithoutEchoingIt) {
  TempDir dir;
  Gateway gw = StartGateway(dir, TelegramConfig(dir), "gw",
                            {"SATUPINTU_TEST_TG_TOKEN=not a token/with slash",
                             std::string("SATUPINTU_TEST_TG_SECRET=") + kSecret});
  EXPECT_EQ(gw.child->Wait(std::chrono::seconds(10)), 1);
  const std::string log = gw.Log();
  EXPECT_NE(log.find("app.start_failed"), std::string::npos) << log;
  EXPECT_EQ(log.find("with slash"), std::string::npos) << log;
}

constexpr const char* kAppSecret = "wa-app-secret-0123456789";
constexpr const char* kVerifyToken = "wa-verify-token-77";

std::string WhatsAppConfig(const TempDir& dir) {
  return ConfigWith(dir, json::parse(R"({"channels": {"whatsapp": [
      {"name": "wa", "phone_number_id": "106540352242922",
       "access_token": {"env": "SATUPINTU_TEST_WA_TOKEN"},
       "app_secret": {"env": "SATUPINTU_TEST_WA_SECRET"},
       "verify_token": {"env": "SATUPINTU_TEST_WA_VERIFY"}}]}})"));
}

std::vector<std::string> WhatsAppEnv() {
  return {"SATUPINTU_TEST_WA_TOKEN=EAAtest-access-token-xyz",
          std::string("SATUPINTU_TEST_WA_SECRET=") + kAppSecret,
          std::string("SATUPINTU_TEST_WA_VERIFY=") + kVerifyToken};
}

// One envelope, two entries: a text message and a delivery status. Non-ASCII text arrives
// \u-escaped, as Meta sends it; the signature is over these exact bytes.
const char* kEnvelope = R"({"object":"whatsapp_business_account","entry":[
 {"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
  "metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
  "contacts":[{"profile":{"name":"Siti"},"wa_id":"6281234567890"}],
  "messages":[{"from":"6281234567890","id":"wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBDMEE=",
   "timestamp":"1763794800","type":"text","text":{"body":"Bant\u00fcan PKH sy blm cair"}}]}}]},
 {"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
  "metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
  "statuses":[{"id":"wamid.OUTGOING0001","status":"delivered","timestamp":"1763794801",
   "recipient_id":"6281234567890"}]}}]}]})";

ClientResponse PostEnvelope(std::uint16_t port, const std::string& body,
                            const std::string& signature) {
  RequestOptions o;
  o.tls = true;
  o.method = "POST";
  o.target = "/webhooks/whatsapp/wa";
  o.body = body;
  o.headers = {{"Content-Type", "application/json"}};
  if (!signature.empty()) o.headers.emplace_back("X-Hub-Signature-256", signature);
  return Send(port, o);
}

TEST(ChannelProcessTest, WhatsAppHandshakeAndSignedEnvelopes) {
  TempDir dir;
  Gateway gw = StartGateway(dir, WhatsAppConfig(dir), "gw", WhatsAppEnv());
  ASSERT_NE(gw.ports.public_port, 0) << gw.Log();

  RequestOptions verify;
  verify.tls = true;
  verify.target = std::string("/webhooks/whatsapp/wa?hub.mode=subscribe&hub.verify_token=") +
                  kVerifyToken + "&hub.challenge=1158201444";
  auto r = Send(gw.ports.public_port, verify);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "1158201444");
  verify.target = "/webhooks/whatsapp/wa?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1";
  EXPECT_EQ(Send(gw.ports.public_port, verify).status, 403);

  const std::string good = adapters::whatsapp::SignatureHeader(kAppSecret, kEnvelope);
  EXPECT_EQ(PostEnvelope(gw.ports.public_port, kEnvelope, "").status, 401);
  EXPECT_EQ(PostEnvelope(gw.ports.public_port, kEnvelope,
                         adapters::whatsapp::SignatureHeader("other-secret", kEnvelope))
                .status,
            403);
  {
    SqliteFile db(dir.File("satupintu.db"));
    EXPECT_EQ(db.TotalRows(), 0);
  }
  EXPECT_EQ(PostEnvelope(gw.ports.public_port, kEnvelope, good).status, 200);
  EXPECT_EQ(PostEnvelope(gw.ports.public_port, kEnvelope, good).status, 200);
  {
    SqliteFile db(dir.File("satupintu.db"));
    EXPECT_EQ(db.Rows("whatsapp:wa", "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBDMEE="), 1);
    EXPECT_EQ(db.Rows("whatsapp:wa", "status:wamid.OUTGOING0001:delivered"), 1);
    EXPECT_EQ(db.TotalRows(), 2);
  }
  // Signed by our app, but for another number of the business: refused, counted, not stored.
  std::string foreign = kEnvelope;
  for (std::size_t at = 0; (at = foreign.find("106540352242922", at)) != std::string::npos;) {
    foreign.replace(at, 15, "199999999999999");
  }
  foreign.replace(foreign.find("wamid.HBgN"), 10, "wamid.XXXX");
  EXPECT_EQ(PostEnvelope(gw.ports.public_port, foreign,
                         adapters::whatsapp::SignatureHeader(kAppSecret, foreign))
                .status,
            200);
  {
    SqliteFile db(dir.File("satupintu.db"));
    EXPECT_EQ(db.TotalRows(), 2) << "nothing of the other number's envelope is stored";
  }
  const auto metrics = Get(gw.ports.private_port, "/metrics");
  EXPECT_NE(metrics.body.find("satupintu_webhook_foreign_items_total{channel=\"whatsapp:wa\"} 2"),
            std::string::npos)
      << metrics.body;
  EXPECT_EQ(StopGateway(gw), 0);
  const std::string log = gw.Log();
  EXPECT_EQ(log.find(kAppSecret), std::string::npos);
  EXPECT_EQ(log.find(kVerifyToken), std::string::npos);
  EXPECT_EQ(log.find("6281234567890"), std::string::npos);
  EXPECT_NE(log.find("for another phone_number_id, 1 item(s) refused"), std::string::npos) << log;
}

}  // namespace
}  // namespace satupintu::testing
