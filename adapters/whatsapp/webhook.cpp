#include "adapters/whatsapp/webhook.hpp"

#include "adapters/core/secret_compare.hpp"

#include "adapters/whatsapp/envelope.hpp"
#include "adapters/whatsapp/signature.hpp"
#include "adapters/whatsapp/text.hpp"

namespace satupintu::adapters::whatsapp {
namespace {

// Meta's challenge is a number; bound it anyway, since it is echoed back.
constexpr std::size_t kMaxChallenge = 256;

ParsedRequest Refuse(int status, std::string note) {
  ParsedRequest out;
  out.http_status = status;
  out.notes.push_back(std::move(note));
  return out;
}

}  // namespace

ParsedRequest HandleWebhook(const Config& config, const IncomingHttp& request) {
  if (request.method == "GET") return VerifySubscription(config, request);
  if (request.method == "POST") return ParseNotification(config, request);
  return Refuse(405, "method not allowed");
}

ParsedRequest VerifySubscription(const Config& config, const IncomingHttp& request) {
  using internal::QueryValue;
  // An unset verify token must not match an empty hub.verify_token.
  if (config.verify_token.empty()) return Refuse(403, "verify token not configured");
  const auto mode = QueryValue(request.query, "hub.mode");
  const auto token = QueryValue(request.query, "hub.verify_token");
  const auto challenge = QueryValue(request.query, "hub.challenge");
  if (!mode || *mode != "subscribe") return Refuse(403, "hub.mode is not subscribe");
  if (!token || !SecretEquals(*token, config.verify_token)) {
    return Refuse(403, "verify token does not match");
  }
  if (!challenge || challenge->empty() || challenge->size() > kMaxChallenge) {
    return Refuse(403, "hub.challenge missing or too long");
  }
  ParsedRequest out;
  out.http_status = 200;
  out.response_body = *challenge;
  return out;
}

ParsedRequest ParseNotification(const Config& config, const IncomingHttp& request) {
  // Our misconfiguration, not the sender's fault: 500 makes Meta retry until it is fixed.
  if (config.app_secret.empty()) return Refuse(500, "app secret not configured");
  switch (CheckSignature(config.app_secret, request.Header("x-hub-signature-256"), request.body)) {
    case SignatureCheck::kMissing:
      return Refuse(401, "X-Hub-Signature-256 missing");
    case SignatureCheck::kWrong:
      return Refuse(403, "X-Hub-Signature-256 does not match");
    case SignatureCheck::kValid:
      break;
  }
  ParsedRequest out;
  ParseEnvelope(request.body, out, config.phone_number_id);
  return out;
}

}  // namespace satupintu::adapters::whatsapp
