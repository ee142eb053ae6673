// Office users on a real SQLite file with the real migrations: scrypt against RFC 7914,
// encoded hashes, the password policy, accounts and their validation, login with lockout,
// API tokens, phones as keyed hashes, region-scoped lists; and the API's rate limiter.

#include "users/users.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/hex.hpp"
#include "schema/schema.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"
#include "support/process.hpp"
#include "users/password.hpp"
#include "users/rate_limiter.hpp"

namespace satupintu::users {
namespace {

using core::ErrorCode;
using namespace std::chrono_literals;

constexpr char kKey[] = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
constexpr char kPassword[] = "kopi-tubruk-2025";
constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;

// --- Passwords ----------------------------------------------------------------------------

// RFC 7914, section 12: the KDF is called with the right arguments in the right order.
TEST(PasswordTest, ScryptMatchesRfc7914) {
  auto big = Scrypt("pleaseletmein", "SodiumChloride", {14, 8, 1}, 64);
  ASSERT_TRUE(big.ok()) << big.error().message;
  EXPECT_EQ(core::HexLower(big.value()),
            "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
            "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887");
  auto small = Scrypt("password", "NaCl", {10, 8, 16}, 64);
  ASSERT_TRUE(small.ok()) << small.error().message;
  EXPECT_EQ(core::HexLower(small.value()),
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
            "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
  EXPECT_FALSE(Scrypt("x", "y", {23, 8, 1}, 32).ok());
}

TEST(PasswordTest, HashVerifiesOnlyItsPassword) {
  auto hash = HashPassword(kPassword);
  ASSERT_TRUE(hash.ok());
  const std::string& h = hash.value();
  EXPECT_EQ(h.rfind("scrypt$15$8$1$", 0), 0u) << h;
  EXPECT_EQ(h.find(kPassword), std::string::npos);
  EXPECT_TRUE(VerifyPassword(kPassword, h));
  EXPECT_FALSE(VerifyPassword("kopi-tubruk-2024", h));
  EXPECT_FALSE(VerifyPassword("", h));
  // Salted: the same password hashes differently each time.
  auto again = HashPassword(kPassword);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again.value(), h);
  EXPECT_TRUE(VerifyPassword(kPassword, again.value()));
}

TEST(PasswordTest, TamperedOrMalformedHashesNeverVerify) {
  auto hash = HashPassword(kPassword, {10, 8, 1});
  ASSERT_TRUE(hash.ok());
  std::string h = hash.value();
  ASSERT_TRUE(VerifyPassword(kPassword, h));
  std::string key_changed = h;
  key_changed.back() = key_changed.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifyPassword(kPassword, key_changed));
  std::string salt_changed = h;
  salt_changed[h.find('$', 12) + 1] ^= 1;  // first character of the salt
  EXPECT_FALSE(VerifyPassword(kPassword, salt_changed));
  std::string cost_changed = h;
  cost_changed.replace(0, 10, "scrypt$11$");
  EXPECT_FALSE(VerifyPassword(kPassword, cost_changed));
  for (const std::string& bad :
       {std::string(), std::string("scrypt"), std::string("plain:kopi-tubruk-2025"),
        std::string("bcrypt$10$8$1$abc$def"), h + "$extra", h.substr(0, h.rfind('$')),
        std::string("scrypt$010$8$1$") + h.substr(h.find('$', 14) + 1),
        std::string("scrypt$-1$8$1$") + h.substr(h.find('$', 14) + 1)}) {
    EXPECT_FALSE(VerifyPassword(kPassword, bad)) << bad;
    EXPECT_TRUE(NeedsRehash(bad)) << bad;
  }
  // A tampered row asking for 2^30 x 8 x 128 bytes is refused before any memory is taken.
  const auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(VerifyPassword(kPassword, "scrypt$30$8$1$" + h.substr(h.find('$', 14) + 1)));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
}

TEST(PasswordTest, NeedsRehashWhenWeakerThanCurrent) {
  auto weak = HashPassword(kPassword, {10, 8, 1});
  auto current = HashPassword(kPassword);
  ASSERT_TRUE(weak.ok() && current.ok());
  EXPECT_TRUE(NeedsRehash(weak.value()));
  EXPECT_FALSE(NeedsRehash(weak.value(), {10, 8, 1}));
  EXPECT_FALSE(NeedsRehash(current.value()));
  EXPECT_TRUE(NeedsRehash(current.value(), {16, 8, 1}));
  EXPECT_TRUE(NeedsRehash(current.value(), {15, 16, 1}));
  EXPECT_TRUE(NeedsRehash(current.value(), {15, 8, 2}));
}

TEST(PasswordTest, PolicyNeedsTenCharactersAndNotTheUsername) {
  EXPECT_TRUE(CheckPasswordPolicy("0123456789", "siti").ok());
  const auto short_one = CheckPasswordPolicy("012345678", "siti");
  ASSERT_FALSE(short_one.ok());
  EXPECT_EQ(short_one.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(short_one.error().message.find("012345678"), std::string::npos);
  // Characters, not bytes: nine "é" are 18 bytes and still too short.
  std::string nine;
  for (int i = 0; i < 9; ++i) nine += "\xc3\xa9";
  EXPECT_FALSE(CheckPasswordPolicy(nine, "siti").ok());
  EXPECT_TRUE(CheckPasswordPolicy(nine + "\xc3\xa9", "siti").ok());
  EXPECT_FALSE(CheckPasswordPolicy("siti.rahayu", "siti.rahayu").ok());
  EXPECT_FALSE(CheckPasswordPolicy("Siti.Rahayu", "siti.rahayu").ok());
  EXPECT_TRUE(CheckPasswordPolicy("siti.rahayu1", "siti.rahayu").ok());
  EXPECT_FALSE(CheckPasswordPolicy(std::string(257, 'a'), "siti").ok());
}

// --- Accounts -----------------------------------------------------------------------------

class UsersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::Db::Open(dir_.File("t.db"), false);
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
    auto v = storage::ApplyMigrations(*db_, schema::Migrations());
    ASSERT_TRUE(v.ok()) << v.error().message << " " << v.error().detail;
  }

  static NewUser Facilitator(const std::string& username, const std::string& region) {
    NewUser u;
    u.username = username;
    u.display_name = "Siti Rahayu";
    u.role = "facilitator";
    u.region = region;
    return u;
  }

  User Make(const NewUser& u) {
    auto created = Create(*db_, u, kKey, now_);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created.ok() ? created.value() : User{};
  }

  User WithPassword(const std::string& username, const std::string& region = "32.06.05.2002") {
    NewUser u = Facilitator(username, region);
    u.password = kPassword;
    return Make(u);
  }

  std::int64_t Int(const std::string& sql) { return db_->QueryInt(sql).value(); }

  LoginResult LogIn(const std::string& username, const std::string& password) {
    auto r = Login(*db_, username, password, now_);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r.value() : LoginResult{};
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::Db> db_;
  std::int64_t now_ = 1'763'000'000'000;
};

TEST_F(UsersTest, CreateStoresAValidatedUser) {
  NewUser in = Facilitator("Siti.Rahayu", "32.06.05.2002");
  in.language = "su";
  in.password = kPassword;
  const User u = Make(in);
  EXPECT_GT(u.id, 0);
  EXPECT_EQ(u.username, "siti.rahayu");
  EXPECT_EQ(u.display_name, "Siti Rahayu");
  EXPECT_EQ(u.role, tickets::Role::kFacilitator);
  EXPECT_EQ(u.region, "32.06.05.2002");
  EXPECT_EQ(u.language, "su");
  EXPECT_TRUE(u.has_password);
  EXPECT_FALSE(u.disabled());
  EXPECT_EQ(u.created_at_ms, now_);

  auto found = FindByUsername(*db_, "SITI.rahayu");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found.value().has_value());
  EXPECT_EQ(found.value().value().id, u.id);
  auto by_id = Get(*db_, u.id);
  ASSERT_TRUE(by_id.ok() && by_id.value().has_value());
  EXPECT_EQ(by_id.value().value().username, "siti.rahayu");
  auto missing = FindByUsername(*db_, "nobody");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing.value().has_value());

  const tickets::Actor actor = ActorOf(u);
  EXPECT_EQ(actor.user_id, u.id);
  EXPECT_EQ(actor.role, tickets::Role::kFacilitator);
  EXPECT_EQ(actor.region, "32.06.05.2002");
}

TEST_F(UsersTest, CreateRefusesBadFieldsNamingThem) {
  struct Case {
    const char* field;
    NewUser user;
  };
  std::vector<Case> cases;
  for (const char* name : {"ab", "with space", "siti@desa", "budi/1", "\xc3\xbcmit", ""}) {
    cases.push_back({"username", Facilitator(name, "32.06.05.2002")});
  }
  cases.push_back({"username", Facilitator(std::string(33, 'a'), "32.06.05.2002")});
  for (const char* region : {"", "3", "32.6", "32.06.5", "32.06.05.200", "32.06.05.20021",
                             "32-06-05", "32.06.05.", "ab.cd"}) {
    cases.push_back({"region", Facilitator("budi", region)});
  }
  // One field changed on an otherwise valid user.
  auto with = [&](const char* field, const std::vector<std::string>& values,
                  void (*set)(NewUser&, const std::string&)) {
    for (const auto& v : values) {
      NewUser u = Facilitator("budi.santo", "32.06.05");
      set(u, v);
      cases.push_back({field, u});
    }
  };
  with("role", {"", "chief", "Facilitator", "front office"},
       [](NewUser& u, const std::string& v) { u.role = v; });
  with("language", {"", "indonesian", "ID", "i"},
       [](NewUser& u, const std::string& v) { u.language = v; });
  with("name", {"", "Budi\nSantoso"}, [](NewUser& u, const std::string& v) { u.display_name = v; });
  with("password", {"pendek", "budi.santo", "BUDI.SANTO"},
       [](NewUser& u, const std::string& v) { u.password = v; });
  with("phone", {"081234567890", "+6281234567890", "62 812", "tg:12345"},
       [](NewUser& u, const std::string& v) { u.phone = v; });
  for (const auto& c : cases) {
    auto r = Create(*db_, c.user, kKey, now_);
    ASSERT_FALSE(r.ok()) << c.field << " " << c.user.username << " " << c.user.region;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.field;
    EXPECT_EQ(r.error().message.rfind(c.field, 0), 0u) << r.error().message;
  }
  EXPECT_EQ(Int("SELECT COUNT(*) FROM app_user"), 0);

  // Every level of region and every role is accepted.
  int n = 0;
  for (const char* region : {"32", "32.06", "32.06.05", "32.06.05.2002"}) {
    for (const char* role : {"admin", "manager", "front_office", "back_office", "supervisor",
                             "facilitator", "broadcaster", "viewer"}) {
      NewUser u = Facilitator("user" + std::to_string(++n), region);
      u.role = role;
      EXPECT_TRUE(Create(*db_, u, kKey, now_).ok()) << region << " " << role;
    }
  }
}

TEST_F(UsersTest, UsernameAndPhoneBelongToOneUser) {
  NewUser first = Facilitator("siti", "32.06.05.2002");
  first.phone = "6281234567890";
  Make(first);
  auto again = Create(*db_, Facilitator("SITI", "32.06.05.2003"), kKey, now_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  NewUser other = Facilitator("budi", "32.06.05.2003");
  other.phone = "6281234567890";
  auto same_phone = Create(*db_, other, kKey, now_);
  ASSERT_FALSE(same_phone.ok());
  EXPECT_EQ(same_phone.error().code, ErrorCode::kConflict);
  EXPECT_EQ(same_phone.error().message.find("6281234567890"), std::string::npos);
  const User budi = Make(Facilitator("budi", "32.06.05.2003"));
  const auto taken = SetPhone(*db_, kKey, budi.id, "6281234567890", now_);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, ErrorCode::kConflict);
}

TEST_F(UsersTest, ByPhoneFindsTheActiveUserUnderTheKey) {
  NewUser in = Facilitator("siti", "32.06.05.2002");
  in.phone = "6281234567890";
  const User siti = Make(in);
  EXPECT_EQ(siti.phone_masked, "62812****7890");
  EXPECT_FALSE(siti.has_password) << "no password: an SMS-only account";

  auto found = ByPhone(*db_, kKey, "6281234567890");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found.value().has_value());
  EXPECT_EQ(found.value().value().id, siti.id);
  EXPECT_EQ(ActorOf(found.value().value()).region, "32.06.05.2002");

  for (const char* other : {"6281234567891", "081234567890", "tg:6281234567890", ""}) {
    auto none = ByPhone(*db_, kKey, other);
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none.value().has_value()) << other;
  }
  // Under another key the stored hash means nothing.
  auto wrong_key = ByPhone(*db_, "another-key-of-32-bytes-length!!", "6281234567890");
  ASSERT_TRUE(wrong_key.ok());
  EXPECT_FALSE(wrong_key.value().has_value());

  // A new number replaces the old one; an empty one removes it.
  ASSERT_TRUE(SetPhone(*db_, kKey, siti.id, "6285712345678", now_).ok());
  EXPECT_FALSE(ByPhone(*db_, kKey, "6281234567890").value().has_value());
  EXPECT_TRUE(ByPhone(*db_, kKey, "6285712345678").value().has_value());
  EXPECT_EQ(Get(*db_, siti.id).value().value().phone_masked, "62857****5678");
  ASSERT_TRUE(SetPhone(*db_, kKey, siti.id, "", now_).ok());
  EXPECT_FALSE(ByPhone(*db_, kKey, "6285712345678").value().has_value());
  EXPECT_EQ(Get(*db_, siti.id).value().value().phone_masked, "");

  // A disabled facilitator's phone acts no more.
  ASSERT_TRUE(SetPhone(*db_, kKey, siti.id, "6281234567890", now_).ok());
  ASSERT_TRUE(Disable(*db_, siti.id, now_).ok());
  EXPECT_FALSE(ByPhone(*db_, kKey, "6281234567890").value().has_value());
  EXPECT_EQ(SetPhone(*db_, kKey, 999, "", now_).error().code, ErrorCode::kNotFound);
}

TEST_F(UsersTest, ListShowsOnlyUsersWithinTheRegion) {
  Make(Facilitator("cilumba", "32.06.05.2002"));
  Make(Facilitator("pakemitan", "32.06.05.2003"));
  NewUser sup = Facilitator("sup.cikatomas", "32.06.05");
  sup.role = "supervisor";
  Make(sup);
  Make(Facilitator("ciawi", "32.06.36.2001"));
  NewUser manager = Facilitator("dinsos.tasik", "32.06");
  manager.role = "manager";
  Make(manager);
  Make(Facilitator("garut", "32.05.01.2001"));
  // A kecamatan whose code shares a prefix with 32.06.05's villages' codes.
  Make(Facilitator("prefix", "32.06.50.2001"));

  auto names = [&](std::string_view region) {
    std::vector<std::string> out;
    auto list = List(*db_, region);
    EXPECT_TRUE(list.ok());
    if (list.ok()) {
      for (const auto& u : list.value()) out.push_back(u.username);
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names("32.06.05"), (V{"sup.cikatomas", "cilumba", "pakemitan"}));
  EXPECT_EQ(names("32.06.05.2002"), (V{"cilumba"}));
  EXPECT_EQ(names("32.06"),
            (V{"dinsos.tasik", "sup.cikatomas", "cilumba", "pakemitan", "ciawi", "prefix"}));
  EXPECT_EQ(names("32").size(), 7u);
  EXPECT_EQ(names(""), V{});
  EXPECT_EQ(names("32.06.0"), V{});
  EXPECT_EQ(names("32.06.36"), (V{"ciawi"}));
  EXPECT_EQ(ListAll(*db_).value().size(), 7u);
}

TEST_F(UsersTest, OnlyAdministratorsAndManagersListUsersAndOnlyWithinTheirRegion) {
  NewUser manager = Facilitator("dinsos.tasik", "32.06");
  manager.role = "manager";
  const User m = Make(manager);
  const User f = Make(Facilitator("cilumba", "32.06.05.2002"));
  Make(Facilitator("garut", "32.05.01.2001"));
  auto seen = ListFor(*db_, m);
  ASSERT_TRUE(seen.ok()) << seen.error().message;
  ASSERT_EQ(seen.value().size(), 2u);  // the manager and cilumba, not Garut's facilitator
  EXPECT_EQ(seen.value()[1].username, "cilumba");
  auto refused = ListFor(*db_, f);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kPermissionDenied);
}

TEST_F(UsersTest, OnlyAnAdministratorCreatesUsersAndOnlyWithinTheirRegion) {
  NewUser admin = Facilitator("admin.tasik", "32.06");
  admin.role = "admin";
  const User a = Make(admin);
  NewUser manager = Facilitator("dinsos.tasik", "32.06");
  manager.role = "manager";
  const User m = Make(manager);

  auto by_manager = CreateBy(*db_, m, Facilitator("baru", "32.06.05.2002"), kKey, now_);
  ASSERT_FALSE(by_manager.ok());
  EXPECT_EQ(by_manager.error().code, core::ErrorCode::kPermissionDenied);
  auto outside = CreateBy(*db_, a, Facilitator("garut", "32.05.01.2001"), kKey, now_);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code, core::ErrorCode::kPermissionDenied);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM app_user"), 2);  // neither refusal created anyone

  auto created = CreateBy(*db_, a, Facilitator("baru", "32.06.05.2002"), kKey, now_);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created.value().username, "baru");
}

// --- Login --------------------------------------------------------------------------------

TEST_F(UsersTest, LoginIssuesATokenForTheRightPasswordOnly) {
  const User siti = WithPassword("siti");
  const LoginResult ok = LogIn("SITI", kPassword);
  EXPECT_EQ(ok.outcome, LoginOutcome::kOk);
  EXPECT_EQ(ok.user_id, siti.id);
  EXPECT_EQ(ok.session.user.id, siti.id);
  EXPECT_EQ(ok.session.token.size(), 46u);
  EXPECT_EQ(ok.session.token.rfind("sp_", 0), 0u);
  EXPECT_EQ(ok.session.expires_at_ms, now_ + 12 * kHour);

  const LoginResult wrong = LogIn("siti", "kopi-tubruk-2024");
  EXPECT_EQ(wrong.outcome, LoginOutcome::kWrongPassword);
  EXPECT_EQ(wrong.user_id, siti.id);
  EXPECT_TRUE(wrong.session.token.empty());
  EXPECT_EQ(Get(*db_, siti.id).value().value().failed_logins, 1);
  // A success clears the count.
  EXPECT_EQ(LogIn("siti", kPassword).outcome, LoginOutcome::kOk);
  EXPECT_EQ(Get(*db_, siti.id).value().value().failed_logins, 0);

  const LoginResult unknown = LogIn("nobody", kPassword);
  EXPECT_EQ(unknown.outcome, LoginOutcome::kUnknownUser);
  EXPECT_EQ(unknown.user_id, 0);
  EXPECT_TRUE(unknown.session.token.empty());
  EXPECT_EQ(LoginRefused().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(LoginRefused().message, "wrong username or password");

  Make(Facilitator("sms.only", "32.06.05.2002"));
  EXPECT_EQ(LogIn("sms.only", "").outcome, LoginOutcome::kNoPassword);
  EXPECT_EQ(LogIn("sms.only", kPassword).outcome, LoginOutcome::kNoPassword);
  EXPECT_EQ(std::string(LoginOutcomeName(LoginOutcome::kNoPassword)), "no_password");
}

TEST_F(UsersTest, FiveFailuresLockTheAccountFifteenMinutes) {
  const User siti = WithPassword("siti");
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(LogIn("siti", "wrong-password-" + std::to_string(i)).outcome,
              LoginOutcome::kWrongPassword);
    now_ += 1000;
  }
  EXPECT_EQ(Get(*db_, siti.id).value().value().failed_logins, 4);
  EXPECT_EQ(LogIn("siti", "wrong-password-5").outcome, LoginOutcome::kWrongPassword);
  const User locked = Get(*db_, siti.id).value().value();
  EXPECT_EQ(locked.locked_until_ms, now_ + 15 * kMinute);
  // Locked: even the right password is refused, and more guesses do not extend the lock.
  now_ += kMinute;
  EXPECT_EQ(LogIn("siti", kPassword).outcome, LoginOutcome::kLocked);
  EXPECT_EQ(LogIn("siti", "wrong-password-6").outcome, LoginOutcome::kLocked);
  EXPECT_EQ(Get(*db_, siti.id).value().value().locked_until_ms, locked.locked_until_ms);
  now_ = locked.locked_until_ms - 1;
  EXPECT_EQ(LogIn("siti", kPassword).outcome, LoginOutcome::kLocked);
  now_ = locked.locked_until_ms;
  EXPECT_EQ(LogIn("siti", kPassword).outcome, LoginOutcome::kOk);
  EXPECT_EQ(Get(*db_, siti.id).value().value().locked_until_ms, 0);
  // The count starts again: four more failures do not lock.
  for (int i = 0; i < 4; ++i) LogIn("siti", "wrong-again-" + std::to_string(i));
  EXPECT_EQ(LogIn("siti", kPassword).outcome, LoginOutcome::kOk);
}

TEST_F(UsersTest, AnUnknownUserCostsAsMuchAsAWrongPassword) {
  WithPassword("siti");
  // Interleaved, best of three each (a fifth failure would lock siti): load from other
  // processes falls on both alike.
  auto fastest_wrong = std::chrono::steady_clock::duration::max();
  auto fastest_unknown = fastest_wrong;
  auto measure = [&](const std::string& name, std::chrono::steady_clock::duration* fastest) {
    const auto t0 = std::chrono::steady_clock::now();
    LogIn(name, "wrong-password-x");
    *fastest = std::min(*fastest, std::chrono::steady_clock::now() - t0);
  };
  for (int i = 0; i < 3; ++i) {
    measure("siti", &fastest_wrong);
    measure("nobody", &fastest_unknown);
  }
  const double wrong = std::chrono::duration<double>(fastest_wrong).count();
  const double unknown = std::chrono::duration<double>(fastest_unknown).count();
  // Both spend one scrypt at the default cost (tens of ms); a lookup alone is microseconds.
  EXPECT_GT(unknown, wrong * 0.5) << "unknown " << unknown << " s, wrong " << wrong << " s";
  EXPECT_GT(unknown, 0.005);
}

TEST_F(UsersTest, DisabledUsersCannotLogIn) {
  const User siti = WithPassword("siti");
  ASSERT_TRUE(Disable(*db_, siti.id, now_).ok());
  EXPECT_TRUE(Get(*db_, siti.id).value().value().disabled());
  EXPECT_EQ(LogIn("siti", kPassword).outcome, LoginOutcome::kDisabled);
  EXPECT_EQ(Disable(*db_, 999, now_).error().code, ErrorCode::kNotFound);
}

TEST_F(UsersTest, AWeakHashIsRenewedAtLogin) {
  const User siti = WithPassword("siti");
  auto weak = HashPassword(kPassword, {10, 8, 1});
  ASSERT_TRUE(weak.ok());
  auto stmt = db_->Prepare("UPDATE app_user SET password_hash = ? WHERE id = ?");
  ASSERT_TRUE(stmt.ok());
  ASSERT_TRUE(stmt.value()->Bind(1, weak.value()).Bind(2, siti.id).Run().ok());
  EXPECT_EQ(LogIn("siti", kPassword).outcome, LoginOutcome::kOk);
  auto stored = db_->QueryText("SELECT password_hash FROM app_user WHERE username = 'siti'");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored.value().rfind("scrypt$15$8$1$", 0), 0u) << stored.value();
  EXPECT_TRUE(VerifyPassword(kPassword, stored.value()));
}

TEST_F(UsersTest, APasswordChangedBetweenCheckAndFinishDoesNotLogIn) {
  const User siti = WithPassword("siti");
  auto candidate = FindLoginCandidate(*db_, "siti");
  ASSERT_TRUE(candidate.ok());
  const PasswordCheck check = CheckPassword(candidate.value(), kPassword);
  EXPECT_TRUE(check.matches);
  ASSERT_TRUE(SetPassword(*db_, siti.id, "a-new-password-1", now_).ok());
  auto finished = FinishLogin(*db_, candidate.value(), check, now_);
  ASSERT_TRUE(finished.ok());
  EXPECT_EQ(finished.value().outcome, LoginOutcome::kWrongPassword);
  EXPECT_EQ(LogIn("siti", "a-new-password-1").outcome, LoginOutcome::kOk);
  EXPECT_EQ(LogIn("siti", kPassword).outcome, LoginOutcome::kWrongPassword);
  EXPECT_EQ(SetPassword(*db_, siti.id, "short", now_).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(SetPassword(*db_, 999, "a-new-password-2", now_).error().code, ErrorCode::kNotFound);
}

// --- Tokens -------------------------------------------------------------------------------

TEST_F(UsersTest, ATokenAuthenticatesItsUserUntilItExpires) {
  const User siti = WithPassword("siti");
  const std::string token = LogIn("siti", kPassword).session.token;
  auto who = Authenticate(*db_, token, now_);
  ASSERT_TRUE(who.ok()) << who.error().message;
  EXPECT_EQ(who.value().user.id, siti.id);
  EXPECT_EQ(who.value().user.region, "32.06.05.2002");
  EXPECT_EQ(who.value().token_hash, TokenHash(token));
  EXPECT_EQ(who.value().token_hash.size(), 32u);
  EXPECT_FALSE(who.value().touch_due);

  // last_used is written at most once a minute.
  auto later = Authenticate(*db_, token, now_ + 59'999);
  ASSERT_TRUE(later.ok());
  EXPECT_FALSE(later.value().touch_due);
  later = Authenticate(*db_, token, now_ + kMinute);
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later.value().touch_due);
  ASSERT_TRUE(Touch(*db_, later.value().token_hash, now_ + kMinute).ok());
  EXPECT_FALSE(Authenticate(*db_, token, now_ + kMinute + 1).value().touch_due);
  EXPECT_EQ(Int("SELECT last_used_at_ms FROM api_token"), now_ + kMinute);

  const std::int64_t expiry = now_ + 12 * kHour;
  EXPECT_TRUE(Authenticate(*db_, token, expiry - 1).ok());
  auto expired = Authenticate(*db_, token, expiry);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(UsersTest, ANewTokenClearsTheUsersTokensThatEndedADayBefore) {
  const User siti = WithPassword("siti");
  const User budi = WithPassword("budi");
  const std::int64_t day = 24 * kHour;
  const std::string revoked = IssueToken(*db_, siti, now_, 12 * kHour, "web").value().token;
  ASSERT_TRUE(Revoke(*db_, revoked, now_).ok());
  ASSERT_TRUE(IssueToken(*db_, siti, now_, 12 * kHour, "web").ok());  // expires now_+12h
  ASSERT_TRUE(IssueToken(*db_, budi, now_, 12 * kHour, "web").ok());
  // Half a day later nothing has ended a day ago yet.
  ASSERT_TRUE(IssueToken(*db_, siti, now_ + day / 2, 12 * kHour, "web").ok());
  EXPECT_EQ(Int("SELECT COUNT(*) FROM api_token WHERE user_id = " + std::to_string(siti.id)), 3);
  // Two days later the revoked one and the expired one go; budi's is not siti's to clear.
  const std::string fresh = IssueToken(*db_, siti, now_ + 2 * day, 12 * kHour, "web").value().token;
  EXPECT_EQ(Int("SELECT COUNT(*) FROM api_token WHERE user_id = " + std::to_string(siti.id)), 2);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM api_token WHERE user_id = " + std::to_string(budi.id)), 1);
  EXPECT_TRUE(Authenticate(*db_, fresh, now_ + 2 * day).ok());
}

TEST_F(UsersTest, RevokedTamperedUnknownAndDisabledTokensGetOneAnswer) {
  const User siti = WithPassword("siti");
  const User budi = WithPassword("budi.santoso");
  const std::string a = LogIn("siti", kPassword).session.token;
  const std::string b = LogIn("siti", kPassword).session.token;
  const std::string c = LogIn("budi.santoso", kPassword).session.token;
  ASSERT_TRUE(Authenticate(*db_, a, now_).ok());

  std::vector<std::string> refused;
  ASSERT_TRUE(Revoke(*db_, a, now_).ok());
  ASSERT_TRUE(Revoke(*db_, a, now_).ok()) << "revoking twice is harmless";
  refused.push_back(a);
  EXPECT_TRUE(Authenticate(*db_, b, now_).ok()) << "the user's other token stays valid";
  std::string tampered = b;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  refused.push_back(tampered);
  refused.push_back("sp_" + std::string(43, 'A'));
  refused.push_back(b.substr(3));
  refused.push_back("Bearer " + b);
  refused.push_back(b + "=");
  refused.emplace_back("");
  ASSERT_TRUE(Disable(*db_, budi.id, now_).ok());
  refused.push_back(c);
  for (const auto& t : refused) {
    auto r = Authenticate(*db_, t, now_);
    ASSERT_FALSE(r.ok()) << t;
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(r.error().message, "invalid or expired token");
  }
  // A password change ends every session.
  ASSERT_TRUE(SetPassword(*db_, siti.id, "a-new-password-1", now_).ok());
  EXPECT_FALSE(Authenticate(*db_, b, now_).ok());
  EXPECT_EQ(Int("SELECT COUNT(*) FROM api_token WHERE revoked_at_ms IS NULL"), 0);
}

// Nothing that lets someone in, or names a facilitator's phone, is in the file.
TEST_F(UsersTest, OnlyHashesAreStored) {
  NewUser in = Facilitator("siti", "32.06.05.2002");
  in.password = kPassword;
  in.phone = "6281234567890";
  Make(in);
  const std::string token = LogIn("siti", kPassword).session.token;
  ASSERT_FALSE(token.empty());
  ASSERT_TRUE(Authenticate(*db_, token, now_).ok());
  db_.reset();
  std::string bytes;
  for (const char* suffix : {"", "-journal", "-wal"})
    bytes += testing::ReadFile(dir_.File("t.db") + suffix);
  ASSERT_NE(bytes.find("siti"), std::string::npos) << "the file is read";
  for (const std::string& secret :
       {token, token.substr(3), std::string(kPassword), std::string("6281234567890"),
        std::string("81234567890"), std::string(kKey)}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
}

// --- Rate limiter -------------------------------------------------------------------------

TEST(RateLimiterTest, AllowsTheWindowsCountThenSaysWhenToRetry) {
  RateLimiter limiter(3, 60s);
  const RateLimiter::TimePoint t0 = std::chrono::steady_clock::time_point{} + 1h;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Allow("ip:10.0.0.1", t0).allowed);
  const auto refused = limiter.Allow("ip:10.0.0.1", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 20);  // one request every 20 s
  EXPECT_EQ(limiter.Allow("ip:10.0.0.1", t0 + 15s).retry_after_seconds, 5);
  // Other keys have their own buckets.
  EXPECT_TRUE(limiter.Allow("ip:10.0.0.2", t0).allowed);
  EXPECT_TRUE(limiter.Allow("token:0a1b2c3d", t0).allowed);
  EXPECT_TRUE(limiter.Allow("ip:10.0.0.1", t0 + 20s).allowed);
  EXPECT_FALSE(limiter.Allow("ip:10.0.0.1", t0 + 20s).allowed);
  // A whole quiet window refills the burst, no more.
  const auto later = t0 + 10min;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Allow("ip:10.0.0.1", later).allowed);
  EXPECT_FALSE(limiter.Allow("ip:10.0.0.1", later).allowed);

  RateLimiter login(10, 15min);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(login.Allow("login:10.0.0.1", t0).allowed);
  EXPECT_EQ(login.Allow("login:10.0.0.1", t0).retry_after_seconds, 90);

  RateLimiter unlimited(0, 60s);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(unlimited.Allow("k", t0).allowed);
  EXPECT_EQ(unlimited.keys(), 0u);
}

TEST(RateLimiterTest, KeysAreBoundedByForgettingTheLeastRecent) {
  RateLimiter limiter(1, 60s, 100);
  const RateLimiter::TimePoint t0 = std::chrono::steady_clock::time_point{} + 1h;
  EXPECT_TRUE(limiter.Allow("ip:victim", t0).allowed);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(limiter.Allow("ip:flood-" + std::to_string(i), t0).allowed);
    if (i % 10 == 0) {
      EXPECT_FALSE(limiter.Allow("ip:victim", t0).allowed);  // stays recent
    }
  }
  EXPECT_EQ(limiter.keys(), 100u);
  EXPECT_FALSE(limiter.Allow("ip:victim", t0).allowed);
  EXPECT_FALSE(limiter.Allow("ip:flood-999", t0).allowed);
  // flood-0 was forgotten long ago: it starts again with a full bucket.
  EXPECT_TRUE(limiter.Allow("ip:flood-0", t0).allowed);
  EXPECT_EQ(limiter.keys(), 100u);
}

TEST(RateLimiterTest, ThreadsShareOneCountExactly) {
  RateLimiter limiter(1000, 3600s);
  const RateLimiter::TimePoint t0 = std::chrono::steady_clock::time_point{} + 1h;
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        if (limiter.Allow("token:shared", t0).allowed) ++allowed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 1000);
}

}  // namespace
}  // namespace satupintu::users
