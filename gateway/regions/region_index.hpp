#pragma once
// The region tree in memory, for lookups by code and searches by name. Built once (from the
// `region` table or from a list), immutable afterwards: any number of threads may call its
// const methods at once. Rebuild and swap a new shared_ptr after `regions import`.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "regions/name_key.hpp"
#include "regions/region.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::regions {

// How a name matched a query; results are ranked in this order.
enum class MatchKind : std::uint8_t {
  kExact,     // the same name after folding, prefix removal and spaces ("Suka Maju" = "sukamaju")
  kPrefix,    // the name starts with the query ("tanjung pri" -> "Tanjung Priok")
  kContains,  // every word of the query is a word of the name ("menteng" -> "Menteng Atas")
  kTypo,      // within 1 edit (queries of 4-7 letters) or 2 edits (8 or more) of the name
};

const char* MatchKindName(MatchKind kind);  // "exact", "prefix", "contains", "typo"

struct SearchOptions {
  std::string within{};  // a code (any level, dots optional): only its descendants
  // The deployment's own regency (regions.home_regency): its hits come first, ranked among
  // themselves; hits elsewhere follow only when the home regency has no exact or prefix hit
  // (a citizen of the regency means their own "Sukamaju", not one of the 30 others).
  std::string prefer{};
  std::optional<Level> level{};  // only this level
  std::size_t limit = 10;
};

struct SearchHit {
  const Region* region = nullptr;  // owned by the index
  MatchKind how = MatchKind::kExact;
  int distance = 0;  // edits, for kTypo
  // 1 exact; prefix 0.75-0.95 and contains 0.5-0.7 by the share of the name the query
  // covers; typo 0.45 (one edit) or 0.35 (two). Informative: the order is by `how` first.
  double score = 0;
  std::vector<const Region*> path;  // parent first, up to the province
  std::string label;                // "Sukamaju, Kec. Cibadak, Kab. Sukabumi"
};

struct ResolvedVillage {
  std::string code;  // "32.02.23.2005"
  // Levels (index 0 = province) that were matched within one typo instead of exactly.
  std::array<bool, 4> approximate{};
  bool any_approximate() const {
    return approximate[0] || approximate[1] || approximate[2] || approximate[3];
  }
};

class RegionIndex {
 public:
  // From the `region` table (migration 6), e.g. on the store's reader connection.
  static core::Result<std::shared_ptr<const RegionIndex>> Load(storage::Db& db);
  // From a list (tests, the importer). Regions whose parent is missing are kept but are not
  // reachable through Children/Path of their ancestors.
  static std::shared_ptr<const RegionIndex> Build(std::vector<Region> regions);

  std::size_t size() const { return regions_.size(); }
  std::size_t count(Level level) const;

  // Accepts the code with or without dots ("3201012001"). nullptr when unknown.
  const Region* Find(std::string_view code) const;
  // Direct children in code order; empty for an unknown code or a village.
  std::span<const Region> Children(std::string_view code) const;
  // The region and its ancestors: village, kecamatan, regency, province. Empty when unknown.
  std::vector<const Region*> Path(std::string_view code) const;
  // "Sukamaju, Kec. Cibadak, Kab. Sukabumi": the region and its next two ancestors, with the
  // usual Indonesian abbreviations of the designations (they are part of the official names).
  std::string Label(const Region& region) const;

  // Ranked: how (exact, prefix, contains, typo); then the designation the query named
  // ("kab bogor" puts Kabupaten Bogor before Kota Bogor); the query as typed before the query
  // without its prefix; fewer edits; level (province first); name; code.
  // An unknown `within` gives no results.
  std::vector<SearchHit> Search(std::string_view query, const SearchOptions& options = {}) const;

  // The DTKS pipe export's region names to a village code: province, then regency within it,
  // kecamatan within that, village within that. Each level: exact after folding and prefix
  // removal (a "Kab."/"Kota" prefix decides between Kabupaten X and Kota X), else the single
  // candidate within one edit (names of 4 letters or more), flagged approximate.
  // Errors (kNotFound) name the failing level as the DTKS column: "unknown region: kecamatan",
  // "ambiguous region: kabupaten_kota"; they never contain the names.
  core::Result<ResolvedVillage> Resolve(std::string_view province, std::string_view regency,
                                        std::string_view kecamatan, std::string_view village) const;

 private:
  struct Entry {
    NameKey key;
    std::u32string compact32;  // key.compact as code points, for edit distances
    LetterCounts letters;      // of compact32
    Kind kind = Kind::kNone;
  };
  struct Candidate;
  static constexpr std::size_t kMaxLengthBucket = 64;

  RegionIndex() = default;
  void BuildIndexes();
  // Indices into regions_ of a level: [begin, end).
  std::pair<std::size_t, std::size_t> LevelRange(Level level) const;
  // The descendants of `code` at `level`, as a range of indices into regions_.
  std::pair<std::size_t, std::size_t> DescendantRange(const std::string& code, Level level) const;
  std::size_t IndexOf(const Region* region) const {
    return static_cast<std::size_t>(region - regions_.data());
  }
  void Match(std::size_t id, const QueryVariant& variant, std::size_t variant_index,
             const std::vector<std::string_view>& query_tokens, std::u32string_view query32,
             int max_edits, std::vector<Candidate>& out) const;

  std::vector<Region> regions_;               // by level, then code
  std::vector<Entry> entries_;                // parallel to regions_
  std::array<std::size_t, 5> level_begin_{};  // level_begin_[l - 1] .. level_begin_[l]
  std::unordered_map<std::string, std::uint32_t> by_code_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_compact_;
  std::vector<std::uint32_t> sorted_by_compact_;  // ids ordered by compact key (prefix search)
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_token_;
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> by_trigram_;
  // ids by compact length in code points (the last bucket holds every longer name), for
  // typo queries whose trigrams cannot filter (repetitive names such as "Bati-Bati").
  std::vector<std::vector<std::uint32_t>> by_length_;
};

}  // namespace satupintu::regions
