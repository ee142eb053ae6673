#include "channel_log/channel_log.hpp"

#include <memory>

#include "channel_log/scrub.hpp"

namespace satupintu::channel_log {
namespace {

// A part key is "<message key>.<seq>". The message key is scrubbed on its own: the redactor
// reads "." as a separator inside a number, so scrubbing the whole key would make a key with
// a long digit run mask differently from its message key, and lookups would miss it.
std::string ScrubKey(std::string_view key) {
  const auto dot = key.rfind('.');
  if (dot != std::string_view::npos && dot + 1 < key.size() &&
      key.find_first_not_of("0123456789", dot + 1) == std::string_view::npos) {
    return ScrubText(key.substr(0, dot), kMaxShortBytes) + std::string(key.substr(dot));
  }
  return ScrubText(key, kMaxShortBytes);
}

using storage::Db;

constexpr std::int64_t kMsPerDay = 24LL * 60 * 60 * 1000;
// Rows deleted per store job: small enough that the writer's other jobs wait milliseconds.
constexpr std::int64_t kPruneBatch = 5000;
constexpr int kMaxLimit = 1000;

constexpr const char* kEntriesName = "satupintu_channel_log_entries_total";
constexpr const char* kEntriesHelp = "Channel log entries by result of their write.";

struct Row {
  std::int64_t at_ms;
  std::string channel;
  std::string part_key;
  Direction direction;
  std::string method;
  std::string url;
  std::string request_headers;
  std::string request_body;
  std::optional<int> http_status;
  std::string response_body;
  std::int64_t elapsed_ms;
  std::string error;
};

struct PruneState {
  storage::Store* store;
  core::Counter* pruned;
  std::int64_t cutoff_ms;
  std::int64_t deleted = 0;
  std::function<void(core::Result<std::int64_t>)> done;
};

void PruneStep(std::shared_ptr<PruneState> state) {
  auto batch_deleted = std::make_shared<std::int64_t>(0);
  // Read before `state` is moved into the completion: argument order is unspecified.
  storage::Store* store = state->store;
  const std::int64_t cutoff = state->cutoff_ms;
  store->Write(
      [cutoff, batch_deleted](Db& db) -> core::Status {
        auto deleted = PruneIn(db, cutoff, kPruneBatch);
        if (!deleted.ok()) return deleted.error();
        *batch_deleted = deleted.value();
        return {};
      },
      [state = std::move(state), batch_deleted](const core::Status& s) mutable {
        if (!s.ok()) {
          if (state->done) state->done(s.error());
          return;
        }
        state->deleted += *batch_deleted;
        state->pruned->Inc(static_cast<std::uint64_t>(*batch_deleted));
        if (*batch_deleted == kPruneBatch) {
          // More left: queue the next batch behind whatever else is waiting. Write() from a
          // completion is safe: completions run outside the store's lock.
          return PruneStep(std::move(state));
        }
        if (state->done) state->done(state->deleted);
      });
}

}  // namespace

core::Result<std::int64_t> PruneIn(Db& db, std::int64_t before_ms, std::int64_t limit) {
  auto stmt = db.Prepare(
      "DELETE FROM channel_log WHERE id IN (SELECT id FROM channel_log WHERE at_ms < ? LIMIT ?)");
  if (!stmt.ok()) return stmt.error();
  if (auto s = stmt.value()->Bind(1, before_ms).Bind(2, limit).Run(); !s.ok()) return s.error();
  return db.Changes();
}

const char* DirectionName(Direction d) { return d == Direction::kOut ? "out" : "in"; }

ChannelLog::ChannelLog(storage::Store* store, core::MetricsRegistry* metrics)
    : store_(store),
      recorded_(&metrics->GetCounter(kEntriesName, kEntriesHelp, {{"result", "ok"}})),
      failed_(&metrics->GetCounter(kEntriesName, kEntriesHelp, {{"result", "error"}})),
      pruned_(&metrics->GetCounter("satupintu_channel_log_pruned_total",
                                   "Channel log entries deleted by retention.")) {}

void ChannelLog::Record(const Exchange& e) {
  auto row = std::make_shared<Row>(Row{
      e.at_ms,
      ScrubText(e.channel, kMaxShortBytes),
      ScrubKey(e.part_key),
      e.direction,
      ScrubText(e.method, kMaxShortBytes),
      ScrubText(e.url, kMaxUrlBytes),
      ScrubHeaders(e.request_headers),
      ScrubText(e.request_body, kMaxBodyBytes),
      e.http_status,
      ScrubText(e.response_body, kMaxBodyBytes),
      e.elapsed_ms,
      ScrubText(e.error, kMaxErrorBytes),
  });
  try {
    store_->Write(
        [row](Db& db) -> core::Status {
          auto stmt = db.Prepare(
              "INSERT INTO channel_log (at_ms, channel, part_key, direction, method, url,"
              " request_headers, request_body, http_status, response_body, elapsed_ms, error)"
              " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
          if (!stmt.ok()) return stmt.error();
          auto& s = *stmt.value();
          s.Bind(1, row->at_ms)
              .BindTextView(2, row->channel)
              .BindTextView(3, row->part_key)
              .Bind(4, std::string_view(DirectionName(row->direction)))
              .BindTextView(5, row->method)
              .BindTextView(6, row->url)
              .BindTextView(7, row->request_headers)
              .BindTextView(8, row->request_body)
              .BindTextView(10, row->response_body)
              .Bind(11, row->elapsed_ms)
              .BindTextView(12, row->error);
          if (row->http_status) {
            s.Bind(9, static_cast<std::int64_t>(*row->http_status));
          } else {
            s.BindNull(9);
          }
          return s.Run();
        },
        [recorded = recorded_, failed = failed_](const core::Status& s) {
          (s.ok() ? recorded : failed)->Inc();
        });
  } catch (const std::exception&) {
    // Out of memory while queueing: the log is best effort.
    failed_->Inc();
  }
}

void ChannelLog::Prune(std::int64_t now_ms, int retention_days,
                       std::function<void(core::Result<std::int64_t>)> done) {
  if (retention_days < 0) {
    if (done) {
      done(core::MakeError(core::ErrorCode::kInvalidArgument, "retention_days must be >= 0"));
    }
    return;
  }
  auto state = std::make_shared<PruneState>();
  state->store = store_;
  state->pruned = pruned_;
  state->cutoff_ms = now_ms - retention_days * kMsPerDay;
  state->done = std::move(done);
  PruneStep(std::move(state));
}

core::Result<std::vector<LoggedExchange>> FindByKey(Db& db, std::string_view key, int limit) {
  if (key.empty()) return core::MakeError(core::ErrorCode::kInvalidArgument, "key is empty");
  if (limit < 1 || limit > kMaxLimit) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "limit must be 1-1000");
  }
  // As a part key it is stored scrubbed by ScrubKey; as a message key its parts start with
  // the scrubbed key and a dot.
  const std::string exact = ScrubKey(key);
  const std::string message = ScrubText(key, kMaxShortBytes);
  // The parts of a message are "<key>.<seq>": they sort in ["<key>.", "<key>/"), and the rest
  // must be digits, or "<key>.5" (another message) would match "<key>".
  const std::string from = message + ".";
  const std::string to = message + "/";
  auto stmt = db.Prepare(
      "SELECT id, at_ms, channel, part_key, direction, method, url, request_headers,"
      " request_body, http_status, response_body, elapsed_ms, error FROM channel_log"
      " WHERE part_key = ? OR (part_key >= ? AND part_key < ?"
      "   AND substr(part_key, ?) NOT GLOB '*[^0-9]*')"
      " ORDER BY id DESC LIMIT ?");
  if (!stmt.ok()) return stmt.error();
  auto* q = stmt.value();
  q->Bind(1, exact)
      .Bind(2, from)
      .Bind(3, to)
      .Bind(4, static_cast<std::int64_t>(from.size() + 1))
      .Bind(5, static_cast<std::int64_t>(limit));
  std::vector<LoggedExchange> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) {
    LoggedExchange e;
    e.id = q->ColumnInt(0);
    e.at_ms = q->ColumnInt(1);
    e.channel = q->ColumnText(2);
    e.part_key = q->ColumnText(3);
    e.direction = q->ColumnText(4) == "in" ? Direction::kIn : Direction::kOut;
    e.method = q->ColumnText(5);
    e.url = q->ColumnText(6);
    e.request_headers = q->ColumnText(7);
    e.request_body = q->ColumnText(8);
    if (!q->ColumnIsNull(9)) e.http_status = static_cast<int>(q->ColumnInt(9));
    e.response_body = q->ColumnText(10);
    e.elapsed_ms = q->ColumnInt(11);
    e.error = q->ColumnText(12);
    out.push_back(std::move(e));
  }
  if (rc != SQLITE_DONE) {
    auto error = db.LastError("read channel log");
    q->Reset();
    return error;
  }
  q->Reset();
  return out;
}

void FindByKey(storage::Store* store, std::string key, int limit,
               std::function<void(core::Result<std::vector<LoggedExchange>>)> done) {
  store->Read(
      [key = std::move(key), limit, done = std::move(done)](Db* db, const core::Error* error) {
        if (db == nullptr) return done(*error);
        done(FindByKey(*db, key, limit));
      });
}

}  // namespace satupintu::channel_log
