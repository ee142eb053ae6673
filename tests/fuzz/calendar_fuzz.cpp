// Fuzz target for the holiday file loader (gateway/tickets/calendar): the input is a holiday
// file, loaded from a scratch file in WIB, WITA and WIT, and its lines as ISO dates
// (FromDates). Invariants: no exception escapes (Load promises a Result); a refusal names the
// file; a loaded calendar has at most one holiday per entry, no holiday is a working day, and
// the SLA deadline of n working days is n working days away.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "fuzz_check.hpp"
#include "fuzz_util.hpp"
#include "tickets/calendar.hpp"

namespace {

namespace fs = std::filesystem;
using satupintu::tickets::WorkCalendar;

constexpr std::int64_t kFrom = 1786676400000;  // 2026-08-14 10:00 WIB (the Friday before the 17th)

// A file of this process's own, removed at exit.
struct ScratchFile {
  fs::path path =
      fs::temp_directory_path() / ("satupintu-calendar-fuzz-" + std::to_string(getpid()) + ".json");
  ~ScratchFile() {
    std::error_code ec;
    fs::remove(path, ec);
  }
};

void CheckCalendar(const WorkCalendar& calendar, std::size_t size) {
  const int days = 1 + static_cast<int>(size % 40);
  const std::int64_t deadline = calendar.DeadlineMs(kFrom, days);
  FUZZ_CHECK(deadline > kFrom);
  FUZZ_CHECK(calendar.WorkingDaysBetween(kFrom, deadline - 1) == days);
  FUZZ_CHECK(calendar.WorkingDaysBetween(kFrom, kFrom) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const ScratchFile scratch;
  const fs::path& file = scratch.path;
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  for (int offset : {420, 480, 540}) {
    const auto calendar = WorkCalendar::Load(file.string(), offset);
    if (!calendar.ok()) {
      FUZZ_CHECK(calendar.error().message.find(file.string()) != std::string::npos);
      continue;
    }
    FUZZ_CHECK(calendar.value().holidays() <= size);
    CheckCalendar(calendar.value(), size);
  }
  const std::vector<std::string> lines = satupintu::fuzz::SplitFields(text, '\n', 400);
  const auto dates = WorkCalendar::FromDates(lines, 420);
  if (dates.ok()) {
    FUZZ_CHECK(dates.value().holidays() <= lines.size());
    CheckCalendar(dates.value(), size);
  }
  return 0;
}
