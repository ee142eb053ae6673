#include "app/channel_webhook.hpp"

#include <nlohmann/json.hpp>

#include "core/log.hpp"

namespace satupintu::app {
namespace {

namespace log = core::log;

const char* KindName(adapters::MessageKind kind) {
  switch (kind) {
    case adapters::MessageKind::kText:
      return "text";
    case adapters::MessageKind::kButton:
      return "button";
    case adapters::MessageKind::kContact:
      return "contact";
    case adapters::MessageKind::kMedia:
      return "media";
    case adapters::MessageKind::kLocation:
      return "location";
    case adapters::MessageKind::kUnsupported:
      return "unsupported";
  }
  return "unsupported";
}

const char* StateName(adapters::DeliveryState state) {
  switch (state) {
    case adapters::DeliveryState::kSent:
      return "sent";
    case adapters::DeliveryState::kDelivered:
      return "delivered";
    case adapters::DeliveryState::kRead:
      return "read";
    case adapters::DeliveryState::kFailed:
      return "failed";
  }
  return "sent";
}

std::string MessagePayload(const adapters::InboundMessage& m) {
  nlohmann::json j = {{"type", "message"},
                      {"kind", KindName(m.kind)},
                      {"address", m.address},
                      {"text", m.text},
                      {"choice_id", m.choice_id},
                      {"contact_phone", m.contact_phone},
                      {"reply_to", m.reply_to},
                      {"language", m.language},
                      {"sent_at_s", m.sent_at_s},
                      {"callback_query_id", m.callback_query_id},
                      {"raw", m.raw}};
  // Invalid UTF-8 from a provider must not make the request fail: replace, do not throw.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string StatusPayload(const adapters::StatusUpdate& s) {
  nlohmann::json j = {{"type", "status"},
                      {"provider_message_id", s.provider_message_id},
                      {"state", StateName(s.state)},
                      {"error_code", s.error_code},
                      {"error_title", s.error_title},
                      {"at_s", s.at_s}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

http::Response ProviderAnswer(const adapters::ParsedRequest& parsed) {
  http::Response r;
  r.status = parsed.http_status;
  r.content_type = parsed.content_type;
  r.body = parsed.response_body;
  return r;
}

}  // namespace

std::vector<storage::InboundRecord> JournalRecords(const std::string& channel,
                                                   const adapters::ParsedRequest& parsed) {
  std::vector<storage::InboundRecord> records;
  records.reserve(parsed.messages.size() + parsed.statuses.size());
  for (const auto& m : parsed.messages)
    records.push_back({channel, m.provider_id, MessagePayload(m)});
  for (const auto& s : parsed.statuses) {
    records.push_back(
        {channel, "status:" + s.provider_message_id + ":" + StateName(s.state), StatusPayload(s)});
  }
  return records;
}

void AddChannelWebhook(http::Router& router, const std::string& method, const std::string& path,
                       std::string channel, ParseFn parse, storage::Journal* journal,
                       const std::function<void()>& on_stored) {
  router.Add(method, path,
             [channel = std::move(channel), parse = std::move(parse), journal, on_stored](
                 http::Request req, http::Respond respond) {
               adapters::IncomingHttp in{req.method,          req.path,
                                         req.query,           std::move(req.headers),
                                         std::move(req.body), req.remote_address};
               adapters::ParsedRequest parsed;
               try {
                 parsed = parse(in);
               } catch (const std::exception& e) {
                 // An adapter bug must not turn into a crash or a silent 200.
                 log::Error("channel.parse_exception")
                     .Str("channel", channel)
                     .Str("request_id", req.request_id)
                     .Str("detail", e.what());
                 return respond(http::ErrorResponse(
                     core::MakeError(core::ErrorCode::kInternal, "internal error")));
               }
               for (const auto& note : parsed.notes) {
                 log::Warn("channel.note")
                     .Str("channel", channel)
                     .Str("request_id", req.request_id)
                     .Int("status", parsed.http_status)
                     .Str("note", note);
               }
               auto records = JournalRecords(channel, parsed);
               if (parsed.http_status < 200 || parsed.http_status >= 300 || records.empty()) {
                 return respond(ProviderAnswer(parsed));
               }
               journal->Append(std::move(records), req.request_id,
                               [parsed = std::move(parsed), respond = std::move(respond), channel,
                                request_id = req.request_id,
                                on_stored](core::Result<storage::AppendOutcome> outcome) {
                                 if (!outcome.ok()) {
                                   log::Warn("channel.not_stored")
                                       .Str("channel", channel)
                                       .Str("request_id", request_id)
                                       .Str("reason", outcome.error().message);
                                   return respond(http::ErrorResponse(outcome.error()));
                                 }
                                 respond(ProviderAnswer(parsed));
                                 if (on_stored && outcome->stored > 0) on_stored();
                               });
             });
}

}  // namespace satupintu::app
