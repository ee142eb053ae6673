#include "cli/users_cli.hpp"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string_view>

#include "adapters/core/phone.hpp"
#include "audit/audit_log.hpp"
#include "cli/context.hpp"
#include "core/clock.hpp"
#include "core/key_file.hpp"
#include "users/users.hpp"

namespace satupintu::cli {

namespace {

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
    entry.actor = CliActor();
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

core::Result<users::User> Named(storage::Db& db, const Args& flags) {
  const std::string username = flags.Get("username");
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

int Add(const config::Config& config, storage::Db& db, const Args& flags) {
  users::NewUser user;
  user.username = flags.Get("username");
  user.display_name = flags.Get("name");
  user.role = flags.Get("role");
  user.region = flags.Get("region");
  if (!flags.Get("language").empty()) user.language = flags.Get("language");
  if (flags.Has("password-stdin")) {
    auto password = ReadPassword();
    if (!password.has_value() || password.value().empty()) {
      std::fprintf(stderr, "satupintu: --password-stdin: no password on stdin\n");
      return 2;
    }
    user.password = std::move(password.value());
  }
  std::string key;
  if (!flags.Get("phone").empty()) {
    auto phone = adapters::NormalizePhone(flags.Get("phone"));
    if (!phone.has_value()) {
      std::fprintf(stderr, "satupintu: --phone: not a phone number\n");
      return 2;
    }
    user.phone = std::move(phone.value());
    auto loaded = core::LoadOrCreateKeyFile(config::UsersKeyFile(config), true, "users key");
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

int List(storage::Db& db, const Args& flags) {
  const std::string within = flags.Get("within");
  auto list = within.empty() ? users::ListAll(db) : users::List(db, within);
  if (!list.ok()) return Fail(list.error());
  if (list.value().empty()) std::printf("no users\n");
  for (const auto& u : list.value()) Print(u);
  return 0;
}

int Passwd(storage::Db& db, const Args& flags) {
  if (!flags.Has("password-stdin")) {
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

int Disable(storage::Db& db, const Args& flags) {
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

// Opens the main store for writing and runs `command` on it.
int WithStore(const Args& flags,
              const std::function<int(const config::Config&, storage::Db&)>& command) {
  int code = 0;
  std::optional<Context> ctx;
  auto db = OpenCommand(flags, true, &ctx, &code);
  if (!db) return code;
  return command(ctx->config, *db);
}

}  // namespace

int UsersAdd(const Args& flags) {
  return WithStore(
      flags, [&](const config::Config& config, storage::Db& db) { return Add(config, db, flags); });
}

int UsersList(const Args& flags) {
  return WithStore(flags, [&](const config::Config&, storage::Db& db) { return List(db, flags); });
}

int UsersPasswd(const Args& flags) {
  return WithStore(flags,
                   [&](const config::Config&, storage::Db& db) { return Passwd(db, flags); });
}

int UsersDisable(const Args& flags) {
  return WithStore(flags,
                   [&](const config::Config&, storage::Db& db) { return Disable(db, flags); });
}

}  // namespace satupintu::cli
