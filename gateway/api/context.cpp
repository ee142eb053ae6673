#include "api/context.hpp"

#include <charconv>
#include <chrono>

#include "api/gzip.hpp"
#include "core/hex.hpp"
#include "regions/region_index.hpp"
#include "registry_io/encoding.hpp"

namespace satupintu::api {

using core::ErrorCode;
using core::MakeError;
using storage::Db;

namespace {

constexpr std::size_t kMaxBody = std::size_t{16} * 1024;
constexpr std::size_t kMaxPurpose = 100;

// What a write job answers, and what to do once it committed (wake the senders it queued for).
struct Done {
  http::Response response;
  backoffice::Enqueued enqueued;
  bool wake_broadcasts = false;
};

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

http::Response TooMany(int retry_after_seconds) {
  http::Response r = http::JsonResponse(
      429, R"({"error":{"code":"rate_limited","message":"too many requests; retry later"}})");
  r.headers.emplace_back("Retry-After", std::to_string(std::max(retry_after_seconds, 1)));
  return r;
}

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

}  // namespace

std::string BearerOf(const http::Request& req) {
  const std::string_view h = req.Header("authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (h.size() <= kPrefix.size() || h.substr(0, kPrefix.size()) != kPrefix) return {};
  return std::string(h.substr(kPrefix.size()));
}

http::Response Json(int status, const json& j) { return http::JsonResponse(status, Dump(j)); }

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

bool QueryFlag(const http::Request& req, std::string_view name) {
  const std::string v = req.QueryParam(name);
  return v == "1" || v == "true";
}

backoffice::Caller OfficeCaller(const Caller& c, std::string purpose) {
  return {c.actor, std::move(purpose), c.ip};
}

core::Status Audit(Db& db, const Caller& c, std::int64_t now, std::string action,
                   std::string object, std::string purpose, std::string outcome) {
  audit::Entry e;
  e.at_ms = now;
  e.actor = "user:" + std::to_string(c.user.id);
  e.action = std::move(action);
  e.object = std::move(object);
  e.purpose = std::move(purpose);
  e.ip = c.ip;
  e.outcome = std::move(outcome);
  auto appended = audit::Append(db, e);
  if (!appended.ok()) return appended.error();
  return {};
}

json UserJson(const users::User& u, const std::string& region_name) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"role", tickets::RoleName(u.role)},
          {"region", u.region},
          {"region_name", region_name},
          {"language", u.language},
          {"programme", u.programme}};
}

ApiContext::ApiContext(ApiDeps deps, ApiOptions options)
    : deps_(std::move(deps)),
      options_(std::move(options)),
      per_ip_(options_.requests_per_minute_per_ip, std::chrono::seconds(60)),
      per_token_(options_.requests_per_minute_per_token, std::chrono::seconds(60)),
      logins_(options_.login_attempts_per_15_min, std::chrono::minutes(15)) {}

std::int64_t ApiContext::Now() const {
  if (deps_.now_ms) return deps_.now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string ApiContext::RegionName(const std::string& code) const {
  if (!deps_.regions) return {};
  const auto* r = deps_.regions->Find(code);
  return r == nullptr ? std::string() : r->name;
}

bool ApiContext::AdmitLogin(const http::Request& req, const http::Respond& respond) {
  if (auto d = logins_.Allow("login:" + req.remote_address, std::chrono::steady_clock::now());
      !d.allowed) {
    respond(TooMany(d.retry_after_seconds));
    return false;
  }
  return true;
}

bool ApiContext::Admit(const http::Request& req, const std::string& token,
                       const http::Respond& respond) {
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

void ApiContext::AuthedRead(const http::Request& req, http::Respond respond, Body body) {
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
    Caller caller{auth.value().user, users::ActorOf(auth.value().user), ip, nullptr, nullptr};
    auto r = body(*db, caller, now);
    if (!r.ok()) return respond(http::ErrorResponse(r.error()));
    if (gzip) Compress(r.value());
    respond(std::move(r).value());
  });
}

void ApiContext::Authed(const http::Request& req, http::Respond respond, Body body) {
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
        Caller caller{auth.value().user, users::ActorOf(auth.value().user), ip, &out->enqueued,
                      &out->wake_broadcasts};
        auto r = body(db, caller, now);
        if (!r.ok()) return r.error();
        out->response = std::move(r).value();
        return {};
      },
      [self, out, respond = std::move(respond)](const core::Status& s) {
        if (!s.ok()) return respond(http::ErrorResponse(s.error()));
        if (!out->enqueued.empty()) self->deps_.cases->Wake(out->enqueued);
        // After the commit: a pass that ran before it would not see the change.
        if (out->wake_broadcasts && self->deps_.wake_broadcasts) self->deps_.wake_broadcasts();
        respond(std::move(out->response));
      });
}

}  // namespace satupintu::api
