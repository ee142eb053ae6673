#include <charconv>
#include <nlohmann/json.hpp>
#include <string>

#include "channel_log/channel_log.hpp"
#include "diag/routes.hpp"
#include "diag/token.hpp"

namespace satupintu::diag {
namespace {

using core::ErrorCode;
using core::MakeError;

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 500;
constexpr std::size_t kMaxKeyLength = 256;

core::Result<int> ParseLimit(const std::string& text) {
  if (text.empty()) return kDefaultLimit;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > kMaxLimit) {
    return MakeError(ErrorCode::kInvalidArgument, "limit must be an integer 1-500");
  }
  return value;
}

std::string ToJson(const std::vector<channel_log::LoggedExchange>& entries) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : entries) {
    list.push_back({
        {"id", e.id},
        {"at_ms", e.at_ms},
        {"channel", e.channel},
        {"part_key", e.part_key},
        {"direction", channel_log::DirectionName(e.direction)},
        {"method", e.method},
        {"url", e.url},
        {"request_headers", e.request_headers},
        {"request_body", e.request_body},
        {"http_status", e.http_status ? nlohmann::json(*e.http_status) : nlohmann::json(nullptr)},
        {"response_body", e.response_body},
        {"elapsed_ms", e.elapsed_ms},
        {"error", e.error},
    });
  }
  nlohmann::json doc = {{"count", entries.size()}, {"entries", std::move(list)}};
  // Peers' bodies are not always valid UTF-8; replace rather than fail the answer.
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

void AddChannelLogRoute(http::Router& router, storage::Store* store, std::string diag_token) {
  router.Add(
      "GET", "/diag/channel-log",
      [store, token = std::move(diag_token)](const http::Request& req, http::Respond respond) {
        if (!TokenAccepted(req.Header("authorization"), token)) {
          return respond(http::ErrorResponse(
              MakeError(ErrorCode::kUnauthenticated, "missing or wrong bearer token")));
        }
        std::string key = req.QueryParam("key");
        if (key.empty() || key.size() > kMaxKeyLength) {
          return respond(http::ErrorResponse(
              MakeError(ErrorCode::kInvalidArgument,
                        "key (a message key or a part key, 1-256 characters) is required")));
        }
        auto limit = ParseLimit(req.QueryParam("limit"));
        if (!limit.ok()) return respond(http::ErrorResponse(limit.error()));
        channel_log::FindByKey(store, std::move(key), limit.value(),
                               [respond = std::move(respond)](
                                   core::Result<std::vector<channel_log::LoggedExchange>> entries) {
                                 if (!entries.ok())
                                   return respond(http::ErrorResponse(entries.error()));
                                 respond(http::JsonResponse(200, ToJson(entries.value())));
                               });
      });
}

}  // namespace satupintu::diag
