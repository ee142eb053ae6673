#pragma once
// A connection to SMSD's SQLite file that never creates it: SMSD owns the schema, and an
// empty file created by us would only make SMSD fail. The file is checked before every use;
// if it vanished or was replaced (an operator recreated the database), the connection is
// dropped and reopened, so nothing is written into an unlinked file and lost. Opening puts
// the file in WAL mode (persistent), so our reads never make SMSD's writes fail.
// Not thread-safe: each user (the link's worker, the transport) owns one and serialises use.

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::gammu_link {

class SmsdDb {
 public:
  SmsdDb(std::string path, std::chrono::milliseconds busy_timeout);

  // The open connection, or kUnavailable when the file is missing or cannot be opened.
  core::Result<storage::Db*> Get();
  // Forget the connection (after an error that may have left it unusable).
  void Drop() { db_.reset(); }

 private:
  std::string path_;
  std::chrono::milliseconds busy_timeout_;
  std::unique_ptr<storage::Db> db_;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
};

// Rolls back a transaction an error left open.
void RollbackQuietly(storage::Db& db);

}  // namespace satupintu::gammu_link
