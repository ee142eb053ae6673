#include "users/users.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "citizens/citizens.hpp"
#include "core/hex.hpp"
#include "core/redact.hpp"
#include "regions/region.hpp"
#include "tickets/catalogue.hpp"
#include "users/codec.hpp"

namespace satupintu::users {
namespace {

using core::ErrorCode;
using core::MakeError;
using storage::Db;
using storage::Stmt;

constexpr char kTokenPrefix[] = "sp_";
constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kTokenLength = 3 + 43;  // prefix + base64url of 32 bytes
constexpr std::int64_t kTouchEveryMs = 60'000;
constexpr std::int64_t kEndedTokenKeepMs = 24 * 3'600'000LL;

constexpr char kUserColumns[] =
    "SELECT id, username, display_name, role, region, language, COALESCE(password_hash, ''),"
    " phone_masked, failed_logins, locked_until_ms, COALESCE(disabled_at_ms, 0),"
    " created_at_ms, updated_at_ms, programme FROM app_user ";

// A user with what never leaves this file.
struct Row {
  User user;
  std::string password_hash;
};

template <typename Bind>
core::Result<std::vector<Row>> QueryUsers(Db& db, const std::string& where, Bind bind) {
  auto stmt = db.Prepare(kUserColumns + where);
  if (!stmt.ok()) return stmt.error();
  Stmt* q = stmt.value();
  bind(*q);
  std::vector<Row> rows;
  int rc = SQLITE_ROW;
  while ((rc = q->Step()) == SQLITE_ROW) {
    Row row;
    User& u = row.user;
    u.id = q->ColumnInt(0);
    u.username = q->ColumnText(1);
    u.display_name = q->ColumnText(2);
    const auto role = tickets::RoleFromName(q->ColumnText(3));
    if (!role.has_value()) {
      q->Reset();
      return MakeError(ErrorCode::kInternal, "a user has an unknown role",
                       "app_user " + std::to_string(u.id));
    }
    u.role = role.value();
    u.region = q->ColumnText(4);
    u.language = q->ColumnText(5);
    row.password_hash = q->ColumnText(6);
    u.has_password = !row.password_hash.empty();
    u.phone_masked = q->ColumnText(7);
    u.failed_logins = q->ColumnInt(8);
    u.locked_until_ms = q->ColumnInt(9);
    u.disabled_at_ms = q->ColumnInt(10);
    u.created_at_ms = q->ColumnInt(11);
    u.updated_at_ms = q->ColumnInt(12);
    u.programme = q->ColumnText(13);
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) {
    auto error = db.LastError("reading users");
    q->Reset();
    return error;
  }
  q->Reset();
  return rows;
}

template <typename Bind>
core::Result<std::optional<Row>> OneRow(Db& db, const std::string& where, Bind bind) {
  auto rows = QueryUsers(db, where, bind);
  if (!rows.ok()) return rows.error();
  if (rows.value().empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows.value().front()));
}

core::Result<std::optional<Row>> RowById(Db& db, std::int64_t id) {
  return OneRow(db, "WHERE id = ?", [id](Stmt& q) { q.Bind(1, id); });
}

template <typename Bind>
core::Status Update(Db& db, const std::string& sql, Bind bind) {
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.error();
  bind(*stmt.value());
  return stmt.value()->Run();
}

core::Result<std::optional<User>> UserOf(core::Result<std::optional<Row>> row) {
  if (!row.ok()) return row.error();
  if (!row.value().has_value()) return std::optional<User>();
  return std::optional<User>(std::move(row.value().value().user));
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool ValidUsername(std::string_view name) {
  if (name.size() < 3 || name.size() > 32) return false;
  for (const char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool ValidDisplayName(std::string_view name) {
  if (name.empty() || name.size() > 100) return false;
  for (const char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

// A language code the catalog can look up ("id", "en", "jv", "su"); unknown ones fall back
// to Indonesian there.
bool ValidLanguage(std::string_view lang) {
  if (lang.size() < 2 || lang.size() > 3) return false;
  for (const char c : lang) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

core::Status CheckPhone(std::string_view phone) {
  if (citizens::KindOf(phone) != citizens::AddressKind::kPhone) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "phone: not an E.164 number (digits with the country code, no '+')");
  }
  return {};
}

// HMAC-SHA-256 under the users key, hex: equal numbers give equal hashes, and the table alone
// does not give the numbers back (8-12 digit numbers are trivial to enumerate without a key).
core::Result<std::string> PhoneHash(std::string_view key, std::string_view digits) {
  if (key.size() < 16) {
    return MakeError(ErrorCode::kInvalidArgument, "users key: shorter than 16 bytes");
  }
  const std::string message = "phone:" + std::string(digits);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), out,
           &n) == nullptr) {
    return MakeError(ErrorCode::kInternal, "phone hash failed");
  }
  return core::HexLower({reinterpret_cast<const char*>(out), n});
}

core::Status PhoneFree(Db& db, const std::string& hash, std::int64_t except_id) {
  auto owner = OneRow(db, "WHERE phone_hash = ? AND id != ?",
                      [&](Stmt& q) { q.Bind(1, hash).Bind(2, except_id); });
  if (!owner.ok()) return owner.error();
  if (owner.value().has_value()) {
    return MakeError(ErrorCode::kConflict, "phone: another user has this number");
  }
  return {};
}

bool WellFormedToken(std::string_view token) {
  if (token.size() != kTokenLength || !token.starts_with(kTokenPrefix)) return false;
  for (const char c : token.substr(3)) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// A programme manager's programme: an active one of the catalogue (tickets/catalogue.hpp).
core::Status CheckProgramme(Db& db, const std::string& programme) {
  if (programme.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "programme: a programme_manager needs the catalogue id of their programme");
  }
  auto found = tickets::FindProgramme(db, programme);
  if (!found.ok()) return found.error();
  if (!found.value().has_value() || !found.value()->active) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "programme: not an active programme of the catalogue");
  }
  return {};
}

core::Error TokenRefused() {
  return MakeError(ErrorCode::kUnauthenticated, "invalid or expired token");
}

}  // namespace

// ------------------------------------------------------------------------------------------

core::Result<User> Create(Db& db, const NewUser& user, std::string_view key, std::int64_t now_ms) {
  const std::string username = LowerAscii(user.username);
  if (!ValidUsername(username)) {
    return MakeError(ErrorCode::kInvalidArgument, "username: 3-32 of a-z, 0-9, '.', '_', '-'");
  }
  if (!ValidDisplayName(user.display_name)) {
    return MakeError(ErrorCode::kInvalidArgument, "name: 1-100 bytes without control characters");
  }
  const auto role = tickets::RoleFromName(user.role);
  if (!role.has_value()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "role: one of admin, manager, front_office, back_office, supervisor, "
                     "facilitator, broadcaster, viewer, programme_manager");
  }
  if (role.value() == tickets::Role::kProgrammeManager) {
    if (auto s = CheckProgramme(db, user.programme); !s.ok()) return s.error();
  } else if (!user.programme.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "programme: only a programme_manager is bound to a programme");
  }
  if (!regions::LevelOfCode(user.region).has_value()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "region: a dotted region code (32, 32.06, 32.06.05 or 32.06.05.2002)");
  }
  if (!ValidLanguage(user.language)) {
    return MakeError(ErrorCode::kInvalidArgument, "language: a code such as id, en, jv or su");
  }
  std::string password_hash;
  if (!user.password.empty()) {
    if (auto s = CheckPasswordPolicy(user.password, username); !s.ok()) {
      auto e = s.error();
      e.message = "password: " + e.message;
      return e;
    }
  }
  std::string phone_hash;
  if (!user.phone.empty()) {
    if (auto s = CheckPhone(user.phone); !s.ok()) return s.error();
    auto hash = PhoneHash(key, user.phone);
    if (!hash.ok()) return hash.error();
    phone_hash = std::move(hash.value());
    if (auto s = PhoneFree(db, phone_hash, 0); !s.ok()) return s.error();
  }
  auto taken = FindByUsername(db, username);
  if (!taken.ok()) return taken.error();
  if (taken.value().has_value()) {
    return MakeError(ErrorCode::kConflict, "username: already taken");
  }
  if (!user.password.empty()) {
    auto hash = HashPassword(user.password);
    if (!hash.ok()) return hash.error();
    password_hash = std::move(hash.value());
  }
  auto inserted = Update(
      db,
      "INSERT INTO app_user (username, display_name, role, region, language, password_hash,"
      " phone_hash, phone_masked, created_at_ms, updated_at_ms, programme) VALUES (?, ?, ?, ?,"
      " ?, ?, ?, ?, ?, ?, ?)",
      [&](Stmt& q) {
        q.Bind(1, username).Bind(2, user.display_name).Bind(3, user.role).Bind(4, user.region);
        q.Bind(5, user.language);
        if (password_hash.empty()) {
          q.BindNull(6);
        } else {
          q.Bind(6, password_hash);
        }
        if (phone_hash.empty()) {
          q.BindNull(7);
        } else {
          q.Bind(7, phone_hash);
        }
        q.Bind(8, user.phone.empty() ? std::string() : MaskPhone(user.phone));
        q.Bind(9, now_ms).Bind(10, now_ms).Bind(11, user.programme);
      });
  if (!inserted.ok()) return inserted.error();
  auto created = Get(db, db.LastInsertId());
  if (!created.ok()) return created.error();
  if (!created.value().has_value()) {
    return MakeError(ErrorCode::kInternal, "the new user was not found");
  }
  return std::move(created.value().value());
}

core::Result<std::optional<User>> FindByUsername(Db& db, std::string_view username) {
  return UserOf(OneRow(db, "WHERE username = ?", [&](Stmt& q) { q.Bind(1, username); }));
}

core::Result<std::optional<User>> Get(Db& db, std::int64_t id) { return UserOf(RowById(db, id)); }

core::Result<std::vector<User>> List(Db& db, std::string_view region) {
  std::vector<User> out;
  if (region.empty()) return out;
  // region itself, or codes below it: "32.06." < code < "32.06/" ('/' follows '.').
  const std::string r(region);
  auto rows = QueryUsers(db,
                         "WHERE region = ?1 OR (region > ?2 AND region < ?3)"
                         " ORDER BY region, username",
                         [&](Stmt& q) { q.Bind(1, r).Bind(2, r + ".").Bind(3, r + "/"); });
  if (!rows.ok()) return rows.error();
  for (auto& row : rows.value()) {
    // The range is a prefilter; the workflow's rule decides.
    if (tickets::RegionContains(region, row.user.region)) out.push_back(std::move(row.user));
  }
  return out;
}

core::Result<std::vector<User>> ListAll(Db& db) {
  auto rows = QueryUsers(db, "ORDER BY region, username", [](Stmt&) {});
  if (!rows.ok()) return rows.error();
  std::vector<User> out;
  for (auto& row : rows.value()) out.push_back(std::move(row.user));
  return out;
}

core::Status SetPassword(Db& db, std::int64_t user_id, std::string_view password,
                         std::int64_t now_ms) {
  auto row = RowById(db, user_id);
  if (!row.ok()) return row.error();
  if (!row.value().has_value()) return MakeError(ErrorCode::kNotFound, "no such user");
  if (auto s = CheckPasswordPolicy(password, row.value().value().user.username); !s.ok()) {
    return s;
  }
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.error();
  auto updated = Update(db,
                        "UPDATE app_user SET password_hash = ?, failed_logins = 0,"
                        " locked_until_ms = 0, updated_at_ms = ? WHERE id = ?",
                        [&](Stmt& q) { q.Bind(1, hash.value()).Bind(2, now_ms).Bind(3, user_id); });
  if (!updated.ok()) return updated;
  return RevokeAllOf(db, user_id, now_ms);
}

core::Status Disable(Db& db, std::int64_t user_id, std::int64_t now_ms) {
  auto updated = Update(db,
                        "UPDATE app_user SET disabled_at_ms = COALESCE(disabled_at_ms, ?),"
                        " updated_at_ms = ? WHERE id = ?",
                        [&](Stmt& q) { q.Bind(1, now_ms).Bind(2, now_ms).Bind(3, user_id); });
  if (!updated.ok()) return updated;
  if (db.Changes() == 0) return MakeError(ErrorCode::kNotFound, "no such user");
  return RevokeAllOf(db, user_id, now_ms);
}

core::Status SetPhone(Db& db, std::string_view key, std::int64_t user_id, std::string_view phone,
                      std::int64_t now_ms) {
  std::string hash;
  if (!phone.empty()) {
    if (auto s = CheckPhone(phone); !s.ok()) return s;
    auto h = PhoneHash(key, phone);
    if (!h.ok()) return h.error();
    hash = std::move(h.value());
    if (auto s = PhoneFree(db, hash, user_id); !s.ok()) return s;
  }
  auto updated = Update(db,
                        "UPDATE app_user SET phone_hash = ?, phone_masked = ?, updated_at_ms = ?"
                        " WHERE id = ?",
                        [&](Stmt& q) {
                          if (hash.empty()) {
                            q.BindNull(1);
                          } else {
                            q.Bind(1, hash);
                          }
                          q.Bind(2, phone.empty() ? std::string() : MaskPhone(phone));
                          q.Bind(3, now_ms).Bind(4, user_id);
                        });
  if (!updated.ok()) return updated;
  if (db.Changes() == 0) return MakeError(ErrorCode::kNotFound, "no such user");
  return {};
}

core::Result<std::optional<User>> ByPhone(Db& db, std::string_view key, std::string_view address) {
  if (citizens::KindOf(address) != citizens::AddressKind::kPhone) return std::optional<User>();
  auto hash = PhoneHash(key, address);
  if (!hash.ok()) return hash.error();
  return UserOf(OneRow(db, "WHERE phone_hash = ? AND disabled_at_ms IS NULL",
                       [&](Stmt& q) { q.Bind(1, hash.value()); }));
}

tickets::Actor ActorOf(const User& user) {
  return tickets::Actor{user.id, user.role, user.region, user.programme};
}

std::string MaskPhone(std::string_view digits) {
  if (digits.size() < 11) return core::MaskDigits(digits);
  std::string out(digits);
  for (std::size_t i = 5; i + 4 < out.size(); ++i) out[i] = '*';
  return out;
}

// --- Login ---------------------------------------------------------------------------------

const char* LoginOutcomeName(LoginOutcome outcome) {
  switch (outcome) {
    case LoginOutcome::kOk:
      return "ok";
    case LoginOutcome::kUnknownUser:
      return "unknown_user";
    case LoginOutcome::kWrongPassword:
      return "wrong_password";
    case LoginOutcome::kLocked:
      return "locked";
    case LoginOutcome::kDisabled:
      return "disabled";
    case LoginOutcome::kNoPassword:
      return "no_password";
  }
  return "unknown";
}

core::Error LoginRefused() {
  return MakeError(ErrorCode::kUnauthenticated, "wrong username or password");
}

core::Result<LoginCandidate> FindLoginCandidate(Db& db, std::string_view username) {
  LoginCandidate candidate;
  auto row = OneRow(db, "WHERE username = ?", [&](Stmt& q) { q.Bind(1, username); });
  if (!row.ok()) return row.error();
  if (row.value().has_value()) {
    candidate.user_id = row.value().value().user.id;
    candidate.password_hash = std::move(row.value().value().password_hash);
  }
  return candidate;
}

PasswordCheck CheckPassword(const LoginCandidate& candidate, std::string_view password,
                            const ScryptParams& current) {
  PasswordCheck check;
  if (candidate.password_hash.empty()) {
    // No such user, or no password: spend what a verification costs, then refuse.
    (void)Scrypt(password, "satupintu-no-user", current, 32);
    return check;
  }
  check.matches = VerifyPassword(password, candidate.password_hash);
  if (check.matches && NeedsRehash(candidate.password_hash, current)) {
    auto fresh = HashPassword(password, current);
    if (fresh.ok()) check.rehash = std::move(fresh.value());
  }
  return check;
}

core::Result<LoginResult> FinishLogin(Db& db, const LoginCandidate& candidate,
                                      const PasswordCheck& check, std::int64_t now_ms,
                                      const LoginPolicy& policy) {
  LoginResult result;
  if (candidate.user_id == 0) return result;  // kUnknownUser
  auto row = RowById(db, candidate.user_id);
  if (!row.ok()) return row.error();
  if (!row.value().has_value()) return result;
  const User& user = row.value().value().user;
  result.user_id = user.id;
  if (user.disabled()) {
    result.outcome = LoginOutcome::kDisabled;
    return result;
  }
  if (!user.has_password) {
    result.outcome = LoginOutcome::kNoPassword;
    return result;
  }
  if (user.locked_until_ms > now_ms) {
    result.outcome = LoginOutcome::kLocked;
    return result;
  }
  // A password changed between the check and now: the check was of the old one.
  const bool matches =
      check.matches && row.value().value().password_hash == candidate.password_hash;
  if (!matches) {
    result.outcome = LoginOutcome::kWrongPassword;
    const bool lock = user.failed_logins + 1 >= policy.lockout_after_failures;
    auto counted =
        Update(db,
               "UPDATE app_user SET failed_logins = ?, locked_until_ms = ?, updated_at_ms = ?"
               " WHERE id = ?",
               [&](Stmt& q) {
                 q.Bind(1, lock ? std::int64_t{0} : user.failed_logins + 1)
                     .Bind(2, lock ? now_ms + policy.lockout_ms : std::int64_t{0})
                     .Bind(3, now_ms)
                     .Bind(4, user.id);
               });
    if (!counted.ok()) return counted.error();
    return result;
  }
  auto cleared = Update(db,
                        "UPDATE app_user SET failed_logins = 0, locked_until_ms = 0,"
                        " password_hash = COALESCE(?, password_hash), updated_at_ms = ?"
                        " WHERE id = ?",
                        [&](Stmt& q) {
                          if (check.rehash.empty()) {
                            q.BindNull(1);
                          } else {
                            q.Bind(1, check.rehash);
                          }
                          q.Bind(2, now_ms).Bind(3, user.id);
                        });
  if (!cleared.ok()) return cleared.error();
  User fresh = user;
  fresh.failed_logins = 0;
  fresh.locked_until_ms = 0;
  auto session = IssueToken(db, fresh, now_ms, policy.token_ttl_ms, "login");
  if (!session.ok()) return session.error();
  result.outcome = LoginOutcome::kOk;
  result.session = std::move(session.value());
  return result;
}

core::Result<LoginResult> Login(Db& db, std::string_view username, std::string_view password,
                                std::int64_t now_ms, const LoginPolicy& policy) {
  auto candidate = FindLoginCandidate(db, username);
  if (!candidate.ok()) return candidate.error();
  const PasswordCheck check = CheckPassword(candidate.value(), password, policy.scrypt);
  return FinishLogin(db, candidate.value(), check, now_ms, policy);
}

// --- API tokens ----------------------------------------------------------------------------

core::Result<Session> IssueToken(Db& db, const User& user, std::int64_t now_ms, std::int64_t ttl_ms,
                                 std::string_view label) {
  const std::string raw = codec::RandomBytes(kTokenBytes);
  if (raw.empty()) return MakeError(ErrorCode::kInternal, "no randomness for a token");
  Session session;
  session.token = kTokenPrefix + codec::Base64(raw, /*url=*/true);
  session.expires_at_ms = now_ms + ttl_ms;
  session.user = user;
  const std::string hash = TokenHash(session.token);
  // The user's tokens that ended (expired or revoked) over a day ago go: the table holds about
  // one live token per officer instead of one per login since the start. Logins and logouts
  // stay in the audit log.
  auto pruned = Update(db,
                       "DELETE FROM api_token WHERE user_id = ?"
                       " AND (expires_at_ms < ?2 OR revoked_at_ms < ?2)",
                       [&](Stmt& q) { q.Bind(1, user.id).Bind(2, now_ms - kEndedTokenKeepMs); });
  if (!pruned.ok()) return pruned.error();
  auto inserted = Update(db,
                         "INSERT INTO api_token (token_hash, user_id, created_at_ms,"
                         " expires_at_ms, last_used_at_ms, label) VALUES (?, ?, ?, ?, ?, ?)",
                         [&](Stmt& q) {
                           q.BindBlob(1, hash).Bind(2, user.id).Bind(3, now_ms);
                           q.Bind(4, session.expires_at_ms).Bind(5, now_ms).Bind(6, label);
                         });
  if (!inserted.ok()) return inserted.error();
  return session;
}

std::string TokenHash(std::string_view token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(token.data(), token.size(), digest, &n, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), n);
}

core::Result<Authenticated> Authenticate(Db& db, std::string_view token, std::int64_t now_ms) {
  if (!WellFormedToken(token)) return TokenRefused();
  Authenticated out;
  out.token_hash = TokenHash(token);
  auto stmt = db.Prepare(
      "SELECT user_id, expires_at_ms, last_used_at_ms, revoked_at_ms IS NOT NULL"
      " FROM api_token WHERE token_hash = ?");
  if (!stmt.ok()) return stmt.error();
  Stmt* q = stmt.value();
  q->BindBlob(1, out.token_hash);
  const int rc = q->Step();
  if (rc != SQLITE_ROW) {
    auto error = rc == SQLITE_DONE ? TokenRefused() : db.LastError("reading a token");
    q->Reset();
    return error;
  }
  const std::int64_t user_id = q->ColumnInt(0);
  out.expires_at_ms = q->ColumnInt(1);
  const std::int64_t last_used = q->ColumnInt(2);
  const bool revoked = q->ColumnInt(3) != 0;
  q->Reset();
  if (revoked || out.expires_at_ms <= now_ms) return TokenRefused();
  auto user = Get(db, user_id);
  if (!user.ok()) return user.error();
  if (!user.value().has_value() || user.value().value().disabled()) return TokenRefused();
  out.user = std::move(user.value().value());
  out.touch_due = now_ms - last_used >= kTouchEveryMs;
  return out;
}

core::Status Touch(Db& db, std::string_view token_hash, std::int64_t now_ms) {
  return Update(db,
                "UPDATE api_token SET last_used_at_ms = ? WHERE token_hash = ?"
                " AND last_used_at_ms < ?",
                [&](Stmt& q) { q.Bind(1, now_ms).BindBlob(2, token_hash).Bind(3, now_ms); });
}

core::Status Revoke(Db& db, std::string_view token, std::int64_t now_ms) {
  return Update(db,
                "UPDATE api_token SET revoked_at_ms = ? WHERE token_hash = ?"
                " AND revoked_at_ms IS NULL",
                [&](Stmt& q) { q.Bind(1, now_ms).BindBlob(2, TokenHash(token)); });
}

core::Status RevokeAllOf(Db& db, std::int64_t user_id, std::int64_t now_ms) {
  return Update(db,
                "UPDATE api_token SET revoked_at_ms = ? WHERE user_id = ?"
                " AND revoked_at_ms IS NULL",
                [&](Stmt& q) { q.Bind(1, now_ms).Bind(2, user_id); });
}

core::Result<std::vector<User>> ListFor(Db& db, const User& caller) {
  if (caller.role != tickets::Role::kAdmin && caller.role != tickets::Role::kManager) {
    return core::MakeError(core::ErrorCode::kPermissionDenied,
                           "only administrators and managers list users");
  }
  return List(db, caller.region);
}

core::Result<User> CreateBy(Db& db, const User& creator, const NewUser& user, std::string_view key,
                            std::int64_t now_ms) {
  if (creator.role != tickets::Role::kAdmin) {
    return core::MakeError(core::ErrorCode::kPermissionDenied, "only administrators create users");
  }
  if (!tickets::RegionContains(creator.region, user.region)) {
    return core::MakeError(core::ErrorCode::kPermissionDenied,
                           "the new user's region must lie within yours");
  }
  return Create(db, user, key, now_ms);
}

}  // namespace satupintu::users
