#include "storage/migrations.hpp"

#include <chrono>
#include <string>

namespace satupintu::storage {
namespace {

constexpr Migration kMigrations[] = {
    {1, "inbound journal",
     R"sql(
CREATE TABLE inbound_journal (
  id             INTEGER PRIMARY KEY,
  channel        TEXT    NOT NULL,
  provider_id    TEXT    NOT NULL,
  received_at_ms INTEGER NOT NULL,
  request_id     TEXT    NOT NULL,
  payload        BLOB    NOT NULL,
  -- No index on state: every index costs each insert on the hottest write path. Consumers
  -- walk the journal by id (a cursor), which the primary key already orders.
  state          TEXT    NOT NULL DEFAULT 'new',
  UNIQUE (channel, provider_id)
);
CREATE TABLE store_heartbeat (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  at_ms      INTEGER NOT NULL
);
INSERT INTO store_heartbeat (id, at_ms) VALUES (1, 0);
)sql"},
    {2, "outbox",
     R"sql(
CREATE TABLE outbox_message (
  id            INTEGER PRIMARY KEY,
  message_key   TEXT    NOT NULL UNIQUE,  -- idempotency key of the logical message
  channel       TEXT    NOT NULL,
  address       TEXT    NOT NULL,
  priority      INTEGER NOT NULL,         -- 0 reply to a citizen, 1 notification, 2 bulk
  in_flight_policy TEXT NOT NULL,         -- after a crash: 'resend' or 'hold'
  body          TEXT    NOT NULL,         -- the OutboundMessage as JSON (choices, template)
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL          -- transient failures retry until then
);
CREATE TABLE outbox_part (
  id                  INTEGER PRIMARY KEY,
  message_id          INTEGER NOT NULL REFERENCES outbox_message (id),
  seq                 INTEGER NOT NULL,
  total               INTEGER NOT NULL,
  part_key            TEXT    NOT NULL UNIQUE,  -- "<message_key>.<seq>": idempotency key sent to peers
  text                TEXT    NOT NULL,
  state               TEXT    NOT NULL,
  attempts            INTEGER NOT NULL DEFAULT 0,
  next_attempt_at_ms  INTEGER NOT NULL,
  provider_message_id TEXT,
  last_error          TEXT,
  updated_at_ms       INTEGER NOT NULL,
  UNIQUE (message_id, seq)
);
-- Only queued parts are looked for by due time; the partial index stays small.
CREATE INDEX outbox_part_due ON outbox_part (next_attempt_at_ms) WHERE state = 'queued';
CREATE INDEX outbox_part_in_flight ON outbox_part (id) WHERE state = 'in_flight';
CREATE INDEX outbox_part_provider ON outbox_part (provider_message_id)
  WHERE provider_message_id IS NOT NULL;
)sql"},
};

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

core::Result<int> ApplyMigrations(Db& db, std::span<const Migration> migrations) {
  if (auto s = db.Exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms INTEGER NOT NULL)");
      !s.ok()) {
    return s.error();
  }
  auto current = db.QueryInt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!current.ok()) return current.error();
  int version = static_cast<int>(current.value());
  const int known = migrations.empty() ? 0 : migrations.back().version;
  if (version > known) {
    return core::MakeError(core::ErrorCode::kInternal,
                           "database schema version " + std::to_string(version) +
                               " is newer than this binary knows (" + std::to_string(known) +
                               "); refusing to start");
  }
  for (const auto& m : migrations) {
    if (m.version <= version) continue;
    if (auto s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s.error();
    core::Status applied = db.Exec(m.sql);
    if (applied.ok()) {
      auto stmt = db.Prepare(
          "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)");
      if (!stmt.ok()) {
        applied = stmt.error();
      } else {
        applied =
            stmt.value()->Bind(1, std::int64_t{m.version}).Bind(2, m.name).Bind(3, NowMs()).Run();
      }
    }
    if (applied.ok()) applied = db.Exec("COMMIT");
    if (!applied.ok()) {
      (void)db.Exec("ROLLBACK");
      auto e = applied.error();
      e.message = "migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                  ") failed: " + e.message;
      return e;
    }
    version = m.version;
  }
  return version;
}

}  // namespace satupintu::storage
