#pragma once
// Mounts the configured channels' webhooks on the public router. Secrets are resolved here
// (and so registered for redaction); a channel whose settings are unusable stops the start
// with a message naming it.

#include "config/config.hpp"
#include "core/result.hpp"
#include "http/router.hpp"
#include "storage/journal.hpp"

namespace satupintu::app {

// GET (subscription handshake) and POST /webhooks/whatsapp/{name} for each business number;
// journal channel "whatsapp:{name}".
core::Status AddWhatsAppChannels(const config::ChannelsConfig& channels, http::Router& router,
                                 storage::Journal* journal);

// POST /webhooks/telegram/{name} for each Telegram bot; journal channel "telegram:{name}".
core::Status AddTelegramChannels(const config::ChannelsConfig& channels, http::Router& router,
                                 storage::Journal* journal);

}  // namespace satupintu::app
