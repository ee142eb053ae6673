#include "backup/backup.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "backup/store_lock.hpp"
#include "registry/snapshot_catalog.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::backup {
namespace {

namespace fs = std::filesystem;
using core::ErrorCode;
using core::MakeError;

constexpr const char* kManifest = "manifest.json";
constexpr const char* kFormatName = "satupintu-backup";

core::Error IoError(const std::string& what, const std::string& path) {
  return MakeError(ErrorCode::kUnavailable, what + " " + path, std::strerror(errno));
}

core::Status FsyncPath(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open", path);
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return IoError("cannot fsync", path);
  return {};
}

// Reads `path` in blocks, handing each to `on_block`; stops early when it returns false.
core::Status ReadBlocks(const std::string& path,
                        const std::function<bool(const char*, std::size_t)>& on_block) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot read", path);
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      auto e = IoError("cannot read", path);
      ::close(fd);
      return e;
    }
    if (n == 0 || !on_block(buffer, static_cast<std::size_t>(n))) break;
  }
  ::close(fd);
  return {};
}

core::Result<std::string> ReadAll(const std::string& path) {
  std::string out;
  auto read = ReadBlocks(path, [&out](const char* data, std::size_t n) {
    out.append(data, n);
    return true;
  });
  if (!read.ok()) return read.error();
  return out;
}

// Creates `path` (it must not exist) 0600, writes `bytes` and fsyncs it.
core::Status WriteNewFile(const std::string& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("cannot create", path);
  const char* data = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      auto e = IoError("cannot write", path);
      ::close(fd);
      return e;
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return IoError("cannot fsync", path);
  return {};
}

core::Status CopyFileTo(const std::string& from, const std::string& to) {
  auto bytes = ReadAll(from);
  if (!bytes.ok()) return bytes.error();
  return WriteNewFile(to, bytes.value());
}

// Copies the SQLite database `from` to the new file `to` in one read transaction of `from`
// (sqlite3_backup_step(-1)): a consistent state however busy the writer is. The copy is made
// a single file (journal_mode DELETE) and checked with quick_check. Returns the copy's schema
// version (0 without schema_migrations) and the registry snapshot in force in it ("" none).
struct CopiedDb {
  int schema_version = 0;
  std::string current_snapshot;
};

core::Result<CopiedDb> CopyDatabase(const std::string& from, const std::string& to,
                                    bool read_catalog) {
  std::error_code ec;
  if (!fs::is_regular_file(from, ec)) {
    return MakeError(ErrorCode::kNotFound, "no database at " + from);
  }
  auto source = storage::Db::Open(from, /*read_only=*/true, /*create=*/false);
  if (!source.ok()) return source.error();
  (void)source.value()->Exec("PRAGMA busy_timeout=5000");
  if (fs::exists(to, ec)) return MakeError(ErrorCode::kConflict, to + " exists already");
  auto dest = storage::Db::Open(to, /*read_only=*/false, /*create=*/true);
  if (!dest.ok()) return dest.error();
  sqlite3_backup* copy =
      sqlite3_backup_init(dest.value()->raw(), "main", source.value()->raw(), "main");
  if (copy == nullptr) return dest.value()->LastError("starting the copy of " + from);
  int rc = SQLITE_OK;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  do {
    rc = sqlite3_backup_step(copy, -1);
    if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  } while ((rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
           std::chrono::steady_clock::now() < deadline);
  const int finished = sqlite3_backup_finish(copy);
  if (rc != SQLITE_DONE || finished != SQLITE_OK) {
    return storage::ErrorFromCode(rc != SQLITE_DONE ? rc : finished, "copying " + from,
                                  sqlite3_errmsg(dest.value()->raw()));
  }
  auto& db = *dest.value();
  if (auto s = db.Exec("PRAGMA journal_mode=DELETE"); !s.ok()) return s.error();
  auto check = db.QueryText("PRAGMA quick_check");
  if (!check.ok()) return check.error();
  if (check.value() != "ok") {
    return MakeError(ErrorCode::kInternal, "the copy of " + from + " fails quick_check",
                     check.value());
  }
  CopiedDb out;
  auto has_migrations = db.QueryInt(
      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  if (!has_migrations.ok()) return has_migrations.error();
  if (has_migrations.value() > 0) {
    auto version = db.QueryInt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!version.ok()) return version.error();
    out.schema_version = static_cast<int>(version.value());
  }
  if (read_catalog) {
    auto has_catalog = db.QueryInt(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'registry_snapshot'");
    if (!has_catalog.ok()) return has_catalog.error();
    if (has_catalog.value() > 0) {
      auto current = registry::CurrentSnapshot(db);
      if (!current.ok()) return current.error();
      if (current.value()) out.current_snapshot = current.value()->file;
    }
  }
  return out;
}

std::string Hex(const unsigned char* bytes, unsigned int size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2u);
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xf]);
  }
  return out;
}

// A file name a manifest may carry: one plain component, no hidden or special names.
bool PlainName(const std::string& name) {
  if (name.empty() || name.size() > 200 || name.front() == '.') return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return name != kManifest;
}

// Where a file of the backup goes back to; "" for an unknown role.
std::string TargetOf(const Paths& paths, const FileEntry& file) {
  if (file.role == kStore) return paths.store;
  if (file.role == kRegistrySnapshot) return (fs::path(paths.registry_dir) / file.name).string();
  if (file.role == kRegistryHashKey) return paths.registry_hash_key;
  if (file.role == kUsersKey) return paths.users_key;
  if (file.role == kStateKey) return paths.state_key;
  if (file.role == kAuditAnchor) return paths.audit_anchor;
  return {};
}

core::Status MakePrivateDir(const std::string& dir) {
  if (dir.empty()) return {};
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return MakeError(ErrorCode::kUnavailable, "cannot create directory " + dir, ec.message());
  }
  return {};
}

std::string ManifestJson(const Manifest& m) {
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : m.files) {
    files.push_back({{"name", f.name}, {"role", f.role}, {"bytes", f.bytes}, {"sha256", f.sha256}});
  }
  nlohmann::json doc{{"format", kFormatName},
                     {"format_version", m.format},
                     {"created_at_ms", m.created_at_ms},
                     {"satupintu_version", m.satupintu_version},
                     {"schema_version", m.schema_version},
                     {"files", files}};
  return doc.dump(2) + "\n";
}

}  // namespace

core::Result<std::string> Sha256OfFile(const std::string& path) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1;
  if (ok) {
    auto read = ReadBlocks(path, [&](const char* data, std::size_t n) {
      ok = EVP_DigestUpdate(ctx.get(), data, n) == 1;
      return ok;
    });
    if (!read.ok()) return read.error();
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!ok || EVP_DigestFinal_ex(ctx.get(), digest, &size) != 1) {
    return MakeError(ErrorCode::kInternal, "SHA-256 failed for " + path);
  }
  return Hex(digest, size);
}

core::Result<Manifest> TakeBackup(const Paths& paths, const std::string& to_dir,
                                  const BackupOptions& options) {
  std::error_code ec;
  if (fs::exists(to_dir, ec) && !fs::is_empty(to_dir, ec)) {
    return MakeError(ErrorCode::kConflict,
                     to_dir + " exists and is not empty: a backup goes into a new directory");
  }
  if (auto s = MakePrivateDir(to_dir); !s.ok()) return s.error();
  ::chmod(to_dir.c_str(), 0700);
  const fs::path dir(to_dir);
  Manifest manifest;
  manifest.created_at_ms = options.now_ms;
  manifest.satupintu_version = options.satupintu_version;

  auto add = [&](const std::string& name, const char* role) -> core::Status {
    const std::string path = (dir / name).string();
    auto sha = Sha256OfFile(path);
    if (!sha.ok()) return sha.error();
    const auto size = fs::file_size(path, ec);
    if (ec) return MakeError(ErrorCode::kUnavailable, "cannot stat " + path, ec.message());
    manifest.files.push_back({name, role, static_cast<std::uint64_t>(size), sha.value()});
    return {};
  };

  // The anchor first: the entry it names is committed, so the store copied after it holds it.
  if (fs::exists(paths.audit_anchor, ec)) {
    if (auto s = CopyFileTo(paths.audit_anchor, (dir / "audit.head").string()); !s.ok()) {
      return s.error();
    }
    if (auto s = add("audit.head", kAuditAnchor); !s.ok()) return s.error();
  }

  const std::string store_part = (dir / "store.db.part").string();
  auto copied = CopyDatabase(paths.store, store_part, /*read_catalog=*/true);
  if (!copied.ok()) return copied.error();
  if (auto s = FsyncPath(store_part, false); !s.ok()) return s.error();
  fs::rename(store_part, dir / "store.db", ec);
  if (ec) return MakeError(ErrorCode::kUnavailable, "cannot rename " + store_part, ec.message());
  manifest.schema_version = copied->schema_version;
  if (auto s = add("store.db", kStore); !s.ok()) return s.error();

  if (const std::string& file = copied->current_snapshot; !file.empty()) {
    if (!PlainName(file)) {
      return MakeError(ErrorCode::kInternal, "unexpected registry snapshot file name " + file);
    }
    const std::string from = (fs::path(paths.registry_dir) / file).string();
    auto snapshot = CopyDatabase(from, (dir / file).string(), /*read_catalog=*/false);
    if (!snapshot.ok()) {
      auto e = snapshot.error();
      e.message = "the registry snapshot in force (" + file + "): " + e.message +
                  " (was a registry import switching snapshots? take the backup again)";
      return e;
    }
    if (auto s = add(file, kRegistrySnapshot); !s.ok()) return s.error();
  }

  for (const auto& [path, name, role] :
       {std::tuple{paths.registry_hash_key, "registry-hash.key", kRegistryHashKey},
        std::tuple{paths.users_key, "users.key", kUsersKey},
        std::tuple{paths.state_key, "conversation.key", kStateKey}}) {
    if (path.empty() || !fs::exists(path, ec)) continue;
    if (auto s = CopyFileTo(path, (dir / name).string()); !s.ok()) return s.error();
    if (auto s = add(name, role); !s.ok()) return s.error();
  }

  const std::string manifest_part = (dir / "manifest.json.part").string();
  if (auto s = WriteNewFile(manifest_part, ManifestJson(manifest)); !s.ok()) return s.error();
  fs::rename(manifest_part, dir / kManifest, ec);
  if (ec) return MakeError(ErrorCode::kUnavailable, "cannot rename " + manifest_part, ec.message());
  if (auto s = FsyncPath(to_dir, true); !s.ok()) return s.error();
  return manifest;
}

core::Result<Manifest> ReadVerified(const std::string& from_dir) {
  const fs::path dir(from_dir);
  auto text = ReadAll((dir / kManifest).string());
  if (!text.ok()) {
    return MakeError(ErrorCode::kNotFound, "no " + std::string(kManifest) + " in " + from_dir +
                                               ": not a complete backup");
  }
  const auto doc = nlohmann::json::parse(text.value(), nullptr, /*allow_exceptions=*/false);
  auto bad = [&](const std::string& why) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the backup's manifest (" + (dir / kManifest).string() + ") " + why);
  };
  if (!doc.is_object() || doc.value("format", "") != kFormatName || !doc.contains("files") ||
      !doc["files"].is_array()) {
    return bad("is not a satupintu backup manifest");
  }
  Manifest m;
  m.format = doc.value("format_version", 0);
  if (m.format != 1) return bad("has format_version " + std::to_string(m.format) + ", not 1");
  m.created_at_ms = doc.value("created_at_ms", std::int64_t{0});
  m.satupintu_version = doc.value("satupintu_version", "");
  m.schema_version = doc.value("schema_version", 0);
  std::set<std::string> names;
  int stores = 0;
  for (const auto& f : doc["files"]) {
    if (!f.is_object() || !f.contains("name") || !f["name"].is_string() || !f.contains("role") ||
        !f["role"].is_string() || !f.contains("bytes") || !f["bytes"].is_number_unsigned() ||
        !f.contains("sha256") || !f["sha256"].is_string()) {
      return bad("has a file entry without name, role, bytes and sha256");
    }
    FileEntry entry{f["name"].get<std::string>(), f["role"].get<std::string>(),
                    f["bytes"].get<std::uint64_t>(), f["sha256"].get<std::string>()};
    if (!PlainName(entry.name) || !names.insert(entry.name).second) {
      return bad("names the file \"" + entry.name + "\" (not a plain name, or twice)");
    }
    if (TargetOf(Paths{"s", "d", "k", "u", "c", "a"}, entry).empty()) {
      return bad("gives " + entry.name + " the unknown role \"" + entry.role + "\"");
    }
    if (entry.role != kRegistrySnapshot) {
      for (const auto& other : m.files) {
        if (other.role == entry.role) return bad("has two files of role " + entry.role);
      }
    }
    if (entry.role == kStore) ++stores;
    m.files.push_back(std::move(entry));
  }
  if (stores != 1) return bad("names no store file");
  for (const auto& f : m.files) {
    const std::string path = (dir / f.name).string();
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) return MakeError(ErrorCode::kNotFound, "the backup lacks " + f.name, path);
    if (size != f.bytes) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "the backup is damaged: " + f.name + " has " + std::to_string(size) +
                           " bytes, the manifest says " + std::to_string(f.bytes));
    }
    auto sha = Sha256OfFile(path);
    if (!sha.ok()) return sha.error();
    if (sha.value() != f.sha256) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "the backup is damaged: " + f.name + " does not match its SHA-256");
    }
  }
  return m;
}

core::Result<Manifest> Restore(const Paths& paths, const std::string& from_dir,
                               const RestoreOptions& options) {
  auto manifest = ReadVerified(from_dir);
  if (!manifest.ok()) return manifest.error();
  const auto store_dir = fs::path(paths.store).parent_path().string();
  if (auto s = MakePrivateDir(store_dir); !s.ok()) return s.error();
  auto lock = StoreLock::Acquire(paths.store);
  if (!lock.ok()) return lock.error();

  std::error_code ec;
  std::string existing;
  for (const auto& f : manifest->files) {
    const std::string target = TargetOf(paths, f);
    if (fs::exists(target, ec)) existing += (existing.empty() ? "" : ", ") + target;
  }
  if (!existing.empty() && !options.replace) {
    return MakeError(ErrorCode::kConflict,
                     "refusing to overwrite " + existing + " (restore with --replace to do so)");
  }

  // The store last: until it is in place, a gateway started by mistake finds the old store or
  // none (and the lock stops it anyway).
  std::vector<const FileEntry*> order;
  for (const auto& f : manifest->files) {
    if (f.role != kStore) order.push_back(&f);
  }
  for (const auto& f : manifest->files) {
    if (f.role == kStore) order.push_back(&f);
  }
  for (const FileEntry* f : order) {
    const std::string target = TargetOf(paths, *f);
    const auto parent = fs::path(target).parent_path();
    if (auto s = MakePrivateDir(parent.string()); !s.ok()) return s.error();
    const std::string part = target + ".restore";
    fs::remove(part, ec);
    if (auto s = CopyFileTo((fs::path(from_dir) / f->name).string(), part); !s.ok()) {
      return s.error();
    }
    auto sha = Sha256OfFile(part);
    if (!sha.ok()) return sha.error();
    if (sha.value() != f->sha256) {
      fs::remove(part, ec);
      return MakeError(ErrorCode::kUnavailable,
                       "the copy of " + f->name + " to " + part + " does not match its SHA-256");
    }
    if (f->role == kStore) {
      // A WAL or shared-memory file of the replaced store would be replayed into this one, and
      // its senders' acceptance log (outbound/accept_log.hpp: "<store>.a", "<store>.b") names
      // the replaced store's parts by id: read into this one, it would mark others as sent.
      for (const char* suffix : {"-wal", "-shm", "-journal", ".a", ".b"}) {
        fs::remove(target + suffix, ec);
        if (ec) {
          return MakeError(ErrorCode::kUnavailable, "cannot remove " + target + suffix,
                           ec.message());
        }
      }
    }
    fs::rename(part, target, ec);
    if (ec) return MakeError(ErrorCode::kUnavailable, "cannot rename " + part, ec.message());
    if (auto s = FsyncPath(parent.empty() ? "." : parent.string(), true); !s.ok()) {
      return s.error();
    }
  }

  auto db = storage::Db::Open(paths.store, /*read_only=*/true, /*create=*/false);
  if (!db.ok()) return db.error();
  auto check = db.value()->QueryText("PRAGMA quick_check");
  if (!check.ok()) return check.error();
  if (check.value() != "ok") {
    return MakeError(ErrorCode::kInternal, "the restored store fails quick_check", check.value());
  }
  return manifest;
}

}  // namespace satupintu::backup
