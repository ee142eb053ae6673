#pragma once
// Civil dates as day numbers (days since 1970-01-01), the algorithms of H. Hinnant's
// "chrono-compatible low-level date algorithms".

#include <optional>
#include <string_view>

namespace satupintu::synth {

struct CivilDate {
  int year = 1970;
  int month = 1;
  int day = 1;
};

int DaysFromCivil(CivilDate date);
CivilDate CivilFromDays(int days);
bool IsRealDate(int year, int month, int day);
int DaysInMonth(int year, int month);
// "YYYY-MM-DD" and a real date, or nothing.
std::optional<CivilDate> ParseIsoDate(std::string_view text);

}  // namespace satupintu::synth
