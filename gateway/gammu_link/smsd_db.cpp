#include "gammu_link/smsd_db.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <utility>

namespace satupintu::gammu_link {

SmsdDb::SmsdDb(std::string path, std::chrono::milliseconds busy_timeout)
    : path_(std::move(path)), busy_timeout_(busy_timeout) {}

core::Result<storage::Db*> SmsdDb::Get() {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) {
    db_.reset();
    return core::MakeError(core::ErrorCode::kUnavailable, "smsd database missing",
                           "stat " + path_ + " failed");
  }
  if (db_ && (st.st_dev != dev_ || st.st_ino != ino_)) db_.reset();
  if (db_) return db_.get();

  auto opened = storage::Db::Open(path_, false, /*create=*/false);
  if (!opened.ok()) return opened.error();
  auto db = std::move(opened).value();
  sqlite3_busy_timeout(db->raw(), static_cast<int>(busy_timeout_.count()));
  // SMSD opens its file without a busy timeout: in the default rollback-journal mode every
  // read of ours makes its next write fail with "database is locked" and reconnect a second
  // later. In WAL mode readers and the writer no longer block each other. The mode is stored
  // in the file, so one success is enough; if SMSD holds a lock now, the next open tries again.
  (void)db->QueryText("PRAGMA journal_mode=WAL");
  // Our blanking of processed inbox texts overwrites them in the file (this connection only).
  (void)db->Exec("PRAGMA secure_delete=ON");
  dev_ = st.st_dev;
  ino_ = st.st_ino;
  db_ = std::move(db);
  return db_.get();
}

void RollbackQuietly(storage::Db& db) {
  if (db.InTransaction()) (void)db.Exec("ROLLBACK");
}

}  // namespace satupintu::gammu_link
