#include "cli/users_cli.hpp"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string_view>

#include "adapters/core/phone.hpp"
#include "audit/audit_log.hpp"
#include "backoffice/alerts.hpp"
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
  std::printf("%-5lld %-20s %-12s %-14s %-3s %-9s %-15s %s%s%s\n", static_cast<long long>(u.id),
              u.username.c_str(), tickets::RoleName(u.role), u.region.c_str(), u.language.c_str(),
              u.has_password ? "password" : "sms-only",
              u.phone_masked.empty() ? "-" : u.phone_masked.c_str(), u.display_name.c_str(),
              u.programme.empty() ? "" : ("  programme " + u.programme).c_str(),
              u.disabled() ? "  (disabled)" : "");
}

int Add(const config::Config& config, storage::Db& db, const Args& flags) {
  users::NewUser user;
  user.username = flags.Get("username");
  user.display_name = flags.Get("name");
  user.role = flags.Get("role");
  user.region = flags.Get("region");
  user.programme = flags.Get("programme");
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
  auto done = Audited(db, "users.add", "user administration", [&]() -> core::Result<std::string> {
    auto u = users::Create(db, user, key, core::NowMs());
    if (!u.ok()) return u.error();
    created = std::move(u.value());
    // Their alerts go to that phone, on the gateway's officer SMS channel.
    if (!user.phone.empty()) {
      if (auto s = backoffice::AlertRoutes(key).Set(db, created.id, {"", user.phone}); !s.ok()) {
        return s.error();
      }
    }
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
  auto done =
      Audited(db, "users.passwd", "user administration", [&]() -> core::Result<std::string> {
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
  auto done =
      Audited(db, "users.disable", "user administration", [&]() -> core::Result<std::string> {
        auto s = users::Disable(db, user.value().id, core::NowMs());
        if (!s.ok()) return s.error();
        return "user:" + std::to_string(user.value().id);
      });
  if (!done.ok()) return Fail(done.error());
  std::printf("user %s disabled; their tokens are revoked\n", user.value().username.c_str());
  return 0;
}

int Alerts(const config::Config& config, storage::Db& db, const Args& flags) {
  auto user = Named(db, flags);
  if (!user.ok()) return Fail(user.error());
  auto key = core::LoadOrCreateKeyFile(config::UsersKeyFile(config), true, "users key");
  if (!key.ok()) return Fail(key.error());
  const backoffice::AlertRoutes routes(key.value());
  if (flags.Has("on") && flags.Has("off")) {
    std::fprintf(stderr, "satupintu: --on or --off, not both\n");
    return 2;
  }
  const std::string typed = flags.Get("address");
  std::string address = typed;
  if (!typed.empty() && !typed.starts_with("tg:")) {
    auto phone = adapters::NormalizePhone(typed);
    if (!phone.has_value()) {
      std::fprintf(stderr, "satupintu: --address: a phone number or tg:<chat id>\n");
      return 2;
    }
    address = std::move(phone.value());
  }
  if (typed.empty() && flags.Has("channel")) {
    std::fprintf(stderr, "satupintu: --channel goes with --address\n");
    return 2;
  }
  const bool change = !typed.empty() || flags.Has("on") || flags.Has("off");
  if (change) {
    auto done =
        Audited(db, "users.alerts", "user administration", [&]() -> core::Result<std::string> {
          if (!typed.empty()) {
            backoffice::AlertRoute route{flags.Get("channel"), address, !flags.Has("off")};
            if (auto s = routes.Set(db, user.value().id, route); !s.ok()) {
              return s.error();
            }
          } else if (auto s = backoffice::SetAlertsEnabled(db, user.value().id, flags.Has("on"));
                     !s.ok()) {
            if (s.error().code == core::ErrorCode::kNotFound) {
              return core::MakeError(core::ErrorCode::kInvalidArgument,
                                     "no alert route yet: give --address (and --channel)");
            }
            return s.error();
          }
          return "user:" + std::to_string(user.value().id);
        });
    if (!done.ok()) return Fail(done.error());
  }
  auto route = routes.Of(db, user.value().id);
  if (!route.ok()) return Fail(route.error());
  if (!route.value().has_value()) {
    std::printf("%s: no alert route\n", user.value().username.c_str());
    return 0;
  }
  const backoffice::AlertRoute& r = route.value().value();
  std::printf("%s: alerts %s, to %s on %s\n", user.value().username.c_str(),
              r.enabled ? "on" : "off",
              r.address.starts_with("tg:") ? "tg:***" : users::MaskPhone(r.address).c_str(),
              r.channel.empty() ? "the officer SMS channel" : r.channel.c_str());
  return 0;
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

int UsersAlerts(const Args& flags) {
  return WithStore(flags, [&](const config::Config& config, storage::Db& db) {
    return Alerts(config, db, flags);
  });
}

}  // namespace satupintu::cli
