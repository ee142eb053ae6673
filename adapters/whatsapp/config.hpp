#pragma once
// Settings of one WhatsApp business number. The gateway resolves secrets (token, app secret,
// verify token) from its own store; the adapter only receives the values.

#include <string>

namespace satupintu::adapters::whatsapp {

struct Config {
  std::string base_url = "https://graph.facebook.com";
  std::string api_version = "v21.0";
  std::string phone_number_id;
  std::string access_token;
  std::string app_secret;    // keys the X-Hub-Signature-256 HMAC
  std::string verify_token;  // our half of the GET subscription handshake
  // Label of the button that opens a list of 4-10 choices. Citizens read it, so the gateway
  // should fill it from locales/; the default only keeps a bare config usable.
  std::string list_button_label = "Pilih";
};

// Empty when the fields BuildSend needs (base_url, api_version, phone_number_id, access_token)
// are usable; otherwise the first problem found.
std::string ValidateSendConfig(const Config& config);

// Empty when the config can serve both directions; otherwise the first problem found, safe for
// logs (names the field, never its value). Meant for start-up, where a bad config means exit.
std::string ValidateConfig(const Config& config);

}  // namespace satupintu::adapters::whatsapp
