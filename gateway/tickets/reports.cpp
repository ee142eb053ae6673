#include "tickets/reports.hpp"

namespace satupintu::tickets {
namespace {

using storage::Db;

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
constexpr std::int64_t kWeekMs = 7 * kDayMs;
// 1970-01-01 was a Thursday: Mondays fall 4 days after multiples of a week.
constexpr std::int64_t kMondayShiftMs = 4 * kDayMs;

// A region as one range of codes, [region, region + "/"): "/" sorts right after ".", and codes
// hold only digits and dots, so the range is the region's code and its descendants.
constexpr const char* kRegionPeriod =
    " village_code >= ?1 AND village_code < ?2 AND created_at_ms >= ?3 AND created_at_ms < ?4";

core::Result<storage::Stmt*> Prepare(Db& db, const std::string& sql, const std::string& region,
                                     const Period& period) {
  auto q = db.Prepare(sql);
  if (!q.ok()) return q.error();
  q.value()->Bind(1, region).Bind(2, region + "/").Bind(3, period.from_ms).Bind(4, period.to_ms);
  return q.value();
}

}  // namespace

core::Result<std::vector<WeekRow>> TicketsPerWeek(Db& db, const std::string& region,
                                                  const Period& period, int utc_offset_minutes) {
  std::vector<WeekRow> out;
  if (region.empty()) return out;
  const std::int64_t shift = std::int64_t{utc_offset_minutes} * 60'000 - kMondayShiftMs;
  auto q = Prepare(db,
                   std::string("SELECT (created_at_ms + ?5) / ?6 AS week, category, COUNT(*)"
                               " FROM ticket INDEXED BY ticket_report WHERE") +
                       kRegionPeriod + " GROUP BY week, category ORDER BY week, category",
                   region, period);
  if (!q.ok()) return q.error();
  auto* s = q.value();
  s->Bind(5, shift).Bind(6, kWeekMs);
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) {
    const std::int64_t start = s->ColumnInt(0) * kWeekMs - shift;
    if (out.empty() || out.back().week_start_ms != start) out.push_back({start, {}});
    out.back().by_category[s->ColumnText(1)] = s->ColumnInt(2);
  }
  s->Reset();
  if (rc != SQLITE_DONE) return db.LastError("tickets per week");
  return out;
}

core::Result<std::vector<SlaRow>> SlaByKecamatan(Db& db, const std::string& region,
                                                 const Period& period) {
  std::vector<SlaRow> out;
  if (region.empty()) return out;
  // A kecamatan code is the first 8 characters of its villages' ("32.06.05").
  auto q = Prepare(db,
                   std::string("SELECT substr(village_code, 1, 8) AS kec, COUNT(*),"
                               " SUM(status IN ('resolved', 'closed')),"
                               " SUM(status IN ('resolved', 'closed') AND sla_breaches = 0),"
                               " SUM(sla_breaches > 0)"
                               " FROM ticket INDEXED BY ticket_report WHERE") +
                       kRegionPeriod + " AND length(village_code) >= 8 GROUP BY kec ORDER BY kec",
                   region, period);
  if (!q.ok()) return q.error();
  auto* s = q.value();
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) {
    out.push_back(
        {s->ColumnText(0), s->ColumnInt(1), s->ColumnInt(2), s->ColumnInt(3), s->ColumnInt(4)});
  }
  s->Reset();
  if (rc != SQLITE_DONE) return db.LastError("sla by kecamatan");
  return out;
}

core::Result<Ikm> Satisfaction(Db& db, const std::string& region, const Period& period) {
  Ikm out;
  if (region.empty()) return out;
  auto q = db.Prepare(
      "SELECT r.rating, COUNT(*) FROM survey_response r JOIN ticket t ON t.id = r.ticket_id"
      " WHERE t.village_code >= ?1 AND t.village_code < ?2"
      " AND r.answered_at_ms >= ?3 AND r.answered_at_ms < ?4 GROUP BY r.rating");
  if (!q.ok()) return q.error();
  auto* s = q.value();
  s->Bind(1, region).Bind(2, region + "/").Bind(3, period.from_ms).Bind(4, period.to_ms);
  std::int64_t sum = 0;
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) {
    const std::int64_t rating = s->ColumnInt(0);
    const std::int64_t n = s->ColumnInt(1);
    if (rating < 1 || rating > 5) continue;
    out.by_rating[rating - 1] = n;
    out.responses += n;
    sum += rating * n;
  }
  s->Reset();
  if (rc != SQLITE_DONE) return db.LastError("satisfaction");
  if (out.responses > 0) {
    out.average = static_cast<double>(sum) / static_cast<double>(out.responses);
    out.index = out.average / 5.0 * 100.0;
  }
  return out;
}

core::Result<std::vector<RecapRow>> RecapByType(Db& db, const std::string& region,
                                                const Period& period) {
  std::vector<RecapRow> out;
  if (region.empty()) return out;
  // The row alone cannot tell whether a closed ticket was referred or resolved first, so those
  // two look at its referrals and its history (one index probe each).
  auto q = Prepare(db,
                   std::string("SELECT type, COUNT(*),"
                               " SUM(EXISTS (SELECT 1 FROM referral r WHERE r.ticket_id = t.id)),"
                               " SUM(status = 'resolved' OR (status = 'closed' AND EXISTS"
                               "   (SELECT 1 FROM ticket_event e WHERE e.ticket_id = t.id"
                               "    AND e.action = 'resolve'))),"
                               " SUM(status = 'closed'), SUM(status NOT IN ('resolved', 'closed'))"
                               " FROM ticket t INDEXED BY ticket_report WHERE") +
                       kRegionPeriod + " GROUP BY type ORDER BY type",
                   region, period);
  if (!q.ok()) return q.error();
  auto* s = q.value();
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) {
    out.push_back({s->ColumnText(0), s->ColumnInt(1), s->ColumnInt(2), s->ColumnInt(3),
                   s->ColumnInt(4), s->ColumnInt(5)});
  }
  s->Reset();
  if (rc != SQLITE_DONE) return db.LastError("recap by type");
  return out;
}

}  // namespace satupintu::tickets
