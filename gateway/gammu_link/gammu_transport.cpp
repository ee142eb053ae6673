#include "gammu_link/gammu_transport.hpp"

#include <utility>

#include "adapters/gammu/outbox.hpp"
#include "adapters/gammu/sql.hpp"

namespace satupintu::gammu_link {
namespace {

namespace gammu = adapters::gammu;
using adapters::SendResult;
using adapters::SendVerdict;

SendResult Verdict(SendVerdict verdict, std::string reason, std::string id = {}) {
  SendResult r;
  r.verdict = verdict;
  r.reason = std::move(reason);
  r.provider_message_id = std::move(id);
  return r;
}

SendResult Transient(const core::Error& error, std::string_view what) {
  return Verdict(SendVerdict::kTransient, std::string(what) + ": " + error.message);
}

}  // namespace

GammuTransport::GammuTransport(LinkConfig config, int rate_per_minute)
    : config_(std::move(config)),
      rate_per_minute_(rate_per_minute),
      db_(config_.database, config_.busy_timeout) {}

void GammuTransport::Send(const outbox::DuePart& part,
                          std::function<void(outbound::Attempt)> done) {
  outbound::Attempt attempt;
  attempt.exchange.method = "INSERT";
  attempt.exchange.url = "gammu:" + config_.name + "/outbox";
  const auto start = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    attempt.result = Insert(part, attempt.exchange);
  }
  attempt.exchange.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (attempt.result.verdict != SendVerdict::kAccepted) {
    attempt.exchange.error = attempt.result.reason;
  }
  done(std::move(attempt));
}

bool GammuTransport::TakeToken(std::chrono::steady_clock::time_point now,
                               std::chrono::seconds* retry_after) {
  if (rate_per_minute_ <= 0) return true;
  const auto window = std::chrono::minutes(1);
  while (!sent_at_.empty() && now - sent_at_.front() >= window) sent_at_.pop_front();
  if (static_cast<int>(sent_at_.size()) < rate_per_minute_) return true;
  *retry_after = std::chrono::ceil<std::chrono::seconds>(sent_at_.front() + window - now);
  if (retry_after->count() < 1) *retry_after = std::chrono::seconds(1);
  return false;
}

SendResult GammuTransport::Insert(const outbox::DuePart& part, outbound::Exchange& exchange) {
  const std::string creator = config_.creator_prefix + part.part_key;
  if (part.part_key.empty() || creator.size() > kMaxCreatorIdBytes) {
    return Verdict(SendVerdict::kPermanent, "part key is empty or longer than SMSD keeps");
  }
  // The reference is a function of our message id, so every part of one message (and every
  // retry of a part) carries the same one.
  const auto built =
      gammu::BuildPartRow(config_.adapter, creator, part.address, part.text, part.seq, part.total,
                          gammu::ConcatRef(std::to_string(part.message_id)));
  if (!built.ok()) return Verdict(SendVerdict::kPermanent, built.error);
  const gammu::OutboxRow& row = *built.row;
  exchange.request_body = "CreatorID=" + creator + " UDH=" + row.udh + " Coding=" + row.coding;

  auto opened = db_.Get();
  if (!opened.ok()) return Transient(opened.error(), "smsd database");
  storage::Db& db = *opened.value();

  // BEGIN IMMEDIATE takes the write lock first, so the check and the insert are one step for
  // every other writer (SMSD moving the row to sentitems included).
  if (auto begin = db.Run("BEGIN IMMEDIATE"); !begin.ok()) {
    return Transient(begin.error(), "smsd database");
  }
  auto fail = [&](const core::Error& error, std::string_view what) {
    RollbackQuietly(db);
    return Transient(error, what);
  };

  auto count = db.Prepare(std::string(gammu::sql::kCountByCreator));
  if (!count.ok()) return fail(count.error(), "smsd outbox");
  storage::Stmt* c = count.value();
  c->Bind(1, creator);
  if (c->Step() != SQLITE_ROW) {
    auto error = db.LastError("count by creator");
    c->Reset();
    return fail(error, "smsd outbox");
  }
  const std::int64_t existing = c->ColumnInt(0);
  c->Reset();
  if (existing > 0) {
    if (auto commit = db.Run("COMMIT"); !commit.ok()) return fail(commit.error(), "smsd outbox");
    exchange.response_body = "already queued or sent";
    return Verdict(SendVerdict::kAccepted, "", part.part_key);
  }

  std::chrono::seconds retry_after{0};
  if (!TakeToken(std::chrono::steady_clock::now(), &retry_after)) {
    RollbackQuietly(db);
    SendResult r = Verdict(SendVerdict::kRateLimited, "channel rate limit");
    r.retry_after = retry_after;
    return r;
  }

  auto insert = db.Prepare(std::string(gammu::sql::kInsertOutbox));
  if (!insert.ok()) return fail(insert.error(), "smsd outbox");
  insert.value()
      ->Bind(1, row.destination_number)
      .Bind(2, row.text_decoded)
      .Bind(3, row.coding)
      .Bind(4, row.udh)
      .Bind(5, row.multi_part)
      .Bind(6, row.creator_id)
      .Bind(7, row.delivery_report);
  if (row.sender_id.empty()) {
    insert.value()->BindNull(8);  // any SMSD instance may take it
  } else {
    insert.value()->Bind(8, row.sender_id);
  }
  if (auto run = insert.value()->Run(); !run.ok()) return fail(run.error(), "smsd outbox");
  const std::int64_t outbox_id = db.LastInsertId();
  if (auto commit = db.Run("COMMIT"); !commit.ok()) return fail(commit.error(), "smsd outbox");
  sent_at_.push_back(std::chrono::steady_clock::now());
  exchange.response_body = "outbox ID " + std::to_string(outbox_id);
  return Verdict(SendVerdict::kAccepted, "", part.part_key);
}

}  // namespace satupintu::gammu_link
