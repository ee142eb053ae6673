#include "channel_log/schema.hpp"

namespace satupintu::channel_log {
namespace {

// Append only: a released piece is never edited; a change is a new piece with a new version.
constexpr storage::Migration kSchema[] = {
    {4, "channel log",
     R"sql(
-- Every HTTP exchange with a peer, redacted before it is stored; pruned by age.
CREATE TABLE channel_log (
  id              INTEGER PRIMARY KEY,
  at_ms           INTEGER NOT NULL,
  channel         TEXT    NOT NULL,
  part_key        TEXT    NOT NULL DEFAULT '',     -- our outbox part key, "" when none
  direction       TEXT    NOT NULL CHECK (direction IN ('out', 'in')),
  method          TEXT    NOT NULL,
  url             TEXT    NOT NULL,
  request_headers TEXT    NOT NULL DEFAULT '',     -- "name: value" lines
  request_body    TEXT    NOT NULL DEFAULT '',
  http_status     INTEGER,                         -- NULL: no HTTP answer (refused, timeout)
  response_body   TEXT    NOT NULL DEFAULT '',
  elapsed_ms      INTEGER NOT NULL,
  error           TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX channel_log_at ON channel_log (at_ms);
CREATE INDEX channel_log_part_key ON channel_log (part_key);
)sql"},
};

}  // namespace

std::span<const storage::Migration> Schema() { return kSchema; }

}  // namespace satupintu::channel_log
