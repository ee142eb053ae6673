#include "outbox/schema.hpp"

namespace satupintu::outbox {
namespace {

// Append only: a released piece is never edited; a change is a new piece with a new version.
constexpr storage::Migration kSchema[] = {
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
    {5, "outbox claim index",
     R"sql(
-- The claim query walks queued parts of one channel in priority and due order; carrying
-- channel and priority on the part lets an index answer it without sorting the backlog.
ALTER TABLE outbox_part ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox_part ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
UPDATE outbox_part SET
  channel = (SELECT channel FROM outbox_message m WHERE m.id = outbox_part.message_id),
  priority = (SELECT priority FROM outbox_message m WHERE m.id = outbox_part.message_id);
DROP INDEX outbox_part_due;
CREATE INDEX outbox_part_due ON outbox_part (channel, priority, next_attempt_at_ms, id)
  WHERE state = 'queued';
)sql"},
    {15, "provider statuses that arrive before the send's answer is recorded",
     R"sql(
-- A WhatsApp status names the wamid, which the part holds only once the send's answer is
-- recorded; a status that overtakes it waits here and is applied when the answer lands
-- (outbox/outbox_store.cpp). Rows for ids that never become ours are dropped after a day.
CREATE TABLE outbox_early_status (
  channel             TEXT NOT NULL,
  provider_message_id TEXT NOT NULL,
  status              INTEGER NOT NULL,
  error               TEXT NOT NULL,
  at_ms               INTEGER NOT NULL,
  PRIMARY KEY (channel, provider_message_id, status)
) WITHOUT ROWID;
CREATE INDEX outbox_early_status_age ON outbox_early_status (at_ms);
)sql"},
    {16, "nothing waits on the terminal's chat channels",
     R"sql(
-- `satupintu chat` on a gateway's store queued notices and reminders for its tickets on
-- "<kind>:chat", a channel no gateway has: they waited forever. Compose no longer queues them
-- (compose::IsChatChannel); those already there end as failed.
UPDATE outbox_part SET state = 'failed', last_error = 'the terminal chat has no channel'
WHERE state = 'queued'
  AND message_id IN (SELECT id FROM outbox_message WHERE channel LIKE '%:chat');
)sql"},
};

}  // namespace

std::span<const storage::Migration> Schema() { return kSchema; }

}  // namespace satupintu::outbox
