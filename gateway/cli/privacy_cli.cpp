#include "cli/privacy_cli.hpp"

#include <cstdio>
#include <optional>

#include "app/privacy_runner.hpp"
#include "cli/context.hpp"
#include "core/clock.hpp"
#include "privacy/purge.hpp"

namespace satupintu::cli {

int PrivacyPurge(const Args& flags) {
  const bool dry_run = flags.Has("dry-run");
  int code = 0;
  std::optional<Context> ctx;
  auto db = OpenCommand(flags, !dry_run, &ctx, &code);
  if (!db) return code;
  const privacy::Retention retention = app::RetentionFrom(ctx->config.retention);
  const std::int64_t now = core::NowMs();
  privacy::Counts counts;
  if (dry_run) {
    auto due = privacy::Due(*db, retention, now);
    if (!due.ok()) {
      std::fprintf(stderr, "satupintu: %s\n", due.error().message.c_str());
      return 1;
    }
    counts = due.value();
  } else {
    auto pass = privacy::Purge(privacy::OnConnection(*db), retention, now, CliActor());
    if (!pass.ok()) {
      std::fprintf(stderr, "satupintu: %s\n", pass.error().message.c_str());
      return 1;
    }
    counts = pass.value().done;
    if (counts.Total() > 0) AnchorAudit(ctx->config, *db);  // its audit row
    if (!pass.value().complete) {
      std::printf("(the citizens' sweep goes on at the next pass)\n");
    }
  }
  std::printf("%s\n", dry_run ? "due (nothing changed):" : "purged:");
  for (std::size_t i = 0; i < privacy::kClasses; ++i) {
    const auto c = static_cast<privacy::DataClass>(i);
    std::printf(
        "  %-17s %lld%s\n", privacy::ClassName(c), static_cast<long long>(counts[c]),
        c == privacy::DataClass::kAuditLog ? " (kept: the hash chain needs every entry)" : "");
  }
  return 0;
}

}  // namespace satupintu::cli
