#include "users/schema.hpp"

namespace satupintu::users {
namespace {

// Append only: a released piece is never edited; a change is a new piece with a new version.
constexpr storage::Migration kSchema[] = {
    {10, "office users and API tokens",
     R"sql(
-- Office users: facilitators, supervisors, the secretariat (gateway/users). No password or
-- phone number in clear: scrypt strings and keyed hashes only.
CREATE TABLE app_user (
  id              INTEGER PRIMARY KEY,
  username        TEXT    NOT NULL UNIQUE COLLATE NOCASE,  -- 3-32 of [a-z0-9._-]
  display_name    TEXT    NOT NULL,
  role            TEXT    NOT NULL,                 -- tickets::RoleName
  region          TEXT    NOT NULL,                 -- dotted code: "32", "32.06", "32.06.05", ...
  language        TEXT    NOT NULL DEFAULT 'id',
  password_hash   TEXT,                             -- "scrypt$..."; NULL: an SMS-only account
  phone_hash      TEXT    UNIQUE,                   -- keyed hash of the E.164 digits
  phone_masked    TEXT    NOT NULL DEFAULT '',      -- "62812****7890"
  failed_logins   INTEGER NOT NULL DEFAULT 0,
  locked_until_ms INTEGER NOT NULL DEFAULT 0,
  disabled_at_ms  INTEGER,
  created_at_ms   INTEGER NOT NULL,
  updated_at_ms   INTEGER NOT NULL
);
CREATE INDEX app_user_region ON app_user (region);
-- Bearer tokens as SHA-256 of the token: a copy of the database lets nobody in.
CREATE TABLE api_token (
  token_hash      BLOB    PRIMARY KEY,
  user_id         INTEGER NOT NULL REFERENCES app_user (id),
  created_at_ms   INTEGER NOT NULL,
  expires_at_ms   INTEGER NOT NULL,
  last_used_at_ms INTEGER NOT NULL,
  revoked_at_ms   INTEGER,
  label           TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX api_token_user ON api_token (user_id);
)sql"},
    {17, "a programme manager's programme",
     R"sql(
-- The catalogue id a programme_manager answers for (tickets::Actor::programme); '' for every
-- other role.
ALTER TABLE app_user ADD COLUMN programme TEXT NOT NULL DEFAULT '';
)sql"},
};

}  // namespace

std::span<const storage::Migration> Schema() { return kSchema; }

}  // namespace satupintu::users
