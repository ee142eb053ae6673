#include <openssl/crypto.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/routes.hpp"

namespace satupintu::app {
namespace {

using core::ErrorCode;
using core::MakeError;

bool ValidChannel(const std::string& c) {
  if (c.empty() || c.size() > 32) return false;
  for (char ch : c) {
    const bool ok =
        (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == ':';
    if (!ok) return false;
  }
  return true;
}

bool TokenMatches(std::string_view header, const std::string& token) {
  constexpr std::string_view kPrefix = "Bearer ";
  if (header.substr(0, kPrefix.size()) != kPrefix) return false;
  const std::string_view given = header.substr(kPrefix.size());
  return given.size() == token.size() &&
         CRYPTO_memcmp(given.data(), token.data(), token.size()) == 0;
}

core::Result<std::string> ProviderId(const nlohmann::json& item) {
  for (const char* key : {"id", "update_id"}) {
    auto it = item.find(key);
    if (it == item.end()) continue;
    if (it->is_string() && !it->get<std::string>().empty() &&
        it->get<std::string>().size() <= 256) {
      return it->get<std::string>();
    }
    if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string("\"") + key + "\" must be a non-empty string or an integer");
  }
  return MakeError(ErrorCode::kInvalidArgument, "each message needs an \"id\" or \"update_id\"");
}

core::Result<std::vector<storage::InboundRecord>> ParseBody(const std::string& channel,
                                                            std::string body) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return MakeError(ErrorCode::kInvalidArgument, "body is not valid JSON");
  std::vector<storage::InboundRecord> records;
  if (doc.is_object()) {
    auto id = ProviderId(doc);
    if (!id.ok()) return id.error();
    records.push_back({channel, std::move(id).value(), std::move(body)});
    return records;
  }
  if (!doc.is_array() || doc.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "body must be a JSON object or a non-empty array");
  }
  for (const auto& item : doc) {
    if (!item.is_object())
      return MakeError(ErrorCode::kInvalidArgument, "array items must be objects");
    auto id = ProviderId(item);
    if (!id.ok()) return id.error();
    records.push_back({channel, std::move(id).value(), item.dump()});
  }
  return records;
}

}  // namespace

void AddJournalRoute(http::Router& router, storage::Journal* journal, std::string token) {
  router.Add("POST", "/diag/journal/{channel}",
             [journal, token = std::move(token)](http::Request req, http::Respond respond) {
               if (!token.empty() && !TokenMatches(req.Header("authorization"), token)) {
                 return respond(http::ErrorResponse(
                     MakeError(ErrorCode::kUnauthenticated, "missing or wrong bearer token")));
               }
               const std::string& channel = req.params.find("channel")->second;
               if (!ValidChannel(channel)) {
                 return respond(
                     http::ErrorResponse(MakeError(ErrorCode::kInvalidArgument,
                                                   "channel must be 1-32 of [a-z0-9_:-], start "
                                                   "with a letter, at most 4 digits in a row")));
               }
               auto records = ParseBody(channel, std::move(req.body));
               if (!records.ok()) return respond(http::ErrorResponse(records.error()));
               journal->Append(
                   std::move(records).value(), req.request_id,
                   [respond = std::move(respond)](core::Result<storage::AppendOutcome> outcome) {
                     if (!outcome.ok()) return respond(http::ErrorResponse(outcome.error()));
                     nlohmann::json body = {{"stored", outcome->stored},
                                            {"duplicates", outcome->duplicates},
                                            {"journal_ids", outcome->journal_ids}};
                     respond(http::JsonResponse(200, body.dump()));
                   });
             });
}

}  // namespace satupintu::app
