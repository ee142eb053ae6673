#include "subject/schema.hpp"

namespace satupintu::subject {
namespace {

// Append only: a released piece is never edited; a change is a new piece with a new version.
constexpr storage::Migration kSchema[] = {
    {18, "restriction of a citizen's processing",
     R"sql(
-- A citizen asked that their data be no longer processed (UU 27/2022, within 3x24 hours of the
-- request): while a row has no lifted_at_ms, the dialogs answer them only with the locale
-- message privacy.restricted and nothing else is sent to them (subject/restriction.hpp).
-- Who (the audit actor, and who handled the request) and why stay after the lifting.
CREATE TABLE subject_restriction (
  id              INTEGER PRIMARY KEY,
  citizen_id      INTEGER NOT NULL,
  restricted_at_ms INTEGER NOT NULL,
  restricted_by   TEXT    NOT NULL,
  reason          TEXT    NOT NULL DEFAULT '',
  lifted_at_ms    INTEGER,
  lifted_by       TEXT    NOT NULL DEFAULT ''
);
-- At most one restriction in force per citizen; the check on every inbound turn reads it.
CREATE UNIQUE INDEX subject_restriction_active ON subject_restriction (citizen_id)
  WHERE lifted_at_ms IS NULL;
)sql"},
};

}  // namespace

std::span<const storage::Migration> Schema() { return kSchema; }

}  // namespace satupintu::subject
