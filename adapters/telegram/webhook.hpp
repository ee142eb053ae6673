#pragma once
// Telegram webhook: checks the secret token Telegram echoes on every POST and turns one Update
// into at most one InboundMessage. Update kinds the dialogs do not handle are answered 200
// with a note: any other answer makes Telegram retry and holds back the rest of that chat.

#include <string>
#include <string_view>

#include "adapters/core/adapter.hpp"
#include "adapters/telegram/config.hpp"

namespace satupintu::adapters::telegram {

inline constexpr std::string_view kSecretTokenHeader = "x-telegram-bot-api-secret-token";

ParsedRequest ParseWebhook(const Config& config, const IncomingHttp& request);

// contact.phone_number as E.164 digits (adapters::NormalizePhone, so one number is one citizen
// on every channel), or empty. Telegram sends it international, with or without '+'; a leading
// 0 is still read as an Indonesian national number.
std::string ContactPhone(std::string_view phone_number);

}  // namespace satupintu::adapters::telegram
