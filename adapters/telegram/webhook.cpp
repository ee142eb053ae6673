#include "adapters/telegram/webhook.hpp"

#include "adapters/core/secret_compare.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "adapters/core/phone.hpp"

namespace satupintu::adapters::telegram {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxLanguageLength = 35;  // BCP 47 tags are short; anything longer is junk

// Kinds that are stored and answered "text only"; the file itself stays on Telegram.
constexpr std::array<const char*, 8> kMediaFields = {
    "photo", "voice", "audio", "video", "video_note", "document", "sticker", "animation"};

const json* Get(const json* object, const char* key) {
  if (object == nullptr || !object->is_object()) return nullptr;
  const auto it = object->find(key);
  return it == object->end() ? nullptr : &*it;
}

std::optional<std::int64_t> Int64(const json* value) {
  if (value == nullptr) return std::nullopt;
  if (value->is_number_unsigned()) {
    const auto u = value->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(u);
  }
  if (value->is_number_integer()) return value->get<std::int64_t>();
  return std::nullopt;
}

std::string String(const json* value) {
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

bool IsTrue(const json* value) {
  return value != nullptr && value->is_boolean() && value->get<bool>();
}

// Field names come from the payload; only echo ones that look like Telegram's own.
std::string SafeKind(std::string_view key) {
  if (key.empty() || key.size() > 40) return "unknown";
  for (char c : key) {
    if ((c < 'a' || c > 'z') && c != '_') return "unknown";
  }
  return std::string(key);
}

class UpdateParser {
 public:
  UpdateParser(const IncomingHttp& request, std::string update_id, ParsedRequest& out)
      : request_(request), update_id_(std::move(update_id)), out_(out) {}

  void Parse(const json& update) {
    if (const json* message = Get(&update, "message")) return ParseMessage(*message);
    if (const json* query = Get(&update, "callback_query")) return ParseCallback(*query);
    std::string kind = "unknown";
    for (const auto& [key, value] : update.items()) {
      if (key != "update_id") {
        kind = SafeKind(key);
        break;
      }
    }
    Note(kind + " ignored");
  }

 private:
  void Note(std::string_view what) {
    out_.notes.push_back("update " + update_id_ + ": " + std::string(what));
  }

  InboundMessage Start(std::int64_t chat_id, const json* from) {
    InboundMessage m;
    m.provider_id = update_id_;
    m.address = "tg:" + std::to_string(chat_id);
    std::string language = String(Get(from, "language_code"));
    if (language.size() <= kMaxLanguageLength) m.language = std::move(language);
    m.raw = request_.body;  // one update per POST: the body is the update, byte for byte
    return m;
  }

  // The dialogs ask for NIK and family details: in a group every member would read them.
  bool IsPrivate(const json* chat, std::string_view what) {
    const std::string type = String(Get(chat, "type"));
    if (type == "private") return true;
    const bool known = type == "group" || type == "supergroup" || type == "channel";
    Note(std::string(what) + " from a " + (known ? type : std::string("non-private")) +
         " chat ignored");
    return false;
  }

  // "<chat id>:<message id>", the same shape ClassifySend gives our own messages.
  static std::string MessageRef(std::int64_t chat_id, const json* message) {
    const auto id = Int64(Get(message, "message_id"));
    return id ? std::to_string(chat_id) + ":" + std::to_string(*id) : std::string();
  }

  void ParseMessage(const json& message) {
    const json* chat = Get(&message, "chat");
    const auto chat_id = Int64(Get(chat, "id"));
    if (!chat_id) return Note("message without chat id skipped");
    if (!IsPrivate(chat, "message")) return;
    const json* from = Get(&message, "from");
    InboundMessage m = Start(*chat_id, from);
    m.sent_at_s = Int64(Get(&message, "date")).value_or(0);
    const json* replied = Get(&message, "reply_to_message");
    // In a private chat the only bot is us: a reply to a bot message answers one of ours.
    if (IsTrue(Get(Get(replied, "from"), "is_bot"))) m.reply_to = MessageRef(*chat_id, replied);

    if (const json* text = Get(&message, "text"); text != nullptr && text->is_string()) {
      m.kind = MessageKind::kText;
      m.text = text->get<std::string>();
    } else if (const json* contact = Get(&message, "contact")) {
      FillContact(*contact, from, m);
    } else if (Get(&message, "location") != nullptr || Get(&message, "venue") != nullptr) {
      m.kind = MessageKind::kLocation;  // coordinates stay in raw
    } else if (IsMedia(message)) {
      m.kind = MessageKind::kMedia;
      m.text = String(Get(&message, "caption"));
    } else {
      m.kind = MessageKind::kUnsupported;
    }
    out_.messages.push_back(std::move(m));
  }

  static bool IsMedia(const json& message) {
    for (const char* field : kMediaFields) {
      if (Get(&message, field) != nullptr) return true;
    }
    return false;
  }

  void FillContact(const json& contact, const json* from, InboundMessage& m) {
    // Anyone can forward someone else's contact card; only the card of the sender's own
    // account (what the request_contact button sends) proves whose number this is.
    const auto owner = Int64(Get(&contact, "user_id"));
    const auto sender = Int64(Get(from, "id"));
    if (!owner || !sender || *owner != *sender) {
      m.kind = MessageKind::kUnsupported;
      return Note("contact is not the sender's own; number not taken");
    }
    std::string phone = ContactPhone(String(Get(&contact, "phone_number")));
    if (phone.empty()) {
      m.kind = MessageKind::kUnsupported;
      return Note("contact without a usable phone number");
    }
    m.kind = MessageKind::kContact;
    m.contact_phone = std::move(phone);
  }

  void ParseCallback(const json& query) {
    const std::string id = String(Get(&query, "id"));
    if (id.empty()) return Note("callback_query without id skipped");
    const json* from = Get(&query, "from");
    const json* message = Get(&query, "message");
    const json* chat = Get(message, "chat");
    // Without the message (too old, or inline mode) the private chat id is the user id.
    auto chat_id = Int64(Get(chat, "id"));
    if (chat_id) {
      if (!IsPrivate(chat, "callback_query")) return;
    } else {
      chat_id = Int64(Get(from, "id"));
    }
    if (!chat_id) return Note("callback_query without chat or user id skipped");

    // No timestamp: a callback query carries none, and message.date is when we sent the button.
    InboundMessage m = Start(*chat_id, from);
    m.callback_query_id = id;
    m.reply_to = MessageRef(*chat_id, message);
    if (const json* data = Get(&query, "data"); data != nullptr && data->is_string()) {
      m.kind = MessageKind::kButton;
      m.choice_id = data->get<std::string>();
    } else {
      m.kind = MessageKind::kUnsupported;  // game buttons; still to be answered
    }
    out_.messages.push_back(std::move(m));
  }

  const IncomingHttp& request_;
  std::string update_id_;
  ParsedRequest& out_;
};

ParsedRequest Refuse(int status, std::string note) {
  ParsedRequest out;
  out.http_status = status;
  out.notes.push_back(std::move(note));
  return out;
}

}  // namespace

std::string ContactPhone(std::string_view phone_number) {
  while (phone_number.starts_with(' ')) phone_number.remove_prefix(1);
  std::string input(phone_number);
  // Without the '+' NormalizePhone would take "447700900123" for a malformed local number.
  if (!input.empty() && input[0] >= '1' && input[0] <= '9') input.insert(0, "+");
  return NormalizePhone(input).value_or(std::string());
}

ParsedRequest ParseWebhook(const Config& config, const IncomingHttp& request) {
  if (request.method != "POST") return Refuse(405, "telegram webhook: method not allowed");
  const std::string_view secret = request.Header(kSecretTokenHeader);
  if (secret.empty()) return Refuse(401, "telegram webhook: secret token header missing");
  if (config.secret_token.empty() || !SecretEquals(secret, config.secret_token)) {
    return Refuse(403, "telegram webhook: wrong secret token");
  }

  const json update = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (update.is_discarded() || !update.is_object()) {
    return Refuse(400, "telegram webhook: body is not a JSON object");
  }
  const auto update_id = Int64(Get(&update, "update_id"));
  if (!update_id) return Refuse(400, "telegram webhook: update_id missing or not an integer");

  ParsedRequest out;
  UpdateParser(request, std::to_string(*update_id), out).Parse(update);
  return out;
}

}  // namespace satupintu::adapters::telegram
