#include "citizens/schema.hpp"

namespace satupintu::citizens {
namespace {

// Append only: a released piece is never edited; a change is a new piece with a new version.
constexpr storage::Migration kSchema[] = {
    {3, "citizens",
     R"sql(
-- One citizen, several addresses. An address is what the adapters produce: E.164 digits for
-- a phone number (a WhatsApp wa_id and an SMS sender of one number are one address) or
-- "tg:<chat id>" for Telegram.
CREATE TABLE citizen (
  id            INTEGER PRIMARY KEY,
  created_at_ms INTEGER NOT NULL,
  language      TEXT,                              -- NULL until the citizen chooses one
  -- Set when this citizen was merged into another (a Telegram chat shared the phone number
  -- of a known citizen): it then owns no address, and ids kept elsewhere resolve through it.
  -- Always points at a citizen that is not merged itself (chains are flattened).
  merged_into   INTEGER REFERENCES citizen (id)
);
CREATE TABLE citizen_address (
  address         TEXT    PRIMARY KEY,
  citizen_id      INTEGER NOT NULL REFERENCES citizen (id),
  kind            TEXT    NOT NULL CHECK (kind IN ('phone', 'telegram')),
  created_at_ms   INTEGER NOT NULL,
  opted_out_at_ms INTEGER                          -- NULL: we may write to this address
) WITHOUT ROWID;
CREATE INDEX citizen_address_citizen ON citizen_address (citizen_id);
-- The last time an address wrote to one of our channels ("whatsapp:wa-main"): the shared
-- sender reads it for WhatsApp's 24-hour customer-service window.
CREATE TABLE address_channel (
  address            TEXT    NOT NULL REFERENCES citizen_address (address),
  channel            TEXT    NOT NULL,
  last_inbound_at_ms INTEGER NOT NULL,
  PRIMARY KEY (address, channel)
) WITHOUT ROWID;
)sql"},
};

}  // namespace

std::span<const storage::Migration> Schema() { return kSchema; }

}  // namespace satupintu::citizens
