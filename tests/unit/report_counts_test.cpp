// The daily report counts of migration 14 against the tickets they count: a random history of
// openings, status changes, breaches, referrals, resolve events, survey answers (and answers
// changed), village and category corrections and deletions, part of it before the counts were
// first made (PrepareReports) and part after (the triggers), must give every report the same
// figures both ways, for every region and every period of whole office days.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "schema/schema.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"
#include "support/process.hpp"
#include "tickets/cases.hpp"
#include "tickets/reports.hpp"
#include "tickets/tickets.hpp"
#include "unit/migrated_store.hpp"

namespace satupintu::tickets {
namespace {

constexpr std::int64_t kDayMs = 24 * 3'600'000LL;
constexpr int kWib = 7 * 60;
constexpr int kWita = 8 * 60;
// 2025-06-02 00:00 WIB, a Monday.
constexpr std::int64_t kStart = 1'748'797'200'000;

class ReportCountsTest : public testing::MigratedStoreTest {
 protected:
  // Opens `n` tickets at random moments of the 120 days from kStart, then changes random ones.
  void History(std::mt19937& rng, int n, int changes) {
    static const std::vector<std::string> villages = {
        "32.06.01.2001", "32.06.01.2002", "32.06.02.2001", "32.06.05.2010",
        "32.07.01.2001", "32.07.03.2004", "33.01.01.2001", "32.06"};
    static const std::vector<std::string> categories = {"pkh", "pip", "sembako", ""};
    static const std::vector<std::string> statuses = {"received", "verified", "referred",
                                                      "resolved", "closed"};
    auto pick = [&](const auto& v) { return v[rng() % v.size()]; };
    for (int i = 0; i < n; ++i) {
      NewTicket t;
      t.type = static_cast<Type>(rng() % 3);
      t.citizen_id = 1 + static_cast<std::int64_t>(rng() % 50);
      t.channel = "telegram:bot";
      t.category = pick(categories);
      t.village_code = pick(villages);
      const std::int64_t at = kStart + static_cast<std::int64_t>(rng() % (120 * kDayMs));
      auto code = Open(*db_, t, at);
      ASSERT_TRUE(code.ok());
      codes_.push_back(code.value());
    }
    for (int i = 0; i < changes; ++i) {
      const std::string code = pick(codes_);
      const std::string id = "(SELECT id FROM ticket WHERE code = '" + code + "')";
      const std::int64_t at = kStart + static_cast<std::int64_t>(rng() % (150 * kDayMs));
      switch (rng() % 9) {
        case 0:
        case 1:
          Exec("UPDATE ticket SET status = '" + pick(statuses) + "' WHERE id = " + id);
          break;
        case 2:
          Exec("UPDATE ticket SET sla_breaches = sla_breaches + 1 WHERE id = " + id);
          break;
        case 3:
          Exec("INSERT OR IGNORE INTO referral (ticket_id, programme, updated_at_ms) SELECT " + id +
               ", '" + pick(categories) + "x', " + std::to_string(at));
          break;
        case 4: {
          const std::int64_t ticket = Int("SELECT " + id);
          if (ticket > 0) {
            ASSERT_TRUE(AppendEvent(*db_, ticket, at, 7, "resolve", "referred", "resolved").ok());
          }
          break;
        }
        case 5:
        case 6:
          ASSERT_TRUE(SaveSurvey(*db_, code, 1 + static_cast<int>(rng() % 5), "", at).ok());
          break;
        case 7:
          Exec("UPDATE ticket SET village_code = '" + pick(villages) + "', category = '" +
               pick(categories) + "' WHERE id = " + id);
          break;
        case 8:
          // No code path deletes tickets; the trigger is there so a hand-made deletion cannot
          // leave counts behind.
          Exec("DELETE FROM survey_response WHERE ticket_id = " + id);
          Exec("DELETE FROM ticket WHERE id = " + id);
          std::erase(codes_, code);
          break;
      }
    }
  }

  // Every report, both ways, for `region` and `period`.
  void ExpectSame(const std::string& region, const Period& period, int offset_minutes) {
    SCOPED_TRACE("region " + region + " from " + std::to_string(period.from_ms) + " to " +
                 std::to_string(period.to_ms));
    auto w1 = TicketsPerWeek(*db_, region, period, offset_minutes);
    auto w2 = TicketsPerWeek(*db_, region, period, offset_minutes, Source::kTickets);
    ASSERT_TRUE(w1.ok() && w2.ok());
    EXPECT_TRUE(w1.value() == w2.value());
    auto s1 = SlaByKecamatan(*db_, region, period);
    auto s2 = SlaByKecamatan(*db_, region, period, Source::kTickets);
    ASSERT_TRUE(s1.ok() && s2.ok());
    EXPECT_TRUE(s1.value() == s2.value());
    auto i1 = Satisfaction(*db_, region, period);
    auto i2 = Satisfaction(*db_, region, period, Source::kTickets);
    ASSERT_TRUE(i1.ok() && i2.ok());
    EXPECT_TRUE(i1.value() == i2.value());
    auto r1 = RecapByType(*db_, region, period);
    auto r2 = RecapByType(*db_, region, period, Source::kTickets);
    ASSERT_TRUE(r1.ok() && r2.ok());
    EXPECT_TRUE(r1.value() == r2.value());
  }

  void ExpectSameEverywhere(int offset_minutes) {
    const std::int64_t midnight = kStart - std::int64_t{offset_minutes - kWib} * 60'000;
    const std::vector<Period> periods = {
        {},
        {midnight, midnight + 7 * kDayMs},
        {midnight + 10 * kDayMs, midnight + 40 * kDayMs},
        {midnight + 30 * kDayMs, INT64_MAX},
        {0, midnight + 61 * kDayMs},
    };
    for (const std::string region : {"32", "32.06", "32.07", "33", "34"}) {
      for (const auto& p : periods) ExpectSame(region, p, offset_minutes);
    }
  }

  std::vector<std::string> codes_;
};

TEST_F(ReportCountsTest, CountsAndTicketsGiveTheSameFigures) {
  std::mt19937 rng(20261122);
  History(rng, 300, 300);
  ASSERT_TRUE(PrepareReports(*db_, kWib).value()) << "the first call counts";
  EXPECT_FALSE(PrepareReports(*db_, kWib).value()) << "the same zone again: nothing to do";
  ExpectSameEverywhere(kWib);
  History(rng, 300, 900);  // now through the triggers
  ExpectSameEverywhere(kWib);
  EXPECT_GT(Int("SELECT COUNT(*) FROM report_day"), 0);
  EXPECT_GT(Int("SELECT COUNT(*) FROM report_rating"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM report_day WHERE received < 0 OR open < 0"), 0);

  // Another time zone: counted afresh, and the weeks follow it.
  ASSERT_TRUE(PrepareReports(*db_, kWita).value());
  ExpectSameEverywhere(kWita);
  // Weeks asked in a zone the counts are not kept in read the tickets.
  ExpectSame("32.06", {}, kWib);
}

TEST_F(ReportCountsTest, RegionsAboveAKecamatanReadTheCountsForWholeDaysOnly) {
  std::mt19937 rng(7);
  ASSERT_TRUE(PrepareReports(*db_, kWib).value());
  History(rng, 200, 100);
  const Period whole_days{kStart, kStart + 30 * kDayMs};
  const Period mid_day{kStart + 3'600'000, kStart + 30 * kDayMs};
  const auto recap = RecapByType(*db_, "32.06", whole_days).value();
  // Skew the counts: whatever reads them shows it, whatever reads the tickets does not.
  Exec("UPDATE report_day SET received = received + 1000");
  EXPECT_FALSE(RecapByType(*db_, "32.06", whole_days).value() == recap)
      << "the regency reads counts";
  EXPECT_TRUE(RecapByType(*db_, "32.06", whole_days, Source::kTickets).value() == recap);
  EXPECT_TRUE(RecapByType(*db_, "32.06", mid_day).value() ==
              RecapByType(*db_, "32.06", mid_day, Source::kTickets).value())
      << "a period starting at 01:00 reads the tickets";
  EXPECT_TRUE(RecapByType(*db_, "32.06.01", whole_days).value() ==
              RecapByType(*db_, "32.06.01", whole_days, Source::kTickets).value())
      << "a kecamatan reads the tickets";
}

TEST_F(ReportCountsTest, NothingIsCountedBeforePrepareReports) {
  std::mt19937 rng(3);
  History(rng, 50, 50);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM report_day"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM report_sla"), 0);
  ExpectSame("32.06", {}, kWib);  // the tickets answer
}

TEST(WeekStartTest, LastNWeeksStartOnAMondayMidnightInTheOfficesZone) {
  // Wednesday 2026-11-18 10:00 WIB.
  const std::int64_t wednesday = 1'794'762'000'000 + 2 * kDayMs + std::int64_t{10} * 3'600'000;
  EXPECT_EQ(WeekStartMs(wednesday, 0, kWib), 1'794'762'000'000);  // Monday 2026-11-16 00:00 WIB
  EXPECT_EQ(WeekStartMs(wednesday, 11, kWib), 1'794'762'000'000 - 77 * kDayMs);
  // Monday 00:00 itself, and the Sunday night before it.
  EXPECT_EQ(WeekStartMs(1'794'762'000'000, 0, kWib), 1'794'762'000'000);
  EXPECT_EQ(WeekStartMs(1'794'762'000'000 - 1, 0, kWib), 1'794'762'000'000 - 7 * kDayMs);
}

}  // namespace
}  // namespace satupintu::tickets
