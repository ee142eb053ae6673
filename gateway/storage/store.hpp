#pragma once
// The store owns the SQLite file and the threads that touch it. Network threads never wait
// on disk: they hand a job to the store and get a completion back.
//
// Writes go through one writer thread that practises group commit: every job queued while
// the previous commit was in flight runs in the next transaction, each inside its own
// savepoint, and the whole batch shares one COMMIT (one fsync under synchronous=FULL).
// A job's completion reports success only after that commit is durable.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/metrics.hpp"
#include "core/result.hpp"
#include "storage/checkpointer.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::storage {

struct StoreOptions {
  std::string path;
  bool synchronous_full = true;
  int busy_timeout_ms = 2000;
  int max_batch = 512;
  std::int64_t max_size_mb = 0;  // 0 = no cap
  int checkpoint_pages = 1000;   // WAL frames that wake the checkpointer (checkpointer.hpp)
  // The schema, applied at open: schema::Migrations() (every library's tables). Required.
  std::span<const Migration> migrations = {};
};

class Store {
 public:
  using WriteJob = std::function<core::Status(Db&)>;
  using Completion = std::function<void(core::Status)>;
  using ReadJob = std::function<void(Db*, const core::Error*)>;

  // Opens (creating directories is the caller's business), sets pragmas, applies migrations,
  // starts the writer and reader threads.
  static core::Result<std::unique_ptr<Store>> Open(const StoreOptions& options,
                                                   core::MetricsRegistry* metrics);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Queues a write. `done` runs on the writer thread once the job's fate is durable: ok after
  // COMMIT, the job's own error if it failed (its savepoint is rolled back, the batch goes
  // on), kUnavailable if the batch could not commit or the store is closed.
  void Write(WriteJob job, Completion done);

  // Runs `job` on the reader thread with a read-only connection; if the store is closed the
  // job gets a null Db and the error.
  void Read(ReadJob job);

  // Refuses new work, finishes what is queued, closes both connections. Idempotent.
  void Close();

  // Open, migrated, and the last commit attempt succeeded.
  bool healthy() const { return healthy_.load(); }
  int schema_version() const { return schema_version_; }
  std::size_t queue_depth() const;

 private:
  struct PendingWrite {
    WriteJob job;
    Completion done;
  };
  struct PendingRead {
    ReadJob job;
  };

  Store(StoreOptions options, core::MetricsRegistry* metrics);
  void WriterLoop();
  void ReaderLoop();
  void RunBatch(std::deque<PendingWrite>& batch);

  StoreOptions options_;
  core::MetricsRegistry* metrics_;
  std::unique_ptr<Db> writer_db_;
  std::unique_ptr<Db> reader_db_;
  std::unique_ptr<Checkpointer> checkpointer_;  // the writer's checkpoints, off its thread
  int schema_version_ = 0;
  std::atomic<bool> healthy_{false};

  mutable std::mutex mutex_;
  std::condition_variable writer_cv_;
  std::condition_variable reader_cv_;
  std::deque<PendingWrite> writes_;
  std::deque<PendingRead> reads_;
  bool closing_ = false;
  std::thread writer_;
  std::thread reader_;

  core::Histogram* batch_size_ = nullptr;
  core::Histogram* commit_seconds_ = nullptr;
  core::Counter* commits_ok_ = nullptr;
  core::Counter* commits_failed_ = nullptr;
};

}  // namespace satupintu::storage
