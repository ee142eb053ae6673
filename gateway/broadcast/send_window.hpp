#pragma once
// When a broadcast may reach a household (issue 20): inside a daily window of the recipient's
// own clock (default 08:00-20:00), in the time zone of the recipient's region. Indonesia has
// three, one per province: WIB (UTC+7; Sumatra, Java, West and Central Kalimantan), WITA
// (UTC+8; Bali, Nusa Tenggara, South, East and North Kalimantan, Sulawesi) and WIT (UTC+9;
// Maluku and the Papua provinces). Pure: no clock of its own, no I/O.
#include <cstdint>
#include <optional>
#include <string_view>

namespace satupintu::broadcast {

enum class TimeZone { kWib, kWita, kWit };

// The zone of a region code ("32", "32.06", "3206012001": the province is the first two
// digits); nullopt for a province code the tree does not have.
std::optional<TimeZone> ZoneOfRegion(std::string_view region_code);
int UtcOffsetMinutes(TimeZone zone);
const char* TimeZoneName(TimeZone zone);  // "WIB", "WITA", "WIT"

struct SendWindow {
  int start_minute = 8 * 60;  // local minutes after midnight; sending may begin at this minute
  int end_minute = 20 * 60;   // and must stop before this one (start < end; same day)
};

// Whether `window` is usable: 0 <= start < end <= 24 h.
bool ValidWindow(const SendWindow& window);

// The earliest moment (ms since the epoch) at or after `now_ms` inside `window` on the
// recipient's clock in `zone`: `now_ms` itself when it is inside.
std::int64_t NextSendMs(std::int64_t now_ms, TimeZone zone, const SendWindow& window);

}  // namespace satupintu::broadcast
