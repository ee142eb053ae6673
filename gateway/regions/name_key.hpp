#pragma once
// How region names are compared: folded (text::FoldForMatch), designation prefixes removed
// ("Kabupaten", "Kota", "Kec.", "Desa", ...) and remembered as a hint, compared with and
// without spaces. Internal to the regions library; exposed for its tests.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "regions/region.hpp"

namespace satupintu::regions {

// What a designation says beyond the level: regencies are kabupaten or kota, villages are
// desa (code DDDD starting with 2) or kelurahan (starting with 1).
enum class Kind : std::uint8_t { kNone, kKabupaten, kKota, kDesa, kKelurahan };

struct NameKey {
  std::string spaced;   // "menteng atas"
  std::string compact;  // "mentengatas": "Suka Maju" and "Sukamaju" are the same name
};

struct Hint {
  std::optional<Level> level;
  Kind kind = Kind::kNone;
};

// The key of a name in the official list: provinces lose "Daerah Khusus Ibukota" and
// "Daerah Istimewa", regencies "Kabupaten [Administrasi]" and "Kota [Administrasi]"; names of
// kecamatan and villages are kept whole ("Kota Baru" is a village).
NameKey DataKey(Level level, std::string_view name);
// Kabupaten/kota from a regency's name, desa/kelurahan from a village's code.
Kind DataKind(const Region& region);

struct QueryVariant {
  NameKey key;
  Hint hint;             // from the prefix that was removed; empty for the literal variant
  bool literal = false;  // the query as typed (folded), no prefix removed
};

// The ways a query may be meant, most literal first: as typed; without its designation
// prefix ("kel. menteng" -> "menteng", hint village/kelurahan); and a known short form of a
// province ("jabar" -> "jawa barat", "diy" -> "yogyakarta"). Duplicates are dropped. Empty
// when the query folds to nothing.
std::vector<QueryVariant> QueryVariants(std::string_view query);

// Whether an entry satisfies a hint (no hint: always).
bool HintMatches(const Hint& hint, Level level, Kind kind);

std::vector<std::string_view> SplitTokens(std::string_view spaced);

// Code point counts in 27 buckets (a-z, everything else) and the set of non-empty buckets.
// One edit changes the counts by at most 2 in total (a substitution: one down, one up; a
// transposition: none), so names within k edits differ by at most 2k: a cheap filter before
// the edit distance.
struct LetterCounts {
  std::array<std::uint8_t, 27> counts{};
  std::uint32_t present = 0;
};
LetterCounts CountLetters(std::u32string_view s);
// Whether the counts of two strings allow them to be within `max_edits` of each other.
bool CountsWithin(const LetterCounts& a, const LetterCounts& b, int max_edits);

// The distinct trigrams of `s` padded with two U+0000 on each side ("ab": $$a $ab ab$ b$$),
// each packed into 63 bits, sorted.
std::vector<std::uint64_t> DistinctTrigrams(std::u32string_view s);

}  // namespace satupintu::regions
