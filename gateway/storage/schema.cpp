#include "storage/schema.hpp"

namespace satupintu::storage {
namespace {

// Append only: a released piece is never edited; a change is a new piece with a new version.
constexpr storage::Migration kSchema[] = {
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
    {5, "inbound cursor",
     R"sql(
-- How far each consumer of the inbound journal has read (consumers walk it by id).
CREATE TABLE journal_cursor (
  consumer TEXT PRIMARY KEY,
  last_id  INTEGER NOT NULL
) WITHOUT ROWID;
)sql"},
};

}  // namespace

std::span<const storage::Migration> Schema() { return kSchema; }

}  // namespace satupintu::storage
