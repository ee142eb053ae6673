#include "adapters/sms/analysis.hpp"

#include <cstddef>

#include "adapters/sms/gsm7_table.hpp"
#include "adapters/sms/utf8.hpp"

namespace satupintu::adapters::sms {
namespace {

// Greedy packing of 1- or 2-unit characters into concatenated parts. Greedy is optimal here
// and is what Split() does when it cannot afford a word boundary, so both agree on the count.
struct Packer {
  std::size_t capacity;
  std::size_t units = 0;
  std::size_t parts = 1;
  std::size_t fill = 0;

  void Add(std::size_t width) noexcept {
    units += width;
    if (fill + width > capacity) {
      ++parts;
      fill = width;
    } else {
      fill += width;
    }
  }

  std::size_t Segments(std::size_t single_capacity) const noexcept {
    return units <= single_capacity ? 1 : parts;
  }
};

}  // namespace

Analysis Analyze(std::string_view utf8) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* const end = p + utf8.size();
  Packer gsm7{kGsm7PartUnits};
  Packer ucs2{kUcs2PartUnits};
  bool is_gsm7 = true;
  bool had_invalid = false;

  while (p < end) {
    char32_t code_point;
    if (*p < 0x80) {
      code_point = *p;
      ++p;
    } else {
      const detail::DecodedChar decoded = detail::DecodeUtf8(p, static_cast<std::size_t>(end - p));
      code_point = decoded.code_point;
      had_invalid |= !decoded.valid;
      p += decoded.length;
    }
    ucs2.Add(detail::Utf16Units(code_point));
    if (is_gsm7) {
      const std::size_t septets = detail::Gsm7Septets(code_point);
      if (septets == 0) {
        is_gsm7 = false;
      } else {
        gsm7.Add(septets);
      }
    }
  }

  if (is_gsm7) {
    return {Encoding::kGsm7, gsm7.units, gsm7.Segments(kGsm7SingleUnits), had_invalid};
  }
  return {Encoding::kUcs2, ucs2.units, ucs2.Segments(kUcs2SingleUnits), had_invalid};
}

}  // namespace satupintu::adapters::sms
