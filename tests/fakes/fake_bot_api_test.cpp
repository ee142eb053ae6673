// FakeBotApi against the Telegram Bot API behaviour documented in CHANNELS.md.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fakes/fake_bot_api.hpp"
#include "fakes/manual_clock.hpp"
#include "support/http_client.hpp"

namespace satupintu::testing::fakes {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

ClientResponse Call(const FakeBotApi& fake, const std::string& method, const json& body) {
  return Post(fake.port(), fake.MethodPath(method), body.dump());
}

json Message(const json& chat_id, const std::string& text) {
  return {{"chat_id", chat_id}, {"text", text}};
}

// Limits out of the way: tests switch on what they look at.
BotApiConfig Quiet() {
  BotApiConfig c;
  c.global_per_second = 0;
  c.per_chat_per_second = 0;
  return c;
}

TEST(FakeBotApiTest, WrongTokenIs401AndUnknownMethod404) {
  FakeBotApi fake(Quiet());
  const auto r = Post(fake.port(), "/bot1:wrong/sendMessage", Message(42, "hi").dump());
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(json::parse(r.body),
            json::parse(R"({"ok":false,"error_code":401,"description":"Unauthorized"})"));
  EXPECT_EQ(Call(fake, "sendPigeon", Message(42, "hi")).status, 404);
  EXPECT_EQ(fake.Counters().unauthorized, 1);
}

TEST(FakeBotApiTest, ValidatesChatTextAndCallbackData) {
  FakeBotApi fake(Quiet());
  auto description = [](const ClientResponse& r) {
    return json::parse(r.body).value("description", "");
  };
  EXPECT_EQ(description(Call(fake, "sendMessage", {{"text", "x"}})),
            "Bad Request: chat_id is empty");
  auto r = Call(fake, "sendMessage", Message(42, ""));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(description(r), "Bad Request: message text is empty");
  r = Call(fake, "sendMessage", Message(42, std::string(4097, 'a')));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(description(r), "Bad Request: message is too long");
  // 4096 characters of two bytes each is still within the limit: characters, not bytes.
  std::string long_ok;
  for (int i = 0; i < 4096; ++i) long_ok += "\xC3\xA9";
  EXPECT_EQ(Call(fake, "sendMessage", Message(42, long_ok)).status, 200);

  auto keyboard = [](const std::string& data) {
    json m = Message(42, "Pilih");
    m["reply_markup"] = {{"inline_keyboard", {{{{"text", "A"}, {"callback_data", data}}}}}};
    return m;
  };
  EXPECT_EQ(Call(fake, "sendMessage", keyboard(std::string(64, 'x'))).status, 200);
  // 33 two-byte characters: 33 characters, but 66 bytes.
  std::string wide;
  for (int i = 0; i < 33; ++i) wide += "\xC3\xA9";
  r = Call(fake, "sendMessage", keyboard(wide));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(description(r), "Bad Request: BUTTON_DATA_INVALID");
  EXPECT_EQ(fake.Counters().per_recipient["42"].rejected, 3);
}

TEST(FakeBotApiTest, AcceptsWithTheDocumentedShape) {
  FakeBotApi fake(Quiet());
  const auto before = std::chrono::system_clock::now();
  auto r = Call(fake, "sendMessage", Message(987654321, "Halo"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto doc = json::parse(r.body);
  EXPECT_EQ(doc["ok"], true);
  EXPECT_EQ(doc["result"]["message_id"], 1);
  EXPECT_EQ(doc["result"]["chat"]["id"], 987654321);
  EXPECT_EQ(doc["result"]["text"], "Halo");
  const auto date = doc["result"]["date"].get<std::int64_t>();
  EXPECT_GE(date,
            std::chrono::duration_cast<std::chrono::seconds>(before.time_since_epoch()).count());
  doc = json::parse(Call(fake, "sendMessage", Message(987654321, "Lagi")).body);
  EXPECT_EQ(doc["result"]["message_id"], 2);
  EXPECT_EQ(fake.Counters().per_recipient["987654321"].accepted, 2);
  EXPECT_EQ(fake.Requests()[0].body, Message(987654321, "Halo").dump());
}

TEST(FakeBotApiTest, PerChatLimitAnswers429WithRetryAfter) {
  auto config = Quiet();
  config.per_chat_per_second = 1;
  config.per_chat_burst = 1;
  ManualClock clock;
  FakeBotApi fake(config);
  fake.SetClock(clock.AsClock());
  EXPECT_EQ(Call(fake, "sendMessage", Message(1, "a")).status, 200);
  const auto r = Call(fake, "sendMessage", Message(1, "b"));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(json::parse(r.body), json::parse(R"({"ok":false,"error_code":429,
      "description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}})"));
  EXPECT_EQ(Call(fake, "sendMessage", Message(2, "c")).status, 200);  // other chats unaffected
  clock.Advance(milliseconds(1000));
  EXPECT_EQ(Call(fake, "sendMessage", Message(1, "d")).status, 200);
  EXPECT_EQ(fake.Counters().per_recipient["1"].rate_limited, 1);
  EXPECT_EQ(fake.Counters().rate_limited, 1);
}

TEST(FakeBotApiTest, GlobalLimitRetryAfterRoundsUpToSeconds) {
  auto config = Quiet();
  config.global_per_second = 0.5;  // a token every 2 s
  config.global_burst = 2;
  ManualClock clock;
  FakeBotApi fake(config);
  fake.SetClock(clock.AsClock());
  EXPECT_EQ(Call(fake, "sendMessage", Message(1, "a")).status, 200);
  EXPECT_EQ(Call(fake, "sendMessage", Message(2, "b")).status, 200);
  auto r = Call(fake, "sendMessage", Message(3, "c"));
  ASSERT_EQ(r.status, 429);
  EXPECT_EQ(json::parse(r.body)["parameters"]["retry_after"], 2);
  clock.Advance(milliseconds(1500));
  r = Call(fake, "sendMessage", Message(3, "c"));
  ASSERT_EQ(r.status, 429);
  EXPECT_EQ(json::parse(r.body)["parameters"]["retry_after"], 1);
  clock.Advance(milliseconds(500));
  EXPECT_EQ(Call(fake, "sendMessage", Message(3, "c")).status, 200);
  EXPECT_EQ(fake.Counters().accepted, 3);
  EXPECT_EQ(fake.Counters().rate_limited, 2);
}

TEST(FakeBotApiTest, BlockedChatIs403) {
  FakeBotApi fake(Quiet());
  fake.Block(555);
  const auto r = Call(fake, "sendMessage", Message(555, "hi"));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(json::parse(r.body)["description"], "Forbidden: bot was blocked by the user");
  EXPECT_EQ(fake.Counters().per_recipient["555"].rejected, 1);
  fake.Unblock("555");
  EXPECT_EQ(Call(fake, "sendMessage", Message("555", "hi")).status, 200);  // string chat_id
}

TEST(FakeBotApiTest, ScriptedServerErrorsAreConsumed) {
  FakeBotApi fake(Quiet());
  fake.ScriptHttpStatus(502, 2);
  EXPECT_FALSE(fake.AllScriptsUsed());
  EXPECT_EQ(Call(fake, "sendMessage", Message(1, "a")).status, 502);
  EXPECT_FALSE(fake.AllScriptsUsed());
  EXPECT_EQ(Call(fake, "sendMessage", Message(1, "a")).status, 502);
  EXPECT_TRUE(fake.AllScriptsUsed());
  EXPECT_EQ(Call(fake, "sendMessage", Message(1, "a")).status, 200);
  EXPECT_EQ(fake.Counters().scripted, 2);
}

TEST(FakeBotApiTest, RecordsWebhookAndCallbackAnswers) {
  FakeBotApi fake(Quiet());
  auto r = Call(fake, "setWebhook",
                {{"url", "https://gw.example.go.id/tg"}, {"secret_token", "s3cret_-X"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["result"], true);
  EXPECT_EQ(Call(fake, "setWebhook", {{"url", "https://x"}, {"secret_token", "bad token!"}}).status,
            400);
  const auto hooks = fake.WebhookRegistrations();
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0].url, "https://gw.example.go.id/tg");
  EXPECT_EQ(hooks[0].secret_token, "s3cret_-X");

  EXPECT_EQ(Call(fake, "answerCallbackQuery", {{"callback_query_id", "q1"}}).status, 200);
  EXPECT_EQ(Call(fake, "answerCallbackQuery", json::object()).status, 400);
  EXPECT_EQ(fake.AnsweredCallbackQueries(), std::vector<std::string>{"q1"});
}

}  // namespace
}  // namespace satupintu::testing::fakes
