#include "adapters/kannel/webhook.hpp"

#include <optional>
#include <string>

#include "adapters/core/phone.hpp"
#include "adapters/kannel/auth.hpp"
#include "adapters/kannel/form.hpp"
#include "adapters/kannel/text.hpp"

namespace satupintu::adapters::kannel {
namespace {

using internal::Find;
using internal::Params;

// Kannel's %I is a UUID; anything much longer or stranger is not worth trusting as a key.
constexpr std::size_t kMaxKannelIdLength = 64;

ParsedRequest BadRequest(std::string note) {
  ParsedRequest out;
  out.http_status = 400;
  out.notes.push_back(std::move(note));
  return out;
}

// The query value, or for a POST the X-Kannel header Kannel sends instead.
std::string Field(const IncomingHttp& request, const Params& query, std::string_view name,
                  std::string_view header) {
  if (auto value = Find(query, name); value && !value->empty()) return *value;
  if (request.method == "POST") return std::string(request.Header(header));
  return {};
}

// "text/plain; charset=UTF-16BE" -> "UTF-16BE".
std::string CharsetOf(std::string_view content_type) {
  const std::string lower = internal::ToLower(content_type);
  const std::size_t at = lower.find("charset=");
  if (at == std::string::npos) return {};
  std::string_view value = std::string_view(content_type).substr(at + 8);
  value = value.substr(0, value.find(';'));
  while (!value.empty() && (value.front() == '"' || value.front() == ' ')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '"' || value.back() == ' ')) value.remove_suffix(1);
  return std::string(value);
}

bool IsUsableKannelId(std::string_view id) {
  if (id.empty() || id.size() > kMaxKannelIdLength) return false;
  for (char c : id) {
    if (c <= ' ' || c >= 0x7f) return false;
  }
  return true;
}

}  // namespace

ParsedRequest ParseMo(const Config& config, const IncomingHttp& request) {
  const Params query = internal::ParseQuery(request.query);
  if (auto refusal = internal::Refusal(config, request, query)) return *refusal;
  const bool post = request.method == "POST";

  const std::string from = Field(request, query, "from", "x-kannel-from");
  if (from.empty()) return BadRequest("kannel mo: from missing");
  const std::optional<std::string> address = NormalizePhone(from);
  if (!address) return BadRequest("kannel mo: sender is not a usable phone number");

  const std::string coding = Field(request, query, "coding", "x-kannel-coding");
  std::string charset = Find(query, "charset").value_or(std::string());
  if (post && charset.empty()) charset = CharsetOf(request.Header("content-type"));
  const std::string bytes = post ? request.body : Find(query, "text").value_or(std::string());
  const internal::DecodedText decoded = internal::DecodeMoText(bytes, coding, charset);

  const std::string ts = Field(request, query, "ts", "x-kannel-time");
  const std::string smsc = Field(request, query, "smsc", "x-kannel-smsc");
  const std::string kannel_id = Find(query, "id").value_or(std::string());

  ParsedRequest out;
  InboundMessage message;
  if (IsUsableKannelId(kannel_id)) {
    message.provider_id = kannel_id;
  } else {
    // Without %I a retry of the same request must still be recognised as one message: the
    // fields Kannel repeats verbatim identify it. NUL cannot occur in any of them as text.
    std::string key = smsc;
    key.append(1, '\0').append(*address).append(1, '\0').append(ts).append(1, '\0').append(bytes);
    message.provider_id = "h:" + internal::ShortSha256Hex(key);
  }
  message.address = *address;
  message.sent_at_s = internal::ParseTime(ts).value_or(0);
  if (decoded.binary) {
    message.kind = MessageKind::kUnsupported;
    out.notes.emplace_back("kannel mo: 8-bit data message, no text");
  } else {
    message.text = decoded.utf8;
    if (decoded.repaired) out.notes.emplace_back("kannel mo: bytes outside the charset replaced");
  }
  // Stored, not logged: the request as form text, minus the secret, with a POST body appended
  // as text=... so one shape covers both methods.
  message.raw = internal::QueryWithout(request.query, kSecretParam);
  if (post) {
    if (!message.raw.empty()) message.raw.push_back('&');
    message.raw.append("text=").append(internal::PercentEncode(request.body));
  }
  out.messages.push_back(std::move(message));
  return out;
}

}  // namespace satupintu::adapters::kannel
