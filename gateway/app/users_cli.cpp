#include "app/users_cli.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string_view>

#include "adapters/core/phone.hpp"
#include "audit/audit_log.hpp"
#include "core/clock.hpp"
#include "core/key_file.hpp"
#include "users/users.hpp"

namespace satupintu::app {

const char* const kUsersUsage =
    "  users add [--config FILE] --username U --name \"Display Name\" --role ROLE --region CODE\n"
    "            [--phone 0812...] [--language id] [--password-stdin]\n"
    "      create an office user; the password is read from stdin (one line), without\n"
    "      --password-stdin an SMS-only account. ROLE: admin, manager, front_office,\n"
    "      back_office, supervisor, facilitator, broadcaster, viewer\n"
    "  users list [--config FILE] [--within CODE]\n"
    "      the users (phones masked), all or those within a region\n"
    "  users passwd [--config FILE] --username U --password-stdin\n"
    "      set a new password (read from stdin); the user's tokens are revoked\n"
    "  users disable [--config FILE] --username U\n"
    "      disable a user and revoke their tokens\n";

namespace {

using Flags = std::map<std::string, std::string>;

std::string Get(const Flags& flags, const std::string& key) {
  auto it = flags.find(key);
  return it == flags.end() ? std::string() : it->second;
}

// One line from stdin without its line end; nullopt at end of input.
std::optional<std::string> ReadPassword() {
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int Fail(const core::Error& error) {
  std::fprintf(stderr, "satupintu: %s\n", error.message.c_str());
  return error.code == core::ErrorCode::kInvalidArgument ? 2 : 1;
}

// Runs `change` and its audit entry in one transaction.
template <typename Change>
core::Status Audited(storage::Db& db, const std::string& action, Change change) {
  if (auto s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  auto object = change();
  core::Status written = object.ok() ? core::Status() : core::Status(object.error());
  if (written.ok()) {
    audit::Entry entry;
    entry.at_ms = core::NowMs();
    const char* user = std::getenv("USER");
    entry.actor = std::string("cli:") + (user != nullptr ? user : "unknown");
    entry.action = action;
    entry.object = object.value();
    entry.purpose = "user administration";
    entry.outcome = "done";
    auto id = audit::Append(db, entry);
    written = id.ok() ? db.Exec("COMMIT") : core::Status(id.error());
  }
  if (!written.ok()) (void)db.Exec("ROLLBACK");
  return written;
}

core::Result<users::User> Named(storage::Db& db, const Flags& flags) {
  const std::string username = Get(flags, "username");
  if (username.empty()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "--username is needed");
  }
  auto found = users::FindByUsername(db, username);
  if (!found.ok()) return found.error();
  if (!found.value().has_value()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "no user named " + username);
  }
  return std::move(found.value().value());
}

void Print(const users::User& u) {
  std::printf("%-5lld %-20s %-12s %-14s %-3s %-9s %-15s %s%s\n", static_cast<long long>(u.id),
              u.username.c_str(), tickets::RoleName(u.role), u.region.c_str(), u.language.c_str(),
              u.has_password ? "password" : "sms-only",
              u.phone_masked.empty() ? "-" : u.phone_masked.c_str(), u.display_name.c_str(),
              u.disabled() ? "  (disabled)" : "");
}

int Add(const config::Config& config, storage::Db& db, const Flags& flags) {
  users::NewUser user;
  user.username = Get(flags, "username");
  user.display_name = Get(flags, "name");
  user.role = Get(flags, "role");
  user.region = Get(flags, "region");
  if (!Get(flags, "language").empty()) user.language = Get(flags, "language");
  if (flags.contains("password-stdin")) {
    auto password = ReadPassword();
    if (!password.has_value() || password.value().empty()) {
      std::fprintf(stderr, "satupintu: --password-stdin: no password on stdin\n");
      return 2;
    }
    user.password = std::move(password.value());
  }
  std::string key;
  if (!Get(flags, "phone").empty()) {
    auto phone = adapters::NormalizePhone(Get(flags, "phone"));
    if (!phone.has_value()) {
      std::fprintf(stderr, "satupintu: --phone: not a phone number\n");
      return 2;
    }
    user.phone = std::move(phone.value());
    auto loaded = core::LoadOrCreateKeyFile(UsersKeyFile(config), true, "users key");
    if (!loaded.ok()) return Fail(loaded.error());
    key = std::move(loaded.value());
  }
  users::User created;
  auto done = Audited(db, "users.add", [&]() -> core::Result<std::string> {
    auto u = users::Create(db, user, key, core::NowMs());
    if (!u.ok()) return u.error();
    created = std::move(u.value());
    return "user:" + std::to_string(created.id);
  });
  if (!done.ok()) return Fail(done.error());
  std::printf("user %s created (id %lld, %s)\n", created.username.c_str(),
              static_cast<long long>(created.id),
              created.has_password ? "password set" : "SMS-only: no password");
  return 0;
}

int List(storage::Db& db, const Flags& flags) {
  const std::string within = Get(flags, "within");
  auto list = within.empty() ? users::ListAll(db) : users::List(db, within);
  if (!list.ok()) return Fail(list.error());
  if (list.value().empty()) std::printf("no users\n");
  for (const auto& u : list.value()) Print(u);
  return 0;
}

int Passwd(storage::Db& db, const Flags& flags) {
  if (!flags.contains("password-stdin")) {
    std::fprintf(stderr,
                 "satupintu: users passwd reads the password from stdin: give "
                 "--password-stdin\n");
    return 2;
  }
  auto user = Named(db, flags);
  if (!user.ok()) return Fail(user.error());
  auto password = ReadPassword();
  if (!password.has_value() || password.value().empty()) {
    std::fprintf(stderr, "satupintu: --password-stdin: no password on stdin\n");
    return 2;
  }
  auto done = Audited(db, "users.passwd", [&]() -> core::Result<std::string> {
    auto s = users::SetPassword(db, user.value().id, password.value(), core::NowMs());
    if (!s.ok()) return s.error();
    return "user:" + std::to_string(user.value().id);
  });
  if (!done.ok()) return Fail(done.error());
  std::printf("password of %s changed; their tokens are revoked\n", user.value().username.c_str());
  return 0;
}

int Disable(storage::Db& db, const Flags& flags) {
  auto user = Named(db, flags);
  if (!user.ok()) return Fail(user.error());
  auto done = Audited(db, "users.disable", [&]() -> core::Result<std::string> {
    auto s = users::Disable(db, user.value().id, core::NowMs());
    if (!s.ok()) return s.error();
    return "user:" + std::to_string(user.value().id);
  });
  if (!done.ok()) return Fail(done.error());
  std::printf("user %s disabled; their tokens are revoked\n", user.value().username.c_str());
  return 0;
}

}  // namespace

std::string UsersKeyFile(const config::Config& config) {
  if (!config.users.key_file.empty()) return config.users.key_file;
  return (std::filesystem::path(config.store.path).parent_path() / "users.key").string();
}

int UsersCommand(const config::Config& config, storage::Db& db, const std::string& sub,
                 const Flags& flags) {
  if (sub == "add") return Add(config, db, flags);
  if (sub == "list") return List(db, flags);
  if (sub == "passwd") return Passwd(db, flags);
  if (sub == "disable") return Disable(db, flags);
  std::fprintf(stderr, "satupintu: unknown command \"users %s\"\n\n%s", sub.c_str(), kUsersUsage);
  return 2;
}

}  // namespace satupintu::app
