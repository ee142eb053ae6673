#pragma once
// The channel log: every HTTP exchange with a peer (Graph API, Bot API, Kannel smsbox), so an
// officer can see what was sent for a message and what the peer answered. Every text field
// is scrubbed (scrub.hpp) before it is queued, so nothing stored needs care when shown.
//
// Recording is fire-and-forget: the entry joins the store's next group commit and a failure
// only counts in satupintu_channel_log_entries_total{result="error"}; the exchange it
// describes is never held up or failed by its log.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/metrics.hpp"
#include "core/result.hpp"
#include "storage/store.hpp"

namespace satupintu::channel_log {

enum class Direction { kOut, kIn };

// One exchange as the sender saw it, unredacted.
struct Exchange {
  std::int64_t at_ms = 0;
  std::string channel;   // "whatsapp:wa-main"
  std::string part_key;  // our outbox part key ("<message key>.<seq>"), or empty
  Direction direction = Direction::kOut;
  std::string method;
  std::string url;
  std::vector<std::pair<std::string, std::string>> request_headers;
  std::string request_body;
  std::optional<int> http_status;  // nullopt: no HTTP answer (refused, timed out)
  std::string response_body;
  std::int64_t elapsed_ms = 0;
  std::string error;  // our classification or transport error, empty when none
};

// One stored row, already redacted.
struct LoggedExchange {
  std::int64_t id = 0;
  std::int64_t at_ms = 0;
  std::string channel;
  std::string part_key;
  Direction direction = Direction::kOut;
  std::string method;
  std::string url;
  std::string request_headers;  // "name: value" lines
  std::string request_body;
  std::optional<int> http_status;
  std::string response_body;
  std::int64_t elapsed_ms = 0;
  std::string error;
};

const char* DirectionName(Direction d);

class ChannelLog {
 public:
  ChannelLog(storage::Store* store, core::MetricsRegistry* metrics);

  // Scrubs on the calling thread, then queues the insert. Never fails, never throws.
  void Record(const Exchange& exchange);

  // Deletes entries older than `retention_days` before `now_ms`, in batches (one store job
  // each) so a long backlog never holds the writer for long. `done` (optional) gets the
  // number of rows deleted, on the writer thread.
  void Prune(std::int64_t now_ms, int retention_days,
             std::function<void(core::Result<std::int64_t>)> done = {});

 private:
  storage::Store* store_;
  core::Counter* recorded_;
  core::Counter* failed_;
  core::Counter* pruned_;
};

// One batch of the retention inside the caller's write transaction: deletes at most `limit`
// entries older than `before_ms` and returns how many (gateway/privacy's purge pass, which the
// gateway runs hourly, calls it batch after batch).
core::Result<std::int64_t> PruneIn(storage::Db& db, std::int64_t before_ms, std::int64_t limit);

// Entries for `key`, newest first, at most `limit`: a part key ("k#2") finds that part, a
// message key ("k") finds all its parts (prefix "k#"). The key is scrubbed the same way the
// stored part keys were, so lookups still match when a key held a long digit run.
core::Result<std::vector<LoggedExchange>> FindByKey(storage::Db& db, std::string_view key,
                                                    int limit);
// The same on the store's reader thread; `done` runs there.
void FindByKey(storage::Store* store, std::string key, int limit,
               std::function<void(core::Result<std::vector<LoggedExchange>>)> done);

}  // namespace satupintu::channel_log
