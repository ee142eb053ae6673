#include "app/dialog_stack.hpp"

#include <filesystem>
#include <future>

#include "conversation/services.hpp"
#include "core/key_file.hpp"
#include "core/log.hpp"
#include "regions/import.hpp"
#include "regions/region_index.hpp"
#include "registry/citizen_check.hpp"
#include "registry/identity_hash.hpp"
#include "registry/registry.hpp"

namespace satupintu::app {

// First start of a deployment: the region tree comes from the npm package installed by the
// set-up command (regions.data_dir), so the embedded default works without a separate
// `satupintu regions import`. A tree already in the store is never replaced here.
void LoadRegionTreeIfEmpty(const config::Config& config, storage::Store& store) {
  std::promise<std::int64_t> counted;
  store.Write(
      [&counted](storage::Db& db) -> core::Status {
        auto n = db.QueryInt("SELECT EXISTS (SELECT 1 FROM region)");
        counted.set_value(n.ok() ? n.value() : -1);
        return {};
      },
      [](const core::Status&) {});
  if (counted.get_future().get() != 0) return;
  std::error_code ec;
  if (!std::filesystem::exists(config.regions.data_dir + "/villages.csv", ec)) {
    core::log::Warn("regions.missing")
        .Str("data_dir", config.regions.data_dir)
        .Str("hint", "install the npm package (tools/dev.sh) and run `satupintu regions import`");
    return;
  }
  auto files = regions::ReadRegionFiles(config.regions.data_dir);
  // Wait for the commit, not for the job: whoever reads the tree next (the dialogs' region
  // index, on the reader connection) must see it.
  regions::ImportSummary summary;
  std::promise<core::Status> committed;
  store.Write(
      [&summary, &files](storage::Db& db) -> core::Status {
        summary = regions::ReplaceRegions(db, std::move(files));
        return summary.status;
      },
      [&committed](core::Status s) { committed.set_value(std::move(s)); });
  if (auto s = committed.get_future().get(); !s.ok() && summary.status.ok()) summary.status = s;
  if (summary.status.ok()) {
    core::log::Info("regions.imported")
        .Str("package", summary.package + "@" + summary.version)
        .Int("villages", static_cast<std::int64_t>(summary.imported[3]));
  } else {
    core::log::Warn("regions.import_failed").Str("reason", summary.status.error().message);
  }
}

std::string DialogsDir(const config::Config& config) {
  if (!config.dialogs.dir.empty()) return config.dialogs.dir;
  return (std::filesystem::path(config.locales.dir).parent_path() / "dialogs").string();
}

std::vector<dialog::Category> ToDialogCategories(const std::vector<tickets::Category>& categories) {
  std::vector<dialog::Category> out;
  out.reserve(categories.size());
  for (const auto& c : categories) out.push_back({c.id, c.label_key, c.labels});
  return out;
}

std::vector<tickets::Category> CategorySeeds(const dialog::DialogSet& dialogs) {
  std::vector<tickets::Category> seeds;
  // A category not offered in the first list (categories.json "offered": false) is seeded
  // inactive: the store's list is the first list.
  for (const auto& c : dialogs.Categories()) seeds.push_back({c.id, c.label, {}, c.offered, 0});
  return seeds;
}

core::Status SeedCategories(const dialog::DialogSet& dialogs, storage::Store& store) {
  const std::vector<tickets::Category> seeds = CategorySeeds(dialogs);
  std::promise<core::Status> committed;
  int added = 0;
  store.Write(
      [&seeds, &added](storage::Db& db) -> core::Status {
        auto n = tickets::SeedCategories(db, seeds);
        if (!n.ok()) return n.error();
        added = n.value();
        return {};
      },
      [&committed](core::Status s) { committed.set_value(std::move(s)); });
  core::Status s = committed.get_future().get();
  if (!s.ok()) return core::MakeError(s.error().code, "categories: " + s.error().message);
  if (added > 0) core::log::Info("catalogue.categories_seeded").Int("added", added);
  return {};
}

DialogStack::DialogStack() = default;
DialogStack::~DialogStack() = default;

core::Result<std::unique_ptr<DialogStack>> BuildDialogStack(
    const config::Config& config, storage::Store& store, const locale::Catalog& catalog,
    std::function<std::string()> code_suffix, core::MetricsRegistry* metrics) {
  auto stack = std::make_unique<DialogStack>();
  auto lexicon = understand::Lexicon::Load(config.locales.dir + "/lexicon");
  if (!lexicon.ok()) return lexicon.error();
  stack->lexicon = std::move(lexicon).value();
  auto dialogs =
      dialog::DialogSet::Load(DialogsDir(config), catalog, conversation::ServiceOutcomes());
  if (!dialogs.ok()) return dialogs.error();
  stack->dialogs = std::move(dialogs).value();
  if (auto s = SeedCategories(stack->dialogs, store); !s.ok()) return s.error();
  if (config.dialogs.remind_after_minutes > 0) {
    stack->dialogs.timeouts.remind_after_ms = config.dialogs.remind_after_minutes * 60'000LL;
  }
  if (config.dialogs.expire_after_minutes > 0) {
    stack->dialogs.timeouts.expire_after_ms = config.dialogs.expire_after_minutes * 60'000LL;
  }
  if (stack->dialogs.timeouts.expire_after_ms <= stack->dialogs.timeouts.remind_after_ms) {
    return core::MakeError(
        core::ErrorCode::kInvalidArgument,
        "dialogs: expire_after_minutes must be longer than remind_after_minutes");
  }
  stack->engine = std::make_unique<dialog::Engine>(stack->dialogs, catalog, stack->lexicon);

  conversation::Services services;
  services.home_regency = config.regions.home_regency;
  services.unplaced_region = config::UnplacedRegion(config);
  services.utc_offset_minutes = config.tickets.utc_offset_minutes;
  services.code_suffix = std::move(code_suffix);
  auto state_key =
      core::LoadOrCreateKeyFile(config::StateKeyFile(config), true, "conversation state key");
  if (!state_key.ok()) return state_key.error();
  services.state_key = std::move(state_key).value();
  std::error_code ec;
  if (std::filesystem::exists(config.registry.hash_key_file, ec)) {
    auto key = registry::LoadOrCreateKey(config.registry.hash_key_file, false);
    if (!key.ok()) return key.error();
    registry::RegistryOptions options;
    options.store_path = config.store.path;
    options.dir = config.registry.dir;
    options.key = key.value();
    auto reg = registry::Registry::Open(options);
    if (!reg.ok()) return reg.error();
    stack->registry = std::move(reg).value();
    registry::CitizenCheckLimits limits;
    limits.per_hour = config.registry.citizen_checks_per_hour;
    limits.per_day = config.registry.citizen_checks_per_day;
    limits.name_threshold = config.registry.name_match_percent / 100.0;
    limits.per_nik_per_day = config.registry.citizen_checks_per_nik_per_day;
    stack->check = std::make_unique<registry::CitizenCheck>(*stack->registry, limits, metrics);
    services.registry = stack->registry.get();
    services.check = stack->check.get();
  } else {
    core::log::Warn("dialogs.no_registry")
        .Str("reason", "no registry key file: checks unavailable");
  }
  // The region tree, read once on the reader connection.
  std::promise<core::Result<std::shared_ptr<const regions::RegionIndex>>> loaded;
  auto future = loaded.get_future();
  store.Read([&loaded](storage::Db* db, const core::Error* error) {
    if (db == nullptr) {
      loaded.set_value(*error);
      return;
    }
    loaded.set_value(regions::RegionIndex::Load(*db));
  });
  auto index = future.get();
  if (!index.ok()) return index.error();
  services.regions = std::move(index).value();
  stack->regions = services.regions;
  core::log::Info("dialogs.regions")
      .Int("regions", static_cast<std::int64_t>(services.regions->size()));
  stack->conversations =
      std::make_unique<conversation::Conversations>(*stack->engine, catalog, std::move(services));
  return stack;
}

}  // namespace satupintu::app
