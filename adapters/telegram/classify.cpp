#include "adapters/telegram/classify.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <system_error>

namespace satupintu::adapters::telegram {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxReasonLength = 200;
constexpr std::chrono::seconds kDefaultRetryAfter{1};
constexpr std::size_t kMinTokenKeyLength = 20;  // real keys are 35 characters

// Descriptions Telegram gives when a chat can never receive from us again. Matched in lower
// case because Telegram's capitalisation has changed over the years.
constexpr std::array<std::string_view, 3> kOptedOutPhrases = {
    "blocked by the user", "user is deactivated", "bot was kicked"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsKeyChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || IsDigit(c) || c == '_' || c == '-';
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

// Telegram never puts the token in a description, but a proxy or a future error might echo the
// URL: every "<digits>:<20+ key characters>" becomes "[token]".
std::string SafeReason(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size() && out.size() < kMaxReasonLength) {
    if (IsDigit(text[i])) {
      std::size_t j = i;
      while (j < text.size() && IsDigit(text[j])) ++j;
      if (j < text.size() && text[j] == ':') {
        std::size_t k = j + 1;
        while (k < text.size() && IsKeyChar(text[k])) ++k;
        if (k - j - 1 >= kMinTokenKeyLength) {
          out += "[token]";
          i = k;
          continue;
        }
      }
      out.append(text.substr(i, j - i));
      i = j;
      continue;
    }
    const char c = text[i++];
    out.push_back(c >= ' ' && c < 0x7f ? c : '?');
  }
  if (out.size() > kMaxReasonLength) out.resize(kMaxReasonLength);
  return out;
}

std::optional<std::int64_t> PositiveInt(const json* value) {
  if (value == nullptr || !value->is_number_integer()) return std::nullopt;
  const auto n = value->get<std::int64_t>();
  return n > 0 ? std::optional(n) : std::nullopt;
}

std::chrono::seconds RetryAfter(const json& doc, const Headers& headers) {
  if (doc.is_object()) {
    const auto params = doc.find("parameters");
    if (params != doc.end() && params->is_object()) {
      const auto it = params->find("retry_after");
      if (auto n = PositiveInt(it == params->end() ? nullptr : &*it)) {
        return std::chrono::seconds(*n);
      }
    }
  }
  for (const auto& [name, value] : headers) {
    if (name != "retry-after") continue;
    std::int64_t n = 0;
    const char* end = value.data() + value.size();
    const auto [ptr, ec] = std::from_chars(value.data(), end, n);
    if (ec == std::errc() && ptr == end && n > 0) return std::chrono::seconds(n);
  }
  return kDefaultRetryAfter;
}

SendResult Result(SendVerdict verdict, std::string error_code, std::string reason) {
  SendResult r;
  r.verdict = verdict;
  r.error_code = std::move(error_code);
  r.reason = std::move(reason);
  return r;
}

}  // namespace

SendResult ClassifySend(int http_status, std::string_view body, const Headers& headers) {
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  const bool object = !doc.is_discarded() && doc.is_object();
  std::string description;
  std::string code = std::to_string(http_status);
  if (object) {
    if (auto it = doc.find("description"); it != doc.end() && it->is_string()) {
      description = it->get<std::string>();
    }
    if (auto it = doc.find("error_code"); it != doc.end() && it->is_number_integer()) {
      code = std::to_string(it->get<std::int64_t>());
    }
  }
  const std::string http = "HTTP " + std::to_string(http_status);
  const std::string reason = description.empty() ? http : SafeReason(description);

  if (http_status >= 200 && http_status < 300) {
    const auto ok = object ? doc.find("ok") : doc.end();
    if (!object || ok == doc.end() || *ok != true) {
      // Telegram may have sent it; retrying risks a duplicate, giving up risks silence.
      return Result(SendVerdict::kTransient, code, http + " without ok:true");
    }
    SendResult r = Result(SendVerdict::kAccepted, {}, {});
    const auto result = doc.find("result");
    if (result != doc.end() && result->is_object()) {
      const auto message_id = result->find("message_id");
      const auto chat = result->find("chat");
      if (message_id != result->end() && message_id->is_number_integer() && chat != result->end() &&
          chat->is_object()) {
        const auto chat_id = chat->find("id");
        if (chat_id != chat->end() && chat_id->is_number_integer()) {
          r.provider_message_id = std::to_string(chat_id->get<std::int64_t>()) + ":" +
                                  std::to_string(message_id->get<std::int64_t>());
        }
      }
    }
    return r;
  }
  if (http_status == 429) {
    SendResult r = Result(SendVerdict::kRateLimited, code, reason);
    r.retry_after = RetryAfter(doc, headers);
    return r;
  }
  if (http_status == 401) {
    return Result(SendVerdict::kPermanent, code, "bot token rejected (" + reason + ")");
  }
  if (http_status == 403) {
    const std::string lower = Lower(description);
    for (std::string_view phrase : kOptedOutPhrases) {
      if (lower.find(phrase) != std::string::npos) {
        return Result(SendVerdict::kOptedOut, code, reason);
      }
    }
    return Result(SendVerdict::kPermanent, code, reason);
  }
  // 408 is the only 4xx that a second attempt can fix.
  if (http_status >= 400 && http_status < 500 && http_status != 408) {
    return Result(SendVerdict::kPermanent, code, reason);
  }
  return Result(SendVerdict::kTransient, code, reason);
}

}  // namespace satupintu::adapters::telegram
