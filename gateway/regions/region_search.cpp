// RegionIndex::Search: candidates from the indexes (or a scan of a small subtree), each
// classified by Match, the best classification per region kept, the first `limit` returned.

#include <algorithm>

#include "regions/region_index.hpp"
#include "text/edit_distance.hpp"
#include "text/fold.hpp"

namespace satupintu::regions {

struct RegionIndex::Candidate {
  std::uint32_t id;
  MatchKind how;
  bool hint_miss;
  std::uint8_t variant;
  std::uint8_t distance;
  double score;
};

namespace {

// Subtrees up to this many regions are scanned instead of looked up in the indexes: a
// regency has about 300 kecamatan and villages, a large province about 6,000.
constexpr std::size_t kScanLimit = 2500;

int MaxEdits(std::size_t query_length) {
  if (query_length < 4) return 0;
  return query_length < 8 ? 1 : 2;
}

// Every token of the query is a token of the name.
bool ContainsAllTokens(std::string_view name_spaced,
                       const std::vector<std::string_view>& query_tokens) {
  for (std::string_view q : query_tokens) {
    bool found = false;
    std::string_view rest = name_spaced;
    while (!rest.empty()) {
      const auto space = rest.find(' ');
      if (rest.substr(0, space) == q) {
        found = true;
        break;
      }
      if (space == std::string_view::npos) break;
      rest.remove_prefix(space + 1);
    }
    if (!found) return false;
  }
  return true;
}

}  // namespace

void RegionIndex::Match(std::size_t id, const QueryVariant& variant, std::size_t variant_index,
                        const std::vector<std::string_view>& query_tokens,
                        std::u32string_view query32, int max_edits,
                        std::vector<Candidate>& out) const {
  const Entry& e = entries_[id];
  const std::string& q = variant.key.compact;
  Candidate c{static_cast<std::uint32_t>(id),
              MatchKind::kExact,
              !HintMatches(variant.hint, regions_[id].level, e.kind),
              static_cast<std::uint8_t>(variant_index),
              0,
              1.0};
  const double name_length = static_cast<double>(std::max<std::size_t>(e.key.compact.size(), 1));
  if (e.key.compact == q) {
    out.push_back(c);
    return;
  }
  if (e.key.compact.starts_with(q)) {
    c.how = MatchKind::kPrefix;
    c.score = 0.75 + 0.2 * static_cast<double>(q.size()) / name_length;
    out.push_back(c);
    return;
  }
  if (ContainsAllTokens(e.key.spaced, query_tokens)) {
    c.how = MatchKind::kContains;
    c.score = 0.5 + 0.2 * std::min(1.0, static_cast<double>(q.size()) / name_length);
    out.push_back(c);
    return;
  }
  if (max_edits == 0) return;
  const int d = text::BoundedEditDistance(query32, e.compact32, max_edits);
  if (d > max_edits) return;
  c.how = MatchKind::kTypo;
  c.distance = static_cast<std::uint8_t>(d);
  c.score = d <= 1 ? 0.45 : 0.35;
  out.push_back(c);
}

std::vector<SearchHit> RegionIndex::Search(std::string_view query,
                                           const SearchOptions& options) const {
  if (!options.prefer.empty() && options.within.empty()) {
    SearchOptions home = options;
    home.prefer.clear();
    home.within = options.prefer;
    std::vector<SearchHit> hits = Search(query, home);
    const bool strong = std::any_of(hits.begin(), hits.end(), [](const SearchHit& h) {
      return h.how == MatchKind::kExact || h.how == MatchKind::kPrefix;
    });
    if (strong || hits.size() >= options.limit) return hits;
    SearchOptions everywhere = options;
    everywhere.prefer.clear();
    for (auto& h : Search(query, everywhere)) {
      if (hits.size() >= options.limit) break;
      const bool seen = std::any_of(hits.begin(), hits.end(),
                                    [&](const SearchHit& k) { return k.region == h.region; });
      if (!seen) hits.push_back(std::move(h));
    }
    return hits;
  }

  std::vector<SearchHit> hits;
  const std::vector<QueryVariant> variants = QueryVariants(query);
  if (variants.empty() || options.limit == 0 || regions_.empty()) return hits;

  const Region* within = nullptr;
  if (!options.within.empty()) {
    within = Find(options.within);
    if (within == nullptr) return hits;
  }
  // The index ranges the search may return.
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  std::size_t in_scope = 0;
  for (int l = 1; l <= 4; ++l) {
    const auto level = static_cast<Level>(l);
    if (options.level && *options.level != level) continue;
    if (within != nullptr && level <= within->level) continue;
    const auto range = within != nullptr ? DescendantRange(within->code, level) : LevelRange(level);
    if (range.first < range.second) {
      ranges.push_back(range);
      in_scope += range.second - range.first;
    }
  }
  if (ranges.empty()) return hits;
  auto allowed = [&ranges](std::size_t id) {
    for (const auto& [begin, end] : ranges) {
      if (id >= begin && id < end) return true;
    }
    return false;
  };

  struct Prepared {
    std::vector<std::string_view> tokens;
    std::u32string query32;
    int max_edits;
  };
  std::vector<Prepared> prepared;
  for (const auto& variant : variants) {
    Prepared p{SplitTokens(variant.key.spaced), text::DecodeUtf8(variant.key.compact), 0};
    p.max_edits = MaxEdits(p.query32.size());
    prepared.push_back(std::move(p));
  }
  std::vector<Candidate> found;
  auto match = [&](std::size_t id, std::size_t v) {
    Match(id, variants[v], v, prepared[v].tokens, prepared[v].query32, prepared[v].max_edits,
          found);
  };
  auto scan = [&](std::size_t v) {
    for (const auto& [begin, end] : ranges) {
      for (std::size_t id = begin; id < end; ++id) match(id, v);
    }
  };

  // The order of results, smaller first (name and code break the remaining ties).
  auto rank_key = [this](const Candidate& c) {
    return std::make_tuple(static_cast<int>(c.how), c.hint_miss, c.variant, c.distance,
                           static_cast<int>(regions_[c.id].level));
  };
  // Keeps the best classification per region.
  auto dedupe = [&found, &rank_key] {
    std::sort(found.begin(), found.end(), [&rank_key](const Candidate& a, const Candidate& b) {
      if (a.id != b.id) return a.id < b.id;
      return rank_key(a) < rank_key(b);
    });
    found.erase(std::unique(found.begin(), found.end(),
                            [](const Candidate& a, const Candidate& b) { return a.id == b.id; }),
                found.end());
  };

  if (in_scope <= kScanLimit) {
    for (std::size_t v = 0; v < variants.size(); ++v) scan(v);
  } else {
    // Phases in rank order; each finds every region its kind can match, so once `limit`
    // regions are found the later (worse) kinds cannot enter the results.
    // Exact and prefix: one range of the ids sorted by compact key.
    for (std::size_t v = 0; v < variants.size(); ++v) {
      const std::string& q = variants[v].key.compact;
      auto it = std::lower_bound(sorted_by_compact_.begin(), sorted_by_compact_.end(), q,
                                 [this](std::uint32_t id, const std::string& key) {
                                   return entries_[id].key.compact < key;
                                 });
      for (; it != sorted_by_compact_.end() && entries_[*it].key.compact.starts_with(q); ++it) {
        if (allowed(*it)) match(*it, v);
      }
    }
    dedupe();
    // Contains: the shortest posting list of the query's tokens, each checked in full.
    if (found.size() < options.limit) {
      for (std::size_t v = 0; v < variants.size(); ++v) {
        const std::vector<std::uint32_t>* shortest = nullptr;
        for (std::string_view token : prepared[v].tokens) {
          const auto p = by_token_.find(std::string(token));
          if (p == by_token_.end()) {
            shortest = nullptr;
            break;
          }
          if (shortest == nullptr || p->second.size() < shortest->size()) shortest = &p->second;
        }
        if (shortest == nullptr) continue;
        for (std::uint32_t id : *shortest) {
          if (allowed(id)) match(id, v);
        }
      }
      dedupe();
    }
    // Typos: a name within k edits shares at least (distinct query trigrams - 4k) of them
    // (one edit touches at most 4 padded trigrams, a transposition included).
    for (std::size_t v = 0; v < variants.size(); ++v) {
      if (v > 0) dedupe();
      if (found.size() >= options.limit) break;
      const int max_edits = prepared[v].max_edits;
      if (max_edits == 0) continue;
      const std::u32string& query32 = prepared[v].query32;
      const LetterCounts letters = CountLetters(query32);
      const auto length = static_cast<std::ptrdiff_t>(query32.size());
      // Length and letter counts first: both are cheap bounds on the edit distance.
      auto try_typo = [&](std::uint32_t id) {
        const Entry& e = entries_[id];
        const auto other = static_cast<std::ptrdiff_t>(e.compact32.size());
        if (std::abs(other - length) > max_edits) return;
        if (!CountsWithin(letters, e.letters, max_edits) || !allowed(id)) return;
        match(id, v);
      };
      const std::vector<std::uint64_t> grams = DistinctTrigrams(query32);
      // Repetitive names ("batibati") have too few distinct trigrams for the count filter:
      // walk the names of a possible length instead.
      const int needed = static_cast<int>(grams.size()) - 4 * max_edits;
      if (needed <= 1) {
        const auto low = static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, length - max_edits));
        const auto high = std::min(static_cast<std::size_t>(length + max_edits), kMaxLengthBucket);
        for (std::size_t l = low; l <= high && l < by_length_.size(); ++l) {
          for (std::uint32_t id : by_length_[l]) try_typo(id);
        }
        continue;
      }
      thread_local std::vector<std::uint8_t> counts;
      thread_local std::vector<std::uint32_t> touched;
      if (counts.size() < regions_.size()) counts.resize(regions_.size(), 0);
      touched.clear();
      for (auto g : grams) {
        const auto p = by_trigram_.find(g);
        if (p == by_trigram_.end()) continue;
        for (std::uint32_t id : p->second) {
          if (counts[id] == 0) touched.push_back(id);
          if (counts[id] < 255) ++counts[id];
        }
      }
      for (std::uint32_t id : touched) {
        const int shared = counts[id];
        counts[id] = 0;
        if (shared >= needed) try_typo(id);
      }
    }
  }
  dedupe();

  auto better = [this, &rank_key](const Candidate& a, const Candidate& b) {
    const Region& ra = regions_[a.id];
    const Region& rb = regions_[b.id];
    const auto ka = rank_key(a);
    const auto kb = rank_key(b);
    if (ka != kb) return ka < kb;
    const int by_name = entries_[a.id].key.spaced.compare(entries_[b.id].key.spaced);
    if (by_name != 0) return by_name < 0;
    return ra.code < rb.code;
  };
  const std::size_t n = std::min(options.limit, found.size());
  std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(n), found.end(),
                    better);
  hits.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Candidate& c = found[i];
    SearchHit hit;
    hit.region = &regions_[c.id];
    hit.how = c.how;
    hit.distance = c.distance;
    hit.score = c.score;
    std::vector<const Region*> path = Path(hit.region->code);
    if (!path.empty()) path.erase(path.begin());
    hit.path = std::move(path);
    hit.label = Label(*hit.region);
    hits.push_back(std::move(hit));
  }
  return hits;
}

}  // namespace satupintu::regions
