#include "adapters/whatsapp/config.hpp"

#include <string_view>

#include "adapters/whatsapp/text.hpp"

namespace satupintu::adapters::whatsapp {
namespace {

// Values that end up in a URL or a header line: no spaces or control characters, which could
// split the request.
bool IsHeaderSafe(std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return false;
  }
  return true;
}

}  // namespace

std::string ValidateSendConfig(const Config& config) {
  const std::string_view base = config.base_url;
  if (!base.starts_with("https://") && !base.starts_with("http://")) {
    return "whatsapp: base_url must start with https:// (http:// only for local fakes)";
  }
  if (!IsHeaderSafe(base)) return "whatsapp: base_url contains spaces or control characters";
  if (config.api_version.empty() || !IsHeaderSafe(config.api_version) ||
      config.api_version.find('/') != std::string::npos) {
    return "whatsapp: api_version must be a single path segment such as v21.0";
  }
  if (!internal::IsDigits(config.phone_number_id)) {
    return "whatsapp: phone_number_id must be the numeric id Meta assigned";
  }
  if (config.access_token.empty() || !IsHeaderSafe(config.access_token)) {
    return "whatsapp: access_token missing or contains spaces or control characters";
  }
  return {};
}

std::string ValidateConfig(const Config& config) {
  if (std::string error = ValidateSendConfig(config); !error.empty()) return error;
  if (config.app_secret.empty()) return "whatsapp: app_secret missing";
  if (config.verify_token.empty()) return "whatsapp: verify_token missing";
  const auto label = internal::Utf16Length(config.list_button_label);
  if (!label || *label == 0 || *label > 20) {
    return "whatsapp: list_button_label must be 1-20 characters";
  }
  return {};
}

}  // namespace satupintu::adapters::whatsapp
