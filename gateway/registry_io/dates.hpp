#pragma once
// Calendar dates as registry files write them. Only real dates are accepted (31 April and
// 29 February of a common year are not); whether a date may lie in the future is the caller's
// rule, it knows "today".

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace satupintu::registry_io {

struct CivilDate {
  int year = 0;
  int month = 0;  // 1-12
  int day = 0;    // 1-31

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted <=>
  auto operator<=>(const CivilDate&) const = default;
  std::string ToIso() const;  // "YYYY-MM-DD"
};

// True when year/month/day is a date of the proleptic Gregorian calendar, year 1-9999.
bool IsRealDate(int year, int month, int day);

// Accepts `YYYY-MM-DD` (ISO, two-digit month and day) and day first `DD-MM-YYYY`,
// `DD/MM/YYYY`, with one- or two-digit day and month (`D/M/YYYY`, `2-3-1985`) and the same
// separator twice. Surrounding spaces are ignored; anything else (two-digit years, month names,
// times) -> nullopt.
std::optional<CivilDate> ParseDate(std::string_view text);

// The server's local calendar date.
CivilDate LocalToday();

}  // namespace satupintu::registry_io
