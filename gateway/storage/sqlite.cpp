#include "storage/sqlite.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace satupintu::storage {

using core::ErrorCode;

core::Error ErrorFromCode(int code, std::string_view what, std::string_view sqlite_message) {
  std::string detail = std::string(what) + ": " + std::string(sqlite_message) + " (sqlite " +
                       std::to_string(code) + ")";
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return core::MakeError(ErrorCode::kUnavailable, "store is busy, retry later", detail);
    case SQLITE_FULL:
      return core::MakeError(ErrorCode::kUnavailable, "store is full, retry later", detail);
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM:
    case SQLITE_MISUSE:  // the connection was closed under us
      return core::MakeError(ErrorCode::kUnavailable, "store unavailable, retry later", detail);
    case SQLITE_CONSTRAINT:
      return core::MakeError(ErrorCode::kInvalidArgument, "conflicting data", detail);
    default:
      return core::MakeError(ErrorCode::kInternal, "store error", detail);
  }
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

Stmt& Stmt::Bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Stmt& Stmt::Bind(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Stmt& Stmt::BindBlob(int index, std::string_view bytes) {
  sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::BindTextView(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
  return *this;
}

Stmt& Stmt::BindBlobView(int index, std::string_view bytes) {
  sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_STATIC);
  return *this;
}

Stmt& Stmt::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

int Stmt::Step() { return sqlite3_step(stmt_); }

core::Status Stmt::Run() {
  int rc;
  while ((rc = Step()) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) {
    auto error = ErrorFromCode(rc, sqlite3_sql(stmt_), sqlite3_errmsg(db_));
    Reset();
    return error;
  }
  Reset();
  return {};
}

void Stmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Stmt::ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string Stmt::ColumnText(int index) const {
  const auto* p = sqlite3_column_blob(stmt_, index);
  const int n = sqlite3_column_bytes(stmt_, index);
  return p == nullptr ? std::string()
                      : std::string(static_cast<const char*>(p), static_cast<std::size_t>(n));
}

bool Stmt::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

namespace {

// A store holds personal data: its file, and the WAL and SHM files SQLite creates with the
// database file's permissions, are the owner's only, whatever the umask. A new file is created
// 0600 before SQLite opens it; an existing one (written by an older version, or copied in)
// loses its group and other bits by chmod, never by opening it (see below), as do a WAL and
// SHM left beside it. Memory databases and URI names are left to SQLite.
core::Status MakeOwnerOnly(const std::string& path, bool create) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) return {};
  struct stat existing {};
  if (create && ::stat(path.c_str(), &existing) != 0 && errno == ENOENT) {
    // Only a file that does not exist yet: closing a descriptor of a file SQLite already has
    // open in this process would drop every POSIX lock the process holds on it.
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
  }
  for (const std::string& file : {path, path + "-wal", path + "-shm"}) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0 || (st.st_mode & 077) == 0) continue;
    if (::chmod(file.c_str(), st.st_mode & 0700) != 0) {
      return core::MakeError(core::ErrorCode::kPermissionDenied,
                             "cannot make " + file + " private (chmod 0600)", std::strerror(errno));
    }
  }
  return {};
}

}  // namespace

core::Result<std::unique_ptr<Db>> Db::Open(const std::string& path, bool read_only, bool create) {
  if (!read_only) {
    if (auto s = MakeOwnerOnly(path, create); !s.ok()) return s.error();
  }
  sqlite3* raw = nullptr;
  const int flags = (read_only ? SQLITE_OPEN_READONLY
                               : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)) |
                    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    auto error = ErrorFromCode(rc, "open " + path, raw ? sqlite3_errmsg(raw) : "out of memory");
    sqlite3_close_v2(raw);
    return error;
  }
  sqlite3_extended_result_codes(raw, 1);
  return std::unique_ptr<Db>(new Db(raw));
}

Db::~Db() {
  cache_.clear();  // statements must be finalized before the connection closes
  sqlite3_close_v2(db_);
}

core::Status Db::Exec(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    auto error = ErrorFromCode(rc, text, message ? message : sqlite3_errmsg(db_));
    sqlite3_free(message);
    return error;
  }
  return {};
}

core::Status Db::Run(const std::string& sql) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.error();
  return stmt.value()->Run();
}

core::Result<Stmt*> Db::Prepare(const std::string& sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) return it->second.get();
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return ErrorFromCode(rc, "prepare " + sql, sqlite3_errmsg(db_));
  auto owned = std::make_unique<Stmt>(db_, stmt);
  Stmt* out = owned.get();
  cache_.emplace(sql, std::move(owned));
  return out;
}

core::Result<std::int64_t> Db::QueryInt(const std::string& sql) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.error();
  Stmt* s = stmt.value();
  const int rc = s->Step();
  if (rc != SQLITE_ROW) {
    auto error = ErrorFromCode(rc == SQLITE_DONE ? SQLITE_ERROR : rc, sql, sqlite3_errmsg(db_));
    s->Reset();
    return error;
  }
  const std::int64_t v = s->ColumnInt(0);
  s->Reset();
  return v;
}

core::Result<std::string> Db::QueryText(const std::string& sql) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.error();
  Stmt* s = stmt.value();
  const int rc = s->Step();
  if (rc != SQLITE_ROW) {
    auto error = ErrorFromCode(rc == SQLITE_DONE ? SQLITE_ERROR : rc, sql, sqlite3_errmsg(db_));
    s->Reset();
    return error;
  }
  std::string v = s->ColumnText(0);
  s->Reset();
  return v;
}

std::int64_t Db::Changes() const { return sqlite3_changes64(db_); }
std::int64_t Db::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
bool Db::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

core::Error Db::LastError(std::string_view what) const {
  return ErrorFromCode(sqlite3_errcode(db_), what, sqlite3_errmsg(db_));
}

}  // namespace satupintu::storage
