#include "adapters/whatsapp/window.hpp"

namespace satupintu::adapters::whatsapp {

bool InServiceWindow(std::int64_t last_inbound_at_ms, std::int64_t now_ms) {
  return last_inbound_at_ms > 0 && now_ms - last_inbound_at_ms < kServiceWindowMs;
}

std::optional<SendResult> FitToWindow(OutboundMessage& message, bool window_open) {
  if (window_open && !message.text.empty()) {
    message.template_name.clear();
    return std::nullopt;
  }
  if (!window_open && message.template_name.empty()) {
    SendResult refused;
    refused.verdict = SendVerdict::kPermanent;
    refused.error_code = "window_closed";
    refused.reason = "outside the 24-hour window and no template";
    refused.outside_window = true;
    return refused;
  }
  return std::nullopt;
}

}  // namespace satupintu::adapters::whatsapp
