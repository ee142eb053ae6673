// RegionIndex::Resolve: the DTKS pipe export's four region names to a village code.

#include <algorithm>
#include <array>

#include "regions/region_index.hpp"
#include "text/edit_distance.hpp"
#include "text/fold.hpp"

namespace satupintu::regions {
namespace {

// The DTKS columns, so an officer finds the failing one in the file.
constexpr std::array<const char*, 4> kColumns = {"provinsi", "kabupaten_kota", "kecamatan",
                                                 "desa_kelurahan"};

// Typo tolerance needs a name long enough for one edit to leave it recognisable.
constexpr std::size_t kMinTypoLength = 4;

}  // namespace

core::Result<ResolvedVillage> RegionIndex::Resolve(std::string_view province,
                                                   std::string_view regency,
                                                   std::string_view kecamatan,
                                                   std::string_view village) const {
  const std::array<std::string_view, 4> names = {province, regency, kecamatan, village};
  ResolvedVillage resolved;
  std::string parent;
  for (std::size_t level_index = 0; level_index < names.size(); ++level_index) {
    const auto level = static_cast<Level>(level_index + 1);
    const auto [begin, end] = parent.empty() ? LevelRange(level) : DescendantRange(parent, level);
    const std::vector<QueryVariant> variants = QueryVariants(names[level_index]);
    auto fail = [&](const char* what) {
      return core::MakeError(core::ErrorCode::kNotFound,
                             std::string(what) + " region: " + kColumns[level_index]);
    };
    if (variants.empty()) return fail("unknown");

    // Among `ids`, the one the designation in the name picks ("Kab. Bogor"), if exactly one.
    auto by_hint = [&](const std::vector<std::uint32_t>& ids) -> std::optional<std::uint32_t> {
      std::vector<std::uint32_t> picked;
      for (std::uint32_t id : ids) {
        for (const auto& v : variants) {
          if (v.hint.level && HintMatches(v.hint, level, entries_[id].kind)) {
            picked.push_back(id);
            break;
          }
        }
      }
      if (picked.size() == 1) return picked.front();
      return std::nullopt;
    };

    // Exact, the most literal reading first: a village really named "Kota Baru" wins over
    // "Baru" read with its prefix removed.
    std::optional<std::uint32_t> chosen;
    bool ambiguous = false;
    for (const auto& v : variants) {
      std::vector<std::uint32_t> ids;
      for (std::size_t id = begin; id < end; ++id) {
        if (entries_[id].key.compact == v.key.compact)
          ids.push_back(static_cast<std::uint32_t>(id));
      }
      if (ids.empty()) continue;
      if (ids.size() == 1) {
        chosen = ids.front();
      } else {
        chosen = by_hint(ids);
        ambiguous = !chosen;
      }
      break;
    }
    if (ambiguous) return fail("ambiguous");

    if (!chosen) {
      std::vector<std::uint32_t> ids;
      for (const auto& v : variants) {
        const std::u32string query32 = text::DecodeUtf8(v.key.compact);
        if (query32.size() < kMinTypoLength) continue;
        for (std::size_t id = begin; id < end; ++id) {
          if (text::BoundedEditDistance(query32, entries_[id].compact32, 1) <= 1) {
            ids.push_back(static_cast<std::uint32_t>(id));
          }
        }
      }
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      if (ids.empty()) return fail("unknown");
      chosen = ids.size() == 1 ? std::optional(ids.front()) : by_hint(ids);
      if (!chosen) return fail("ambiguous");
      resolved.approximate[level_index] = true;
    }
    parent = regions_[*chosen].code;
  }
  resolved.code = parent;
  return resolved;
}

}  // namespace satupintu::regions
