#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "diag/routes.hpp"
#include "diag/token.hpp"

namespace satupintu::diag {
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

// Validates a single-object body and picks its top-level "id"/"update_id" without building
// a DOM: the common case, one message per request, costs no allocation per field.
class TopLevelIds : public nlohmann::json_sax<nlohmann::json> {
 public:
  // Set when the top level is an array: the caller falls back to the DOM path.
  bool top_level_array = false;
  bool top_level_object = false;
  std::optional<nlohmann::json> id;
  std::optional<nlohmann::json> update_id;

  bool null() override { return Scalar(nullptr); }
  bool boolean(bool v) override { return Scalar(v); }
  bool number_integer(number_integer_t v) override { return Scalar(v); }
  bool number_unsigned(number_unsigned_t v) override { return Scalar(v); }
  bool number_float(number_float_t v, const string_t&) override { return Scalar(v); }
  bool string(string_t& v) override { return Scalar(v); }
  bool binary(binary_t&) override { return Scalar(nullptr); }
  bool start_object(std::size_t) override {
    if (depth_ == 0) top_level_object = true;
    Scalar(nlohmann::json::object());
    ++depth_;
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    if (depth_ == 0) {
      top_level_array = true;
      return false;
    }
    Scalar(nlohmann::json::array());
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool key(string_t& k) override {
    if (depth_ == 1) target_ = k == "id" ? &id : k == "update_id" ? &update_id : nullptr;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  // Records the value of a wanted top-level key (containers as empty placeholders, enough
  // to report a wrong type).
  template <typename T>
  bool Scalar(T&& v) {
    if (depth_ == 1 && target_ != nullptr) {
      *target_ = nlohmann::json(std::forward<T>(v));
      target_ = nullptr;
    }
    return true;
  }
  int depth_ = 0;
  std::optional<nlohmann::json>* target_ = nullptr;
};

core::Result<std::vector<storage::InboundRecord>> ParseBody(const std::string& channel,
                                                            std::string body) {
  TopLevelIds ids;
  const bool parsed = nlohmann::json::sax_parse(body, &ids, nlohmann::json::input_format_t::json,
                                                /*strict=*/true);
  if (parsed && !ids.top_level_object) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "body must be a JSON object or a non-empty array");
  }
  if (parsed) {
    nlohmann::json top = nlohmann::json::object();
    if (ids.id) top["id"] = std::move(*ids.id);
    if (ids.update_id) top["update_id"] = std::move(*ids.update_id);
    auto id = ProviderId(top);
    if (!id.ok()) return id.error();
    std::vector<storage::InboundRecord> records;
    records.push_back({channel, std::move(id).value(), std::move(body)});
    return records;
  }
  if (!ids.top_level_array) return MakeError(ErrorCode::kInvalidArgument, "body is not valid JSON");
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return MakeError(ErrorCode::kInvalidArgument, "body is not valid JSON");
  std::vector<storage::InboundRecord> records;
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
               if (!TokenAccepted(req.Header("authorization"), token)) {
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
                     std::string body = "{\"stored\":" + std::to_string(outcome->stored) +
                                        ",\"duplicates\":" + std::to_string(outcome->duplicates) +
                                        ",\"journal_ids\":[";
                     for (std::size_t i = 0; i < outcome->journal_ids.size(); ++i) {
                       if (i > 0) body += ',';
                       body += std::to_string(outcome->journal_ids[i]);
                     }
                     body += "]}";
                     respond(http::JsonResponse(200, std::move(body)));
                   });
             });
}

}  // namespace satupintu::diag
