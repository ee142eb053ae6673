#include "adapters/whatsapp/send.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <string_view>
#include <utility>

#include "adapters/whatsapp/descriptor.hpp"
#include "adapters/whatsapp/text.hpp"

namespace satupintu::adapters::whatsapp {
namespace {

using nlohmann::json;

// Limits from the Cloud API reference, in characters (counted as UTF-16 units); those the
// composer and the dialogs shape for are the channel descriptor's.
constexpr std::size_t kMaxText = kDescriptor.max_text_units;
constexpr std::size_t kMaxInteractiveBody = kDescriptor.max_interactive_units;
constexpr std::size_t kMaxButtons = kDescriptor.max_buttons;
constexpr std::size_t kMaxButtonTitle = kDescriptor.max_button_title;
constexpr std::size_t kMaxButtonId = 256;
constexpr std::size_t kMaxRows = 10;
constexpr std::size_t kMaxRowTitle = kDescriptor.max_list_title;
constexpr std::size_t kMaxRowId = 200;
constexpr std::size_t kMaxListLabel = 20;
constexpr std::size_t kMaxTemplateName = 512;
constexpr std::size_t kMaxTemplateParam = 1024;
constexpr std::size_t kMinAddress = 7;
constexpr std::size_t kMaxAddress = 15;  // E.164

BuildResult Fail(std::string error) { return BuildResult{std::nullopt, std::move(error)}; }

// Empty when `s` is valid UTF-8 of 1..max characters; else the broken rule, naming `what`.
std::string CheckLength(const std::string& what, std::string_view s, std::size_t max) {
  const auto len = internal::Utf16Length(s);
  if (!len) return what + " is not valid UTF-8";
  if (*len == 0) return what + " is empty";
  if (*len > max) return what + " is longer than " + std::to_string(max) + " characters";
  return {};
}

bool IsTemplateName(std::string_view s) {
  if (s.empty() || s.size() > kMaxTemplateName) return false;
  for (const char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// "id", "en", "en_US": letters and one underscore at most, as Meta's language codes are.
bool IsLanguageCode(std::string_view s) {
  if (s.size() < 2 || s.size() > 15) return false;
  for (const char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')) return false;
  }
  return true;
}

// Meta refuses template parameters with a newline, a tab or more than four spaces in a row.
bool IsTemplateParamShape(std::string_view s) {
  if (s.find_first_of("\n\t\r") != std::string_view::npos) return false;
  return s.find("     ") == std::string_view::npos;
}

std::string BuildTemplate(const OutboundMessage& m, json& body) {
  if (!IsTemplateName(m.template_name)) {
    return "template name must be 1-512 of a-z, 0-9 and _";
  }
  if (!IsLanguageCode(m.template_language)) return "template language code missing or invalid";
  json parameters = json::array();
  for (std::size_t i = 0; i < m.template_params.size(); ++i) {
    const std::string& p = m.template_params[i];
    const std::string what = "template parameter " + std::to_string(i + 1);
    if (std::string error = CheckLength(what, p, kMaxTemplateParam); !error.empty()) return error;
    if (!IsTemplateParamShape(p)) return what + " has a newline, a tab or 5+ spaces in a row";
    parameters.push_back({{"type", "text"}, {"text", p}});
  }
  json tmpl = {{"name", m.template_name}, {"language", {{"code", m.template_language}}}};
  if (!parameters.empty()) {
    tmpl["components"] = json::array({{{"type", "body"}, {"parameters", std::move(parameters)}}});
  }
  body["type"] = "template";
  body["template"] = std::move(tmpl);
  return {};
}

// Ids must be unique so the reply maps back to one choice; button titles too, Meta demands it.
std::string CheckChoices(const OutboundMessage& m, std::size_t max_title, std::size_t max_id,
                         bool unique_titles) {
  std::set<std::string_view> ids;
  std::set<std::string_view> titles;
  for (std::size_t i = 0; i < m.choices.size(); ++i) {
    const auto& [id, title] = m.choices[i];
    const std::string n = std::to_string(i + 1);
    if (std::string error = CheckLength("choice " + n + " id", id, max_id); !error.empty()) {
      return error;
    }
    if (std::string error = CheckLength("choice " + n + " title", title, max_title);
        !error.empty()) {
      return error;
    }
    if (!ids.insert(id).second) return "choice " + n + " repeats an id";
    if (unique_titles && !titles.insert(title).second) return "choice " + n + " repeats a title";
  }
  return {};
}

std::string BuildButtons(const OutboundMessage& m, json& body) {
  if (std::string error = CheckChoices(m, kMaxButtonTitle, kMaxButtonId, true); !error.empty()) {
    return error;
  }
  json buttons = json::array();
  for (const auto& [id, title] : m.choices) {
    buttons.push_back({{"type", "reply"}, {"reply", {{"id", id}, {"title", title}}}});
  }
  body["type"] = "interactive";
  body["interactive"] = {{"type", "button"},
                         {"body", {{"text", m.text}}},
                         {"action", {{"buttons", std::move(buttons)}}}};
  return {};
}

std::string BuildList(const Config& config, const OutboundMessage& m, json& body) {
  if (std::string error = CheckLength("list button label", config.list_button_label, kMaxListLabel);
      !error.empty()) {
    return error;
  }
  if (std::string error = CheckChoices(m, kMaxRowTitle, kMaxRowId, false); !error.empty()) {
    return error;
  }
  json rows = json::array();
  for (const auto& [id, title] : m.choices) rows.push_back({{"id", id}, {"title", title}});
  // One section needs no title; a title is required only when there are several.
  json sections = json::array({{{"rows", std::move(rows)}}});
  body["type"] = "interactive";
  body["interactive"] = {
      {"type", "list"},
      {"body", {{"text", m.text}}},
      {"action", {{"button", config.list_button_label}, {"sections", std::move(sections)}}}};
  return {};
}

std::string MessagesUrl(const Config& config) {
  std::string_view base = config.base_url;
  while (base.ends_with('/')) base.remove_suffix(1);
  std::string url(base);
  url += '/';
  url += config.api_version;
  url += '/';
  url += config.phone_number_id;
  url += "/messages";
  return url;
}

}  // namespace

BuildResult BuildSend(const Config& config, const OutboundMessage& message) {
  if (std::string error = ValidateSendConfig(config); !error.empty()) return Fail(error);
  if (!internal::IsDigits(message.address) || message.address.size() < kMinAddress ||
      message.address.size() > kMaxAddress) {
    return Fail("address is not 7-15 digits");
  }
  json body = {
      {"messaging_product", "whatsapp"}, {"recipient_type", "individual"}, {"to", message.address}};
  std::string error;
  if (!message.template_name.empty()) {
    error = BuildTemplate(message, body);
  } else if (message.choices.size() > kMaxRows) {
    error = "more than 10 choices";
  } else if (!message.choices.empty()) {
    error = CheckLength("interactive body", message.text, kMaxInteractiveBody);
    if (error.empty()) {
      error = message.choices.size() <= kMaxButtons ? BuildButtons(message, body)
                                                    : BuildList(config, message, body);
    }
  } else {
    error = CheckLength("text", message.text, kMaxText);
    if (error.empty()) {
      body["type"] = "text";
      // No link previews: they make the citizen's phone fetch third-party pages.
      body["text"] = {{"preview_url", false}, {"body", message.text}};
    }
  }
  if (!error.empty()) return Fail(std::move(error));

  HttpCall call;
  call.method = "POST";
  call.url = MessagesUrl(config);
  call.headers = {{"authorization", "Bearer " + config.access_token},
                  {"content-type", "application/json"}};
  // Every string was checked as valid UTF-8 above, so dump() cannot throw.
  call.body = body.dump();
  return BuildResult{std::move(call), {}};
}

}  // namespace satupintu::adapters::whatsapp
