#include "regions/region_index.hpp"

#include <algorithm>

#include "text/fold.hpp"

namespace satupintu::regions {
namespace {

std::size_t LevelIndex(Level level) { return static_cast<std::size_t>(level) - 1; }

// "Kabupaten Administrasi Kepulauan Seribu" -> "Kab. Adm. Kepulauan Seribu".
std::string ShortDesignation(const Region& region) {
  std::string_view name = region.name;
  std::string out;
  switch (region.level) {
    case Level::kProvince:
    case Level::kVillage:
      return region.name;
    case Level::kDistrict:
      return "Kec. " + region.name;
    case Level::kRegency:
      if (name.starts_with("Kabupaten ")) {
        out = "Kab. ";
        name.remove_prefix(10);
      } else if (name.starts_with("Kota ")) {
        out = "Kota ";
        name.remove_prefix(5);
      }
      if (name.starts_with("Administrasi ")) {
        out += "Adm. ";
        name.remove_prefix(13);
      }
      out.append(name);
      return out;
  }
  return region.name;
}

}  // namespace

const char* MatchKindName(MatchKind kind) {
  switch (kind) {
    case MatchKind::kExact:
      return "exact";
    case MatchKind::kPrefix:
      return "prefix";
    case MatchKind::kContains:
      return "contains";
    case MatchKind::kTypo:
      return "typo";
  }
  return "unknown";
}

core::Result<std::shared_ptr<const RegionIndex>> RegionIndex::Load(storage::Db& db) {
  auto stmt = db.Prepare("SELECT code, COALESCE(parent, ''), level, name FROM region");
  if (!stmt.ok()) return stmt.error();
  storage::Stmt* q = stmt.value();
  std::vector<Region> regions;
  int rc = SQLITE_ROW;
  while ((rc = q->Step()) == SQLITE_ROW) {
    const std::int64_t level = q->ColumnInt(2);
    if (level < 1 || level > 4) continue;  // the importer never writes one
    regions.push_back(
        {q->ColumnText(0), q->ColumnText(1), static_cast<Level>(level), q->ColumnText(3)});
  }
  if (rc != SQLITE_DONE) {
    auto error = db.LastError("reading the region tree");
    q->Reset();
    return error;
  }
  q->Reset();
  return Build(std::move(regions));
}

std::shared_ptr<const RegionIndex> RegionIndex::Build(std::vector<Region> regions) {
  std::shared_ptr<RegionIndex> index(new RegionIndex());
  std::sort(regions.begin(), regions.end(), [](const Region& a, const Region& b) {
    if (a.level != b.level) return a.level < b.level;
    return a.code < b.code;
  });
  index->regions_ = std::move(regions);
  index->BuildIndexes();
  return index;
}

void RegionIndex::BuildIndexes() {
  const std::size_t n = regions_.size();
  entries_.resize(n);
  level_begin_.fill(n);
  level_begin_[0] = 0;
  for (std::size_t l = 1; l <= 4; ++l) {
    const auto level = static_cast<Level>(l);
    level_begin_[l - 1] = static_cast<std::size_t>(
        std::find_if(regions_.begin(), regions_.end(),
                     [level](const Region& r) { return r.level >= level; }) -
        regions_.begin());
  }
  level_begin_[4] = n;

  by_code_.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto id = static_cast<std::uint32_t>(i);
    const Region& r = regions_[i];
    Entry& e = entries_[i];
    e.key = DataKey(r.level, r.name);
    e.compact32 = text::DecodeUtf8(e.key.compact);
    e.letters = CountLetters(e.compact32);
    e.kind = DataKind(r);
    by_code_.emplace(r.code, id);
    by_compact_[e.key.compact].push_back(id);
    for (std::string_view token : SplitTokens(e.key.spaced)) {
      auto& ids = by_token_[std::string(token)];
      if (ids.empty() || ids.back() != id) ids.push_back(id);
    }
    // Each id once per trigram: the count filter in Search counts distinct trigrams.
    for (auto g : DistinctTrigrams(e.compact32)) by_trigram_[g].push_back(id);
    const std::size_t length = std::min(e.compact32.size(), kMaxLengthBucket);
    if (by_length_.size() <= length) by_length_.resize(length + 1);
    by_length_[length].push_back(id);
  }
  sorted_by_compact_.resize(n);
  for (std::size_t i = 0; i < n; ++i) sorted_by_compact_[i] = static_cast<std::uint32_t>(i);
  std::sort(sorted_by_compact_.begin(), sorted_by_compact_.end(),
            [this](std::uint32_t a, std::uint32_t b) {
              const int c = entries_[a].key.compact.compare(entries_[b].key.compact);
              return c != 0 ? c < 0 : a < b;
            });
}

std::size_t RegionIndex::count(Level level) const {
  const auto [begin, end] = LevelRange(level);
  return end - begin;
}

std::pair<std::size_t, std::size_t> RegionIndex::LevelRange(Level level) const {
  const std::size_t l = LevelIndex(level);
  return {level_begin_[l], level_begin_[l + 1]};
}

std::pair<std::size_t, std::size_t> RegionIndex::DescendantRange(const std::string& code,
                                                                 Level level) const {
  const auto [begin, end] = LevelRange(level);
  auto first = regions_.begin() + static_cast<std::ptrdiff_t>(begin);
  auto last = regions_.begin() + static_cast<std::ptrdiff_t>(end);
  // Descendants are the codes between "<code>." and "<code>/" ('/' follows '.' in ASCII).
  const std::string low = code + ".";
  const std::string high = code + "/";
  auto by_code = [](const Region& r, const std::string& c) { return r.code < c; };
  auto lo = std::lower_bound(first, last, low, by_code);
  auto hi = std::lower_bound(lo, last, high, by_code);
  return {static_cast<std::size_t>(lo - regions_.begin()),
          static_cast<std::size_t>(hi - regions_.begin())};
}

const Region* RegionIndex::Find(std::string_view code) const {
  const auto normal = NormalizeCode(code);
  if (!normal) return nullptr;
  const auto it = by_code_.find(*normal);
  return it == by_code_.end() ? nullptr : &regions_[it->second];
}

std::span<const Region> RegionIndex::Children(std::string_view code) const {
  const Region* r = Find(code);
  if (r == nullptr || r->level == Level::kVillage) return {};
  const auto child = static_cast<Level>(static_cast<int>(r->level) + 1);
  const auto [begin, end] = DescendantRange(r->code, child);
  return std::span<const Region>(regions_.data() + begin, end - begin);
}

std::vector<const Region*> RegionIndex::Path(std::string_view code) const {
  std::vector<const Region*> path;
  const Region* r = Find(code);
  while (r != nullptr && path.size() < 4) {
    path.push_back(r);
    r = r->parent.empty() ? nullptr : Find(r->parent);
  }
  return path;
}

std::string RegionIndex::Label(const Region& region) const {
  std::string label = ShortDesignation(region);
  const Region* r = &region;
  for (int up = 0; up < 2 && !r->parent.empty(); ++up) {
    r = Find(r->parent);
    if (r == nullptr) break;
    label += ", " + ShortDesignation(*r);
  }
  return label;
}

}  // namespace satupintu::regions
