// ParseDlr: Kannel's delivery-report callbacks (declared in webhook.hpp).

#include <string>

#include "adapters/kannel/auth.hpp"
#include "adapters/kannel/form.hpp"
#include "adapters/kannel/webhook.hpp"

namespace satupintu::adapters::kannel {
namespace {

using internal::Find;

// Kannel's DLR event bits (dlr-mask).
constexpr int kDeliveredToPhone = 1;
constexpr int kNotDelivered = 2;
constexpr int kQueuedAtSmsc = 4;
constexpr int kDeliveredToSmsc = 8;
constexpr int kRejectedBySmsc = 16;
constexpr std::size_t kMaxStatLength = 12;

// "stat:UNDELIV" from an SMPP-style receipt in %A. Letters only: the receipt may also quote
// the start of our text and the numbers, which must not reach a log.
std::string StatOf(std::string_view reply) {
  const std::size_t at = reply.find("stat:");
  if (at == std::string_view::npos) return {};
  std::string stat;
  for (std::size_t i = at + 5; i < reply.size() && stat.size() < kMaxStatLength; ++i) {
    const char c = reply[i];
    if (c < 'A' || c > 'Z') break;
    stat.push_back(c);
  }
  return stat;
}

}  // namespace

ParsedRequest ParseDlr(const Config& config, const IncomingHttp& request) {
  const internal::Params query = internal::ParseQuery(request.query);
  if (auto refusal = internal::Refusal(config, request, query)) return *refusal;

  ParsedRequest out;
  const std::string id = Find(query, "id").value_or(std::string());
  // Our own ids are unreserved tokens (BuildSend refuses others), so anything else is not ours.
  if (!IsUnreservedToken(id)) {
    out.http_status = 400;
    out.notes.emplace_back("kannel dlr: id missing or malformed");
    return out;
  }
  const std::optional<int> type = internal::ParseSmallInt(Find(query, "type").value_or(""));
  if (!type) {
    out.http_status = 400;
    out.notes.emplace_back("kannel dlr: type missing or not a number");
    return out;
  }

  StatusUpdate status;
  status.provider_message_id = id;
  status.at_s = internal::ParseTime(Find(query, "ts").value_or("")).value_or(0);
  // Kannel reports one event per fetch; should bits ever combine, the most final one wins.
  if ((*type & kDeliveredToPhone) != 0) {
    status.state = DeliveryState::kDelivered;
  } else if ((*type & (kNotDelivered | kRejectedBySmsc)) != 0) {
    status.state = DeliveryState::kFailed;
    const bool rejected = (*type & kNotDelivered) == 0;
    status.error_code = std::to_string(rejected ? kRejectedBySmsc : kNotDelivered);
    status.error_title = rejected ? "rejected by the SMSC" : "not delivered to the phone";
    const std::string stat = StatOf(Find(query, "reply").value_or(""));
    if (!stat.empty()) status.error_title.append(" (stat:").append(stat).append(")");
  } else if ((*type & (kQueuedAtSmsc | kDeliveredToSmsc)) != 0) {
    status.state = DeliveryState::kSent;
  } else {
    // Answered 200: Kannel does not retry a DLR, and a 4xx would only add log noise there.
    out.notes.push_back("kannel dlr: event type " + std::to_string(*type) + " ignored");
    return out;
  }
  out.statuses.push_back(std::move(status));
  return out;
}

}  // namespace satupintu::adapters::kannel
