#include "outbox/outbox_store.hpp"

#include <algorithm>
#include <memory>
#include <unordered_set>

namespace satupintu::outbox {
namespace {

// The part columns both part queries select first, in this order: p.id, p.message_id,
// p.part_key, m.channel, m.address, p.seq, p.total, p.text, m.body, p.attempts,
// m.expires_at_ms.
DuePart ReadPart(storage::Stmt& r) {
  DuePart p;
  p.part_id = r.ColumnInt(0);
  p.message_id = r.ColumnInt(1);
  p.part_key = r.ColumnText(2);
  p.channel = r.ColumnText(3);
  p.address = r.ColumnText(4);
  p.seq = static_cast<int>(r.ColumnInt(5));
  p.total = static_cast<int>(r.ColumnInt(6));
  p.text = r.ColumnText(7);
  p.body_json = r.ColumnText(8);
  p.attempts = static_cast<int>(r.ColumnInt(9));
  p.expires_at_ms = r.ColumnInt(10);
  return p;
}

using storage::Db;

const char* PolicyName(InFlightPolicy p) {
  return p == InFlightPolicy::kResend ? "resend" : "hold";
}

// Runs `work` as one store job; the result it fills is handed to `done` after commit.
template <typename T>
void WriteWithResult(storage::Store* store, std::function<core::Status(Db&, T*)> work,
                     std::function<void(core::Result<T>)> done) {
  auto result = std::make_shared<T>();
  store->Write([work = std::move(work), result](Db& db) { return work(db, result.get()); },
               [result, done = std::move(done)](const core::Status& status) {
                 if (!status.ok()) return done(status.error());
                 done(std::move(*result));
               });
}

core::Status SetState(Db& db, std::int64_t part_id, PartState from, PartState to,
                      std::int64_t now_ms, const std::string* error) {
  auto stmt = db.Prepare(
      "UPDATE outbox_part SET state = ?, updated_at_ms = ?, last_error = COALESCE(?, last_error)"
      " WHERE id = ? AND state = ?");
  if (!stmt.ok()) return stmt.error();
  auto& s = stmt.value()->Bind(1, std::string_view(PartStateName(to))).Bind(2, now_ms);
  if (error != nullptr) {
    s.Bind(3, *error);
  } else {
    s.BindNull(3);
  }
  if (auto r = s.Bind(4, part_id).Bind(5, std::string_view(PartStateName(from))).Run(); !r.ok()) {
    return r;
  }
  if (db.Changes() != 1) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "part is not in the expected state",
                           "part " + std::to_string(part_id) + " not " + PartStateName(from));
  }
  return {};
}

// How many due parts of a channel a claim ranks by recipient at least (ClaimDue; 4x the claim
// when larger). Past it, a recipient just served is moved back and the next claim sees further.
constexpr std::int64_t kFairWindow = 256;

// How long a status waits for the send's answer it overtook; ids that never become ours go.
constexpr std::int64_t kEarlyStatusKeepMs = std::int64_t{24} * 3600 * 1000;

core::Status KeepEarlyStatus(Db& db, const std::string& channel, const std::string& id,
                             ProviderStatus status, const std::string& error, std::int64_t now_ms) {
  auto expire = db.Prepare("DELETE FROM outbox_early_status WHERE at_ms < ?");
  if (!expire.ok()) return expire.error();
  if (auto s = expire.value()->Bind(1, now_ms - kEarlyStatusKeepMs).Run(); !s.ok()) return s;
  auto keep = db.Prepare(
      "INSERT OR IGNORE INTO outbox_early_status"
      " (channel, provider_message_id, status, error, at_ms) VALUES (?, ?, ?, ?, ?)");
  if (!keep.ok()) return keep.error();
  return keep.value()
      ->Bind(1, channel)
      .Bind(2, id)
      .Bind(3, static_cast<std::int64_t>(status))
      .Bind(4, error)
      .Bind(5, now_ms)
      .Run();
}

// After the send's answer of `part_id` is recorded as `id`: the statuses that overtook it.
core::Status ApplyEarlyStatuses(Db& db, std::int64_t part_id, const std::string& id,
                                std::int64_t now_ms) {
  // One indexed probe per recorded send; rows only when a status overtook this one.
  auto early = db.Prepare(
      "SELECT e.status, e.error, e.channel FROM outbox_part p JOIN outbox_early_status e"
      " ON e.channel = p.channel AND e.provider_message_id = ? WHERE p.id = ? ORDER BY e.status");
  if (!early.ok()) return early.error();
  auto* q = early.value();
  q->Bind(1, id).Bind(2, part_id);
  std::string channel;
  std::vector<std::pair<ProviderStatus, std::string>> waiting;
  int rc = 0;
  while ((rc = q->Step()) == SQLITE_ROW) {
    waiting.emplace_back(static_cast<ProviderStatus>(q->ColumnInt(0)), q->ColumnText(1));
    channel = q->ColumnText(2);
  }
  q->Reset();
  if (rc != SQLITE_DONE) return db.LastError("early statuses");
  if (waiting.empty()) return {};
  for (const auto& [status, error] : waiting) {
    auto applied = ApplyStatusIn(db, channel, id, status, error, now_ms);
    if (!applied.ok()) return applied.error();
  }
  auto done =
      db.Prepare("DELETE FROM outbox_early_status WHERE channel = ? AND provider_message_id = ?");
  if (!done.ok()) return done.error();
  return done.value()->Bind(1, channel).Bind(2, id).Run();
}

// Round-robin memory for ClaimDue: a recipient just served goes to the back of the line. Its
// other parts due on the channel (within the ranked window) become due `now_ms`, so a citizen
// whose part waited since before now goes first, and the next claim does not hand the same
// number its next part ahead of them. Ties keep the part id order, so a recipient's own parts
// stay in order; parts due later (retries, deferrals) are left alone.
core::Status ToBackOfTheLine(Db& db, const std::string& channel,
                             const std::vector<DuePart>& claimed, std::int64_t now_ms,
                             std::int64_t window) {
  std::unordered_set<std::string> served;
  for (const auto& p : claimed) served.insert(p.address);
  auto due = db.Prepare(
      "SELECT p.id, m.address FROM outbox_part p INDEXED BY outbox_part_due"
      " JOIN outbox_message m ON m.id = p.message_id"
      " WHERE p.state = 'queued' AND p.channel = ? AND p.next_attempt_at_ms < ?"
      " ORDER BY p.priority, p.next_attempt_at_ms, p.id LIMIT ?");
  if (!due.ok()) return due.error();
  due.value()->Bind(1, channel).Bind(2, now_ms).Bind(3, window);
  std::vector<std::int64_t> later;
  auto rows = storage::ForEachRow(db, *due.value(), "recipients served", [&](storage::Stmt& r) {
    if (served.contains(r.ColumnText(1))) later.push_back(r.ColumnInt(0));
  });
  if (!rows.ok()) return rows.error();
  if (later.empty()) return {};
  auto move = db.Prepare("UPDATE outbox_part SET next_attempt_at_ms = ? WHERE id = ?");
  if (!move.ok()) return move.error();
  for (const std::int64_t id : later) {
    if (auto s = move.value()->Bind(1, now_ms).Bind(2, id).Run(); !s.ok()) return s;
  }
  return {};
}

}  // namespace

bool IsValidMessageKey(std::string_view key) {
  if (key.empty() || key.size() > 200) return false;
  for (const char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '~' || c == '-';
    if (!ok) return false;
  }
  return true;
}

core::Status Validate(const NewMessage& m) {
  if (m.parts.empty()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "a message needs a part");
  }
  if (!IsValidMessageKey(m.key)) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "message key must be 1-200 characters of A-Z a-z 0-9 . _ ~ -");
  }
  return {};
}

std::string PartKey(std::string_view message_key, int seq) {
  std::string key(message_key);
  key += '.';
  key += std::to_string(seq);
  return key;
}

OutboxStore::OutboxStore(storage::Store* store, core::MetricsRegistry* metrics)
    : store_(store), metrics_(metrics) {}

core::Result<std::int64_t> EnqueueIn(Db& db, const NewMessage& m, std::int64_t now_ms) {
  if (auto invalid = Validate(m); !invalid.ok()) return invalid.error();
  const NewMessage* message = &m;
  std::int64_t result = 0;
  std::int64_t* id = &result;
  auto run = [&]() -> core::Status {
    auto existing = db.Prepare("SELECT id FROM outbox_message WHERE message_key = ?");
    if (!existing.ok()) return existing.error();
    auto* q = existing.value();
    q->Bind(1, message->key);
    if (q->Step() == SQLITE_ROW) {
      *id = q->ColumnInt(0);
      q->Reset();
      return {};
    }
    q->Reset();
    auto insert = db.Prepare(
        "INSERT INTO outbox_message (message_key, channel, address, priority,"
        " in_flight_policy, body, created_at_ms, expires_at_ms) VALUES (?,?,?,?,?,?,?,?)");
    if (!insert.ok()) return insert.error();
    if (auto s = insert.value()
                     ->Bind(1, message->key)
                     .Bind(2, message->channel)
                     .Bind(3, message->address)
                     .Bind(4, static_cast<std::int64_t>(message->priority))
                     .Bind(5, std::string_view(PolicyName(message->policy)))
                     .Bind(6, message->body_json)
                     .Bind(7, now_ms)
                     .Bind(8, message->expires_at_ms)
                     .Run();
        !s.ok()) {
      return s;
    }
    *id = db.LastInsertId();
    auto part = db.Prepare(
        "INSERT INTO outbox_part (message_id, seq, total, part_key, text, state,"
        " next_attempt_at_ms, updated_at_ms, channel, priority)"
        " VALUES (?,?,?,?,?,'queued',?,?,?,?)");
    if (!part.ok()) return part.error();
    const auto total = static_cast<std::int64_t>(message->parts.size());
    for (std::int64_t seq = 1; seq <= total; ++seq) {
      if (auto s = part.value()
                       ->Bind(1, *id)
                       .Bind(2, seq)
                       .Bind(3, total)
                       .Bind(4, PartKey(message->key, static_cast<int>(seq)))
                       .Bind(5, message->parts[static_cast<std::size_t>(seq - 1)])
                       .Bind(6, now_ms)
                       .Bind(7, now_ms)
                       .Bind(8, message->channel)
                       .Bind(9, static_cast<std::int64_t>(message->priority))
                       .Run();
          !s.ok()) {
        return s;
      }
    }
    return {};
  };
  if (auto s = run(); !s.ok()) return s.error();
  return result;
}

void OutboxStore::Enqueue(NewMessage m, std::int64_t now_ms, Done<std::int64_t> done) {
  if (auto invalid = Validate(m); !invalid.ok()) return done(invalid.error());
  auto message = std::make_shared<NewMessage>(std::move(m));
  WriteWithResult<std::int64_t>(
      store_,
      [message, now_ms](Db& db, std::int64_t* id) -> core::Status {
        auto r = EnqueueIn(db, *message, now_ms);
        if (!r.ok()) return r.error();
        *id = r.value();
        return {};
      },
      std::move(done));
}

void OutboxStore::ClaimDue(std::string channel, int limit, std::int64_t now_ms,
                           Done<std::vector<DuePart>> done, Priority up_to) {
  WriteWithResult<std::vector<DuePart>>(
      store_,
      [channel = std::move(channel), limit, now_ms, up_to](
          Db& db, std::vector<DuePart>* out) -> core::Status {
        // A later part of a message waits while an earlier one is not yet sent: the
        // recipient reads them in order.
        // Within a priority, recipients take turns: the due parts are ranked per recipient
        // (its first part 1, its second 2, ...) and claimed by rank, so one number with many
        // parts queued cannot hold back another citizen's first reply (issue 19). The ranking
        // runs over the first kFairWindow (or 4x limit) due parts in the old order (priority, due
        // time, id), which keeps a claim's cost bounded however long the backlog; a recipient
        // beyond them waits for its turn in that order as before. Parts are inserted in message and
        // seq order, so the part id breaks ties the same way. The last inbound time of the
        // recipient on this channel comes along for WhatsApp's 24-hour window.
        auto select = db.Prepare(
            "WITH due AS (SELECT p.id, p.priority, p.next_attempt_at_ms, m.address"
            " FROM outbox_part p INDEXED BY outbox_part_due"
            " JOIN outbox_message m ON m.id = p.message_id"
            " WHERE p.state = 'queued' AND p.channel = ? AND p.priority <= ?"
            " AND p.next_attempt_at_ms <= ?"
            " AND NOT EXISTS (SELECT 1 FROM outbox_part e WHERE e.message_id = p.message_id"
            "   AND e.seq < p.seq AND e.state IN ('queued', 'in_flight'))"
            " ORDER BY p.priority, p.next_attempt_at_ms, p.id LIMIT ?),"
            " ranked AS (SELECT id, priority, next_attempt_at_ms, ROW_NUMBER() OVER"
            "   (PARTITION BY priority, address ORDER BY next_attempt_at_ms, id) AS turn FROM due)"
            " SELECT p.id, p.message_id, p.part_key, m.channel, m.address, p.seq, p.total, p.text,"
            " m.body, p.attempts, m.expires_at_ms, COALESCE(ac.last_inbound_at_ms, 0),"
            " ca.opted_out_at_ms IS NOT NULL, r.priority"
            " FROM ranked r JOIN outbox_part p ON p.id = r.id"
            " JOIN outbox_message m ON m.id = p.message_id"
            " LEFT JOIN address_channel ac ON ac.address = m.address AND ac.channel = m.channel"
            " LEFT JOIN citizen_address ca ON ca.address = m.address"
            " ORDER BY r.priority, r.turn, r.next_attempt_at_ms, r.id LIMIT ?");
        if (!select.ok()) return select.error();
        auto* q = select.value();
        const std::int64_t window = std::max<std::int64_t>(kFairWindow, std::int64_t{4} * limit);
        q->Bind(1, channel)
            .Bind(2, static_cast<std::int64_t>(up_to))
            .Bind(3, now_ms)
            .Bind(4, window)
            .Bind(5, static_cast<std::int64_t>(limit));
        auto rows = storage::ForEachRow(db, *q, "claim due parts", [&](storage::Stmt& row) {
          DuePart p = ReadPart(row);
          ++p.attempts;  // this one
          p.last_inbound_at_ms = row.ColumnInt(11);
          p.opted_out = row.ColumnInt(12) != 0;
          p.priority = static_cast<int>(row.ColumnInt(13));
          out->push_back(std::move(p));
        });
        if (!rows.ok()) return rows.error();
        auto mark = db.Prepare(
            "UPDATE outbox_part SET state = 'in_flight', attempts = attempts + 1,"
            " updated_at_ms = ? WHERE id = ? AND state = 'queued'");
        if (!mark.ok()) return mark.error();
        for (const auto& p : *out) {
          if (auto s = mark.value()->Bind(1, now_ms).Bind(2, p.part_id).Run(); !s.ok()) return s;
        }
        if (out->empty()) return {};
        return ToBackOfTheLine(db, channel, *out, now_ms, window);
      },
      [done = std::move(done), metrics = metrics_](core::Result<std::vector<DuePart>> r) {
        if (r.ok() && !r->empty()) {
          metrics->GetCounter("satupintu_outbox_parts_claimed_total", "Parts handed to senders.")
              .Inc(r->size());
        }
        done(std::move(r));
      });
}

void OutboxStore::RecordAccepted(std::int64_t part_id, std::string provider_message_id,
                                 std::int64_t now_ms, StatusDone done) {
  store_->Write(
      [part_id, id = std::move(provider_message_id), now_ms](Db& db) -> core::Status {
        // A status may have raced ahead of the send's answer and moved the part already.
        auto stmt = db.Prepare(
            "UPDATE outbox_part SET state = CASE WHEN state = 'in_flight' THEN 'sent' ELSE state "
            "END,"
            " provider_message_id = NULLIF(?, ''), updated_at_ms = ? WHERE id = ?"
            " AND state IN ('in_flight', 'sent', 'delivered', 'read', 'failed')");
        if (!stmt.ok()) return stmt.error();
        if (auto s = stmt.value()->Bind(1, id).Bind(2, now_ms).Bind(3, part_id).Run(); !s.ok()) {
          return s;
        }
        if (id.empty() || db.Changes() == 0) return {};
        return ApplyEarlyStatuses(db, part_id, id, now_ms);
      },
      std::move(done));
}

void OutboxStore::RecordRetry(std::int64_t part_id, std::int64_t next_attempt_ms,
                              std::string reason, std::int64_t now_ms, StatusDone done) {
  store_->Write(
      [part_id, next_attempt_ms, reason = std::move(reason), now_ms](Db& db) -> core::Status {
        if (auto s =
                SetState(db, part_id, PartState::kInFlight, PartState::kQueued, now_ms, &reason);
            !s.ok()) {
          return s;
        }
        auto stmt = db.Prepare("UPDATE outbox_part SET next_attempt_at_ms = ? WHERE id = ?");
        if (!stmt.ok()) return stmt.error();
        return stmt.value()->Bind(1, next_attempt_ms).Bind(2, part_id).Run();
      },
      std::move(done));
}

void OutboxStore::RecordDeferred(std::int64_t part_id, std::int64_t next_attempt_ms,
                                 std::int64_t now_ms, StatusDone done) {
  store_->Write(
      [part_id, next_attempt_ms, now_ms](Db& db) -> core::Status {
        auto stmt = db.Prepare(
            "UPDATE outbox_part SET state = 'queued', attempts = MAX(attempts - 1, 0),"
            " next_attempt_at_ms = ?, updated_at_ms = ? WHERE id = ? AND state = 'in_flight'");
        if (!stmt.ok()) return stmt.error();
        if (auto s = stmt.value()->Bind(1, next_attempt_ms).Bind(2, now_ms).Bind(3, part_id).Run();
            !s.ok()) {
          return s;
        }
        if (db.Changes() != 1) {
          return core::MakeError(core::ErrorCode::kInvalidArgument,
                                 "part is not in the expected state",
                                 "part " + std::to_string(part_id) + " not in_flight");
        }
        return {};
      },
      std::move(done));
}

void OutboxStore::RecordFailed(std::int64_t part_id, std::string reason, std::int64_t now_ms,
                               StatusDone done) {
  store_->Write(
      [part_id, reason = std::move(reason), now_ms](Db& db) -> core::Status {
        if (auto s =
                SetState(db, part_id, PartState::kInFlight, PartState::kFailed, now_ms, &reason);
            !s.ok()) {
          return s;
        }
        // The rest of the message would read as nonsense without this part.
        auto rest = db.Prepare(
            "UPDATE outbox_part SET state = 'failed', updated_at_ms = ?,"
            " last_error = 'an earlier part failed' WHERE state = 'queued' AND message_id ="
            " (SELECT message_id FROM outbox_part WHERE id = ?) AND seq >"
            " (SELECT seq FROM outbox_part WHERE id = ?)");
        if (!rest.ok()) return rest.error();
        return rest.value()->Bind(1, now_ms).Bind(2, part_id).Bind(3, part_id).Run();
      },
      [done = std::move(done), metrics = metrics_](const core::Status& s) {
        if (s.ok()) {
          metrics->GetCounter("satupintu_outbox_parts_failed_total", "Parts given up.").Inc();
        }
        done(s);
      });
}

core::Result<bool> ApplyStatusIn(Db& db, const std::string& channel, const std::string& id,
                                 ProviderStatus status, const std::string& error,
                                 std::int64_t now_ms) {
  bool result = false;
  bool* applied = &result;
  auto run = [&]() -> core::Status {
    auto find = db.Prepare(
        "SELECT p.id, p.state FROM outbox_part p JOIN outbox_message m ON m.id = p.message_id"
        " WHERE m.channel = ? AND (p.provider_message_id = ? OR p.part_key = ?) LIMIT 1");
    if (!find.ok()) return find.error();
    auto* q = find.value();
    q->Bind(1, channel).Bind(2, id).Bind(3, id);
    if (q->Step() != SQLITE_ROW) {
      q->Reset();
      *applied = false;  // not ours, or the send's answer is not recorded yet: keep it a while
      return KeepEarlyStatus(db, channel, id, status, error, now_ms);
    }
    const std::int64_t part_id = q->ColumnInt(0);
    const auto current = ParsePartState(q->ColumnText(1));
    q->Reset();
    const auto next = current ? ApplyProviderStatus(*current, status) : std::nullopt;
    if (!next) {
      *applied = false;
      return {};
    }
    auto update = db.Prepare(
        "UPDATE outbox_part SET state = ?, updated_at_ms = ?,"
        " last_error = CASE WHEN ? = '' THEN last_error ELSE ? END WHERE id = ?");
    if (!update.ok()) return update.error();
    *applied = true;
    return update.value()
        ->Bind(1, std::string_view(PartStateName(*next)))
        .Bind(2, now_ms)
        .Bind(3, error)
        .Bind(4, error)
        .Bind(5, part_id)
        .Run();
  };
  if (auto s = run(); !s.ok()) return s.error();
  return result;
}

void OutboxStore::ApplyStatus(std::string channel, std::string id, ProviderStatus status,
                              std::string error, std::int64_t now_ms, Done<bool> done) {
  WriteWithResult<bool>(
      store_,
      [channel = std::move(channel), id = std::move(id), status, error = std::move(error), now_ms](
          Db& db, bool* applied) -> core::Status {
        auto r = ApplyStatusIn(db, channel, id, status, error, now_ms);
        if (!r.ok()) return r.error();
        *applied = r.value();
        return {};
      },
      std::move(done));
}

void OutboxStore::RecoverInFlight(std::vector<AcceptedPart> accepted, std::int64_t now_ms,
                                  Done<Recovery> done,
                                  std::optional<std::vector<std::int64_t>> offered) {
  WriteWithResult<Recovery>(
      store_,
      [accepted = std::move(accepted), offered = std::move(offered), now_ms](
          Db& db, Recovery* out) -> core::Status {
        auto sent = db.Prepare(
            "UPDATE outbox_part SET state = 'sent', provider_message_id = NULLIF(?, ''),"
            " updated_at_ms = ? WHERE id = ? AND state = 'in_flight'");
        if (!sent.ok()) return sent.error();
        for (const auto& a : accepted) {
          if (auto s = sent.value()
                           ->Bind(1, a.provider_message_id)
                           .Bind(2, now_ms)
                           .Bind(3, a.part_id)
                           .Run();
              !s.ok()) {
            return s;
          }
          if (db.Changes() == 0) continue;  // recorded before the crash after all
          ++out->accepted;
          if (a.provider_message_id.empty()) continue;
          if (auto s = ApplyEarlyStatuses(db, a.part_id, a.provider_message_id, now_ms); !s.ok()) {
            return s;
          }
        }
        if (offered.has_value()) {
          // Claimed but never handed to a peer: as if never claimed.
          std::vector<std::int64_t> in_flight;
          auto list = db.Prepare("SELECT id FROM outbox_part WHERE state = 'in_flight'");
          if (!list.ok()) return list.error();
          if (auto s = storage::ForEachRow(
                  db, *list.value(), "parts in flight",
                  [&](storage::Stmt& r) { in_flight.push_back(r.ColumnInt(0)); });
              !s.ok()) {
            return s;
          }
          const std::unordered_set<std::int64_t> left(offered->begin(), offered->end());
          auto back = db.Prepare(
              "UPDATE outbox_part SET state = 'queued', attempts = max(attempts - 1, 0),"
              " updated_at_ms = ? WHERE id = ? AND state = 'in_flight'");
          if (!back.ok()) return back.error();
          for (const std::int64_t id : in_flight) {
            if (left.contains(id)) continue;
            if (auto s = back.value()->Bind(1, now_ms).Bind(2, id).Run(); !s.ok()) return s;
            out->not_offered += static_cast<int>(db.Changes());
          }
        }
        for (auto policy : {InFlightPolicy::kResend, InFlightPolicy::kHold}) {
          auto stmt = db.Prepare(
              "UPDATE outbox_part SET state = ?, updated_at_ms = ?,"
              " last_error = 'in flight at a crash' WHERE state = 'in_flight' AND message_id IN"
              " (SELECT id FROM outbox_message WHERE in_flight_policy = ?)");
          if (!stmt.ok()) return stmt.error();
          if (auto s =
                  stmt.value()
                      ->Bind(1, std::string_view(PartStateName(outbox::RecoverInFlight(policy))))
                      .Bind(2, now_ms)
                      .Bind(3, std::string_view(PolicyName(policy)))
                      .Run();
              !s.ok()) {
            return s;
          }
          (policy == InFlightPolicy::kResend ? out->requeued : out->held) =
              static_cast<int>(db.Changes());
        }
        return {};
      },
      [done = std::move(done), metrics = metrics_](core::Result<Recovery> r) {
        if (r.ok()) {
          const auto count = [metrics](const char* action, int n) {
            metrics
                ->GetCounter("satupintu_outbox_in_flight_at_crash_total",
                             "Parts found in flight at start-up, by what was done with them.",
                             {{"action", action}})
                .Inc(static_cast<std::uint64_t>(n));
          };
          count("accepted", r->accepted);
          count("not_offered", r->not_offered);
          count("resent", r->requeued);
          count("held", r->held);
        }
        done(std::move(r));
      });
}

core::Result<std::optional<DuePart>> PartByProviderIdIn(storage::Db& db, const std::string& channel,
                                                        const std::string& provider_message_id) {
  auto q = db.Prepare(
      "SELECT p.id, p.message_id, p.part_key, m.channel, m.address, p.seq, p.total, p.text,"
      " m.body, p.attempts, m.expires_at_ms FROM outbox_part p"
      " JOIN outbox_message m ON m.id = p.message_id"
      " WHERE p.provider_message_id = ? AND m.channel = ? LIMIT 1");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, provider_message_id).Bind(2, channel);
  std::optional<DuePart> found;
  auto row = storage::FirstRow(db, *q.value(), "part by provider id",
                               [&](storage::Stmt& r) { found = ReadPart(r); });
  if (!row.ok()) return row.error();
  return found;
}

core::Result<std::vector<SentMessage>> SentToIn(storage::Db& db,
                                                const std::vector<std::string>& addresses,
                                                std::int64_t since_ms, int limit) {
  std::vector<SentMessage> out;
  if (addresses.empty()) return out;
  std::string placeholders;
  for (std::size_t i = 0; i < addresses.size(); ++i) placeholders += i == 0 ? "?" : ", ?";
  auto q = db.Prepare(
      "SELECT m.created_at_ms, m.channel, group_concat(pt.text, ''), MIN(pt.state)"
      " FROM outbox_message m JOIN outbox_part pt ON pt.message_id = m.id"
      " WHERE m.address IN (" +
      placeholders + ") AND m.created_at_ms >= ? GROUP BY m.id ORDER BY m.id LIMIT ?");
  if (!q.ok()) return q.error();
  int n = 0;
  for (const auto& a : addresses) q.value()->Bind(++n, a);
  q.value()->Bind(n + 1, since_ms).Bind(n + 2, static_cast<std::int64_t>(limit));
  auto rows = storage::ForEachRow(db, *q.value(), "sent messages", [&](storage::Stmt& r) {
    out.push_back({r.ColumnInt(0), r.ColumnText(1), r.ColumnText(2), r.ColumnText(3)});
  });
  if (!rows.ok()) return rows.error();
  return out;
}

}  // namespace satupintu::outbox
