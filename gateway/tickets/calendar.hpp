#pragma once
// Working days for the SLA clock: Monday to Friday except national holidays and collective
// leave (cuti bersama), read from a file (deploy/holidays/holidays-id.json, made by
// tools/holidays.mjs), in the office's own time zone (WIB, WITA or WIT).

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace satupintu::tickets {

class WorkCalendar {
 public:
  // {"holidays": [{"date": "2026-08-17", "name": "...", "kind": "public"|"collective_leave"}]}.
  // A bad file fails naming the file and the entry ("holidays[3].date: not a real date").
  static core::Result<WorkCalendar> Load(const std::string& path, int utc_offset_minutes);
  // From ISO dates (tests, a config without a file).
  static core::Result<WorkCalendar> FromDates(const std::vector<std::string>& iso_dates,
                                              int utc_offset_minutes);

  // The office's calendar day of an instant.
  std::chrono::sys_days LocalDay(std::int64_t at_ms) const;
  bool IsWorkingDay(std::chrono::sys_days day) const;

  // The SLA deadline: the end (local midnight) of the `working_days`-th working day after the
  // day of `from_ms`; the day something arrives does not count, as in SP4N-LAPOR!.
  std::int64_t DeadlineMs(std::int64_t from_ms, int working_days) const;
  // Working days after the day of `from_ms` up to and including the day of `to_ms` (0 when
  // `to_ms` is on the same day or earlier).
  int WorkingDaysBetween(std::int64_t from_ms, std::int64_t to_ms) const;

  std::size_t holidays() const { return holidays_.size(); }

 private:
  std::set<std::chrono::sys_days> holidays_;
  std::chrono::minutes offset_{0};
};

}  // namespace satupintu::tickets
