#include "registry/snapshot_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

namespace satupintu::registry {
namespace {

using core::ErrorCode;
using core::MakeError;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE person (
  id           INTEGER PRIMARY KEY,
  line         INTEGER NOT NULL,
  nik_key      INTEGER NOT NULL,  -- first 8 bytes of nik_hash: what the index sorts on
  kk_key       INTEGER NOT NULL,
  nik_hash     BLOB    NOT NULL,  -- all 16 bytes: a lookup checks them too
  kk_hash      BLOB    NOT NULL,
  nik_hint     INTEGER NOT NULL,
  kk_hint      INTEGER NOT NULL,
  name         TEXT    NOT NULL,
  name_key     TEXT    NOT NULL,
  sex          TEXT    NOT NULL,
  birth_date   TEXT    NOT NULL,
  village_code INTEGER NOT NULL,
  address      TEXT    NOT NULL,
  relationship TEXT    NOT NULL,
  desil        INTEGER NOT NULL,
  programmes   TEXT    NOT NULL,
  status       TEXT    NOT NULL
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
)sql";

constexpr char kColumns[] =
    "nik_hint, kk_hint, name, name_key, sex, birth_date, village_code, address, relationship, "
    "desil, programmes, status";

std::string_view HashView(const IdHash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

// Index keys are integers: SQLite sorts and compares them several times faster than blobs,
// which is most of an import's time.
std::int64_t KeyOf(const IdHash& h) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | h[i];
  return static_cast<std::int64_t>(v);
}

core::Status SyncPath(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return MakeError(ErrorCode::kUnavailable, "cannot open " + path + " to sync it");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return MakeError(ErrorCode::kUnavailable, "cannot sync " + path);
  return {};
}

std::string UriPath(const std::string& path) {
  std::string out = "file:";
  for (const char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out + "?immutable=1";
}

}  // namespace

std::string MaskFromHint(std::int64_t hint) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld********%04lld", static_cast<long long>(hint / 10000),
                static_cast<long long>(hint % 10000));
  return buf;
}

std::string VillageCodeText(std::int64_t code) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%010lld", static_cast<long long>(code));
  const std::string d(buf);
  return d.substr(0, 2) + "." + d.substr(2, 2) + "." + d.substr(4, 2) + "." + d.substr(6, 4);
}

std::int64_t VillageCodeNumber(std::string_view text) {
  std::int64_t n = 0;
  int digits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      n = n * 10 + (c - '0');
      ++digits;
    } else if (c == '.' && (i == 2 || i == 5 || i == 8) && digits == static_cast<int>(i - i / 3)) {
      continue;
    } else {
      return 0;
    }
  }
  return digits == 10 ? n : 0;
}

std::vector<Programme> ParseProgrammes(std::string_view text) {
  std::vector<Programme> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    std::size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view item = text.substr(pos, end - pos);
    pos = end;
    const std::size_t colon = item.find(':');
    if (item.empty() || colon == std::string_view::npos) continue;
    Programme p;
    p.code = std::string(item.substr(0, colon));
    const std::string_view period = item.substr(colon + 1);
    const std::size_t dots = period.find("..");
    if (dots == std::string_view::npos) {
      p.from = p.to = std::string(period);
    } else {
      p.from = std::string(period.substr(0, dots));
      p.to = std::string(period.substr(dots + 2));
    }
    out.push_back(std::move(p));
  }
  return out;
}

SnapshotWriter::SnapshotWriter(std::string path, std::unique_ptr<storage::Db> db)
    : path_(std::move(path)), db_(std::move(db)) {}

SnapshotWriter::~SnapshotWriter() = default;

core::Result<std::unique_ptr<SnapshotWriter>> SnapshotWriter::Create(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove(path, ec);
  std::filesystem::remove(path + "-journal", ec);
  auto db = storage::Db::Open(path, /*read_only=*/false);
  if (!db.ok()) return db.error();
  // Nobody reads this file until Finish made it durable: no journal, no fsync per commit.
  // cache_size bounds the memory of the inserts and of the index sorts (which spill to temp
  // files beyond it); threads lets the sorter use the second core.
  for (const char* pragma :
       {"PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF", "PRAGMA locking_mode=EXCLUSIVE",
        "PRAGMA cache_size=-32768", "PRAGMA temp_store=FILE", "PRAGMA threads=2"}) {
    if (auto s = db.value()->Exec(pragma); !s.ok()) return s.error();
  }
  if (auto s = db.value()->Exec(kSchema); !s.ok()) return s.error();
  if (auto s = db.value()->Exec("BEGIN"); !s.ok()) return s.error();
  std::unique_ptr<SnapshotWriter> w(new SnapshotWriter(path, std::move(db.value())));
  auto insert = w->db_->Prepare(
      "INSERT INTO person (line, nik_key, kk_key, nik_hash, kk_hash, nik_hint, kk_hint, name, "
      "name_key, sex, birth_date, village_code, address, relationship, desil, programmes, "
      "status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.error();
  w->insert_ = insert.value();
  return w;
}

core::Status SnapshotWriter::Add(const PersonRow& r) {
  const char sex[1] = {r.sex};
  insert_->Bind(1, r.line)
      .Bind(2, KeyOf(r.nik_hash))
      .Bind(3, KeyOf(r.kk_hash))
      .BindBlobView(4, HashView(r.nik_hash))
      .BindBlobView(5, HashView(r.kk_hash))
      .Bind(6, r.nik_hint)
      .Bind(7, r.kk_hint)
      .BindTextView(8, r.name)
      .BindTextView(9, r.name_key)
      .BindTextView(10, std::string_view(sex, 1))
      .BindTextView(11, r.birth_date)
      .Bind(12, r.village_code)
      .BindTextView(13, r.address)
      .BindTextView(14, r.relationship)
      .Bind(15, std::int64_t{r.desil})
      .BindTextView(16, r.programmes)
      .BindTextView(17, r.status);
  if (auto s = insert_->Run(); !s.ok()) return s;
  ++added_;
  return {};
}

core::Result<SnapshotWriter::Finished> SnapshotWriter::Finish(
    const SnapshotMeta& meta, const std::function<void(std::int64_t, std::int64_t)>& superseded) {
  storage::Db& db = *db_;
  Finished out;
  if (auto s = db.Exec("COMMIT"); !s.ok()) return s.error();
  if (auto s = db.Exec("CREATE INDEX person_nik ON person (nik_key)"); !s.ok()) return s.error();
  // The last row of a NIK wins: collect the earlier ones in one pass over the index.
  if (auto s = db.Exec(
          "CREATE TEMP TABLE superseded AS "
          "SELECT p.id AS id, p.line AS line, w.line AS winner FROM "
          " (SELECT nik_key, MAX(id) AS keep FROM person GROUP BY nik_key HAVING COUNT(*) > 1)"
          " d JOIN person p ON p.nik_key = d.nik_key JOIN person w ON w.id = d.keep "
          "WHERE p.id <> d.keep AND p.nik_hash = w.nik_hash");
      !s.ok()) {
    return s.error();
  }
  {
    auto rows = db.Prepare("SELECT line, winner FROM superseded ORDER BY line");
    if (!rows.ok()) return rows.error();
    while (rows.value()->Step() == SQLITE_ROW) {
      ++out.duplicates;
      if (superseded) superseded(rows.value()->ColumnInt(0), rows.value()->ColumnInt(1));
    }
    rows.value()->Reset();
  }
  if (out.duplicates > 0) {
    if (auto s = db.Exec("DELETE FROM person WHERE id IN (SELECT id FROM superseded)"); !s.ok()) {
      return s.error();
    }
  }
  if (auto s = db.Exec("DROP TABLE superseded"); !s.ok()) return s.error();
  if (auto s = db.Exec("CREATE INDEX person_kk ON person (kk_key)"); !s.ok()) return s.error();
  // By village only: integers sort fast; names within one village are filtered on reading.
  if (auto s = db.Exec("CREATE INDEX person_village ON person (village_code)"); !s.ok()) {
    return s.error();
  }
  out.rows = added_ - out.duplicates;
  if (auto s = db.Exec("BEGIN"); !s.ok()) return s.error();
  auto put = db.Prepare("INSERT INTO meta (key, value) VALUES (?, ?)");
  if (!put.ok()) return put.error();
  const std::pair<const char*, std::string> items[] = {
      {"schema", "1"},
      {"format", meta.format},
      {"source_name", meta.source_name},
      {"snapshot_date", meta.snapshot_date},
      {"key_fingerprint", meta.key_fingerprint},
      {"created_at_ms", std::to_string(meta.created_at_ms)},
      {"rows", std::to_string(out.rows)},
  };
  for (const auto& [k, v] : items) {
    if (auto s = put.value()->Bind(1, std::string_view(k)).Bind(2, v).Run(); !s.ok())
      return s.error();
  }
  if (auto s = db.Exec("COMMIT"); !s.ok()) return s.error();
  // A plain rollback-journal file from here on: readers open it immutable.
  if (auto s = db.Exec("PRAGMA journal_mode=DELETE"); !s.ok()) return s.error();
  db_.reset();
  if (auto s = SyncPath(path_, false); !s.ok()) return s.error();
  const auto dir = std::filesystem::path(path_).parent_path();
  if (auto s = SyncPath(dir.empty() ? "." : dir.string(), true); !s.ok()) return s.error();
  return out;
}

core::Result<std::unique_ptr<SnapshotReader>> SnapshotReader::Open(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return MakeError(ErrorCode::kUnavailable, "registry snapshot file is missing: " + path);
  }
  auto db = storage::Db::Open(UriPath(path), /*read_only=*/true, /*create=*/false);
  if (!db.ok()) return db.error();
  if (auto s = db.value()->Exec("PRAGMA cache_size=-16384"); !s.ok()) return s.error();
  return std::unique_ptr<SnapshotReader>(new SnapshotReader(std::move(db.value())));
}

core::Result<SnapshotMeta> SnapshotReader::Meta() {
  auto st = db_->Prepare("SELECT key, value FROM meta");
  if (!st.ok()) return st.error();
  SnapshotMeta m;
  while (st.value()->Step() == SQLITE_ROW) {
    const std::string k = st.value()->ColumnText(0);
    std::string v = st.value()->ColumnText(1);
    if (k == "format")
      m.format = std::move(v);
    else if (k == "source_name")
      m.source_name = std::move(v);
    else if (k == "snapshot_date")
      m.snapshot_date = std::move(v);
    else if (k == "key_fingerprint")
      m.key_fingerprint = std::move(v);
    else if (k == "created_at_ms")
      m.created_at_ms = std::stoll(v);
  }
  st.value()->Reset();
  if (m.key_fingerprint.empty()) {
    return MakeError(ErrorCode::kUnavailable, "registry snapshot file has no meta (incomplete)");
  }
  return m;
}

core::Result<std::vector<PersonRecord>> SnapshotReader::Collect(storage::Stmt* st,
                                                                std::size_t limit) {
  std::vector<PersonRecord> out;
  int rc = 0;
  while (out.size() < limit && (rc = st->Step()) == SQLITE_ROW) {
    PersonRecord r;
    r.nik_masked = MaskFromHint(st->ColumnInt(0));
    r.kk_masked = MaskFromHint(st->ColumnInt(1));
    r.name = st->ColumnText(2);
    r.name_key = st->ColumnText(3);
    const std::string sex = st->ColumnText(4);
    r.sex = sex.empty() ? 'L' : sex[0];
    r.birth_date = st->ColumnText(5);
    r.village_code = VillageCodeText(st->ColumnInt(6));
    r.address = st->ColumnText(7);
    r.relationship = st->ColumnText(8);
    r.desil = static_cast<int>(st->ColumnInt(9));
    r.programmes = ParseProgrammes(st->ColumnText(10));
    r.status = st->ColumnText(11);
    out.push_back(std::move(r));
  }
  st->Reset();
  if (rc != 0 && rc != SQLITE_ROW && rc != SQLITE_DONE) {
    return db_->LastError("reading the registry snapshot");
  }
  return out;
}

core::Result<std::vector<PersonRecord>> SnapshotReader::ByNikHash(const IdHash& hash) {
  auto st = db_->Prepare(std::string("SELECT ") + kColumns +
                         " FROM person WHERE nik_key = ? AND nik_hash = ?");
  if (!st.ok()) return st.error();
  st.value()->Bind(1, KeyOf(hash)).BindBlobView(2, HashView(hash));
  return Collect(st.value(), 4);
}

core::Result<std::vector<PersonRecord>> SnapshotReader::ByKkHash(const IdHash& hash) {
  auto st = db_->Prepare(std::string("SELECT ") + kColumns +
                         " FROM person WHERE kk_key = ? AND kk_hash = ? ORDER BY id");
  if (!st.ok()) return st.error();
  st.value()->Bind(1, KeyOf(hash)).BindBlobView(2, HashView(hash));
  return Collect(st.value(), 64);
}

core::Result<std::vector<PersonRecord>> SnapshotReader::ByVillage(std::int64_t village_code,
                                                                  std::string_view prefix,
                                                                  std::size_t limit) {
  // The village's rows through the index, the name filtered here: a village holds thousands
  // of people, not millions.
  auto st = db_->Prepare(std::string("SELECT ") + kColumns +
                         " FROM person INDEXED BY person_village WHERE village_code = ? AND "
                         "name_key >= ? AND name_key < ? ORDER BY name_key");
  if (!st.ok()) return st.error();
  // [prefix, prefix + U+10FFFF): every key starting with the prefix, compared as bytes.
  const std::string hi = std::string(prefix) + "\xF4\x8F\xBF\xBF";
  st.value()->Bind(1, village_code).Bind(2, prefix).Bind(3, hi);
  return Collect(st.value(), limit);
}

}  // namespace satupintu::registry
