#include "app/backoffice.hpp"

#include "app/broadcast_runner.hpp"

#include <chrono>
#include <filesystem>
#include <future>
#include <mutex>
#include <tuple>
#include <utility>

#include "api/static_files.hpp"
#include "app/dialog_stack.hpp"
#include "conversation/categories.hpp"
#include "core/key_file.hpp"
#include "core/log.hpp"
#include "registry/identity_hash.hpp"
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
                           const locale::Catalog* catalog, http::Router& router,
                           std::function<void()> wake_broadcasts) {
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
  // A citizen's request by NIK finds their tickets by the registry's keyed hash.
  if (std::error_code ec; std::filesystem::exists(config.registry.hash_key_file, ec)) {
    auto hash_key = registry::LoadOrCreateKey(config.registry.hash_key_file, false);
    if (!hash_key.ok()) return hash_key.error();
    auto hasher = registry::IdentityHasher::Create(hash_key.value());
    if (!hasher.ok()) return hasher.error();
    // The hasher is not thread-safe. API jobs run on the store's writer thread; the mutex keeps
    // it safe should that ever change.
    auto shared = std::make_shared<std::pair<std::mutex, registry::IdentityHasher>>(
        std::piecewise_construct, std::forward_as_tuple(),
        std::forward_as_tuple(std::move(hasher).value()));
    deps.nik_hash = [shared](std::string_view digits) -> core::Result<std::string> {
      std::lock_guard lock(shared->first);
      return registry::HexOf(shared->second.Hash("nik", digits));
    };
  }
  if (config.broadcast.enabled) {
    deps.broadcasts = std::make_shared<const broadcast::Policy>(BroadcastPolicy(config));
    deps.wake_broadcasts = std::move(wake_broadcasts);
  }
  api::AddApiRoutes(router, std::move(deps), std::move(options));
  if (auto s = api::AddStaticRoutes(router, config.web.dir, config.web.locales_dir); !s.ok()) {
    return core::MakeError(s.error().code, "web.dir: " + s.error().message);
  }
  core::log::Info("web.mounted").Str("api", "/api/v1").Str("page", "/ui/");
  return {};
}

}  // namespace satupintu::app
