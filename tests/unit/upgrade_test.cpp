// Upgrading a store with data in it: a store made by an earlier release (the migrations up to
// version 17, the schema before issue 18) is opened by this one, which applies what is missing
// at start, keeps every row and ends at the newest version; and a store newer than the binary
// is refused untouched.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/metrics.hpp"
#include "schema/schema.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"
#include "storage/store.hpp"
#include "support/process.hpp"

namespace satupintu {
namespace {

using testing::TempDir;

constexpr int kEarlierVersion = 17;

std::vector<storage::Migration> MigrationsUpTo(int version) {
  std::vector<storage::Migration> out;
  for (const auto& m : schema::Migrations()) {
    if (m.version <= version) out.push_back(m);
  }
  return out;
}

std::int64_t Int(storage::Db& db, const std::string& sql) {
  auto v = db.QueryInt(sql);
  EXPECT_TRUE(v.ok()) << sql << ": " << (v.ok() ? "" : v.error().detail);
  return v.ok() ? v.value() : -1;
}

std::string Text(storage::Db& db, const std::string& sql) {
  auto v = db.QueryText(sql);
  EXPECT_TRUE(v.ok()) << sql << ": " << (v.ok() ? "" : v.error().detail);
  return v.ok() ? v.value() : "<error>";
}

// A store as release 17 left it: its schema, a journal row, a citizen with an address, and a
// ticket with its history.
void MakeEarlierStore(const std::string& path) {
  auto db = storage::Db::Open(path, false);
  ASSERT_TRUE(db.ok());
  const auto earlier = MigrationsUpTo(kEarlierVersion);
  ASSERT_LT(earlier.size(), schema::Migrations().size()) << "no migration after 17 to test";
  auto version = storage::ApplyMigrations(*db.value(), earlier);
  ASSERT_TRUE(version.ok());
  ASSERT_EQ(version.value(), kEarlierVersion);
  for (const char* sql : {
           "INSERT INTO inbound_journal (channel, provider_id, received_at_ms, request_id, payload,"
           " state) VALUES ('telegram:bot', 'upd-1001', 1760000000000, 'req-1',"
           " '{\"update_id\":1001,\"text\":\"PKH belum cair\"}', 'done')",
           "INSERT INTO citizen (id, created_at_ms, language) VALUES (7, 1760000000000, 'id')",
           "INSERT INTO citizen_address (address, citizen_id, kind, created_at_ms)"
           " VALUES ('6281234567890', 7, 'phone', 1760000000000)",
           "INSERT INTO ticket (id, code, type, citizen_id, channel, category, village_code,"
           " description, created_at_ms, updated_at_ms, stage_at_ms, status)"
           " VALUES (3, 'ADU-7K2M9Q', 'complaint', 7, 'sms', 'bansos_tidak_cair', '32.06.05.2002',"
           " 'PKH belum cair tiga bulan', 1760000000000, 1760000000000, 1760000000000,"
           " 'received')",
           "INSERT INTO ticket_event (ticket_id, at_ms, actor_id, action, from_status, to_status)"
           " VALUES (3, 1760000000000, 0, 'open', '', 'received')",
       }) {
    ASSERT_TRUE(db.value()->Exec(sql).ok()) << sql;
  }
}

TEST(UpgradeTest, AStoreOfVersion17KeepsItsDataAndReachesTheNewestVersion) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  MakeEarlierStore(path);
  if (HasFatalFailure()) return;

  core::MetricsRegistry metrics;
  storage::StoreOptions options;
  options.path = path;
  options.migrations = schema::Migrations();
  auto store = storage::Store::Open(options, &metrics);
  ASSERT_TRUE(store.ok()) << store.error().message;
  const int newest = schema::Migrations().back().version;
  EXPECT_GT(newest, kEarlierVersion);
  EXPECT_EQ(store.value()->schema_version(), newest);
  store.value()->Close();

  auto db = storage::Db::Open(path, true);
  ASSERT_TRUE(db.ok());
  auto& d = *db.value();
  EXPECT_EQ(Int(d, "SELECT MAX(version) FROM schema_migrations"), newest);
  // One row per version applied, the earlier ones untouched.
  EXPECT_EQ(Int(d, "SELECT COUNT(*) FROM schema_migrations WHERE version > 17"),
            Int(d, "SELECT COUNT(DISTINCT version) FROM schema_migrations WHERE version > 17"));
  EXPECT_EQ(Text(d, "SELECT payload FROM inbound_journal WHERE provider_id = 'upd-1001'"),
            "{\"update_id\":1001,\"text\":\"PKH belum cair\"}");
  EXPECT_EQ(Text(d, "SELECT state FROM inbound_journal WHERE provider_id = 'upd-1001'"), "done");
  EXPECT_EQ(Int(d, "SELECT citizen_id FROM citizen_address WHERE address = '6281234567890'"), 7);
  EXPECT_EQ(Text(d, "SELECT language FROM citizen WHERE id = 7"), "id");
  EXPECT_EQ(Text(d,
                 "SELECT code || '|' || status || '|' || village_code || '|' || description"
                 " FROM ticket WHERE id = 3"),
            "ADU-7K2M9Q|received|32.06.05.2002|PKH belum cair tiga bulan");
  EXPECT_EQ(Int(d, "SELECT COUNT(*) FROM ticket_event WHERE ticket_id = 3"), 1);
  // What version 18 added is there, and the old ticket is not taken for anonymised.
  EXPECT_EQ(Int(d, "SELECT COUNT(*) FROM ticket WHERE id = 3 AND anonymised_at_ms IS NULL"), 1);
  EXPECT_EQ(Text(d, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(Int(d, "SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
}

TEST(UpgradeTest, AStoreNewerThanTheBinaryIsRefusedUntouched) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  {
    auto db = storage::Db::Open(path, false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(storage::ApplyMigrations(*db.value(), schema::Migrations()).ok());
    ASSERT_TRUE(db.value()
                    ->Exec("INSERT INTO schema_migrations (version, name, applied_at_ms)"
                           " VALUES (999, 'from the future', 0)")
                    .ok());
  }
  core::MetricsRegistry metrics;
  storage::StoreOptions options;
  options.path = path;
  options.migrations = schema::Migrations();
  auto store = storage::Store::Open(options, &metrics);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("newer than this binary"), std::string::npos)
      << store.error().message;
  auto db = storage::Db::Open(path, true);
  EXPECT_EQ(Int(*db.value(), "SELECT MAX(version) FROM schema_migrations"), 999);
}

}  // namespace
}  // namespace satupintu
