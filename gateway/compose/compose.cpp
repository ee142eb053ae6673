#include "compose/compose.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "adapters/channels.hpp"
#include "adapters/sms/analysis.hpp"
#include "adapters/sms/split.hpp"
#include "adapters/sms/substitute.hpp"

namespace satupintu::compose {
namespace {

using nlohmann::json;

// Length of one UTF-8 sequence starting with `lead` (1 for a stray byte).
std::size_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

core::Error Invalid(std::string message) {
  return core::MakeError(core::ErrorCode::kInvalidArgument, std::move(message));
}

}  // namespace

std::vector<std::string> SplitText(std::string_view utf8, std::size_t max_units, bool utf16) {
  std::vector<std::string> out;
  if (max_units == 0) return out;
  std::size_t start = 0;
  while (start < utf8.size()) {
    std::size_t units = 0;
    std::size_t pos = start;
    std::size_t last_space_end = 0;  // byte offset just after a whitespace that fits
    while (pos < utf8.size()) {
      const std::size_t len =
          std::min(SequenceLength(static_cast<unsigned char>(utf8[pos])), utf8.size() - pos);
      const std::size_t cost = (utf16 && len == 4) ? 2 : 1;
      if (units + cost > max_units) break;
      units += cost;
      const char c = utf8[pos];
      pos += len;
      if (c == ' ' || c == '\n' || c == '\t') last_space_end = pos;
    }
    if (pos < utf8.size() && last_space_end > start) pos = last_space_end;
    out.emplace_back(utf8.substr(start, pos - start));
    start = pos;
  }
  if (out.empty()) out.emplace_back();
  return out;
}

std::string RenderChoicesAsText(const std::string& text,
                                const std::vector<std::pair<std::string, std::string>>& choices) {
  std::string out = text;
  int n = 0;
  for (const auto& [id, title] : choices) {
    out += '\n';
    out += std::to_string(++n);
    out += ". ";
    out += title;
  }
  return out;
}

core::Result<outbox::NewMessage> Compose(const Outgoing& o, std::int64_t now_ms) {
  const adapters::ChannelDescriptor* channel = adapters::DescriptorOf(o.channel);
  if (channel == nullptr) return Invalid("unknown channel kind");
  if (!outbox::IsValidMessageKey(o.key)) {
    return Invalid("message key must be 1-200 characters of A-Z a-z 0-9 . _ ~ -");
  }
  if (o.address.empty()) return Invalid("address is empty");
  const bool callback = !o.callback_query_id.empty();
  if (callback && !channel->callback_answers) {
    return Invalid("this channel has no callback queries to answer");
  }
  if (o.text.empty() && o.template_name.empty() && !callback) return Invalid("text is empty");

  outbox::NewMessage m;
  m.key = o.key;
  m.channel = o.channel;
  m.address = o.address;
  m.priority = o.priority;
  m.policy = o.policy;
  m.expires_at_ms = now_ms + o.ttl_ms;

  json body = json::object();
  if (!o.choices.empty()) body["choices"] = o.choices;
  if (!o.template_name.empty()) {
    body["template"] = {{"name", o.template_name},
                        {"language", o.template_language},
                        {"params", o.template_params}};
  }
  if (o.request_contact) body["request_contact"] = true;
  if (callback) body["callback_query_id"] = o.callback_query_id;
  if (!o.list_button_label.empty()) body["list_button_label"] = o.list_button_label;
  if (o.opt_out_notice) body["opt_out_notice"] = true;
  m.body_json = body.dump(-1, ' ', false, json::error_handler_t::replace);

  if (channel->IsSms()) {
    // A basic phone has no buttons: choices become numbered lines of the text.
    const std::string text = adapters::sms::SmartSubstitute(RenderChoicesAsText(o.text, o.choices));
    const std::size_t max = channel->max_sms_segments;
    auto too_long = [max] {
      return Invalid("text needs more than " + std::to_string(max) + " SMS");
    };
    if (channel->split == adapters::PartSplit::kWholeSms) {
      if (adapters::sms::Analyze(text).segments > max) return too_long();
      m.parts = {text};
    } else {
      const auto parts = adapters::sms::Split(text, 0);
      if (parts.empty() || parts.size() > max) return too_long();
      for (const auto& p : parts) m.parts.push_back(p.text);
    }
    return m;
  }
  if (callback) {
    m.parts = {o.text};  // the answer to a tapped button: one piece, maybe empty
    return m;
  }
  if (o.text.empty()) {
    if (!channel->templates) return Invalid("text is empty");
    m.parts = {""};  // a template carries its own text
    return m;
  }
  const std::size_t max = channel->max_text_units;
  auto pieces = SplitText(o.text, max, channel->utf16_units);
  const std::size_t interactive = channel->max_interactive_units;
  if (!o.choices.empty() && interactive > 0 && interactive < max) {
    // Everything but the last piece goes as plain text; the last holds the buttons.
    auto tail = SplitText(pieces.back(), interactive, channel->utf16_units);
    pieces.pop_back();
    for (auto& t : tail) pieces.push_back(std::move(t));
  }
  m.parts = std::move(pieces);
  return m;
}

std::optional<Outgoing> SmsFallback(const outbox::DuePart& part, const std::string& sms_channel) {
  const bool phone =
      !part.address.empty() && std::all_of(part.address.begin(), part.address.end(),
                                           [](char c) { return c >= '0' && c <= '9'; });
  if (!phone || sms_channel.empty()) return std::nullopt;
  Outgoing o;
  o.key = part.part_key + "-sms";
  o.channel = sms_channel;
  o.address = part.address;
  o.priority = outbox::Priority::kNotification;
  const auto message = ToAdapterMessage(part);
  o.text = message.text;
  o.choices = message.choices;
  return o;
}

bool IsChatChannel(std::string_view channel) {
  const auto colon = channel.find(':');
  return colon != std::string_view::npos && channel.substr(colon + 1) == "chat";
}

core::Result<std::int64_t> ComposeIn(storage::Db& db, const Outgoing& out, std::int64_t now_ms) {
  if (IsChatChannel(out.channel)) return std::int64_t{0};
  auto composed = Compose(out, now_ms);
  if (!composed.ok()) return composed.error();
  return outbox::EnqueueIn(db, composed.value(), now_ms);
}

adapters::OutboundMessage ToAdapterMessage(const outbox::DuePart& part) {
  adapters::OutboundMessage out;
  out.id = part.part_key;
  out.address = part.address;
  out.text = part.text;
  const json body = json::parse(part.body_json, nullptr, false);
  if (!body.is_object()) return out;
  const bool last = part.seq == part.total;
  if (last && body.contains("choices") && body["choices"].is_array()) {
    for (const auto& c : body["choices"]) {
      if (c.is_array() && c.size() == 2 && c[0].is_string() && c[1].is_string()) {
        out.choices.emplace_back(c[0].get<std::string>(), c[1].get<std::string>());
      }
    }
  }
  if (body.contains("template") && body["template"].is_object()) {
    const auto& t = body["template"];
    out.template_name = t.value("name", "");
    out.template_language = t.value("language", "");
    if (t.contains("params") && t["params"].is_array()) {
      for (const auto& p : t["params"]) {
        if (p.is_string()) out.template_params.push_back(p.get<std::string>());
      }
    }
  }
  out.request_contact = last && body.value("request_contact", false);
  return out;
}

std::string CallbackQueryOf(const outbox::DuePart& part) {
  const json body = json::parse(part.body_json, nullptr, false);
  return body.is_object() ? body.value("callback_query_id", "") : "";
}

bool IsOptOutNotice(const outbox::DuePart& part) {
  const json body = json::parse(part.body_json, nullptr, false);
  return body.is_object() && body.value("opt_out_notice", false);
}

std::string ListButtonLabelOf(const outbox::DuePart& part) {
  const json body = json::parse(part.body_json, nullptr, false);
  return body.is_object() ? body.value("list_button_label", "") : "";
}

}  // namespace satupintu::compose
