// Sessions: POST /api/v1/session (login), DELETE /api/v1/session (logout), GET /api/v1/me,
// and the officer's own alerts (GET and PUT /api/v1/me/alerts).

#include "api/context.hpp"
#include "backoffice/alerts.hpp"
#include "users/users.hpp"

namespace satupintu::api {
namespace {

using storage::Db;

// {"enabled", "channel", "address_masked"}; every field null when the user has no route.
core::Result<http::Response> AlertsJson(const ApiContext& api, Db& db, std::int64_t user_id) {
  auto route = backoffice::AlertRoutes(api.options().users_key).Of(db, user_id);
  if (!route.ok()) return route.error();
  if (!route.value().has_value()) {
    return Json(200, {{"enabled", nullptr}, {"channel", nullptr}, {"address_masked", nullptr}});
  }
  const backoffice::AlertRoute& r = route.value().value();
  const std::string masked = r.address.starts_with("tg:")
                                 ? std::string("tg:") + std::string(r.address.size() - 3, '*')
                                 : users::MaskPhone(r.address);
  return Json(200, {{"enabled", r.enabled}, {"channel", r.channel}, {"address_masked", masked}});
}

void Login(const std::shared_ptr<ApiContext>& api, const http::Request& req,
           http::Respond respond) {
  if (!api->AdmitLogin(req, respond)) return;
  auto body = ParseBody(req);
  if (!body.ok()) return respond(http::ErrorResponse(body.error()));
  std::string username = StringField(body.value(), "username");
  std::string password = StringField(body.value(), "password");
  if (username.empty() || password.empty() || username.size() > 64 || password.size() > 256) {
    return respond(http::ErrorResponse(users::LoginRefused()));
  }
  // 1. the account, on the reader thread; 2. scrypt there too (never on the writer, which
  // every channel shares); 3. the outcome, the token and the audit row in one write.
  api->deps().store->Read([api, username, password, ip = req.remote_address,
                           respond = std::move(respond)](Db* db, const core::Error* error) mutable {
    if (db == nullptr) return respond(http::ErrorResponse(*error));
    auto candidate = users::FindLoginCandidate(*db, username);
    if (!candidate.ok()) return respond(http::ErrorResponse(candidate.error()));
    auto check = users::CheckPassword(candidate.value(), password, api->options().login.scrypt);
    auto result = std::make_shared<users::LoginResult>();
    api->deps().store->Write(
        [api, result, candidate = candidate.value(), check, ip](Db& wdb) -> core::Status {
          const std::int64_t now = api->Now();
          auto r = users::FinishLogin(wdb, candidate, check, now, api->options().login);
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
        [api, result, respond = std::move(respond)](const core::Status& s) {
          if (!s.ok()) return respond(http::ErrorResponse(s.error()));
          if (result->outcome != users::LoginOutcome::kOk) {
            return respond(http::ErrorResponse(users::LoginRefused()));
          }
          const auto& session = result->session;
          respond(
              Json(200, {{"token", session.token},
                         {"expires_at_ms", session.expires_at_ms},
                         {"user", UserJson(session.user, api->RegionName(session.user.region))}}));
        });
  });
}

void Logout(const std::shared_ptr<ApiContext>& api, const http::Request& req,
            http::Respond respond) {
  const std::string token = BearerOf(req);
  api->Authed(req, std::move(respond),
              [token](Db& db, const Caller& c, std::int64_t now) -> core::Result<http::Response> {
                if (auto s = users::Revoke(db, token, now); !s.ok()) return s.error();
                if (auto s = Audit(db, c, now, "user.logout", "user:" + std::to_string(c.user.id),
                                   "sign out", "ok");
                    !s.ok()) {
                  return s.error();
                }
                http::Response r;
                r.status = 204;
                return r;
              });
}

}  // namespace

void MountSessionRoutes(http::Router& router, const std::shared_ptr<ApiContext>& api) {
  router.Add("POST", "/api/v1/session", [api](const http::Request& req, http::Respond respond) {
    Login(api, req, std::move(respond));
  });
  router.Add("DELETE", "/api/v1/session", [api](const http::Request& req, http::Respond respond) {
    Logout(api, req, std::move(respond));
  });
  router.Add("GET", "/api/v1/me", [api](const http::Request& req, http::Respond respond) {
    api->AuthedRead(req, std::move(respond),
                    [api](Db&, const Caller& c, std::int64_t) -> core::Result<http::Response> {
                      return Json(200, UserJson(c.user, api->RegionName(c.user.region)));
                    });
  });
  // The officer's own alerts: where they go (masked) and the opt-out.
  router.Add("GET", "/api/v1/me/alerts", [api](const http::Request& req, http::Respond respond) {
    api->AuthedRead(req, std::move(respond), [api](Db& db, const Caller& c, std::int64_t) {
      return AlertsJson(*api, db, c.user.id);
    });
  });
  router.Add("PUT", "/api/v1/me/alerts", [api](const http::Request& req, http::Respond respond) {
    auto body = ParseBody(req);
    if (!body.ok()) return respond(http::ErrorResponse(body.error()));
    const auto it = body.value().find("enabled");
    if (it == body.value().end() || !it->is_boolean()) {
      return respond(http::ErrorResponse(
          core::MakeError(core::ErrorCode::kInvalidArgument, "enabled: true or false")));
    }
    const bool enabled = it->get<bool>();
    api->Authed(
        req, std::move(respond),
        [api, enabled](Db& db, const Caller& c, std::int64_t now) -> core::Result<http::Response> {
          if (auto s = backoffice::SetAlertsEnabled(db, c.user.id, enabled); !s.ok()) {
            if (s.error().code == core::ErrorCode::kNotFound) {
              return http::ErrorResponse(core::MakeError(
                  core::ErrorCode::kConflict,
                  "no alert route: an administrator sets it (satupintu users alerts), or "
                  "send an SMS command from your phone"));
            }
            return s.error();
          }
          if (auto s = Audit(db, c, now, enabled ? "user.alerts_on" : "user.alerts_off",
                             "user:" + std::to_string(c.user.id), "preferences", "ok");
              !s.ok()) {
            return s.error();
          }
          return AlertsJson(*api, db, c.user.id);
        });
  });
}

}  // namespace satupintu::api
