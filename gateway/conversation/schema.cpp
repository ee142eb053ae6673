#include "conversation/schema.hpp"

namespace satupintu::conversation {
namespace {

// Append only: a released piece is never edited; a change is a new piece with a new version.
constexpr storage::Migration kSchema[] = {
    {8, "conversations",
     R"sql(
-- One row per citizen in a dialog (gateway/conversation): the engine's state as JSON, the
-- channel and address to answer on, and when its timer (reminder, expiry) falls due.
CREATE TABLE conversation (
  citizen_id    INTEGER PRIMARY KEY,
  channel       TEXT    NOT NULL,
  address       TEXT    NOT NULL,
  state         TEXT    NOT NULL,
  timer_at_ms   INTEGER,
  updated_at_ms INTEGER NOT NULL
);
CREATE INDEX conversation_timer ON conversation (timer_at_ms) WHERE timer_at_ms IS NOT NULL;
)sql"},
};

}  // namespace

std::span<const storage::Migration> Schema() { return kSchema; }

}  // namespace satupintu::conversation
