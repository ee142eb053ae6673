#pragma once
// Backups of a gateway's state and their restore (`satupintu backup` / `satupintu restore`,
// deploy/README.md "Backup and restore").
//
// A backup is a directory, 0700, of owner-only (0600) files and a manifest naming each with
// its role, size and SHA-256:
//   store.db           a consistent copy of the store, taken with SQLite's online backup API
//                      in one read transaction (the gateway goes on writing meanwhile), checked
//                      with PRAGMA quick_check, as one file without WAL
//   snapshot-<id>.db   the registry snapshot in force in that copy (none before an import)
//   registry-hash.key, users.key, conversation.key   the key files that exist
//   audit.head         the audit log's anchor, read before the store is copied, so the copy
//                      holds the anchored entry and `satupintu audit verify` passes on it
//   manifest.json      written last: a directory without it is no backup
//
// A restore checks every file against the manifest before it touches anything, takes the
// store's lock (StoreLock: refused while a gateway runs on it), refuses to overwrite existing
// files unless told to, puts each file in place owner-only (copy, fsync, rename; the store's
// stale -wal and -shm removed first) and checks the restored store opens and passes
// quick_check. Migrations run at the next `serve`, which refuses a store newer than it knows.

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace satupintu::backup {

// Where each piece of state lives (from the configuration: cli/backup_cli.cpp).
struct Paths {
  std::string store;              // store.path
  std::string registry_dir;       // registry.dir: snapshot-<id>.db files
  std::string registry_hash_key;  // registry.hash_key_file
  std::string users_key;          // config::UsersKeyFile
  std::string state_key;          // config::StateKeyFile
  std::string audit_anchor;       // config::AuditAnchorFile
};

// Roles of files in a backup, as the manifest names them.
inline constexpr const char* kStore = "store";
inline constexpr const char* kRegistrySnapshot = "registry_snapshot";
inline constexpr const char* kRegistryHashKey = "registry_hash_key";
inline constexpr const char* kUsersKey = "users_key";
inline constexpr const char* kStateKey = "state_key";
inline constexpr const char* kAuditAnchor = "audit_anchor";

struct FileEntry {
  std::string name;  // within the backup directory
  std::string role;
  std::uint64_t bytes = 0;
  std::string sha256;  // lowercase hex
};

struct Manifest {
  int format = 1;
  std::int64_t created_at_ms = 0;
  std::string satupintu_version;
  int schema_version = 0;  // of the copied store
  std::vector<FileEntry> files;
};

struct BackupOptions {
  std::string satupintu_version;
  std::int64_t now_ms = 0;
};

// Takes a backup into `to_dir` (created; refused when it exists and is not empty).
core::Result<Manifest> TakeBackup(const Paths& paths, const std::string& to_dir,
                                  const BackupOptions& options);

// Reads `from_dir`'s manifest and checks every file it names (name, size, SHA-256) and that
// it has exactly one store. An error names the first problem.
core::Result<Manifest> ReadVerified(const std::string& from_dir);

struct RestoreOptions {
  bool replace = false;  // overwrite files that exist at the targets (the store among them)
};

// Restores `from_dir` to `paths` (see above). Returns the backup's manifest.
core::Result<Manifest> Restore(const Paths& paths, const std::string& from_dir,
                               const RestoreOptions& options);

// The lowercase hex SHA-256 of a file's bytes.
core::Result<std::string> Sha256OfFile(const std::string& path);

}  // namespace satupintu::backup
