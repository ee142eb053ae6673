// The office's reports on a real SQLite file: scoped to the caller's region like the queues,
// weeks starting on Monday in the office's time zone, SLA compliance by kecamatan, the IKM,
// and the yearly recap by service type. Every case runs twice: reading the tickets, and with the
// daily counts of migration 14 kept by its triggers; a random history then holds both ways to
// the same figures.

#include "tickets/reports.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "schema/schema.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"
#include "support/process.hpp"
#include "tickets/cases.hpp"
#include "tickets/tickets.hpp"

namespace satupintu::tickets {
namespace {

constexpr std::int64_t kHourMs = 3'600'000;
// Monday 2026-11-16 00:00 WIB (UTC+7) = Sunday 2026-11-15 17:00 UTC.
constexpr std::int64_t kMonday = 1'794'762'000'000;
constexpr int kWib = 7 * 60;

// The parameter: whether the daily counts are kept (PrepareReports) before any ticket exists.
class ReportsTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    auto db = storage::Db::Open(dir_.File("r.db"), false);
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    ASSERT_TRUE(storage::ApplyMigrations(*db_, schema::Migrations()).ok());
    if (GetParam()) {
      ASSERT_TRUE(PrepareReports(*db_, kWib).value());
    }
  }

  std::string Open(const std::string& village, const std::string& category, std::int64_t at,
                   Type type = Type::kComplaint) {
    NewTicket t;
    t.type = type;
    t.citizen_id = 1;
    t.channel = "telegram:bot";
    t.category = category;
    t.village_code = village;
    auto code = tickets::Open(*db_, t, at);
    EXPECT_TRUE(code.ok());
    return code.ok() ? code.value() : "";
  }

  void Exec(const std::string& sql) { ASSERT_TRUE(db_->Exec(sql).ok()) << sql; }

  testing::TempDir dir_;
  std::unique_ptr<storage::Db> db_;
};

TEST_P(ReportsTest, WeeksStartOnMondayInTheOfficesTimeZoneAndStayInTheRegion) {
  Open("32.06.05.2002", "pkh", kMonday);                 // Monday 00:00 WIB
  Open("32.06.05.2002", "pkh", kMonday - 1);             // Sunday 23:59 WIB: week before
  Open("32.06.05.2003", "pip", kMonday + 50 * kHourMs);  // Wednesday
  Open("32.06.36.2001", "pkh", kMonday + 1);             // another kecamatan
  Open("32.07.01.2001", "pkh", kMonday + 1);             // another regency
  auto weeks = TicketsPerWeek(*db_, "32.06.05", {}, kWib);
  ASSERT_TRUE(weeks.ok()) << weeks.error().message;
  ASSERT_EQ(weeks.value().size(), 2u);
  EXPECT_EQ(weeks.value()[0].week_start_ms, kMonday - std::int64_t{7} * 24 * kHourMs);
  EXPECT_EQ(weeks.value()[0].by_category.at("pkh"), 1);
  EXPECT_EQ(weeks.value()[1].week_start_ms, kMonday);
  EXPECT_EQ(weeks.value()[1].by_category.at("pkh"), 1);
  EXPECT_EQ(weeks.value()[1].by_category.at("pip"), 1);
  auto regency = TicketsPerWeek(*db_, "32.06", {}, kWib);
  ASSERT_TRUE(regency.ok());
  EXPECT_EQ(regency.value()[1].by_category.at("pkh"), 2) << "both kecamatan, not 32.07";
  // In UTC both of the first two fall on Sunday (16:59 and 17:00), so one week holds them.
  auto utc = TicketsPerWeek(*db_, "32.06.05", {}, 0);
  ASSERT_TRUE(utc.ok());
  ASSERT_EQ(utc.value().size(), 2u);
  EXPECT_EQ(utc.value()[0].by_category.at("pkh"), 2);
  auto period = TicketsPerWeek(*db_, "32.06.05", {kMonday, kMonday + 24 * kHourMs}, kWib);
  ASSERT_TRUE(period.ok());
  ASSERT_EQ(period.value().size(), 1u);
  EXPECT_EQ(period.value()[0].by_category.size(), 1u) << "Wednesday is outside the period";
  EXPECT_TRUE(TicketsPerWeek(*db_, "", {}, kWib).value().empty());
}

TEST_P(ReportsTest, SlaComplianceByKecamatanCountsEveryMissedTarget) {
  const auto a = Open("32.06.05.2002", "pkh", kMonday);
  const auto b = Open("32.06.05.2003", "pkh", kMonday);
  const auto c = Open("32.06.36.2001", "pkh", kMonday);
  Exec("UPDATE ticket SET status = 'closed' WHERE code IN ('" + a + "','" + b + "')");
  Exec("UPDATE ticket SET sla_breaches = 1 WHERE code IN ('" + b + "','" + c + "')");
  auto rows = SlaByKecamatan(*db_, "32.06", {});
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows.value().size(), 2u);
  EXPECT_EQ(rows.value()[0].kecamatan_code, "32.06.05");
  EXPECT_EQ(rows.value()[0].tickets, 2);
  EXPECT_EQ(rows.value()[0].finished, 2);
  EXPECT_EQ(rows.value()[0].on_time, 1);
  EXPECT_EQ(rows.value()[0].breached, 1);
  EXPECT_EQ(rows.value()[1].kecamatan_code, "32.06.36");
  EXPECT_EQ(rows.value()[1].finished, 0);
  EXPECT_EQ(rows.value()[1].breached, 1);
  auto village = SlaByKecamatan(*db_, "32.06.05.2002", {});
  ASSERT_TRUE(village.ok());
  ASSERT_EQ(village.value().size(), 1u);
  EXPECT_EQ(village.value()[0].tickets, 1) << "a village user sees its village only";
}

TEST_P(ReportsTest, TheSatisfactionIndexIsTheMeanRatingOnAHundredScale) {
  const auto a = Open("32.06.05.2002", "pkh", kMonday);
  const auto b = Open("32.06.05.2002", "pkh", kMonday);
  const auto c = Open("32.07.01.2001", "pkh", kMonday);
  ASSERT_TRUE(SaveSurvey(*db_, a, 5, "", kMonday + 1).ok());
  ASSERT_TRUE(SaveSurvey(*db_, b, 3, "", kMonday + 2).ok());
  ASSERT_TRUE(SaveSurvey(*db_, c, 1, "", kMonday + 3).ok());
  auto ikm = Satisfaction(*db_, "32.06", {});
  ASSERT_TRUE(ikm.ok());
  EXPECT_EQ(ikm.value().responses, 2);
  EXPECT_DOUBLE_EQ(ikm.value().average, 4.0);
  EXPECT_DOUBLE_EQ(ikm.value().index, 80.0);
  EXPECT_EQ(ikm.value().by_rating[4], 1);
  EXPECT_EQ(ikm.value().by_rating[2], 1);
  EXPECT_EQ(ikm.value().by_rating[0], 0) << "32.07's answer is not ours";
  EXPECT_EQ(Satisfaction(*db_, "32.08", {}).value().responses, 0);
}

TEST_P(ReportsTest, TheYearlyRecapCountsByServiceType) {
  const auto a = Open("32.06.05.2002", "pkh", kMonday);
  const auto b = Open("32.06.05.2002", "pkh", kMonday);
  Open("32.06.05.2002", "", kMonday, Type::kRegistration);
  Exec(
      "INSERT INTO referral (ticket_id, programme, updated_at_ms)"
      " SELECT id, 'pkh', 0 FROM ticket WHERE code = '" +
      a + "'");
  Exec("UPDATE ticket SET status = 'closed' WHERE code IN ('" + a + "','" + b + "')");
  ASSERT_TRUE(AppendEvent(*db_, 1, kMonday, 41, "resolve", "referred", "resolved").ok());
  auto rows = RecapByType(*db_, "32.06", {});
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows.value().size(), 2u);
  EXPECT_EQ(rows.value()[0].type, "complaint");
  EXPECT_EQ(rows.value()[0].received, 2);
  EXPECT_EQ(rows.value()[0].referred, 1);
  EXPECT_EQ(rows.value()[0].resolved, 1);
  EXPECT_EQ(rows.value()[0].closed, 2);
  EXPECT_EQ(rows.value()[0].open, 0);
  EXPECT_EQ(rows.value()[1].type, "registration");
  EXPECT_EQ(rows.value()[1].open, 1);
}

INSTANTIATE_TEST_SUITE_P(Sources, ReportsTest, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "Counted" : "Tickets"; });

}  // namespace
}  // namespace satupintu::tickets
