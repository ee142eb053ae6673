#pragma once
// Office users: facilitators, supervisors and the secretariat, each with a role and a region
// (tickets::Actor), a password for the web page and the API (or none: an SMS-only account),
// and optionally a phone from which they act by SMS. Nothing secret is stored in clear:
// passwords as scrypt strings (password.hpp), phones as HMAC-SHA-256 under the users key
// (`users.key_file`) plus a masked form for display, API tokens as their SHA-256.
//
// Every function runs on the Db& of a job the caller hands to storage::Store, like
// gateway/citizens: none opens a transaction. Functions that hash a password (Create with a
// password, SetPassword, Login) spend one scrypt (32 MiB, ~0.2 s of a core) inside that job; the
// gateway should log in with the three phases below so the scrypt runs off the writer thread.
// Error messages never contain a password, token or phone number.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "storage/sqlite.hpp"
#include "tickets/workflow.hpp"
#include "users/password.hpp"

namespace satupintu::users {

struct User {
  std::int64_t id = 0;
  std::string username;  // lower case
  std::string display_name;
  tickets::Role role = tickets::Role::kViewer;
  std::string region;  // "32", "32.06", "32.06.05" or "32.06.05.2002"
  std::string language = "id";
  std::string programme;      // programme_manager: the catalogue id they answer for, else ""
  bool has_password = false;  // false: an SMS-only account, it cannot log in
  std::string phone_masked;   // "62812****7890"; empty without a phone
  std::int64_t failed_logins = 0;
  std::int64_t locked_until_ms = 0;
  std::int64_t disabled_at_ms = 0;  // 0: active
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  bool disabled() const { return disabled_at_ms != 0; }
};

struct NewUser {
  std::string username;      // 3-32 of [a-z0-9._-] (upper case is lowered)
  std::string display_name;  // 1-100 bytes, no control characters
  std::string role;          // tickets::RoleName: "facilitator", "supervisor", ...
  std::string region;        // a dotted region code of any level
  std::string language = "id";
  std::string password;  // empty: an SMS-only account; else CheckPasswordPolicy applies
  std::string phone;     // E.164 digits ("6281234567890") or empty
  // A programme_manager's programme: an active programme of the catalogue (required for that
  // role, refused for every other).
  std::string programme = {};
};

// kInvalidArgument naming the field for a bad username, name, role, region, language,
// password, phone or programme; kConflict when the username or the phone belongs to another
// user.
// `key` (the users key) is needed only with a phone.
core::Result<User> Create(storage::Db& db, const NewUser& user, std::string_view key,
                          std::int64_t now_ms);
// nullopt when unknown (case-insensitive).
core::Result<std::optional<User>> FindByUsername(storage::Db& db, std::string_view username);
core::Result<std::optional<User>> Get(storage::Db& db, std::int64_t id);
// The users whose region lies within `region` (tickets::RegionContains): a kecamatan
// supervisor sees the kecamatan's facilitators, never another kecamatan's. Disabled users
// included. Ordered by region, then username.
core::Result<std::vector<User>> List(storage::Db& db, std::string_view region);
// The users `caller` may see: administrators and managers list those within their own region
// (List); anyone else is refused (kPermissionDenied).
core::Result<std::vector<User>> ListFor(storage::Db& db, const User& caller);
// Create on behalf of `creator`: only an administrator, and only within their own region
// (kPermissionDenied otherwise); then as Create.
core::Result<User> CreateBy(storage::Db& db, const User& creator, const NewUser& user,
                            std::string_view key, std::int64_t now_ms);
// Every user, for the administrator's command line (no scope: never behind the API).
core::Result<std::vector<User>> ListAll(storage::Db& db);

// Applies the policy, stores a new hash, clears the lockout and revokes every token of the
// user. kNotFound for an unknown id.
core::Status SetPassword(storage::Db& db, std::int64_t user_id, std::string_view password,
                         std::int64_t now_ms);
// Disables the user (kept for the history: tickets name their actors) and revokes every token.
core::Status Disable(storage::Db& db, std::int64_t user_id, std::int64_t now_ms);
// `phone`: E.164 digits, or empty to remove the phone. kConflict when another user has it.
core::Status SetPhone(storage::Db& db, std::string_view key, std::int64_t user_id,
                      std::string_view phone, std::int64_t now_ms);
// The active user whose phone is `address` (E.164 digits, as the SMS adapters give it), for
// facilitators' SMS commands; nullopt for an unknown number or a disabled user.
core::Result<std::optional<User>> ByPhone(storage::Db& db, std::string_view key,
                                          std::string_view address);

tickets::Actor ActorOf(const User& user);

// "62812****7890": the first 5 and last 4 digits of 11 or more, else core::MaskDigits.
std::string MaskPhone(std::string_view digits);

// --- Login ---------------------------------------------------------------------------------

// Why a login ended. The client sees one answer for every refusal (LoginRefused());
// the outcome is for the audit log.
enum class LoginOutcome : std::uint8_t {
  kOk,
  kUnknownUser,
  kWrongPassword,
  kLocked,  // too many failures; locked until locked_until_ms
  kDisabled,
  kNoPassword,  // an SMS-only account
};
const char* LoginOutcomeName(LoginOutcome outcome);  // "ok", "unknown_user", ...

// kUnauthenticated "wrong username or password".
core::Error LoginRefused();

struct LoginPolicy {
  int lockout_after_failures = 5;                  // consecutive failures that lock the account
  std::int64_t lockout_ms = 15LL * 60 * 1000;      // for this long
  std::int64_t token_ttl_ms = 12LL * 3600 * 1000;  // tokens expire this long after the login
  ScryptParams scrypt;                             // hashes weaker than this are renewed at login
};

struct Session {
  std::string token;  // "sp_" + 43 base64url characters; shown once, stored as its SHA-256
  std::int64_t expires_at_ms = 0;
  User user;
};

struct LoginResult {
  LoginOutcome outcome = LoginOutcome::kUnknownUser;
  Session session;           // token empty unless kOk
  std::int64_t user_id = 0;  // the account tried, 0 when unknown (audit)
};

// Login in three phases so the scrypt runs outside any store job:
//  1. FindLoginCandidate in a read job,
//  2. CheckPassword on any thread (spends one scrypt even for an unknown user, so the answer
//     takes as long whether the user exists or not),
//  3. FinishLogin in a write job: re-reads the account (disabled, locked, password changed
//     meanwhile), counts a failure (lockout_after_failures lock it for lockout_ms), or clears
//     the count, renews a weak hash and issues a token.
struct LoginCandidate {
  std::int64_t user_id = 0;  // 0: no such user
  std::string password_hash;
};
core::Result<LoginCandidate> FindLoginCandidate(storage::Db& db, std::string_view username);

struct PasswordCheck {
  bool matches = false;
  std::string rehash;  // a new hash when the stored one is weaker than the policy's
};
PasswordCheck CheckPassword(const LoginCandidate& candidate, std::string_view password,
                            const ScryptParams& current = {});

core::Result<LoginResult> FinishLogin(storage::Db& db, const LoginCandidate& candidate,
                                      const PasswordCheck& check, std::int64_t now_ms,
                                      const LoginPolicy& policy = {});

// The three phases on one connection (the CLI, tests).
core::Result<LoginResult> Login(storage::Db& db, std::string_view username,
                                std::string_view password, std::int64_t now_ms,
                                const LoginPolicy& policy = {});

// --- API tokens ----------------------------------------------------------------------------

// A new token for `user_id`, valid for `ttl_ms`. `label` says what it is for ("web", "cli").
// The user's tokens that expired or were revoked over a day before are deleted.
core::Result<Session> IssueToken(storage::Db& db, const User& user, std::int64_t now_ms,
                                 std::int64_t ttl_ms, std::string_view label);

// SHA-256 of a token (32 raw bytes): what api_token stores; its hex prefix keys rate limits.
std::string TokenHash(std::string_view token);

struct Authenticated {
  User user;
  std::string token_hash;  // TokenHash(token)
  std::int64_t expires_at_ms = 0;
  bool touch_due = false;  // last_used_at_ms is a minute old or more: call Touch
};

// The user a bearer token stands for. Read-only, so it can run in a read job. One answer,
// kUnauthenticated "invalid or expired token", for a malformed, unknown, expired or revoked
// token and a disabled user.
core::Result<Authenticated> Authenticate(storage::Db& db, std::string_view token,
                                         std::int64_t now_ms);
// Records the token's use (a write job; Authenticate says when it is due: once a minute).
core::Status Touch(storage::Db& db, std::string_view token_hash, std::int64_t now_ms);
// Logging out. Revoking an unknown or revoked token does nothing.
core::Status Revoke(storage::Db& db, std::string_view token, std::int64_t now_ms);
// Every live token of the user (disable, password change).
core::Status RevokeAllOf(storage::Db& db, std::int64_t user_id, std::int64_t now_ms);

}  // namespace satupintu::users
