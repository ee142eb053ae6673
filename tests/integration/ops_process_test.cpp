// The operator's kit on the real binary (deploy/README.md): the service manager's notifications
// over a real $NOTIFY_SOCKET, priority prefixes when stderr is the journal, one gateway per
// store, and `satupintu backup` under traffic restored with `satupintu restore` into a new
// directory where a gateway starts with every message acknowledged before the backup began.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "gateway_harness.hpp"
#include "support/notify_socket.hpp"

namespace satupintu::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

int Mode(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 0777) : -1;
}

TEST(OpsProcessTest, NotifiesReadyWatchdogAndStoppingOnTheNotifySocket) {
  TempDir dir;
  NotifySocket manager(dir.File("notify.sock"));
  ASSERT_TRUE(manager.bound());
  // WatchdogSec=400ms: a heartbeat write and WATCHDOG=1 every 200 ms.
  Gateway gw = StartGateway(dir, ConfigWith(dir, json::object()), "gw",
                            {"NOTIFY_SOCKET=" + manager.name(), "WATCHDOG_USEC=400000"});
  ASSERT_NE(gw.ports.private_port, 0) << gw.Log();
  ASSERT_TRUE(manager.WaitFor("READY=1", 10s)) << gw.Log();
  EXPECT_EQ(manager.received().front(), "READY=1") << "nothing before READY=1";
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(manager.WaitFor("WATCHDOG=1", 5s)) << i << gw.Log();
  SqliteFile db(dir.File("satupintu.db"));
  EXPECT_GT(db.Int("SELECT at_ms FROM store_heartbeat WHERE id = 1"), 0)
      << "each ping stands for a heartbeat write";

  gw.child->Signal(SIGTERM);
  EXPECT_TRUE(manager.WaitFor("STOPPING=1", 10s)) << gw.Log();
  EXPECT_EQ(gw.child->Wait(kStopTimeout), 0) << gw.Log();
  int ready = 0;
  for (const auto& m : manager.received()) ready += m == "READY=1" ? 1 : 0;
  EXPECT_EQ(ready, 1);
  EXPECT_FALSE(HasEvent(gw.Log(), "app.notify_failed")) << gw.Log();
}

TEST(OpsProcessTest, WithoutNotifySocketNothingIsSentAndTheGatewayRunsAlike) {
  TempDir dir;
  Gateway gw = StartGateway(dir, ConfigWith(dir, json::object()), "gw",
                            {"NOTIFY_SOCKET=", "WATCHDOG_USEC=400000"});
  ASSERT_NE(gw.ports.private_port, 0) << gw.Log();
  EXPECT_EQ(Get(gw.ports.private_port, "/readyz").status, 200);
  EXPECT_EQ(StopGateway(gw), 0) << gw.Log();
  EXPECT_FALSE(HasEvent(gw.Log(), "app.notify_failed")) << gw.Log();
}

TEST(OpsProcessTest, LinesBeginWithTheirPriorityWhenStderrIsTheJournal) {
  TempDir dir;
  // systemd sets JOURNAL_STREAM to the device and inode of the stream it gave the service.
  WriteFile(dir.File("gw.log"), "");
  struct stat st {};
  ASSERT_EQ(::stat(dir.File("gw.log").c_str(), &st), 0);
  const std::string stream = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  Gateway gw =
      StartGateway(dir, ConfigWith(dir, json::object()), "gw", {"JOURNAL_STREAM=" + stream});
  ASSERT_NE(gw.ports.private_port, 0) << gw.Log();
  ASSERT_EQ(StopGateway(gw), 0) << gw.Log();

  const std::string log = gw.Log();
  const std::map<std::string, std::string> prefix = {
      {"debug", "<7>"}, {"info", "<6>"}, {"warn", "<4>"}, {"error", "<3>"}};
  std::set<std::string> levels;
  std::size_t start = 0;
  int lines = 0;
  while (start < log.size()) {
    std::size_t end = log.find('\n', start);
    if (end == std::string::npos) end = log.size();
    const std::string line = log.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    ++lines;
    ASSERT_GE(line.size(), 4u) << line;
    const json doc = json::parse(line.substr(3), nullptr, false);
    ASSERT_TRUE(doc.is_object()) << "not <N> and a JSON object: " << line;
    const std::string level = doc.value("level", "");
    EXPECT_EQ(line.substr(0, 3), prefix.at(level)) << line;
    levels.insert(level);
  }
  EXPECT_GE(lines, 3);
  EXPECT_TRUE(levels.contains("info")) << log;
  EXPECT_TRUE(levels.contains("warn")) << "tickets.no_unplaced_region: " << log;

  // stderr elsewhere than the journal's stream (a file of another inode): plain JSON lines.
  Gateway plain = StartGateway(dir, ConfigWith(dir, json::object()), "plain",
                               {"JOURNAL_STREAM=" + std::to_string(st.st_dev) + ":1"});
  ASSERT_NE(plain.ports.private_port, 0) << plain.Log();
  ASSERT_EQ(StopGateway(plain), 0);
  EXPECT_EQ(plain.Log().front(), '{') << plain.Log();
}

TEST(OpsProcessTest, ASecondGatewayOnTheSameStoreRefusesToStart) {
  TempDir dir;
  const std::string config = ConfigWith(dir, json::object());
  Gateway first = StartGateway(dir, config, "first");
  ASSERT_NE(first.ports.private_port, 0) << first.Log();
  Gateway second = StartGateway(dir, config, "second");
  EXPECT_EQ(second.ports.private_port, 0);
  EXPECT_EQ(second.child->Wait(kStopTimeout), 1) << second.Log();
  EXPECT_NE(second.Log().find("is in use"), std::string::npos) << second.Log();
  EXPECT_EQ(Get(first.ports.private_port, "/readyz").status, 200);
  EXPECT_EQ(StopGateway(first), 0) << first.Log();
}

// Canonical registry rows (docs/registry-format.md's example).
constexpr const char* kRegistryCsv =
    "nik,kk,name,sex,birth_date,village_code,address,relationship,desil,programmes,status,"
    "snapshot_date\n"
    "3201014203850003,3201011203120007,Siti Aminah,P,1985-03-02,32.01.01.1001,"
    "\"Kp. Cibeureum RT 01/02\",istri,2,PKH:2025-01..2025-12 PBI-JK:2025-01..,aktif,2025-10-01\n"
    "3201011502800001,3201011203120007,Ahmad Subarjo,L,15-02-1980,32.01.01.1001,"
    "\"Kp. Cibeureum RT 01/02\",kepala keluarga,2,PBI-JK:2025-01..,aktif,2025-10-01\n";

json StatePatch(const TempDir& dir) {
  return {{"regions", {{"data_dir", RegionsDataDir()}}},
          {"registry",
           {{"dir", dir.File("registry")}, {"hash_key_file", dir.File("registry/hash.key")}}}};
}

TEST(OpsProcessTest, ABackupTakenUnderTrafficRestoresIntoANewDirectory) {
  TempDir live;
  const std::string config = ConfigWith(live, StatePatch(live));
  WriteFile(live.File("cli.json"), config);
  Gateway gw = StartGateway(live, config);
  ASSERT_NE(gw.ports.private_port, 0) << gw.Log();
  WriteFile(live.File("registry.csv"), kRegistryCsv);
  ASSERT_EQ(RunCli(live, "registry import '" + live.File("registry.csv") + "'"), 0)
      << ReadFile(live.File("cli.out")) << ReadFile(live.File("registry.csv.rejects.csv"));

  // Traffic on the journal all along: each acknowledged id with the time of its 200.
  using Clock = std::chrono::steady_clock;
  std::mutex mutex;
  std::vector<std::pair<std::string, Clock::time_point>> acknowledged;
  std::atomic<bool> stop{false};
  std::thread traffic([&] {
    for (int i = 0; !stop.load(); ++i) {
      const std::string id = "bk-" + std::to_string(i);
      auto r = PostJournal(gw.ports.private_port, "telegram",
                           json{{"update_id", id}, {"text", "halo " + id}}.dump());
      if (r.status == 200) {
        std::lock_guard lock(mutex);
        acknowledged.emplace_back(id, Clock::now());
      }
    }
  });
  // Some traffic acknowledged before the backup starts (polled: a fixed 300 ms saw one on a
  // loaded machine).
  for (const auto until = Clock::now() + 10s; Clock::now() < until;) {
    {
      std::lock_guard lock(mutex);
      if (acknowledged.size() >= 20) break;
    }
    std::this_thread::sleep_for(20ms);
  }
  const auto backup_started = Clock::now();
  const std::string backup_dir = live.File("backup");
  auto [code, out] =
      RunToExit(live, {"backup", "--to", backup_dir, "--config", live.File("cli.json")}, "backup");
  const auto backup_ended = Clock::now();
  std::this_thread::sleep_for(200ms);
  stop.store(true);
  traffic.join();
  ASSERT_EQ(code, 0) << out;

  std::vector<std::string> before;
  int during = 0;
  for (const auto& [id, at] : acknowledged) {
    if (at < backup_started) before.push_back(id);
    if (at >= backup_started && at <= backup_ended) ++during;
  }
  ASSERT_GT(before.size(), 10u);
  std::printf("acknowledged: %zu before the backup, %d while it ran, %zu in all\n", before.size(),
              during, acknowledged.size());

  const json manifest = json::parse(ReadFile(backup_dir + "/manifest.json"), nullptr, false);
  ASSERT_TRUE(manifest.is_object()) << ReadFile(backup_dir + "/manifest.json");
  std::set<std::string> roles;
  for (const auto& f : manifest["files"]) {
    roles.insert(f.value("role", ""));
    EXPECT_EQ(Mode(backup_dir + "/" + f.value("name", "")), 0600) << f.dump();
    EXPECT_EQ(f.value("sha256", "").size(), 64u);
  }
  EXPECT_EQ(roles, (std::set<std::string>{"store", "registry_snapshot", "registry_hash_key",
                                          "users_key", "state_key", "audit_anchor"}))
      << manifest.dump(2);
  EXPECT_EQ(Mode(backup_dir), 0700);

  // Not under a running gateway, whatever the flags.
  auto [refused, refusal] = RunToExit(
      live, {"restore", "--from", backup_dir, "--config", live.File("cli.json"), "--replace"},
      "restore-live");
  EXPECT_EQ(refused, 1) << refusal;
  EXPECT_NE(refusal.find("is in use"), std::string::npos) << refusal;
  ASSERT_EQ(StopGateway(gw), 0) << gw.Log();

  TempDir fresh;
  const std::string fresh_config = ConfigWith(fresh, StatePatch(fresh));
  WriteFile(fresh.File("cli.json"), fresh_config);
  auto [restored, restore_out] = RunToExit(
      fresh, {"restore", "--from", backup_dir, "--config", fresh.File("cli.json")}, "restore");
  ASSERT_EQ(restored, 0) << restore_out;
  for (const char* file :
       {"satupintu.db", "audit.head", "users.key", "conversation.key", "registry/hash.key"}) {
    EXPECT_EQ(Mode(fresh.File(file)), 0600) << file;
  }

  Gateway again = StartGateway(fresh, fresh_config, "again");
  ASSERT_NE(again.ports.private_port, 0) << again.Log();
  EXPECT_EQ(Get(again.ports.private_port, "/readyz").status, 200);
  {
    SqliteFile db(fresh.File("satupintu.db"));
    ASSERT_TRUE(db.IsOpen()) << db.LastError();
    int missing = 0;
    for (const auto& id : before) missing += db.Rows("telegram", id) == 1 ? 0 : 1;
    EXPECT_EQ(missing, 0) << "of " << before.size() << " acknowledged before the backup";
    EXPECT_LE(db.TotalRows(), static_cast<std::int64_t>(acknowledged.size()));
  }
  // The registry answers from the restored snapshot under the restored key; the audit chain
  // and its anchor agree.
  ASSERT_EQ(RunCli(fresh, "registry lookup --nik 3201014203850003 --purpose 'restore check'"), 0)
      << ReadFile(fresh.File("cli.out"));
  EXPECT_NE(ReadFile(fresh.File("cli.out")).find("1 found"), std::string::npos)
      << ReadFile(fresh.File("cli.out"));
  ASSERT_EQ(RunCli(fresh, "audit verify"), 0) << ReadFile(fresh.File("cli.out"));
  EXPECT_NE(ReadFile(fresh.File("cli.out")).find("intact"), std::string::npos);
  EXPECT_EQ(StopGateway(again), 0) << again.Log();
}

}  // namespace
}  // namespace satupintu::testing
