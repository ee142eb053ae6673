#include "fakes/fake_bot_api.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace satupintu::testing::fakes {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxText = 4096;
constexpr std::size_t kMaxCallbackData = 64;  // bytes, not characters
constexpr std::size_t kMaxSecretToken = 256;

FakeResponse Error(int status, const std::string& description) {
  return FakeResponse{
      status, json{{"ok", false}, {"error_code", status}, {"description", description}}.dump(), {}};
}

FakeResponse Ok(json result) {
  return FakeResponse{200, json{{"ok", true}, {"result", std::move(result)}}.dump(), {}};
}

// Telegram counts text length after entity parsing in UTF-16 units; code points are close
// enough for a fake and exact for the BMP.
std::size_t Utf8Length(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// chat_id arrives as a number or as "@channel" / a numeric string; one key for both spellings.
std::string ChatKey(const json& chat_id) {
  if (chat_id.is_number_integer()) return std::to_string(chat_id.get<std::int64_t>());
  if (chat_id.is_string()) return chat_id.get<std::string>();
  return {};
}

// True when every callback_data in an inline keyboard is 1-64 bytes.
bool CallbackDataOk(const json& markup) {
  if (!markup.is_object()) return true;
  const auto rows = markup.find("inline_keyboard");
  if (rows == markup.end()) return true;
  if (!rows->is_array()) return false;
  for (const auto& row : *rows) {
    if (!row.is_array()) return false;
    for (const auto& button : row) {
      const auto data = button.find("callback_data");
      if (data == button.end()) continue;
      if (!data->is_string()) return false;
      const auto size = data->get_ref<const std::string&>().size();
      if (size == 0 || size > kMaxCallbackData) return false;
    }
  }
  return true;
}

bool SecretTokenOk(const std::string& secret) {
  if (secret.size() > kMaxSecretToken) return false;
  return std::all_of(secret.begin(), secret.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

}  // namespace

FakeBotApi::FakeBotApi(BotApiConfig config)
    : config_(std::move(config)),
      clock_([] { return std::chrono::steady_clock::now(); }),
      global_(config_.global_per_second, config_.global_burst) {
  server_ = std::make_unique<FakeServer>(
      [this](const RecordedRequest& request) { return Handle(request); });
}

FakeBotApi::~FakeBotApi() { server_->Stop(); }

std::string FakeBotApi::MethodPath(const std::string& method) const {
  return "/bot" + config_.token + "/" + method;
}

void FakeBotApi::SetClock(Clock clock) {
  std::lock_guard lock(mutex_);
  clock_ = std::move(clock);
}

void FakeBotApi::Block(const std::string& chat_id) {
  std::lock_guard lock(mutex_);
  blocked_.insert(chat_id);
}

void FakeBotApi::Unblock(const std::string& chat_id) {
  std::lock_guard lock(mutex_);
  blocked_.erase(chat_id);
}

void FakeBotApi::ScriptHttpStatus(int status, int times) {
  const std::string description = status == 502   ? "Bad Gateway"
                                  : status == 503 ? "Service Unavailable"
                                                  : "Internal Server Error";
  server_->Script(Error(status, description), times);
}

FakeCounters FakeBotApi::Counters() const {
  std::lock_guard lock(mutex_);
  auto out = counters_;
  out.scripted = static_cast<int>(server_->ScriptedAnswers());
  return out;
}

std::vector<WebhookRegistration> FakeBotApi::WebhookRegistrations() const {
  std::lock_guard lock(mutex_);
  return webhooks_;
}

std::vector<std::string> FakeBotApi::AnsweredCallbackQueries() const {
  std::lock_guard lock(mutex_);
  return answered_;
}

FakeResponse FakeBotApi::Handle(const RecordedRequest& request) {
  // /bot<token>/<method>[?query]
  const std::string& target = request.target;
  const auto slash = target.find('/', 1);
  if (target.rfind("/bot", 0) != 0 || slash == std::string::npos) return Error(404, "Not Found");
  const std::string token = target.substr(4, slash - 4);
  std::string method = target.substr(slash + 1);
  method = method.substr(0, method.find('?'));
  std::lock_guard lock(mutex_);
  if (token != config_.token) {
    ++counters_.unauthorized;
    return Error(401, "Unauthorized");
  }
  if (method == "sendMessage") return SendMessageLocked(request.body);
  if (method == "answerCallbackQuery") return AnswerCallbackQueryLocked(request.body);
  if (method == "setWebhook") return SetWebhookLocked(request.body);
  return Error(404, "Not Found");
}

FakeResponse FakeBotApi::SendMessageLocked(const std::string& body) {
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  const json chat_id = doc.is_object() ? doc.value("chat_id", json()) : json();
  const std::string chat = ChatKey(chat_id);
  if (chat.empty()) {
    ++counters_.rejected;
    return Error(400, "Bad Request: chat_id is empty");
  }
  auto& per = counters_.per_recipient[chat];
  const auto text_it = doc.find("text");
  const std::string text =
      text_it != doc.end() && text_it->is_string() ? text_it->get<std::string>() : "";
  std::string problem;
  if (text.empty()) {
    problem = "Bad Request: message text is empty";
  } else if (Utf8Length(text) > kMaxText) {
    problem = "Bad Request: message is too long";
  } else if (!CallbackDataOk(doc.value("reply_markup", json()))) {
    problem = "Bad Request: BUTTON_DATA_INVALID";
  }
  if (!problem.empty()) {
    ++counters_.rejected;
    ++per.rejected;
    return Error(400, problem);
  }
  if (blocked_.contains(chat)) {
    ++counters_.rejected;
    ++per.rejected;
    return Error(403, "Forbidden: bot was blocked by the user");
  }
  const auto now = clock_();
  auto bucket = per_chat_.find(chat);
  if (bucket == per_chat_.end()) {
    bucket =
        per_chat_.emplace(chat, TokenBucket(config_.per_chat_per_second, config_.per_chat_burst))
            .first;
  }
  // Both limits are checked before either is charged, so a refused send costs no token.
  const auto wait = std::max(global_.WaitTime(now), bucket->second.WaitTime(now));
  if (wait.count() > 0) {
    ++counters_.rate_limited;
    ++per.rate_limited;
    // Telegram rounds up to whole seconds and never says 0.
    const auto retry_after = std::max<std::int64_t>(1, (wait.count() + 999) / 1000);
    auto response = Error(429, "Too Many Requests: retry after " + std::to_string(retry_after));
    auto parsed = json::parse(response.body);
    parsed["parameters"] = {{"retry_after", retry_after}};
    response.body = parsed.dump();
    return response;
  }
  global_.TryTake(now);
  bucket->second.TryTake(now);
  ++counters_.accepted;
  ++per.accepted;
  const auto date = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  const bool is_private = chat_id.is_number_integer() && chat_id.get<std::int64_t>() > 0;
  return Ok({{"message_id", ++next_message_id_[chat]},
             {"from",
              {{"id", config_.bot_id},
               {"is_bot", true},
               {"first_name", "Fake Bot"},
               {"username", config_.bot_username}}},
             {"chat", {{"id", chat_id}, {"type", is_private ? "private" : "group"}}},
             {"date", date},
             {"text", text}});
}

FakeResponse FakeBotApi::AnswerCallbackQueryLocked(const std::string& body) {
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  const auto id = doc.is_object() ? doc.value("callback_query_id", json()) : json();
  if (!id.is_string() || id.get<std::string>().empty()) {
    return Error(400, "Bad Request: query_id is empty");
  }
  const auto text = doc.value("text", json(""));
  if (text.is_string() && Utf8Length(text.get<std::string>()) > 200) {
    return Error(400, "Bad Request: MESSAGE_TOO_LONG");
  }
  answered_.push_back(id.get<std::string>());
  return Ok(true);
}

FakeResponse FakeBotApi::SetWebhookLocked(const std::string& body) {
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  const auto url = doc.is_object() ? doc.value("url", json()) : json();
  const auto secret = doc.is_object() ? doc.value("secret_token", json("")) : json("");
  if (!url.is_string() || !secret.is_string()) {
    return Error(400, "Bad Request: bad webhook: invalid parameters");
  }
  if (!SecretTokenOk(secret.get<std::string>())) {
    return Error(400, "Bad Request: secret token contains unallowed characters");
  }
  webhooks_.push_back({url.get<std::string>(), secret.get<std::string>()});
  auto response = Ok(true);
  auto parsed = json::parse(response.body);
  // An empty url removes the webhook, as with Telegram.
  parsed["description"] =
      url.get<std::string>().empty() ? "Webhook was deleted" : "Webhook was set";
  response.body = parsed.dump();
  return response;
}

}  // namespace satupintu::testing::fakes
