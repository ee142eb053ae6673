#include "tickets/reports.hpp"

#include <optional>
#include <string_view>

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

// The daily counts of migration 14: a regency ("32.06") or a province ("32") reads them.
constexpr std::size_t kCountedRegionMax = 5;

// The time zone the daily counts are kept in; nullopt while they are not counted.
core::Result<std::optional<std::int64_t>> CountedOffsetMs(Db& db) {
  auto clock = db.Prepare("SELECT utc_offset_ms FROM report_clock WHERE id = 1");
  if (!clock.ok()) return clock.error();
  auto* c = clock.value();
  std::optional<std::int64_t> offset;
  if (c->Step() == SQLITE_ROW && !c->ColumnIsNull(0)) offset = c->ColumnInt(0);
  c->Reset();
  return offset;
}

// The period as office days [from, to), when the daily counts can answer it exactly.
struct Days {
  std::int64_t from = 0;
  std::int64_t to = INT64_MAX;
};

std::optional<Days> CountedDays(Db& db, const std::string& region, const Period& period,
                                Source source, std::optional<std::int64_t> want_offset_ms) {
  if (source != Source::kAuto || region.size() > kCountedRegionMax) return std::nullopt;
  auto counted = CountedOffsetMs(db);
  if (!counted.ok() || !counted.value()) return std::nullopt;
  const std::int64_t offset = *counted.value();
  if (want_offset_ms && *want_offset_ms != offset) return std::nullopt;
  Days days;
  if (period.from_ms > 0) {
    if ((period.from_ms + offset) % kDayMs != 0) return std::nullopt;
    days.from = (period.from_ms + offset) / kDayMs;
  }
  if (period.to_ms < INT64_MAX - kDayMs) {
    if (period.to_ms <= 0) return Days{0, 0};
    if ((period.to_ms + offset) % kDayMs != 0) return std::nullopt;
    days.to = (period.to_ms + offset) / kDayMs;
  }
  return days;
}

core::Result<storage::Stmt*> PrepareCounted(Db& db, const std::string& sql,
                                            const std::string& region, const Days& days) {
  auto q = db.Prepare(sql);
  if (!q.ok()) return q.error();
  q.value()->Bind(1, region).Bind(2, region + "/").Bind(3, days.from).Bind(4, days.to);
  return q.value();
}

}  // namespace

core::Result<bool> PrepareReports(Db& db, int utc_offset_minutes) {
  const std::int64_t offset = std::int64_t{utc_offset_minutes} * 60'000;
  auto counted = CountedOffsetMs(db);
  if (!counted.ok()) return counted.error();
  if (counted.value() == offset) return false;
  // The facts are migration 14's views, which its triggers keep counted from then on.
  static constexpr const char* kCount[] = {
      "DELETE FROM report_day",
      "DELETE FROM report_sla",
      "DELETE FROM report_rating",
      "UPDATE report_clock SET utc_offset_ms = ?1",
      "INSERT INTO report_day SELECT regency, day, type, category, COUNT(*), SUM(referred),"
      " SUM(resolved), SUM(closed), SUM(open) FROM report_fact GROUP BY 1, 2, 3, 4",
      "INSERT INTO report_sla SELECT kecamatan, day, COUNT(*), SUM(finished), SUM(on_time),"
      " SUM(breached) FROM report_fact GROUP BY 1, 2",
      "INSERT INTO report_rating SELECT regency, day, rating, COUNT(*) FROM report_rating_fact"
      " GROUP BY 1, 2, 3",
  };
  for (const char* sql : kCount) {
    auto q = db.Prepare(sql);
    if (!q.ok()) return q.error();
    if (std::string_view(sql).find("?1") != std::string_view::npos) q.value()->Bind(1, offset);
    if (auto s = q.value()->Run(); !s.ok()) return s.error();
  }
  return true;
}

std::int64_t WeekStartMs(std::int64_t now_ms, int weeks_back, int utc_offset_minutes) {
  const std::int64_t offset = std::int64_t{utc_offset_minutes} * 60'000;
  const std::int64_t day = (now_ms + offset) / kDayMs;
  // Day 4 (1970-01-05) was a Monday.
  const std::int64_t monday = day - ((day + 3) % 7);
  return (monday - std::int64_t{weeks_back} * 7) * kDayMs - offset;
}

core::Result<std::vector<WeekRow>> TicketsPerWeek(Db& db, const std::string& region,
                                                  const Period& period, int utc_offset_minutes,
                                                  Source source) {
  std::vector<WeekRow> out;
  if (region.empty()) return out;
  const std::int64_t offset = std::int64_t{utc_offset_minutes} * 60'000;
  // Both ways give each row's week as the ms of its Monday 00:00 (office time).
  const auto days = CountedDays(db, region, period, source, offset);
  auto q = days
               ? PrepareCounted(db,
                                // Week n holds days 7n - 3 (a Monday) to 7n + 3.
                                "SELECT ((day + 3) / 7 * 7 - 3) * 86400000 - ?5 AS week, category,"
                                " SUM(received) FROM report_day"
                                " WHERE regency >= ?1 AND regency < ?2 AND day >= ?3 AND day < ?4"
                                " GROUP BY week, category HAVING SUM(received) > 0"
                                " ORDER BY week, category",
                                region, *days)
               : Prepare(db,
                         std::string("SELECT (created_at_ms + ?5) / ?6 * ?6 - ?5 AS week, category,"
                                     " COUNT(*) FROM ticket INDEXED BY ticket_report WHERE") +
                             kRegionPeriod + " GROUP BY week, category ORDER BY week, category",
                         region, period);
  if (!q.ok()) return q.error();
  auto* s = q.value();
  if (days) {
    s->Bind(5, offset);
  } else {
    s->Bind(5, offset - kMondayShiftMs).Bind(6, kWeekMs);
  }
  auto rows = storage::ForEachRow(db, *s, "tickets per week", [&](storage::Stmt& row) {
    const std::int64_t start = row.ColumnInt(0);
    if (out.empty() || out.back().week_start_ms != start) out.push_back({start, {}});
    out.back().by_category[row.ColumnText(1)] = row.ColumnInt(2);
  });
  if (!rows.ok()) return rows.error();
  return out;
}

core::Result<std::vector<SlaRow>> SlaByKecamatan(Db& db, const std::string& region,
                                                 const Period& period, Source source) {
  std::vector<SlaRow> out;
  if (region.empty()) return out;
  // A kecamatan code is the first 8 characters of its villages' ("32.06.05").
  const auto days = CountedDays(db, region, period, source, std::nullopt);
  auto q =
      days ? PrepareCounted(db,
                            "SELECT kecamatan, SUM(tickets), SUM(finished), SUM(on_time),"
                            " SUM(breached) FROM report_sla WHERE kecamatan >= ?1"
                            " AND kecamatan < ?2 AND day >= ?3 AND day < ?4"
                            " AND length(kecamatan) >= 8 GROUP BY kecamatan"
                            " HAVING SUM(tickets) > 0 ORDER BY kecamatan",
                            region, *days)
           : Prepare(db,
                     std::string("SELECT substr(village_code, 1, 8) AS kec, COUNT(*),"
                                 " SUM(status IN ('resolved', 'closed')),"
                                 " SUM(status IN ('resolved', 'closed') AND sla_breaches = 0),"
                                 " SUM(sla_breaches > 0)"
                                 " FROM ticket INDEXED BY ticket_report WHERE") +
                         kRegionPeriod + " AND length(village_code) >= 8 GROUP BY kec ORDER BY kec",
                     region, period);
  if (!q.ok()) return q.error();
  auto* s = q.value();
  auto rows = storage::ForEachRow(db, *s, "sla by kecamatan", [&](storage::Stmt& row) {
    out.push_back({row.ColumnText(0), row.ColumnInt(1), row.ColumnInt(2), row.ColumnInt(3),
                   row.ColumnInt(4)});
  });
  if (!rows.ok()) return rows.error();
  return out;
}

core::Result<Ikm> Satisfaction(Db& db, const std::string& region, const Period& period,
                               Source source) {
  Ikm out;
  if (region.empty()) return out;
  const auto days = CountedDays(db, region, period, source, std::nullopt);
  auto q = days ? PrepareCounted(db,
                                 "SELECT rating, SUM(responses) FROM report_rating"
                                 " WHERE regency >= ?1 AND regency < ?2 AND day >= ?3"
                                 " AND day < ?4 GROUP BY rating",
                                 region, *days)
                : Prepare(db,
                          "SELECT r.rating, COUNT(*) FROM survey_response r"
                          " JOIN ticket t ON t.id = r.ticket_id"
                          " WHERE t.village_code >= ?1 AND t.village_code < ?2"
                          " AND r.answered_at_ms >= ?3 AND r.answered_at_ms < ?4"
                          " GROUP BY r.rating",
                          region, period);
  if (!q.ok()) return q.error();
  auto* s = q.value();
  std::int64_t sum = 0;
  auto rows = storage::ForEachRow(db, *s, "satisfaction", [&](storage::Stmt& row) {
    const std::int64_t rating = row.ColumnInt(0);
    const std::int64_t n = row.ColumnInt(1);
    if (rating < 1 || rating > 5) return;
    out.by_rating[rating - 1] = n;
    out.responses += n;
    sum += rating * n;
  });
  if (!rows.ok()) return rows.error();
  if (out.responses > 0) {
    out.average = static_cast<double>(sum) / static_cast<double>(out.responses);
    out.index = out.average / 5.0 * 100.0;
  }
  return out;
}

core::Result<std::vector<RecapRow>> RecapByType(Db& db, const std::string& region,
                                                const Period& period, Source source) {
  std::vector<RecapRow> out;
  if (region.empty()) return out;
  const auto days = CountedDays(db, region, period, source, std::nullopt);
  // The row alone cannot tell whether a closed ticket was referred or resolved first, so those
  // two look at its referrals and its history (one index probe each).
  auto q =
      days
          ? PrepareCounted(db,
                           "SELECT type, SUM(received), SUM(referred), SUM(resolved),"
                           " SUM(closed), SUM(open) FROM report_day WHERE regency >= ?1"
                           " AND regency < ?2 AND day >= ?3 AND day < ?4 GROUP BY type"
                           " HAVING SUM(received) > 0 ORDER BY type",
                           region, *days)
          : Prepare(db,
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
  auto rows = storage::ForEachRow(db, *s, "recap by type", [&](storage::Stmt& row) {
    out.push_back({row.ColumnText(0), row.ColumnInt(1), row.ColumnInt(2), row.ColumnInt(3),
                   row.ColumnInt(4), row.ColumnInt(5)});
  });
  if (!rows.ok()) return rows.error();
  return out;
}

}  // namespace satupintu::tickets
