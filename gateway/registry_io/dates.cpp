#include "registry_io/dates.hpp"

#include <cstdio>
#include <ctime>

namespace satupintu::registry_io {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The number in text[pos, pos + n) when all n characters are digits.
std::optional<int> Digits(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(text[i])) return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<CivilDate> Checked(int year, int month, int day) {
  if (!IsRealDate(year, month, day)) return std::nullopt;
  return CivilDate{year, month, day};
}

}  // namespace

CivilDate LocalToday() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

std::string CivilDate::ToIso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

bool IsRealDate(int year, int month, int day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days = month == 2 && leap ? 29 : kDays[month - 1];
  return day <= days;
}

std::optional<CivilDate> ParseDate(std::string_view text) {
  text = TrimSpaces(text);
  // ISO: exactly YYYY-MM-DD.
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    const auto year = Digits(text, 0, 4);
    const auto month = Digits(text, 5, 2);
    const auto day = Digits(text, 8, 2);
    if (!year || !month || !day) return std::nullopt;
    return Checked(*year, *month, *day);
  }
  // Day first: D{1,2} sep M{1,2} sep YYYY, sep '-' or '/', the same twice.
  const std::size_t first = text.find_first_of("-/");
  if (first == 0 || first > 2 || first == std::string_view::npos) return std::nullopt;
  const char sep = text[first];
  const std::size_t second = text.find(sep, first + 1);
  if (second == std::string_view::npos || second - first - 1 < 1 || second - first - 1 > 2) {
    return std::nullopt;
  }
  if (text.size() != second + 5) return std::nullopt;
  const auto day = Digits(text, 0, first);
  const auto month = Digits(text, first + 1, second - first - 1);
  const auto year = Digits(text, second + 1, 4);
  if (!year || !month || !day) return std::nullopt;
  return Checked(*year, *month, *day);
}

}  // namespace satupintu::registry_io
