#pragma once
// Which registry snapshot is in force: rows of `registry_snapshot` in the main store
// (migration 7). The file of a snapshot lives in the registry directory as
// "snapshot-<id>.db". All functions run on a connection to the main store; the state changes
// run in their own BEGIN IMMEDIATE transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::registry {

struct SnapshotEntry {
  std::int64_t id = 0;
  std::string file;  // name within the registry directory
  std::string state;
  std::string format;
  std::string source_name;
  std::string snapshot_date;
  std::string key_fingerprint;
  std::int64_t rows = 0;
  std::int64_t rejected = 0;
  std::int64_t duplicates = 0;
  std::int64_t started_at_ms = 0;
  std::int64_t finished_at_ms = 0;
};

// Adds a 'building' row and returns it (file name set from the new id).
core::Result<SnapshotEntry> BeginSnapshot(storage::Db& db, const std::string& format,
                                          const std::string& source_name,
                                          const std::string& snapshot_date,
                                          const std::string& key_fingerprint, std::int64_t now_ms);

// Makes `id` the one in force and retires the previous one, in one transaction. Returns the
// files of snapshots that are no longer needed (retired, failed, abandoned builds).
core::Result<std::vector<std::string>> ActivateSnapshot(storage::Db& db, std::int64_t id,
                                                        std::int64_t rows, std::int64_t rejected,
                                                        std::int64_t duplicates,
                                                        std::int64_t now_ms);

core::Status FailSnapshot(storage::Db& db, std::int64_t id, std::int64_t now_ms);

core::Result<std::optional<SnapshotEntry>> CurrentSnapshot(storage::Db& db);

// Most recent first.
core::Result<std::vector<SnapshotEntry>> ListSnapshots(storage::Db& db, int limit);

}  // namespace satupintu::registry
