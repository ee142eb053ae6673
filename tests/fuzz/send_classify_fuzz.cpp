// Fuzz target for the send-response classifiers of WhatsApp, Telegram and Kannel: the input is
// a provider's answer body, classified under a set of HTTP statuses (none, 2xx, 4xx, 429, 5xx),
// with or without Retry-After. Invariants: no answer at all (status 0) is never accepted;
// kAccepted only for 2xx; a retry delay is never negative; reason and error_code are printable
// text that fits a log line, printable ASCII for Telegram and Kannel; Kannel never has a message
// id; Telegram's id is "<chat id>:<message id>".

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/core/adapter.hpp"
#include "adapters/kannel/classify.hpp"
#include "adapters/telegram/classify.hpp"
#include "adapters/whatsapp/classify.hpp"
#include "fuzz_check.hpp"
#include "fuzz_util.hpp"

namespace {

using satupintu::adapters::Headers;
using satupintu::adapters::SendResult;
using satupintu::adapters::SendVerdict;

constexpr std::array<int, 12> kStatuses = {0,   200, 201, 400, 401, 403,
                                           404, 429, 500, 502, 503, 302};

void CheckCommon(const SendResult& r, int status) {
  if (r.verdict == SendVerdict::kAccepted) FUZZ_CHECK(status >= 200 && status <= 299);
  if (r.retry_after) FUZZ_CHECK(r.retry_after->count() >= 0);
  FUZZ_CHECK(satupintu::fuzz::IsUtf8(r.reason));
  FUZZ_CHECK(satupintu::fuzz::IsUtf8(r.error_code));
  FUZZ_CHECK(r.reason.size() <= 512);
  FUZZ_CHECK(r.error_code.size() <= 128);
  for (char c : r.reason) FUZZ_CHECK(c != '\n' && c != '\r');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const Headers none;
  const Headers retry = {{"retry-after", "30"}, {"content-type", "application/json"}};
  const Headers odd = {{"retry-after", std::string(body.substr(0, 24))}};
  const Headers* const variants[] = {&none, &retry, &odd};
  for (int status : kStatuses) {
    {
      const Headers* headers = variants[(size + static_cast<std::size_t>(status)) % 3];
      const SendResult wa = satupintu::adapters::whatsapp::ClassifySend(status, body, *headers);
      CheckCommon(wa, status);
      const SendResult tg = satupintu::adapters::telegram::ClassifySend(status, body, *headers);
      CheckCommon(tg, status);
      for (char c : tg.reason) FUZZ_CHECK(c >= 0x20 && c < 0x7F);
      if (!tg.provider_message_id.empty()) {
        const std::size_t colon = tg.provider_message_id.find(':');
        FUZZ_CHECK(colon != std::string::npos && colon > 0);
      }
      const SendResult kn = satupintu::adapters::kannel::ClassifySend(status, body, *headers);
      CheckCommon(kn, status);
      FUZZ_CHECK(kn.provider_message_id.empty());
      for (char c : kn.reason + kn.error_code) FUZZ_CHECK(c >= 0x20 && c < 0x7F);
    }
  }
  return 0;
}
