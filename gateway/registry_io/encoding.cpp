#include "registry_io/encoding.hpp"

#include <array>
#include <cstring>

namespace satupintu::registry_io {
namespace {

// Windows-1252 0x80-0x9F; 0 marks the five undefined bytes. 0xA0-0xFF equal Latin-1.
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 0x80
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,       // 0x88
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 0x90
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,  // 0x98
};

// Eight bytes at once: true when none has the high bit set and none is NUL.
bool AsciiWordWithoutNul(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  const std::uint64_t has_zero = (v - kOnes) & ~v & kHigh;
  return ((v & kHigh) | has_zero) == 0;
}

bool IsContinuation(unsigned char c) { return (c & 0xC0U) == 0x80U; }

}  // namespace

bool IsValidUtf8(std::string_view text) {
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p != end) {
    if (end - p >= 8 && AsciiWordWithoutNul(p)) {
      p += 8;
      continue;
    }
    const auto c = static_cast<unsigned char>(*p);
    if (c < 0x80U) {
      if (c == 0) return false;
      ++p;
      continue;
    }
    // Lead byte ranges and the allowed range of the first continuation byte (RFC 3629 table).
    std::size_t length = 0;
    unsigned char low = 0x80U;
    unsigned char high = 0xBFU;
    if (c >= 0xC2U && c <= 0xDFU) {
      length = 2;
    } else if (c >= 0xE0U && c <= 0xEFU) {
      length = 3;
      if (c == 0xE0U) low = 0xA0U;   // no overlongs
      if (c == 0xEDU) high = 0x9FU;  // no surrogates
    } else if (c >= 0xF0U && c <= 0xF4U) {
      length = 4;
      if (c == 0xF0U) low = 0x90U;   // no overlongs
      if (c == 0xF4U) high = 0x8FU;  // nothing above U+10FFFF
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) < length) return false;
    const auto first = static_cast<unsigned char>(p[1]);
    if (first < low || first > high) return false;
    for (std::size_t i = 2; i < length; ++i) {
      if (!IsContinuation(static_cast<unsigned char>(p[i]))) return false;
    }
    p += length;
  }
  return true;
}

bool IsUndefinedInCp1252(unsigned char byte) {
  if (byte == 0) return true;
  return byte >= 0x80U && byte <= 0x9FU && kCp1252High[byte - 0x80U] == 0;
}

void AppendUtf8(char32_t code_point, std::string& out) {
  const auto cp = static_cast<std::uint32_t>(code_point);
  if (cp < 0x80U) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800U) {
    out.push_back(static_cast<char>(0xC0U | (cp >> 6)));
    out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
  } else if (cp < 0x10000U) {
    out.push_back(static_cast<char>(0xE0U | (cp >> 12)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 6) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
  } else {
    out.push_back(static_cast<char>(0xF0U | (cp >> 18)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 12) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | ((cp >> 6) & 0x3FU)));
    out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
  }
}

bool AppendCp1252AsUtf8(std::string_view text, std::string& out) {
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80U) {
      if (c == 0) return false;
      out.push_back(ch);
    } else if (c < 0xA0U) {
      const char16_t mapped = kCp1252High[c - 0x80U];
      if (mapped == 0) return false;
      AppendUtf8(mapped, out);
    } else {
      AppendUtf8(c, out);
    }
  }
  return true;
}

}  // namespace satupintu::registry_io
