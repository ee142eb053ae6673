#include "regions/import.hpp"

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_set>

#include "core/clock.hpp"
#include "registry_io/csv_reader.hpp"

namespace satupintu::regions {
namespace {

using core::ErrorCode;
using core::MakeError;

struct FileSpec {
  const char* file;
  const char* parent_column;  // nullptr for provinces
};

constexpr std::array<FileSpec, 4> kFiles = {{
    {"provinces.csv", nullptr},
    {"regencies.csv", "province_code"},
    {"districts.csv", "regency_code"},
    {"villages.csv", "district_code"},
}};

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string Trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return {};
  const auto end = s.find_last_not_of(" \t");
  return s.substr(begin, end - begin + 1);
}

void Skip(ImportSummary& summary, const char* file, std::size_t line, std::string reason) {
  ++summary.skipped_count;
  if (summary.skipped.size() < kMaxSkippedListed) {
    summary.skipped.push_back({file, line, std::move(reason)});
  }
}

// name and version from the package.json above the data directory, if there is one.
void ReadPackageJson(const std::string& data_dir, ImportSummary& summary) {
  std::ifstream in(data_dir + "/../package.json");
  if (!in) return;
  std::stringstream text;
  text << in.rdbuf();
  const auto doc = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return;
  if (summary.package.empty() && doc.contains("name") && doc["name"].is_string()) {
    summary.package = doc["name"].get<std::string>();
  }
  if (summary.version.empty() && doc.contains("version") && doc["version"].is_string()) {
    summary.version = doc["version"].get<std::string>();
  }
}

// Reads one level's file, appending accepted rows to `out` and their codes to `accepted`.
core::Status ReadLevel(const std::string& data_dir, std::size_t level_index,
                       const std::unordered_set<std::string>& parents,
                       std::unordered_set<std::string>& accepted, std::vector<Region>& out,
                       ImportSummary& summary) {
  const FileSpec& spec = kFiles[level_index];
  const auto level = static_cast<Level>(level_index + 1);
  const std::string path = data_dir + "/" + spec.file;
  auto reader = registry_io::CsvReader::Open(path);
  if (!reader.ok()) {
    if (reader.error().code == ErrorCode::kNotFound) {
      return MakeError(ErrorCode::kNotFound, std::string("region data not found: ") + path +
                                                 "; run: " + kRegionsInstallCommand);
    }
    auto e = reader.error();
    e.message = std::string(spec.file) + ": " + e.message;
    return e;
  }
  registry_io::CsvRecord record;
  if (!reader->Next(record) || !record.error.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(spec.file) + ": no header line");
  }
  int code_col = -1;
  int parent_col = -1;
  int name_col = -1;
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    const std::string column = Lower(Trim(record.fields[i]));
    if (column == "code") code_col = static_cast<int>(i);
    if (column == "name") name_col = static_cast<int>(i);
    if (spec.parent_column != nullptr && column == spec.parent_column) {
      parent_col = static_cast<int>(i);
    }
  }
  for (const auto& [col, name] : {std::pair{code_col, "code"}, std::pair{name_col, "name"},
                                  std::pair{parent_col, spec.parent_column}}) {
    if (name != nullptr && col < 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string(spec.file) + ": missing column " + name);
    }
  }
  const auto needed = static_cast<std::size_t>(std::max({code_col, parent_col, name_col})) + 1;

  while (reader->Next(record)) {
    const std::size_t line = record.line;
    if (!record.error.empty()) {
      Skip(summary, spec.file, line, record.error);
      continue;
    }
    if (record.fields.size() < needed) {
      Skip(summary, spec.file, line, "missing fields");
      continue;
    }
    const auto code = NormalizeCode(Trim(record.fields[static_cast<std::size_t>(code_col)]));
    if (!code || LevelOfCode(*code) != level) {
      Skip(summary, spec.file, line, std::string("bad code for a ") + LevelName(level));
      continue;
    }
    Region region{*code, ParentOfCode(*code), level,
                  Trim(record.fields[static_cast<std::size_t>(name_col)])};
    if (region.name.empty()) {
      Skip(summary, spec.file, line, "empty name");
      continue;
    }
    if (parent_col >= 0) {
      const auto parent = NormalizeCode(Trim(record.fields[static_cast<std::size_t>(parent_col)]));
      if (!parent || *parent != region.parent) {
        Skip(summary, spec.file, line, "parent does not match the code");
        continue;
      }
      if (!parents.contains(region.parent)) {
        Skip(summary, spec.file, line, "unknown parent");
        continue;
      }
    }
    if (!accepted.insert(region.code).second) {
      Skip(summary, spec.file, line, "duplicate code");
      continue;
    }
    ++summary.imported[level_index];
    out.push_back(std::move(region));
  }
  if (reader->io_error()) {
    return MakeError(ErrorCode::kUnavailable, std::string(spec.file) + ": read error");
  }
  return {};
}

using core::NowMs;

core::Status WriteTree(storage::Db& db, const RegionFiles& files, std::int64_t now_ms) {
  if (auto s = db.Exec("DELETE FROM region"); !s.ok()) return s;
  auto insert = db.Prepare("INSERT INTO region (code, parent, level, name) VALUES (?, ?, ?, ?)");
  if (!insert.ok()) return insert.error();
  for (const Region& r : files.regions) {
    storage::Stmt& q = *insert.value();
    q.Bind(1, r.code);
    if (r.parent.empty()) {
      q.BindNull(2);
    } else {
      q.Bind(2, r.parent);
    }
    q.Bind(3, std::int64_t{static_cast<int>(r.level)}).Bind(4, r.name);
    if (auto s = q.Run(); !s.ok()) return s;
  }
  auto source = db.Prepare(
      "INSERT OR REPLACE INTO region_source (id, package, version, imported_at_ms, provinces,"
      " regencies, districts, villages) VALUES (1, ?, ?, ?, ?, ?, ?, ?)");
  if (!source.ok()) return source.error();
  const auto& n = files.summary.imported;
  return source.value()
      ->Bind(1, files.summary.package)
      .Bind(2, files.summary.version)
      .Bind(3, now_ms)
      .Bind(4, static_cast<std::int64_t>(n[0]))
      .Bind(5, static_cast<std::int64_t>(n[1]))
      .Bind(6, static_cast<std::int64_t>(n[2]))
      .Bind(7, static_cast<std::int64_t>(n[3]))
      .Run();
}

}  // namespace

RegionFiles ReadRegionFiles(const std::string& data_dir, const ImportOptions& options) {
  RegionFiles files;
  ImportSummary& summary = files.summary;
  summary.package = options.package;
  summary.version = options.version;
  ReadPackageJson(data_dir, summary);
  if (summary.package.empty()) summary.package = "unknown";
  if (summary.version.empty()) summary.version = "unknown";

  std::unordered_set<std::string> parents;
  for (std::size_t level_index = 0; level_index < kFiles.size(); ++level_index) {
    std::unordered_set<std::string> accepted;
    summary.status = ReadLevel(data_dir, level_index, parents, accepted, files.regions, summary);
    if (!summary.status.ok()) return files;
    parents = std::move(accepted);
  }
  return files;
}

ImportSummary ReplaceRegions(storage::Db& db, RegionFiles files, const ImportOptions& options) {
  ImportSummary& summary = files.summary;
  if (!summary.status.ok()) return std::move(summary);
  if (summary.skipped_count > options.max_skipped) {
    summary.status =
        MakeError(ErrorCode::kInvalidArgument,
                  std::to_string(summary.skipped_count) + " lines rejected (allowed: " +
                      std::to_string(options.max_skipped) + "); the region tree was not changed");
    return std::move(summary);
  }
  if (auto s = db.Exec("SAVEPOINT region_import"); !s.ok()) {
    summary.status = s;
    return std::move(summary);
  }
  core::Status written = WriteTree(db, files, options.now_ms != 0 ? options.now_ms : NowMs());
  if (written.ok()) written = db.Exec("RELEASE region_import");
  if (!written.ok()) {
    (void)db.Exec("ROLLBACK TO region_import");
    (void)db.Exec("RELEASE region_import");
    auto e = written.error();
    e.message = "region import failed, the region tree was not changed: " + e.message;
    summary.status = e;
  }
  return std::move(summary);
}

ImportSummary ImportRegions(storage::Db& db, const std::string& data_dir,
                            const ImportOptions& options) {
  return ReplaceRegions(db, ReadRegionFiles(data_dir, options), options);
}

}  // namespace satupintu::regions
