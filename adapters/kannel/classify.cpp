#include "adapters/kannel/classify.hpp"

#include <chrono>
#include <string>

#include "adapters/kannel/form.hpp"

namespace satupintu::adapters::kannel {
namespace {

constexpr std::chrono::seconds kDefaultRetryAfter{30};

SendResult Verdict(SendVerdict verdict, std::string code, std::string reason) {
  SendResult out;
  out.verdict = verdict;
  out.error_code = std::move(code);
  out.reason = std::move(reason);
  return out;
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

bool Contains(std::string_view body, std::string_view what) {
  return body.find(what) != std::string_view::npos;
}

}  // namespace

SendResult ClassifySend(int http_status, std::string_view body, const Headers& headers) {
  const std::string_view text = Trimmed(body);
  const std::string status = std::to_string(http_status);
  if (http_status < 100) {
    return Verdict(SendVerdict::kTransient, "no-answer", "kannel: no HTTP answer from smsbox");
  }
  if (http_status >= 200 && http_status < 300) {
    if (text.starts_with("0:")) return Verdict(SendVerdict::kAccepted, "", "");
    // Kept in Kannel's store until the SMSC is back: ours to count as sent, Kannel's to retry.
    if (text.starts_with("3:")) return Verdict(SendVerdict::kAccepted, "", "queued by kannel");
    // Not smsbox (a proxy page?): resending could duplicate an SMS, so stop and let a human look.
    return Verdict(SendVerdict::kPermanent, status,
                   "kannel: unexpected " + status + " answer, is sendsms_url smsbox?");
  }
  if (Contains(text, "Authorization failed")) {
    return Verdict(SendVerdict::kPermanent, "auth",
                   "kannel: authorization failed, check username/password and user-allow-ip");
  }
  if (Contains(text, "Not routable")) {
    return Verdict(SendVerdict::kPermanent, "not-routable",
                   "kannel: not routable, check smsc and the smsc group's allowed-smsc-id");
  }
  if (Contains(text, "Missing receiver")) {
    return Verdict(SendVerdict::kPermanent, "missing-receiver", "kannel: missing receiver number");
  }
  // Kannel 1.4.5's answer when the request has no from and kannel.conf sets neither the
  // sendsms-user's default-sender nor smsbox's global-sender (seen with the real smsbox).
  if (Contains(text, "Sender missing")) {
    return Verdict(SendVerdict::kPermanent, "sender-missing",
                   "kannel: sender missing, set from or the sendsms-user's default-sender");
  }
  if (Contains(text, "Temporal failure")) {
    return Verdict(SendVerdict::kTransient, "temporal", "kannel: temporal failure, retry later");
  }
  if (http_status == 429) {
    SendResult out = Verdict(SendVerdict::kRateLimited, status, "kannel: HTTP 429");
    out.retry_after = kDefaultRetryAfter;
    for (const auto& [name, value] : headers) {
      if (name != "retry-after") continue;
      if (auto seconds = internal::ParseSmallInt(Trimmed(value)); seconds && *seconds > 0) {
        out.retry_after = std::chrono::seconds(*seconds);
      }
    }
    return out;
  }
  if (http_status >= 500) {
    return Verdict(SendVerdict::kTransient, status, "kannel: HTTP " + status);
  }
  // Other 4xx: Kannel refused a parameter (sender, coding, length); the same request fails again.
  return Verdict(SendVerdict::kPermanent, status,
                 "kannel: HTTP " + status + " refused the request");
}

}  // namespace satupintu::adapters::kannel
