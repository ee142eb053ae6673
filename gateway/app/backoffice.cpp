#include "app/backoffice.hpp"

#include <chrono>
#include <future>

#include "api/static_files.hpp"
#include "app/dialog_stack.hpp"
#include "conversation/categories.hpp"
#include "core/key_file.hpp"
#include "core/log.hpp"
#include "tickets/reports.hpp"

namespace satupintu::app {

namespace {

// The daily report counts (tickets/reports.hpp) in the office's time zone, counted before the
// API answers: once after the upgrade to schema 14 and whenever the zone changes.
core::Status PrepareReportCounts(const config::Config& config, storage::Store& store) {
  std::promise<core::Status> committed;
  bool counted = false;
  const auto started = std::chrono::steady_clock::now();
  store.Write(
      [&](storage::Db& db) -> core::Status {
        auto r = tickets::PrepareReports(db, config.tickets.utc_offset_minutes);
        if (!r.ok()) return r.error();
        counted = r.value();
        return {};
      },
      [&](core::Status s) { committed.set_value(std::move(s)); });
  core::Status s = committed.get_future().get();
  if (!s.ok()) return core::MakeError(s.error().code, "report counts: " + s.error().message);
  if (counted) {
    core::log::Info("reports.counted")
        .Int("utc_offset_minutes", config.tickets.utc_offset_minutes)
        .Int("ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - started)
                       .count());
  }
  return {};
}

}  // namespace

core::Status AddBackOffice(const config::Config& config, storage::Store* store,
                           std::shared_ptr<const regions::RegionIndex> regions,
                           const backoffice::CaseService* cases, const dialog::DialogSet* dialogs,
                           const locale::Catalog* catalog, http::Router& router) {
  if (!config.web.enabled) return {};
  auto key = core::LoadOrCreateKeyFile(config::UsersKeyFile(config), true, "users key");
  if (!key.ok()) return key.error();
  if (auto s = PrepareReportCounts(config, *store); !s.ok()) return s;
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
  if (dialogs != nullptr && catalog != nullptr) {
    deps.check_categories = [dialogs, catalog](const std::vector<tickets::Category>& offered) {
      return conversation::CheckCategoryList(*dialogs, *catalog, ToDialogCategories(offered));
    };
  }
  api::AddApiRoutes(router, std::move(deps), std::move(options));
  if (auto s = api::AddStaticRoutes(router, config.web.dir, config.web.locales_dir); !s.ok()) {
    return core::MakeError(s.error().code, "web.dir: " + s.error().message);
  }
  core::log::Info("web.mounted").Str("api", "/api/v1").Str("page", "/ui/");
  return {};
}

}  // namespace satupintu::app
