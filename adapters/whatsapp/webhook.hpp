#pragma once
// The WhatsApp callback URL: the GET subscription handshake and signed POST notifications.

#include "adapters/core/adapter.hpp"
#include "adapters/whatsapp/config.hpp"

namespace satupintu::adapters::whatsapp {

// Dispatches on the method: GET -> VerifySubscription, POST -> ParseNotification, else 405.
ParsedRequest HandleWebhook(const Config& config, const IncomingHttp& request);

// hub.mode=subscribe and hub.verify_token equal to ours: 200 with the bare hub.challenge.
// Anything else: 403.
ParsedRequest VerifySubscription(const Config& config, const IncomingHttp& request);

// Checks X-Hub-Signature-256 before reading a byte of the body: missing 401, wrong 403. Then
// 400 for a body that is no envelope, else 200 with what was parsed (see ParseEnvelope).
ParsedRequest ParseNotification(const Config& config, const IncomingHttp& request);

}  // namespace satupintu::adapters::whatsapp
