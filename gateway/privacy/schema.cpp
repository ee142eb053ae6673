#include "privacy/schema.hpp"

namespace satupintu::privacy {
namespace {

// Append only: a released piece is never edited; a change is a new piece with a new version.
constexpr storage::Migration kSchema[] = {
    {18, "retention purge progress",
     R"sql(
-- How far the purge pass (gateway/privacy/purge.hpp) has walked a table by id, per class:
-- "outbox_text" (every message up to last_id is done), "citizen" (where the next sweep of the
-- citizens goes on; it wraps to 0 at the end).
CREATE TABLE privacy_progress (
  class   TEXT    PRIMARY KEY,
  last_id INTEGER NOT NULL
) WITHOUT ROWID;
-- Deleting a citizen deletes the citizens merged into it first (their merged_into refers to
-- it): this finds them without reading the whole table. Few rows: merges are rare.
CREATE INDEX privacy_citizen_merged ON citizen (merged_into) WHERE merged_into IS NOT NULL;
)sql"},
};

}  // namespace

std::span<const storage::Migration> Schema() { return kSchema; }

}  // namespace satupintu::privacy
