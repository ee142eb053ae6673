#include "storage/checkpointer.hpp"

#include <chrono>

#include "core/log.hpp"

namespace satupintu::storage {

namespace log = core::log;

core::Result<std::unique_ptr<Checkpointer>> Checkpointer::Start(const std::string& path, int pages,
                                                                core::MetricsRegistry* metrics) {
  auto db = Db::Open(path, /*read_only=*/false);
  if (!db.ok()) return db.error();
  // A checkpoint waits for nobody; a busy file simply means "next time".
  sqlite3_busy_timeout(db.value()->raw(), 0);
  // A connection learns that the file is in WAL mode when it first reads it; until then a
  // checkpoint is a silent no-op.
  auto mode = db.value()->QueryText("PRAGMA journal_mode");
  if (!mode.ok()) return mode.error();
  if (mode.value() != "wal") {
    return core::MakeError(core::ErrorCode::kInternal, "checkpointer needs a WAL store",
                           "journal_mode is " + mode.value());
  }
  std::unique_ptr<Checkpointer> c(
      new Checkpointer(std::move(db).value(), pages < 1 ? 1 : pages, metrics));
  Checkpointer* raw = c.get();
  raw->worker_.Start();
  return c;
}

Checkpointer::Checkpointer(std::unique_ptr<Db> db, int pages, core::MetricsRegistry* metrics)
    : db_(std::move(db)),
      pages_(pages),
      worker_([this] { return Pass(); }, {.interval = {}, .run_at_start = false}) {
  if (metrics == nullptr) return;
  const char* help = "WAL checkpoints run off the commit path, by result.";
  ok_ = &metrics->GetCounter("satupintu_store_checkpoints_total", help, {{"result", "ok"}});
  failed_ = &metrics->GetCounter("satupintu_store_checkpoints_total", help, {{"result", "error"}});
  seconds_ =
      &metrics->GetHistogram("satupintu_store_checkpoint_seconds",
                             "Duration of one background WAL checkpoint.", core::LatencyBuckets());
}

Checkpointer::~Checkpointer() { Stop(); }

core::Status Checkpointer::Attach(Db& writer) {
  if (auto s = writer.Exec("PRAGMA wal_autocheckpoint=0"); !s.ok()) return s;
  sqlite3_wal_hook(writer.raw(), &Checkpointer::OnWalCommit, this);
  return {};
}

void Checkpointer::Detach(Db& writer) { sqlite3_wal_hook(writer.raw(), nullptr, nullptr); }

int Checkpointer::OnWalCommit(void* self, sqlite3* db, const char* name, int frames) {
  auto* c = static_cast<Checkpointer*>(self);
  if (frames >= c->pages_ * kValveFactor) {
    // The thread has not kept up (a write storm: the WAL starts over only once a checkpoint has
    // copied all of it and a new write begins). Bound the WAL as SQLite's own automatic
    // checkpoint would, on this commit.
    (void)sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
  }
  if (frames >= c->pages_) c->worker_.Wake();
  return SQLITE_OK;
}

void Checkpointer::Stop() { worker_.Stop(); }

std::int64_t Checkpointer::checkpoints() const { return done_.load(); }

core::Worker::Next Checkpointer::Pass() {
  const auto started = std::chrono::steady_clock::now();
  int wal_frames = 0;
  int copied = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db_->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                           &wal_frames, &copied);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (seconds_ != nullptr) seconds_->Observe(seconds);
  if (rc == SQLITE_OK || rc == SQLITE_BUSY) {
    if (ok_ != nullptr) ok_->Inc();
    ++done_;
    return core::Worker::Next::kWait;
  }
  // Disk full or an I/O error: the WAL keeps every commit, so nothing is lost; the next
  // commit past the threshold tries again.
  if (failed_ != nullptr) failed_->Inc();
  log::Warn("store.checkpoint_failed")
      .Str("detail", sqlite3_errmsg(db_->raw()))
      .Int("wal_frames", wal_frames);
  return core::Worker::Next::kWait;
}

}  // namespace satupintu::storage
