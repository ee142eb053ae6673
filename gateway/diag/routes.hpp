#pragma once
// The operator's routes: liveness, readiness and metrics, and the diagnostic /diag/* routes of
// the private listener (journal ingest, channel log, outbox). Each function only adds
// handlers; the components they use are owned by the app and outlive the server.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/metrics.hpp"
#include "http/router.hpp"
#include "outbox/outbox_store.hpp"
#include "storage/journal.hpp"
#include "storage/store.hpp"

namespace satupintu::diag {

// What GET /readyz checks besides a committed heartbeat write.
struct Readiness {
  std::string store_path;  // its file system is the one whose free space counts
  // Not ready when the store's file system has less free space than this (0: not checked).
  std::int64_t min_free_disk_mb = 0;
  // Not ready when the store is this close to store.max_size_mb (when a cap is set): 16 pages,
  // a few dozen messages, so a full store shows before every write fails.
  std::int64_t min_store_headroom_bytes = 64 * 1024;
  // The channels whose sender has stopped making progress (nullptr: none checked).
  std::function<std::vector<std::string>()> stuck_channels;
  // Called at each GET /metrics (the app's state gauges then read afresh).
  std::function<void()> on_metrics_scrape;
};

// GET /healthz (process alive); GET /readyz: 200 {"status":"ready",...} when a heartbeat row
// commits, the store has room under its cap, the disk has room and no sender is stuck, else
// 503 {"status":"not_ready","reasons":[...]} naming each (store_not_writable, store_full,
// disk_low, sender_stuck:<channel>); satupintu_ready (0/1) and
// satupintu_not_ready_total{reason} say the same to the metrics; GET /metrics (Prometheus text).
void AddOpsRoutes(http::Router& router, storage::Store* store, core::MetricsRegistry* metrics,
                  Readiness readiness = {});

// GET /healthz only: for load balancers in front of the public listener.
void AddLivenessRoute(http::Router& router);

// POST /diag/journal/{channel}: body is one JSON object or an array of them, each with an
// "id" (string or integer) or "update_id"; answered 200 only after commit. When `token` is
// non-empty the caller must send "Authorization: Bearer <token>". The bodies are stored as
// they came (the ingest benchmark's route): the dispatcher passes such rows over, they are
// not inbound/journal_record.hpp's records.
void AddJournalRoute(http::Router& router, storage::Journal* journal, std::string token);

// GET /diag/channel-log?key=<message key or part key>&limit=N (default 50, at most 500): the
// redacted channel log entries of a message (all its parts) or of one part, newest first, as
// {"count":n,"entries":[...]}; read on the store's reader thread. Token as for the journal.
void AddChannelLogRoute(http::Router& router, storage::Store* store, std::string diag_token);

// What POST /diag/outbox needs from the channels that are live.
struct OutboxRouteDeps {
  outbox::OutboxStore* outbox = nullptr;
  // The in-flight policy of a configured channel for a priority; nullopt when the channel is
  // not configured (the request is refused).
  std::function<std::optional<outbox::InFlightPolicy>(const std::string& channel,
                                                      outbox::Priority priority)>
      policy;
  // Wakes the channel's sender after the message is committed.
  std::function<void(const std::string& channel)> wake;
};

// POST /diag/outbox: enqueues one message, {"key", "channel", "address", "text", "priority":
// reply|notification|bulk, "choices": [[id, title]...], "template": {"name", "language",
// "params"}, "request_contact", "ttl_s"}; answered 202 {"message_id", "parts"} after commit.
// Token as for the journal.
void AddOutboxRoute(http::Router& router, OutboxRouteDeps deps, std::string diag_token);

}  // namespace satupintu::diag
