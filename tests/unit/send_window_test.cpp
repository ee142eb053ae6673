// Send windows by the recipient's time zone (gateway/broadcast/send_window.hpp), with instants
// built by hand: no clock.
#include "broadcast/send_window.hpp"

#include <gtest/gtest.h>

namespace satupintu::broadcast {
namespace {

constexpr std::int64_t kHourMs = 3'600'000;
// 2026-08-15 00:00 UTC.
constexpr std::int64_t kDayUtc = 1786752000000;

// The instant of hh:mm local time on 2026-08-15 in `zone` (UTC plus its offset).
std::int64_t Local(TimeZone zone, int hh, int mm = 0) {
  return kDayUtc + (hh * 60 + mm - UtcOffsetMinutes(zone)) * 60'000LL;
}

TEST(SendWindowTest, ProvincesMapToTheirZones) {
  EXPECT_EQ(ZoneOfRegion("32.06"), TimeZone::kWib);       // Jawa Barat
  EXPECT_EQ(ZoneOfRegion("3206012001"), TimeZone::kWib);  // a village code
  EXPECT_EQ(ZoneOfRegion("11"), TimeZone::kWib);          // Aceh
  EXPECT_EQ(ZoneOfRegion("21"), TimeZone::kWib);          // Kepulauan Riau
  EXPECT_EQ(ZoneOfRegion("62"), TimeZone::kWib);          // Kalimantan Tengah
  EXPECT_EQ(ZoneOfRegion("63"), TimeZone::kWita);         // Kalimantan Selatan
  EXPECT_EQ(ZoneOfRegion("51"), TimeZone::kWita);         // Bali
  EXPECT_EQ(ZoneOfRegion("53.71"), TimeZone::kWita);      // Kota Kupang
  EXPECT_EQ(ZoneOfRegion("76"), TimeZone::kWita);         // Sulawesi Barat
  EXPECT_EQ(ZoneOfRegion("81"), TimeZone::kWit);          // Maluku
  EXPECT_EQ(ZoneOfRegion("96"), TimeZone::kWit);          // Papua Barat Daya
  for (const char* bad : {"", "3", "20", "37", "54", "66", "77", "83", "97", "x1"}) {
    EXPECT_EQ(ZoneOfRegion(bad), std::nullopt) << bad;
  }
  EXPECT_STREQ(TimeZoneName(TimeZone::kWita), "WITA");
}

TEST(SendWindowTest, InsideTheWindowIsNowOutsideItTheNextOpening) {
  const SendWindow w;  // 08:00-20:00
  for (TimeZone zone : {TimeZone::kWib, TimeZone::kWita, TimeZone::kWit}) {
    EXPECT_EQ(NextSendMs(Local(zone, 9, 30), zone, w), Local(zone, 9, 30));
    EXPECT_EQ(NextSendMs(Local(zone, 8), zone, w), Local(zone, 8)) << "the opening minute";
    EXPECT_EQ(NextSendMs(Local(zone, 6, 59), zone, w), Local(zone, 8));
    EXPECT_EQ(NextSendMs(Local(zone, 20), zone, w), Local(zone, 8) + 24 * kHourMs)
        << "the closing minute is out";
    EXPECT_EQ(NextSendMs(Local(zone, 23, 30), zone, w), Local(zone, 8) + 24 * kHourMs);
  }
  // One instant, three clocks: 07:30 WIB is 08:30 WITA and 09:30 WIT.
  const std::int64_t now = Local(TimeZone::kWib, 7, 30);
  EXPECT_EQ(NextSendMs(now, TimeZone::kWib, w), Local(TimeZone::kWib, 8));
  EXPECT_EQ(NextSendMs(now, TimeZone::kWita, w), now);
  EXPECT_EQ(NextSendMs(now, TimeZone::kWit, w), now);
  // 20:30 WIB: WIB and WITA wait for tomorrow morning; WIT (22:30) too.
  const std::int64_t evening = Local(TimeZone::kWib, 20, 30);
  EXPECT_EQ(NextSendMs(evening, TimeZone::kWita, w), Local(TimeZone::kWita, 8) + 24 * kHourMs);
}

TEST(SendWindowTest, WindowsAreChecked) {
  EXPECT_TRUE(ValidWindow({}));
  EXPECT_TRUE(ValidWindow({0, 24 * 60}));
  EXPECT_FALSE(ValidWindow({20 * 60, 8 * 60}));
  EXPECT_FALSE(ValidWindow({8 * 60, 8 * 60}));
  EXPECT_FALSE(ValidWindow({-1, 60}));
  EXPECT_FALSE(ValidWindow({0, 24 * 60 + 1}));
  // A narrow evening window (19:00-21:00 WIT) starting tomorrow when today's has passed.
  const SendWindow evening{19 * 60, 21 * 60};
  EXPECT_EQ(NextSendMs(Local(TimeZone::kWit, 21, 5), TimeZone::kWit, evening),
            Local(TimeZone::kWit, 19) + 24 * kHourMs);
}

}  // namespace
}  // namespace satupintu::broadcast
