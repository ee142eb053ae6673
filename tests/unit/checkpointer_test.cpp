#include "storage/checkpointer.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <future>
#include <string>
#include <thread>

#include "schema/schema.hpp"
#include "storage/store.hpp"
#include "support/process.hpp"

namespace satupintu::storage {
namespace {

using testing::TempDir;

constexpr std::int64_t kPage = 4096;

std::int64_t FileBytes(const std::string& path) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<std::int64_t>(n);
}

// A writer connection as the store's (WAL), without fsync so the test stays quick.
std::unique_ptr<Db> OpenWriter(const std::string& path) {
  auto db = Db::Open(path, false);
  EXPECT_TRUE(db.ok());
  EXPECT_EQ(db.value()->QueryText("PRAGMA journal_mode=WAL").value(), "wal");
  EXPECT_TRUE(db.value()->Exec("PRAGMA synchronous=OFF").ok());
  EXPECT_TRUE(db.value()->Exec("CREATE TABLE IF NOT EXISTS blob (b BLOB)").ok());
  return std::move(db).value();
}

// `rows` rows of about a page each in `commits` transactions.
void WritePages(Db& db, int commits, int rows) {
  const std::string page(3000, 'x');
  for (int c = 0; c < commits; ++c) {
    ASSERT_TRUE(db.Exec("BEGIN").ok());
    auto q = db.Prepare("INSERT INTO blob (b) VALUES (?)");
    ASSERT_TRUE(q.ok());
    for (int r = 0; r < rows; ++r) ASSERT_TRUE(q.value()->Bind(1, page).Run().ok());
    ASSERT_TRUE(db.Exec("COMMIT").ok());
  }
}

bool WaitFor(const std::function<bool()>& done) {
  for (int i = 0; i < 1000 && !done(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

// A writer connection with a checkpointer of `pages` attached, detached at the end.
struct Attached {
  Attached(int pages, core::MetricsRegistry* metrics = nullptr)
      : path(dir.File("c.db")), writer(OpenWriter(path)) {
    auto started = Checkpointer::Start(path, pages, metrics);
    EXPECT_TRUE(started.ok());
    c = std::move(started).value();
    EXPECT_TRUE(c->Attach(*writer).ok());
  }
  ~Attached() { Checkpointer::Detach(*writer); }
  TempDir dir;
  std::string path;
  std::unique_ptr<Db> writer;
  std::unique_ptr<Checkpointer> c;
};

TEST(CheckpointerTest, CommitsBelowTheThresholdNeverCheckpoint) {
  Attached a(5000);
  // 1500 pages: SQLite's own automatic checkpoint would have copied them into the main file at
  // 1000, inside a commit.
  WritePages(*a.writer, 30, 50);
  EXPECT_LT(FileBytes(a.path), 100 * kPage) << "a commit copied the WAL into the main file";
  EXPECT_GT(FileBytes(a.path + "-wal"), 1500 * kPage);
  EXPECT_EQ(a.c->checkpoints(), 0);
}

TEST(CheckpointerTest, ItsThreadCopiesTheWalPastTheThreshold) {
  core::MetricsRegistry metrics;
  Attached a(100, &metrics);
  WritePages(*a.writer, 1, 300);
  ASSERT_TRUE(WaitFor([&] { return a.c->checkpoints() >= 1; }));
  EXPECT_GE(FileBytes(a.path), 300 * kPage) << "the rows are in the main file";
  EXPECT_EQ(metrics.GetCounter("satupintu_store_checkpoints_total", "", {{"result", "ok"}}).Value(),
            static_cast<std::uint64_t>(a.c->checkpoints()));
  // The next write starts the WAL over instead of growing it.
  const std::int64_t wal = FileBytes(a.path + "-wal");
  WritePages(*a.writer, 1, 50);
  EXPECT_EQ(FileBytes(a.path + "-wal"), wal);
  EXPECT_EQ(a.writer->QueryInt("SELECT COUNT(*) FROM blob").value(), 350);
}

TEST(CheckpointerTest, AWalItsThreadCannotKeepUpWithStaysBounded) {
  Attached a(50);
  a.c->Stop();  // as if it never woke up
  // 1200 pages in small commits: without the valve the WAL would hold them all.
  WritePages(*a.writer, 400, 3);
  const std::int64_t frame = kPage + 24;
  EXPECT_LT(FileBytes(a.path + "-wal"), (Checkpointer::kValveFactor * 50 + 10) * frame);
  EXPECT_GE(FileBytes(a.path), 800 * kPage);
}

TEST(CheckpointerTest, TheStoreCheckpointsOffItsWriter) {
  TempDir dir;
  core::MetricsRegistry metrics;
  StoreOptions options;
  options.migrations = schema::Migrations();
  options.path = dir.File("s.db");
  options.checkpoint_pages = 50;
  auto store = Store::Open(options, &metrics);
  ASSERT_TRUE(store.ok());
  const std::string page(3000, 'y');
  for (int i = 0; i < 4; ++i) {
    std::promise<core::Status> done;
    store.value()->Write(
        [&](Db& db) {
          if (auto s = db.Exec("CREATE TABLE IF NOT EXISTS blob (b BLOB)"); !s.ok()) return s;
          auto q = db.Prepare("INSERT INTO blob (b) VALUES (?)");
          for (int r = 0; r < 40; ++r) {
            if (auto s = q.value()->Bind(1, page).Run(); !s.ok()) return s;
          }
          return core::Status{};
        },
        [&](core::Status s) { done.set_value(std::move(s)); });
    ASSERT_TRUE(done.get_future().get().ok());
  }
  auto& ok = metrics.GetCounter("satupintu_store_checkpoints_total", "", {{"result", "ok"}});
  EXPECT_TRUE(WaitFor([&] { return ok.Value() >= 1; }));
  EXPECT_GE(FileBytes(options.path), 100 * kPage);
  store.value()->Close();
  EXPECT_EQ(FileBytes(options.path + "-wal"), 0) << "a closed store leaves one file";
}

}  // namespace
}  // namespace satupintu::storage
