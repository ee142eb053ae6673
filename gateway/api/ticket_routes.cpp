// Tickets: the queue (GET /api/v1/tickets), the CSV export (GET /api/v1/tickets.csv), one ticket
// (GET /api/v1/tickets/{code}), its actions and notes, its history and its conversation. The
// workflow's rules (roles, region scope, claims) are decided by tickets:: and applied with their
// audit rows by backoffice::CaseService; this file turns requests and answers into JSON.

#include <map>
#include <string>
#include <vector>

#include "api/context.hpp"
#include "api/csv.hpp"
#include "citizens/citizens.hpp"
#include "regions/region_index.hpp"
#include "registry_io/encoding.hpp"

namespace satupintu::api {
namespace {

using core::ErrorCode;
using core::MakeError;
using storage::Db;
using tickets::Action;
using tickets::Actor;
using tickets::Case;

constexpr std::size_t kMaxNote = 2000;

json Summary(const ApiContext& api, const Case& c, const Caller& caller) {
  json referrals = json::array();
  for (const auto& r : c.view.referrals) {
    referrals.push_back(
        {{"programme", r.programme}, {"status", tickets::ReferralStatusName(r.status)}});
  }
  return {{"id", c.id},
          {"code", c.ticket.code},
          {"type", tickets::TypeName(c.ticket.type)},
          {"category", c.ticket.category},
          {"status", c.ticket.status},
          {"level", tickets::LevelName(c.view.level)},
          {"village_code", c.ticket.village_code},
          {"village_name", api.RegionName(c.ticket.village_code)},
          {"unplaced", !tickets::IsVillageCode(c.ticket.village_code)},
          {"claimed_by", c.view.claimed_by},
          {"claimed_by_me", c.view.claimed_by != 0 && c.view.claimed_by == caller.user.id},
          {"priority", tickets::PriorityName(c.view.priority)},
          {"sla", c.sla},
          {"opened_at_ms", c.ticket.created_at_ms},
          {"updated_at_ms", c.ticket.updated_at_ms},
          {"referrals", std::move(referrals)}};
}

// The actions the caller may take now: the workflow asked with a typical request for each, so
// the page shows only buttons that will work (the server decides again on the real request).
json AllowedActions(const Case& c, const Actor& actor) {
  json out = json::array();
  for (int i = 0; i <= static_cast<int>(Action::kPlace); ++i) {
    tickets::Request r;
    r.action = static_cast<Action>(i);
    switch (r.action) {
      case Action::kRefer:
        r.programmes = {"\x01probe"};
        break;
      case Action::kAnswer: {
        for (const auto& ref : c.view.referrals) {
          if (ref.status == tickets::ReferralStatus::kPending) r.programme = ref.programme;
        }
        if (r.programme.empty() && !c.view.referrals.empty()) {
          r.programme = c.view.referrals.front().programme;
        }
        // A programme manager answers their own programme's referral only.
        if (!actor.programme.empty()) r.programme = actor.programme;
        r.answer = tickets::ReferralStatus::kAccepted;
        break;
      }
      case Action::kClose:
        r.reason = tickets::CloseReason::kWithdrawn;
        break;
      case Action::kPlace:
        // A code of the right shape within the officer's region: the workflow's answer then
        // depends on the role and the state only.
        r.village_code = actor.region.size() == 5 ? actor.region + ".00" : actor.region + ".0000";
        break;
      case Action::kPrioritize:
        r.priority = c.view.priority == tickets::Priority::kNone ? tickets::Priority::kPregnant
                                                                 : tickets::Priority::kNone;
        break;
      default:
        break;
    }
    if (r.action == Action::kClaim && c.view.claimed_by == actor.user_id) continue;
    if (tickets::Decide(c.view, r, actor).ok()) out.push_back(tickets::ActionName(r.action));
  }
  return out;
}

json Detail(const ApiContext& api, Db& db, const Case& c, const tickets::Particulars& p,
            const Caller& caller) {
  json j = Summary(api, c, caller);
  j["description"] = p.description;
  j["close_reason"] = c.close_reason;
  j["household"] = p.household;
  auto language = citizens::LanguageOf(db, c.ticket.citizen_id);
  j["citizen"] = {{"name", p.name},
                  {"nik_masked", p.nik_masked},
                  {"kk_masked", p.kk_masked},
                  {"birth_date", p.birth_date},
                  {"language", language.ok() ? language.value().value_or("") : ""},
                  {"channel", c.ticket.channel}};
  json registry = json::parse(p.registry_snapshot, nullptr, false);
  j["registry"] = registry.is_object() ? registry : json::object();
  j["allowed_actions"] = AllowedActions(c, caller.actor);
  return j;
}

core::Result<tickets::QueueFilter> FilterOf(const http::Request& req) {
  tickets::QueueFilter f;
  if (const std::string s = req.QueryParam("status"); !s.empty()) {
    auto st = tickets::StatusFromName(s);
    if (!st.has_value()) return MakeError(ErrorCode::kInvalidArgument, "status: unknown");
    f.status = st.value();
  }
  if (const std::string l = req.QueryParam("level"); !l.empty()) {
    auto lv = tickets::LevelFromName(l);
    if (!lv.has_value()) return MakeError(ErrorCode::kInvalidArgument, "level: unknown");
    f.level = lv.value();
  }
  f.mine = QueryFlag(req, "mine");
  f.unclaimed = QueryFlag(req, "unclaimed");
  f.overdue = QueryFlag(req, "overdue");
  f.priority_only = QueryFlag(req, "priority");
  f.unplaced = QueryFlag(req, "unplaced");
  f.category = req.QueryParam("category");
  if (f.category.size() > 32) return MakeError(ErrorCode::kInvalidArgument, "category too long");
  auto after = IntParam(req, "after", 0, 0, INT64_MAX);
  if (!after.ok()) return after.error();
  f.after_id = after.value();
  auto limit = IntParam(req, "limit", 50, 1, 200);
  if (!limit.ok()) return limit.error();
  f.limit = static_cast<int>(limit.value());
  return f;
}

core::Result<http::Response> TicketRead(const ApiContext& api, Db& db, const Caller& caller,
                                        std::int64_t now, const std::string& code,
                                        const std::string& purpose) {
  // Audited even when unknown or out of region (a probe leaves a trace): that answer commits.
  auto c = backoffice::CaseService::ReadIn(db, code, OfficeCaller(caller, purpose), now);
  if (!c.ok()) {
    if (backoffice::IsRefusal(c.error())) return http::ErrorResponse(c.error());
    return c.error();
  }
  auto p = tickets::ReadParticulars(db, c.value());
  if (!p.ok()) return p.error();
  return Json(200, Detail(api, db, c.value(), p.value(), caller));
}

core::Result<tickets::Request> RequestOf(const json& body) {
  tickets::Request r;
  auto action = tickets::ActionFromName(StringField(body, "action"));
  if (!action.has_value()) {
    return MakeError(ErrorCode::kInvalidArgument, "action: one of the workflow's actions");
  }
  r.action = action.value();
  if (auto it = body.find("programmes"); it != body.end()) {
    if (!it->is_array() || it->size() > 20) {
      return MakeError(ErrorCode::kInvalidArgument, "programmes: an array of programme ids");
    }
    for (const auto& p : *it) {
      if (!p.is_string()) return MakeError(ErrorCode::kInvalidArgument, "programmes: strings");
      r.programmes.push_back(p.get<std::string>());
    }
  }
  r.programme = StringField(body, "programme");
  if (const std::string a = StringField(body, "answer"); !a.empty()) {
    auto answer = tickets::ReferralStatusFromName(a);
    if (!answer.has_value()) return MakeError(ErrorCode::kInvalidArgument, "answer: unknown");
    r.answer = answer.value();
  }
  if (const std::string reason = StringField(body, "reason"); !reason.empty()) {
    auto cr = tickets::CloseReasonFromName(reason);
    if (!cr.has_value()) return MakeError(ErrorCode::kInvalidArgument, "reason: unknown");
    r.reason = cr.value();
  }
  r.village_code = StringField(body, "village_code");
  if (body.contains("priority")) {
    auto pr = tickets::PriorityFromName(StringField(body, "priority"));
    if (!pr.has_value()) return MakeError(ErrorCode::kInvalidArgument, "priority: unknown");
    r.priority = pr.value();
  }
  return r;
}

core::Result<http::Response> TicketAction(const ApiContext& api, Db& db, const Caller& caller,
                                          std::int64_t now, const std::string& code,
                                          const json& body) {
  auto request = RequestOf(body);
  if (!request.ok()) return request.error();
  const std::string note = StringField(body, "note");
  if (note.size() > kMaxNote || !registry_io::IsValidUtf8(note)) {
    return MakeError(ErrorCode::kInvalidArgument, "note: at most 2000 bytes of UTF-8 text");
  }
  if (request.value().action == Action::kNote && note.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "note: the text is required");
  }
  if (request.value().action == Action::kPlace && api.deps().regions &&
      api.deps().regions->Find(request.value().village_code) == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "village_code: not a village or kecamatan of the region tree");
  }
  bool refused = false;
  auto result =
      api.deps().cases->ActIn(db, code, request.value(), OfficeCaller(caller, "case handling"),
                              note, now, caller.enqueued, &refused);
  if (!result.ok()) {
    // A refusal commits its audit row alone; anything else rolls the whole job back.
    if (refused) return http::ErrorResponse(result.error());
    return result.error();
  }
  const tickets::Outcome& outcome = result.value().outcome;
  auto p = tickets::ReadParticulars(db, outcome.after);
  if (!p.ok()) return p.error();
  return Json(200, Detail(api, db, outcome.after, p.value(), caller));
}

core::Result<http::Response> Export(const ApiContext& api, Db& db, const Caller& caller,
                                    std::int64_t now, const tickets::QueueFilter& filter) {
  std::string out =
      CsvRow({"code", "type", "category", "status", "level", "village_code", "village_name",
              "priority", "sla", "claimed_by", "opened_at", "updated_at", "referrals"});
  tickets::QueueFilter page = filter;
  page.limit = 200;
  std::int64_t rows = 0;
  while (rows < api.options().max_export_rows) {
    auto q = tickets::Queue(db, caller.actor, page);
    if (!q.ok()) return q.error();
    for (const auto& c : q.value()) {
      std::string referrals;
      for (const auto& r : c.view.referrals) {
        if (!referrals.empty()) referrals += ";";
        referrals += r.programme + ":" + tickets::ReferralStatusName(r.status);
      }
      out += CsvRow({c.ticket.code, tickets::TypeName(c.ticket.type), c.ticket.category,
                     c.ticket.status, tickets::LevelName(c.view.level), c.ticket.village_code,
                     api.RegionName(c.ticket.village_code), tickets::PriorityName(c.view.priority),
                     c.sla, std::to_string(c.view.claimed_by),
                     IsoTimestamp(c.ticket.created_at_ms, api.options().utc_offset_minutes),
                     IsoTimestamp(c.ticket.updated_at_ms, api.options().utc_offset_minutes),
                     referrals});
      ++rows;
    }
    if (static_cast<int>(q.value().size()) < page.limit) break;
    page.after_id = q.value().back().id;
  }
  if (auto s = Audit(db, caller, now, "ticket.export", "tickets:" + caller.actor.region, "report",
                     "rows=" + std::to_string(rows));
      !s.ok()) {
    return s.error();
  }
  http::Response r = http::TextResponse(200, std::move(out), "text/csv; charset=utf-8");
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"tiket.csv\"");
  return r;
}

core::Result<http::Response> Conversation(Db& db, const Caller& caller, std::int64_t now,
                                          const std::string& code, const std::string& purpose) {
  auto messages =
      backoffice::CaseService::ConversationIn(db, code, OfficeCaller(caller, purpose), now);
  if (!messages.ok()) {
    if (backoffice::IsRefusal(messages.error())) return http::ErrorResponse(messages.error());
    return messages.error();
  }
  json out = json::array();
  for (const auto& m : messages.value()) {
    json j = {
        {"at_ms", m.at_ms}, {"direction", m.direction}, {"channel", m.channel}, {"text", m.text}};
    if (m.direction == "out") j["state"] = m.state;
    out.push_back(std::move(j));
  }
  return Json(200, {{"messages", std::move(out)}});
}

// An officer's message to the ticket's citizen: 201 {"channel"} or the refusal (404 out of
// region, 403 role, 400 text, 409 cannot be reached).
core::Result<http::Response> SendMessage(const ApiContext& api, Db& db, const Caller& caller,
                                         std::int64_t now, const std::string& code,
                                         const json& body) {
  bool refused = false;
  auto sent = api.deps().cases->MessageIn(db, code, StringField(body, "text"),
                                          OfficeCaller(caller, "case handling"), now,
                                          caller.enqueued, &refused);
  if (!sent.ok()) {
    if (refused) return http::ErrorResponse(sent.error());
    return sent.error();
  }
  return Json(201, {{"channel", sent.value()}});
}

core::Result<http::Response> History(Db& db, const Caller& c, std::int64_t now,
                                     const std::string& code) {
  auto events = backoffice::CaseService::HistoryIn(db, code, OfficeCaller(c, "case handling"), now);
  if (!events.ok()) {
    if (backoffice::IsRefusal(events.error())) return http::ErrorResponse(events.error());
    return events.error();
  }
  std::map<std::int64_t, std::string> names;
  json out = json::array();
  for (const auto& e : events.value()) {
    json actor = nullptr;
    if (e.actor_id != 0) {
      if (!names.contains(e.actor_id)) {
        auto u = users::Get(db, e.actor_id);
        names[e.actor_id] =
            u.ok() && u.value().has_value() ? u.value()->display_name : std::string();
      }
      actor = {{"id", e.actor_id}, {"display_name", names[e.actor_id]}};
    }
    json detail = json::parse(e.detail, nullptr, false);
    out.push_back({{"at_ms", e.at_ms},
                   {"actor", actor},
                   {"action", e.action},
                   {"from", e.from_status},
                   {"to", e.to_status},
                   {"detail", detail.is_object() ? detail : json::object()}});
  }
  return Json(200, {{"events", std::move(out)}});
}

}  // namespace

void MountTicketRoutes(http::Router& router, const std::shared_ptr<ApiContext>& api) {
  router.Add("GET", "/api/v1/tickets", [api](const http::Request& req, http::Respond respond) {
    auto filter = FilterOf(req);
    if (!filter.ok()) return respond(http::ErrorResponse(filter.error()));
    api->AuthedRead(req, std::move(respond),
                    [api, f = filter.value()](Db& db, const Caller& c,
                                              std::int64_t) -> core::Result<http::Response> {
                      auto q = tickets::Queue(db, c.actor, f);
                      if (!q.ok()) return q.error();
                      json items = json::array();
                      for (const auto& t : q.value()) items.push_back(Summary(*api, t, c));
                      json next = nullptr;
                      if (static_cast<int>(q.value().size()) == f.limit) {
                        next = q.value().back().id;
                      }
                      return Json(200, {{"items", std::move(items)}, {"next_after", next}});
                    });
  });
  router.Add("GET", "/api/v1/tickets.csv", [api](const http::Request& req, http::Respond respond) {
    auto filter = FilterOf(req);
    if (!filter.ok()) return respond(http::ErrorResponse(filter.error()));
    api->Authed(req, std::move(respond),
                [api, f = filter.value()](Db& db, const Caller& c, std::int64_t now) {
                  return Export(*api, db, c, now, f);
                });
  });
  router.Add("GET", "/api/v1/tickets/{code}", [api](http::Request req, http::Respond respond) {
    auto purpose = PurposeOf(req);
    if (!purpose.ok()) return respond(http::ErrorResponse(purpose.error()));
    api->Authed(req, std::move(respond),
                [api, code = req.params["code"], purpose = purpose.value()](Db& db, const Caller& c,
                                                                            std::int64_t now) {
                  return TicketRead(*api, db, c, now, code, purpose);
                });
  });
  router.Add("POST", "/api/v1/tickets/{code}/actions",
             [api](http::Request req, http::Respond respond) {
               auto body = ParseBody(req);
               if (!body.ok()) return respond(http::ErrorResponse(body.error()));
               api->Authed(req, std::move(respond),
                           [api, code = req.params["code"], b = body.value()](
                               Db& db, const Caller& c, std::int64_t now) {
                             return TicketAction(*api, db, c, now, code, b);
                           });
             });
  router.Add(
      "POST", "/api/v1/tickets/{code}/notes", [api](http::Request req, http::Respond respond) {
        auto body = ParseBody(req);
        if (!body.ok()) return respond(http::ErrorResponse(body.error()));
        json b = {{"action", "note"}, {"note", StringField(body.value(), "text")}};
        api->Authed(req, std::move(respond),
                    [api, code = req.params["code"], b](
                        Db& db, const Caller& c, std::int64_t now) -> core::Result<http::Response> {
                      auto r = TicketAction(*api, db, c, now, code, b);
                      if (!r.ok()) return r.error();
                      if (r.value().status == 200) r.value().status = 201;
                      return r;
                    });
      });
  router.Add("POST", "/api/v1/tickets/{code}/messages",
             [api](http::Request req, http::Respond respond) {
               auto body = ParseBody(req);
               if (!body.ok()) return respond(http::ErrorResponse(body.error()));
               api->Authed(req, std::move(respond),
                           [api, code = req.params["code"], b = body.value()](
                               Db& db, const Caller& c, std::int64_t now) {
                             return SendMessage(*api, db, c, now, code, b);
                           });
             });
  router.Add("GET", "/api/v1/tickets/{code}/history",
             [api](http::Request req, http::Respond respond) {
               api->Authed(req, std::move(respond),
                           [code = req.params["code"]](Db& db, const Caller& c, std::int64_t now) {
                             return History(db, c, now, code);
                           });
             });
  router.Add("GET", "/api/v1/tickets/{code}/conversation",
             [api](http::Request req, http::Respond respond) {
               auto purpose = PurposeOf(req);
               if (!purpose.ok()) return respond(http::ErrorResponse(purpose.error()));
               api->Authed(req, std::move(respond),
                           [code = req.params["code"], purpose = purpose.value()](
                               Db& db, const Caller& c, std::int64_t now) {
                             return Conversation(db, c, now, code, purpose);
                           });
             });
}

}  // namespace satupintu::api
