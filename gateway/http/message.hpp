#pragma once
// Request and response as the rest of the gateway sees them: plain structs, no Beast types,
// so handlers and their tests compile without Asio.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace satupintu::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query
  std::string path;
  std::string query;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string remote_address;
  std::string listener;    // "public" or "private"
  std::string request_id;  // ours, or the caller's X-Request-Id when well-formed
  std::map<std::string, std::string, std::less<>> params;  // from the route pattern

  // First header with this (lower-case) name, or empty.
  std::string_view Header(std::string_view lower_name) const;
  // Decoded value of one query parameter, or empty.
  std::string QueryParam(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type;  // empty means application/json (and costs no allocation)
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Called exactly once per request, from any thread; the server takes it back to the
// connection's own executor.
using Respond = std::function<void(Response)>;
using Handler = std::function<void(Request request, Respond respond)>;

Response JsonResponse(int status, std::string body);
Response TextResponse(int status, std::string body,
                      std::string content_type = "text/plain; charset=utf-8");
// The single place where an error becomes an HTTP status and a JSON body; 503 carries
// Retry-After so providers back off and retry.
Response ErrorResponse(const core::Error& error);
int HttpStatusFor(core::ErrorCode code);

std::string PercentDecode(std::string_view in);

}  // namespace satupintu::http
