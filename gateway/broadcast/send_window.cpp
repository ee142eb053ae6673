#include "broadcast/send_window.hpp"

namespace satupintu::broadcast {
namespace {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kDayMs = 24 * 60 * kMinuteMs;

// Floor division: instants before 1970 land on the day they belong to.
std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

std::optional<TimeZone> ZoneOfRegion(std::string_view code) {
  if (code.size() < 2 || code[0] < '0' || code[0] > '9' || code[1] < '0' || code[1] > '9') {
    return std::nullopt;
  }
  const int province = (code[0] - '0') * 10 + (code[1] - '0');
  if ((province >= 11 && province <= 19) || (province >= 31 && province <= 36) || province == 21 ||
      province == 61 || province == 62) {
    return TimeZone::kWib;
  }
  if ((province >= 51 && province <= 53) || (province >= 63 && province <= 65) ||
      (province >= 71 && province <= 76)) {
    return TimeZone::kWita;
  }
  if (province == 81 || province == 82 || (province >= 91 && province <= 96)) {
    return TimeZone::kWit;
  }
  return std::nullopt;
}

int UtcOffsetMinutes(TimeZone zone) {
  switch (zone) {
    case TimeZone::kWib:
      return 7 * 60;
    case TimeZone::kWita:
      return 8 * 60;
    case TimeZone::kWit:
      return 9 * 60;
  }
  return 7 * 60;
}

const char* TimeZoneName(TimeZone zone) {
  switch (zone) {
    case TimeZone::kWib:
      return "WIB";
    case TimeZone::kWita:
      return "WITA";
    case TimeZone::kWit:
      return "WIT";
  }
  return "WIB";
}

bool ValidWindow(const SendWindow& w) {
  return w.start_minute >= 0 && w.start_minute < w.end_minute && w.end_minute <= 24 * 60;
}

std::int64_t NextSendMs(std::int64_t now_ms, TimeZone zone, const SendWindow& window) {
  const std::int64_t offset_ms = UtcOffsetMinutes(zone) * kMinuteMs;
  const std::int64_t local_ms = now_ms + offset_ms;
  const std::int64_t day_start = FloorDiv(local_ms, kDayMs) * kDayMs;  // local midnight
  const std::int64_t open = day_start + window.start_minute * kMinuteMs;
  const std::int64_t close = day_start + window.end_minute * kMinuteMs;
  std::int64_t local_next = local_ms;
  if (local_ms < open) {
    local_next = open;
  } else if (local_ms >= close) {
    local_next = open + kDayMs;  // tomorrow's opening
  }
  return local_next - offset_ms;
}

}  // namespace satupintu::broadcast
