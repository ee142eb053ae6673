#include "regions/name_key.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdlib>
#include <initializer_list>

#include "text/fold.hpp"

namespace satupintu::regions {
namespace {

struct Prefix {
  std::initializer_list<std::string_view> tokens;
  std::optional<Level> level;
  Kind kind;
};

// Longest first wherever one prefix starts another ("kota administrasi" before "kota").
const std::array<Prefix, 33> kQueryPrefixes = {{
    {{"provinsi"}, Level::kProvince, Kind::kNone},
    {{"propinsi"}, Level::kProvince, Kind::kNone},
    {{"prov"}, Level::kProvince, Kind::kNone},
    {{"prop"}, Level::kProvince, Kind::kNone},
    {{"daerah", "khusus", "ibukota"}, Level::kProvince, Kind::kNone},
    {{"daerah", "khusus"}, Level::kProvince, Kind::kNone},
    {{"daerah", "istimewa"}, Level::kProvince, Kind::kNone},
    {{"d", "k", "i"}, Level::kProvince, Kind::kNone},
    {{"dki"}, Level::kProvince, Kind::kNone},
    {{"d", "i"}, Level::kProvince, Kind::kNone},
    {{"di"}, Level::kProvince, Kind::kNone},
    {{"kabupaten", "administrasi"}, Level::kRegency, Kind::kKabupaten},
    {{"kabupaten", "adm"}, Level::kRegency, Kind::kKabupaten},
    {{"kab", "adm"}, Level::kRegency, Kind::kKabupaten},
    {{"kabupaten"}, Level::kRegency, Kind::kKabupaten},
    {{"kab"}, Level::kRegency, Kind::kKabupaten},
    {{"kota", "administrasi"}, Level::kRegency, Kind::kKota},
    {{"kota", "adm"}, Level::kRegency, Kind::kKota},
    {{"kotamadya"}, Level::kRegency, Kind::kKota},
    {{"kodya"}, Level::kRegency, Kind::kKota},
    {{"kota"}, Level::kRegency, Kind::kKota},
    {{"kecamatan"}, Level::kDistrict, Kind::kNone},
    {{"kec"}, Level::kDistrict, Kind::kNone},
    {{"distrik"}, Level::kDistrict, Kind::kNone},  // Papua's kecamatan
    {{"kelurahan"}, Level::kVillage, Kind::kKelurahan},
    {{"kel"}, Level::kVillage, Kind::kKelurahan},
    {{"kalurahan"}, Level::kVillage, Kind::kNone},  // Yogyakarta's desa
    {{"desa"}, Level::kVillage, Kind::kDesa},
    {{"ds"}, Level::kVillage, Kind::kDesa},
    {{"gampong"}, Level::kVillage, Kind::kNone},  // Aceh
    {{"nagari"}, Level::kVillage, Kind::kNone},   // West Sumatra
    {{"kampung"}, Level::kVillage, Kind::kNone},  // Papua, Riau
    {{"kampong"}, Level::kVillage, Kind::kNone},
}};

struct Alias {
  std::string_view from;
  std::string_view to;
};

// Short forms of province names that officers and citizens write.
constexpr std::array kProvinceAliases = {
    Alias{"nad", "aceh"},
    Alias{"nanggroe aceh darussalam", "aceh"},
    Alias{"sumut", "sumatera utara"},
    Alias{"sumbar", "sumatera barat"},
    Alias{"sumsel", "sumatera selatan"},
    Alias{"babel", "kepulauan bangka belitung"},
    Alias{"bangka belitung", "kepulauan bangka belitung"},
    Alias{"kepri", "kepulauan riau"},
    Alias{"dki", "jakarta"},
    Alias{"jabar", "jawa barat"},
    Alias{"jateng", "jawa tengah"},
    Alias{"jatim", "jawa timur"},
    Alias{"diy", "yogyakarta"},
    Alias{"jogja", "yogyakarta"},
    Alias{"jogjakarta", "yogyakarta"},
    Alias{"yogya", "yogyakarta"},
    Alias{"ntb", "nusa tenggara barat"},
    Alias{"ntt", "nusa tenggara timur"},
    Alias{"kalbar", "kalimantan barat"},
    Alias{"kalteng", "kalimantan tengah"},
    Alias{"kalsel", "kalimantan selatan"},
    Alias{"kaltim", "kalimantan timur"},
    Alias{"kaltara", "kalimantan utara"},
    Alias{"sulut", "sulawesi utara"},
    Alias{"sulteng", "sulawesi tengah"},
    Alias{"sulsel", "sulawesi selatan"},
    Alias{"sultra", "sulawesi tenggara"},
    Alias{"sulbar", "sulawesi barat"},
    Alias{"malut", "maluku utara"},
    Alias{"pabar", "papua barat"},
};

NameKey MakeKey(std::string spaced) {
  NameKey key;
  key.compact.reserve(spaced.size());
  for (char c : spaced) {
    if (c != ' ') key.compact.push_back(c);
  }
  key.spaced = std::move(spaced);
  return key;
}

// Removes the first matching prefix when at least one token remains after it.
std::optional<std::string> StripPrefix(const std::string& spaced,
                                       std::initializer_list<std::string_view> tokens) {
  std::string_view rest = spaced;
  for (std::string_view token : tokens) {
    if (rest.substr(0, token.size()) != token) return std::nullopt;
    rest.remove_prefix(token.size());
    if (rest.empty() || rest.front() != ' ') return std::nullopt;
    rest.remove_prefix(1);
  }
  return std::string(rest);
}

}  // namespace

std::vector<std::string_view> SplitTokens(std::string_view spaced) {
  std::vector<std::string_view> tokens;
  while (!spaced.empty()) {
    const auto space = spaced.find(' ');
    tokens.push_back(spaced.substr(0, space));
    if (space == std::string_view::npos) break;
    spaced.remove_prefix(space + 1);
  }
  return tokens;
}

NameKey DataKey(Level level, std::string_view name) {
  std::string folded = text::FoldForMatch(name);
  if (level == Level::kProvince || level == Level::kRegency) {
    for (const auto& prefix : kQueryPrefixes) {
      if (prefix.level != level) continue;
      if (auto rest = StripPrefix(folded, prefix.tokens)) return MakeKey(std::move(*rest));
    }
  }
  return MakeKey(std::move(folded));
}

Kind DataKind(const Region& region) {
  if (region.level == Level::kRegency) {
    const std::string folded = text::FoldForMatch(region.name);
    if (folded.starts_with("kota ")) return Kind::kKota;
    if (folded.starts_with("kabupaten ")) return Kind::kKabupaten;
  }
  if (region.level == Level::kVillage && region.code.size() == 13) {
    if (region.code[9] == '1') return Kind::kKelurahan;
    if (region.code[9] == '2') return Kind::kDesa;
  }
  return Kind::kNone;
}

std::vector<QueryVariant> QueryVariants(std::string_view query) {
  std::vector<QueryVariant> out;
  std::string folded = text::FoldForMatch(query);
  if (folded.empty()) return out;
  auto add = [&out](std::string spaced, Hint hint, bool literal) {
    NameKey key = MakeKey(std::move(spaced));
    for (const auto& v : out) {
      if (v.key.compact == key.compact) return;
    }
    out.push_back({std::move(key), hint, literal});
  };
  add(folded, {}, true);
  std::string base = folded;
  Hint base_hint;
  for (const auto& prefix : kQueryPrefixes) {
    if (auto rest = StripPrefix(folded, prefix.tokens)) {
      base = std::move(*rest);
      base_hint = {prefix.level, prefix.kind};
      add(base, base_hint, false);
      break;
    }
  }
  for (const auto& alias : kProvinceAliases) {
    if (base == alias.from) {
      add(std::string(alias.to), {Level::kProvince, Kind::kNone}, false);
      break;
    }
  }
  return out;
}

std::vector<std::uint64_t> DistinctTrigrams(std::u32string_view s) {
  std::u32string padded(2, U'\0');
  padded += s;
  padded.append(2, U'\0');
  std::vector<std::uint64_t> grams;
  grams.reserve(padded.size());
  for (std::size_t k = 0; k + 3 <= padded.size(); ++k) {
    grams.push_back((static_cast<std::uint64_t>(padded[k]) << 42) |
                    (static_cast<std::uint64_t>(padded[k + 1]) << 21) | padded[k + 2]);
  }
  std::sort(grams.begin(), grams.end());
  grams.erase(std::unique(grams.begin(), grams.end()), grams.end());
  return grams;
}

LetterCounts CountLetters(std::u32string_view s) {
  LetterCounts out;
  for (char32_t c : s) {
    const std::size_t bucket = c >= U'a' && c <= U'z' ? static_cast<std::size_t>(c - U'a') : 26;
    if (out.counts[bucket] < 255) ++out.counts[bucket];
    out.present |= 1u << bucket;
  }
  return out;
}

bool CountsWithin(const LetterCounts& a, const LetterCounts& b, int max_edits) {
  const int limit = 2 * max_edits;
  if (std::popcount(a.present ^ b.present) > limit) return false;
  int total = 0;
  for (std::size_t i = 0; i < a.counts.size(); ++i) {
    total += std::abs(static_cast<int>(a.counts[i]) - static_cast<int>(b.counts[i]));
  }
  return total <= limit;
}

bool HintMatches(const Hint& hint, Level level, Kind kind) {
  if (!hint.level) return true;
  if (*hint.level != level) return false;
  return hint.kind == Kind::kNone || hint.kind == kind;
}

}  // namespace satupintu::regions
