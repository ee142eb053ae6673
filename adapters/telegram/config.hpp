#pragma once
// Telegram Bot API settings, resolved by the gateway (secrets come from its secret store), and
// the checks that keep them safe to splice into a URL.

#include <string>
#include <string_view>

namespace satupintu::adapters::telegram {

struct Config {
  std::string base_url = "https://api.telegram.org";
  std::string bot_token;     // "<bot id>:<key>" from BotFather; ends up in request URLs only
  std::string secret_token;  // what Telegram echoes in X-Telegram-Bot-Api-Secret-Token
};

// Empty when the config is usable, else why not. The message names the field, never its value,
// because it is logged at start-up.
std::string ValidateConfig(const Config& config);

// setWebhook accepts 1-256 characters of A-Za-z0-9_-; anything else Telegram refuses.
bool IsValidSecretToken(std::string_view token);

// "<digits>:<A-Za-z0-9_->": also guarantees the token cannot change the shape of the URL.
bool IsValidBotToken(std::string_view token);

// {base_url}/bot{token}/{method}. Only for a config that passed ValidateConfig.
std::string MethodUrl(const Config& config, std::string_view method);

}  // namespace satupintu::adapters::telegram
