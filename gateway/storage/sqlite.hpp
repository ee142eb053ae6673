#pragma once
// Thin RAII wrapper over the SQLite C API. Errors come back as core::Error values with the
// SQLite message in `detail` and a safe message in `message`; storage exhaustion, locks and
// I/O errors map to kUnavailable so callers answer 503 and the peer retries.

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/result.hpp"

namespace satupintu::storage {

class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Bind(int index, std::int64_t value);
  Stmt& Bind(int index, std::string_view text);
  Stmt& BindBlob(int index, std::string_view bytes);
  Stmt& BindNull(int index);
  // Bind without copying: the bytes must stay valid until the statement is run and reset
  // (Run() does both). For hot paths that bind buffers they own.
  Stmt& BindTextView(int index, std::string_view text);
  Stmt& BindBlobView(int index, std::string_view bytes);

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step();
  // Steps until done; returns an error for anything but SQLITE_DONE.
  core::Status Run();
  void Reset();

  std::int64_t ColumnInt(int index) const;
  std::string ColumnText(int index) const;
  bool ColumnIsNull(int index) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Db {
 public:
  // `create` false: a missing file is an error (kUnavailable) instead of a new empty database,
  // for files another program owns (Gammu SMSD's).
  // `path` may be a "file:" URI (e.g. "?immutable=1" for a file nobody will ever write again).
  static core::Result<std::unique_ptr<Db>> Open(const std::string& path, bool read_only,
                                                bool create = true);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  core::Status Exec(std::string_view sql);
  // One statement through the connection's statement cache: for SQL run over and over
  // (transaction control on the writer's hot path), where Exec would re-parse every time.
  core::Status Run(const std::string& sql);
  // Prepared once per connection and cached; the returned statement is reset and unbound.
  core::Result<Stmt*> Prepare(const std::string& sql);
  // Runs a query returning one integer (PRAGMA, COUNT(*)).
  core::Result<std::int64_t> QueryInt(const std::string& sql);
  core::Result<std::string> QueryText(const std::string& sql);

  std::int64_t Changes() const;
  std::int64_t LastInsertId() const;
  bool InTransaction() const;
  sqlite3* raw() const { return db_; }

  // Maps the connection's last error to a core::Error; `what` says what we were doing.
  core::Error LastError(std::string_view what) const;

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::map<std::string, std::unique_ptr<Stmt>, std::less<>> cache_;
};

// Row iteration that cannot forget the reset: the statement is reset (and unbound) on every
// way out, so the connection's cache hands it to the next caller ready.
//   ForEachRow: `on_row(stmt)` for each row; it may return core::Status to stop with an error.
//   FirstRow:   `on_row(stmt)` for the first row only; true when there was one.
// A SQLite error is reported as db.LastError(what), read before the reset clears it.
template <typename OnRow>
core::Status ForEachRow(Db& db, Stmt& stmt, std::string_view what, OnRow&& on_row);
template <typename OnRow>
core::Result<bool> FirstRow(Db& db, Stmt& stmt, std::string_view what, OnRow&& on_row);

core::Error ErrorFromCode(int code, std::string_view what, std::string_view sqlite_message);

namespace internal {
struct ResetOnExit {
  Stmt& stmt;
  ~ResetOnExit() { stmt.Reset(); }
};
template <typename OnRow>
core::Status CallOnRow(OnRow& on_row, Stmt& stmt) {
  if constexpr (std::is_void_v<std::invoke_result_t<OnRow&, Stmt&>>) {
    on_row(stmt);
    return {};
  } else {
    return on_row(stmt);
  }
}
}  // namespace internal

template <typename OnRow>
core::Status ForEachRow(Db& db, Stmt& stmt, std::string_view what, OnRow&& on_row) {
  const internal::ResetOnExit reset{stmt};
  int rc = 0;
  while ((rc = stmt.Step()) == SQLITE_ROW) {
    if (auto s = internal::CallOnRow(on_row, stmt); !s.ok()) return s;
  }
  if (rc != SQLITE_DONE) return db.LastError(what);
  return {};
}

template <typename OnRow>
core::Result<bool> FirstRow(Db& db, Stmt& stmt, std::string_view what, OnRow&& on_row) {
  const internal::ResetOnExit reset{stmt};
  const int rc = stmt.Step();
  if (rc == SQLITE_ROW) {
    if (auto s = internal::CallOnRow(on_row, stmt); !s.ok()) return s.error();
    return true;
  }
  if (rc != SQLITE_DONE) return db.LastError(what);
  return false;
}

}  // namespace satupintu::storage
