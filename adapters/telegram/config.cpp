#include "adapters/telegram/config.hpp"

namespace satupintu::adapters::telegram {
namespace {

constexpr std::size_t kMaxSecretTokenLength = 256;

bool IsTokenChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool IsUrlChar(char c) {
  // Printable ASCII without space: enough for a base URL and keeps header injection out.
  return c > ' ' && c < 0x7f;
}

}  // namespace

bool IsValidSecretToken(std::string_view token) {
  if (token.empty() || token.size() > kMaxSecretTokenLength) return false;
  for (char c : token) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

bool IsValidBotToken(std::string_view token) {
  const auto colon = token.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == token.size()) return false;
  for (char c : token.substr(0, colon)) {
    if (c < '0' || c > '9') return false;
  }
  for (char c : token.substr(colon + 1)) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

std::string ValidateConfig(const Config& config) {
  const std::string_view base = config.base_url;
  const bool https = base.starts_with("https://");
  // Plain http only makes sense for the fake peer on loopback in tests; the gateway decides.
  if (!https && !base.starts_with("http://")) return "telegram base_url must start with https://";
  if (base.size() <= (https ? 8U : 7U)) return "telegram base_url has no host";
  for (char c : base) {
    if (!IsUrlChar(c)) return "telegram base_url contains spaces or control characters";
  }
  if (config.bot_token.empty()) return "telegram bot_token is empty";
  if (!IsValidBotToken(config.bot_token)) {
    return "telegram bot_token is not <digits>:<A-Za-z0-9_->";
  }
  if (config.secret_token.empty()) return "telegram secret_token is empty";
  if (!IsValidSecretToken(config.secret_token)) {
    return "telegram secret_token must be 1-256 characters of A-Za-z0-9_-";
  }
  return {};
}

std::string MethodUrl(const Config& config, std::string_view method) {
  std::string_view base = config.base_url;
  while (base.ends_with('/')) base.remove_suffix(1);
  std::string url;
  url.reserve(base.size() + config.bot_token.size() + method.size() + 5);
  url.append(base).append("/bot").append(config.bot_token).append("/").append(method);
  return url;
}

}  // namespace satupintu::adapters::telegram
