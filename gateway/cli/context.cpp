#include "cli/context.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "audit/audit_log.hpp"
#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "schema/schema.hpp"
#include "storage/store.hpp"

namespace satupintu::cli {

std::optional<config::Config> LoadConfig(const Args& flags, int* exit_code) {
  const std::string file = flags.Get("config");
  if (file.empty()) return config::Config{};
  auto c = config::LoadConfigFile(file);
  if (!c.ok()) {
    std::fprintf(stderr, "satupintu: invalid configuration\n%s\n", c.error().message.c_str());
    *exit_code = 2;
    return std::nullopt;
  }
  return std::move(c.value());
}

std::optional<Context> Prepare(const Args& flags, int* exit_code) {
  auto config = LoadConfig(flags, exit_code);
  if (!config) return std::nullopt;
  Context ctx{std::move(*config)};
  std::error_code ec;
  const auto parent = std::filesystem::path(ctx.config.store.path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  storage::StoreOptions options;
  options.migrations = schema::Migrations();
  options.path = ctx.config.store.path;
  core::MetricsRegistry metrics;
  auto store = storage::Store::Open(options, &metrics);
  if (!store.ok()) {
    std::fprintf(stderr, "satupintu: cannot open the store %s: %s\n", options.path.c_str(),
                 store.error().message.c_str());
    *exit_code = 1;
    return std::nullopt;
  }
  store.value()->Close();
  return ctx;
}

core::Result<std::unique_ptr<storage::Db>> OpenStoreDb(const config::Config& config, bool write) {
  auto db = storage::Db::Open(config.store.path, !write, /*create=*/false);
  if (!db.ok()) return db.error();
  (void)db.value()->Exec("PRAGMA busy_timeout=5000");
  return db;
}

std::unique_ptr<storage::Db> OpenCommand(const Args& flags, bool write, std::optional<Context>* ctx,
                                         int* exit_code) {
  *ctx = Prepare(flags, exit_code);
  if (!*ctx) return nullptr;
  auto db = OpenStoreDb((*ctx)->config, write);
  if (!db.ok()) {
    std::fprintf(stderr, "satupintu: %s\n", db.error().message.c_str());
    *exit_code = 1;
    return nullptr;
  }
  return std::move(db.value());
}

std::string CliActor() {
  const char* user = std::getenv("USER");
  return std::string("cli:") + (user != nullptr ? user : "unknown");
}

core::Status Audited(storage::Db& db, const std::string& action, const std::string& purpose,
                     const std::function<core::Result<std::string>()>& change) {
  if (auto s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  auto object = change();
  core::Status written = object.ok() ? core::Status() : core::Status(object.error());
  if (written.ok()) {
    audit::Entry entry;
    entry.at_ms = core::NowMs();
    entry.actor = CliActor();
    entry.action = action;
    entry.object = object.value();
    entry.purpose = purpose;
    entry.outcome = "ok";
    auto id = audit::Append(db, entry);
    written = id.ok() ? db.Exec("COMMIT") : core::Status(id.error());
  }
  if (!written.ok()) (void)db.Exec("ROLLBACK");
  return written;
}

void AnchorAudit(const config::Config& config, storage::Db& db) {
  auto head = audit::HeadOf(db);
  core::Status s = head.ok() ? audit::WriteAnchor(config::AuditAnchorFile(config), head.value())
                             : core::Status(head.error());
  if (!s.ok()) std::fprintf(stderr, "satupintu: warning: %s\n", s.error().message.c_str());
}

int WithStore(const Args& flags,
              const std::function<int(const config::Config&, storage::Db&)>& command) {
  int code = 0;
  std::optional<Context> ctx;
  auto db = OpenCommand(flags, true, &ctx, &code);
  if (!db) return code;
  const int result = command(ctx->config, *db);
  AnchorAudit(ctx->config, *db);
  return result;
}

}  // namespace satupintu::cli
