// FakeGraphApi against the WhatsApp Cloud API behaviour documented in CHANNELS.md.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/whatsapp/signature.hpp"
#include "fakes/fake_graph_api.hpp"
#include "fakes/manual_clock.hpp"
#include "support/http_client.hpp"

namespace satupintu::testing::fakes {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using whatsapp_signature = adapters::whatsapp::SignatureCheck;

constexpr auto kWait = milliseconds(5000);

std::string TextBody(const std::string& to, const std::string& text = "Halo") {
  return json{{"messaging_product", "whatsapp"},
              {"recipient_type", "individual"},
              {"to", to},
              {"type", "text"},
              {"text", {{"body", text}}}}
      .dump();
}

std::string TemplateBody(const std::string& to) {
  return json{{"messaging_product", "whatsapp"},
              {"to", to},
              {"type", "template"},
              {"template", {{"name", "pengingat"}, {"language", {{"code", "id"}}}}}}
      .dump();
}

ClientResponse SendTo(const FakeGraphApi& fake, const std::string& body,
                      const std::string& token = "fake-access-token") {
  RequestOptions o;
  o.method = "POST";
  o.target = fake.MessagesPath();
  o.body = body;
  o.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}};
  return Send(fake.port(), o);
}

int ErrorCode(const ClientResponse& r) {
  return json::parse(r.body, nullptr, false).value("/error/code"_json_pointer, 0);
}

// No window, limits out of the way: tests switch on what they look at.
GraphApiConfig Quiet() {
  GraphApiConfig c;
  c.pair_interval = milliseconds(0);
  c.enforce_window = false;
  return c;
}

TEST(FakeGraphApiTest, RejectsWrongOrMissingToken) {
  FakeGraphApi fake(Quiet());
  auto r = SendTo(fake, TextBody("6281234567890"), "wrong");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(ErrorCode(r), kGraphAuthError);
  RequestOptions o;
  o.method = "POST";
  o.target = fake.MessagesPath();
  o.body = TextBody("6281234567890");
  EXPECT_EQ(Send(fake.port(), o).status, 401);
  EXPECT_EQ(fake.Counters().unauthorized, 2);
  EXPECT_EQ(fake.Counters().accepted, 0);
}

TEST(FakeGraphApiTest, RejectsInvalidBodiesWithCode100) {
  FakeGraphApi fake(Quiet());
  const std::string long_text(4097, 'a');
  const json four_buttons = {
      {"messaging_product", "whatsapp"},
      {"to", "628"},
      {"type", "interactive"},
      {"interactive",
       {{"type", "button"},
        {"body", {{"text", "Pilih"}}},
        {"action",
         {{"buttons",
           json::array({{{"type", "reply"}, {"reply", {{"id", "1"}, {"title", "a"}}}},
                        {{"type", "reply"}, {"reply", {{"id", "2"}, {"title", "b"}}}},
                        {{"type", "reply"}, {"reply", {{"id", "3"}, {"title", "c"}}}},
                        {{"type", "reply"}, {"reply", {{"id", "4"}, {"title", "d"}}}}})}}}}}};
  const std::vector<std::string> bad = {
      "not json",
      R"({"messaging_product":"sms","to":"628","type":"text","text":{"body":"x"}})",
      R"({"messaging_product":"whatsapp","type":"text","text":{"body":"x"}})",
      R"({"messaging_product":"whatsapp","to":"628","type":"image","image":{"id":"1"}})",
      R"({"messaging_product":"whatsapp","to":"628","type":"text","text":{"body":""}})",
      R"({"messaging_product":"whatsapp","to":"628","type":"interactive","interactive":"x"})",
      R"({"messaging_product":"whatsapp","to":"628","type":"template","template":{"name":"t"}})",
      TextBody("628", long_text),
      four_buttons.dump(),
  };
  for (const auto& body : bad) {
    const auto r = SendTo(fake, body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(ErrorCode(r), kGraphInvalidParameter) << body;
  }
  EXPECT_EQ(SendTo(fake, TextBody("628", std::string(4096, 'a'))).status, 200);
  EXPECT_EQ(fake.Counters().rejected, static_cast<int>(bad.size()));
}

TEST(FakeGraphApiTest, AcceptsWithTheDocumentedShape) {
  FakeGraphApi fake(Quiet());
  const auto r = SendTo(fake, TextBody("6281234567890"));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto doc = json::parse(r.body);
  EXPECT_EQ(doc["messaging_product"], "whatsapp");
  EXPECT_EQ(doc["contacts"][0]["input"], "6281234567890");
  EXPECT_EQ(doc["contacts"][0]["wa_id"], "6281234567890");
  const std::string wamid = doc["messages"][0]["id"];
  EXPECT_EQ(wamid.rfind("wamid.", 0), 0u);
  const auto second = json::parse(SendTo(fake, TextBody("6281234567890")).body);
  EXPECT_NE(second["messages"][0]["id"], wamid);
  EXPECT_EQ(fake.IssuedWamids().size(), 2u);

  const auto requests = fake.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].Header("Authorization"), "Bearer fake-access-token");
  EXPECT_EQ(requests[0].body, TextBody("6281234567890"));
  EXPECT_EQ(fake.Counters().per_recipient["6281234567890"].accepted, 2);

  RequestOptions other;  // another phone number id
  other.method = "POST";
  other.target = "/v19.0/999/messages";
  other.body = TextBody("628");
  other.headers = {{"Authorization", "Bearer fake-access-token"}};
  EXPECT_EQ(Send(fake.port(), other).status, 400);
  for (const char* path : {"/v19/106540352242922/messages", "/v19.0/106540352242922/message",
                           "/v19.0//messages", "/x19.0/106540352242922/messages"}) {
    other.target = path;
    const auto bad = Send(fake.port(), other);
    EXPECT_EQ(bad.status, 400) << path;
    EXPECT_EQ(ErrorCode(bad), 2500) << path;
  }
  other.target = "/v21.0/106540352242922/messages?x=1";  // any version is served
  EXPECT_EQ(Send(fake.port(), other).status, 200);
}

TEST(FakeGraphApiTest, ThroughputLimitTripsOnTheFirstSendOverTheBucket) {
  auto config = Quiet();
  config.throughput_per_second = 3;
  config.throughput_burst = 3;
  ManualClock clock;
  FakeGraphApi fake(config);
  fake.SetClock(clock.AsClock());
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(SendTo(fake, TextBody("62810" + std::to_string(i))).status, 200);
  const auto over = SendTo(fake, TextBody("628100"));
  EXPECT_EQ(over.status, 400);
  EXPECT_EQ(ErrorCode(over), kGraphThroughput);
  clock.Advance(milliseconds(334));  // one token back at 3/s
  EXPECT_EQ(SendTo(fake, TextBody("628100")).status, 200);
  EXPECT_EQ(ErrorCode(SendTo(fake, TextBody("628101"))), kGraphThroughput);
  const auto counters = fake.Counters();
  EXPECT_EQ(counters.accepted, 4);
  EXPECT_EQ(counters.rate_limited, 2);
  EXPECT_EQ(counters.per_recipient.at("628100").rate_limited, 1);
}

TEST(FakeGraphApiTest, ThroughputRefillsInRealTime) {
  auto config = Quiet();
  config.throughput_per_second = 5;
  config.throughput_burst = 1;
  FakeGraphApi fake(config);
  EXPECT_EQ(SendTo(fake, TextBody("628")).status, 200);
  // The bucket refills one token per 200 ms: a burst of quick sends must hit the limit.
  bool limited = false;
  for (int i = 0; i < 20 && !limited; ++i)
    limited = ErrorCode(SendTo(fake, TextBody("628"))) == kGraphThroughput;
  EXPECT_TRUE(limited);
  std::this_thread::sleep_for(milliseconds(250));
  EXPECT_EQ(SendTo(fake, TextBody("628")).status, 200);
}

TEST(FakeGraphApiTest, PairLimitPerRecipientWithBurst) {
  auto config = Quiet();
  config.pair_interval = milliseconds(6000);
  config.pair_burst = 2;
  ManualClock clock;
  FakeGraphApi fake(config);
  fake.SetClock(clock.AsClock());
  EXPECT_EQ(SendTo(fake, TextBody("628111")).status, 200);
  EXPECT_EQ(SendTo(fake, TextBody("628111")).status, 200);
  const auto over = SendTo(fake, TextBody("628111"));
  EXPECT_EQ(over.status, 400);
  EXPECT_EQ(ErrorCode(over), kGraphPairLimit);
  EXPECT_EQ(SendTo(fake, TextBody("628222")).status, 200);  // another user is unaffected
  clock.Advance(milliseconds(5999));
  EXPECT_EQ(ErrorCode(SendTo(fake, TextBody("628111"))), kGraphPairLimit);
  clock.Advance(milliseconds(1));
  EXPECT_EQ(SendTo(fake, TextBody("628111")).status, 200);
  EXPECT_EQ(fake.Counters().per_recipient.at("628111").rate_limited, 2);
  EXPECT_EQ(fake.Counters().per_recipient.at("628111").accepted, 3);
}

TEST(FakeGraphApiTest, WindowClosedFailsSynchronously) {
  auto config = Quiet();
  config.enforce_window = true;
  ManualClock clock;
  FakeGraphApi fake(config);
  fake.SetClock(clock.AsClock());
  const auto r = SendTo(fake, TextBody("628333"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorCode(r), kGraphReEngagement);
  EXPECT_EQ(SendTo(fake, TemplateBody("628333")).status, 200);  // templates are always allowed
  fake.OpenWindow("628333");
  clock.Advance(std::chrono::hours(23));
  EXPECT_EQ(SendTo(fake, TextBody("628333")).status, 200);
  clock.Advance(std::chrono::hours(1));
  EXPECT_EQ(ErrorCode(SendTo(fake, TextBody("628333"))), kGraphReEngagement);
}

TEST(FakeGraphApiTest, WindowClosedFailsAsynchronouslyWithSignedStatus) {
  FakeServer receiver([](const RecordedRequest&) { return FakeResponse{200, "", {}}; });
  auto config = Quiet();
  config.enforce_window = true;
  config.window_failure = WindowFailure::kAsync;
  config.callback_url = receiver.BaseUrl() + "/webhooks/whatsapp";
  FakeGraphApi fake(config);
  const auto r = SendTo(fake, TextBody("628444"));
  ASSERT_EQ(r.status, 200);
  const std::string wamid = json::parse(r.body)["messages"][0]["id"];

  ASSERT_TRUE(receiver.WaitForRequests(1, kWait));
  const auto hook = receiver.Requests()[0];
  EXPECT_EQ(hook.target, "/webhooks/whatsapp");
  EXPECT_EQ(adapters::whatsapp::CheckSignature("fake-app-secret",
                                               hook.Header("X-Hub-Signature-256"), hook.body),
            whatsapp_signature::kValid);
  const auto value = json::parse(hook.body)["entry"][0]["changes"][0]["value"];
  EXPECT_EQ(value["metadata"]["phone_number_id"], fake.config().phone_number_id);
  const auto status = value["statuses"][0];
  EXPECT_EQ(status["id"], wamid);
  EXPECT_EQ(status["status"], "failed");
  EXPECT_EQ(status["recipient_id"], "628444");
  EXPECT_EQ(status["errors"][0]["code"], kGraphReEngagement);
  EXPECT_EQ(fake.Counters().accepted, 0);
  EXPECT_EQ(fake.Counters().rejected, 1);
}

TEST(FakeGraphApiTest, StatusWebhooksAfterSendAndOnDemand) {
  FakeServer receiver([](const RecordedRequest&) { return FakeResponse{200, "", {}}; });
  auto config = Quiet();
  config.auto_status = AutoStatus::kSentDelivered;
  config.callback_url = receiver.BaseUrl() + "/wa";
  FakeGraphApi fake(config);
  const auto r = SendTo(fake, TextBody("628555", "Pengaduan Anda diterima ✓"));
  ASSERT_EQ(r.status, 200);
  const std::string wamid = json::parse(r.body)["messages"][0]["id"];
  EXPECT_TRUE(fake.PostStatus(wamid, "read"));
  EXPECT_FALSE(fake.PostStatus("wamid.unknown", "read"));
  ASSERT_TRUE(fake.WaitForWebhooks(3, kWait));

  const auto hooks = receiver.Requests();
  ASSERT_EQ(hooks.size(), 3u);
  const std::vector<std::string> expected = {"sent", "delivered", "read"};
  for (std::size_t i = 0; i < hooks.size(); ++i) {
    const auto signature = hooks[i].Header("X-Hub-Signature-256");
    EXPECT_EQ(adapters::whatsapp::CheckSignature("fake-app-secret", signature, hooks[i].body),
              whatsapp_signature::kValid);
    EXPECT_EQ(adapters::whatsapp::CheckSignature("other-secret", signature, hooks[i].body),
              whatsapp_signature::kWrong);
    const auto status =
        json::parse(hooks[i].body)["entry"][0]["changes"][0]["value"]["statuses"][0];
    EXPECT_EQ(status["status"], expected[i]);
    EXPECT_EQ(status["id"], wamid);
  }
  for (const auto& delivery : fake.Webhooks()) EXPECT_EQ(delivery.status, 200);
}

TEST(FakeGraphApiTest, ScriptedFailuresComeFirstAndMustBeUsed) {
  FakeGraphApi fake(Quiet());
  fake.ScriptHttpStatus(500);
  fake.ScriptHttpStatus(503);
  fake.ScriptTooManyRequests(7);
  fake.ScriptError(kGraphPairLimit);
  EXPECT_FALSE(fake.AllScriptsUsed());
  EXPECT_EQ(SendTo(fake, TextBody("628")).status, 500);
  EXPECT_EQ(SendTo(fake, TextBody("628")).status, 503);
  const auto throttled = SendTo(fake, TextBody("628"));
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.Header("Retry-After"), "7");
  const auto pair = SendTo(fake, TextBody("628"));
  EXPECT_EQ(pair.status, 400);
  EXPECT_EQ(ErrorCode(pair), kGraphPairLimit);
  EXPECT_TRUE(fake.AllScriptsUsed());
  EXPECT_EQ(SendTo(fake, TextBody("628")).status, 200);
  EXPECT_EQ(fake.Counters().scripted, 4);
  EXPECT_EQ(fake.Counters().accepted, 1);
}

}  // namespace
}  // namespace satupintu::testing::fakes
