#pragma once
// Requests to the Bot API: sendMessage with its keyboards, answerCallbackQuery and setWebhook.
// Input Telegram would refuse produces an error instead of a request, so a bad message fails
// here, once, rather than at the provider after the sender's retries.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/core/adapter.hpp"
#include "adapters/telegram/config.hpp"

namespace satupintu::adapters::telegram {

// A request for the shared sender, or why none was built. The bot token is in call->url only;
// error never contains it (nor the text or the address), so it can be logged as is.
struct BuildResult {
  std::optional<HttpCall> call;
  std::string error;

  bool ok() const { return call.has_value(); }
};

// sendMessage to "tg:<chat id>". Text: 1-4096 code points, not only whitespace. Choices become
// an inline keyboard, one button per row, callback_data = choice id (1-64 bytes). With
// request_contact the single choice's title labels a one-time reply-keyboard button that
// shares the phone number. Template fields are WhatsApp's and ignored; OutboundMessage::id is
// not sent because the Bot API has no idempotency key.
BuildResult BuildSend(const Config& config, const OutboundMessage& message);

// answerCallbackQuery; text (0-200 code points) shows as a short notice over the chat.
BuildResult BuildAnswerCallback(const Config& config, std::string_view callback_query_id,
                                std::optional<std::string_view> text = std::nullopt);

// setWebhook for the operator's one-off setup command. Telegram requires an https URL. Only
// the update kinds the adapter understands are subscribed, so the rest never costs a request.
BuildResult BuildSetWebhook(const Config& config, std::string_view url,
                            std::string_view secret_token,
                            const std::vector<std::string>& allowed_updates = {"message",
                                                                               "callback_query"});

}  // namespace satupintu::adapters::telegram
