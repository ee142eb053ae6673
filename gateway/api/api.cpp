#include "api/api.hpp"

#include <charconv>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "api/csv.hpp"
#include "api/gzip.hpp"
#include "audit/audit_log.hpp"
#include "citizens/citizens.hpp"
#include "core/hex.hpp"
#include "regions/region_index.hpp"
#include "registry_io/encoding.hpp"
#include "tickets/catalogue.hpp"
#include "tickets/reports.hpp"
#include "users/rate_limiter.hpp"

namespace satupintu::api {
namespace {

using core::ErrorCode;
using core::MakeError;
using nlohmann::json;
using storage::Db;
using tickets::Action;
using tickets::Actor;
using tickets::Case;
using tickets::Role;

constexpr std::size_t kMaxBody = std::size_t{16} * 1024;
constexpr std::size_t kMaxNote = 2000;
constexpr std::size_t kMaxPurpose = 100;

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

http::Response Json(int status, const json& j) { return http::JsonResponse(status, Dump(j)); }

http::Response TooMany(int retry_after_seconds) {
  http::Response r = http::JsonResponse(
      429, R"({"error":{"code":"rate_limited","message":"too many requests; retry later"}})");
  r.headers.emplace_back("Retry-After", std::to_string(std::max(retry_after_seconds, 1)));
  return r;
}

std::string BearerOf(const http::Request& req) {
  const std::string_view h = req.Header("authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (h.size() <= kPrefix.size() || h.substr(0, kPrefix.size()) != kPrefix) return {};
  return std::string(h.substr(kPrefix.size()));
}

core::Result<json> ParseBody(const http::Request& req) {
  if (req.body.size() > kMaxBody) {
    return MakeError(ErrorCode::kInvalidArgument, "request body too large");
  }
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "the body must be a JSON object");
  }
  return body;
}

std::string StringField(const json& body, const char* name) {
  auto it = body.find(name);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

core::Result<std::int64_t> IntParam(const http::Request& req, std::string_view name,
                                    std::int64_t fallback, std::int64_t min, std::int64_t max) {
  const std::string text = req.QueryParam(name);
  if (text.empty()) return fallback;
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(name) + ": an integer out of range");
  }
  return v;
}

// The purpose of access a read is audited with (the page sends the session's choice).
core::Result<std::string> PurposeOf(const http::Request& req) {
  std::string purpose = req.QueryParam("purpose");
  if (purpose.empty()) purpose = "case handling";
  if (purpose.size() > kMaxPurpose || !registry_io::IsValidUtf8(purpose)) {
    return MakeError(ErrorCode::kInvalidArgument, "purpose: at most 100 bytes of text");
  }
  return purpose;
}

bool Flag(const http::Request& req, std::string_view name) {
  const std::string v = req.QueryParam(name);
  return v == "1" || v == "true";
}

// Who is calling, once the token checked out.
struct Caller {
  users::User user;
  Actor actor;
  std::string ip;
  backoffice::Enqueued* enqueued = nullptr;  // channels to wake once the job committed
};

backoffice::Caller OfficeCaller(const Caller& c, std::string purpose) {
  return {c.actor, std::move(purpose), c.ip};
}

core::Status Audit(Db& db, const audit::Entry& e) {
  auto appended = audit::Append(db, e);
  if (!appended.ok()) return appended.error();
  return {};
}

audit::Entry AuditOf(const Caller& c, std::int64_t now, std::string action, std::string object,
                     std::string purpose, std::string outcome) {
  audit::Entry e;
  e.at_ms = now;
  e.actor = "user:" + std::to_string(c.user.id);
  e.action = std::move(action);
  e.object = std::move(object);
  e.purpose = std::move(purpose);
  e.ip = c.ip;
  e.outcome = std::move(outcome);
  return e;
}

class Api : public std::enable_shared_from_this<Api> {
 public:
  Api(ApiDeps deps, ApiOptions options)
      : deps_(std::move(deps)),
        options_(std::move(options)),
        per_ip_(options_.requests_per_minute_per_ip, std::chrono::seconds(60)),
        per_token_(options_.requests_per_minute_per_token, std::chrono::seconds(60)),
        logins_(options_.login_attempts_per_15_min, std::chrono::minutes(15)) {}

  void Mount(http::Router& router);

 private:
  // What a job answers, and what to do once it committed (wake the senders it queued for).
  struct Done {
    http::Response response;
    backoffice::Enqueued enqueued;
  };
  using Body = std::function<core::Result<http::Response>(Db&, const Caller&, std::int64_t now)>;

  std::int64_t Now() const {
    if (deps_.now_ms) return deps_.now_ms();
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  // Token and limits; false when `respond` was already called with the refusal.
  bool Admit(const http::Request& req, const std::string& token, const http::Respond& respond);
  // Token, limits, then `body` in one write job; answers after the commit.
  void Authed(const http::Request& req, http::Respond respond, Body body);
  // The same for what neither changes nor audits anything (queues, reports, the catalogue):
  // on the store's reader thread, so a regency report never holds up the writer every channel
  // commits through. The token's last use is recorded by a write of its own when due.
  void AuthedRead(const http::Request& req, http::Respond respond, Body body);

  void Login(const http::Request& req, http::Respond respond);
  void Logout(const http::Request& req, http::Respond respond);

  std::string VillageName(const std::string& code) const;
  json Summary(const Case& c, const Caller& caller) const;
  json Detail(Db& db, const Case& c, const tickets::Particulars& p, const Caller& caller) const;
  static core::Result<tickets::QueueFilter> FilterOf(const http::Request& req);
  core::Result<http::Response> TicketRead(Db& db, const Caller& caller, std::int64_t now,
                                          const std::string& code, const std::string& purpose);
  core::Result<http::Response> TicketAction(Db& db, const Caller& caller, std::int64_t now,
                                            const std::string& code, const json& body);
  core::Result<http::Response> Export(Db& db, const Caller& caller, std::int64_t now,
                                      const tickets::QueueFilter& filter);
  static core::Result<http::Response> Conversation(Db& db, const Caller& caller, std::int64_t now,
                                                   const std::string& code,
                                                   const std::string& purpose);
  core::Result<http::Response> Report(Db& db, const Caller& caller, const std::string& name,
                                      const http::Request& req);

  ApiDeps deps_;
  ApiOptions options_;
  users::RateLimiter per_ip_;
  users::RateLimiter per_token_;
  users::RateLimiter logins_;
};

// Queues and reports for a client that accepts gzip: a page of 20 tickets is 6 KB of JSON,
// 1.3 KB compressed, 50 ms less on 3G. Compressed on the reader thread that made the answer
// (a middle level: the answer is made once); small answers are not worth a header.
void Compress(http::Response& r) {
  if (r.body.size() < 1024) return;
  std::string gz = Gzip(r.body, 6);
  if (gz.empty()) return;
  r.body = std::move(gz);
  r.headers.emplace_back("Content-Encoding", "gzip");
  r.headers.emplace_back("Vary", "Accept-Encoding");
}

bool Api::Admit(const http::Request& req, const std::string& token, const http::Respond& respond) {
  if (token.empty()) {
    respond(http::ErrorResponse(MakeError(ErrorCode::kUnauthenticated, "missing bearer token")));
    return false;
  }
  const auto now_tp = std::chrono::steady_clock::now();
  if (auto d = per_ip_.Allow("ip:" + req.remote_address, now_tp); !d.allowed) {
    respond(TooMany(d.retry_after_seconds));
    return false;
  }
  const std::string token_hash = users::TokenHash(token);
  if (auto d = per_token_.Allow("token:" + core::HexLower(token_hash).substr(0, 16), now_tp);
      !d.allowed) {
    respond(TooMany(d.retry_after_seconds));
    return false;
  }
  return true;
}

void Api::AuthedRead(const http::Request& req, http::Respond respond, Body body) {
  const std::string token = BearerOf(req);
  if (!Admit(req, token, respond)) return;
  auto self = shared_from_this();
  deps_.store->Read([self, token, ip = req.remote_address, body = std::move(body),
                     gzip = AcceptsGzip(req.Header("accept-encoding")),
                     respond = std::move(respond)](Db* db, const core::Error* error) {
    if (db == nullptr) return respond(http::ErrorResponse(*error));
    const std::int64_t now = self->Now();
    auto auth = users::Authenticate(*db, token, now);
    if (!auth.ok()) return respond(http::ErrorResponse(auth.error()));
    if (auth.value().touch_due) {
      self->deps_.store->Write(
          [hash = auth.value().token_hash, now](Db& wdb) { return users::Touch(wdb, hash, now); },
          [](const core::Status&) {});
    }
    Caller caller{auth.value().user, users::ActorOf(auth.value().user), ip, nullptr};
    auto r = body(*db, caller, now);
    if (!r.ok()) return respond(http::ErrorResponse(r.error()));
    if (gzip) Compress(r.value());
    respond(std::move(r).value());
  });
}

void Api::Authed(const http::Request& req, http::Respond respond, Body body) {
  const std::string token = BearerOf(req);
  if (!Admit(req, token, respond)) return;
  auto out = std::make_shared<Done>();
  auto self = shared_from_this();
  deps_.store->Write(
      [self, out, token, ip = req.remote_address, body = std::move(body)](Db& db) -> core::Status {
        const std::int64_t now = self->Now();
        auto auth = users::Authenticate(db, token, now);
        if (!auth.ok()) return auth.error();
        if (auth.value().touch_due) {
          if (auto s = users::Touch(db, auth.value().token_hash, now); !s.ok()) return s;
        }
        Caller caller{auth.value().user, users::ActorOf(auth.value().user), ip, &out->enqueued};
        auto r = body(db, caller, now);
        if (!r.ok()) return r.error();
        out->response = std::move(r).value();
        return {};
      },
      [self, out, respond = std::move(respond)](const core::Status& s) {
        if (!s.ok()) return respond(http::ErrorResponse(s.error()));
        if (!out->enqueued.empty()) self->deps_.cases->Wake(out->enqueued);
        respond(std::move(out->response));
      });
}

json UserJson(const users::User& u, const std::string& region_name) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"role", tickets::RoleName(u.role)},
          {"region", u.region},
          {"region_name", region_name},
          {"language", u.language}};
}

void Api::Login(const http::Request& req, http::Respond respond) {
  if (auto d = logins_.Allow("login:" + req.remote_address, std::chrono::steady_clock::now());
      !d.allowed) {
    return respond(TooMany(d.retry_after_seconds));
  }
  auto body = ParseBody(req);
  if (!body.ok()) return respond(http::ErrorResponse(body.error()));
  std::string username = StringField(body.value(), "username");
  std::string password = StringField(body.value(), "password");
  if (username.empty() || password.empty() || username.size() > 64 || password.size() > 256) {
    return respond(http::ErrorResponse(users::LoginRefused()));
  }
  auto self = shared_from_this();
  // 1. the account, on the reader thread; 2. scrypt there too (never on the writer, which
  // every channel shares); 3. the outcome, the token and the audit row in one write.
  deps_.store->Read([self, username, password, ip = req.remote_address,
                     respond = std::move(respond)](Db* db, const core::Error* error) mutable {
    if (db == nullptr) return respond(http::ErrorResponse(*error));
    auto candidate = users::FindLoginCandidate(*db, username);
    if (!candidate.ok()) return respond(http::ErrorResponse(candidate.error()));
    auto check = users::CheckPassword(candidate.value(), password, self->options_.login.scrypt);
    auto result = std::make_shared<users::LoginResult>();
    self->deps_.store->Write(
        [self, result, candidate = candidate.value(), check, ip](Db& wdb) -> core::Status {
          const std::int64_t now = self->Now();
          auto r = users::FinishLogin(wdb, candidate, check, now, self->options_.login);
          if (!r.ok()) return r.error();
          *result = std::move(r).value();
          audit::Entry e;
          e.at_ms = now;
          e.actor = "user:" + std::to_string(result->user_id);
          e.action = "user.login";
          e.object = "user:" + std::to_string(result->user_id);
          e.purpose = "sign in";
          e.ip = ip;
          e.outcome = users::LoginOutcomeName(result->outcome);
          auto appended = audit::Append(wdb, e);
          if (!appended.ok()) return appended.error();
          return {};
        },
        [self, result, respond = std::move(respond)](const core::Status& s) {
          if (!s.ok()) return respond(http::ErrorResponse(s.error()));
          if (result->outcome != users::LoginOutcome::kOk) {
            return respond(http::ErrorResponse(users::LoginRefused()));
          }
          const auto& session = result->session;
          respond(Json(200,
                       {{"token", session.token},
                        {"expires_at_ms", session.expires_at_ms},
                        {"user", UserJson(session.user, self->VillageName(session.user.region))}}));
        });
  });
}

void Api::Logout(const http::Request& req, http::Respond respond) {
  const std::string token = BearerOf(req);
  Authed(req, std::move(respond),
         [token](Db& db, const Caller& c, std::int64_t now) -> core::Result<http::Response> {
           if (auto s = users::Revoke(db, token, now); !s.ok()) return s.error();
           if (auto s = Audit(db, AuditOf(c, now, "user.logout",
                                          "user:" + std::to_string(c.user.id), "sign out", "ok"));
               !s.ok()) {
             return s.error();
           }
           http::Response r;
           r.status = 204;
           return r;
         });
}

std::string Api::VillageName(const std::string& code) const {
  if (!deps_.regions) return {};
  const auto* r = deps_.regions->Find(code);
  return r == nullptr ? std::string() : r->name;
}

json Api::Summary(const Case& c, const Caller& caller) const {
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
          {"village_name", VillageName(c.ticket.village_code)},
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
  for (int i = 0; i <= static_cast<int>(Action::kPrioritize); ++i) {
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
        r.answer = tickets::ReferralStatus::kAccepted;
        break;
      }
      case Action::kClose:
        r.reason = tickets::CloseReason::kWithdrawn;
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

json Api::Detail(Db& db, const Case& c, const tickets::Particulars& p, const Caller& caller) const {
  json j = Summary(c, caller);
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

core::Result<tickets::QueueFilter> Api::FilterOf(const http::Request& req) {
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
  f.mine = Flag(req, "mine");
  f.unclaimed = Flag(req, "unclaimed");
  f.overdue = Flag(req, "overdue");
  f.priority_only = Flag(req, "priority");
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

core::Result<http::Response> Api::TicketRead(Db& db, const Caller& caller, std::int64_t now,
                                             const std::string& code, const std::string& purpose) {
  // Audited even when unknown or out of region (a probe leaves a trace): that answer commits.
  auto c = backoffice::CaseService::ReadIn(db, code, OfficeCaller(caller, purpose), now);
  if (!c.ok()) {
    if (backoffice::IsRefusal(c.error())) return http::ErrorResponse(c.error());
    return c.error();
  }
  auto p = tickets::ReadParticulars(db, c.value());
  if (!p.ok()) return p.error();
  return Json(200, Detail(db, c.value(), p.value(), caller));
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
  if (body.contains("priority")) {
    auto pr = tickets::PriorityFromName(StringField(body, "priority"));
    if (!pr.has_value()) return MakeError(ErrorCode::kInvalidArgument, "priority: unknown");
    r.priority = pr.value();
  }
  return r;
}

core::Result<http::Response> Api::TicketAction(Db& db, const Caller& caller, std::int64_t now,
                                               const std::string& code, const json& body) {
  auto request = RequestOf(body);
  if (!request.ok()) return request.error();
  const std::string note = StringField(body, "note");
  if (note.size() > kMaxNote || !registry_io::IsValidUtf8(note)) {
    return MakeError(ErrorCode::kInvalidArgument, "note: at most 2000 bytes of UTF-8 text");
  }
  if (request.value().action == Action::kNote && note.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "note: the text is required");
  }
  bool refused = false;
  auto result = deps_.cases->ActIn(db, code, request.value(), OfficeCaller(caller, "case handling"),
                                   note, now, caller.enqueued, &refused);
  if (!result.ok()) {
    // A refusal commits its audit row alone; anything else rolls the whole job back.
    if (refused) return http::ErrorResponse(result.error());
    return result.error();
  }
  const tickets::Outcome& outcome = result.value().outcome;
  auto p = tickets::ReadParticulars(db, outcome.after);
  if (!p.ok()) return p.error();
  return Json(200, Detail(db, outcome.after, p.value(), caller));
}

core::Result<http::Response> Api::Export(Db& db, const Caller& caller, std::int64_t now,
                                         const tickets::QueueFilter& filter) {
  std::string out =
      CsvRow({"code", "type", "category", "status", "level", "village_code", "village_name",
              "priority", "sla", "claimed_by", "opened_at", "updated_at", "referrals"});
  tickets::QueueFilter page = filter;
  page.limit = 200;
  std::int64_t rows = 0;
  while (rows < options_.max_export_rows) {
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
                     VillageName(c.ticket.village_code), tickets::PriorityName(c.view.priority),
                     c.sla, std::to_string(c.view.claimed_by),
                     IsoTimestamp(c.ticket.created_at_ms, options_.utc_offset_minutes),
                     IsoTimestamp(c.ticket.updated_at_ms, options_.utc_offset_minutes), referrals});
      ++rows;
    }
    if (static_cast<int>(q.value().size()) < page.limit) break;
    page.after_id = q.value().back().id;
  }
  if (auto s = Audit(db, AuditOf(caller, now, "ticket.export", "tickets:" + caller.actor.region,
                                 "report", "rows=" + std::to_string(rows)));
      !s.ok()) {
    return s.error();
  }
  http::Response r = http::TextResponse(200, std::move(out), "text/csv; charset=utf-8");
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"tiket.csv\"");
  return r;
}

core::Result<http::Response> Api::Conversation(Db& db, const Caller& caller, std::int64_t now,
                                               const std::string& code,
                                               const std::string& purpose) {
  // Audited with the caller's purpose, also for an unknown or out-of-region code (a probe
  // leaves a trace, as for the ticket and its history): that answer commits its row.
  auto c = tickets::Get(db, code, caller.actor);
  if (!c.ok()) {
    if (!backoffice::IsRefusal(c.error())) return c.error();
    if (auto s = Audit(db, AuditOf(caller, now, "ticket.conversation", "ticket:" + code, purpose,
                                   backoffice::OutcomeName(c.error().code)));
        !s.ok()) {
      return s.error();
    }
    return http::ErrorResponse(c.error());
  }
  auto p = tickets::ReadParticulars(db, c.value());
  if (!p.ok()) return p.error();
  json messages = json::array();
  // What the citizen wrote when the ticket opened, then every message we sent them since.
  messages.push_back({{"at_ms", c.value().ticket.created_at_ms},
                      {"direction", "in"},
                      {"channel", c.value().ticket.channel},
                      {"text", p.value().description}});
  auto q = db.Prepare(
      "SELECT m.created_at_ms, m.channel, group_concat(pt.text, ''),"
      " MIN(pt.state) FROM outbox_message m JOIN outbox_part pt ON pt.message_id = m.id"
      " WHERE m.address IN (SELECT address FROM citizen_address WHERE citizen_id = ?1)"
      " AND m.created_at_ms >= ?2 GROUP BY m.id ORDER BY m.id LIMIT 200");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, c.value().ticket.citizen_id).Bind(2, c.value().ticket.created_at_ms);
  auto rows = storage::ForEachRow(db, *q.value(), "conversation", [&](storage::Stmt& r) {
    messages.push_back({{"at_ms", r.ColumnInt(0)},
                        {"direction", "out"},
                        {"channel", r.ColumnText(1)},
                        {"text", r.ColumnText(2)},
                        {"state", r.ColumnText(3)}});
  });
  if (!rows.ok()) return rows.error();
  if (auto s =
          Audit(db, AuditOf(caller, now, "ticket.conversation", "ticket:" + code, purpose, "ok"));
      !s.ok()) {
    return s.error();
  }
  return Json(200, {{"messages", std::move(messages)}});
}

core::Result<http::Response> Api::Report(Db& db, const Caller& caller, const std::string& name,
                                         const http::Request& req) {
  tickets::Period period;
  auto from = IntParam(req, "from_ms", 0, 0, INT64_MAX);
  auto to = IntParam(req, "to_ms", INT64_MAX, 0, INT64_MAX);
  if (!from.ok()) return from.error();
  if (!to.ok()) return to.error();
  period.from_ms = from.value();
  period.to_ms = to.value();
  const std::string& region = caller.actor.region;
  const std::int64_t offset_ms = std::int64_t{options_.utc_offset_minutes} * 60'000;
  if (name == "weekly") {
    auto weeks = IntParam(req, "weeks", 12, 1, 104);
    if (!weeks.ok()) return weeks.error();
    if (req.QueryParam("from_ms").empty()) {
      // Whole weeks: this one and the N - 1 before it.
      period.from_ms = tickets::WeekStartMs(Now(), static_cast<int>(weeks.value()) - 1,
                                            options_.utc_offset_minutes);
    }
    auto rows = tickets::TicketsPerWeek(db, region, period, options_.utc_offset_minutes);
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
                     {"kecamatan_name", VillageName(r.kecamatan_code)},
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
    return Json(200, {{"responses", ikm.value().responses},
                      {"average", ikm.value().average},
                      {"ikm", ikm.value().index},
                      {"by_rating", std::move(by)}});
  }
  if (name == "yearly") {
    auto year = IntParam(req, "year", 0, 2000, 2100);
    if (!year.ok()) return year.error();
    namespace chr = std::chrono;
    int y = static_cast<int>(year.value());
    if (y == 0) {
      const chr::sys_days today = chr::floor<chr::days>(
          chr::sys_time<chr::milliseconds>(chr::milliseconds(Now() + offset_ms)));
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

void Api::Mount(http::Router& router) {
  auto self = shared_from_this();
  router.Add("POST", "/api/v1/session", [self](const http::Request& req, http::Respond respond) {
    self->Login(req, std::move(respond));
  });
  router.Add("DELETE", "/api/v1/session", [self](const http::Request& req, http::Respond respond) {
    self->Logout(req, std::move(respond));
  });
  router.Add("GET", "/api/v1/me", [self](const http::Request& req, http::Respond respond) {
    self->AuthedRead(req, std::move(respond),
                     [self](Db&, const Caller& c, std::int64_t) -> core::Result<http::Response> {
                       return Json(200, UserJson(c.user, self->VillageName(c.user.region)));
                     });
  });
  router.Add("GET", "/api/v1/tickets", [self](const http::Request& req, http::Respond respond) {
    auto filter = FilterOf(req);
    if (!filter.ok()) return respond(http::ErrorResponse(filter.error()));
    self->AuthedRead(req, std::move(respond),
                     [self, f = filter.value()](Db& db, const Caller& c,
                                                std::int64_t) -> core::Result<http::Response> {
                       auto q = tickets::Queue(db, c.actor, f);
                       if (!q.ok()) return q.error();
                       json items = json::array();
                       for (const auto& t : q.value()) items.push_back(self->Summary(t, c));
                       json next = nullptr;
                       if (static_cast<int>(q.value().size()) == f.limit)
                         next = q.value().back().id;
                       return Json(200, {{"items", std::move(items)}, {"next_after", next}});
                     });
  });
  router.Add("GET", "/api/v1/tickets.csv", [self](const http::Request& req, http::Respond respond) {
    auto filter = FilterOf(req);
    if (!filter.ok()) return respond(http::ErrorResponse(filter.error()));
    self->Authed(req, std::move(respond),
                 [self, f = filter.value()](Db& db, const Caller& c, std::int64_t now) {
                   return self->Export(db, c, now, f);
                 });
  });
  router.Add("GET", "/api/v1/tickets/{code}", [self](http::Request req, http::Respond respond) {
    auto purpose = PurposeOf(req);
    if (!purpose.ok()) return respond(http::ErrorResponse(purpose.error()));
    self->Authed(req, std::move(respond),
                 [self, code = req.params["code"], purpose = purpose.value()](
                     Db& db, const Caller& c, std::int64_t now) {
                   return self->TicketRead(db, c, now, code, purpose);
                 });
  });
  router.Add("POST", "/api/v1/tickets/{code}/actions",
             [self](http::Request req, http::Respond respond) {
               auto body = ParseBody(req);
               if (!body.ok()) return respond(http::ErrorResponse(body.error()));
               self->Authed(req, std::move(respond),
                            [self, code = req.params["code"], b = body.value()](
                                Db& db, const Caller& c, std::int64_t now) {
                              return self->TicketAction(db, c, now, code, b);
                            });
             });
  router.Add("POST", "/api/v1/tickets/{code}/notes",
             [self](http::Request req, http::Respond respond) {
               auto body = ParseBody(req);
               if (!body.ok()) return respond(http::ErrorResponse(body.error()));
               json b = {{"action", "note"}, {"note", StringField(body.value(), "text")}};
               self->Authed(
                   req, std::move(respond),
                   [self, code = req.params["code"], b](
                       Db& db, const Caller& c, std::int64_t now) -> core::Result<http::Response> {
                     auto r = self->TicketAction(db, c, now, code, b);
                     if (!r.ok()) return r.error();
                     if (r.value().status == 200) r.value().status = 201;
                     return r;
                   });
             });
  router.Add(
      "GET", "/api/v1/tickets/{code}/history", [self](http::Request req, http::Respond respond) {
        self->Authed(req, std::move(respond),
                     [code = req.params["code"]](Db& db, const Caller& c,
                                                 std::int64_t now) -> core::Result<http::Response> {
                       auto events = backoffice::CaseService::HistoryIn(
                           db, code, OfficeCaller(c, "case handling"), now);
                       if (!events.ok()) {
                         if (backoffice::IsRefusal(events.error())) {
                           return http::ErrorResponse(events.error());
                         }
                         return events.error();
                       }
                       std::map<std::int64_t, std::string> names;
                       json out = json::array();
                       for (const auto& e : events.value()) {
                         json actor = nullptr;
                         if (e.actor_id != 0) {
                           if (!names.contains(e.actor_id)) {
                             auto u = users::Get(db, e.actor_id);
                             names[e.actor_id] = u.ok() && u.value().has_value()
                                                     ? u.value()->display_name
                                                     : std::string();
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
                     });
      });
  router.Add("GET", "/api/v1/tickets/{code}/conversation",
             [self](http::Request req, http::Respond respond) {
               auto purpose = PurposeOf(req);
               if (!purpose.ok()) return respond(http::ErrorResponse(purpose.error()));
               self->Authed(req, std::move(respond),
                            [code = req.params["code"], purpose = purpose.value()](
                                Db& db, const Caller& c, std::int64_t now) {
                              return Conversation(db, c, now, code, purpose);
                            });
             });
  router.Add("GET", "/api/v1/programmes", [self](const http::Request& req, http::Respond respond) {
    const bool all = Flag(req, "all");
    self->AuthedRead(req, std::move(respond),
                     [all](Db& db, const Caller&, std::int64_t) -> core::Result<http::Response> {
                       auto list = tickets::Programmes(db, all);
                       if (!list.ok()) return list.error();
                       json items = json::array();
                       for (const auto& p : list.value()) {
                         items.push_back({{"id", p.id},
                                          {"name", p.name},
                                          {"short_name", p.short_name},
                                          {"active", p.active}});
                       }
                       return Json(200, {{"items", std::move(items)}});
                     });
  });
  router.Add("GET", "/api/v1/users", [self](const http::Request& req, http::Respond respond) {
    self->AuthedRead(req, std::move(respond),
                     [self](Db& db, const Caller& c, std::int64_t) -> core::Result<http::Response> {
                       if (c.user.role != Role::kAdmin && c.user.role != Role::kManager) {
                         return MakeError(ErrorCode::kPermissionDenied,
                                          "only administrators and managers list users");
                       }
                       auto list = users::List(db, c.user.region);
                       if (!list.ok()) return list.error();
                       json items = json::array();
                       for (const auto& u : list.value()) {
                         json j = UserJson(u, self->VillageName(u.region));
                         j["disabled"] = u.disabled();
                         j["phone_masked"] = u.phone_masked;
                         items.push_back(std::move(j));
                       }
                       return Json(200, {{"items", std::move(items)}});
                     });
  });
  router.Add("POST", "/api/v1/users", [self](const http::Request& req, http::Respond respond) {
    auto body = ParseBody(req);
    if (!body.ok()) return respond(http::ErrorResponse(body.error()));
    self->Authed(
        req, std::move(respond),
        [self, b = body.value()](Db& db, const Caller& c,
                                 std::int64_t now) -> core::Result<http::Response> {
          if (c.user.role != Role::kAdmin) {
            return MakeError(ErrorCode::kPermissionDenied, "only administrators create users");
          }
          users::NewUser nu;
          nu.username = StringField(b, "username");
          nu.display_name = StringField(b, "display_name");
          nu.role = StringField(b, "role");
          nu.region = StringField(b, "region");
          nu.language = StringField(b, "language");
          if (nu.language.empty()) nu.language = "id";
          nu.password = StringField(b, "password");
          nu.phone = StringField(b, "phone");
          if (!tickets::RegionContains(c.user.region, nu.region)) {
            return MakeError(ErrorCode::kPermissionDenied,
                             "the new user's region must lie within yours");
          }
          auto u = users::Create(db, nu, self->options_.users_key, now);
          if (!u.ok()) return u.error();
          if (auto s =
                  Audit(db, AuditOf(c, now, "user.create", "user:" + std::to_string(u.value().id),
                                    "administration", "created"));
              !s.ok()) {
            return s.error();
          }
          return Json(201, UserJson(u.value(), self->VillageName(u.value().region)));
        });
  });
  router.Add("GET", "/api/v1/reports/{name}",
             [self](const http::Request& req, http::Respond respond) {
               self->AuthedRead(req, std::move(respond),
                                [self, req](Db& db, const Caller& c, std::int64_t) {
                                  return self->Report(db, c, req.params.at("name"), req);
                                });
             });
}

}  // namespace

void AddApiRoutes(http::Router& router, ApiDeps deps, ApiOptions options) {
  std::make_shared<Api>(std::move(deps), std::move(options))->Mount(router);
}

}  // namespace satupintu::api
