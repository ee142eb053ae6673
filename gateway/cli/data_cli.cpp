#include "cli/data_cli.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include "api/csv.hpp"
#include "audit/audit_log.hpp"
#include "cli/context.hpp"
#include "config/config.hpp"
#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "regions/import.hpp"
#include "regions/region_index.hpp"
#include "registry/identity_hash.hpp"
#include "registry/importer.hpp"
#include "registry/registry.hpp"
#include "registry/snapshot_catalog.hpp"
#include "registry_io/nik.hpp"
#include "storage/store.hpp"

namespace satupintu::cli {
namespace {

using core::NowMs;

std::string Thousands(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

core::Result<std::shared_ptr<const regions::RegionIndex>> LoadRegions(
    const config::Config& config) {
  auto db = OpenStoreDb(config, false);
  if (!db.ok()) return db.error();
  auto index = regions::RegionIndex::Load(*db.value());
  if (!index.ok()) return index.error();
  if (index.value()->count(regions::Level::kVillage) == 0) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "the region tree is empty: run `satupintu regions import` first");
  }
  return index;
}
}  // namespace

int RegionsImport(const Args& flags) {
  int code = 0;
  std::optional<Context> ctx;
  auto db = OpenCommand(flags, true, &ctx, &code);
  if (!db) return code;
  const std::string dir =
      flags.Get("from").empty() ? ctx->config.regions.data_dir : flags.Get("from");
  const auto summary = regions::ImportRegions(*db, dir);
  for (const auto& skipped : summary.skipped) {
    std::fprintf(stderr, "  %s line %zu: %s\n", skipped.file.c_str(), skipped.line,
                 skipped.reason.c_str());
  }
  if (!summary.status.ok()) {
    std::fprintf(stderr,
                 "satupintu: regions import failed: %s\nThe region tree in force has not "
                 "changed.\n",
                 summary.status.error().message.c_str());
    return 1;
  }
  std::printf(
      "regions import: %s %s: %zu provinces, %zu regencies/cities, %zu kecamatan, %zu "
      "villages (%zu lines skipped)\n",
      summary.package.c_str(), summary.version.c_str(), summary.imported[0], summary.imported[1],
      summary.imported[2], summary.imported[3], summary.skipped_count);
  return 0;
}

int RegionsSearch(const Args& flags) {
  int code = 0;
  auto ctx = Prepare(flags, &code);
  if (!ctx) return code;
  std::string query;
  for (const auto& w : flags.positional) query += (query.empty() ? "" : " ") + w;
  if (query.empty()) {
    std::fprintf(stderr, "satupintu: regions search needs words to look for\n");
    return 2;
  }
  auto index = LoadRegions(ctx->config);
  if (!index.ok()) {
    std::fprintf(stderr, "satupintu: %s\n", index.error().message.c_str());
    return 1;
  }
  regions::SearchOptions options;
  options.within = flags.Get("within");
  options.prefer = ctx->config.regions.home_regency;
  if (!flags.Get("limit").empty()) options.limit = std::stoul(flags.Get("limit"));
  for (const auto& hit : index.value()->Search(query, options)) {
    std::printf("%-14s %-9s %-8s %.3f  %s\n", hit.region->code.c_str(),
                regions::LevelName(hit.region->level), regions::MatchKindName(hit.how), hit.score,
                hit.label.c_str());
  }
  return 0;
}

// A progress bar on a terminal, plain lines every 5 s otherwise.
class ProgressPrinter {
 public:
  ProgressPrinter() : tty_(::isatty(STDERR_FILENO) == 1) {}
  void operator()(const registry::ImportProgress& p) {
    const double fraction =
        p.file_size > 0 ? static_cast<double>(p.bytes_read) / static_cast<double>(p.file_size) : 0;
    const double rate = p.seconds > 0 ? static_cast<double>(p.rows) / p.seconds : 0;
    const double eta = fraction > 0.01 ? p.seconds * (1 - fraction) / fraction : 0;
    char line[200];
    if (p.indexing) {
      std::snprintf(line, sizeof line, "%s rows read, building indexes...",
                    Thousands(p.rows).c_str());
    } else if (tty_) {
      const int width = 24;
      const int done = static_cast<int>(fraction * width);
      std::string bar(static_cast<std::size_t>(done), '#');
      bar.resize(width, '.');
      std::snprintf(line, sizeof line, "[%s] %3.0f%%  %s rows  %s rows/s  ETA %d:%02d  rejected %s",
                    bar.c_str(), fraction * 100, Thousands(p.rows).c_str(),
                    Thousands(static_cast<std::int64_t>(rate)).c_str(), static_cast<int>(eta) / 60,
                    static_cast<int>(eta) % 60, Thousands(p.rejected).c_str());
    } else {
      if (p.seconds - last_plain_ < 5) return;
      last_plain_ = p.seconds;
      std::snprintf(line, sizeof line,
                    "progress: %.0f%% rows=%lld rows_per_s=%.0f eta_s=%.0f rejected=%lld",
                    fraction * 100, static_cast<long long>(p.rows), rate, eta,
                    static_cast<long long>(p.rejected));
    }
    if (tty_) {
      std::fprintf(stderr, "\r%-100s", line);
    } else {
      std::fprintf(stderr, "%s\n", line);
    }
    std::fflush(stderr);
  }
  void Done() const {
    if (tty_) std::fprintf(stderr, "\r%-100s\r", "");
  }

 private:
  bool tty_;
  double last_plain_ = -10;
};

int RegistryImport(const Args& flags) {
  if (flags.positional.size() != 1) {
    std::fprintf(stderr, "satupintu: registry import needs exactly one FILE\n");
    return 2;
  }
  if (flags.Get("format") == "dtks-pipe" && flags.Get("snapshot-date").empty()) {
    std::fprintf(stderr,
                 "satupintu: the dtks-pipe format has no snapshot date: give --snapshot-date "
                 "YYYY-MM-DD\n");
    return 2;
  }
  int code = 0;
  auto ctx = Prepare(flags, &code);
  if (!ctx) return code;
  auto key = registry::LoadOrCreateKey(ctx->config.registry.hash_key_file,
                                       ctx->config.registry.create_key);
  if (!key.ok()) {
    std::fprintf(stderr, "satupintu: %s\n", key.error().message.c_str());
    return 2;
  }
  auto index = LoadRegions(ctx->config);
  if (!index.ok()) {
    std::fprintf(stderr, "satupintu: %s\n", index.error().message.c_str());
    return 1;
  }
  registry::ImportOptions options;
  options.input_path = flags.positional[0];
  if (!flags.Get("format").empty()) options.format = flags.Get("format");
  options.rejects_path = flags.Get("rejects");
  options.snapshot_date = flags.Get("snapshot-date");
  options.today = flags.Get("today");
  options.store_path = ctx->config.store.path;
  options.registry_dir = ctx->config.registry.dir;
  options.key = key.value();
  options.regions = index.value().get();
  ProgressPrinter printer;
  options.progress = [&printer](const registry::ImportProgress& p) { printer(p); };
  auto summary = registry::ImportRegistry(options);
  printer.Done();
  if (!summary.ok()) {
    std::fprintf(stderr,
                 "satupintu: registry import failed: %s\nThe snapshot in force has not changed.\n",
                 summary.error().message.c_str());
    return 1;
  }
  const auto& s = summary.value();
  // The import is on the record: who put which snapshot in force, from how many rows.
  auto db = OpenStoreDb(ctx->config, true);
  core::Status audited = db.ok() ? core::Status() : core::Status(db.error());
  if (audited.ok()) {
    audited = Audited(
        *db.value(), "registry.import", "registry update",
        [&]() -> core::Result<std::string> { return "snapshot:" + std::to_string(s.snapshot_id); });
    AnchorAudit(ctx->config, *db.value());
  }
  if (!audited.ok()) {
    std::fprintf(stderr, "satupintu: warning: the import is in force but not audited: %s\n",
                 audited.error().message.c_str());
  }
  std::printf("registry import: snapshot %lld (%s) is now in force\n",
              static_cast<long long>(s.snapshot_id), s.snapshot_date.c_str());
  std::printf("  records read        %s\n", Thousands(s.records).c_str());
  std::printf("  stored              %s\n", Thousands(s.stored).c_str());
  std::printf("  rejected            %s%s%s\n", Thousands(s.rejected).c_str(),
              s.rejected + s.duplicates > 0 ? "  (see " : "",
              s.rejected + s.duplicates > 0 ? (s.rejects_path + ")").c_str() : "");
  for (const auto& [reason, n] : s.reasons) {
    std::printf("    %-30s %s\n", reason.c_str(), Thousands(n).c_str());
  }
  std::printf("  duplicate NIKs      %s (the last row of each kept)\n",
              Thousands(s.duplicates).c_str());
  if (s.converted_cp1252 > 0) {
    std::printf("  Windows-1252 lines  %s (converted to UTF-8)\n",
                Thousands(s.converted_cp1252).c_str());
  }
  if (s.empty_lines > 0)
    std::printf("  empty lines         %s\n", Thousands(s.empty_lines).c_str());
  if (s.approximate_regions > 0) {
    std::printf("  regions by a typo   %s (resolved within one edit)\n",
                Thousands(s.approximate_regions).c_str());
  }
  if (s.nik_warnings > 0) {
    std::printf("  NIK date/sex differs %s (kept; warning only)\n",
                Thousands(s.nik_warnings).c_str());
  }
  for (const auto& c : s.ignored_columns) std::printf("  ignored column      %s\n", c.c_str());
  std::printf("  time                %.1f s (%s rows/s)\n", s.seconds,
              Thousands(static_cast<std::int64_t>(
                            s.seconds > 0 ? static_cast<double>(s.records) / s.seconds : 0))
                  .c_str());
  return 0;
}

int RegistryStatus(const Args& flags) {
  int code = 0;
  std::optional<Context> ctx;
  auto db = OpenCommand(flags, false, &ctx, &code);
  if (!db) return code;
  auto list = registry::ListSnapshots(*db, 10);
  if (!list.ok()) {
    std::fprintf(stderr, "satupintu: %s\n", list.error().message.c_str());
    return 1;
  }
  if (list.value().empty()) std::printf("no registry snapshot imported yet\n");
  for (const auto& e : list.value()) {
    std::printf("%-4lld %-9s %-10s %-10s rows=%lld rejected=%lld duplicates=%lld source=%s\n",
                static_cast<long long>(e.id), e.state.c_str(), e.snapshot_date.c_str(),
                e.format.c_str(), static_cast<long long>(e.rows),
                static_cast<long long>(e.rejected), static_cast<long long>(e.duplicates),
                e.source_name.c_str());
  }
  return 0;
}

namespace {

void PrintPerson(const registry::PersonRecord& p) {
  std::string programmes;
  for (const auto& g : p.programmes) {
    programmes += (programmes.empty() ? "" : ", ") + g.code + " " + g.from +
                  (g.to == g.from ? "" : ".." + g.to);
  }
  std::printf("%s  kk %s  %s  %c  %s  village %s  %s  desil %s  %s%s%s\n", p.nik_masked.c_str(),
              p.kk_masked.c_str(), p.name.c_str(), p.sex, p.birth_date.c_str(),
              p.village_code.c_str(), p.status.c_str(),
              p.desil == 0 ? "-" : std::to_string(p.desil).c_str(), p.relationship.c_str(),
              programmes.empty() ? "" : "  programmes: ", programmes.c_str());
}

// One audit row for an operator's command, in its own transaction, by "cli:<login>".
core::Status AppendCliAudit(storage::Db& db, audit::Entry entry) {
  entry.at_ms = NowMs();
  entry.actor = CliActor();
  core::Status written = db.Exec("BEGIN IMMEDIATE");
  if (written.ok()) {
    auto id = audit::Append(db, entry);
    written = id.ok() ? db.Exec("COMMIT") : core::Status(id.error());
  }
  if (!written.ok()) (void)db.Exec("ROLLBACK");
  return written;
}

}  // namespace

int RegistryLookup(const Args& flags) {
  const std::string purpose = flags.Get("purpose");
  if (purpose.empty()) {
    std::fprintf(stderr, "satupintu: registry lookup needs --purpose (it goes to the audit log)\n");
    return 2;
  }
  int code = 0;
  auto ctx = Prepare(flags, &code);
  if (!ctx) return code;
  auto key = registry::LoadOrCreateKey(ctx->config.registry.hash_key_file, false);
  if (!key.ok()) {
    std::fprintf(stderr, "satupintu: %s\n", key.error().message.c_str());
    return 1;
  }
  registry::RegistryOptions options;
  options.store_path = ctx->config.store.path;
  options.dir = ctx->config.registry.dir;
  options.key = key.value();
  auto reg = registry::Registry::Open(options);
  if (!reg.ok()) {
    std::fprintf(stderr, "satupintu: %s\n", reg.error().message.c_str());
    return 1;
  }
  std::vector<registry::PersonRecord> found;
  std::string object;
  std::string action;
  core::Status failed;
  if (!flags.Get("nik").empty()) {
    const auto nik = registry_io::ParseNik(flags.Get("nik"), registry_io::LocalToday());
    if (!nik.ok()) {
      std::fprintf(stderr, "satupintu: not a valid NIK (%s)\n",
                   registry_io::NikErrorCode(nik.error));
      return 2;
    }
    action = "registry.lookup.nik";
    object = "nik:" + registry_io::MaskId(nik.digits);
    auto r = reg.value()->ByNik(nik.digits);
    if (!r.ok())
      failed = r.error();
    else if (r.value())
      found.push_back(*r.value());
  } else if (!flags.Get("kk").empty()) {
    const auto kk = registry_io::ParseKk(flags.Get("kk"));
    if (!kk.ok()) {
      std::fprintf(stderr, "satupintu: not a valid KK number (%s)\n",
                   registry_io::KkErrorCode(kk.error));
      return 2;
    }
    action = "registry.lookup.kk";
    object = "kk:" + registry_io::MaskId(kk.digits);
    auto r = reg.value()->ByKk(kk.digits);
    if (!r.ok())
      failed = r.error();
    else
      found = std::move(r.value());
  } else if (!flags.Get("village").empty() && !flags.Get("name").empty()) {
    const std::int64_t village = registry::VillageCodeNumber(flags.Get("village"));
    if (village == 0) {
      std::fprintf(stderr, "satupintu: --village needs a village code like 32.01.01.2001\n");
      return 2;
    }
    action = "registry.lookup.village_name";
    object = "village:" + registry::VillageCodeText(village);
    auto r = reg.value()->ByVillageAndName(village, flags.Get("name"),
                                           ctx->config.registry.name_match_percent / 100.0, 20);
    if (!r.ok())
      failed = r.error();
    else
      for (auto& c : r.value()) found.push_back(std::move(c.person));
  } else {
    std::fprintf(stderr, "satupintu: registry lookup needs --nik, --kk, or --village and --name\n");
    return 2;
  }
  if (!failed.ok()) {
    std::fprintf(stderr, "satupintu: lookup failed: %s\n", failed.error().message.c_str());
    return 1;
  }
  auto db = OpenStoreDb(ctx->config, true);
  if (!db.ok()) {
    std::fprintf(stderr, "satupintu: %s\n", db.error().message.c_str());
    return 1;
  }
  audit::Entry entry;
  entry.action = action;
  entry.object = object;
  entry.purpose = purpose;
  entry.outcome = "found:" + std::to_string(found.size());
  if (core::Status written = AppendCliAudit(*db.value(), std::move(entry)); !written.ok()) {
    // No audit entry, no answer.
    std::fprintf(stderr, "satupintu: the audit log could not be written; lookup withheld: %s\n",
                 written.error().message.c_str());
    return 1;
  }
  auto current = reg.value()->Current();
  std::printf("snapshot %s: %zu found\n",
              current.ok() ? current.value().snapshot_date.c_str() : "?", found.size());
  for (const auto& p : found) PrintPerson(p);
  return 0;
}

int AuditVerify(const Args& flags) {
  int code = 0;
  std::optional<Context> ctx;
  auto db = OpenCommand(flags, false, &ctx, &code);
  if (!db) return code;
  auto anchor = audit::ReadAnchor(config::AuditAnchorFile(ctx->config));
  if (!anchor.ok()) {
    std::fprintf(stderr, "satupintu: %s\n", anchor.error().message.c_str());
    return 1;
  }
  auto report = audit::Verify(*db, anchor.value());
  if (!report.ok()) {
    std::fprintf(stderr, "satupintu: %s\n", report.error().message.c_str());
    return 1;
  }
  if (!report.value().ok) {
    std::printf("audit log BROKEN after %lld entries: %s\n",
                static_cast<long long>(report.value().entries - 1), report.value().problem.c_str());
    return 1;
  }
  std::printf("audit log intact: %lld entries\n", static_cast<long long>(report.value().entries));
  return 0;
}

// The audit log as CSV (RFC 4180), every column including the chain, from `--from-id`: an
// auditor can check the chain outside the gateway. Its own row is appended first, so the export
// records itself.
int AuditExport(const Args& flags) {
  int code = 0;
  std::optional<Context> ctx;
  auto db = OpenCommand(flags, true, &ctx, &code);
  if (!db) return code;
  std::int64_t from_id = 1;
  if (const std::string f = flags.Get("from-id"); !f.empty()) {
    char* end = nullptr;
    from_id = std::strtoll(f.c_str(), &end, 10);
    if (end == f.c_str() || *end != '\0' || from_id < 1) {
      std::fprintf(stderr, "satupintu: --from-id: a row number from 1\n");
      return 2;
    }
  }
  audit::Entry self;
  self.action = "audit.export";
  self.object = "audit_log:" + std::to_string(from_id) + "-";
  self.purpose = "audit export";
  self.outcome = "exported";
  if (!AppendCliAudit(*db, std::move(self)).ok()) {
    std::fprintf(stderr, "satupintu: the audit log could not be written; export withheld\n");
    return 1;
  }
  auto rows = db->Prepare(
      "SELECT id, at_ms, actor, action, object, purpose, ip, outcome, prev_hash, hash"
      " FROM audit_log WHERE id >= ? ORDER BY id");
  if (!rows.ok()) {
    std::fprintf(stderr, "satupintu: %s\n", rows.error().message.c_str());
    return 1;
  }
  std::fputs(api::CsvRow({"id", "at", "actor", "action", "object", "purpose", "ip", "outcome",
                          "prev_hash", "hash"})
                 .c_str(),
             stdout);
  auto* st = rows.value();
  st->Bind(1, from_id);
  int rc;
  while ((rc = st->Step()) == SQLITE_ROW) {
    std::vector<std::string> fields;
    fields.push_back(std::to_string(st->ColumnInt(0)));
    fields.push_back(api::IsoTimestamp(st->ColumnInt(1), ctx->config.tickets.utc_offset_minutes));
    for (int i = 2; i < 10; ++i) fields.push_back(st->ColumnText(i));
    std::fputs(api::CsvRow(fields).c_str(), stdout);
  }
  st->Reset();
  if (rc != SQLITE_DONE) {
    std::fprintf(stderr, "satupintu: reading the audit log failed\n");
    return 1;
  }
  return 0;
}

}  // namespace satupintu::cli
