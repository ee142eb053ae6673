#include "inbound/receiver.hpp"

#include <gtest/gtest.h>

#include <future>
#include <nlohmann/json.hpp>

#include "schema/schema.hpp"
#include "support/process.hpp"

namespace satupintu::inbound {
namespace {

using adapters::IncomingHttp;
using adapters::ParsedRequest;

class ChannelWebhookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions options;
    options.migrations = schema::Migrations();
    options.path = dir_.File("w.db");
    store_ = std::move(storage::Store::Open(options, &metrics_)).value();
    journal_ = std::make_unique<storage::Journal>(store_.get(), &metrics_);
    AddChannelWebhook(
        router_, "POST", "/hook", "testchan",
        [this](const IncomingHttp& in) {
          seen_body_ = in.body;
          seen_signature_ = std::string(in.Header("x-signature"));
          return next_;
        },
        journal_.get());
  }

  http::Response Post(const std::string& body) {
    std::map<std::string, std::string, std::less<>> params;
    auto match = router_.Find("POST", "/hook", &params);
    EXPECT_NE(match.handler, nullptr);
    http::Request req;
    req.method = "POST";
    req.path = "/hook";
    req.body = body;
    req.headers = {{"x-signature", "sig"}};
    req.request_id = "rid";
    std::promise<http::Response> answer;
    (*match.handler)(std::move(req), [&](http::Response r) { answer.set_value(std::move(r)); });
    return answer.get_future().get();
  }

  std::int64_t Rows() {
    auto db = storage::Db::Open(dir_.File("w.db"), true);
    return db.value()->QueryInt("SELECT COUNT(*) FROM inbound_journal").value();
  }

  static ParsedRequest TwoMessagesAndAStatus() {
    ParsedRequest p;
    adapters::InboundMessage text;
    text.provider_id = "m1";
    text.address = "6281234567890";
    text.text = "PKH sy gk cair";
    text.raw = R"({"id":"m1"})";
    adapters::InboundMessage button;
    button.provider_id = "m2";
    button.kind = adapters::MessageKind::kButton;
    button.choice_id = "menu.cek";
    p.messages = {text, button};
    adapters::StatusUpdate status;
    status.provider_message_id = "out-7";
    status.state = adapters::DeliveryState::kDelivered;
    p.statuses = {status};
    return p;
  }

  testing::TempDir dir_;
  core::MetricsRegistry metrics_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::Journal> journal_;
  http::Router router_;
  ParsedRequest next_;
  std::string seen_body_;
  std::string seen_signature_;
};

TEST_F(ChannelWebhookTest, GivesTheAdapterTheRawRequest) {
  next_.http_status = 400;
  Post("raw \\u00e9 bytes");
  EXPECT_EQ(seen_body_, "raw \\u00e9 bytes");
  EXPECT_EQ(seen_signature_, "sig");
}

TEST_F(ChannelWebhookTest, RefusedRequestsStoreNothing) {
  next_ = TwoMessagesAndAStatus();
  next_.http_status = 403;
  EXPECT_EQ(Post("{}").status, 403);
  EXPECT_EQ(Rows(), 0);
}

TEST_F(ChannelWebhookTest, MessagesAndStatusesAreStoredBeforeThe200) {
  next_ = TwoMessagesAndAStatus();
  EXPECT_EQ(Post("{}").status, 200);
  EXPECT_EQ(Rows(), 3);
  auto db = storage::Db::Open(dir_.File("w.db"), true);
  const auto payload = nlohmann::json::parse(
      db.value()
          ->QueryText("SELECT payload FROM inbound_journal WHERE provider_id = 'm1'")
          .value());
  EXPECT_EQ(payload["type"], "message");
  EXPECT_EQ(payload["kind"], "text");
  EXPECT_EQ(payload["address"], "6281234567890");
  EXPECT_EQ(payload["text"], "PKH sy gk cair");
  EXPECT_EQ(payload["raw"], R"({"id":"m1"})");
  EXPECT_EQ(db.value()
                ->QueryInt("SELECT COUNT(*) FROM inbound_journal WHERE provider_id = "
                           "'status:out-7:delivered' AND channel = 'testchan'")
                .value(),
            1);
}

TEST_F(ChannelWebhookTest, RepeatedDeliveryIsAcknowledgedWithoutNewRows) {
  next_ = TwoMessagesAndAStatus();
  EXPECT_EQ(Post("{}").status, 200);
  EXPECT_EQ(Post("{}").status, 200);
  EXPECT_EQ(Rows(), 3);
}

TEST_F(ChannelWebhookTest, StoreThatCannotCommitMeans503SoTheProviderRetries) {
  next_ = TwoMessagesAndAStatus();
  store_->Close();
  auto r = Post("{}");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(Rows(), 0);
}

TEST_F(ChannelWebhookTest, NothingToStorePassesTheAdapterAnswerThrough) {
  next_.http_status = 200;
  next_.response_body = "challenge-123";
  auto r = Post("");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "challenge-123");
  EXPECT_EQ(Rows(), 0);
}

TEST_F(ChannelWebhookTest, InvalidUtf8FromAProviderIsStoredNotFatal) {
  next_ = TwoMessagesAndAStatus();
  next_.messages[0].text = std::string("bad \xff\xfe byte");
  EXPECT_EQ(Post("{}").status, 200);
  EXPECT_EQ(Rows(), 3);
}

TEST(ChannelWebhookParseTest, AdapterExceptionIs500) {
  http::Router router;
  testing::TempDir dir;
  core::MetricsRegistry metrics;
  storage::StoreOptions options;
  options.migrations = schema::Migrations();
  options.path = dir.File("x.db");
  auto store = std::move(storage::Store::Open(options, &metrics)).value();
  storage::Journal journal(store.get(), &metrics);
  AddChannelWebhook(
      router, "POST", "/hook", "c",
      [](const IncomingHttp&) -> ParsedRequest { throw std::runtime_error("bug"); }, &journal);
  std::map<std::string, std::string, std::less<>> params;
  auto match = router.Find("POST", "/hook", &params);
  http::Request req;
  std::promise<int> status;
  (*match.handler)(std::move(req), [&](const http::Response& r) { status.set_value(r.status); });
  EXPECT_EQ(status.get_future().get(), 500);
}

}  // namespace
}  // namespace satupintu::inbound
