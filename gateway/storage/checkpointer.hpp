#pragma once
// Moves WAL checkpoints off the commit path.
//
// By default SQLite checkpoints inside the COMMIT that grows the WAL past 1000 pages: that
// commit copies the WAL into the main file and fsyncs it, 10-15 ms instead of under 1 ms, so
// about one commit in a hundred (the ones writing most pages, ticket actions) paid for all the
// others (docs/BENCHMARKS.md, "Tickets and back office"). The checkpointer turns the writer's
// automatic checkpoint off and watches its WAL through sqlite3_wal_hook; past `pages` frames it
// wakes its own thread, which runs a PASSIVE checkpoint on its own connection while the writer
// goes on committing to the WAL. Passive never blocks the writer nor waits for readers: what it
// could not copy this time is copied on the next wake-up, and the WAL starts over from its
// beginning once a checkpoint has copied everything. Should the WAL still reach
// kValveFactor * `pages` frames, the commit that gets there checkpoints itself, as SQLite would.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "core/metrics.hpp"
#include "core/result.hpp"
#include "core/worker.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::storage {

class Checkpointer {
 public:
  static constexpr int kValveFactor = 8;

  // Opens its connection to `path` (already in WAL mode) and starts its thread; `metrics` may
  // be null.
  static core::Result<std::unique_ptr<Checkpointer>> Start(const std::string& path, int pages,
                                                           core::MetricsRegistry* metrics);
  ~Checkpointer();  // Stop()
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Takes over `writer`'s checkpoints (wal_autocheckpoint off, the WAL hook set). `writer` must
  // be detached (Detach) or closed before the checkpointer is destroyed.
  core::Status Attach(Db& writer);
  static void Detach(Db& writer);

  // Ends the thread after the checkpoint in progress, if any. Idempotent.
  void Stop();

  std::int64_t checkpoints() const;

 private:
  Checkpointer(std::unique_ptr<Db> db, int pages, core::MetricsRegistry* metrics);
  static int OnWalCommit(void* self, sqlite3* db, const char* name, int frames);
  core::Worker::Next Pass();

  std::unique_ptr<Db> db_;
  const int pages_;
  core::Counter* ok_ = nullptr;
  core::Counter* failed_ = nullptr;
  core::Histogram* seconds_ = nullptr;

  std::atomic<std::int64_t> done_{0};
  core::Worker worker_;  // last: stopped before the connection its passes use goes away
};

}  // namespace satupintu::storage
