// Broadcasts (issue 20): GET/POST /api/v1/broadcasts, POST /api/v1/broadcasts/check (a text as
// it is typed), GET/PUT /api/v1/broadcasts/{id}, POST .../{id}/audience.csv, .../preview,
// .../approve, .../pause, .../resume, .../cancel, .../resend, GET .../recipients and
// .../report.csv. The rules (roles, region, the second person, states) are broadcast::'s; every
// change and every refusal leaves an audit row in the transaction that answers.

#include <future>
#include <map>
#include <mutex>
#include <set>
#include <tuple>

#include "api/context.hpp"
#include "api/csv.hpp"
#include "broadcast/broadcast_store.hpp"
#include "broadcast/text_check.hpp"

namespace satupintu::api {
namespace {

using core::ErrorCode;
using core::MakeError;
using storage::Db;

// The listener's http.body_limit_bytes (1 MB by default, about 60,000 numbers) applies first.
constexpr std::int64_t kMaxCsvBytes = 8LL * 1024 * 1024;

core::Result<std::int64_t> IdOf(const http::Request& req) {
  const auto it = req.params.find("id");
  if (it == req.params.end() || it->second.empty() || it->second.size() > 18 ||
      it->second.find_first_not_of("0123456789") != std::string::npos) {
    return MakeError(ErrorCode::kNotFound, "no such broadcast");
  }
  return std::stoll(it->second);
}

// The result of a change: 200 (or `ok_status`) with the broadcast, or the refusal; audited
// either way in the same transaction.
core::Result<http::Response> Audited(Db& db, const Caller& c, std::int64_t now,
                                     const std::string& action, std::int64_t id,
                                     core::Result<broadcast::Broadcast> result,
                                     int ok_status = 200) {
  const std::string object = "broadcast:" + std::to_string(id > 0        ? id
                                                           : result.ok() ? result->id
                                                                         : 0);
  if (!result.ok()) {
    if (!backoffice::IsRefusal(result.error())) return result.error();
    if (auto s =
            Audit(db, c, now, action, object, "broadcast", "refused: " + result.error().message);
        !s.ok()) {
      return s.error();
    }
    return http::ErrorResponse(result.error());
  }
  if (auto s = Audit(db, c, now, action, object, "broadcast", "ok"); !s.ok()) return s.error();
  return Json(ok_status, broadcast::BroadcastJson(result.value()));
}

using Change = std::function<core::Result<broadcast::Broadcast>(Db&, const tickets::Actor&,
                                                                std::int64_t id, std::int64_t now)>;

void MountChange(http::Router& router, const std::shared_ptr<ApiContext>& api,
                 const std::string& verb, const std::string& action, Change change) {
  router.Add("POST", "/api/v1/broadcasts/{id}/" + verb,
             [api, action, change](http::Request req, http::Respond respond) {
               auto id = IdOf(req);
               if (!id.ok()) return respond(http::ErrorResponse(id.error()));
               api->Authed(req, std::move(respond),
                           [api, action, change, id = id.value()](Db& db, const Caller& c,
                                                                  std::int64_t now) {
                             auto r = change(db, c.actor, id, now);
                             auto out = Audited(db, c, now, action, id, std::move(r));
                             if (c.wake_broadcasts != nullptr) *c.wake_broadcasts = true;
                             return out;
                           });
             });
}

// The progress of a big broadcast reads every row (about a second for a million households):
// pages polling it every 2 s share one reading per broadcast for up to 3 s, unless its state
// changed meanwhile.
core::Result<json> CachedProgress(Db& db, const broadcast::Broadcast& b,
                                  const broadcast::Policy& policy, std::int64_t now) {
  struct Entry {
    std::int64_t at_ms = 0;
    broadcast::State state = broadcast::State::kDraft;
    json progress;
  };
  static std::mutex mutex;
  // Per store connection and broadcast (ids repeat across stores in one process: tests).
  using Key = std::tuple<const Db*, std::int64_t, std::int64_t>;
  static std::map<Key, Entry> cache;
  const Key key{&db, b.id, b.created_at_ms};
  {
    std::lock_guard lock(mutex);
    const auto it = cache.find(key);
    if (it != cache.end() && it->second.state == b.state && now >= it->second.at_ms &&
        now - it->second.at_ms < 3'000) {
      return it->second.progress;
    }
  }
  core::Status error;
  json progress = broadcast::Progress(db, b, policy, now, &error);
  if (!error.ok()) return error.error();
  std::lock_guard lock(mutex);
  if (cache.size() > 64) cache.clear();
  cache[key] = {now, b.state, progress};
  return progress;
}

json UploadJson(const broadcast::UploadReport& r) {
  json rejected = json::array();
  for (const auto& x : r.rejected) rejected.push_back({{"line", x.line}, {"reason", x.reason}});
  return {{"accepted", r.accepted}, {"duplicates", r.duplicates}, {"rejected", rejected}};
}

json CheckJson(const broadcast::TextCheck& check) {
  json problems = json::array();
  for (const auto& p : check.problems) {
    problems.push_back({{"kind", broadcast::ContentProblemName(p.kind)}, {"detail", p.detail}});
  }
  return {{"ok", check.ok()},
          {"error", check.error},
          {"unknown_placeholders", check.unknown_placeholders},
          {"problems", std::move(problems)},
          {"sample", check.sample},
          {"sms_segments", check.sms_segments},
          {"sms_ucs2", check.sms_ucs2}};
}

std::string OutcomesCsv(const std::vector<broadcast::Outcome>& rows, bool header) {
  std::string out;
  if (header) {
    out += CsvRow({"row", "household", "address", "channel", "kecamatan", "state", "reason",
                   "sms_parts", "cost_rupiah"});
  }
  for (const auto& o : rows) {
    out +=
        CsvRow({std::to_string(o.row), o.household_kind, o.address_masked, o.channel, o.kecamatan,
                o.state, o.reason, std::to_string(o.parts), std::to_string(o.cost)});
  }
  return out;
}

}  // namespace

void MountBroadcastRoutes(http::Router& router, const std::shared_ptr<ApiContext>& api) {
  const auto policy = api->deps().broadcasts;
  if (!policy) return;
  router.Add(
      "GET", "/api/v1/broadcasts", [api, policy](const http::Request& req, http::Respond respond) {
        api->AuthedRead(req, std::move(respond),
                        [](Db& db, const Caller& c, std::int64_t) -> core::Result<http::Response> {
                          auto list = broadcast::List(db, c.actor, 200);
                          if (!list.ok()) return http::ErrorResponse(list.error());
                          json items = json::array();
                          for (const auto& b : list.value())
                            items.push_back(broadcast::BroadcastJson(b));
                          return Json(200, {{"items", std::move(items)}});
                        });
      });
  router.Add("POST", "/api/v1/broadcasts/check",
             [api, policy](const http::Request& req, http::Respond respond) {
               auto body = ParseBody(req);
               if (!body.ok()) return respond(http::ErrorResponse(body.error()));
               std::string language = StringField(body.value(), "language");
               if (language.empty()) language = "id";
               api->AuthedRead(
                   req, std::move(respond),
                   [policy, text = StringField(body.value(), "text"), language](
                       Db&, const Caller& c, std::int64_t) -> core::Result<http::Response> {
                     if (auto s = broadcast::MayCompose(c.actor); !s.ok()) {
                       return http::ErrorResponse(s.error());
                     }
                     return Json(200,
                                 CheckJson(broadcast::CheckText(text, language, policy->content)));
                   });
             });
  router.Add("POST", "/api/v1/broadcasts",
             [api, policy](const http::Request& req, http::Respond respond) {
               auto body = ParseBody(req);
               if (!body.ok()) return respond(http::ErrorResponse(body.error()));
               auto draft = broadcast::ParseDraft(body.value());
               if (!draft.ok()) return respond(http::ErrorResponse(draft.error()));
               api->Authed(req, std::move(respond),
                           [policy, d = draft.value()](Db& db, const Caller& c, std::int64_t now) {
                             return Audited(db, c, now, "broadcast.create", 0,
                                            broadcast::Create(db, c.actor, d, *policy, now), 201);
                           });
             });
  router.Add("GET", "/api/v1/broadcasts/{id}",
             [api, policy](http::Request req, http::Respond respond) {
               auto id = IdOf(req);
               if (!id.ok()) return respond(http::ErrorResponse(id.error()));
               api->AuthedRead(
                   req, std::move(respond),
                   [policy, id = id.value()](Db& db, const Caller& c,
                                             std::int64_t now) -> core::Result<http::Response> {
                     auto b = broadcast::Load(db, c.actor, id);
                     if (!b.ok()) return http::ErrorResponse(b.error());
                     json out = broadcast::BroadcastJson(b.value());
                     if (b.value().state != broadcast::State::kDraft) {
                       auto progress = CachedProgress(db, b.value(), *policy, now);
                       if (!progress.ok()) return progress.error();
                       out["progress"] = std::move(progress).value();
                     }
                     return Json(200, out);
                   });
             });
  router.Add("PUT", "/api/v1/broadcasts/{id}",
             [api, policy](http::Request req, http::Respond respond) {
               auto id = IdOf(req);
               if (!id.ok()) return respond(http::ErrorResponse(id.error()));
               auto body = ParseBody(req);
               if (!body.ok()) return respond(http::ErrorResponse(body.error()));
               auto draft = broadcast::ParseDraft(body.value());
               if (!draft.ok()) return respond(http::ErrorResponse(draft.error()));
               api->Authed(req, std::move(respond),
                           [policy, id = id.value(), d = draft.value()](Db& db, const Caller& c,
                                                                        std::int64_t now) {
                             return Audited(db, c, now, "broadcast.edit", id,
                                            broadcast::Update(db, c.actor, id, d, *policy, now));
                           });
             });
  router.Add("POST", "/api/v1/broadcasts/{id}/audience.csv",
             [api](http::Request req, http::Respond respond) {
               auto id = IdOf(req);
               if (!id.ok()) return respond(http::ErrorResponse(id.error()));
               if (static_cast<std::int64_t>(req.body.size()) > kMaxCsvBytes) {
                 return respond(http::ErrorResponse(
                     MakeError(ErrorCode::kInvalidArgument, "the file is larger than 8 MB")));
               }
               api->Authed(
                   req, std::move(respond),
                   [id = id.value(), csv = std::move(req.body)](
                       Db& db, const Caller& c, std::int64_t now) -> core::Result<http::Response> {
                     auto r = broadcast::Upload(db, c.actor, id, csv, now);
                     const std::string object = "broadcast:" + std::to_string(id);
                     if (!r.ok()) {
                       if (!backoffice::IsRefusal(r.error())) return r.error();
                       if (auto s = Audit(db, c, now, "broadcast.upload", object, "broadcast",
                                          "refused: " + r.error().message);
                           !s.ok()) {
                         return s.error();
                       }
                       return http::ErrorResponse(r.error());
                     }
                     if (auto s = Audit(db, c, now, "broadcast.upload", object, "broadcast",
                                        "accepted=" + std::to_string(r.value().accepted));
                         !s.ok()) {
                       return s.error();
                     }
                     return Json(200, UploadJson(r.value()));
                   });
             });
  // The preview reads the whole audience: on the reader thread, so the writer every channel
  // commits through is not held; then one write stores it with its audit row.
  router.Add(
      "POST", "/api/v1/broadcasts/{id}/preview",
      [api, policy](http::Request req, http::Respond respond) {
        auto id = IdOf(req);
        if (!id.ok()) return respond(http::ErrorResponse(id.error()));
        api->AuthedRead(
            req, std::move(respond),
            [api, policy, id = id.value()](Db& db, const Caller& c,
                                           std::int64_t now) -> core::Result<http::Response> {
              auto b = broadcast::Load(db, c.actor, id);
              if (!b.ok()) return http::ErrorResponse(b.error());
              auto audience =
                  broadcast::ResolveAudience(db, b.value().audience, id, policy->delivery, now);
              if (!audience.ok()) {
                if (backoffice::IsRefusal(audience.error()))
                  return http::ErrorResponse(audience.error());
                return audience.error();
              }
              json preview = broadcast::PreviewOf(b.value(), audience.value(), *policy, now);
              std::promise<core::Status> saved;
              api->deps().store->Write(
                  [&](Db& wdb) -> core::Status {
                    auto q = wdb.Prepare(
                        "UPDATE broadcast SET preview = ?, preview_revision = revision "
                        "WHERE id = ? AND revision = ? AND state = 'draft'");
                    if (!q.ok()) return q.error();
                    q.value()->Bind(1, preview.dump()).Bind(2, id).Bind(3, b.value().revision);
                    if (auto s = q.value()->Run(); !s.ok()) return s;
                    return Audit(wdb, c, now, "broadcast.preview",
                                 "broadcast:" + std::to_string(id), "broadcast",
                                 "households=" + std::to_string(preview.value("households", 0)));
                  },
                  [&saved](core::Status s) { saved.set_value(std::move(s)); });
              if (auto s = saved.get_future().get(); !s.ok()) return s.error();
              return Json(200, preview);
            });
      });
  router.Add(
      "POST", "/api/v1/broadcasts/{id}/approve", [api](http::Request req, http::Respond respond) {
        auto id = IdOf(req);
        if (!id.ok()) return respond(http::ErrorResponse(id.error()));
        auto body = ParseBody(req);
        if (!body.ok()) return respond(http::ErrorResponse(body.error()));
        const json& b = body.value();
        if (!b.contains("revision") || !b.at("revision").is_number_integer() ||
            b.at("revision").get<std::int64_t>() < 1 ||
            b.at("revision").get<std::int64_t>() > 1'000'000) {
          return respond(http::ErrorResponse(
              MakeError(ErrorCode::kInvalidArgument, "revision: the revision you previewed")));
        }
        if (b.contains("accept_blockers") && !b.at("accept_blockers").is_boolean()) {
          return respond(http::ErrorResponse(
              MakeError(ErrorCode::kInvalidArgument, "accept_blockers: true or false")));
        }
        const int revision = static_cast<int>(b.at("revision").get<std::int64_t>());
        const bool accept = b.value("accept_blockers", false);
        api->Authed(
            req, std::move(respond),
            [api, id = id.value(), revision, accept](Db& db, const Caller& c, std::int64_t now) {
              auto out = Audited(db, c, now, "broadcast.approve", id,
                                 broadcast::Approve(db, c.actor, id, revision, accept, now));
              if (c.wake_broadcasts != nullptr) *c.wake_broadcasts = true;
              return out;
            });
      });
  MountChange(router, api, "pause", "broadcast.pause", broadcast::Pause);
  MountChange(router, api, "resume", "broadcast.resume", broadcast::Resume);
  MountChange(router, api, "cancel", "broadcast.cancel", broadcast::Cancel);
  MountChange(router, api, "resend", "broadcast.resend", broadcast::ResendFailed);
  // Per-recipient outcomes, masked; read like personal data: audited.
  router.Add(
      "GET", "/api/v1/broadcasts/{id}/recipients",
      [api, policy](http::Request req, http::Respond respond) {
        auto id = IdOf(req);
        if (!id.ok()) return respond(http::ErrorResponse(id.error()));
        static const std::set<std::string> kStates = {"",        "excluded",  "planned", "queued",
                                                      "sent",    "delivered", "read",    "failed",
                                                      "unknown", "cancelled"};
        if (!kStates.contains(req.QueryParam("state"))) {
          return respond(
              http::ErrorResponse(MakeError(ErrorCode::kInvalidArgument,
                                            "state: excluded, planned, queued, sent, delivered, "
                                            "read, failed, unknown or cancelled")));
        }
        auto after = IntParam(req, "after", 0, 0, INT64_MAX);
        auto limit = IntParam(req, "limit", 100, 1, 1000);
        if (!after.ok()) return respond(http::ErrorResponse(after.error()));
        if (!limit.ok()) return respond(http::ErrorResponse(limit.error()));
        api->Authed(req, std::move(respond),
                    [policy, id = id.value(), state = req.QueryParam("state"),
                     after = after.value(), limit = limit.value()](
                        Db& db, const Caller& c, std::int64_t now) -> core::Result<http::Response> {
                      auto b = broadcast::Load(db, c.actor, id);
                      if (!b.ok()) return http::ErrorResponse(b.error());
                      auto rows = broadcast::Outcomes(db, b.value(), *policy, state, after,
                                                      static_cast<int>(limit));
                      if (!rows.ok()) return rows.error();
                      if (auto s = Audit(db, c, now, "broadcast.recipients",
                                         "broadcast:" + std::to_string(id), "broadcast",
                                         "rows=" + std::to_string(rows.value().size()));
                          !s.ok()) {
                        return s.error();
                      }
                      json items = json::array();
                      for (const auto& o : rows.value()) {
                        items.push_back({{"row", o.row},
                                         {"household", o.household_kind},
                                         {"address", o.address_masked},
                                         {"channel", o.channel},
                                         {"kecamatan", o.kecamatan},
                                         {"state", o.state},
                                         {"reason", o.reason},
                                         {"sms_parts", o.parts},
                                         {"cost", o.cost}});
                      }
                      json next = nullptr;
                      if (static_cast<std::int64_t>(rows.value().size()) == limit) {
                        next = rows.value().back().row;
                      }
                      return Json(200, {{"items", std::move(items)}, {"next_after", next}});
                    });
      });
  router.Add(
      "GET", "/api/v1/broadcasts/{id}/report.csv",
      [api, policy](http::Request req, http::Respond respond) {
        auto id = IdOf(req);
        if (!id.ok()) return respond(http::ErrorResponse(id.error()));
        api->Authed(
            req, std::move(respond),
            [policy, id = id.value()](Db& db, const Caller& c,
                                      std::int64_t now) -> core::Result<http::Response> {
              auto b = broadcast::Load(db, c.actor, id);
              if (!b.ok()) return http::ErrorResponse(b.error());
              std::string out;
              std::int64_t after = 0;
              std::int64_t rows = 0;
              for (;;) {
                auto page = broadcast::Outcomes(db, b.value(), *policy, "", after, 5'000);
                if (!page.ok()) return page.error();
                out += OutcomesCsv(page.value(), after == 0);
                rows += static_cast<std::int64_t>(page.value().size());
                if (page.value().size() < 5'000) break;
                after = page.value().back().row;
              }
              if (auto s = Audit(db, c, now, "broadcast.report", "broadcast:" + std::to_string(id),
                                 "report", "rows=" + std::to_string(rows));
                  !s.ok()) {
                return s.error();
              }
              http::Response r = http::TextResponse(200, std::move(out), "text/csv; charset=utf-8");
              r.headers.emplace_back("Content-Disposition", "attachment; filename=\"siaran-" +
                                                                std::to_string(id) + ".csv\"");
              return r;
            });
      });
}

}  // namespace satupintu::api
