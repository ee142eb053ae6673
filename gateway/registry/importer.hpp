#pragma once
// `satupintu registry import`: streams a registry file (docs/registry-format.md) into a new
// snapshot file and puts it in force in one step.
//
// Two threads: the reader parses, validates and hashes rows in batches; the caller's thread
// inserts them into the snapshot file. A bounded queue between them keeps memory flat
// whatever the file's size. Bad rows go to the reject file and never stop the import; only
// file-level problems (unreadable, UTF-16, a header without the required columns, no valid
// row at all, the disk filling up) fail it, and then the previous snapshot stays in force.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace satupintu::regions {
class RegionIndex;
}

namespace satupintu::registry {

struct ImportProgress {
  std::uint64_t bytes_read = 0;
  std::uint64_t file_size = 0;
  std::int64_t rows = 0;  // records read so far (good and bad)
  std::int64_t rejected = 0;
  double seconds = 0;
  bool indexing = false;  // reading is done; duplicates and indexes are being built
};

struct ImportOptions {
  std::string input_path;
  std::string format = "canonical";  // or "dtks-pipe"
  std::string rejects_path;          // default: input_path + ".rejects.csv"
  std::string snapshot_date;         // YYYY-MM-DD; overrides the file's (required for dtks-pipe)
  std::string store_path;            // the main store (registry_snapshot, migrated)
  std::string registry_dir;          // where snapshot files go
  std::string key;                   // the registry hash key
  const regions::RegionIndex* regions = nullptr;  // required: village codes and names
  std::string today;  // YYYY-MM-DD; empty: the system date (tests pin it)
  std::function<void(const ImportProgress&)> progress;  // at most ~4 times a second
};

struct ImportSummary {
  std::int64_t snapshot_id = 0;
  std::string snapshot_date;
  std::int64_t records = 0;     // data records read (not the header, not empty lines)
  std::int64_t stored = 0;      // rows in the new snapshot
  std::int64_t rejected = 0;    // bad rows (in the reject file)
  std::int64_t duplicates = 0;  // rows superseded by a later one with the same NIK
  std::int64_t converted_cp1252 = 0;
  std::int64_t empty_lines = 0;
  std::int64_t approximate_regions = 0;         // dtks-pipe: region names resolved within one typo
  std::int64_t nik_warnings = 0;                // NIK's birth date or sex differs from the row's
  std::map<std::string, std::int64_t> reasons;  // reject reason (without detail) -> count
  std::vector<std::string> ignored_columns;
  std::string rejects_path;
  double seconds = 0;
  std::int64_t retired_files_removed = 0;
};

core::Result<ImportSummary> ImportRegistry(const ImportOptions& options);

}  // namespace satupintu::registry
