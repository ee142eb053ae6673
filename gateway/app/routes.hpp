#pragma once
// Route sets the app mounts on its listeners. Each function only adds handlers; the
// components they use are owned by App and outlive the server.

#include <string>

#include "core/metrics.hpp"
#include "http/router.hpp"
#include "storage/journal.hpp"
#include "storage/store.hpp"

namespace satupintu::app {

// GET /healthz (process alive), GET /readyz (store writable: a heartbeat row is committed),
// GET /metrics (Prometheus text).
void AddOpsRoutes(http::Router& router, storage::Store* store, core::MetricsRegistry* metrics);

// GET /healthz only: for load balancers in front of the public listener.
void AddLivenessRoute(http::Router& router);

// POST /diag/journal/{channel}: body is one JSON object or an array of them, each with an
// "id" (string or integer) or "update_id"; answered 200 only after commit. When `token` is
// non-empty the caller must send "Authorization: Bearer <token>".
void AddJournalRoute(http::Router& router, storage::Journal* journal, std::string token);

// GET /diag/channel-log?key=<message key or part key>&limit=N (default 50, at most 500): the
// redacted channel log entries of a message (all its parts) or of one part, newest first, as
// {"count":n,"entries":[...]}; read on the store's reader thread. Token as for the journal.
void AddChannelLogRoute(http::Router& router, storage::Store* store, std::string diag_token);

}  // namespace satupintu::app
