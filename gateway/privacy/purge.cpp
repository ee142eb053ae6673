#include "privacy/purge.hpp"

#include <string_view>
#include <vector>

#include "audit/audit_log.hpp"
#include "broadcast/broadcast_store.hpp"
#include "channel_log/channel_log.hpp"
#include "inbound/journal_record.hpp"
#include "tickets/anonymise.hpp"

namespace satupintu::privacy {
namespace {

using storage::Db;
using storage::Stmt;

constexpr std::int64_t kDayMs = 24LL * 3'600'000;
// A pass sweeps at most this many batches of citizens; the sweep goes on at the next pass.
constexpr int kCitizenBatchesPerPass = 20;
// Anonymising a ticket is a dozen statements: its batches are this much smaller.
constexpr int kTicketBatchDivisor = 5;

// The dispatcher's cursor (inbound::Dispatcher::kCursor) and RedactProcessedJournal's own.
constexpr const char* kProcessedCursor = "channels";
constexpr const char* kRedactionCursor = "redaction";

std::int64_t Cutoff(std::int64_t now_ms, int days) { return now_ms - days * kDayMs; }

core::Result<std::int64_t> QueryInt(Db& db, const char* sql,
                                    const std::function<void(Stmt&)>& bind) {
  auto q = db.Prepare(sql);
  if (!q.ok()) return q.error();
  bind(*q.value());
  std::int64_t v = 0;
  auto found = storage::FirstRow(db, *q.value(), "privacy", [&](Stmt& r) { v = r.ColumnInt(0); });
  if (!found.ok()) return found.error();
  return v;
}

core::Status Run(Db& db, const char* sql, const std::function<void(Stmt&)>& bind) {
  auto q = db.Prepare(sql);
  if (!q.ok()) return q.error();
  bind(*q.value());
  return q.value()->Run();
}

core::Result<std::int64_t> CursorOf(Db& db, const char* consumer) {
  return QueryInt(db, "SELECT COALESCE(MAX(last_id), 0) FROM journal_cursor WHERE consumer = ?",
                  [&](Stmt& q) { q.Bind(1, std::string_view(consumer)); });
}

core::Result<std::int64_t> ProgressOf(Db& db, std::string_view cls) {
  return QueryInt(db, "SELECT COALESCE(MAX(last_id), 0) FROM privacy_progress WHERE class = ?",
                  [&](Stmt& q) { q.Bind(1, cls); });
}

core::Status SaveProgress(Db& db, std::string_view cls, std::int64_t last_id) {
  return Run(db,
             "INSERT INTO privacy_progress (class, last_id) VALUES (?, ?)"
             " ON CONFLICT (class) DO UPDATE SET last_id = excluded.last_id",
             [&](Stmt& q) { q.Bind(1, cls).Bind(2, last_id); });
}

// What one batch did: rows changed, and whether more may be waiting.
struct Step {
  std::int64_t rows = 0;
  bool more = false;
};

core::Result<Step> RedactJournal(Db& db, std::int64_t cutoff, int n) {
  auto before = CursorOf(db, kRedactionCursor);
  if (!before.ok()) return before.error();
  auto done = inbound::RedactProcessedJournal(db, cutoff, n);
  if (!done.ok()) return done.error();
  auto after = CursorOf(db, kRedactionCursor);
  if (!after.ok()) return after.error();
  // Rows that needed no rewrite (statuses) move the cursor too: progress is the cursor's.
  return Step{done.value(), after.value() != before.value()};
}

core::Result<Step> DeleteJournal(Db& db, std::int64_t cutoff, int n) {
  auto processed = CursorOf(db, kProcessedCursor);
  if (!processed.ok()) return processed.error();
  // The oldest n processed rows, of which those past the period: ids follow arrival, so the
  // first young row ends the pass; nothing is read twice.
  if (auto s = Run(db,
                   "DELETE FROM inbound_journal WHERE id IN (SELECT id FROM (SELECT id,"
                   " received_at_ms FROM inbound_journal WHERE id <= ?1 ORDER BY id LIMIT ?2)"
                   " WHERE received_at_ms < ?3)",
                   [&](Stmt& q) { q.Bind(1, processed.value()).Bind(2, n).Bind(3, cutoff); });
      !s.ok()) {
    return s.error();
  }
  const std::int64_t rows = db.Changes();
  return Step{rows, rows == n};
}

core::Result<Step> DeleteConversations(Db& db, std::int64_t cutoff, int n) {
  if (auto s = Run(db,
                   "DELETE FROM conversation WHERE citizen_id IN (SELECT citizen_id FROM"
                   " conversation WHERE updated_at_ms < ?1 LIMIT ?2)",
                   [&](Stmt& q) { q.Bind(1, cutoff).Bind(2, n); });
      !s.ok()) {
    return s.error();
  }
  const std::int64_t rows = db.Changes();
  return Step{rows, rows == n};
}

// Messages in id order from the class's progress: each one past the period whose sending is
// over (no part queued or in flight, or past its expiry) loses its texts; the first one too
// young, or still being sent, ends the pass and is looked at again at the next.
core::Result<Step> MinimiseOutbox(Db& db, std::int64_t cutoff, std::int64_t now_ms, int n) {
  constexpr std::string_view kClass = "outbox_text";
  auto from = ProgressOf(db, kClass);
  if (!from.ok()) return from.error();
  struct Message {
    std::int64_t id;
    std::int64_t created_at_ms;
    std::int64_t expires_at_ms;
    bool blank;
    bool sending;
    std::int64_t broadcast_row;  // the broadcast_recipient row of a broadcast message, or 0
  };
  std::vector<Message> messages;
  auto q = db.Prepare(
      "SELECT id, created_at_ms, expires_at_ms, body = '{}' AND address = '',"
      " EXISTS (SELECT 1 FROM outbox_part p WHERE p.message_id = m.id"
      "   AND p.state IN ('queued', 'in_flight')), message_key"
      " FROM outbox_message m WHERE id > ? ORDER BY id LIMIT ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, from.value()).Bind(2, n);
  auto read = storage::ForEachRow(db, *q.value(), "outbox to minimise", [&](Stmt& r) {
    messages.push_back({r.ColumnInt(0), r.ColumnInt(1), r.ColumnInt(2), r.ColumnInt(3) != 0,
                        r.ColumnInt(4) != 0, broadcast::RowOfMessageKey(r.ColumnText(5))});
  });
  if (!read.ok()) return read.error();
  Step step;
  std::int64_t last = from.value();
  bool stopped = false;
  for (const auto& m : messages) {
    if (m.created_at_ms >= cutoff || (m.sending && m.expires_at_ms >= now_ms)) {
      stopped = true;
      break;
    }
    if (!m.blank || m.sending) {
      // A part still queued past its message's expiry will not be sent: it ends failed.
      if (auto s = Run(db,
                       "UPDATE outbox_part SET text = '',"
                       " last_error = CASE WHEN state IN ('queued', 'in_flight') THEN 'retention'"
                       "   ELSE last_error END,"
                       " state = CASE WHEN state IN ('queued', 'in_flight') THEN 'failed'"
                       "   ELSE state END"
                       " WHERE message_id = ?",
                       [&](Stmt& st) { st.Bind(1, m.id); });
          !s.ok()) {
        return s.error();
      }
      // A broadcast's row keeps its outcome, not the number or the name it went to.
      if (m.broadcast_row > 0) {
        if (auto s = Run(db,
                         "UPDATE broadcast_recipient SET address = '', first_name = '',"
                         " ticket_code = '', household = CASE WHEN household LIKE 'phone:%'"
                         "   THEN 'phone:#' || id ELSE household END WHERE id = ?",
                         [&](Stmt& st) { st.Bind(1, m.broadcast_row); });
            !s.ok()) {
          return s.error();
        }
      }
      if (auto s = Run(db, "UPDATE outbox_message SET body = '{}', address = '' WHERE id = ?",
                       [&](Stmt& st) { st.Bind(1, m.id); });
          !s.ok()) {
        return s.error();
      }
      ++step.rows;
    }
    last = m.id;
  }
  if (last != from.value()) {
    if (auto s = SaveProgress(db, kClass, last); !s.ok()) return s.error();
  }
  step.more = !stopped && static_cast<int>(messages.size()) == n;
  return step;
}

core::Result<Step> PruneChannelLog(Db& db, std::int64_t cutoff, int n) {
  auto rows = channel_log::PruneIn(db, cutoff, n);
  if (!rows.ok()) return rows.error();
  return Step{rows.value(), rows.value() == n};
}

core::Result<Step> AnonymiseTickets(Db& db, std::int64_t cutoff, std::int64_t now_ms, int n) {
  std::vector<std::int64_t> ids;
  auto q = db.Prepare(
      "SELECT id FROM ticket WHERE status = 'closed' AND anonymised_at_ms IS NULL"
      " AND updated_at_ms < ? ORDER BY updated_at_ms LIMIT ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, cutoff).Bind(2, n);
  auto read = storage::ForEachRow(db, *q.value(), "tickets to anonymise",
                                  [&](Stmt& r) { ids.push_back(r.ColumnInt(0)); });
  if (!read.ok()) return read.error();
  for (std::int64_t id : ids) {
    if (auto s = tickets::Anonymise(db, id, now_ms); !s.ok()) return s.error();
  }
  return Step{static_cast<std::int64_t>(ids.size()), static_cast<int>(ids.size()) == n};
}

// The citizen ?1 with the citizens merged into it.
#define SATUPINTU_GROUP \
  "WITH g(id) AS (SELECT ?1 UNION ALL SELECT id FROM citizen WHERE merged_into = ?1) "

// 1 when the group may go: nothing of it younger than the period (?2).
constexpr const char* kCitizenDue = SATUPINTU_GROUP
    "SELECT NOT EXISTS (SELECT 1 FROM citizen c JOIN g ON c.id = g.id"
    "   WHERE c.created_at_ms >= ?2)"
    " AND NOT EXISTS (SELECT 1 FROM ticket t JOIN g ON t.citizen_id = g.id"
    "   WHERE t.status <> 'closed' OR t.updated_at_ms >= ?2)"
    " AND NOT EXISTS (SELECT 1 FROM citizen_address a JOIN g ON a.citizen_id = g.id"
    "   WHERE a.opted_out_at_ms IS NOT NULL OR a.created_at_ms >= ?2 OR EXISTS (SELECT 1"
    "   FROM address_channel ac WHERE ac.address = a.address AND ac.last_inbound_at_ms >= ?2))"
    " AND NOT EXISTS (SELECT 1 FROM conversation v JOIN g ON v.citizen_id = g.id"
    "   WHERE v.updated_at_ms >= ?2)"
    " AND NOT EXISTS (SELECT 1 FROM ticket_message m JOIN g ON m.citizen_id = g.id"
    "   WHERE m.at_ms >= ?2)";

// In this order: what refers to a citizen or an address before what it refers to.
constexpr const char* kCitizenDelete[] = {
    SATUPINTU_GROUP
    "DELETE FROM address_channel WHERE address IN"
    " (SELECT address FROM citizen_address WHERE citizen_id IN (SELECT id FROM g))",
    SATUPINTU_GROUP "DELETE FROM citizen_address WHERE citizen_id IN (SELECT id FROM g)",
    SATUPINTU_GROUP "DELETE FROM conversation WHERE citizen_id IN (SELECT id FROM g)",
    SATUPINTU_GROUP "DELETE FROM pending_survey WHERE citizen_id IN (SELECT id FROM g)",
    SATUPINTU_GROUP "DELETE FROM lookup_quota WHERE key IN (SELECT 'citizen:' || id FROM g)",
    "DELETE FROM citizen WHERE merged_into = ?1",
    "DELETE FROM citizen WHERE id = ?1",
};
#undef SATUPINTU_GROUP

// Sweeps the live citizens in id order from the class's progress, deleting those due; at the
// end of the table (or the first citizen younger than the period: ids follow creation) the
// sweep starts again from the beginning at the next pass.
core::Result<Step> DeleteCitizens(Db& db, std::int64_t cutoff, int n) {
  constexpr std::string_view kClass = "citizen";
  auto from = ProgressOf(db, kClass);
  if (!from.ok()) return from.error();
  std::vector<std::pair<std::int64_t, std::int64_t>> rows;  // id, created_at_ms
  auto q = db.Prepare(
      "SELECT id, created_at_ms FROM citizen WHERE id > ? AND merged_into IS NULL"
      " ORDER BY id LIMIT ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, from.value()).Bind(2, n);
  auto read = storage::ForEachRow(db, *q.value(), "citizens to purge", [&](Stmt& r) {
    rows.emplace_back(r.ColumnInt(0), r.ColumnInt(1));
  });
  if (!read.ok()) return read.error();
  Step step;
  std::int64_t last = from.value();
  bool wrapped = static_cast<int>(rows.size()) < n;
  for (const auto& [id, created] : rows) {
    if (created >= cutoff) {
      wrapped = true;
      break;
    }
    last = id;
    auto due = QueryInt(db, kCitizenDue, [&](Stmt& s) { s.Bind(1, id).Bind(2, cutoff); });
    if (!due.ok()) return due.error();
    if (due.value() == 0) continue;
    for (const char* sql : kCitizenDelete) {
      if (auto s = Run(db, sql, [&](Stmt& st) { st.Bind(1, id); }); !s.ok()) return s.error();
    }
    ++step.rows;
  }
  if (auto s = SaveProgress(db, kClass, wrapped ? 0 : last); !s.ok()) return s.error();
  step.more = !wrapped;
  return step;
}

int DaysOf(const Retention& r, DataClass c) {
  switch (c) {
    case DataClass::kJournalRedacted:
      return r.journal_redact_days;
    case DataClass::kJournal:
      return r.journal_days;
    case DataClass::kConversation:
      return r.conversation_days;
    case DataClass::kOutboxText:
      return r.outbox_text_days;
    case DataClass::kChannelLog:
      return r.channel_log_days;
    case DataClass::kClosedTicket:
      return r.closed_ticket_days;
    case DataClass::kCitizen:
      return r.citizen_days;
    case DataClass::kAuditLog:
      return r.audit_log_days;
  }
  return 0;
}

}  // namespace

const char* ClassName(DataClass c) {
  switch (c) {
    case DataClass::kJournalRedacted:
      return "journal_redacted";
    case DataClass::kJournal:
      return "journal";
    case DataClass::kConversation:
      return "conversation";
    case DataClass::kOutboxText:
      return "outbox_text";
    case DataClass::kChannelLog:
      return "channel_log";
    case DataClass::kClosedTicket:
      return "closed_ticket";
    case DataClass::kCitizen:
      return "citizen";
    case DataClass::kAuditLog:
      return "audit_log";
  }
  return "";
}

std::int64_t Counts::Total() const {
  std::int64_t total = 0;
  for (std::size_t i = 0; i < kClasses; ++i) {
    if (static_cast<DataClass>(i) != DataClass::kAuditLog) total += rows[i];
  }
  return total;
}

std::string Counts::Summary() const {
  std::string out;
  for (std::size_t i = 0; i < kClasses; ++i) {
    if (rows[i] == 0) continue;
    if (!out.empty()) out += ' ';
    out += std::string(ClassName(static_cast<DataClass>(i))) + "=" + std::to_string(rows[i]);
  }
  return out;
}

RunBatch OnConnection(Db& db) {
  return [&db](const Batch& batch) -> core::Status {
    if (auto s = db.Run("BEGIN IMMEDIATE"); !s.ok()) return s;
    core::Status s = batch(db);
    if (s.ok()) s = db.Run("COMMIT");
    if (!s.ok() && db.InTransaction()) (void)db.Run("ROLLBACK");
    return s;
  };
}

core::Result<PassResult> Purge(const RunBatch& run, const Retention& r, std::int64_t now_ms,
                               const std::string& actor) {
  PassResult result;
  const int n = r.batch_rows > 0 ? r.batch_rows : 100;
  for (std::size_t i = 0; i < kClasses; ++i) {
    const auto c = static_cast<DataClass>(i);
    const int days = DaysOf(r, c);
    if (days <= 0 || c == DataClass::kAuditLog) continue;
    if (!r.enabled && c != DataClass::kChannelLog) continue;
    const std::int64_t cutoff = Cutoff(now_ms, days);
    for (int batches = 0;; ++batches) {
      if (c == DataClass::kCitizen && batches == kCitizenBatchesPerPass) {
        result.complete = false;
        break;
      }
      Step step;
      core::Status s = run([&](Db& db) -> core::Status {
        core::Result<Step> got = Step{};
        switch (c) {
          case DataClass::kJournalRedacted:
            got = RedactJournal(db, cutoff, n);
            break;
          case DataClass::kJournal:
            got = DeleteJournal(db, cutoff, n);
            break;
          case DataClass::kConversation:
            got = DeleteConversations(db, cutoff, n);
            break;
          case DataClass::kOutboxText:
            got = MinimiseOutbox(db, cutoff, now_ms, n);
            break;
          case DataClass::kChannelLog:
            got = PruneChannelLog(db, cutoff, n);
            break;
          case DataClass::kClosedTicket:
            got = AnonymiseTickets(db, cutoff, now_ms, std::max(1, n / kTicketBatchDivisor));
            break;
          case DataClass::kCitizen:
            got = DeleteCitizens(db, cutoff, n);
            break;
          case DataClass::kAuditLog:
            break;
        }
        if (!got.ok()) return got.error();
        step = got.value();
        return {};
      });
      if (!s.ok()) return s.error();
      ++result.batches;
      result.done[c] += step.rows;
      if (!step.more) break;
    }
  }
  if (result.done.Total() > 0) {
    audit::Entry e;
    e.at_ms = now_ms;
    e.actor = actor;
    e.action = "privacy.purge";
    e.object = "retention";
    e.purpose = "storage limitation (UU 27/2022 PDP)";
    e.outcome = result.done.Summary();
    if (auto s = run([&](Db& db) -> core::Status {
          auto id = audit::Append(db, e);
          return id.ok() ? core::Status{} : core::Status(id.error());
        });
        !s.ok()) {
      return s.error();
    }
  }
  return result;
}

core::Result<Counts> Due(Db& db, const Retention& r, std::int64_t now_ms) {
  Counts due;
  auto processed = CursorOf(db, kProcessedCursor);
  if (!processed.ok()) return processed.error();
  auto redacted = CursorOf(db, kRedactionCursor);
  if (!redacted.ok()) return redacted.error();
  auto outbox_from = ProgressOf(db, "outbox_text");
  if (!outbox_from.ok()) return outbox_from.error();
  for (std::size_t i = 0; i < kClasses; ++i) {
    const auto c = static_cast<DataClass>(i);
    const int days = DaysOf(r, c);
    if (days <= 0) continue;
    if (!r.enabled && c != DataClass::kChannelLog && c != DataClass::kAuditLog) continue;
    const std::int64_t cutoff = Cutoff(now_ms, days);
    const char* sql = nullptr;
    std::function<void(Stmt&)> bind = [&](Stmt& q) { q.Bind(1, cutoff); };
    switch (c) {
      case DataClass::kJournalRedacted:
        sql =
            "SELECT COUNT(*) FROM inbound_journal WHERE received_at_ms < ?1 AND id > ?2"
            " AND id <= ?3";
        bind = [&](Stmt& q) {
          q.Bind(1, cutoff).Bind(2, redacted.value()).Bind(3, processed.value());
        };
        break;
      case DataClass::kJournal:
        sql = "SELECT COUNT(*) FROM inbound_journal WHERE received_at_ms < ?1 AND id <= ?2";
        bind = [&](Stmt& q) { q.Bind(1, cutoff).Bind(2, processed.value()); };
        break;
      case DataClass::kConversation:
        sql = "SELECT COUNT(*) FROM conversation WHERE updated_at_ms < ?1";
        break;
      case DataClass::kOutboxText:
        sql =
            "SELECT COUNT(*) FROM outbox_message WHERE created_at_ms < ?1 AND id > ?2"
            " AND NOT (body = '{}' AND address = '')";
        bind = [&](Stmt& q) { q.Bind(1, cutoff).Bind(2, outbox_from.value()); };
        break;
      case DataClass::kChannelLog:
        sql = "SELECT COUNT(*) FROM channel_log WHERE at_ms < ?1";
        break;
      case DataClass::kClosedTicket:
        sql =
            "SELECT COUNT(*) FROM ticket WHERE status = 'closed' AND anonymised_at_ms IS NULL"
            " AND updated_at_ms < ?1";
        break;
      case DataClass::kCitizen: {
        std::vector<std::int64_t> ids;
        auto q =
            db.Prepare("SELECT id FROM citizen WHERE merged_into IS NULL AND created_at_ms < ?");
        if (!q.ok()) return q.error();
        q.value()->Bind(1, cutoff);
        auto read = storage::ForEachRow(db, *q.value(), "citizens due",
                                        [&](Stmt& row) { ids.push_back(row.ColumnInt(0)); });
        if (!read.ok()) return read.error();
        for (std::int64_t id : ids) {
          auto one = QueryInt(db, kCitizenDue, [&](Stmt& s) { s.Bind(1, id).Bind(2, cutoff); });
          if (!one.ok()) return one.error();
          due[c] += one.value();
        }
        continue;
      }
      case DataClass::kAuditLog:
        sql = "SELECT COUNT(*) FROM audit_log WHERE at_ms < ?1";
        break;
    }
    auto count = QueryInt(db, sql, bind);
    if (!count.ok()) return count.error();
    due[c] = count.value();
  }
  return due;
}

}  // namespace satupintu::privacy
