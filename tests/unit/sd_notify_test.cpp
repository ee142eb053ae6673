// The sd_notify(3) protocol against a real unix datagram socket, and the watchdog that pings
// only after the store's heartbeat commits, on a real store.

#include "core/sd_notify.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>

#include "app/watchdog.hpp"
#include "core/metrics.hpp"
#include "schema/schema.hpp"
#include "storage/sqlite.hpp"
#include "storage/store.hpp"
#include "support/notify_socket.hpp"
#include "support/process.hpp"

namespace satupintu {
namespace {

using namespace std::chrono_literals;
using testing::NotifySocket;
using testing::TempDir;

// Sets (or unsets, for nullptr) environment variables for one test and puts them back.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(SdNotifyTest, SendsEachStateAsOneDatagramToTheSocketOfNotifySocket) {
  TempDir dir;
  NotifySocket manager(dir.File("notify.sock"));
  ASSERT_TRUE(manager.bound());
  const ScopedEnv socket("NOTIFY_SOCKET", manager.name().c_str());
  const auto notifier = core::SdNotifier::FromEnvironment();
  ASSERT_TRUE(notifier.enabled());

  ASSERT_TRUE(notifier.Notify("READY=1").ok());
  ASSERT_TRUE(notifier.Notify("WATCHDOG=1").ok());
  ASSERT_TRUE(notifier.Notify("STOPPING=1\nSTATUS=draining").ok());
  EXPECT_EQ(manager.Receive(2s), "READY=1");
  EXPECT_EQ(manager.Receive(2s), "WATCHDOG=1");
  EXPECT_EQ(manager.Receive(2s), "STOPPING=1\nSTATUS=draining");
  EXPECT_EQ(manager.Receive(100ms), std::nullopt);
}

TEST(SdNotifyTest, ReachesAnAbstractSocketNamedWithAnAt) {
  const std::string name = "@satupintu-notify-test-" + std::to_string(::getpid());
  NotifySocket manager(name);
  ASSERT_TRUE(manager.bound());
  const ScopedEnv socket("NOTIFY_SOCKET", name.c_str());
  ASSERT_TRUE(core::SdNotifier::FromEnvironment().Notify("READY=1").ok());
  EXPECT_EQ(manager.Receive(2s), "READY=1");
}

TEST(SdNotifyTest, DoesNothingWithoutNotifySocket) {
  const ScopedEnv socket("NOTIFY_SOCKET", nullptr);
  const auto notifier = core::SdNotifier::FromEnvironment();
  EXPECT_FALSE(notifier.enabled());
  EXPECT_TRUE(notifier.Notify("READY=1").ok());
  EXPECT_EQ(app::StoreWatchdog::PeriodFor(notifier), 0ms);
}

TEST(SdNotifyTest, ReportsASocketNobodyListensOnAndARelativeName) {
  TempDir dir;
  EXPECT_FALSE(core::SdNotifier(dir.File("nobody.sock")).Notify("READY=1").ok());
  const auto relative = core::SdNotifier("notify.sock").Notify("READY=1");
  ASSERT_FALSE(relative.ok());
  EXPECT_EQ(relative.error().code, core::ErrorCode::kInvalidArgument);
}

TEST(SdNotifyTest, TakesTheWatchdogIntervalMeantForThisProcess) {
  const ScopedEnv socket("NOTIFY_SOCKET", "/run/systemd/notify");
  const ScopedEnv usec("WATCHDOG_USEC", "30000000");
  {
    const ScopedEnv pid("WATCHDOG_PID", nullptr);
    const auto notifier = core::SdNotifier::FromEnvironment();
    EXPECT_EQ(notifier.watchdog_interval(), 30s);
    EXPECT_EQ(app::StoreWatchdog::PeriodFor(notifier), 15s);
  }
  {
    const std::string ours = std::to_string(::getpid());
    const ScopedEnv pid("WATCHDOG_PID", ours.c_str());
    EXPECT_EQ(core::SdNotifier::FromEnvironment().watchdog_interval(), 30s);
  }
  {
    const std::string other = std::to_string(::getpid() + 1);
    const ScopedEnv pid("WATCHDOG_PID", other.c_str());
    EXPECT_EQ(core::SdNotifier::FromEnvironment().watchdog_interval(), 0s);
  }
  {
    const ScopedEnv bad("WATCHDOG_USEC", "30s");
    EXPECT_EQ(core::SdNotifier::FromEnvironment().watchdog_interval(), 0s);
  }
}

class WatchdogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions options;
    options.path = dir_.File("store.db");
    options.migrations = schema::Migrations();
    auto store = storage::Store::Open(options, &metrics_);
    ASSERT_TRUE(store.ok());
    store_ = std::move(store).value();
  }
  std::int64_t HeartbeatAtMs() {
    auto db = storage::Db::Open(dir_.File("store.db"), true);
    auto at = db.value()->QueryInt("SELECT at_ms FROM store_heartbeat WHERE id = 1");
    return at.ok() ? at.value() : -1;
  }

  TempDir dir_;
  core::MetricsRegistry metrics_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(WatchdogTest, PingsAfterEachHeartbeatCommit) {
  NotifySocket manager(dir_.File("notify.sock"));
  ASSERT_TRUE(manager.bound());
  const core::SdNotifier notifier(manager.name(), 100ms);
  app::StoreWatchdog watchdog(store_.get(), &notifier, app::StoreWatchdog::PeriodFor(notifier));
  const std::int64_t before = core::NowMs();
  watchdog.Start();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(manager.Receive(2s), "WATCHDOG=1") << i;
  watchdog.Stop();
  EXPECT_GE(watchdog.pings(), 3u);
  EXPECT_EQ(watchdog.withheld(), 0u);
  EXPECT_GE(HeartbeatAtMs(), before);  // the write each ping stands for
}

TEST_F(WatchdogTest, WithholdsThePingWhileTheHeartbeatCannotCommit) {
  NotifySocket manager(dir_.File("notify.sock"));
  ASSERT_TRUE(manager.bound());
  const core::SdNotifier notifier(manager.name(), 100ms);
  // Another connection holds the write lock: the store's commits fail (busy), as they would on
  // a full disk or a broken file.
  auto blocker = storage::Db::Open(dir_.File("store.db"), false);
  ASSERT_TRUE(blocker.ok());
  ASSERT_TRUE(blocker.value()->Exec("BEGIN IMMEDIATE").ok());
  app::StoreWatchdog watchdog(store_.get(), &notifier, 50ms);
  watchdog.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_EQ(manager.Receive(0ms), std::nullopt);
  EXPECT_EQ(watchdog.pings(), 0u);
  EXPECT_GE(watchdog.withheld(), 1u);

  ASSERT_TRUE(blocker.value()->Exec("ROLLBACK").ok());
  EXPECT_TRUE(manager.WaitFor("WATCHDOG=1", 5s));  // pings again once writes commit
  watchdog.Stop();
  store_->Close();
  const auto pings = watchdog.pings();
  // A closed store: no write commits, no ping.
  app::StoreWatchdog after_close(store_.get(), &notifier, 50ms);
  after_close.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  after_close.Stop();
  EXPECT_EQ(after_close.pings(), 0u);
  EXPECT_GE(after_close.withheld(), 1u);
  EXPECT_GE(pings, 1u);
}

}  // namespace
}  // namespace satupintu
