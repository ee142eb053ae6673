#include <nlohmann/json.hpp>
#include <utility>

#include "compose/compose.hpp"
#include "core/clock.hpp"
#include "diag/routes.hpp"
#include "diag/token.hpp"

namespace satupintu::diag {
namespace {

core::Error Invalid(const std::string& message) {
  return core::MakeError(core::ErrorCode::kInvalidArgument, message);
}

std::optional<outbox::Priority> PriorityNamed(const std::string& name) {
  if (name == "reply") return outbox::Priority::kReply;
  if (name == "notification") return outbox::Priority::kNotification;
  if (name == "bulk") return outbox::Priority::kBulk;
  return std::nullopt;
}

core::Result<compose::Outgoing> ParseOutgoing(const std::string& body) {
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  if (!doc.is_object()) return Invalid("body must be a JSON object");
  compose::Outgoing o;
  try {
    o.key = doc.value("key", "");
    o.channel = doc.value("channel", "");
    o.address = doc.value("address", "");
    o.text = doc.value("text", "");
    const auto priority = PriorityNamed(doc.value("priority", "reply"));
    if (!priority) return Invalid("priority must be reply, notification or bulk");
    o.priority = *priority;
    if (doc.contains("choices")) {
      o.choices = doc["choices"].get<std::vector<std::pair<std::string, std::string>>>();
    }
    if (doc.contains("template")) {
      const auto& t = doc["template"];
      o.template_name = t.value("name", "");
      o.template_language = t.value("language", "id");
      o.template_params = t.value("params", std::vector<std::string>{});
    }
    o.request_contact = doc.value("request_contact", false);
    o.ttl_ms = doc.value("ttl_s", std::int64_t{24} * 3600) * 1000;
  } catch (const nlohmann::json::exception&) {
    return Invalid("a field has the wrong type");
  }
  return o;
}

}  // namespace

void AddOutboxRoute(http::Router& router, OutboxRouteDeps deps, std::string diag_token) {
  router.Add("POST", "/diag/outbox",
             [deps = std::move(deps), diag_token = std::move(diag_token)](const http::Request& req,
                                                                          http::Respond respond) {
               if (!TokenAccepted(req.Header("authorization"), diag_token)) {
                 return respond(http::ErrorResponse(core::MakeError(
                     core::ErrorCode::kUnauthenticated, "missing or wrong bearer token")));
               }
               auto o = ParseOutgoing(req.body);
               if (!o.ok()) return respond(http::ErrorResponse(o.error()));
               const auto policy = deps.policy(o->channel, o->priority);
               if (!policy)
                 return respond(http::ErrorResponse(Invalid("channel is not configured")));
               o->policy = *policy;
               auto composed = compose::Compose(*o, core::NowMs());
               if (!composed.ok()) return respond(http::ErrorResponse(composed.error()));
               const auto parts = composed->parts.size();
               deps.outbox->Enqueue(
                   std::move(composed).value(), core::NowMs(),
                   [wake = deps.wake, channel = o->channel, parts,
                    respond = std::move(respond)](core::Result<std::int64_t> r) {
                     if (!r.ok()) return respond(http::ErrorResponse(r.error()));
                     wake(channel);
                     const nlohmann::json body = {{"message_id", r.value()}, {"parts", parts}};
                     respond(http::JsonResponse(202, body.dump()));
                   });
             });
}

}  // namespace satupintu::diag
