#pragma once
// One region of the official Kemendagri tree: codes PP (province), PP.RR (regency or city),
// PP.RR.SS (kecamatan), PP.RR.SS.DDDD (village: desa or kelurahan), always stored with dots.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace satupintu::regions {

enum class Level : std::uint8_t { kProvince = 1, kRegency = 2, kDistrict = 3, kVillage = 4 };

const char* LevelName(Level level);  // "province", "regency", "kecamatan", "village"

struct Region {
  std::string code;    // "32.01.01.2001"
  std::string parent;  // "32.01.01"; empty for a province
  Level level = Level::kProvince;
  std::string name;  // as in the official list: "Kabupaten Bogor", "Sukamaju"
};

// "3201012001", "32.01.01.2001", " 32 01 01 2001 " -> "32.01.01.2001"; also 2, 4 and 6
// digits for the upper levels. Spaces, dots and dashes are ignored; anything else, or another
// number of digits, gives nullopt.
std::optional<std::string> NormalizeCode(std::string_view code);

// The level a dotted code has by its shape; nullopt when it has none of the four shapes.
std::optional<Level> LevelOfCode(std::string_view code);

// The parent code by shape ("32.01.01.2001" -> "32.01.01", "32" -> "").
std::string ParentOfCode(std::string_view dotted_code);

}  // namespace satupintu::regions
