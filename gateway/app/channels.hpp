#pragma once
// Mounts the configured channels' webhooks on the public router. Secrets are resolved here
// (and so registered for redaction); a channel whose settings are unusable stops the start
// with a message naming it.

#include "config/config.hpp"
#include "core/result.hpp"
#include "http/router.hpp"
#include "storage/journal.hpp"

namespace satupintu::app {

// POST /webhooks/telegram/{name} for each Telegram bot; journal channel "telegram:{name}".
core::Status AddTelegramChannels(const config::ChannelsConfig& channels, http::Router& router,
                                 storage::Journal* journal);

}  // namespace satupintu::app
