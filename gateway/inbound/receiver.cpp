#include "inbound/receiver.hpp"

#include "core/log.hpp"
#include "inbound/journal_record.hpp"

namespace satupintu::inbound {
namespace {

namespace log = core::log;

http::Response ProviderAnswer(const adapters::ParsedRequest& parsed) {
  http::Response r;
  r.status = parsed.http_status;
  r.content_type = parsed.content_type;
  r.body = parsed.response_body;
  return r;
}

}  // namespace

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

}  // namespace satupintu::inbound
