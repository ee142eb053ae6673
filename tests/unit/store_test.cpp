#include "storage/store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <future>
#include <latch>
#include <string>

#include "schema/schema.hpp"
#include "storage/migrations.hpp"
#include "support/process.hpp"

namespace satupintu::storage {
namespace {

using testing::TempDir;

// Runs a write and waits for its completion.
core::Status WriteSync(Store& store, Store::WriteJob job) {
  std::promise<core::Status> done;
  auto f = done.get_future();
  store.Write(std::move(job), [&done](core::Status s) { done.set_value(std::move(s)); });
  return f.get();
}

Store::WriteJob InsertNote(std::string text) {
  return [text = std::move(text)](Db& db) -> core::Status {
    if (auto s = db.Exec("CREATE TABLE IF NOT EXISTS notes (t TEXT UNIQUE)"); !s.ok()) return s;
    auto stmt = db.Prepare("INSERT INTO notes (t) VALUES (?)");
    if (!stmt.ok()) return stmt.error();
    return stmt.value()->Bind(1, text).Run();
  };
}

std::int64_t CountNotes(const std::string& path) {
  auto db = Db::Open(path, true);
  auto n = db.value()->QueryInt("SELECT COUNT(*) FROM notes");
  return n.ok() ? n.value() : -1;
}

class StoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> Open(StoreOptions options = {}) {
    options.path = dir_.File("s.db");
    options.migrations = schema::Migrations();
    auto store = Store::Open(options, &metrics_);
    EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().detail);
    return std::move(store).value();
  }
  TempDir dir_;
  core::MetricsRegistry metrics_;
};

TEST_F(StoreTest, UsesWalAndSynchronousFullAndMigrates) {
  auto store = Open();
  EXPECT_EQ(store->schema_version(), schema::Migrations().back().version);
  EXPECT_TRUE(store->healthy());
  std::int64_t sync = -1;
  std::int64_t temp = -1;
  std::string mode;
  ASSERT_TRUE(WriteSync(*store, [&](Db& db) -> core::Status {
                sync = db.QueryInt("PRAGMA synchronous").value();
                mode = db.QueryText("PRAGMA journal_mode").value();
                temp = db.QueryInt("PRAGMA temp_store").value();
                return {};
              }).ok());
  EXPECT_EQ(sync, 2);  // FULL
  EXPECT_EQ(mode, "wal");
  EXPECT_EQ(temp, 2) << "the writer's statement journals stay in memory";
}

TEST_F(StoreTest, TheStoreItsWalAndShmAreTheOwnersOnlyWhateverTheUmask) {
  const mode_t before = ::umask(022);
  {
    auto store = Open();
    ASSERT_TRUE(WriteSync(*store, [](Db& db) { return db.Exec("CREATE TABLE t (x)"); }).ok());
    for (const char* suffix : {"", "-wal", "-shm"}) {
      struct stat st {};
      ASSERT_EQ(::stat(dir_.File(std::string("s.db") + suffix).c_str(), &st), 0) << suffix;
      EXPECT_EQ(st.st_mode & 0777, 0600u) << "s.db" << suffix;
    }
    store->Close();
  }
  // A store made readable by others (an older version, a copy) is private again at its open.
  ::chmod(dir_.File("s.db").c_str(), 0644);
  {
    auto store = Open();
    struct stat st {};
    ASSERT_EQ(::stat(dir_.File("s.db").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    store->Close();
  }
  ::umask(before);
}

TEST_F(StoreTest, SynchronousNormalIsConfigurable) {
  StoreOptions options;
  options.migrations = schema::Migrations();
  options.synchronous_full = false;
  auto store = Open(options);
  std::int64_t sync = -1;
  ASSERT_TRUE(WriteSync(*store, [&](Db& db) -> core::Status {
                sync = db.QueryInt("PRAGMA synchronous").value();
                return {};
              }).ok());
  EXPECT_EQ(sync, 1);
}

TEST_F(StoreTest, MigrationsAreAppliedOnce) {
  Open().reset();
  Open().reset();
  auto db = Db::Open(dir_.File("s.db"), true);
  EXPECT_EQ(db.value()->QueryInt("SELECT COUNT(*) FROM schema_migrations").value(),
            std::int64_t{schema::Migrations().back().version});
}

TEST_F(StoreTest, RefusesADatabaseFromANewerBinary) {
  Open().reset();
  {
    auto db = Db::Open(dir_.File("s.db"), false);
    ASSERT_TRUE(db.value()->Exec("INSERT INTO schema_migrations VALUES (999, 'future', 0)").ok());
  }
  StoreOptions options;
  options.migrations = schema::Migrations();
  options.path = dir_.File("s.db");
  auto store = Store::Open(options, &metrics_);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("newer than this binary"), std::string::npos);
}

TEST_F(StoreTest, FailedMigrationRollsBackAndNamesItself) {
  auto db = Db::Open(dir_.File("m.db"), false);
  const Migration bad[] = {{1, "good", "CREATE TABLE a (x)"}, {2, "broken", "CREATE TABLE b (x"}};
  auto version = ApplyMigrations(*db.value(), bad);
  ASSERT_FALSE(version.ok());
  EXPECT_NE(version.error().message.find("migration 2 (broken) failed"), std::string::npos);
  EXPECT_EQ(db.value()->QueryInt("SELECT MAX(version) FROM schema_migrations").value(), 1);
}

TEST_F(StoreTest, PiecesOfOneVersionCommitTogetherAndAreRecordedOnce) {
  auto db = Db::Open(dir_.File("m.db"), false);
  // Version 2 has two pieces (two libraries' tables): the second fails, so the first's table
  // must not survive either.
  const Migration broken[] = {{1, "journal", "CREATE TABLE a (x)"},
                              {2, "outbox", "CREATE TABLE b (x)"},
                              {2, "tickets", "CREATE TABLE c (x"}};
  auto failed = ApplyMigrations(*db.value(), broken);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("migration 2 (outbox, tickets) failed"), std::string::npos);
  EXPECT_EQ(db.value()->QueryInt("SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'").value(), 0);
  const Migration fixed[] = {{1, "journal", "CREATE TABLE a (x)"},
                             {2, "outbox", "CREATE TABLE b (x)"},
                             {2, "tickets", "CREATE TABLE c (x)"}};
  ASSERT_EQ(ApplyMigrations(*db.value(), fixed).value(), 2);
  EXPECT_EQ(db.value()->QueryInt("SELECT COUNT(*) FROM schema_migrations").value(), 2);
  EXPECT_EQ(db.value()->QueryText("SELECT name FROM schema_migrations WHERE version = 2").value(),
            "outbox, tickets");
}

TEST_F(StoreTest, MigrationsOutOfOrderAndAStoreWithoutSchemaAreRefused) {
  auto db = Db::Open(dir_.File("m.db"), false);
  const Migration shuffled[] = {{2, "b", "CREATE TABLE b (x)"}, {1, "a", "CREATE TABLE a (x)"}};
  auto version = ApplyMigrations(*db.value(), shuffled);
  ASSERT_FALSE(version.ok());
  EXPECT_NE(version.error().message.find("out of order"), std::string::npos);
  StoreOptions options;
  options.path = dir_.File("s.db");
  auto store = Store::Open(options, &metrics_);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("no schema"), std::string::npos);
}

TEST(Schema, EveryVersionFromOneUpInOrder) {
  int expected = 1;
  for (const auto& m : schema::Migrations()) {
    if (m.version == expected - 1) continue;  // another library's piece of the same version
    EXPECT_EQ(m.version, expected) << m.name;
    expected = m.version + 1;
  }
}

TEST_F(StoreTest, QueuedWritesShareOneCommit) {
  auto store = Open();
  ASSERT_TRUE(WriteSync(*store, InsertNote("warm-up")).ok());
  const auto commits_before =
      metrics_.GetCounter("satupintu_store_commits_total", "", {{"result", "ok"}}).Value();

  // Hold the writer inside a job while 100 more are queued; they must form one batch.
  std::latch release(1);
  std::promise<void> first_running;
  std::atomic<int> ok{0};
  std::latch all_done(101);
  store->Write(
      [&](Db&) -> core::Status {
        first_running.set_value();
        release.wait();
        return {};
      },
      [&](const core::Status& s) {
        if (s.ok()) ++ok;
        all_done.count_down();
      });
  first_running.get_future().wait();
  for (int i = 0; i < 100; ++i) {
    store->Write(InsertNote("n" + std::to_string(i)), [&](const core::Status& s) {
      if (s.ok()) ++ok;
      all_done.count_down();
    });
  }
  EXPECT_EQ(store->queue_depth(), 100u);
  release.count_down();
  all_done.wait();
  EXPECT_EQ(ok.load(), 101);
  const auto commits =
      metrics_.GetCounter("satupintu_store_commits_total", "", {{"result", "ok"}}).Value() -
      commits_before;
  EXPECT_EQ(commits, 2u) << "one commit for the blocking job, one for the 100 queued behind it";
  EXPECT_EQ(CountNotes(dir_.File("s.db")), 101);
  EXPECT_NE(metrics_.Render().find("satupintu_store_commit_batch_size_bucket{le=\"128\"}"),
            std::string::npos);
}

TEST_F(StoreTest, AFailingJobRollsBackOnlyItself) {
  auto store = Open();
  ASSERT_TRUE(WriteSync(*store, InsertNote("a")).ok());
  std::latch release(1);
  std::promise<void> running;
  std::promise<core::Status> s1;
  std::promise<core::Status> s2;
  std::promise<core::Status> s3;
  store->Write(
      [&](Db&) -> core::Status {
        running.set_value();
        release.wait();
        return {};
      },
      [](const core::Status&) {});
  running.get_future().wait();
  store->Write(InsertNote("b"), [&](const core::Status& s) { s1.set_value(s); });
  store->Write(InsertNote("a"),
               [&](const core::Status& s) { s2.set_value(s); });  // UNIQUE violation
  store->Write(InsertNote("c"), [&](const core::Status& s) { s3.set_value(s); });
  release.count_down();
  EXPECT_TRUE(s1.get_future().get().ok());
  auto failed = s2.get_future().get();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_TRUE(s3.get_future().get().ok());
  EXPECT_EQ(CountNotes(dir_.File("s.db")), 3);
}

TEST_F(StoreTest, CompletionMeansVisibleToAnotherConnection) {
  auto store = Open();
  std::promise<std::int64_t> seen;
  store->Write(InsertNote("durable"), [&](const core::Status& s) {
    ASSERT_TRUE(s.ok());
    seen.set_value(CountNotes(dir_.File("s.db")));
  });
  EXPECT_EQ(seen.get_future().get(), 1);
}

TEST_F(StoreTest, FullStoreAnswersUnavailableAndRecovers) {
  StoreOptions options;
  options.migrations = schema::Migrations();
  options.max_size_mb = 1;
  auto store = Open(options);
  const std::string blob(std::size_t{16} * 1024, 'x');
  core::Status last;
  int written = 0;
  for (int i = 0; i < 200 && last.ok(); ++i) {
    last = WriteSync(*store, InsertNote(std::to_string(i) + blob));
    if (last.ok()) ++written;
  }
  ASSERT_FALSE(last.ok()) << "a 1 MB store must fill up";
  EXPECT_EQ(last.error().code, core::ErrorCode::kUnavailable);
  EXPECT_NE(last.error().detail.find("full"), std::string::npos) << last.error().detail;
  EXPECT_FALSE(store->healthy());
  EXPECT_EQ(CountNotes(dir_.File("s.db")), written) << "every acknowledged write survives";
  ASSERT_TRUE(WriteSync(*store, [](Db& db) { return db.Exec("DELETE FROM notes"); }).ok());
  EXPECT_TRUE(store->healthy());
}

TEST_F(StoreTest, LockedStoreAnswersUnavailable) {
  StoreOptions options;
  options.migrations = schema::Migrations();
  options.busy_timeout_ms = 100;
  auto store = Open(options);
  ASSERT_TRUE(WriteSync(*store, InsertNote("before")).ok());
  auto other = Db::Open(dir_.File("s.db"), false);
  ASSERT_TRUE(other.value()->Exec("BEGIN EXCLUSIVE").ok());
  auto s = WriteSync(*store, InsertNote("while-locked"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::kUnavailable);
  ASSERT_TRUE(other.value()->Exec("ROLLBACK").ok());
  EXPECT_TRUE(WriteSync(*store, InsertNote("after")).ok());
  EXPECT_EQ(CountNotes(dir_.File("s.db")), 2);
}

TEST_F(StoreTest, CloseFinishesQueuedWritesThenRefuses) {
  auto store = Open();
  std::atomic<int> ok{0};
  for (int i = 0; i < 50; ++i) {
    store->Write(InsertNote("q" + std::to_string(i)),
                 [&](const core::Status& s) { ok += s.ok() ? 1 : 0; });
  }
  store->Close();
  EXPECT_EQ(ok.load(), 50);
  auto s = WriteSync(*store, InsertNote("late"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::kUnavailable);
  bool read_refused = false;
  store->Read([&](Db* db, const core::Error* e) { read_refused = db == nullptr && e != nullptr; });
  EXPECT_TRUE(read_refused);
  EXPECT_EQ(CountNotes(dir_.File("s.db")), 50);
}

TEST_F(StoreTest, ReadsRunOnTheReaderConnection) {
  auto store = Open();
  ASSERT_TRUE(WriteSync(*store, InsertNote("r")).ok());
  std::promise<std::int64_t> count;
  store->Read([&](Db* db, const core::Error*) {
    count.set_value(db->QueryInt("SELECT COUNT(*) FROM notes").value());
  });
  EXPECT_EQ(count.get_future().get(), 1);
}

TEST(RowsTest, EveryRowOnceThenTheStatementIsReadyAgain) {
  TempDir dir;
  auto db = std::move(Db::Open(dir.File("rows.db"), false)).value();
  ASSERT_TRUE(db->Exec("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3)").ok());
  auto q = db->Prepare("SELECT n FROM t WHERE n >= ? ORDER BY n");
  ASSERT_TRUE(q.ok());
  for (int round = 0; round < 2; ++round) {
    q.value()->Bind(1, std::int64_t{2});
    std::vector<std::int64_t> seen;
    ASSERT_TRUE(ForEachRow(*db, *q.value(), "numbers", [&](Stmt& row) {
                  seen.push_back(row.ColumnInt(0));
                }).ok());
    EXPECT_EQ(seen, (std::vector<std::int64_t>{2, 3})) << "round " << round;
  }
}

TEST(RowsTest, AnErrorFromTheRowStopsAndStillResets) {
  TempDir dir;
  auto db = std::move(Db::Open(dir.File("rows.db"), false)).value();
  ASSERT_TRUE(db->Exec("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3)").ok());
  auto q = db->Prepare("SELECT n FROM t ORDER BY n");
  int calls = 0;
  auto stopped = ForEachRow(*db, *q.value(), "numbers", [&](Stmt&) -> core::Status {
    ++calls;
    return core::MakeError(core::ErrorCode::kInvalidArgument, "enough");
  });
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().message, "enough");
  EXPECT_EQ(calls, 1);
  // Reset: the same cached statement starts from the first row again.
  std::int64_t first = 0;
  auto found = FirstRow(*db, *db->Prepare("SELECT n FROM t ORDER BY n").value(), "first",
                        [&](Stmt& row) { first = row.ColumnInt(0); });
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found.value());
  EXPECT_EQ(first, 1);
}

TEST(RowsTest, FirstRowSaysWhenThereIsNoneAndReportsSqliteErrors) {
  TempDir dir;
  auto db = std::move(Db::Open(dir.File("rows.db"), false)).value();
  ASSERT_TRUE(db->Exec("CREATE TABLE t (n INTEGER)").ok());
  auto none = FirstRow(*db, *db->Prepare("SELECT n FROM t").value(), "empty", [](Stmt&) {});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none.value());
  // A runtime error while stepping (not at prepare): integer overflow in abs().
  auto failing = db->Prepare("SELECT abs(-9223372036854775807 - 1)");
  ASSERT_TRUE(failing.ok());
  auto error = FirstRow(*db, *failing.value(), "overflow", [](Stmt&) {});
  ASSERT_FALSE(error.ok());
}

}  // namespace
}  // namespace satupintu::storage
