// Fuzz target for the Telegram webhook (adapters/telegram): the input is an update's body,
// posted with the right secret token, a wrong one and none. Invariants: without the token 401,
// with a wrong one 403, neither parses anything; with it 200 or 400 and the adapters'
// invariants (inbound_checks.hpp: "tg:<chat id>" addresses, UTF-8 text, E.164 contacts, notes
// without the citizen's text); ContactPhone returns E.164 digits or nothing; CountCodePoints
// agrees with the UTF-8 check.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/telegram/config.hpp"
#include "adapters/telegram/utf8.hpp"
#include "adapters/telegram/webhook.hpp"
#include "fuzz_check.hpp"
#include "inbound_checks.hpp"

namespace {

using namespace satupintu::adapters;            // NOLINT(google-build-using-namespace)
using namespace satupintu::adapters::telegram;  // NOLINT(google-build-using-namespace)

constexpr char kSecret[] = "sp-tg_Wq7Rz2Lm9Xc4Vb8N";

IncomingHttp Post(std::string body, std::string_view secret) {
  IncomingHttp request;
  request.method = "POST";
  request.path = "/webhooks/telegram/main";
  if (!secret.empty()) request.headers.emplace_back(kSecretTokenHeader, secret);
  request.body = std::move(body);
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Config config = [] {
    Config c;
    c.bot_token = "7012345678:AAH3kX9vQm2Lw8ZrT5yPq1sDf4Gh6Jk7LzX";
    c.secret_token = kSecret;
    return c;
  }();
  const std::string body(reinterpret_cast<const char*>(data), size);

  const ParsedRequest parsed = ParseWebhook(config, Post(body, kSecret));
  FUZZ_CHECK(parsed.http_status == 200 || parsed.http_status == 400);
  satupintu::fuzz::CheckParsed(parsed, "tg:");
  FUZZ_CHECK(ParseWebhook(config, Post(body, "")).http_status == 401);
  const ParsedRequest wrong = ParseWebhook(config, Post(body, "sp-tg_Wq7Rz2Lm9Xc4Vb8M"));
  FUZZ_CHECK(wrong.http_status == 403 && wrong.messages.empty());

  const std::string phone = ContactPhone(body);
  if (!phone.empty()) FUZZ_CHECK(satupintu::fuzz::AllDigits(phone));
  const auto points = CountCodePoints(body);
  FUZZ_CHECK(points.has_value() == satupintu::fuzz::IsUtf8(body));
  if (points) FUZZ_CHECK(*points <= size);
  (void)IsBlank(body);
  return 0;
}
