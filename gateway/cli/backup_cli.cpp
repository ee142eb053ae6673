#include "cli/backup_cli.hpp"

#include <cstdio>
#include <optional>
#include <string>

#include "app/build_info.hpp"
#include "backup/backup.hpp"
#include "cli/context.hpp"
#include "config/config.hpp"
#include "core/clock.hpp"

namespace satupintu::cli {
namespace {

backup::Paths PathsOf(const config::Config& config) {
  return {config.store.path,
          config.registry.dir,
          config.registry.hash_key_file,
          config::UsersKeyFile(config),
          config::StateKeyFile(config),
          config::AuditAnchorFile(config)};
}

void PrintManifest(const backup::Manifest& m) {
  std::printf("schema version %d, satupintu %s, taken at %lld ms\n", m.schema_version,
              m.satupintu_version.c_str(), static_cast<long long>(m.created_at_ms));
  for (const auto& f : m.files) {
    std::printf("  %-22s %-18s %12llu  %s\n", f.name.c_str(), f.role.c_str(),
                static_cast<unsigned long long>(f.bytes), f.sha256.c_str());
  }
}

int Failed(const core::Error& e) {
  std::fprintf(stderr, "satupintu: %s%s%s\n", e.message.c_str(), e.detail.empty() ? "" : ": ",
               e.detail.c_str());
  return 1;
}

}  // namespace

int Backup(const Args& flags) {
  const std::string to = flags.Get("to");
  if (to.empty()) {
    std::fprintf(stderr, "satupintu: backup needs --to DIR (a new directory)\n");
    return 2;
  }
  int code = 0;
  auto config = LoadConfig(flags, &code);
  if (!config) return code;
  auto manifest = backup::TakeBackup(PathsOf(*config), to, {app::BuildVersion(), core::NowMs()});
  if (!manifest.ok()) return Failed(manifest.error());
  // The backup holds every citizen's data: who took it, and where, goes in the audit log.
  auto db = OpenStoreDb(*config, /*write=*/true);
  core::Status audited =
      db.ok() ? Audited(*db.value(), "store.backup", "backup",
                        [&]() -> core::Result<std::string> { return "backup:" + to; })
              : core::Status(db.error());
  if (!audited.ok()) {
    std::fprintf(stderr, "satupintu: the backup is complete but could not be audited: %s\n",
                 audited.error().message.c_str());
    return 1;
  }
  AnchorAudit(*config, *db.value());
  std::printf("backup written to %s\n", to.c_str());
  PrintManifest(manifest.value());
  return 0;
}

int Restore(const Args& flags) {
  const std::string from = flags.Get("from");
  if (from.empty()) {
    std::fprintf(stderr, "satupintu: restore needs --from DIR (a backup directory)\n");
    return 2;
  }
  if (flags.Has("check")) {
    auto manifest = backup::ReadVerified(from);
    if (!manifest.ok()) return Failed(manifest.error());
    std::printf("%s: complete, every file matches the manifest\n", from.c_str());
    PrintManifest(manifest.value());
    return 0;
  }
  int code = 0;
  auto config = LoadConfig(flags, &code);
  if (!config) return code;
  auto manifest = backup::Restore(PathsOf(*config), from, {flags.Has("replace")});
  if (!manifest.ok()) return Failed(manifest.error());
  std::printf("restored %s to %s\n", from.c_str(), config->store.path.c_str());
  PrintManifest(manifest.value());
  std::printf(
      "start the gateway: it migrates a store of an older version and refuses a newer one\n");
  return 0;
}

}  // namespace satupintu::cli
