#include "registry/schema.hpp"

namespace satupintu::registry {
namespace {

// Append only: a released piece is never edited; a change is a new piece with a new version.
constexpr storage::Migration kSchema[] = {
    {7, "registry snapshots",
     R"sql(
-- Registry snapshots live in their own SQLite files (gateway/registry); this table says which
-- one is in force. An import adds a 'building' row, builds its file apart, and flips it to
-- 'current' (the previous one to 'retired') in one transaction.
CREATE TABLE registry_snapshot (
  id              INTEGER PRIMARY KEY,
  file            TEXT    NOT NULL,
  state           TEXT    NOT NULL,  -- building, current, retired, failed
  format          TEXT    NOT NULL,
  source_name     TEXT    NOT NULL,  -- the input's file name, not its path
  snapshot_date   TEXT    NOT NULL,
  key_fingerprint TEXT    NOT NULL,
  rows            INTEGER NOT NULL DEFAULT 0,
  rejected        INTEGER NOT NULL DEFAULT 0,
  duplicates      INTEGER NOT NULL DEFAULT 0,
  started_at_ms   INTEGER NOT NULL,
  finished_at_ms  INTEGER
);
CREATE UNIQUE INDEX registry_snapshot_one_current ON registry_snapshot (state)
  WHERE state = 'current';

-- Citizen registry checks per citizen and per phone number (keyed hash), for the limits.
CREATE TABLE lookup_quota (
  key   TEXT    NOT NULL,
  at_ms INTEGER NOT NULL
);
CREATE INDEX lookup_quota_key ON lookup_quota (key, at_ms);
)sql"},
};

}  // namespace

std::span<const storage::Migration> Schema() { return kSchema; }

}  // namespace satupintu::registry
