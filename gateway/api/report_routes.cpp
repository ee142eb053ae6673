// The region-scoped reports (GET /api/v1/reports/{weekly,sla,ikm,yearly}): reads on the store's
// reader thread. The catalogue's routes are in catalogue_routes.cpp.

#include <chrono>

#include "api/context.hpp"
#include "tickets/reports.hpp"

namespace satupintu::api {
namespace {

using core::ErrorCode;
using core::MakeError;
using storage::Db;

core::Result<http::Response> Report(const ApiContext& api, Db& db, const Caller& caller,
                                    const std::string& name, const http::Request& req) {
  if (auto s = tickets::MayReadReports(caller.actor); !s.ok()) return s.error();
  tickets::Period period;
  auto from = IntParam(req, "from_ms", 0, 0, INT64_MAX);
  auto to = IntParam(req, "to_ms", INT64_MAX, 0, INT64_MAX);
  if (!from.ok()) return from.error();
  if (!to.ok()) return to.error();
  period.from_ms = from.value();
  period.to_ms = to.value();
  const std::string& region = caller.actor.region;
  const std::int64_t offset_ms = std::int64_t{api.options().utc_offset_minutes} * 60'000;
  if (name == "weekly") {
    auto weeks = IntParam(req, "weeks", 12, 1, 104);
    if (!weeks.ok()) return weeks.error();
    if (req.QueryParam("from_ms").empty()) {
      // Whole weeks: this one and the N - 1 before it.
      period.from_ms = tickets::WeekStartMs(api.Now(), static_cast<int>(weeks.value()) - 1,
                                            api.options().utc_offset_minutes);
    }
    auto rows = tickets::TicketsPerWeek(db, region, period, api.options().utc_offset_minutes);
    if (!rows.ok()) return rows.error();
    json out = json::array();
    for (const auto& w : rows.value()) {
      out.push_back({{"week_start_ms", w.week_start_ms}, {"counts", w.by_category}});
    }
    return Json(200, {{"weeks", std::move(out)}});
  }
  if (name == "sla") {
    auto rows = tickets::SlaByKecamatan(db, region, period);
    if (!rows.ok()) return rows.error();
    json out = json::array();
    for (const auto& r : rows.value()) {
      out.push_back({{"kecamatan_code", r.kecamatan_code},
                     {"kecamatan_name", api.RegionName(r.kecamatan_code)},
                     {"tickets", r.tickets},
                     {"closed", r.finished},
                     {"on_time", r.on_time},
                     {"breached", r.breached}});
    }
    return Json(200, {{"rows", std::move(out)}});
  }
  if (name == "ikm") {
    auto ikm = tickets::Satisfaction(db, region, period);
    if (!ikm.ok()) return ikm.error();
    json by = json::object();
    for (int i = 0; i < 5; ++i) by[std::to_string(i + 1)] = ikm.value().by_rating[i];
    // No answers is no data, not an index of 0.
    const bool none = ikm.value().responses == 0;
    return Json(200, {{"responses", ikm.value().responses},
                      {"average", none ? json(nullptr) : json(ikm.value().average)},
                      {"ikm", none ? json(nullptr) : json(ikm.value().index)},
                      {"by_rating", std::move(by)}});
  }
  if (name == "yearly") {
    auto year = IntParam(req, "year", 0, 2000, 2100);
    if (!year.ok()) return year.error();
    namespace chr = std::chrono;
    int y = static_cast<int>(year.value());
    if (y == 0) {
      const chr::sys_days today = chr::floor<chr::days>(
          chr::sys_time<chr::milliseconds>(chr::milliseconds(api.Now() + offset_ms)));
      y = static_cast<int>(chr::year_month_day{today}.year());
    }
    auto new_year_ms = [offset_ms](int yr) {
      const chr::sys_days d{chr::year{yr} / chr::January / 1};
      return chr::duration_cast<chr::milliseconds>(d.time_since_epoch()).count() - offset_ms;
    };
    period.from_ms = new_year_ms(y);
    period.to_ms = new_year_ms(y + 1);
    auto rows = tickets::RecapByType(db, region, period);
    if (!rows.ok()) return rows.error();
    json out = json::array();
    for (const auto& r : rows.value()) {
      out.push_back({{"type", r.type},
                     {"received", r.received},
                     {"referred", r.referred},
                     {"resolved", r.resolved},
                     {"closed", r.closed},
                     {"open", r.open}});
    }
    return Json(200, {{"year", y}, {"rows", std::move(out)}});
  }
  return MakeError(ErrorCode::kNotFound, "no such report");
}

}  // namespace

void MountReportRoutes(http::Router& router, const std::shared_ptr<ApiContext>& api) {
  router.Add(
      "GET", "/api/v1/reports/{name}", [api](const http::Request& req, http::Respond respond) {
        api->AuthedRead(req, std::move(respond), [api, req](Db& db, const Caller& c, std::int64_t) {
          return Report(*api, db, c, req.params.at("name"), req);
        });
      });
}

}  // namespace satupintu::api
