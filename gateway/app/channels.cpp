#include "app/channels.hpp"

#include <tuple>

#include "adapters/telegram/config.hpp"
#include "adapters/telegram/webhook.hpp"
#include "adapters/whatsapp/config.hpp"
#include "adapters/whatsapp/webhook.hpp"
#include "app/channel_webhook.hpp"
#include "core/log.hpp"

namespace satupintu::app {

namespace log = core::log;

core::Status AddWhatsAppChannels(const config::ChannelsConfig& channels, http::Router& router,
                                 storage::Journal* journal) {
  for (std::size_t i = 0; i < channels.whatsapp.size(); ++i) {
    const auto& c = channels.whatsapp[i];
    const std::string path = "channels.whatsapp[" + std::to_string(i) + "]";
    adapters::whatsapp::Config adapter;
    adapter.base_url = c.base_url;
    adapter.api_version = c.api_version;
    adapter.phone_number_id = c.phone_number_id;
    for (auto [ref, key, out] :
         {std::tuple{&c.access_token, ".access_token", &adapter.access_token},
          std::tuple{&c.app_secret, ".app_secret", &adapter.app_secret},
          std::tuple{&c.verify_token, ".verify_token", &adapter.verify_token}}) {
      auto value = config::ResolveSecret(*ref, path + key);
      if (!value.ok()) return value.error();
      *out = std::move(value).value();
    }
    if (auto problem = adapters::whatsapp::ValidateConfig(adapter); !problem.empty()) {
      return core::MakeError(core::ErrorCode::kInvalidArgument, path + ": " + problem);
    }
    const std::string route = "/webhooks/whatsapp/" + c.name;
    auto parse = [adapter](const adapters::IncomingHttp& in) {
      return adapters::whatsapp::HandleWebhook(adapter, in);
    };
    AddChannelWebhook(router, "GET", route, "whatsapp:" + c.name, parse, journal);
    AddChannelWebhook(router, "POST", route, "whatsapp:" + c.name, parse, journal);
    log::Info("channel.mounted").Str("channel", "whatsapp:" + c.name).Str("path", route);
  }
  return {};
}

core::Status AddTelegramChannels(const config::ChannelsConfig& channels, http::Router& router,
                                 storage::Journal* journal) {
  for (std::size_t i = 0; i < channels.telegram.size(); ++i) {
    const auto& c = channels.telegram[i];
    const std::string path = "channels.telegram[" + std::to_string(i) + "]";
    adapters::telegram::Config adapter;
    adapter.base_url = c.base_url;
    auto token = config::ResolveSecret(c.bot_token, path + ".bot_token");
    if (!token.ok()) return token.error();
    auto secret = config::ResolveSecret(c.secret_token, path + ".secret_token");
    if (!secret.ok()) return secret.error();
    adapter.bot_token = std::move(token).value();
    adapter.secret_token = std::move(secret).value();
    if (auto problem = adapters::telegram::ValidateConfig(adapter); !problem.empty()) {
      return core::MakeError(core::ErrorCode::kInvalidArgument, path + ": " + problem);
    }
    const std::string route = "/webhooks/telegram/" + c.name;
    AddChannelWebhook(
        router, "POST", route, "telegram:" + c.name,
        [adapter](const adapters::IncomingHttp& in) {
          return adapters::telegram::ParseWebhook(adapter, in);
        },
        journal);
    log::Info("channel.mounted").Str("channel", "telegram:" + c.name).Str("path", route);
  }
  return {};
}

}  // namespace satupintu::app
