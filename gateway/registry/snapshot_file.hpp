#pragma once
// One registry snapshot is one SQLite file, written once by an import and then only read.
// Building it apart (journal off, no fsync per commit, indexes built once at the end from
// sorted runs) is what makes a 10-million-row import fast, and switching snapshots is a row
// in the main store saying which file is in force (see snapshot_catalog.hpp) - old files are
// deleted whole instead of 10 million DELETEs.
//
// Table `person`: one row per NIK. NIK and KK only as keyed hashes (identity_hash.hpp) and
// "hints" (first four and last four digits, for the masked display). Village codes as the
// 10-digit integer (3201012001 for 32.01.01.2001).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "registry/identity_hash.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::registry {

struct PersonRow {
  std::int64_t line = 0;  // in the input file, for reports
  IdHash nik_hash{};
  IdHash kk_hash{};
  std::int64_t nik_hint = 0;  // first 4 digits * 10000 + last 4
  std::int64_t kk_hint = 0;
  std::string_view name;
  std::string_view name_key;    // folded for matching (text/fold.hpp)
  char sex = 'L';               // 'L' or 'P'
  std::string_view birth_date;  // YYYY-MM-DD
  std::int64_t village_code = 0;
  std::string_view address;
  std::string_view relationship;
  int desil = 0;                // 0: not ranked
  std::string_view programmes;  // "PKH:2025-01..2025-12 PBI-JK:2025-01.."
  std::string_view status;      // aktif, nonaktif, meninggal, pindah
};

struct SnapshotMeta {
  std::string format;
  std::string source_name;
  std::string snapshot_date;
  std::string key_fingerprint;
  std::int64_t created_at_ms = 0;
};

class SnapshotWriter {
 public:
  // Creates `path` (an existing file there is removed first: it can only be a leftover of an
  // interrupted import).
  static core::Result<std::unique_ptr<SnapshotWriter>> Create(const std::string& path);
  ~SnapshotWriter();

  core::Status Add(const PersonRow& row);

  struct Finished {
    std::int64_t rows = 0;        // after duplicates were dropped
    std::int64_t duplicates = 0;  // rows superseded by a later row with the same NIK
  };
  // Commits, drops every row whose NIK a later row repeats (calling `superseded(line,
  // winner_line)` for each), builds the indexes, writes the meta, and makes the file durable
  // (fsync of the file and its directory). The file is complete when this returns ok.
  core::Result<Finished> Finish(const SnapshotMeta& meta,
                                const std::function<void(std::int64_t, std::int64_t)>& superseded);

 private:
  SnapshotWriter(std::string path, std::unique_ptr<storage::Db> db);
  std::string path_;
  std::unique_ptr<storage::Db> db_;
  storage::Stmt* insert_ = nullptr;
  std::int64_t added_ = 0;
};

// What a lookup returns. Identity numbers only masked.
struct Programme {
  std::string code;
  std::string from;  // YYYY-MM
  std::string to;    // YYYY-MM; empty while it runs
};

struct PersonRecord {
  std::string nik_masked;  // 3201********0003
  std::string kk_masked;
  std::string name;
  std::string name_key;
  char sex = 'L';
  std::string birth_date;
  std::string village_code;  // 32.01.01.2001
  std::string address;
  std::string relationship;
  int desil = 0;
  std::vector<Programme> programmes;
  std::string status;
  bool listed() const { return status == "aktif"; }
};

std::string MaskFromHint(std::int64_t hint);
std::string VillageCodeText(std::int64_t code);
// "32.01.01.2001" or "3201012001" -> 3201012001; 0 when not a village code.
std::int64_t VillageCodeNumber(std::string_view text);
std::vector<Programme> ParseProgrammes(std::string_view text);

// Read side of one snapshot file (immutable: no locks, no journal).
class SnapshotReader {
 public:
  static core::Result<std::unique_ptr<SnapshotReader>> Open(const std::string& path);
  core::Result<SnapshotMeta> Meta();
  core::Result<std::vector<PersonRecord>> ByNikHash(const IdHash& hash);
  core::Result<std::vector<PersonRecord>> ByKkHash(const IdHash& hash);
  // Rows of one village whose folded name starts with `name_key_prefix` ("" for all), at most
  // `limit`.
  core::Result<std::vector<PersonRecord>> ByVillage(std::int64_t village_code,
                                                    std::string_view name_key_prefix,
                                                    std::size_t limit);

 private:
  explicit SnapshotReader(std::unique_ptr<storage::Db> db) : db_(std::move(db)) {}
  core::Result<std::vector<PersonRecord>> Collect(storage::Stmt* stmt, std::size_t limit);
  std::unique_ptr<storage::Db> db_;
};

}  // namespace satupintu::registry
