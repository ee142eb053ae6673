#pragma once
// Lookups against the registry snapshot in force (the back office's view; citizen-facing rules
// are in citizen_check.hpp). Thread-safe: each call borrows a session (a read connection to the
// snapshot file and a hasher) from a small pool. Which snapshot is in force is re-read from
// the main store at most once a second, so an import finishing in another process is picked up
// without a restart, and a session never mixes two snapshots.
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "registry/identity_hash.hpp"
#include "registry/snapshot_catalog.hpp"
#include "registry/snapshot_file.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::registry {

struct RegistryOptions {
  std::string store_path;  // the main SQLite file (registry_snapshot table)
  std::string dir;         // where snapshot files live
  std::string key;         // the registry hash key (LoadOrCreateKey)
  std::chrono::milliseconds recheck{1000};
};

struct NameCandidate {
  PersonRecord person;
  double score = 0;  // NameSimilarity of the asked name and the record's
};

class Registry {
 public:
  static core::Result<std::unique_ptr<Registry>> Open(RegistryOptions options);
  ~Registry();

  // The snapshot in force; kUnavailable when none was imported yet.
  core::Result<SnapshotEntry> Current();

  // `digits`: 16 digits (already validated). Empty when the NIK is not in the snapshot.
  core::Result<std::optional<PersonRecord>> ByNik(std::string_view digits);
  // The family card's members, in file order.
  core::Result<std::vector<PersonRecord>> ByKk(std::string_view digits);
  // Cek Bansos: people of one village by name. Exact (folded) matches first; when there are
  // none, names scoring at least `min_score`, best first.
  core::Result<std::vector<NameCandidate>> ByVillageAndName(std::int64_t village_code,
                                                            std::string_view name, double min_score,
                                                            std::size_t limit);

  // Hash of an identity number with this registry's key (for rate-limit keys and the like).
  core::Result<IdHash> Hash(std::string_view kind, std::string_view digits);

 private:
  struct Session {
    std::int64_t snapshot_id = 0;
    std::unique_ptr<SnapshotReader> reader;
    std::unique_ptr<IdentityHasher> hasher;
  };
  class Lease;

  explicit Registry(RegistryOptions options) : options_(std::move(options)) {}
  core::Result<std::unique_ptr<Session>> Acquire();
  void Release(std::unique_ptr<Session> session);
  core::Status Refresh();  // mutex_ held

  RegistryOptions options_;
  std::mutex mutex_;
  std::unique_ptr<storage::Db> catalog_;
  std::optional<SnapshotEntry> current_;
  std::chrono::steady_clock::time_point checked_at_{};
  std::vector<std::unique_ptr<Session>> idle_;
};

}  // namespace satupintu::registry
