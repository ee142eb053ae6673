#pragma once
// What every resource of the API shares (internal to gateway/api): request parsing, the
// caller once their token checked out, audit rows, and `ApiContext`, which admits a request
// (token, limits) and runs its work as one store write job or on the reader thread. The
// routes of each resource are in <resource>_routes.cpp; role and region rules live in the
// services they guard (backoffice, tickets, users), not here.

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "api/api.hpp"
#include "audit/audit_log.hpp"
#include "users/rate_limiter.hpp"

namespace satupintu::api {

using nlohmann::json;

http::Response Json(int status, const json& j);

// The token of "Authorization: Bearer <token>", "" without one.
std::string BearerOf(const http::Request& req);
// The body as a JSON object of at most 16 KB.
core::Result<json> ParseBody(const http::Request& req);
// A string member of `body`, "" when missing or not a string.
std::string StringField(const json& body, const char* name);
// A query parameter as an integer in [min, max]; `fallback` when absent.
core::Result<std::int64_t> IntParam(const http::Request& req, std::string_view name,
                                    std::int64_t fallback, std::int64_t min, std::int64_t max);
// The purpose of access a read is audited with (the page sends the session's choice).
core::Result<std::string> PurposeOf(const http::Request& req);
// A query flag: "1" or "true".
bool QueryFlag(const http::Request& req, std::string_view name);

// Who is calling, once the token checked out.
struct Caller {
  users::User user;
  tickets::Actor actor;
  std::string ip;
  backoffice::Enqueued* enqueued = nullptr;  // channels to wake once the job committed
  bool* wake_broadcasts = nullptr;           // set: the broadcast runner looks once committed
};

backoffice::Caller OfficeCaller(const Caller& c, std::string purpose);

// An audit row by the caller ("user:<id>", their address).
core::Status Audit(storage::Db& db, const Caller& c, std::int64_t now, std::string action,
                   std::string object, std::string purpose, std::string outcome);

json UserJson(const users::User& u, const std::string& region_name);

class ApiContext : public std::enable_shared_from_this<ApiContext> {
 public:
  using Body =
      std::function<core::Result<http::Response>(storage::Db&, const Caller&, std::int64_t now)>;

  ApiContext(ApiDeps deps, ApiOptions options);

  const ApiDeps& deps() const { return deps_; }
  const ApiOptions& options() const { return options_; }
  std::int64_t Now() const;
  // The region's name from the region tree ("" when unknown or without a tree).
  std::string RegionName(const std::string& code) const;

  // Token, limits, then `body` in one write job; answers after the commit (and wakes the
  // senders of the channels it queued messages for).
  void Authed(const http::Request& req, http::Respond respond, Body body);
  // The same for what neither changes nor audits anything (queues, reports, the catalogue):
  // on the store's reader thread, so a regency report never holds up the writer every channel
  // commits through; gzipped for clients that accept it. The token's last use is recorded by a
  // write of its own when due.
  void AuthedRead(const http::Request& req, http::Respond respond, Body body);
  // The login limit per client address; false when `respond` was called with the refusal.
  bool AdmitLogin(const http::Request& req, const http::Respond& respond);

 private:
  // Token and limits; false when `respond` was already called with the refusal.
  bool Admit(const http::Request& req, const std::string& token, const http::Respond& respond);

  ApiDeps deps_;
  ApiOptions options_;
  users::RateLimiter per_ip_;
  users::RateLimiter per_token_;
  users::RateLimiter logins_;
};

// The routes of each resource.
void MountSessionRoutes(http::Router& router, const std::shared_ptr<ApiContext>& api);
void MountTicketRoutes(http::Router& router, const std::shared_ptr<ApiContext>& api);
void MountUserRoutes(http::Router& router, const std::shared_ptr<ApiContext>& api);
void MountReportRoutes(http::Router& router, const std::shared_ptr<ApiContext>& api);
void MountCatalogueRoutes(http::Router& router, const std::shared_ptr<ApiContext>& api);
void MountSubjectRoutes(http::Router& router, const std::shared_ptr<ApiContext>& api);
void MountBroadcastRoutes(http::Router& router, const std::shared_ptr<ApiContext>& api);

}  // namespace satupintu::api
