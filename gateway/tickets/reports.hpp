#pragma once
// The office's reports over the tickets of one region (the caller's: every figure is scoped
// like the queues) and one period: what the reports view charts and what offices publish.
// They scan the region's range of the ticket_report index (migration 11) without touching the
// ticket rows; RecapByType also probes each ticket's referrals and resolve event (migration 13).
// On a regency of a million tickets not all of them answer within a second yet: figures and
// the proposed fix in docs/BENCHMARKS.md, "Tickets and back office (issue 6)".

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

// Tickets opened per week by complaint category. Weeks start on Monday 00:00 in the office's
// time zone (`utc_offset_minutes`); only weeks with tickets are listed, oldest first.
struct WeekRow {
  std::int64_t week_start_ms = 0;
  std::map<std::string, std::int64_t> by_category;  // "" for tickets without one
};
core::Result<std::vector<WeekRow>> TicketsPerWeek(storage::Db& db, const std::string& region,
                                                  const Period& period, int utc_offset_minutes);

// SLA compliance by kecamatan ("32.06.05"): of the tickets opened in the period, how many
// missed no target and how many missed at least one; finished = resolved or closed.
struct SlaRow {
  std::string kecamatan_code;
  std::int64_t tickets = 0;
  std::int64_t finished = 0;
  std::int64_t on_time = 0;
  std::int64_t breached = 0;
};
core::Result<std::vector<SlaRow>> SlaByKecamatan(storage::Db& db, const std::string& region,
                                                 const Period& period);

// The satisfaction index (IKM) of the survey answers (rating 1-5) given in the period about
// tickets of the region: the mean rating scaled to 0-100 (mean / 5 * 100, the 0-100 scale of
// PermenPANRB 14/2017's IKM; our survey asks one overall question, not its nine elements).
struct Ikm {
  std::int64_t responses = 0;
  double average = 0;
  double index = 0;
  std::int64_t by_rating[5] = {0, 0, 0, 0, 0};
};
core::Result<Ikm> Satisfaction(storage::Db& db, const std::string& region, const Period& period);

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
};
core::Result<std::vector<RecapRow>> RecapByType(storage::Db& db, const std::string& region,
                                                const Period& period);

}  // namespace satupintu::tickets
