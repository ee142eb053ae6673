#pragma once
// UTF-8 decoding written by hand: Analyze() runs once per outbound SMS on the hot path and must
// not allocate or call into ICU. Invalid input never stops decoding: each maximal ill-formed
// subpart becomes one U+FFFD, the replacement practice Unicode recommends and ICU follows, so
// counts here agree with what ICU-based peers would see.

#include <cstddef>
#include <cstdint>
#include <string>

namespace satupintu::adapters::sms::detail {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

struct DecodedChar {
  char32_t code_point;
  std::size_t length;  // bytes consumed, >= 1
  bool valid;
};

// Decodes the code point starting at `p`; `size` is the number of bytes left (>= 1).
inline DecodedChar DecodeUtf8(const unsigned char* p, std::size_t size) noexcept {
  const std::uint32_t lead = p[0];
  if (lead < 0x80) return {static_cast<char32_t>(lead), 1, true};

  std::size_t trail_count = 0;
  std::uint32_t code_point = 0;
  // The second byte's range is narrower after some leads: that excludes overlong forms,
  // UTF-16 surrogates (ED A0..BF) and values above U+10FFFF.
  std::uint32_t low = 0x80;
  std::uint32_t high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    trail_count = 1;
    code_point = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    trail_count = 2;
    code_point = lead & 0x0Fu;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    trail_count = 3;
    code_point = lead & 0x07u;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return {kReplacementCharacter, 1, false};
  }

  for (std::size_t i = 1; i <= trail_count; ++i) {
    if (i >= size) return {kReplacementCharacter, i, false};
    const std::uint32_t byte = p[i];
    if (byte < low || byte > high) return {kReplacementCharacter, i, false};
    low = 0x80;
    high = 0xBF;
    code_point = (code_point << 6) | (byte & 0x3Fu);
  }
  return {static_cast<char32_t>(code_point), trail_count + 1, true};
}

// UTF-16 code units of a code point: characters outside the BMP need a surrogate pair.
inline constexpr std::size_t Utf16Units(char32_t code_point) noexcept {
  return code_point > 0xFFFF ? 2 : 1;
}

inline void AppendUtf8(std::string& out, char32_t code_point) {
  const auto c = static_cast<std::uint32_t>(code_point);
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

}  // namespace satupintu::adapters::sms::detail
