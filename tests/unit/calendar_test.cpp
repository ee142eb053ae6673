// The SLA's working-day calendar: weekends, holidays and collective leave, the office's time
// zone, deadlines and elapsed working days; the shipped holiday file; bad files.

#include "tickets/calendar.hpp"
#include "paths/paths.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "support/process.hpp"

namespace satupintu::tickets {
namespace {

namespace chr = std::chrono;

constexpr int kWib = 7 * 60;

// An instant given as the local (WIB) wall clock.
std::int64_t Wib(int y, unsigned m, unsigned d, int hour = 10, int minute = 0) {
  const chr::sys_days day{chr::year{y} / chr::month{m} / chr::day{d}};
  const auto local = chr::sys_time<chr::milliseconds>{day} + chr::hours{hour} +
                     chr::minutes{minute} - chr::minutes{kWib};
  return local.time_since_epoch().count();
}

TEST(WorkCalendar, DeadlinesSkipWeekendsHolidaysAndCollectiveLeave) {
  // Idul Fitri 2026 with its collective leave: Fri 20 and Sat 21 March are holidays, Mon 23 and
  // Tue 24 March collective leave; Nyepi Thu 19 March and its leave Wed 18 March.
  auto cal = WorkCalendar::FromDates(
      {"2026-03-18", "2026-03-19", "2026-03-20", "2026-03-21", "2026-03-23", "2026-03-24"}, kWib);
  ASSERT_TRUE(cal.ok());
  // Received Tue 17 March 2026 at 10:00 WIB: 3 working days -> Wed 25, Thu 26, Fri 27 March.
  EXPECT_EQ(cal.value().DeadlineMs(Wib(2026, 3, 17), 3), Wib(2026, 3, 28, 0, 0));
  // Received on a Friday afternoon: Monday is the first day.
  EXPECT_EQ(cal.value().DeadlineMs(Wib(2026, 11, 20, 16), 1), Wib(2026, 11, 24, 0, 0));
  // Received on a Saturday: Monday to Wednesday.
  EXPECT_EQ(cal.value().DeadlineMs(Wib(2026, 11, 21), 3), Wib(2026, 11, 26, 0, 0));
  // 60 working days from 2 Nov 2026 with no holidays in the list after March: 12 weeks.
  EXPECT_EQ(cal.value().DeadlineMs(Wib(2026, 11, 2), 60), Wib(2027, 1, 26, 0, 0));
}

TEST(WorkCalendar, TheOfficesTimeZoneDecidesTheDay) {
  auto wib = WorkCalendar::FromDates({}, kWib);
  auto wit = WorkCalendar::FromDates({}, 9 * 60);
  ASSERT_TRUE(wib.ok() && wit.ok());
  // Friday 23:00 WIB is already Saturday 01:00 WIT.
  const std::int64_t at = Wib(2026, 11, 20, 23);
  EXPECT_EQ(wib.value().LocalDay(at), chr::sys_days{chr::year{2026} / 11 / 20});
  EXPECT_EQ(wit.value().LocalDay(at), chr::sys_days{chr::year{2026} / 11 / 21});
  EXPECT_EQ(wib.value().DeadlineMs(at, 1), Wib(2026, 11, 24, 0, 0));
  EXPECT_EQ(wit.value().DeadlineMs(at, 1), Wib(2026, 11, 24, 0, 0) - std::int64_t{2} * 3600 * 1000)
      << "Monday's end in WIT is two hours earlier";
}

TEST(WorkCalendar, WorkingDaysBetweenCountsFromTheDayAfter) {
  auto cal = WorkCalendar::FromDates({"2026-08-17"}, kWib);
  ASSERT_TRUE(cal.ok());
  EXPECT_EQ(cal.value().WorkingDaysBetween(Wib(2026, 8, 14), Wib(2026, 8, 14, 23)), 0);
  // Fri 14 Aug -> Tue 18 Aug: Sat, Sun and the 17th (Independence Day) do not count.
  EXPECT_EQ(cal.value().WorkingDaysBetween(Wib(2026, 8, 14), Wib(2026, 8, 18)), 1);
  EXPECT_EQ(cal.value().WorkingDaysBetween(Wib(2026, 8, 18), Wib(2026, 8, 14)), 0);
  EXPECT_FALSE(cal.value().IsWorkingDay(chr::sys_days{chr::year{2026} / 8 / 17}));
  EXPECT_TRUE(cal.value().IsWorkingDay(chr::sys_days{chr::year{2026} / 8 / 18}));
}

TEST(WorkCalendar, TheShippedHolidayFileLoads) {
  auto cal = WorkCalendar::Load(
      ::satupintu::testing::SourceDir() + "/deploy/holidays/holidays-id.json", kWib);
  ASSERT_TRUE(cal.ok()) << cal.error().message;
  EXPECT_GE(cal.value().holidays(), 30u) << "2026 and 2027";
  for (auto d : {chr::year{2026} / 1 / 1, chr::year{2026} / 8 / 17, chr::year{2026} / 12 / 25,
                 chr::year{2027} / 8 / 17}) {
    EXPECT_FALSE(cal.value().IsWorkingDay(chr::sys_days{d}));
  }
}

TEST(WorkCalendar, BadFilesAreRefusedNamingTheEntry) {
  testing::TempDir dir;
  const std::string path = dir.File("h.json");
  auto expect_error = [&](const std::string& text, const std::string& part) {
    testing::WriteFile(path, text);
    auto cal = WorkCalendar::Load(path, kWib);
    ASSERT_FALSE(cal.ok()) << text;
    EXPECT_NE(cal.error().message.find(part), std::string::npos) << cal.error().message;
  };
  expect_error("{nope", "\"holidays\" array");
  expect_error(R"({"holidays": {}})", "\"holidays\" array");
  expect_error(R"({"holidays": [{"date": "2026-02-30"}]})", "holidays[0].date: not a real date");
  expect_error(R"({"holidays": [{"date": "2026-01-01"}, {"name": "x"}]})",
               "holidays[1].date: missing");
  expect_error(R"({"holidays": [{"date": "17-08-2026"}]})", "holidays[0].date");
  expect_error(R"({"holidays": [{"date": "2026-08-17", "kind": "maybe"}]})", "holidays[0].kind");
  // Found by tests/fuzz/calendar_fuzz: a kind that is no string threw out of Load.
  expect_error(R"({"holidays": [{"date": "2026-08-17", "kind": 1}]})", "holidays[0].kind");
  EXPECT_FALSE(WorkCalendar::Load(dir.File("missing.json"), kWib).ok());
}

}  // namespace
}  // namespace satupintu::tickets
