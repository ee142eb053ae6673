#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/disk.hpp"
#include "diag/routes.hpp"

namespace satupintu::diag {

void AddLivenessRoute(http::Router& router) {
  router.Add("GET", "/healthz", [](const http::Request&, const http::Respond& respond) {
    respond(http::JsonResponse(200, R"({"status":"ok"})"));
  });
}

void AddOpsRoutes(http::Router& router, storage::Store* store, core::MetricsRegistry* metrics,
                  Readiness readiness) {
  AddLivenessRoute(router);

  auto* ready = &metrics->GetGauge("satupintu_ready", "1 when the last /readyz was ready.");
  std::map<std::string, core::Counter*> not_ready;
  for (const char* reason : {"store_not_writable", "store_full", "disk_low", "sender_stuck"}) {
    not_ready[reason] = &metrics->GetCounter("satupintu_not_ready_total",
                                             "/readyz answers that were not ready, by reason.",
                                             {{"reason", reason}});
  }
  router.Add("GET", "/readyz",
             [store, readiness, ready, not_ready](const http::Request&, http::Respond respond) {
               // Ready means: migrations done and a real write commits now. The heartbeat update is
               // one page, batched with whatever else is being committed; the same job reads how
               // much room the store has left under its cap, since a one-page update still commits
               // when an insert would no longer fit.
               const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count();
               const int version = store->schema_version();
               auto headroom = std::make_shared<std::int64_t>(-1);  // bytes left under the cap
               store->Write(
                   [now_ms, headroom](storage::Db& db) -> core::Status {
                     auto stmt = db.Prepare("UPDATE store_heartbeat SET at_ms = ? WHERE id = 1");
                     if (!stmt.ok()) return stmt.error();
                     if (auto s = stmt.value()->Bind(1, static_cast<std::int64_t>(now_ms)).Run();
                         !s.ok()) {
                       return s;
                     }
                     auto pages = db.QueryInt("PRAGMA page_count");
                     auto max_pages = db.QueryInt("PRAGMA max_page_count");
                     auto free_pages = db.QueryInt("PRAGMA freelist_count");
                     auto page_size = db.QueryInt("PRAGMA page_size");
                     if (pages.ok() && max_pages.ok() && free_pages.ok() && page_size.ok()) {
                       *headroom = (max_pages.value() - pages.value() + free_pages.value()) *
                                   page_size.value();
                     }
                     return {};
                   },
                   [respond = std::move(respond), version, readiness, headroom, ready,
                    not_ready](const core::Status& status) {
                     std::vector<std::string> reasons;
                     if (!status.ok()) reasons.emplace_back("store_not_writable");
                     if (*headroom >= 0 && *headroom < readiness.min_store_headroom_bytes) {
                       reasons.emplace_back("store_full");
                     }
                     // (The free-disk and store-size gauges are app/ops_gauges.hpp's.)
                     const auto free = core::FreeDiskBytesFor(readiness.store_path);
                     if (free && readiness.min_free_disk_mb > 0 &&
                         *free < readiness.min_free_disk_mb * 1024 * 1024) {
                       reasons.emplace_back("disk_low");
                     }
                     if (readiness.stuck_channels) {
                       for (const auto& channel : readiness.stuck_channels()) {
                         reasons.push_back("sender_stuck:" + channel);
                       }
                     }
                     ready->Set(reasons.empty() ? 1 : 0);
                     if (reasons.empty()) {
                       respond(http::JsonResponse(200, R"({"status":"ready","schema_version":)" +
                                                           std::to_string(version) + "}"));
                       return;
                     }
                     std::string list;
                     for (const auto& r : reasons) {
                       not_ready.at(r.substr(0, r.find(':')))->Inc();
                       list += (list.empty() ? "\"" : ",\"") + r + "\"";
                     }
                     auto answer = http::JsonResponse(
                         503, R"({"status":"not_ready","reasons":[)" + list + "]}");
                     answer.headers.emplace_back("Retry-After", "5");
                     respond(std::move(answer));
                   });
             });

  router.Add("GET", "/metrics",
             [metrics, scraped = readiness.on_metrics_scrape](const http::Request&,
                                                              const http::Respond& respond) {
               if (scraped) scraped();
               respond(http::TextResponse(200, metrics->Render(),
                                          "text/plain; version=0.0.4; charset=utf-8"));
             });
}

}  // namespace satupintu::diag
