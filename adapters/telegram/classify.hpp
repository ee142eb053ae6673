#pragma once
// What the Bot API's answer to one of our requests means for the sender: keep, retry, slow
// down, give up, or stop writing to a citizen who blocked the bot.

#include <string_view>

#include "adapters/core/adapter.hpp"

namespace satupintu::adapters::telegram {

// Works for every method: sendMessage answers with the sent Message, answerCallbackQuery and
// setWebhook with `true`. provider_message_id is "<chat id>:<message id>" when the result is a
// Message (message ids are only unique within a chat), empty otherwise. reason comes from
// Telegram's description, cut to printable ASCII and with anything shaped like a bot token
// replaced, so it can be logged.
SendResult ClassifySend(int http_status, std::string_view body, const Headers& headers);

}  // namespace satupintu::adapters::telegram
