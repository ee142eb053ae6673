#pragma once
// WhatsApp's customer service window: free-form messages only within 24 hours of the
// citizen's last message; after that only an approved template may start a conversation.
// The sender asks this before it builds a request; the provider's own refusal (code 131047)
// is read by ClassifySend as SendResult::outside_window, so both end the same way.

#include <cstdint>
#include <optional>

#include "adapters/core/adapter.hpp"

namespace satupintu::adapters::whatsapp {

constexpr std::int64_t kServiceWindowMs = std::int64_t{24} * 3600 * 1000;
// Meta's code for a free-form message outside the window ("re-engagement message"), in a send's
// answer (ClassifySend) and in a later failed status (the webhook's StatusUpdate) alike.
constexpr std::int64_t kOutsideWindowCode = 131047;

// `last_inbound_at_ms` 0: the citizen never wrote on this channel (the window never opened).
bool InServiceWindow(std::int64_t last_inbound_at_ms, std::int64_t now_ms);

// Fits `message` to the window. Inside it free text goes as text (a template carried as its
// fallback is dropped: free text costs nothing); outside it only a template may go. Returns
// the refusal (kPermanent, outside_window) when nothing may be sent.
std::optional<SendResult> FitToWindow(OutboundMessage& message, bool window_open);

}  // namespace satupintu::adapters::whatsapp
