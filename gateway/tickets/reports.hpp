#pragma once
// The office's reports over the tickets of one region (the caller's: every figure is scoped
// like the queues) and one period: what the reports view charts and what offices publish.
//
// Two ways to the same figures. A village's or a kecamatan's tickets (a few thousand to tens of
// thousands) are read from the ticket_report index (migration 11). A regency or a province reads
// the daily counts of migration 14 instead (tens of thousands of rows instead of a million
// tickets), when they are kept (PrepareReports) in the office's time zone and the period's ends
// fall on the office's midnights; otherwise it reads the tickets too. Tests hold both ways to the
// same answers; figures in docs/BENCHMARKS.md, "Tickets and back office (issue 6)".

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::tickets {

struct Period {
  std::int64_t from_ms = 0;        // inclusive, by the ticket's opening time
  std::int64_t to_ms = INT64_MAX;  // exclusive
};

// kAuto: the daily counts where they answer (above), else the tickets. kTickets: always the
// tickets (the tests' and the benchmark's reference).
enum class Source { kAuto, kTickets };

// Counts the daily report tables afresh in the office's time zone unless they already are
// (report_clock); from then on the triggers of migration 14 keep them. Run inside a write
// transaction. Returns whether it counted (a whole scan of the tickets: seconds on a million).
core::Result<bool> PrepareReports(storage::Db& db, int utc_offset_minutes);

// The midnight (office time) starting the week `weeks_back` weeks before the one holding
// `now_ms`: the start of a "last N weeks" period (N - 1 back), whole weeks.
std::int64_t WeekStartMs(std::int64_t now_ms, int weeks_back, int utc_offset_minutes);

// Tickets opened per week by complaint category. Weeks start on Monday 00:00 in the office's
// time zone (`utc_offset_minutes`); only weeks with tickets are listed, oldest first.
struct WeekRow {
  std::int64_t week_start_ms = 0;
  std::map<std::string, std::int64_t> by_category;  // "" for tickets without one
  bool operator==(const WeekRow&) const = default;
};
core::Result<std::vector<WeekRow>> TicketsPerWeek(storage::Db& db, const std::string& region,
                                                  const Period& period, int utc_offset_minutes,
                                                  Source source = Source::kAuto);

// SLA compliance by kecamatan ("32.06.05"): of the tickets opened in the period, how many
// missed no target and how many missed at least one; finished = resolved or closed.
struct SlaRow {
  std::string kecamatan_code;
  std::int64_t tickets = 0;
  std::int64_t finished = 0;
  std::int64_t on_time = 0;
  std::int64_t breached = 0;
  bool operator==(const SlaRow&) const = default;
};
core::Result<std::vector<SlaRow>> SlaByKecamatan(storage::Db& db, const std::string& region,
                                                 const Period& period,
                                                 Source source = Source::kAuto);

// The satisfaction index (IKM) of the survey answers (rating 1-5) given in the period about
// tickets of the region: the mean rating scaled to 0-100 (mean / 5 * 100, the 0-100 scale of
// PermenPANRB 14/2017's IKM; our survey asks one overall question, not its nine elements).
struct Ikm {
  std::int64_t responses = 0;
  double average = 0;
  double index = 0;
  std::int64_t by_rating[5] = {0, 0, 0, 0, 0};
  bool operator==(const Ikm&) const = default;
};
core::Result<Ikm> Satisfaction(storage::Db& db, const std::string& region, const Period& period,
                               Source source = Source::kAuto);

// The yearly recap by service type (complaint, registration, human) of tickets opened in the
// period: received, referred to at least one programme, resolved (or closed after it), closed,
// and closed as solved.
struct RecapRow {
  std::string type;
  std::int64_t received = 0;
  std::int64_t referred = 0;
  std::int64_t resolved = 0;
  std::int64_t closed = 0;
  std::int64_t open = 0;
  bool operator==(const RecapRow&) const = default;
};
core::Result<std::vector<RecapRow>> RecapByType(storage::Db& db, const std::string& region,
                                                const Period& period,
                                                Source source = Source::kAuto);

}  // namespace satupintu::tickets
