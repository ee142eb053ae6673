#include "adapters/whatsapp/envelope.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "adapters/whatsapp/text.hpp"
#include "adapters/whatsapp/window.hpp"

namespace satupintu::adapters::whatsapp {
namespace {

using internal::IsDigits;
using internal::ParseInt;
using nlohmann::json;

constexpr std::size_t kMaxPhoneDigits = 15;  // E.164
constexpr std::size_t kMinPhoneDigits = 7;

const json* Member(const json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  const auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

std::string StringAt(const json& obj, const char* key) {
  const json* v = Member(obj, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string{};
}

const json* ArrayAt(const json& obj, const char* key) {
  const json* v = Member(obj, key);
  return v != nullptr && v->is_array() ? v : nullptr;
}

// Meta sends timestamps and error codes as strings in some places and numbers in others.
std::optional<std::int64_t> IntAt(const json& obj, const char* key) {
  const json* v = Member(obj, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number_unsigned()) {
    const auto u = v->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (v->is_number_integer()) {
    const auto i = v->get<std::int64_t>();
    return i < 0 ? std::nullopt : std::optional<std::int64_t>(i);
  }
  if (v->is_string()) return ParseInt(v->get_ref<const std::string&>());
  return std::nullopt;
}

std::string Dump(const json& j) {
  // Parsed input is valid UTF-8, so `replace` never fires; it only rules out a throw.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A wa_id or `from`: digits, a leading '+' tolerated.
std::string PhoneDigits(std::string s) {
  if (!s.empty() && s.front() == '+') s.erase(0, 1);
  if (!IsDigits(s) || s.size() > kMaxPhoneDigits) return {};
  return s;
}

// A number as the user's address book spells it ("+62 812-3456-7890"): keep the digits.
std::string DigitsOf(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out.size() >= kMinPhoneDigits && out.size() <= kMaxPhoneDigits ? out : std::string{};
}

std::string ContactPhone(const json& contact) {
  const json* phones = ArrayAt(contact, "phones");
  if (phones == nullptr) return {};
  // wa_id is normalised by WhatsApp and proves the number has an account; prefer any of them.
  for (const json& p : *phones) {
    std::string wa_id = PhoneDigits(StringAt(p, "wa_id"));
    if (!wa_id.empty()) return wa_id;
  }
  for (const json& p : *phones) {
    std::string digits = DigitsOf(StringAt(p, "phone"));
    if (!digits.empty()) return digits;
  }
  return {};
}

// Sets kind, text, choice_id and contact_phone from the type-specific part of a message.
// Whatever cannot be understood stays kUnsupported: the raw item is kept for later.
void FillContent(const json& m, InboundMessage& msg) {
  msg.kind = MessageKind::kUnsupported;
  const std::string type = StringAt(m, "type");
  const json* part = Member(m, type.c_str());
  if (part == nullptr) return;
  if (type == "contacts") {
    // Only the first card: the dialogs ask for one number at a time.
    if (!part->is_array() || part->empty()) return;
    msg.contact_phone = ContactPhone((*part)[0]);
    if (msg.contact_phone.empty()) return;
    msg.kind = MessageKind::kContact;
    if (const json* name = Member((*part)[0], "name")) msg.text = StringAt(*name, "formatted_name");
    return;
  }
  if (!part->is_object()) return;

  if (type == "text") {
    if (const json* body = Member(*part, "body"); body != nullptr && body->is_string()) {
      msg.kind = MessageKind::kText;
      msg.text = body->get<std::string>();
    }
  } else if (type == "interactive") {
    const std::string sub = StringAt(*part, "type");
    if (sub != "button_reply" && sub != "list_reply") return;
    const json* reply = Member(*part, sub.c_str());
    if (reply == nullptr) return;
    msg.choice_id = StringAt(*reply, "id");
    msg.text = StringAt(*reply, "title");
    if (!msg.choice_id.empty()) msg.kind = MessageKind::kButton;
  } else if (type == "button") {
    // Template quick reply: the payload is ours, the text is what the citizen saw.
    msg.text = StringAt(*part, "text");
    msg.choice_id = StringAt(*part, "payload");
    if (msg.choice_id.empty()) msg.choice_id = msg.text;
    if (!msg.choice_id.empty()) msg.kind = MessageKind::kButton;
  } else if (type == "image" || type == "audio" || type == "video" || type == "document" ||
             type == "sticker") {
    msg.kind = MessageKind::kMedia;
    msg.text = StringAt(*part, "caption");
  } else if (type == "location") {
    const json* lat = Member(*part, "latitude");
    const json* lon = Member(*part, "longitude");
    if (lat == nullptr || lon == nullptr || !lat->is_number() || !lon->is_number()) return;
    // The contract has no coordinates field; a geo URI (RFC 5870) keeps them in `text`.
    msg.kind = MessageKind::kLocation;
    msg.text = "geo:" + lat->dump() + "," + lon->dump();
  }
}

// Why the message cannot be used, or nullptr.
const char* ParseMessage(const json& m, InboundMessage& msg) {
  if (!m.is_object()) return "not an object";
  msg.provider_id = StringAt(m, "id");
  if (msg.provider_id.empty()) return "no id";
  const std::string from = StringAt(m, "from");
  if (from.empty()) return "no sender";
  msg.address = PhoneDigits(from);
  if (msg.address.empty()) return "sender is not a phone number";
  msg.sent_at_s = IntAt(m, "timestamp").value_or(0);
  if (const json* context = Member(m, "context")) msg.reply_to = StringAt(*context, "id");
  FillContent(m, msg);
  if (msg.kind == MessageKind::kUnsupported) {
    // Half-read fields (a title without its id) would only mislead the dialogs.
    msg.text.clear();
    msg.choice_id.clear();
    msg.contact_phone.clear();
  }
  msg.raw = Dump(m);
  return nullptr;
}

std::optional<DeliveryState> StateOf(const std::string& status) {
  if (status == "sent") return DeliveryState::kSent;
  if (status == "delivered") return DeliveryState::kDelivered;
  if (status == "read") return DeliveryState::kRead;
  if (status == "failed") return DeliveryState::kFailed;
  return std::nullopt;
}

const char* ParseStatus(const json& s, StatusUpdate& st) {
  if (!s.is_object()) return "not an object";
  st.provider_message_id = StringAt(s, "id");
  if (st.provider_message_id.empty()) return "no id";
  const auto state = StateOf(StringAt(s, "status"));
  // "deleted", "warning" and newer values carry nothing the outbox tracks.
  if (!state) return "status value not tracked";
  st.state = *state;
  st.at_s = IntAt(s, "timestamp").value_or(0);
  if (const json* errors = ArrayAt(s, "errors"); errors != nullptr && !errors->empty()) {
    const json& e = (*errors)[0];
    if (const auto code = IntAt(e, "code")) {
      st.error_code = std::to_string(*code);
      st.outside_window = *code == kOutsideWindowCode;
    }
    std::string title = StringAt(e, "title");
    if (title.empty()) title = StringAt(e, "message");
    st.error_title = internal::SafeText(title);
  }
  return nullptr;
}

std::string Where(std::size_t entry, std::size_t change) {
  return "entry " + std::to_string(entry) + " change " + std::to_string(change);
}

// Field names are Meta's vocabulary, not user data; anything else is not echoed.
std::string SafeFieldName(const std::string& field) {
  if (field.empty() || field.size() > 40) return "(unnamed)";
  for (const char c : field) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return "(unnamed)";
  }
  return field;
}

void ParseValue(const json& value, const std::string& where, ParsedRequest& out) {
  if (const json* messages = Member(value, "messages")) {
    if (!messages->is_array()) {
      out.notes.push_back(where + ": messages is not an array, skipped");
    } else {
      for (std::size_t i = 0; i < messages->size(); ++i) {
        InboundMessage msg;
        if (const char* why = ParseMessage((*messages)[i], msg)) {
          out.notes.push_back(where + " message " + std::to_string(i) + ": " + why + ", skipped");
        } else {
          out.messages.push_back(std::move(msg));
        }
      }
    }
  }
  if (const json* statuses = Member(value, "statuses")) {
    if (!statuses->is_array()) {
      out.notes.push_back(where + ": statuses is not an array, skipped");
    } else {
      for (std::size_t i = 0; i < statuses->size(); ++i) {
        StatusUpdate st;
        if (const char* why = ParseStatus((*statuses)[i], st)) {
          out.notes.push_back(where + " status " + std::to_string(i) + ": " + why + ", skipped");
        } else {
          out.statuses.push_back(std::move(st));
        }
      }
    }
  }
  // Errors about the number or the app as a whole, not about one message.
  if (const json* errors = ArrayAt(value, "errors")) {
    for (const json& e : *errors) {
      const auto code = IntAt(e, "code");
      out.notes.push_back(where + ": provider reported error " +
                          (code ? std::to_string(*code) : std::string("without code")));
    }
  }
}

}  // namespace

void ParseEnvelope(std::string_view body, ParsedRequest& out, std::string_view phone_number_id) {
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    out.http_status = 400;
    out.notes.emplace_back("body is not JSON");
    return;
  }
  const json* entries = ArrayAt(doc, "entry");
  if (StringAt(doc, "object") != "whatsapp_business_account" || entries == nullptr) {
    out.http_status = 400;
    out.notes.emplace_back("not a whatsapp_business_account envelope");
    return;
  }
  out.http_status = 200;
  for (std::size_t e = 0; e < entries->size(); ++e) {
    const json* changes = ArrayAt((*entries)[e], "changes");
    if (changes == nullptr) {
      out.notes.push_back("entry " + std::to_string(e) + ": no changes array, skipped");
      continue;
    }
    for (std::size_t c = 0; c < changes->size(); ++c) {
      const json& change = (*changes)[c];
      const std::string field = StringAt(change, "field");
      if (field != "messages") {
        out.notes.push_back(Where(e, c) + ": field " + SafeFieldName(field) + " ignored");
        continue;
      }
      const json* value = Member(change, "value");
      if (value == nullptr || !value->is_object()) {
        out.notes.push_back(Where(e, c) + ": no value object, skipped");
        continue;
      }
      const json* metadata = Member(*value, "metadata");
      if (metadata == nullptr || StringAt(*metadata, "phone_number_id") != phone_number_id) {
        int items = 0;
        for (const char* kind : {"messages", "statuses"}) {
          if (const json* list = ArrayAt(*value, kind)) items += static_cast<int>(list->size());
        }
        out.foreign_items += items;
        out.notes.push_back(Where(e, c) + ": for another phone_number_id, " +
                            std::to_string(items) + " item(s) refused");
        continue;
      }
      ParseValue(*value, Where(e, c), out);
    }
  }
}

}  // namespace satupintu::adapters::whatsapp
