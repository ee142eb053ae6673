#include "adapters/telegram/send.hpp"

#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <system_error>
#include <utility>

#include "adapters/telegram/descriptor.hpp"
#include "adapters/telegram/utf8.hpp"

namespace satupintu::adapters::telegram {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxTextCodePoints = kDescriptor.max_text_units;
constexpr std::size_t kMaxCallbackDataBytes = 64;
constexpr std::size_t kMaxAnswerCodePoints = 200;

BuildResult Fail(std::string error) { return BuildResult{std::nullopt, std::move(error)}; }

BuildResult JsonPost(const Config& config, std::string_view method, const json& body) {
  HttpCall call;
  call.method = "POST";
  call.url = MethodUrl(config, method);
  call.headers = {{"content-type", "application/json"}};
  call.body = body.dump();  // inputs are checked UTF-8, so dump cannot throw
  return BuildResult{std::move(call), {}};
}

std::optional<std::int64_t> ChatId(std::string_view address) {
  if (!address.starts_with("tg:")) return std::nullopt;
  address.remove_prefix(3);
  std::int64_t id = 0;
  const char* end = address.data() + address.size();
  const auto [ptr, ec] = std::from_chars(address.data(), end, id);
  if (ec != std::errc() || ptr != end || address.empty() || id == 0) return std::nullopt;
  return id;
}

// Empty when text is a sendable label or body of at most max code points.
std::string CheckText(std::string_view what, std::string_view text, std::size_t max) {
  const auto count = CountCodePoints(text);
  if (!count) return std::string(what) + " is not valid UTF-8";
  if (IsBlank(text)) return std::string(what) + " is empty";
  if (*count > max) {
    return std::string(what) + " has " + std::to_string(*count) + " characters, Telegram allows " +
           std::to_string(max);
  }
  return {};
}

json ContactKeyboard(const std::string& label) {
  json button = json::object();
  button["text"] = label;
  button["request_contact"] = true;
  json markup = json::object();
  markup["keyboard"] = json::array({json::array({std::move(button)})});
  // Hidden after one use: the contact arrives once and the dialog moves on.
  markup["one_time_keyboard"] = true;
  markup["resize_keyboard"] = true;
  return markup;
}

}  // namespace

BuildResult BuildSend(const Config& config, const OutboundMessage& message) {
  if (std::string error = ValidateConfig(config); !error.empty()) return Fail(std::move(error));
  const auto chat_id = ChatId(message.address);
  if (!chat_id) return Fail("telegram send: address is not tg:<chat id>");
  if (std::string error = CheckText("telegram send: text", message.text, kMaxTextCodePoints);
      !error.empty()) {
    return Fail(std::move(error));
  }

  json body = json::object();
  body["chat_id"] = *chat_id;
  body["text"] = message.text;

  if (message.request_contact) {
    if (message.choices.size() != 1) {
      return Fail("telegram send: request_contact needs exactly one choice, the button label");
    }
    const std::string& label = message.choices.front().second;
    if (std::string error =
            CheckText("telegram send: contact button label", label, kMaxTextCodePoints);
        !error.empty()) {
      return Fail(std::move(error));
    }
    body["reply_markup"] = ContactKeyboard(label);
  } else if (!message.choices.empty()) {
    json rows = json::array();
    for (std::size_t i = 0; i < message.choices.size(); ++i) {
      const auto& [id, title] = message.choices[i];
      const std::string which = "telegram send: choice " + std::to_string(i + 1);
      if (id.empty() || id.size() > kMaxCallbackDataBytes) {
        return Fail(which + " id is " + std::to_string(id.size()) +
                    " bytes, callback_data allows 1-64");
      }
      if (!CountCodePoints(id)) return Fail(which + " id is not valid UTF-8");
      if (std::string error = CheckText(which + " title", title, kMaxTextCodePoints);
          !error.empty()) {
        return Fail(std::move(error));
      }
      json button = json::object();
      button["text"] = title;
      button["callback_data"] = id;
      rows.push_back(json::array({std::move(button)}));  // one per row: titles stay readable
    }
    json markup = json::object();
    markup["inline_keyboard"] = std::move(rows);
    body["reply_markup"] = std::move(markup);
  }
  return JsonPost(config, "sendMessage", body);
}

BuildResult BuildAnswerCallback(const Config& config, std::string_view callback_query_id,
                                std::optional<std::string_view> text) {
  if (std::string error = ValidateConfig(config); !error.empty()) return Fail(std::move(error));
  if (callback_query_id.empty() || !CountCodePoints(callback_query_id)) {
    return Fail("telegram answerCallbackQuery: callback_query_id is empty or not UTF-8");
  }
  json body = json::object();
  body["callback_query_id"] = callback_query_id;
  if (text && !text->empty()) {
    const auto count = CountCodePoints(*text);
    if (!count) return Fail("telegram answerCallbackQuery: text is not valid UTF-8");
    if (*count > kMaxAnswerCodePoints) {
      return Fail("telegram answerCallbackQuery: text has " + std::to_string(*count) +
                  " characters, Telegram allows 200");
    }
    body["text"] = *text;
  }
  return JsonPost(config, "answerCallbackQuery", body);
}

BuildResult BuildSetWebhook(const Config& config, std::string_view url,
                            std::string_view secret_token,
                            const std::vector<std::string>& allowed_updates) {
  if (std::string error = ValidateConfig(config); !error.empty()) return Fail(std::move(error));
  if (!url.starts_with("https://") || url.size() <= 8) {
    return Fail("telegram setWebhook: url must be https://<host>/...");
  }
  for (char c : url) {
    if (c <= ' ' || c >= 0x7f) return Fail("telegram setWebhook: url has spaces or non-ASCII");
  }
  if (!IsValidSecretToken(secret_token)) {
    return Fail("telegram setWebhook: secret_token must be 1-256 characters of A-Za-z0-9_-");
  }
  // An empty list means "everything but a few" to Telegram, never what we want.
  if (allowed_updates.empty()) return Fail("telegram setWebhook: allowed_updates is empty");
  for (const std::string& kind : allowed_updates) {
    if (kind.empty()) return Fail("telegram setWebhook: allowed_updates has an empty kind");
    for (char c : kind) {
      if ((c < 'a' || c > 'z') && c != '_') {
        return Fail("telegram setWebhook: allowed_updates kinds are lower_case names");
      }
    }
  }
  json body = json::object();
  body["url"] = url;
  body["secret_token"] = secret_token;
  body["allowed_updates"] = allowed_updates;
  // Updates queued while the webhook was down are still citizens waiting for an answer.
  body["drop_pending_updates"] = false;
  return JsonPost(config, "setWebhook", body);
}

}  // namespace satupintu::adapters::telegram
