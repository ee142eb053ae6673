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

}  // namespace satupintu::app
