// Office users: GET /api/v1/users (those within the caller's region) and POST /api/v1/users.
// Who may list or create whom is decided by users::ListFor and users::CreateBy.

#include "api/context.hpp"

namespace satupintu::api {
using storage::Db;

void MountUserRoutes(http::Router& router, const std::shared_ptr<ApiContext>& api) {
  router.Add("GET", "/api/v1/users", [api](const http::Request& req, http::Respond respond) {
    api->AuthedRead(req, std::move(respond),
                    [api](Db& db, const Caller& c, std::int64_t) -> core::Result<http::Response> {
                      auto list = users::ListFor(db, c.user);
                      if (!list.ok()) return list.error();
                      json items = json::array();
                      for (const auto& u : list.value()) {
                        json j = UserJson(u, api->RegionName(u.region));
                        j["disabled"] = u.disabled();
                        j["phone_masked"] = u.phone_masked;
                        items.push_back(std::move(j));
                      }
                      return Json(200, {{"items", std::move(items)}});
                    });
  });
  router.Add("POST", "/api/v1/users", [api](const http::Request& req, http::Respond respond) {
    auto body = ParseBody(req);
    if (!body.ok()) return respond(http::ErrorResponse(body.error()));
    api->Authed(
        req, std::move(respond),
        [api, b = body.value()](Db& db, const Caller& c,
                                std::int64_t now) -> core::Result<http::Response> {
          users::NewUser nu;
          nu.username = StringField(b, "username");
          nu.display_name = StringField(b, "display_name");
          nu.role = StringField(b, "role");
          nu.region = StringField(b, "region");
          nu.language = StringField(b, "language");
          if (nu.language.empty()) nu.language = "id";
          nu.password = StringField(b, "password");
          nu.phone = StringField(b, "phone");
          nu.programme = StringField(b, "programme");
          auto u = users::CreateBy(db, c.user, nu, api->options().users_key, now);
          if (!u.ok()) return u.error();
          if (auto s = Audit(db, c, now, "user.create", "user:" + std::to_string(u.value().id),
                             "administration", "created");
              !s.ok()) {
            return s.error();
          }
          return Json(201, UserJson(u.value(), api->RegionName(u.value().region)));
        });
  });
}

}  // namespace satupintu::api
