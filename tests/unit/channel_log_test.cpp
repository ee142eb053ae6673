#include "channel_log/channel_log.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <future>
#include <nlohmann/json.hpp>

#include "channel_log/scrub.hpp"
#include "core/redact.hpp"
#include "diag/routes.hpp"
#include "schema/schema.hpp"
#include "support/process.hpp"

namespace satupintu::channel_log {
namespace {

constexpr const char* kBotToken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
constexpr const char* kNik = "3201234567890003";
constexpr const char* kPhone = "6281234567890";
constexpr std::int64_t kDay = 24LL * 60 * 60 * 1000;

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(ScrubTest, TelegramBotTokenInPaths) {
  const std::string url = std::string("https://api.telegram.org/bot") + kBotToken + "/sendMessage";
  const std::string out = ScrubText(url, kMaxUrlBytes);
  EXPECT_EQ(out, "https://api.telegram.org/bot[redacted]/sendMessage");
  EXPECT_EQ(ScrubText(std::string("GET /file/bot") + kBotToken + "/photos/a.jpg", 256),
            "GET /file/bot[redacted]/photos/a.jpg");
  EXPECT_EQ(ScrubText("see /bottom/of/page", 256), "see /bottom/of/page") << "no ':' no token";
}

TEST(ScrubTest, CredentialParametersAndMembers) {
  EXPECT_EQ(
      ScrubText("http://127.0.0.1:13013/cgi-bin/sendsms?username=sp&password=s3cr3t&to=" +
                    std::string(kPhone) + "&text=Halo",
                kMaxUrlBytes),
      "http://127.0.0.1:13013/cgi-bin/sendsms?username=sp&password=[redacted]&to=62*********90"
      "&text=Halo");
  EXPECT_EQ(ScrubText("https://graph.facebook.com/v21.0/me?ACCESS_TOKEN=EAAGm0PX4ZCps&x=1", 256),
            "https://graph.facebook.com/v21.0/me?ACCESS_TOKEN=[redacted]&x=1");
  EXPECT_EQ(ScrubText(R"({"user":"a","password" : "p\"w","access_token":"EAAB","n":1})", 256),
            R"({"user":"a","password" : "[redacted]","access_token":"[redacted]","n":1})");
  EXPECT_EQ(ScrubText("mypassword=1 passwordless", 256), "mypassword=1 passwordless")
      << "only whole keys";
}

TEST(ScrubTest, BearerAndCredentialHeaders) {
  EXPECT_EQ(ScrubText("401 for Authorization: Bearer EAAGm0PX4ZCpsBA, retry", 256),
            "401 for Authorization: Bearer [redacted], retry");
  const std::string headers = ScrubHeaders({{"Authorization", "Bearer EAAGm0PX4ZCpsBAx"},
                                            {"Content-Type", "application/json"},
                                            {"X-Telegram-Bot-Api-Secret-Token", "tg-secret-1"},
                                            {"X-Trace", kPhone}});
  EXPECT_EQ(headers,
            "Authorization: Bearer [redacted]\n"
            "Content-Type: application/json\n"
            "X-Telegram-Bot-Api-Secret-Token: [redacted]\n"
            "X-Trace: 62*********90\n");
}

TEST(ScrubTest, PersonalNumbersInBodies) {
  const std::string body = std::string(R"({"to":")") + kPhone + R"(","text":"NIK )" + kNik +
                           R"( terdaftar, hubungi 0812-3456-7890"})";
  const std::string out = ScrubText(body, kMaxBodyBytes);
  EXPECT_FALSE(Contains(out, kPhone)) << out;
  EXPECT_FALSE(Contains(out, kNik)) << out;
  EXPECT_FALSE(Contains(out, "3456-7890")) << out;
  EXPECT_TRUE(Contains(out, "3201********0003")) << out;
  EXPECT_TRUE(Contains(out, "terdaftar")) << out;
}

TEST(ScrubTest, RegisteredSecretsToo) {
  core::RegisterSecret("app-secret-value-42");
  EXPECT_EQ(ScrubText("sig with app-secret-value-42 inside", 256), "sig with [redacted] inside");
  core::ClearSecretsForTest();
}

TEST(ScrubTest, CapsAfterRedactionOnACharacterBoundary) {
  // A NIK straddling the cap must be masked before it is cut: cut first, its first six
  // digits would survive as a run too short to mask.
  const std::size_t marker = std::string("...[truncated]").size();
  std::string body(kMaxBodyBytes - marker - 6, 'a');
  body += kNik;
  body += std::string(100, 'b');
  const std::string out = ScrubText(body, kMaxBodyBytes);
  EXPECT_EQ(out.size(), kMaxBodyBytes);
  EXPECT_TRUE(out.ends_with("aaa3201**...[truncated]")) << out.substr(out.size() - 40);

  std::string utf8;
  while (utf8.size() < 100) utf8 += "\xC3\xA9";  // é
  const std::string cut = ScrubText(utf8, 21);
  const std::string kept = cut.substr(0, cut.size() - std::string("...[truncated]").size());
  EXPECT_EQ(kept.size() % 2, 0u) << "no half character";

  const std::string huge(1 << 20, 'x');
  EXPECT_LE(ScrubText(huge, kMaxBodyBytes).size(), kMaxBodyBytes);
}

class ChannelLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions options;
    options.migrations = schema::Migrations();
    options.path = dir_.File("l.db");
    auto store = storage::Store::Open(options, &metrics_);
    ASSERT_TRUE(store.ok()) << store.error().detail;
    store_ = std::move(store).value();
    log_ = std::make_unique<ChannelLog>(store_.get(), &metrics_);
  }

  template <typename T>
  static T Wait(std::future<T> f) {
    if (f.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
      ADD_FAILURE() << "no answer in 10 s";
      std::abort();  // the pending job refers to this frame
    }
    return f.get();
  }

  // Writes are committed in order: once a later job is done, every Record before it is too.
  void Flush() {
    std::promise<core::Status> p;
    store_->Write([](storage::Db&) { return core::Status(); },
                  [&p](core::Status s) { p.set_value(std::move(s)); });
    EXPECT_TRUE(Wait(p.get_future()).ok());
  }

  static Exchange Sample(std::string part_key, std::int64_t at_ms) {
    Exchange e;
    e.at_ms = at_ms;
    e.channel = "telegram:bot";
    e.part_key = std::move(part_key);
    e.method = "POST";
    e.url = std::string("https://api.telegram.org/bot") + kBotToken + "/sendMessage";
    e.request_headers = {{"Content-Type", "application/json"},
                         {"Authorization", "Bearer EAAGm0PX4ZCpsBAx"}};
    e.request_body = std::string(R"({"chat_id":555,"text":"NIK )") + kNik + R"( diterima"})";
    e.http_status = 200;
    e.response_body = std::string(R"({"ok":true,"result":{"contact":")") + kPhone + R"("}})";
    e.elapsed_ms = 42;
    return e;
  }

  std::vector<LoggedExchange> Find(const std::string& key, int limit = 100) {
    std::promise<core::Result<std::vector<LoggedExchange>>> p;
    FindByKey(store_.get(), key, limit, [&p](auto r) { p.set_value(std::move(r)); });
    auto r = Wait(p.get_future());
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : std::vector<LoggedExchange>{};
  }

  std::string DumpTable() {
    auto db = storage::Db::Open(dir_.File("l.db"), true);
    return db.value()
        ->QueryText(
            "SELECT group_concat(channel || part_key || method || url || request_headers ||"
            " request_body || response_body || error, '|') FROM channel_log")
        .value();
  }

  std::uint64_t Counter(const char* result) {
    return metrics_
        .GetCounter("satupintu_channel_log_entries_total",
                    "Channel log entries by result of their write.", {{"result", result}})
        .Value();
  }

  testing::TempDir dir_;
  core::MetricsRegistry metrics_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<ChannelLog> log_;
};

TEST_F(ChannelLogTest, StoresOnlyRedactedText) {
  auto e = Sample("reply-1.1", 1000);
  e.error = std::string("peer said: Bearer EAAGm0PX4ZCpsBAx invalid for ") + kPhone;
  log_->Record(e);
  Flush();
  const std::string all = DumpTable();
  ASSERT_FALSE(all.empty());
  for (std::string_view secret :
       {std::string_view(kBotToken), std::string_view("AAHdqTcv"),
        std::string_view("EAAGm0PX4ZCpsBAx"), std::string_view(kNik), std::string_view(kPhone)}) {
    EXPECT_FALSE(Contains(all, secret)) << secret << " in " << all;
  }
  auto found = Find("reply-1");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].url, "https://api.telegram.org/bot[redacted]/sendMessage");
  EXPECT_EQ(found[0].request_headers,
            "Content-Type: application/json\nAuthorization: Bearer [redacted]\n");
  EXPECT_EQ(found[0].http_status, 200);
  EXPECT_EQ(found[0].elapsed_ms, 42);
  EXPECT_EQ(found[0].direction, Direction::kOut);
  EXPECT_EQ(Counter("ok"), 1u);
}

TEST_F(ChannelLogTest, QueryByMessageKeyCoversAllPartsAndOnlyThem) {
  log_->Record(Sample("reply-1.1", 1000));
  auto second = Sample("reply-1.2", 2000);
  second.http_status.reset();
  second.error = "connect timeout";
  log_->Record(second);
  log_->Record(Sample("reply-10.1", 3000));   // shares the prefix "reply-1" but not "reply-1."
  log_->Record(Sample("reply-1.5.1", 3500));  // message "reply-1.5": "reply-1." but not a seq
  log_->Record(Sample("", 4000));             // not tied to a part
  log_->Record(Sample("reply-1.1", 5000));    // a retry of part 1
  Flush();

  auto parts = Find("reply-1");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].at_ms, 5000) << "newest first";
  EXPECT_EQ(parts[1].at_ms, 2000);
  EXPECT_EQ(parts[1].http_status, std::nullopt);
  EXPECT_EQ(parts[1].error, "connect timeout");
  EXPECT_EQ(parts[2].at_ms, 1000);

  auto one = Find("reply-1.1");
  ASSERT_EQ(one.size(), 2u);
  EXPECT_EQ(one[0].part_key, "reply-1.1");
  EXPECT_EQ(Find("reply-1", 1).size(), 1u) << "limit";
  EXPECT_EQ(Find("reply-10").size(), 1u);
  EXPECT_TRUE(Find("reply-2").empty());
}

TEST_F(ChannelLogTest, KeysWithLongDigitRunsStillMatch) {
  log_->Record(Sample(std::string("notify-") + kPhone + ".1", 1000));
  Flush();
  EXPECT_FALSE(Contains(DumpTable(), kPhone));
  EXPECT_EQ(Find(std::string("notify-") + kPhone).size(), 1u);
}

TEST_F(ChannelLogTest, PruneDeletesOnlyOlderThanRetention) {
  constexpr std::int64_t now = 100 * kDay;
  // Enough old rows for several prune batches, written in one job for speed.
  std::promise<core::Status> filled;
  store_->Write(
      [](storage::Db& db) -> core::Status {
        auto stmt = db.Prepare(
            "INSERT INTO channel_log (at_ms, channel, direction, method, url, elapsed_ms)"
            " VALUES (?, 'kannel:modem1', 'out', 'GET', 'u', 1)");
        if (!stmt.ok()) return stmt.error();
        for (std::int64_t i = 0; i < 12'000; ++i) {
          if (auto s = stmt.value()->Bind(1, now - 30 * kDay + i).Run(); !s.ok()) return s;
        }
        return {};
      },
      [&](core::Status s) { filled.set_value(std::move(s)); });
  ASSERT_TRUE(Wait(filled.get_future()).ok());
  log_->Record(Sample("keep.1", now - 7 * kDay + 1));  // just inside 7 days
  log_->Record(Sample("gone.1", now - 7 * kDay - 1));  // just outside
  Flush();

  std::promise<core::Result<std::int64_t>> pruned;
  log_->Prune(now, 7, [&](core::Result<std::int64_t> r) { pruned.set_value(std::move(r)); });
  auto r = Wait(pruned.get_future());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), 12'001);
  EXPECT_EQ(Find("keep").size(), 1u);
  EXPECT_TRUE(Find("gone").empty());

  std::promise<core::Result<std::int64_t>> again;
  log_->Prune(now, 7, [&](core::Result<std::int64_t> r2) { again.set_value(std::move(r2)); });
  auto second = Wait(again.get_future());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second.value(), 0);
}

TEST_F(ChannelLogTest, AFailingStoreDoesNotThrowAndIsCounted) {
  store_->Close();
  EXPECT_NO_THROW(log_->Record(Sample("reply-1.1", 1000)));
  EXPECT_NO_THROW(log_->Record(Sample("reply-1.2", 1000)));
  EXPECT_EQ(Counter("error"), 2u);
  EXPECT_EQ(Counter("ok"), 0u);

  std::promise<core::Result<std::int64_t>> pruned;
  log_->Prune(1000, 7, [&](core::Result<std::int64_t> r) { pruned.set_value(std::move(r)); });
  auto r = Wait(pruned.get_future());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kUnavailable);

  std::promise<core::Result<std::vector<LoggedExchange>>> found;
  FindByKey(store_.get(), "reply-1", 10, [&](auto result) { found.set_value(std::move(result)); });
  auto f = Wait(found.get_future());
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, core::ErrorCode::kUnavailable);
}

class ChannelLogRouteTest : public ChannelLogTest {
 protected:
  void SetUp() override {
    ChannelLogTest::SetUp();
    diag::AddChannelLogRoute(router_, store_.get(), "diag-token-1");
  }

  http::Response Get(const std::string& query, const std::string& authorization) {
    std::map<std::string, std::string, std::less<>> params;
    auto match = router_.Find("GET", "/diag/channel-log", &params);
    EXPECT_NE(match.handler, nullptr);
    if (match.handler == nullptr) return {};
    http::Request req;
    req.method = "GET";
    req.path = "/diag/channel-log";
    req.query = query;
    req.target = req.path + "?" + query;
    if (!authorization.empty()) req.headers = {{"authorization", authorization}};
    req.request_id = "rid";
    std::promise<http::Response> answer;
    (*match.handler)(std::move(req), [&](http::Response r) { answer.set_value(std::move(r)); });
    return Wait(answer.get_future());
  }

  http::Router router_;
};

TEST_F(ChannelLogRouteTest, ServesRedactedEntriesOfAMessage) {
  log_->Record(Sample("reply-7.1", 1000));
  log_->Record(Sample("reply-7.2", 2000));
  log_->Record(Sample("reply-8.1", 3000));
  Flush();

  auto r = Get("key=reply-7&limit=10", "Bearer diag-token-1");
  ASSERT_EQ(r.status, 200) << r.body;
  auto doc = nlohmann::json::parse(r.body);
  EXPECT_EQ(doc["count"], 2);
  ASSERT_EQ(doc["entries"].size(), 2u);
  EXPECT_EQ(doc["entries"][0]["part_key"], "reply-7.2");
  EXPECT_EQ(doc["entries"][0]["http_status"], 200);
  EXPECT_EQ(doc["entries"][0]["direction"], "out");
  EXPECT_EQ(doc["entries"][1]["part_key"], "reply-7.1");
  EXPECT_FALSE(Contains(r.body, kNik));
  EXPECT_FALSE(Contains(r.body, kPhone));
  EXPECT_FALSE(Contains(r.body, "AAHdqTcv"));

  auto part = Get("key=reply-7.2", "Bearer diag-token-1");
  ASSERT_EQ(part.status, 200);
  EXPECT_EQ(nlohmann::json::parse(part.body)["count"], 1);
}

TEST_F(ChannelLogRouteTest, ChecksTokenAndParameters) {
  EXPECT_EQ(Get("key=reply-7", "").status, 401);
  EXPECT_EQ(Get("key=reply-7", "Bearer wrong").status, 401);
  EXPECT_EQ(Get("key=reply-7", "diag-token-1").status, 401);
  EXPECT_EQ(Get("", "Bearer diag-token-1").status, 400);
  EXPECT_EQ(Get("key=" + std::string(300, 'k'), "Bearer diag-token-1").status, 400);
  EXPECT_EQ(Get("key=k&limit=0", "Bearer diag-token-1").status, 400);
  EXPECT_EQ(Get("key=k&limit=501", "Bearer diag-token-1").status, 400);
  EXPECT_EQ(Get("key=k&limit=5x", "Bearer diag-token-1").status, 400);
  auto empty = Get("key=k", "Bearer diag-token-1");
  ASSERT_EQ(empty.status, 200);
  EXPECT_EQ(nlohmann::json::parse(empty.body)["count"], 0);
}

TEST_F(ChannelLogRouteTest, AnswersUnavailableWhenTheStoreIsClosed) {
  store_->Close();
  auto r = Get("key=reply-7", "Bearer diag-token-1");
  EXPECT_EQ(r.status, 503);
}

}  // namespace
}  // namespace satupintu::channel_log
