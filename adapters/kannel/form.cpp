#include "adapters/kannel/form.hpp"

#include <openssl/evp.h>

#include <array>
#include <chrono>
#include <cstddef>

namespace satupintu::adapters::kannel::internal {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";
constexpr char kLowerHexDigits[] = "0123456789abcdef";
constexpr std::size_t kShortHashBytes = 16;
constexpr int kMaxSmallInt = 1'000'000;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

std::array<unsigned char, EVP_MAX_MD_SIZE> Sha256(std::string_view data, unsigned int& size) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  size = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return digest;
}

std::optional<std::int64_t> ParseDigits(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::string FormDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < in.size() && HexValue(in[i + 1]) >= 0 &&
               HexValue(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Params ParseQuery(std::string_view query) {
  Params params;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      params.emplace_back(FormDecode(pair), std::string());
    } else {
      params.emplace_back(FormDecode(pair.substr(0, eq)), FormDecode(pair.substr(eq + 1)));
    }
  }
  return params;
}

std::optional<std::string> Find(const Params& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::string QueryWithout(std::string_view query, std::string_view name) {
  std::string out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    if (FormDecode(pair.substr(0, pair.find('='))) == name) continue;
    if (!out.empty()) out.push_back('&');
    out.append(pair);
  }
  return out;
}

std::string PercentEncode(std::string_view in) {
  std::string out;
  out.reserve(in.size() * 3);
  for (char c : in) {
    if (IsUnreserved(c)) {
      out.push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHexDigits[byte >> 4]);
      out.push_back(kHexDigits[byte & 0x0F]);
    }
  }
  return out;
}

std::string ShortSha256Hex(std::string_view data) {
  unsigned int size = 0;
  const auto digest = Sha256(data, size);
  std::string out;
  for (std::size_t i = 0; i < kShortHashBytes && i < size; ++i) {
    out.push_back(kLowerHexDigits[digest[i] >> 4]);
    out.push_back(kLowerHexDigits[digest[i] & 0x0F]);
  }
  return out;
}

std::optional<std::int64_t> ParseTime(std::string_view s) {
  if (auto epoch = ParseDigits(s)) return epoch;
  // "YYYY-MM-DD HH:MM:SS"
  if (s.size() != 19 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') ||
      s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  const auto year = ParseDigits(s.substr(0, 4));
  const auto month = ParseDigits(s.substr(5, 2));
  const auto day = ParseDigits(s.substr(8, 2));
  const auto hour = ParseDigits(s.substr(11, 2));
  const auto minute = ParseDigits(s.substr(14, 2));
  const auto second = ParseDigits(s.substr(17, 2));
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (*hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(static_cast<int>(*year)),
                                         std::chrono::month(static_cast<unsigned>(*month)),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  const std::int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
  return days * 86400 + *hour * 3600 + *minute * 60 + *second;
}

std::optional<int> ParseSmallInt(std::string_view s) {
  const auto value = ParseDigits(s);
  if (!value || *value > kMaxSmallInt) return std::nullopt;
  return static_cast<int>(*value);
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace satupintu::adapters::kannel::internal
