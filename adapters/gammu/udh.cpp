#include "adapters/gammu/udh.hpp"

#include <cstddef>
#include <vector>

namespace satupintu::adapters::gammu {
namespace {

constexpr std::uint8_t kIeiConcat8 = 0x00;
constexpr std::uint8_t kIeiConcat16 = 0x08;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::vector<std::uint8_t>> DecodeHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::vector<std::uint8_t> out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = HexValue(hex[i]);
    const int low = HexValue(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(high * 16 + low));
  }
  return out;
}

}  // namespace

std::optional<ConcatInfo> ParseConcat(std::string_view udh_hex) {
  const auto bytes = DecodeHex(udh_hex);
  if (!bytes || bytes->empty()) return std::nullopt;
  const std::size_t end = std::size_t{1} + (*bytes)[0];
  if (end > bytes->size()) return std::nullopt;
  std::optional<ConcatInfo> found;
  std::size_t pos = 1;
  while (pos + 2 <= end) {
    const std::uint8_t iei = (*bytes)[pos];
    const std::size_t length = (*bytes)[pos + 1];
    const std::size_t data = pos + 2;
    if (data + length > end) return std::nullopt;
    ConcatInfo info;
    if (iei == kIeiConcat8 && length == 3) {
      info.ref = (*bytes)[data];
      info.total = (*bytes)[data + 1];
      info.seq = (*bytes)[data + 2];
      found = info;
    } else if (iei == kIeiConcat16 && length == 4) {
      info.ref = static_cast<std::uint16_t>(((*bytes)[data] << 8) | (*bytes)[data + 1]);
      info.total = (*bytes)[data + 2];
      info.seq = (*bytes)[data + 3];
      info.wide_ref = true;
      found = info;
    }
    pos = data + length;
  }
  if (!found || found->total == 0 || found->seq == 0 || found->seq > found->total) {
    return std::nullopt;
  }
  return found;
}

}  // namespace satupintu::adapters::gammu
