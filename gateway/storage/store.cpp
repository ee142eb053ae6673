#include "storage/store.hpp"

#include <chrono>

#include "core/log.hpp"
#include "storage/migrations.hpp"

namespace satupintu::storage {

namespace log = core::log;
using core::ErrorCode;

namespace {

core::Error Closed() {
  return core::MakeError(ErrorCode::kUnavailable, "store unavailable, retry later",
                         "store is closed");
}

core::Status ConfigureConnection(Db& db, const StoreOptions& options) {
  sqlite3_busy_timeout(db.raw(), options.busy_timeout_ms);
  auto mode = db.QueryText("PRAGMA journal_mode=WAL");
  if (!mode.ok()) return mode.error();
  if (mode.value() != "wal") {
    return core::MakeError(ErrorCode::kInternal, "store cannot use WAL mode",
                           "journal_mode is " + mode.value());
  }
  if (auto s = db.Exec(options.synchronous_full ? "PRAGMA synchronous=FULL"
                                                : "PRAGMA synchronous=NORMAL");
      !s.ok()) {
    return s;
  }
  if (auto s = db.Exec("PRAGMA foreign_keys=ON"); !s.ok()) return s;
  // What is deleted or redacted (the journal's raw texts, purged and erased personal data)
  // is overwritten in the file, not left in free pages where a copy of the store keeps it.
  if (auto s = db.Exec("PRAGMA secure_delete=ON"); !s.ok()) return s;
  // The same for the WAL: when a checkpoint lets it start over, the file is cut, so frames of
  // rows since redacted do not linger past the new writes.
  if (auto s = db.Exec("PRAGMA journal_size_limit=0"); !s.ok()) return s;
  // Each job runs in a savepoint (and the dispatcher nests one per row), so SQLite keeps a
  // statement journal of the pages a batch touches; past 64 KiB it spills to a file in
  // /var/tmp: about 5 extra page writes per message (bench_dialog: 40% of the dialog runtime's
  // CPU) and page copies of personal data on disk. In memory it is bounded by one batch
  // (max_batch jobs). The reader connection keeps the default, for large sorts.
  if (auto s = db.Exec("PRAGMA temp_store=MEMORY"); !s.ok()) return s;
  if (options.max_size_mb > 0) {
    auto page_size = db.QueryInt("PRAGMA page_size");
    if (!page_size.ok()) return page_size.error();
    const std::int64_t pages = options.max_size_mb * 1024 * 1024 / page_size.value();
    if (auto s = db.Exec("PRAGMA max_page_count=" + std::to_string(pages)); !s.ok()) return s;
  }
  return {};
}

}  // namespace

Store::Store(StoreOptions options, core::MetricsRegistry* metrics)
    : options_(std::move(options)), metrics_(metrics) {
  batch_size_ =
      &metrics_->GetHistogram("satupintu_store_commit_batch_size", "Write jobs sharing one commit.",
                              {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024});
  commit_seconds_ = &metrics_->GetHistogram("satupintu_store_commit_seconds",
                                            "Duration of one group commit, including fsync.",
                                            core::LatencyBuckets());
  commits_ok_ = &metrics_->GetCounter("satupintu_store_commits_total", "Group commits by result.",
                                      {{"result", "ok"}});
  commits_failed_ = &metrics_->GetCounter("satupintu_store_commits_total",
                                          "Group commits by result.", {{"result", "error"}});
}

core::Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options,
                                                 core::MetricsRegistry* metrics) {
  if (options.migrations.empty()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "no schema: StoreOptions::migrations is empty (schema::Migrations())");
  }
  std::unique_ptr<Store> store(new Store(options, metrics));
  auto writer = Db::Open(options.path, /*read_only=*/false);
  if (!writer.ok()) return writer.error();
  store->writer_db_ = std::move(writer).value();
  if (auto s = ConfigureConnection(*store->writer_db_, options); !s.ok()) return s.error();
  auto version = ApplyMigrations(*store->writer_db_, options.migrations);
  if (!version.ok()) return version.error();
  store->schema_version_ = version.value();
  // After the migrations, which may rewrite a whole table and checkpoint as SQLite would.
  auto checkpointer = Checkpointer::Start(options.path, options.checkpoint_pages, metrics);
  if (!checkpointer.ok()) return checkpointer.error();
  store->checkpointer_ = std::move(checkpointer).value();
  if (auto s = store->checkpointer_->Attach(*store->writer_db_); !s.ok()) return s.error();

  auto reader = Db::Open(options.path, /*read_only=*/true);
  if (!reader.ok()) return reader.error();
  store->reader_db_ = std::move(reader).value();
  sqlite3_busy_timeout(store->reader_db_->raw(), options.busy_timeout_ms);

  Store* raw = store.get();
  metrics->SetCallbackGauge("satupintu_store_queue_depth",
                            "Jobs waiting for the store (writes and reads).",
                            [raw] { return static_cast<double>(raw->queue_depth()); });
  store->healthy_ = true;
  store->writer_ = std::thread([raw] { raw->WriterLoop(); });
  store->reader_ = std::thread([raw] { raw->ReaderLoop(); });
  log::Info("store.open")
      .Str("path", options.path)
      .Int("schema_version", store->schema_version_)
      .Str("synchronous", options.synchronous_full ? "full" : "normal");
  return store;
}

Store::~Store() { Close(); }

std::size_t Store::queue_depth() const {
  std::lock_guard lock(mutex_);
  return writes_.size() + reads_.size();
}

void Store::Write(WriteJob job, Completion done) {
  {
    std::lock_guard lock(mutex_);
    if (!closing_) {
      writes_.push_back({std::move(job), std::move(done)});
      writer_cv_.notify_one();
      return;
    }
  }
  done(Closed());
}

void Store::Read(ReadJob job) {
  {
    std::lock_guard lock(mutex_);
    if (!closing_) {
      reads_.push_back({std::move(job)});
      reader_cv_.notify_one();
      return;
    }
  }
  const core::Error error = Closed();
  job(nullptr, &error);
}

void Store::Close() {
  {
    // Every step below is safe to repeat, so a second Close() simply finds nothing to do.
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  writer_cv_.notify_all();
  reader_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  if (reader_.joinable()) reader_.join();
  if (checkpointer_) {
    checkpointer_->Stop();
    if (writer_db_) Checkpointer::Detach(*writer_db_);
  }
  if (writer_db_) {
    // Fold the WAL back into the main file so a stopped gateway leaves one tidy file.
    (void)writer_db_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
    writer_db_.reset();
    reader_db_.reset();
    checkpointer_.reset();
    healthy_ = false;
    log::Info("store.closed").Str("path", options_.path);
  }
}

void Store::WriterLoop() {
  std::deque<PendingWrite> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      writer_cv_.wait(lock, [this] { return closing_ || !writes_.empty(); });
      if (writes_.empty()) return;  // closing and drained
      const auto n =
          std::min<std::size_t>(writes_.size(), static_cast<std::size_t>(options_.max_batch));
      for (std::size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(writes_.front()));
        writes_.pop_front();
      }
    }
    RunBatch(batch);
    batch.clear();
  }
}

void Store::RunBatch(std::deque<PendingWrite>& batch) {
  const auto started = std::chrono::steady_clock::now();
  Db& db = *writer_db_;
  std::vector<core::Status> results;
  results.reserve(batch.size());

  core::Status batch_status = db.Run("BEGIN IMMEDIATE");
  if (batch_status.ok()) {
    for (auto& pending : batch) {
      core::Status s = db.Run("SAVEPOINT job");
      if (s.ok()) {
        try {
          s = pending.job(db);
        } catch (const std::exception& e) {
          s = core::MakeError(ErrorCode::kInternal, "store job failed", e.what());
        }
      }
      if (!db.InTransaction()) {
        // SQLite rolled the whole transaction back (disk full, I/O error): every job of this
        // batch is lost and must be reported so.
        batch_status = s.ok() ? db.LastError("transaction aborted") : s;
        break;
      }
      if (s.ok()) {
        s = db.Run("RELEASE job");
      } else {
        (void)db.Run("ROLLBACK TO job");
        (void)db.Run("RELEASE job");
      }
      results.push_back(std::move(s));
    }
    if (batch_status.ok()) {
      batch_status = db.Run("COMMIT");
    }
    if (!batch_status.ok() && db.InTransaction()) (void)db.Exec("ROLLBACK");
  }

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  commit_seconds_->Observe(seconds);
  batch_size_->Observe(static_cast<double>(batch.size()));
  if (batch_status.ok()) {
    commits_ok_->Inc();
    if (!healthy_.exchange(true)) log::Info("store.recovered");
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(results[i]));
    return;
  }
  commits_failed_->Inc();
  healthy_ = false;
  core::Error error = batch_status.error();
  if (error.code != ErrorCode::kUnavailable) {
    // A commit failure is never the client's fault: ask the peer to retry.
    error.code = ErrorCode::kUnavailable;
    error.message = "store unavailable, retry later";
  }
  log::Error("store.commit_failed")
      .Str("detail", error.detail)
      .Int("jobs", static_cast<std::int64_t>(batch.size()));
  for (auto& pending : batch) pending.done(error);
}

void Store::ReaderLoop() {
  for (;;) {
    PendingRead pending;
    {
      std::unique_lock lock(mutex_);
      reader_cv_.wait(lock, [this] { return closing_ || !reads_.empty(); });
      if (reads_.empty()) return;
      pending = std::move(reads_.front());
      reads_.pop_front();
    }
    try {
      pending.job(reader_db_.get(), nullptr);
    } catch (const std::exception& e) {
      log::Error("store.read_failed").Str("detail", e.what());
    }
  }
}

}  // namespace satupintu::storage
