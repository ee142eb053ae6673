#include "broadcast/schema.hpp"

namespace satupintu::broadcast {
namespace {

// Append only: a released piece is never edited; a change is a new piece with a new version.
constexpr storage::Migration kSchema[] = {
    {19, "broadcasts",
     R"sql(
-- One broadcast of the social office (gateway/broadcast/broadcast_store.hpp). `revision` grows
-- with every edit: an approval names the revision its approver previewed.
CREATE TABLE broadcast (
  id             INTEGER PRIMARY KEY,
  region         TEXT    NOT NULL,           -- dotted code the audience lies within
  title          TEXT    NOT NULL,
  texts          TEXT    NOT NULL,           -- {"id": "<ICU message>", "en": ...}
  audience       TEXT    NOT NULL,           -- the filter as JSON (broadcast_store.hpp)
  window_start   INTEGER NOT NULL,           -- minutes after local midnight
  window_end     INTEGER NOT NULL,
  start_at_ms    INTEGER NOT NULL DEFAULT 0, -- 0: as soon as approved
  state          TEXT    NOT NULL,           -- draft approved planning sending paused done cancelled
  revision       INTEGER NOT NULL DEFAULT 1,
  author         INTEGER NOT NULL,
  approver       INTEGER NOT NULL DEFAULT 0,
  preview        TEXT    NOT NULL DEFAULT '', -- the last preview as JSON, of `preview_revision`
  preview_revision INTEGER NOT NULL DEFAULT 0,
  round          INTEGER NOT NULL DEFAULT 0,  -- resends to the failed
  created_at_ms  INTEGER NOT NULL,
  updated_at_ms  INTEGER NOT NULL,
  approved_at_ms INTEGER NOT NULL DEFAULT 0,
  finished_at_ms INTEGER NOT NULL DEFAULT 0,
  planned_at_ms  INTEGER NOT NULL DEFAULT 0  -- every household has its row
);
CREATE INDEX broadcast_active ON broadcast (state) WHERE state IN ('approved', 'planning', 'sending');
-- One row per household: the PRIMARY KEY is what makes a household in two groups, or a plan
-- run again after a crash, one recipient. `household`: "kk:<key>", "citizen:<id>" or
-- "phone:<digits>". Excluded households keep their reason and no address.
CREATE TABLE broadcast_recipient (
  id            INTEGER PRIMARY KEY,
  broadcast_id  INTEGER NOT NULL REFERENCES broadcast (id),
  household     TEXT    NOT NULL,
  citizen_id    INTEGER NOT NULL DEFAULT 0,
  address       TEXT    NOT NULL DEFAULT '',
  channel       TEXT    NOT NULL DEFAULT '',
  template      INTEGER NOT NULL DEFAULT 0,  -- WhatsApp outside the window: by the template
  zone          INTEGER NOT NULL DEFAULT 0,  -- 0 WIB, 1 WITA, 2 WIT
  village_code  TEXT    NOT NULL DEFAULT '',
  language      TEXT    NOT NULL DEFAULT 'id',
  first_name    TEXT    NOT NULL DEFAULT '',
  ticket_code   TEXT    NOT NULL DEFAULT '',
  state         TEXT    NOT NULL,            -- planned queued excluded cancelled
  reason        TEXT    NOT NULL DEFAULT '', -- excluded: opted_out restricted unreachable ...
  message_key   TEXT    NOT NULL DEFAULT '', -- the outbox message once queued
  round         INTEGER NOT NULL DEFAULT 0,
  UNIQUE (broadcast_id, household)
);
CREATE INDEX broadcast_recipient_next ON broadcast_recipient (broadcast_id, state, channel, zone, id);
-- Phone numbers uploaded for a broadcast's audience (a CSV), already normalised to 62...
CREATE TABLE broadcast_upload (
  broadcast_id INTEGER NOT NULL REFERENCES broadcast (id),
  address      TEXT    NOT NULL,
  PRIMARY KEY (broadcast_id, address)
) WITHOUT ROWID;
)sql"},
};

}  // namespace

std::span<const storage::Migration> Schema() { return kSchema; }

}  // namespace satupintu::broadcast
