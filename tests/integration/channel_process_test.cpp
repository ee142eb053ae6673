// Channel webhooks on the real binary: a Telegram bot configured with secrets from the
// environment, updates posted over HTTPS to the public listener, the journal checked in the
// database file.

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace satupintu::testing
