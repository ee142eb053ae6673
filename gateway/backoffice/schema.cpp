#include "backoffice/schema.hpp"

namespace satupintu::backoffice {
namespace {

// Append only: a released piece is never edited; a change is a new piece with a new version.
constexpr storage::Migration kSchema[] = {
    {12, "surveys waiting for a citizen to finish a dialog",
     R"sql(
-- A ticket closed while its citizen was in the middle of a dialog: the satisfaction survey
-- starts once they are idle (gateway/backoffice/case_service.hpp), tried again on the
-- dispatcher's passes until `expires_at_ms`.
CREATE TABLE pending_survey (
  ticket_id     INTEGER PRIMARY KEY REFERENCES ticket (id),
  citizen_id    INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  next_try_ms   INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL
);
CREATE INDEX pending_survey_due ON pending_survey (next_try_ms);
)sql"},
};

}  // namespace

std::span<const storage::Migration> Schema() { return kSchema; }

}  // namespace satupintu::backoffice
