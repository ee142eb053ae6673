#include "registry/importer.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/clock.hpp"
#include "regions/region_index.hpp"
#include "registry/identity_hash.hpp"
#include "registry/snapshot_catalog.hpp"
#include "registry/snapshot_file.hpp"
#include "registry_io/csv_reader.hpp"
#include "registry_io/dates.hpp"
#include "registry_io/nik.hpp"
#include "storage/sqlite.hpp"
#include "text/fold.hpp"

namespace satupintu::registry {
namespace {

// The registry files' reading (registry_io): CSV, encodings, NIK/KK, dates.
using registry_io::CivilDate;
using registry_io::CsvOptions;
using registry_io::CsvReader;
using registry_io::CsvRecord;
using registry_io::Kk;
using registry_io::KkErrorCode;
using registry_io::LocalToday;
using registry_io::Nik;
using registry_io::NikErrorCode;
using registry_io::ParseDate;
using registry_io::ParseKk;
using registry_io::ParseNik;
using registry_io::Sex;

using core::ErrorCode;
using core::MakeError;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kBatchRows = 8192;
constexpr std::size_t kQueueDepth = 4;
constexpr std::size_t kMaxNameCodePoints = 100;

using core::NowMs;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Inner runs of spaces to one; trimmed.
std::string CollapseSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (const char c : Trim(s)) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::optional<char> ParseSex(std::string_view raw) {
  const std::string s = Lower(Trim(raw));
  if (s == "l" || s == "laki-laki" || s == "laki laki" || s == "lk" || s == "m" || s == "1" ||
      s == "pria" || s == "male") {
    return 'L';
  }
  if (s == "p" || s == "perempuan" || s == "pr" || s == "f" || s == "2" || s == "wanita" ||
      s == "female") {
    return 'P';
  }
  return std::nullopt;
}

std::optional<std::string> ParseStatus(std::string_view raw) {
  const std::string s = Lower(Trim(raw));
  if (s == "aktif" || s == "active") return "aktif";
  if (s == "nonaktif" || s == "non-aktif" || s == "non aktif" || s == "tidak aktif" ||
      s == "inactive") {
    return "nonaktif";
  }
  if (s == "meninggal" || s == "deceased") return "meninggal";
  if (s == "pindah" || s == "moved") return "pindah";
  return std::nullopt;
}

std::string ParseRelationship(std::string_view raw) {
  static constexpr std::array<const char*, 8> kCodes = {
      "kepala keluarga",  "istri/suami", "anak",   "menantu", "cucu",
      "orang tua/mertua", "famili lain", "lainnya"};
  std::string s = Lower(CollapseSpaces(raw));
  if (s.size() == 1 && s[0] >= '1' && s[0] <= '8')
    return kCodes[static_cast<std::size_t>(s[0] - '1')];
  return s;
}

// -1: bad; 0: empty (not ranked).
int ParseDesil(std::string_view raw) {
  const std::string_view s = Trim(raw);
  if (s.empty()) return 0;
  int v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9' || v > 10) return -1;
    v = v * 10 + (c - '0');
  }
  return v >= 1 && v <= 10 ? v : -1;
}

bool IsMonth(std::string_view m) {
  if (m.size() != 7 || m[4] != '-') return false;
  for (const std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u}) {
    if (m[i] < '0' || m[i] > '9') return false;
  }
  const int month = (m[5] - '0') * 10 + (m[6] - '0');
  return month >= 1 && month <= 12;
}

// Normalises "pkh:2025-01..2025-12  PBI-JK:2025-01.." to single spaces and upper-case codes;
// nullopt when an entry is malformed.
std::optional<std::string> ParseProgrammeList(std::string_view raw) {
  std::string out;
  std::size_t pos = 0;
  while (pos < raw.size()) {
    while (pos < raw.size() && (raw[pos] == ' ' || raw[pos] == '\t')) ++pos;
    if (pos >= raw.size()) break;
    std::size_t end = pos;
    while (end < raw.size() && raw[end] != ' ' && raw[end] != '\t') ++end;
    const std::string_view item = raw.substr(pos, end - pos);
    pos = end;
    const std::size_t colon = item.find(':');
    if (colon == 0 || colon == std::string_view::npos || colon > 16) return std::nullopt;
    std::string code;
    for (const char c : item.substr(0, colon)) {
      if (c >= 'a' && c <= 'z') {
        code.push_back(static_cast<char>(c - 'a' + 'A'));
      } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
        code.push_back(c);
      } else {
        return std::nullopt;
      }
    }
    const std::string_view period = item.substr(colon + 1);
    const std::size_t dots = period.find("..");
    if (dots == std::string_view::npos) {
      if (!IsMonth(period)) return std::nullopt;
    } else {
      const std::string_view from = period.substr(0, dots);
      const std::string_view to = period.substr(dots + 2);
      if (!IsMonth(from) || (!to.empty() && (!IsMonth(to) || to < from))) return std::nullopt;
    }
    if (!out.empty()) out.push_back(' ');
    out += code;
    out.push_back(':');
    out.append(period);
  }
  return out;
}

std::int64_t Hint(std::string_view digits) {
  std::int64_t v = 0;
  for (const char c : digits.substr(0, 4)) v = v * 10 + (c - '0');
  for (const char c : digits.substr(12, 4)) v = v * 10 + (c - '0');
  return v;
}

// One validated row whose text lives in the batch's arena.
struct OwnedRow {
  std::int64_t line = 0;
  IdHash nik{};
  IdHash kk{};
  std::int64_t nik_hint = 0;
  std::int64_t kk_hint = 0;
  char sex = 'L';
  std::int64_t village = 0;
  int desil = 0;
  std::array<std::uint32_t, 7> off{};
  std::array<std::uint32_t, 7> len{};
};
enum TextField { kName, kNameKey, kBirth, kAddress, kRelationship, kProgrammes, kStatus };

struct Batch {
  std::string arena;
  std::vector<OwnedRow> rows;
  void Put(OwnedRow& row, TextField f, std::string_view text) {
    row.off[f] = static_cast<std::uint32_t>(arena.size());
    row.len[f] = static_cast<std::uint32_t>(text.size());
    arena.append(text);
  }
  std::string_view Get(const OwnedRow& row, TextField f) const {
    return std::string_view(arena).substr(row.off[f], row.len[f]);
  }
};

// Bounded hand-over between the reader thread and the writer.
class BatchQueue {
 public:
  bool Push(std::unique_ptr<Batch> b) {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [&] { return q_.size() < kQueueDepth || aborted_; });
    if (aborted_) return false;
    q_.push_back(std::move(b));
    cv_.notify_all();
    return true;
  }
  // nullptr at the end.
  std::unique_ptr<Batch> Pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [&] { return !q_.empty() || closed_ || aborted_; });
    if (q_.empty() || aborted_) return nullptr;
    auto b = std::move(q_.front());
    q_.pop_front();
    cv_.notify_all();
    return b;
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    cv_.notify_all();
  }
  void Abort() {
    std::lock_guard<std::mutex> lock(mutex_);
    aborted_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Batch>> q_;
  bool closed_ = false;
  bool aborted_ = false;
};

class RejectFile {
 public:
  core::Status Open(const std::string& path) {
    file_.reset(std::fopen(path.c_str(), "w"));
    if (!file_) return MakeError(ErrorCode::kUnavailable, "cannot write the reject file " + path);
    std::fputs("line,reason,column\n", file_.get());
    return {};
  }
  void Write(std::int64_t line, std::string_view reason, std::string_view column) {
    std::string out = std::to_string(line);
    out.push_back(',');
    AppendField(out, reason);
    out.push_back(',');
    AppendField(out, column);
    out.push_back('\n');
    std::fwrite(out.data(), 1, out.size(), file_.get());
  }
  core::Status Close() {
    if (!file_) return {};
    const bool ok = std::fflush(file_.get()) == 0 && !std::ferror(file_.get());
    file_.reset();
    if (!ok) return MakeError(ErrorCode::kUnavailable, "writing the reject file failed");
    return {};
  }

 private:
  static void AppendField(std::string& out, std::string_view v) {
    if (v.find_first_of(",\"\n") == std::string_view::npos) {
      out.append(v);
      return;
    }
    out.push_back('"');
    for (const char c : v) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_{nullptr, &std::fclose};
};

// Column positions, by header name.
struct Columns {
  std::unordered_map<std::string, std::size_t> index;
  std::size_t count = 0;
  std::optional<std::size_t> Get(const std::string& name) const {
    auto it = index.find(name);
    if (it == index.end()) return std::nullopt;
    return it->second;
  }
};

constexpr std::array<const char*, 17> kPipeColumns = {"iddtks",
                                                      "provinsi",
                                                      "kabupaten_kota",
                                                      "kecamatan",
                                                      "desa_kelurahan",
                                                      "alamat",
                                                      "dusun",
                                                      "rt",
                                                      "rw",
                                                      "nomor_kk",
                                                      "nomor_nik",
                                                      "nama",
                                                      "tanggal_lahir",
                                                      "tempat_lahir",
                                                      "jenis_kelamin",
                                                      "nama_ibu_kandung",
                                                      "hubungan_keluarga"};
constexpr std::array<const char*, 12> kCanonicalColumns = {
    "nik",     "kk",           "name",  "sex",        "birth_date", "village_code",
    "address", "relationship", "desil", "programmes", "status",     "snapshot_date"};

// The reader side: everything about one row but the insert.
class RowParser {
 public:
  RowParser(const ImportOptions& options, IdentityHasher hasher, RejectFile& rejects,
            ImportSummary& summary, CivilDate today)
      : options_(options),
        hasher_(std::move(hasher)),
        rejects_(rejects),
        summary_(summary),
        today_date_(today),
        pipe_(options.format == "dtks-pipe") {}

  core::Status Header(const CsvRecord& header) {
    cols_.count = header.fields.size();
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
      std::string name = Lower(Trim(header.fields[i]));
      cols_.index.emplace(name, i);
    }
    std::vector<std::string> missing;
    auto require = [&](const char* name) {
      if (!cols_.Get(name)) missing.emplace_back(name);
    };
    if (pipe_) {
      for (const char* c : {"provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan", "nomor_kk",
                            "nomor_nik", "nama", "tanggal_lahir", "jenis_kelamin"}) {
        require(c);
      }
    } else {
      for (const char* c : {"nik", "kk", "name", "sex", "birth_date", "village_code", "status"}) {
        require(c);
      }
      if (options_.snapshot_date.empty()) require("snapshot_date");
    }
    if (!missing.empty()) {
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
      return MakeError(ErrorCode::kInvalidArgument,
                       "the header line lacks required columns: " + list + " (format " +
                           options_.format + ", see docs/registry-format.md)");
    }
    const std::vector<const char*> known =
        pipe_ ? std::vector<const char*>(kPipeColumns.begin(), kPipeColumns.end())
              : std::vector<const char*>(kCanonicalColumns.begin(), kCanonicalColumns.end());
    for (const auto& [name, i] : cols_.index) {
      if (std::none_of(known.begin(), known.end(),
                       [&name = name](const char* k) { return name == k; })) {
        summary_.ignored_columns.push_back(name);
      }
    }
    std::sort(summary_.ignored_columns.begin(), summary_.ignored_columns.end());
    if (!options_.snapshot_date.empty()) {
      const auto d = ParseDate(options_.snapshot_date);
      if (d) snapshot_date_ = d->ToIso();
    }
    return {};
  }

  // Validates one record into `batch`; false (and a reject line) when it is bad.
  bool Row(const CsvRecord& rec, Batch& batch) {
    if (!rec.error.empty()) return Reject(rec.line, rec.error, "");
    if (rec.fields.size() != cols_.count) {
      return Reject(rec.line,
                    "wrong column count: expected " + std::to_string(cols_.count) + ", got " +
                        std::to_string(rec.fields.size()),
                    "");
    }
    if (rec.converted_from_cp1252) ++summary_.converted_cp1252;
    return pipe_ ? PipeRow(rec, batch) : CanonicalRow(rec, batch);
  }

  const std::string& snapshot_date() const { return snapshot_date_; }

 private:
  std::string_view Field(const CsvRecord& rec, const char* name) const {
    const auto i = cols_.Get(name);
    return i ? std::string_view(rec.fields[*i]) : std::string_view();
  }

  // `line` as the CSV reader counts it; the reject file has the store's int64 line numbers.
  bool Reject(std::size_t line, const std::string& reason, std::string_view column) {
    ++summary_.rejected;
    // Count by the reason's kind ("bad NIK", "unknown region", ...), not its detail.
    std::string kind = reason.substr(0, reason.find(':'));
    ++summary_.reasons[kind];
    rejects_.Write(static_cast<std::int64_t>(line), reason, column);
    return false;
  }

  // Shared by both formats once the fields are found.
  bool Common(const CsvRecord& rec, std::string_view nik_raw, const char* nik_col,
              std::string_view kk_raw, const char* kk_col, std::string_view name_raw,
              const char* name_col, std::string_view sex_raw, const char* sex_col,
              std::string_view birth_raw, const char* birth_col, OwnedRow& row, Batch& batch,
              std::string& name, std::string& birth) {
    const Nik nik = ParseNik(nik_raw, today_date_);
    if (!nik.ok())
      return Reject(rec.line, std::string("bad NIK: ") + NikErrorCode(nik.error), nik_col);
    const Kk kk = ParseKk(kk_raw);
    if (!kk.ok()) return Reject(rec.line, std::string("bad KK: ") + KkErrorCode(kk.error), kk_col);
    name = CollapseSpaces(name_raw);
    if (name.empty()) return Reject(rec.line, "missing name", name_col);
    if (CodePoints(name) > kMaxNameCodePoints) return Reject(rec.line, "name too long", name_col);
    const auto sex = ParseSex(sex_raw);
    if (!sex) return Reject(rec.line, "bad sex", sex_col);
    const auto date = ParseDate(Trim(birth_raw));
    if (!date || *date > today_date_) return Reject(rec.line, "bad birth date", birth_col);
    birth = date->ToIso();
    // The NIK carries the birth date (day + 40 for women) at issue: a difference is a
    // warning, never a rejection (late registrations, corrected records).
    if (nik.birth_date != *date || (nik.sex == Sex::kFemale ? 'P' : 'L') != *sex) {
      ++summary_.nik_warnings;
    }
    row.line = static_cast<std::int64_t>(rec.line);
    row.nik = hasher_.Hash("nik", nik.digits);
    row.kk = hasher_.Hash("kk", kk.digits);
    row.nik_hint = Hint(nik.digits);
    row.kk_hint = Hint(kk.digits);
    row.sex = *sex;
    batch.Put(row, kName, name);
    batch.Put(row, kNameKey, text::FoldForMatch(name));
    batch.Put(row, kBirth, birth);
    return true;
  }

  bool CanonicalRow(const CsvRecord& rec, Batch& batch) {
    OwnedRow row;
    const std::size_t arena_mark = batch.arena.size();
    auto undo = [&](bool ok) {
      if (!ok) batch.arena.resize(arena_mark);
      return ok;
    };
    // Cheap whole-row checks before hashing.
    const std::string_view village_text = Trim(Field(rec, "village_code"));
    const std::int64_t village = VillageCodeNumber(village_text);
    const regions::Region* region = village == 0 ? nullptr : options_.regions->Find(village_text);
    if (region == nullptr || region->level != regions::Level::kVillage) {
      return Reject(rec.line, "unknown region: village_code", "village_code");
    }
    const int desil = ParseDesil(Field(rec, "desil"));
    if (desil < 0) return Reject(rec.line, "bad desil", "desil");
    const auto programmes = ParseProgrammeList(Field(rec, "programmes"));
    if (!programmes) return Reject(rec.line, "bad programmes", "programmes");
    const auto status = ParseStatus(Field(rec, "status"));
    if (!status) return Reject(rec.line, "bad status", "status");
    if (options_.snapshot_date.empty()) {
      const auto d = ParseDate(Trim(Field(rec, "snapshot_date")));
      if (!d || *d > today_date_) return Reject(rec.line, "bad snapshot date", "snapshot_date");
      const std::string iso = d->ToIso();
      if (snapshot_date_.empty()) {
        snapshot_date_ = iso;
      } else if (iso != snapshot_date_) {
        return Reject(rec.line, "snapshot date differs: " + iso + " after " + snapshot_date_,
                      "snapshot_date");
      }
    }
    std::string name;
    std::string birth;
    if (!undo(Common(rec, Field(rec, "nik"), "nik", Field(rec, "kk"), "kk", Field(rec, "name"),
                     "name", Field(rec, "sex"), "sex", Field(rec, "birth_date"), "birth_date", row,
                     batch, name, birth))) {
      return false;
    }
    row.village = village;
    row.desil = desil;
    batch.Put(row, kAddress, CollapseSpaces(Field(rec, "address")));
    batch.Put(row, kRelationship, ParseRelationship(Field(rec, "relationship")));
    batch.Put(row, kProgrammes, *programmes);
    batch.Put(row, kStatus, *status);
    batch.rows.push_back(row);
    return true;
  }

  bool PipeRow(const CsvRecord& rec, Batch& batch) {
    const std::array<std::string_view, 4> names = {
        Trim(Field(rec, "provinsi")), Trim(Field(rec, "kabupaten_kota")),
        Trim(Field(rec, "kecamatan")), Trim(Field(rec, "desa_kelurahan"))};
    std::string cache_key;
    for (const auto n : names) {
      cache_key.append(n);
      cache_key.push_back('\x1f');
    }
    auto it = region_cache_.find(cache_key);
    if (it == region_cache_.end()) {
      it =
          region_cache_
              .emplace(cache_key, options_.regions->Resolve(names[0], names[1], names[2], names[3]))
              .first;
    }
    const core::Result<regions::ResolvedVillage>& where = it->second;
    if (!where.ok()) return Reject(rec.line, "unknown region: " + where.error().message, "");
    OwnedRow row;
    const std::size_t arena_mark = batch.arena.size();
    std::string name;
    std::string birth;
    if (!Common(rec, Field(rec, "nomor_nik"), "nomor_nik", Field(rec, "nomor_kk"), "nomor_kk",
                Field(rec, "nama"), "nama", Field(rec, "jenis_kelamin"), "jenis_kelamin",
                Field(rec, "tanggal_lahir"), "tanggal_lahir", row, batch, name, birth)) {
      batch.arena.resize(arena_mark);
      return false;
    }
    if (where.value().any_approximate()) ++summary_.approximate_regions;
    row.village = VillageCodeNumber(where.value().code);
    row.desil = 0;
    std::string address = CollapseSpaces(Field(rec, "alamat"));
    const std::string dusun = CollapseSpaces(Field(rec, "dusun"));
    const std::string rt = CollapseSpaces(Field(rec, "rt"));
    const std::string rw = CollapseSpaces(Field(rec, "rw"));
    if (!dusun.empty()) address += (address.empty() ? "" : ", ") + dusun;
    if (!rt.empty() || !rw.empty()) {
      address += (address.empty() ? "" : ", ") + std::string("RT ") + rt + "/RW " + rw;
    }
    batch.Put(row, kAddress, address);
    batch.Put(row, kRelationship, ParseRelationship(Field(rec, "hubungan_keluarga")));
    batch.Put(row, kProgrammes, "");
    batch.Put(row, kStatus, "aktif");
    batch.rows.push_back(row);
    return true;
  }

  const ImportOptions& options_;
  IdentityHasher hasher_;
  RejectFile& rejects_;
  ImportSummary& summary_;
  CivilDate today_date_;
  bool pipe_;
  Columns cols_;
  std::string snapshot_date_;
  std::unordered_map<std::string, core::Result<regions::ResolvedVillage>> region_cache_;
};

}  // namespace

core::Result<ImportSummary> ImportRegistry(const ImportOptions& options) {
  const auto started = Clock::now();
  if (options.format != "canonical" && options.format != "dtks-pipe") {
    return MakeError(ErrorCode::kInvalidArgument,
                     "unknown format '" + options.format + "' (canonical or dtks-pipe)");
  }
  if (options.regions == nullptr || options.regions->count(regions::Level::kVillage) == 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the region tree is empty: run `satupintu regions import` first");
  }
  if (options.format == "dtks-pipe" && options.snapshot_date.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the dtks-pipe format has no snapshot date: give --snapshot-date YYYY-MM-DD");
  }
  const auto today = options.today.empty() ? LocalToday() : ParseDate(options.today);
  if (!today) return MakeError(ErrorCode::kInvalidArgument, "today is not a date");
  if (!options.snapshot_date.empty()) {
    const auto d = ParseDate(options.snapshot_date);
    if (!d || *d > *today) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "--snapshot-date must be a date (YYYY-MM-DD) not in the future");
    }
  }
  auto hasher = IdentityHasher::Create(options.key);
  if (!hasher.ok()) return hasher.error();
  const std::string fingerprint = hasher.value().Fingerprint();

  CsvOptions csv;
  csv.separator = options.format == "dtks-pipe" ? '|' : '\0';  // canonical: from the header
  csv.separator_candidates = ",;";
  auto reader = CsvReader::Open(options.input_path, csv);
  if (!reader.ok()) return reader.error();

  ImportSummary summary;
  summary.rejects_path =
      options.rejects_path.empty() ? options.input_path + ".rejects.csv" : options.rejects_path;
  RejectFile rejects;
  if (auto s = rejects.Open(summary.rejects_path); !s.ok()) return s.error();

  CsvRecord record;
  if (!reader.value().Next(record)) {
    return MakeError(ErrorCode::kInvalidArgument, "the file is empty: no header line");
  }
  if (!record.error.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "the header line is unreadable: " + record.error);
  }
  RowParser parser(options, std::move(hasher.value()), rejects, summary, *today);
  if (auto s = parser.Header(record); !s.ok()) return s.error();

  // The main store: which snapshot is in force. One import at a time per registry directory.
  std::error_code ec;
  std::filesystem::create_directories(options.registry_dir, ec);
  const std::string lock_path =
      (std::filesystem::path(options.registry_dir) / ".import.lock").string();
  const int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd < 0) {
    return MakeError(ErrorCode::kUnavailable, "cannot open " + lock_path);
  }
  struct LockGuard {
    int fd;
    ~LockGuard() { ::close(fd); }
  } lock_guard{lock_fd};
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    return MakeError(ErrorCode::kUnavailable,
                     "another registry import is running on " + options.registry_dir);
  }
  auto store = storage::Db::Open(options.store_path, /*read_only=*/false, /*create=*/false);
  if (!store.ok()) return store.error();
  (void)store.value()->Exec("PRAGMA busy_timeout=5000");
  const std::string source_name = std::filesystem::path(options.input_path).filename().string();
  auto entry = BeginSnapshot(*store.value(), options.format, source_name,
                             options.snapshot_date.empty() ? "pending" : options.snapshot_date,
                             fingerprint, NowMs());
  if (!entry.ok()) return entry.error();
  const std::string file_path =
      (std::filesystem::path(options.registry_dir) / entry.value().file).string();
  auto give_up = [&](core::Error e) -> core::Error {
    (void)FailSnapshot(*store.value(), entry.value().id, NowMs());
    std::error_code rm;
    std::filesystem::remove(file_path, rm);
    return e;
  };

  auto writer = SnapshotWriter::Create(file_path);
  if (!writer.ok()) return give_up(writer.error());

  // Reader thread: parse, validate, hash; hand over full batches.
  BatchQueue queue;
  std::mutex progress_mutex;
  ImportProgress progress;
  std::thread producer([&] {
    auto batch = std::make_unique<Batch>();
    auto publish = [&] {
      std::lock_guard<std::mutex> lock(progress_mutex);
      progress.bytes_read = reader.value().bytes_read();
      progress.file_size = reader.value().file_size();
      progress.rows = summary.records;
      progress.rejected = summary.rejected;
    };
    while (reader.value().Next(record)) {
      ++summary.records;
      parser.Row(record, *batch);
      if (batch->rows.size() >= kBatchRows) {
        publish();
        if (!queue.Push(std::move(batch))) return;
        batch = std::make_unique<Batch>();
      }
    }
    publish();
    if (!batch->rows.empty()) queue.Push(std::move(batch));
    queue.Close();
  });

  core::Status write_status;
  auto last_report = Clock::now();
  auto report = [&](bool indexing) {
    if (!options.progress) return;
    ImportProgress p;
    {
      std::lock_guard<std::mutex> lock(progress_mutex);
      p = progress;
    }
    p.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    p.indexing = indexing;
    options.progress(p);
  };
  while (auto batch = queue.Pop()) {
    for (const auto& r : batch->rows) {
      PersonRow row;
      row.line = r.line;
      row.nik_hash = r.nik;
      row.kk_hash = r.kk;
      row.nik_hint = r.nik_hint;
      row.kk_hint = r.kk_hint;
      row.name = batch->Get(r, kName);
      row.name_key = batch->Get(r, kNameKey);
      row.sex = r.sex;
      row.birth_date = batch->Get(r, kBirth);
      row.village_code = r.village;
      row.address = batch->Get(r, kAddress);
      row.relationship = batch->Get(r, kRelationship);
      row.desil = r.desil;
      row.programmes = batch->Get(r, kProgrammes);
      row.status = batch->Get(r, kStatus);
      if (write_status = writer.value()->Add(row); !write_status.ok()) break;
    }
    if (!write_status.ok()) {
      queue.Abort();
      break;
    }
    if (Clock::now() - last_report > std::chrono::milliseconds(250)) {
      last_report = Clock::now();
      report(false);
    }
  }
  producer.join();
  summary.empty_lines = static_cast<std::int64_t>(reader.value().empty_lines());
  if (!write_status.ok()) {
    writer.value().reset();
    return give_up(write_status.error());
  }
  if (reader.value().io_error()) {
    writer.value().reset();
    return give_up(MakeError(ErrorCode::kUnavailable, "reading " + source_name + " failed"));
  }
  const std::string snapshot_date = parser.snapshot_date();
  if (snapshot_date.empty() || summary.records == summary.rejected) {
    writer.value().reset();
    (void)rejects.Close();
    return give_up(MakeError(ErrorCode::kInvalidArgument,
                             "no valid row in the file (" + std::to_string(summary.rejected) +
                                 " rejected, see " + summary.rejects_path +
                                 "); the previous snapshot stays in force"));
  }
  report(true);

  SnapshotMeta meta;
  meta.format = options.format;
  meta.source_name = source_name;
  meta.snapshot_date = snapshot_date;
  meta.key_fingerprint = fingerprint;
  meta.created_at_ms = NowMs();
  auto finished = writer.value()->Finish(meta, [&](std::int64_t line, std::int64_t winner) {
    rejects.Write(line, "duplicate NIK, superseded by line " + std::to_string(winner), "nik");
  });
  writer.value().reset();
  if (!finished.ok()) return give_up(finished.error());
  if (auto s = rejects.Close(); !s.ok()) return give_up(s.error());
  summary.duplicates = finished.value().duplicates;
  summary.stored = finished.value().rows;
  summary.snapshot_date = snapshot_date;

  // The switch: one transaction in the main store.
  {
    auto upd =
        store.value()->Prepare("UPDATE registry_snapshot SET snapshot_date = ? WHERE id = ?");
    if (!upd.ok()) return give_up(upd.error());
    if (auto s = upd.value()->Bind(1, snapshot_date).Bind(2, entry.value().id).Run(); !s.ok()) {
      return give_up(s.error());
    }
  }
  auto obsolete = ActivateSnapshot(*store.value(), entry.value().id, summary.stored,
                                   summary.rejected, summary.duplicates, NowMs());
  if (!obsolete.ok()) return give_up(obsolete.error());
  for (const auto& f : obsolete.value()) {
    std::error_code rm;
    if (std::filesystem::remove(std::filesystem::path(options.registry_dir) / f, rm)) {
      ++summary.retired_files_removed;
    }
  }
  summary.snapshot_id = entry.value().id;
  summary.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return summary;
}

}  // namespace satupintu::registry
