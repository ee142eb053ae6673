#pragma once
// Anonymising a ticket: what the retention purge (gateway/privacy) does to a closed ticket past
// retention.closed_ticket_days, and what a citizen's erasure does to theirs. The ticket keeps
// everything the reports and the daily counts of migration 14 read (type, category, region,
// status, dates, priority, SLA fields, referrals, the history's actions, the survey's rating),
// so every figure stays exactly as it was; it loses everything that says who the person was or
// what they told:
//   ticket:          name, birth date, NIK/KK hashes and masked forms, household size, the
//                    description, the registry snapshot's household parts (status, desil,
//                    village, programmes: only its date and "found" stay) and the link to the
//                    citizen (citizen_id 0, so the citizen's addresses can be purged later);
//   ticket_event:    officers' free-text notes (detail's "note"; migration 18 lets exactly this
//                    change through the history's append-only trigger, and only on an
//                    anonymised ticket);
//   ticket_message:  every text, and the citizen link;
//   survey_response: the comment (the rating stays: the IKM);
//   pending_survey:  removed (nobody to ask).
// The ticket is marked (ticket.anonymised_at_ms, migration 18): done once, a second call is a
// no-op. Runs inside the caller's write transaction.

#include <cstdint>

#include "core/result.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::tickets {

// kNotFound for an unknown ticket id; ok (nothing done) for one already anonymised. Any status
// is accepted: the purge picks closed tickets, an erasure decides for itself.
core::Status Anonymise(storage::Db& db, std::int64_t ticket_id, std::int64_t now_ms);

// Whether the ticket was anonymised; kNotFound for an unknown id.
core::Result<bool> IsAnonymised(storage::Db& db, std::int64_t ticket_id);

}  // namespace satupintu::tickets
