#pragma once
// Importing the official region tree from the idn-area-data package's CSV files
// (provinces.csv `code,name`; regencies.csv `code,province_code,name`; districts.csv
// `code,regency_code,name`; villages.csv `code,district_code,name`; header names in any
// column order, extra columns ignored) into the `region` table.
//
// The tree is replaced as a whole or not at all: all four files are read and checked first,
// and only when no more than `max_skipped` lines were rejected is the table rewritten, inside
// one savepoint (so the import composes with a caller's transaction or store job). Importing
// the same files again leaves the same rows (only region_source.imported_at_ms changes).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "regions/region.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::regions {

// Printed in errors when the data directory is missing, and in the READMEs.
inline constexpr const char* kRegionsInstallCommand =
    "npm ci --ignore-scripts --no-audit --no-fund --prefix deploy/regions";

struct ImportOptions {
  std::string package{};  // empty: "name" of <data_dir>/../package.json
  std::string version{};  // empty: "version" there
  // More rejected lines than this and nothing is written. The official list has none.
  std::size_t max_skipped = 0;
  std::int64_t now_ms = 0;  // 0: the system clock
};

struct SkippedLine {
  std::string file;  // "villages.csv"
  std::size_t line = 0;
  std::string reason;  // "unknown parent", "bad code", "duplicate code", "empty name", ...
};

struct ImportSummary {
  // ok: the tree was replaced. Otherwise why not (missing file or column, too many skipped
  // lines, a database error); the previous tree is then untouched.
  core::Status status;
  std::string package;
  std::string version;
  std::array<std::size_t, 4> imported{};  // accepted rows per level (index 0 = provinces)
  std::size_t skipped_count = 0;
  std::vector<SkippedLine> skipped;  // the first kMaxSkippedListed of them
};

inline constexpr std::size_t kMaxSkippedListed = 1000;

struct RegionFiles {
  std::vector<Region> regions;  // provinces, regencies, kecamatan, villages, each in file order
  ImportSummary summary;
};

// Reads and checks the four files (no database): for callers that hand only the write to the
// store's writer thread.
RegionFiles ReadRegionFiles(const std::string& data_dir, const ImportOptions& options = {});

// Replaces the tree with `files.regions` when files.summary.status is ok and the skipped
// lines are within options.max_skipped; returns the summary with the outcome.
ImportSummary ReplaceRegions(storage::Db& db, RegionFiles files, const ImportOptions& options = {});

// ReadRegionFiles, then ReplaceRegions.
ImportSummary ImportRegions(storage::Db& db, const std::string& data_dir,
                            const ImportOptions& options = {});

}  // namespace satupintu::regions
