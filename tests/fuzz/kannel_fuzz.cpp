// Fuzz target for Kannel's callbacks (adapters/kannel): the input is an MO or DLR query (GET),
// an MO body (POST) and the text bytes of DecodeMoText under each charset (with a coding).
// Invariants: the adapters' (inbound_checks.hpp; MO text always UTF-8, E.164 senders); an
// accepted MO is one message whose stored form has no secret parameter; a DLR is at most one
// status; a request without the secret is refused; FormDecode(PercentEncode(x)) == x; QueryWithout
// removes the parameter; DecodeMoText always returns UTF-8.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include "adapters/kannel/config.hpp"
#include "adapters/kannel/form.hpp"
#include "adapters/kannel/text.hpp"
#include "adapters/kannel/webhook.hpp"
#include "fuzz_check.hpp"
#include "inbound_checks.hpp"

namespace {

using namespace satupintu::adapters;          // NOLINT(google-build-using-namespace)
using namespace satupintu::adapters::kannel;  // NOLINT(google-build-using-namespace)

constexpr char kSecret[] = "sp-kannel_Hq8Vw3Ln6Rt2";

Config FuzzConfig() {
  Config config;
  config.sendsms_url = "http://127.0.0.1:13013/cgi-bin/sendsms";
  config.username = "satupintu";
  config.password = "kNl-Pw9xQz4Tb7";
  config.smsc = "modem1";
  config.from = "DINSOS";
  config.shared_secret = kSecret;
  config.dlr_url_base = "http://127.0.0.1:8080/kannel/dinsos/dlr";
  return config;
}

IncomingHttp Request(std::string method, std::string query, std::string body, bool secret) {
  IncomingHttp request;
  request.method = std::move(method);
  request.query = std::move(query);
  request.body = std::move(body);
  request.remote_address = "127.0.0.1";
  if (secret) request.headers.emplace_back(kSecretHeader, kSecret);
  return request;
}

void CheckMo(const ParsedRequest& out) {
  satupintu::fuzz::CheckParsed(out, "");
  if (out.http_status != 200) return;
  FUZZ_CHECK(out.messages.size() == 1);
  FUZZ_CHECK(!internal::Find(internal::ParseQuery(out.messages[0].raw), kSecretParam).has_value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Config config = FuzzConfig();
  const std::string input(reinterpret_cast<const char*>(data), size);

  CheckMo(ParseMo(config, Request("GET", input, "", true)));
  const ParsedRequest anonymous = ParseMo(config, Request("GET", input, "", false));
  if (internal::Find(internal::ParseQuery(input), kSecretParam) != kSecret) {
    FUZZ_CHECK(anonymous.http_status == 401 || anonymous.http_status == 403);
  }
  IncomingHttp post = Request("POST", "coding=2&charset=UTF-16BE", input, true);
  post.headers.emplace_back("x-kannel-from", "+6281234567890");
  CheckMo(ParseMo(config, post));
  post.query.clear();
  post.headers.emplace_back("content-type", "text/plain; charset=\"ISO-8859-1\"");
  CheckMo(ParseMo(config, post));

  const ParsedRequest dlr = ParseDlr(config, Request("GET", input, "", true));
  satupintu::fuzz::CheckParsed(dlr, "");
  FUZZ_CHECK(dlr.messages.empty());
  FUZZ_CHECK(dlr.statuses.size() <= 1);

  FUZZ_CHECK(internal::FormDecode(internal::PercentEncode(input)) == input);
  const std::string without = internal::QueryWithout(input, kSecretParam);
  FUZZ_CHECK(!internal::Find(internal::ParseQuery(without), kSecretParam).has_value());
  (void)internal::ParseTime(input);
  (void)internal::ParseSmallInt(input);

  constexpr std::string_view kCodings[] = {"", "0", "1", "2"};
  constexpr std::string_view kCharsets[] = {"",      "UTF-8",      "utf-16be",
                                            "UCS-2", "ISO-8859-1", "WINDOWS-1252"};
  for (std::size_t i = 0; i < std::size(kCharsets); ++i) {
    const std::string_view coding = kCodings[(i + size) % std::size(kCodings)];
    const internal::DecodedText text = internal::DecodeMoText(input, coding, kCharsets[i]);
    FUZZ_CHECK(satupintu::fuzz::IsUtf8(text.utf8));
    if (text.binary) FUZZ_CHECK(text.utf8.empty());
  }
  return 0;
}
