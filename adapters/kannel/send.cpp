#include "adapters/kannel/send.hpp"

#include <string>

#include "adapters/core/phone.hpp"
#include "adapters/kannel/form.hpp"
#include "adapters/sms/substitute.hpp"

namespace satupintu::adapters::kannel {
namespace {

using internal::PercentEncode;

// Kannel's coding parameter.
constexpr char kCodingGsm7[] = "0";
constexpr char kCodingUcs2[] = "2";
constexpr std::size_t kMaxIdLength = 64;

BuildResult Refuse(std::string error) {
  BuildResult out;
  out.error = std::move(error);
  return out;
}

void AddParam(std::string& url, std::string_view name, std::string_view value) {
  url.push_back(url.find('?') == std::string::npos ? '?' : '&');
  url.append(name).append("=").append(PercentEncode(value));
}

}  // namespace

std::string DlrUrl(const Config& config, std::string_view message_id) {
  // The escapes stay literal: Kannel replaces them when it fetches the URL.
  std::string url = config.dlr_url_base;
  url.append("?id=").append(message_id);
  url.append("&type=%d&smsc=%i&ts=%T&reply=%A&secret=").append(config.shared_secret);
  return url;
}

BuildResult BuildSend(const Config& config, const OutboundMessage& message) {
  if (!IsUnreservedToken(message.id) || message.id.size() > kMaxIdLength) {
    return Refuse("kannel send: message id must be 1-64 characters of A-Za-z0-9._~-");
  }
  const std::optional<std::string> address = NormalizePhone(message.address);
  if (!address) return Refuse("kannel send: address is not a phone number");
  if (message.text.empty()) return Refuse("kannel send: text is empty");

  const std::string text = sms::SmartSubstitute(message.text);
  const sms::Analysis analysis = sms::Analyze(text);
  if (analysis.had_invalid_utf8) return Refuse("kannel send: text is not valid UTF-8");
  if (analysis.segments > config.max_parts) {
    return Refuse("kannel send: text needs " + std::to_string(analysis.segments) +
                  " parts, max_parts is " + std::to_string(config.max_parts));
  }

  HttpCall call;
  call.method = "GET";
  call.url = config.sendsms_url;
  AddParam(call.url, "username", config.username);
  AddParam(call.url, "password", config.password);
  AddParam(call.url, "to", config.plus_prefix ? "+" + *address : *address);
  if (!config.from.empty()) AddParam(call.url, "from", config.from);
  AddParam(call.url, "text", text);
  AddParam(call.url, "coding",
           analysis.encoding == sms::Encoding::kGsm7 ? kCodingGsm7 : kCodingUcs2);
  AddParam(call.url, "charset", "UTF-8");
  if (config.dlr_mask != 0) {
    AddParam(call.url, "dlr-mask", std::to_string(config.dlr_mask));
    AddParam(call.url, "dlr-url", DlrUrl(config, message.id));
  }
  if (!config.smsc.empty()) AddParam(call.url, "smsc", config.smsc);

  BuildResult out;
  out.call = std::move(call);
  out.segments = analysis.segments;
  out.encoding = analysis.encoding;
  return out;
}

}  // namespace satupintu::adapters::kannel
