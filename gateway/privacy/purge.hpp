#pragma once
// The retention purge: each class of personal data is kept for its period (Retention, from
// the config's `retention` section; the defaults and their reasons are in docs/privacy.md,
// "Retention") and then deleted, minimised or anonymised. One pass walks every class in
// bounded batches, each batch its own write transaction (RunBatch), so the store's writer is
// never held for more than one batch and the inbound journal's group commits go on between
// them. A pass that changed anything appends one audit row ("privacy.purge", the counts per
// class in its outcome). The gateway runs a pass hourly (app/privacy_runner.hpp), the operator
// with `satupintu privacy purge [--dry-run]`.
//
// Per class, `days` before `now_ms`:
//   journal_redacted  processed inbound messages lose text and addresses
//                     (inbound::RedactProcessedJournal);
//   journal           processed inbound rows (up to the dispatcher's cursor) are deleted;
//   conversation      dialogs untouched that long are deleted (the citizen starts afresh);
//   outbox_text       messages whose sending is over lose their part texts, body and address
//                     (the rows and their states stay for the channel's figures);
//   channel_log       entries are deleted (channel_log::PruneIn);
//   closed_ticket     closed tickets whose last change is that old are anonymised
//                     (tickets::Anonymise): every report figure stays the same;
//   citizen           a citizen (with the citizens merged into it) with no ticket still open or
//                     changed, no message, dialog or inbound contact within the period, is
//                     deleted with their addresses. Kept: a citizen with an opted-out address
//                     (the opt-out must be honoured if the number writes again);
//   audit_log         kept: the hash chain starts at entry 1 and `audit verify` needs every
//                     entry, so the rows past the horizon are only counted (Due).
// The classes touch other libraries' tables by SQL (conversation, outbox, citizens): what they
// do is a deletion or a blanking no reader of those tables is surprised by.

#include <array>
#include <cstdint>
#include <functional>
#include <string>

#include "core/result.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::privacy {

// Days per class; 0 keeps that class forever.
struct Retention {
  bool enabled = true;  // false: only the channel log (pruned since before this library)
  int batch_rows = 100;
  int journal_redact_days = 7;
  int journal_days = 30;
  int conversation_days = 30;
  int outbox_text_days = 90;
  int channel_log_days = 14;
  int closed_ticket_days = 730;
  int citizen_days = 730;
  int audit_log_days = 1825;
};

enum class DataClass : std::uint8_t {
  kJournalRedacted,
  kJournal,
  kConversation,
  kOutboxText,
  kChannelLog,
  kClosedTicket,
  kCitizen,
  kAuditLog,
};
inline constexpr std::size_t kClasses = 8;
// "journal_redacted", "journal", "conversation", "outbox_text", "channel_log",
// "closed_ticket", "citizen", "audit_log": the metric's label and the audit row's words.
const char* ClassName(DataClass c);

struct Counts {
  std::array<std::int64_t, kClasses> rows{};
  std::int64_t& operator[](DataClass c) { return rows[static_cast<std::size_t>(c)]; }
  std::int64_t operator[](DataClass c) const { return rows[static_cast<std::size_t>(c)]; }
  std::int64_t Total() const;
  // "journal=120 closed_ticket=4": the classes with rows, "" when none.
  std::string Summary() const;
};

using Batch = std::function<core::Status(storage::Db&)>;
// Runs one batch as one write transaction and returns its fate once committed (the gateway:
// Store::Write and wait; a command: OnConnection).
using RunBatch = std::function<core::Status(const Batch&)>;

// A RunBatch over one connection of the caller's: BEGIN IMMEDIATE, the batch, COMMIT
// (ROLLBACK when the batch fails).
RunBatch OnConnection(storage::Db& db);

struct PassResult {
  Counts done;  // rows deleted, minimised or anonymised per class
  std::int64_t batches = 0;
  bool complete = true;  // false: the citizens' sweep goes on at the next pass
};

// One pass at `now_ms`. `actor` names who ran it in the audit row ("system", "cli:siti").
// On an error the classes before it are done (and their batches committed), no audit row is
// written for them: the next pass picks up what is left and audits its own work.
core::Result<PassResult> Purge(const RunBatch& run, const Retention& retention, std::int64_t now_ms,
                               const std::string& actor);

// What a pass at `now_ms` would do, counted on `db` without changing it (`--dry-run`); the
// audit log's class counts the entries past its horizon, which are kept.
core::Result<Counts> Due(storage::Db& db, const Retention& retention, std::int64_t now_ms);

}  // namespace satupintu::privacy
