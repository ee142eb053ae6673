#include "adapters/whatsapp/text.hpp"

#include <charconv>

namespace satupintu::adapters::whatsapp::internal {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsPhoneSeparator(char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'; }

// Length of the valid UTF-8 sequence at the start of `s` and its code point; 0 when invalid
// (truncated, overlong, surrogate or beyond U+10FFFF).
std::size_t DecodeUtf8(std::string_view s, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t len = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1Fu;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0Fu;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07u;
    min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// Control characters to spaces, invalid UTF-8 bytes to '?': what remains prints on one line.
std::string Printable(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  while (!in.empty()) {
    char32_t cp = 0;
    const std::size_t len = DecodeUtf8(in, cp);
    if (len == 0) {
      out += '?';
      in.remove_prefix(1);
      continue;
    }
    if (cp < 0x20 || cp == 0x7F) {
      out += ' ';
    } else {
      out.append(in.substr(0, len));
    }
    in.remove_prefix(len);
  }
  return out;
}

std::string MaskNumbers(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const bool starts = IsDigit(s[i]) || (s[i] == '+' && i + 1 < s.size() && IsDigit(s[i + 1]));
    if (!starts) {
      out += s[i++];
      continue;
    }
    std::size_t j = s[i] == '+' ? i + 1 : i;
    std::size_t end = j;
    int digits = 0;
    while (j < s.size()) {
      if (IsDigit(s[j])) {
        ++digits;
        end = ++j;
        continue;
      }
      // Up to two separators in a row ("-", ") ") may sit between digit groups.
      std::size_t k = j;
      while (k < s.size() && k - j < 2 && IsPhoneSeparator(s[k])) ++k;
      if (k == j || k >= s.size() || !IsDigit(s[k])) break;
      j = k;
    }
    if (digits >= 7) {
      out += "[number]";
    } else {
      out.append(s.substr(i, end - i));
    }
    i = end;
  }
  return out;
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      const int hi = HexValue(in[i + 1]);
      const int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> QueryValue(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    const auto name = PercentDecode(pair.substr(0, eq));
    if (!name || *name != key) continue;
    if (eq == std::string_view::npos) return std::string{};
    return PercentDecode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

std::optional<std::size_t> Utf16Length(std::string_view utf8) {
  std::size_t units = 0;
  while (!utf8.empty()) {
    char32_t cp = 0;
    const std::size_t len = DecodeUtf8(utf8, cp);
    if (len == 0) return std::nullopt;
    units += cp >= 0x10000 ? 2 : 1;
    utf8.remove_prefix(len);
  }
  return units;
}

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

std::optional<std::int64_t> ParseInt(std::string_view s) {
  if (!IsDigits(s)) return std::nullopt;
  std::int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

std::string SafeText(std::string_view in, std::size_t max_bytes) {
  std::string out = MaskNumbers(Printable(in));
  const std::size_t first = out.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  out.erase(0, first);
  out.erase(out.find_last_not_of(' ') + 1);
  if (out.size() > max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out.erase(out.find_last_not_of(' ') + 1);
  }
  return out;
}

}  // namespace satupintu::adapters::whatsapp::internal
