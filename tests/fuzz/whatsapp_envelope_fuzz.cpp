// Fuzz target for the WhatsApp webhook (adapters/whatsapp): the input is a POST body, sent
// signed (so ParseEnvelope runs), unsigned and with a forged signature; and, as a query, the GET
// subscription handshake. Invariants: the signature of the body is valid and any other header
// value is not (an altered digest, the input itself); unsigned is 401, forged 403, neither
// parses anything; a parsed request keeps the adapters' invariants (inbound_checks.hpp); the
// handshake answers 200 only with the challenge.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/whatsapp/config.hpp"
#include "adapters/whatsapp/signature.hpp"
#include "adapters/whatsapp/text.hpp"
#include "adapters/whatsapp/webhook.hpp"
#include "fuzz_check.hpp"
#include "inbound_checks.hpp"

namespace {

using namespace satupintu::adapters;            // NOLINT(google-build-using-namespace)
using namespace satupintu::adapters::whatsapp;  // NOLINT(google-build-using-namespace)

constexpr char kAppSecret[] = "app-secret-for-tests-9f2c";

Config FuzzConfig() {
  Config config;
  config.base_url = "http://127.0.0.1:9";
  config.phone_number_id = "109876543210987";
  config.access_token = "EAAtest-token";
  config.app_secret = kAppSecret;
  config.verify_token = "tok/en 1";
  return config;
}

IncomingHttp Post(std::string body, std::string signature) {
  IncomingHttp request;
  request.method = "POST";
  request.path = "/webhooks/whatsapp/main";
  if (!signature.empty()) request.headers.emplace_back("x-hub-signature-256", std::move(signature));
  request.body = std::move(body);
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Config config = FuzzConfig();
  const std::string body(reinterpret_cast<const char*>(data), size);

  const std::string header = SignatureHeader(kAppSecret, body);
  FUZZ_CHECK(header.size() == 7 + 64 && header.rfind("sha256=", 0) == 0);
  FUZZ_CHECK(CheckSignature(kAppSecret, header, body) == SignatureCheck::kValid);
  std::string altered = header;
  altered[7 + size % 64] = altered[7 + size % 64] == '0' ? '1' : '0';
  FUZZ_CHECK(CheckSignature(kAppSecret, altered, body) == SignatureCheck::kWrong);
  FUZZ_CHECK(CheckSignature(kAppSecret, "", body) == SignatureCheck::kMissing);
  if (body != header) FUZZ_CHECK(CheckSignature(kAppSecret, body, body) != SignatureCheck::kValid);

  const ParsedRequest parsed = HandleWebhook(config, Post(body, header));
  FUZZ_CHECK(parsed.http_status == 200 || parsed.http_status == 400);
  satupintu::fuzz::CheckParsed(parsed, "");
  const ParsedRequest unsigned_post = HandleWebhook(config, Post(body, ""));
  FUZZ_CHECK(unsigned_post.http_status == 401 && unsigned_post.messages.empty());
  const ParsedRequest forged = HandleWebhook(config, Post(body, altered));
  FUZZ_CHECK(forged.http_status == 403 && forged.messages.empty());

  IncomingHttp get;
  get.method = "GET";
  get.query = body;
  const ParsedRequest handshake = HandleWebhook(config, get);
  satupintu::fuzz::CheckParsed(handshake, "");
  if (handshake.http_status == 200) {
    FUZZ_CHECK(!handshake.response_body.empty());
    FUZZ_CHECK(internal::QueryValue(body, "hub.challenge") == handshake.response_body);
    FUZZ_CHECK(internal::QueryValue(body, "hub.verify_token") == config.verify_token);
  } else {
    FUZZ_CHECK(handshake.response_body.empty());
  }
  if (const auto decoded = internal::PercentDecode(body)) {
    FUZZ_CHECK(decoded->size() <= body.size());
  }
  return 0;
}
