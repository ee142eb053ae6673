#include "adapters/sms/codec.hpp"

#include <cstddef>

#include "adapters/sms/gsm7_table.hpp"
#include "adapters/sms/utf8.hpp"

namespace satupintu::adapters::sms {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

template <typename Visit>
void ForEachCodePoint(std::string_view utf8, Visit visit) {
  const auto* const begin = reinterpret_cast<const unsigned char*>(utf8.data());
  std::size_t i = 0;
  while (i < utf8.size()) {
    const detail::DecodedChar decoded = detail::DecodeUtf8(begin + i, utf8.size() - i);
    if (!visit(decoded)) return;
    i += decoded.length;
  }
}

void AppendUnit(std::vector<std::uint8_t>& out, std::uint32_t unit) {
  out.push_back(static_cast<std::uint8_t>(unit >> 8));
  out.push_back(static_cast<std::uint8_t>(unit & 0xFF));
}

}  // namespace

std::optional<std::vector<std::uint8_t>> EncodeGsm7(std::string_view utf8) {
  std::vector<std::uint8_t> septets;
  septets.reserve(utf8.size());
  bool ok = true;
  ForEachCodePoint(utf8, [&](const detail::DecodedChar& decoded) {
    const std::uint8_t entry = detail::Gsm7Lookup(decoded.code_point);
    if (!decoded.valid || entry == detail::kNotGsm7) {
      ok = false;
      return false;
    }
    if ((entry & detail::kGsm7ExtensionFlag) != 0) {
      septets.push_back(detail::kGsm7Escape);
      septets.push_back(static_cast<std::uint8_t>(entry & ~detail::kGsm7ExtensionFlag));
    } else {
      septets.push_back(entry);
    }
    return true;
  });
  if (!ok) return std::nullopt;
  return septets;
}

std::vector<std::uint8_t> EncodeUcs2(std::string_view utf8) {
  std::vector<std::uint8_t> bytes;
  bytes.reserve(utf8.size() * 2);
  ForEachCodePoint(utf8, [&](const detail::DecodedChar& decoded) {
    const auto c = static_cast<std::uint32_t>(decoded.code_point);
    if (c > 0xFFFF) {
      const std::uint32_t offset = c - 0x10000;
      AppendUnit(bytes, 0xD800 | (offset >> 10));
      AppendUnit(bytes, 0xDC00 | (offset & 0x3FF));
    } else {
      AppendUnit(bytes, c);
    }
    return true;
  });
  return bytes;
}

std::string Ucs2Hex(std::string_view utf8) {
  const std::vector<std::uint8_t> bytes = EncodeUcs2(utf8);
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const std::uint8_t byte : bytes) {
    hex.push_back(kHexDigits[byte >> 4]);
    hex.push_back(kHexDigits[byte & 0x0F]);
  }
  return hex;
}

std::optional<std::string> Utf8FromUcs2Hex(std::string_view hex) {
  if (hex.size() % 4 != 0) return std::nullopt;
  std::vector<std::uint32_t> units;
  units.reserve(hex.size() / 4);
  for (std::size_t i = 0; i < hex.size(); i += 4) {
    std::uint32_t unit = 0;
    for (std::size_t j = i; j < i + 4; ++j) {
      const int digit = HexValue(hex[j]);
      if (digit < 0) return std::nullopt;
      unit = (unit << 4) | static_cast<std::uint32_t>(digit);
    }
    units.push_back(unit);
  }

  std::string utf8;
  utf8.reserve(units.size());
  for (std::size_t i = 0; i < units.size(); ++i) {
    const std::uint32_t unit = units[i];
    const bool high = unit >= 0xD800 && unit <= 0xDBFF;
    const bool low = unit >= 0xDC00 && unit <= 0xDFFF;
    if (high && i + 1 < units.size() && units[i + 1] >= 0xDC00 && units[i + 1] <= 0xDFFF) {
      const std::uint32_t code_point = 0x10000 + ((unit - 0xD800) << 10) + (units[i + 1] - 0xDC00);
      detail::AppendUtf8(utf8, static_cast<char32_t>(code_point));
      ++i;
    } else if (high || low) {
      detail::AppendUtf8(utf8, detail::kReplacementCharacter);
    } else {
      detail::AppendUtf8(utf8, static_cast<char32_t>(unit));
    }
  }
  return utf8;
}

}  // namespace satupintu::adapters::sms
