// Backups on real files (gateway/backup): the store's lock, a backup's files and manifest,
// damage found before anything is restored, and a restore that refuses to overwrite or to
// write under a holder of the lock.

#include "backup/backup.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "backup/store_lock.hpp"
#include "schema/schema.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"
#include "support/process.hpp"

namespace satupintu::backup {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_.File("live/registry"));
    live_ = PathsIn("live");
    auto db = storage::Db::Open(live_.store, false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(storage::ApplyMigrations(*db.value(), schema::Migrations()).ok());
    ASSERT_TRUE(db.value()->Exec("PRAGMA journal_mode=WAL").ok());
    ASSERT_TRUE(db.value()
                    ->Exec("INSERT INTO inbound_journal (channel, provider_id, received_at_ms,"
                           " request_id, payload) VALUES ('telegram:bot', 'u-1', 1, 'r', 'x')")
                    .ok());
    WriteFile(live_.users_key, std::string(64, 'a') + "\n");
    WriteFile(live_.audit_anchor, "0 -\n");
  }

  Paths PathsIn(const std::string& name) const {
    const std::string d = dir_.File(name);
    return {d + "/satupintu.db", d + "/registry",         d + "/registry/hash.key",
            d + "/users.key",    d + "/conversation.key", d + "/audit.head"};
  }

  static int Mode(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 0777) : -1;
  }

  TempDir dir_;
  Paths live_;
};

TEST_F(BackupTest, TheStoreLockIsExclusive) {
  auto first = StoreLock::Acquire(live_.store);
  ASSERT_TRUE(first.ok());
  auto second = StoreLock::Acquire(live_.store);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, core::ErrorCode::kConflict);
  first.value().reset();
  EXPECT_TRUE(StoreLock::Acquire(live_.store).ok());
  EXPECT_EQ(Mode(StoreLock::PathFor(live_.store)), 0600);
}

TEST_F(BackupTest, ABackupHoldsOwnerOnlyFilesTheManifestNames) {
  const std::string to = dir_.File("backup");
  auto m = TakeBackup(live_, to, {"test", 1234});
  ASSERT_TRUE(m.ok()) << m.error().message << " " << m.error().detail;
  EXPECT_EQ(m->schema_version, schema::Migrations().back().version);
  std::vector<std::string> names;
  for (const auto& f : m->files) names.push_back(f.name + ":" + f.role);
  EXPECT_EQ(names, (std::vector<std::string>{"audit.head:audit_anchor", "store.db:store",
                                             "users.key:users_key"}));
  EXPECT_EQ(Mode(to), 0700);
  for (const auto& f : m->files) EXPECT_EQ(Mode(to + "/" + f.name), 0600) << f.name;
  EXPECT_EQ(Mode(to + "/manifest.json"), 0600);
  EXPECT_FALSE(fs::exists(to + "/store.db-wal"));
  auto copy = storage::Db::Open(to + "/store.db", true);
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy.value()->QueryInt("SELECT COUNT(*) FROM inbound_journal").value(), 1);
  EXPECT_EQ(copy.value()->QueryText("PRAGMA journal_mode").value(), "delete");
  EXPECT_TRUE(ReadVerified(to).ok());
  // A second backup never mixes with the first.
  auto again = TakeBackup(live_, to, {"test", 1235});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::kConflict);
}

TEST_F(BackupTest, DamageIsFoundBeforeAnythingIsRestored) {
  const std::string to = dir_.File("backup");
  ASSERT_TRUE(TakeBackup(live_, to, {"test", 1}).ok());
  std::string key = ReadFile(to + "/users.key");
  key[0] = 'b';
  WriteFile(to + "/users.key", key);
  auto verified = ReadVerified(to);
  ASSERT_FALSE(verified.ok());
  EXPECT_NE(verified.error().message.find("users.key does not match its SHA-256"),
            std::string::npos)
      << verified.error().message;
  const Paths fresh = PathsIn("fresh");
  EXPECT_FALSE(Restore(fresh, to, {}).ok());
  EXPECT_FALSE(fs::exists(fresh.store));
  EXPECT_FALSE(fs::exists(fresh.users_key));

  fs::remove(to + "/manifest.json");
  EXPECT_EQ(ReadVerified(to).error().code, core::ErrorCode::kNotFound);
}

TEST_F(BackupTest, RestoreRefusesAHeldStoreAndExistingFilesUnlessReplacing) {
  const std::string to = dir_.File("backup");
  ASSERT_TRUE(TakeBackup(live_, to, {"test", 1}).ok());
  {
    auto held = StoreLock::Acquire(live_.store);
    ASSERT_TRUE(held.ok());
    auto refused = Restore(live_, to, {.replace = true});
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("is in use"), std::string::npos);
  }
  auto existing = Restore(live_, to, {});
  ASSERT_FALSE(existing.ok());
  EXPECT_NE(existing.error().message.find("--replace"), std::string::npos);

  // Replacing: a row written after the backup is gone, and so are the old store's WAL and its
  // senders' acceptance log (whose part ids name the old store's parts).
  {
    auto db = storage::Db::Open(live_.store, false);
    ASSERT_TRUE(db.value()
                    ->Exec("INSERT INTO inbound_journal (channel, provider_id, received_at_ms,"
                           " request_id, payload) VALUES ('telegram:bot', 'u-2', 2, 'r', 'y')")
                    .ok());
  }
  WriteFile(live_.store + "-wal", "a WAL left by the replaced store");
  WriteFile(live_.store + ".a", "17 wamid.OLD 00000000\n");
  WriteFile(live_.store + ".b", "18 - 00000000\n");
  ASSERT_TRUE(Restore(live_, to, {.replace = true}).ok());
  EXPECT_FALSE(fs::exists(live_.store + "-wal"));
  EXPECT_FALSE(fs::exists(live_.store + ".a"));
  EXPECT_FALSE(fs::exists(live_.store + ".b"));
  auto db = storage::Db::Open(live_.store, true);
  EXPECT_EQ(db.value()->QueryInt("SELECT COUNT(*) FROM inbound_journal").value(), 1);
  EXPECT_EQ(Mode(live_.store), 0600);

  const Paths fresh = PathsIn("fresh");
  ASSERT_TRUE(Restore(fresh, to, {}).ok());
  EXPECT_EQ(ReadFile(fresh.users_key), ReadFile(live_.users_key));
  EXPECT_EQ(ReadFile(fresh.audit_anchor), "0 -\n");
  EXPECT_EQ(Mode(fresh.users_key), 0600);
}

}  // namespace
}  // namespace satupintu::backup
