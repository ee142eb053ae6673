#include "app/backoffice.hpp"

#include "api/static_files.hpp"
#include "app/users_cli.hpp"
#include "core/key_file.hpp"
#include "core/log.hpp"

namespace satupintu::app {

core::Status AddBackOffice(const config::Config& config, storage::Store* store,
                           std::shared_ptr<const regions::RegionIndex> regions,
                           const backoffice::CaseService* cases, http::Router& router) {
  if (!config.web.enabled) return {};
  auto key = core::LoadOrCreateKeyFile(UsersKeyFile(config), true, "users key");
  if (!key.ok()) return key.error();
  api::ApiOptions options;
  options.users_key = key.value();
  options.login.lockout_after_failures = config.users.lockout_after_failures;
  options.login.token_ttl_ms = std::int64_t{config.users.token_ttl_hours} * 3'600'000;
  options.login_attempts_per_15_min = config.users.login_attempts_per_15_min;
  options.requests_per_minute_per_token = config.users.api_requests_per_minute_per_token;
  options.requests_per_minute_per_ip = config.users.api_requests_per_minute_per_ip;
  options.utc_offset_minutes = config.tickets.utc_offset_minutes;
  api::ApiDeps deps;
  deps.store = store;
  deps.regions = std::move(regions);
  deps.cases = cases;
  api::AddApiRoutes(router, std::move(deps), std::move(options));
  if (auto s = api::AddStaticRoutes(router, config.web.dir, config.web.locales_dir); !s.ok()) {
    return core::MakeError(s.error().code, "web.dir: " + s.error().message);
  }
  core::log::Info("web.mounted").Str("api", "/api/v1").Str("page", "/ui/");
  return {};
}

}  // namespace satupintu::app
