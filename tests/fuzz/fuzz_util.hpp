#pragma once
// Helpers shared by the fuzz targets: UTF-8 validity (the adapters promise UTF-8 text) and
// splitting one input into several fields at a separator byte.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace satupintu::fuzz {

// Well-formed UTF-8: no overlongs, no surrogates, nothing past U+10FFFF.
inline bool IsUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07u;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0u) != 0x80u) return false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

// The input cut at every `separator` (at most `max_fields` fields; the last takes the rest).
inline std::vector<std::string> SplitFields(std::string_view input, char separator,
                                            std::size_t max_fields) {
  std::vector<std::string> fields;
  while (fields.size() + 1 < max_fields) {
    const std::size_t at = input.find(separator);
    if (at == std::string_view::npos) break;
    fields.emplace_back(input.substr(0, at));
    input.remove_prefix(at + 1);
  }
  fields.emplace_back(input);
  return fields;
}

}  // namespace satupintu::fuzz
