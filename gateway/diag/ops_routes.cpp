#include <chrono>
#include <string>

#include "diag/routes.hpp"

namespace satupintu::diag {

void AddLivenessRoute(http::Router& router) {
  router.Add("GET", "/healthz", [](const http::Request&, const http::Respond& respond) {
    respond(http::JsonResponse(200, R"({"status":"ok"})"));
  });
}

void AddOpsRoutes(http::Router& router, storage::Store* store, core::MetricsRegistry* metrics) {
  AddLivenessRoute(router);

  router.Add("GET", "/readyz", [store](const http::Request&, http::Respond respond) {
    // Ready means: migrations done and a real write commits now. The heartbeat update is
    // one page, batched with whatever else is being committed.
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    const int version = store->schema_version();
    store->Write(
        [now_ms](storage::Db& db) -> core::Status {
          auto stmt = db.Prepare("UPDATE store_heartbeat SET at_ms = ? WHERE id = 1");
          if (!stmt.ok()) return stmt.error();
          return stmt.value()->Bind(1, static_cast<std::int64_t>(now_ms)).Run();
        },
        [respond = std::move(respond), version](const core::Status& status) {
          if (!status.ok()) {
            respond(http::ErrorResponse(
                core::MakeError(core::ErrorCode::kUnavailable, "store is not writable")));
            return;
          }
          respond(http::JsonResponse(
              200, R"({"status":"ready","schema_version":)" + std::to_string(version) + "}"));
        });
  });

  router.Add("GET", "/metrics", [metrics](const http::Request&, const http::Respond& respond) {
    respond(http::TextResponse(200, metrics->Render(), "text/plain; version=0.0.4; charset=utf-8"));
  });
}

}  // namespace satupintu::diag
