#include "app/channels.hpp"

#include "adapters/telegram/config.hpp"
#include "adapters/telegram/webhook.hpp"
#include "app/channel_webhook.hpp"
#include "core/log.hpp"

namespace satupintu::app {

namespace log = core::log;

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
