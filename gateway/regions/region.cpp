#include "regions/region.hpp"

namespace satupintu::regions {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool DigitsAt(std::string_view s, std::size_t from, std::size_t count) {
  if (from + count > s.size()) return false;
  for (std::size_t i = from; i < from + count; ++i) {
    if (!IsDigit(s[i])) return false;
  }
  return true;
}

}  // namespace

const char* LevelName(Level level) {
  switch (level) {
    case Level::kProvince:
      return "province";
    case Level::kRegency:
      return "regency";
    case Level::kDistrict:
      return "kecamatan";
    case Level::kVillage:
      return "village";
  }
  return "unknown";
}

std::optional<std::string> NormalizeCode(std::string_view code) {
  std::string digits;
  for (char c : code) {
    if (IsDigit(c)) {
      digits.push_back(c);
    } else if (c != '.' && c != ' ' && c != '-') {
      return std::nullopt;
    }
  }
  switch (digits.size()) {
    case 2:
      return digits;
    case 4:
      return digits.substr(0, 2) + "." + digits.substr(2);
    case 6:
      return digits.substr(0, 2) + "." + digits.substr(2, 2) + "." + digits.substr(4);
    case 10:
      return digits.substr(0, 2) + "." + digits.substr(2, 2) + "." + digits.substr(4, 2) + "." +
             digits.substr(6);
    default:
      return std::nullopt;
  }
}

std::optional<Level> LevelOfCode(std::string_view code) {
  if (code.size() == 2 && DigitsAt(code, 0, 2)) return Level::kProvince;
  if (code.size() < 5 || !DigitsAt(code, 0, 2) || code[2] != '.' || !DigitsAt(code, 3, 2))
    return std::nullopt;
  if (code.size() == 5) return Level::kRegency;
  if (code.size() < 8 || code[5] != '.' || !DigitsAt(code, 6, 2)) return std::nullopt;
  if (code.size() == 8) return Level::kDistrict;
  if (code.size() == 13 && code[8] == '.' && DigitsAt(code, 9, 4)) return Level::kVillage;
  return std::nullopt;
}

std::string ParentOfCode(std::string_view dotted_code) {
  const auto dot = dotted_code.rfind('.');
  return dot == std::string_view::npos ? std::string() : std::string(dotted_code.substr(0, dot));
}

}  // namespace satupintu::regions
