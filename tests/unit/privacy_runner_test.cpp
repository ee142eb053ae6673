// The gateway's retention runner (app/privacy_runner.hpp) on a real store with a ManualClock:
// a pass at its start, the next only when the interval has passed, what it did counted in
// the metrics and its audit row written (issue 18 item 4).

#include "app/privacy_runner.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "schema/schema.hpp"
#include "support/process.hpp"

namespace satupintu::app {
namespace {

constexpr std::int64_t kNow = 1'780'000'000'000;
constexpr std::int64_t kDayMs = 86'400'000;

class PrivacyRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions options;
    options.migrations = schema::Migrations();
    options.path = dir_.File("r.db");
    options.synchronous_full = false;
    auto store = storage::Store::Open(options, &metrics_);
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(store).value();
  }
  void TearDown() override { store_->Close(); }

  template <typename F>
  auto Job(F f) {
    std::promise<decltype(f(std::declval<storage::Db&>()))> p;
    store_->Write(
        [&](storage::Db& db) {
          p.set_value(f(db));
          return core::Status{};
        },
        [](const core::Status&) {});
    return p.get_future().get();
  }

  // A message the dispatcher has processed, received `age_ms` before kNow.
  void ProcessedMessage(const std::string& id, std::int64_t age_ms) {
    const core::Status s = Job([&](storage::Db& db) -> core::Status {
      auto q = db.Prepare(
          "INSERT INTO inbound_journal (channel, provider_id, received_at_ms, request_id, payload)"
          " VALUES ('telegram:tg', ?, ?, 'r', '{\"type\":\"message\",\"kind\":\"text\","
          "\"address\":\"tg:1\",\"text\":\"NIK 3201014101900003\"}')");
      if (!q.ok()) return q.error();
      if (auto r = q.value()->Bind(1, id).Bind(2, kNow - age_ms).Run(); !r.ok()) return r;
      return db.Exec(
          "INSERT INTO journal_cursor (consumer, last_id) SELECT 'channels', max(id) FROM"
          " inbound_journal WHERE true ON CONFLICT (consumer) DO UPDATE SET last_id ="
          " excluded.last_id");
    });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  std::int64_t Count(const std::string& sql) {
    return Job([&](storage::Db& db) { return db.QueryInt(sql).value(); });
  }

  static bool WaitFor(const std::function<bool()>& done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < until) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return done();
  }

  satupintu::testing::TempDir dir_;
  core::MetricsRegistry metrics_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(PrivacyRunnerTest, PurgesAtStartThenEveryIntervalCountedAndAudited) {
  ProcessedMessage("m1", 8 * kDayMs);
  ProcessedMessage("m2", 1 * kDayMs);  // inside the 7-day window: kept as it is
  core::ManualClock clock(kNow);
  config::RetentionConfig config;
  config.interval_minutes = 60;
  PrivacyRunner runner(config, store_.get(), &metrics_, &clock);
  runner.Start();
  ASSERT_TRUE(WaitFor([&] { return runner.passes() >= 1 && clock.waiters() > 0; }));
  const std::string redacted =
      "SELECT COUNT(*) FROM inbound_journal WHERE payload LIKE '%\"redacted\":true%'";
  EXPECT_EQ(Count(redacted), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM inbound_journal WHERE payload LIKE '%3201014101900003%'"),
            1)
      << "the young message keeps its text";
  EXPECT_NE(metrics_.Render().find("satupintu_privacy_purged_total{class=\"journal_redacted\"} 1"),
            std::string::npos)
      << metrics_.Render();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'privacy.purge'"), 1);

  // Nothing runs before the interval has passed; six days on, the second message is due too.
  clock.Advance(std::chrono::minutes(59));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(runner.passes(), 1u);
  clock.Advance(std::chrono::hours(6 * 24));
  ASSERT_TRUE(WaitFor([&] { return runner.passes() >= 2; }));
  EXPECT_EQ(Count(redacted), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM inbound_journal WHERE payload LIKE '%3201014101900003%'"),
            0);
  runner.Stop();
}

}  // namespace
}  // namespace satupintu::app
