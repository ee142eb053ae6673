#include "adapters/whatsapp/classify.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <string>

#include "adapters/whatsapp/text.hpp"
#include "adapters/whatsapp/window.hpp"

namespace satupintu::adapters::whatsapp {
namespace {

using nlohmann::json;
using std::chrono::seconds;

// Meta documents no reset time for these; the defaults follow its guidance on pacing.
constexpr seconds kThroughputBackoff{1};  // 130429: 80 msg/s per number, the next second helps
constexpr seconds kPairBackoff{6};        // 131056: about one message per 6 s per user
constexpr seconds kAppLimitBackoff{60};   // 4, 80007: app or account call budget, resets slowly
constexpr seconds kMaxRetryAfter{86400};

constexpr std::int64_t kPairRateLimit = 131056;  // about one recipient only

struct CodeRule {
  std::int64_t code;
  SendVerdict verdict;
  seconds backoff;
};

// Codes whose handling differs from what the HTTP status alone would suggest, or that the
// outbox acts on. Anything not listed falls back to the HTTP status.
constexpr CodeRule kRules[] = {
    {130429, SendVerdict::kRateLimited, kThroughputBackoff},    // throughput reached
    {kPairRateLimit, SendVerdict::kRateLimited, kPairBackoff},  // pair rate limit
    {4, SendVerdict::kRateLimited, kAppLimitBackoff},           // app call limit
    {80007, SendVerdict::kRateLimited, kAppLimitBackoff},       // WABA call limit
    {1, SendVerdict::kTransient, {}},                           // API unknown
    {2, SendVerdict::kTransient, {}},                           // API service
    {131000, SendVerdict::kTransient, {}},                      // something went wrong
    {131016, SendVerdict::kTransient, {}},                      // service overloaded
    {131057, SendVerdict::kTransient, {}},                      // account in maintenance
    {133004, SendVerdict::kTransient, {}},                      // server temporarily unavailable
    {0, SendVerdict::kPermanent, {}},                           // auth exception
    {190, SendVerdict::kPermanent, {}},                         // access token expired
    {100, SendVerdict::kPermanent, {}},                         // invalid parameter
    {131026, SendVerdict::kPermanent, {}},                      // message undeliverable
    {kOutsideWindowCode, SendVerdict::kPermanent, {}},          // outside the 24-hour window
    {131048, SendVerdict::kPermanent, {}},  // spam rate limit: quality, not pace
    {131051, SendVerdict::kPermanent, {}},  // unsupported message type
};

const CodeRule* FindRule(std::int64_t code) {
  const auto* it = std::find_if(std::begin(kRules), std::end(kRules),
                                [code](const CodeRule& r) { return r.code == code; });
  return it == std::end(kRules) ? nullptr : it;
}

std::optional<seconds> RetryAfterHeader(const Headers& headers) {
  for (const auto& [name, value] : headers) {
    if (name != "retry-after") continue;
    // Delta-seconds only; an HTTP-date is rare from Meta and falls back to the defaults.
    const auto n = internal::ParseInt(value);
    if (!n) return std::nullopt;
    return std::min(seconds{*n}, kMaxRetryAfter);
  }
  return std::nullopt;
}

std::optional<std::int64_t> CodeOf(const json& error) {
  const auto it = error.find("code");
  if (it == error.end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_string()) return internal::ParseInt(it->get_ref<const std::string&>());
  return std::nullopt;
}

// "(#131047) Re-engagement message" -> "Re-engagement message": the code travels separately.
std::string ReasonOf(const json& error) {
  std::string text;
  for (const char* key : {"error_user_title", "message", "title"}) {
    const auto it = error.find(key);
    if (it != error.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) {
      text = it->get<std::string>();
      break;
    }
  }
  if (text.starts_with("(#")) {
    const std::size_t close = text.find(") ");
    if (close != std::string::npos) text.erase(0, close + 2);
  }
  return internal::SafeText(text);
}

SendVerdict ByHttpStatus(int http_status) {
  if (http_status == 429) return SendVerdict::kRateLimited;
  // 5xx, and anything odd (1xx, 3xx, 0 from a broken connection), is worth another try.
  if (http_status >= 500 || http_status < 400) return SendVerdict::kTransient;
  return SendVerdict::kPermanent;
}

}  // namespace

SendResult ClassifySend(int http_status, std::string_view body, const Headers& headers) {
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  SendResult result;

  if (http_status >= 200 && http_status < 300) {
    result.verdict = SendVerdict::kAccepted;
    if (doc.is_object()) {
      const auto messages = doc.find("messages");
      if (messages != doc.end() && messages->is_array() && !messages->empty() &&
          (*messages)[0].is_object()) {
        const auto id = (*messages)[0].find("id");
        if (id != (*messages)[0].end() && id->is_string()) {
          result.provider_message_id = id->get<std::string>();
        }
      }
    }
    // Retrying could deliver twice; without an id only the status webhooks stay unmatched.
    if (result.provider_message_id.empty()) result.reason = "accepted without a message id";
    return result;
  }

  const json* error = nullptr;
  if (doc.is_object()) {
    const auto it = doc.find("error");
    if (it != doc.end() && it->is_object()) error = &*it;
  }
  const auto code = error != nullptr ? CodeOf(*error) : std::nullopt;
  const CodeRule* rule = code ? FindRule(*code) : nullptr;
  seconds backoff = kThroughputBackoff;
  if (rule != nullptr) {
    backoff = rule->backoff;
    result.verdict = rule->verdict;
  } else {
    result.verdict = ByHttpStatus(http_status);
  }
  if (code) result.error_code = std::to_string(*code);
  result.scope = code == kPairRateLimit ? LimitScope::kRecipient : LimitScope::kChannel;
  result.outside_window = code == kOutsideWindowCode;
  if (error != nullptr) result.reason = ReasonOf(*error);
  if (result.reason.empty()) result.reason = "HTTP " + std::to_string(http_status);

  // A Retry-After from Meta or a proxy wins over our defaults; it means nothing for a failure
  // that will not heal.
  if (result.verdict == SendVerdict::kRateLimited) {
    result.retry_after = RetryAfterHeader(headers).value_or(backoff);
  } else if (result.verdict == SendVerdict::kTransient) {
    result.retry_after = RetryAfterHeader(headers);
  }
  return result;
}

}  // namespace satupintu::adapters::whatsapp
