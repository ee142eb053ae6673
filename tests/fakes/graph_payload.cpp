#include "fakes/graph_payload.hpp"

#include <nlohmann/json.hpp>
#include <set>

namespace satupintu::testing::fakes::graph {

namespace {

using nlohmann::json;

// Meta counts characters, not bytes.
std::size_t Utf8Length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// A member of an object, or null for a missing key or a non-object: senders under test may
// send any shape, and a type error here would turn a 400 into a 500.
const json& At(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  const auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string StringAt(const json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

bool TextOk(const std::string& s, std::size_t max) { return !s.empty() && Utf8Length(s) <= max; }

// Empty when valid.
std::string CheckButtons(const json& action) {
  const auto& buttons = At(action, "buttons");
  if (!buttons.is_array() || buttons.empty() || buttons.size() > 3)
    return "(#100) Param interactive['action']['buttons'] must have 1 to 3 buttons";
  std::set<std::string> titles;
  std::set<std::string> ids;
  for (const auto& button : buttons) {
    const auto& reply = At(button, "reply");
    const auto id = StringAt(reply, "id");
    const auto title = StringAt(reply, "title");
    if (!TextOk(id, 256) || !TextOk(title, 20))
      return "(#100) Invalid reply button: id 1-256 and title 1-20 characters";
    if (!titles.insert(title).second || !ids.insert(id).second)
      return "(#100) Reply button titles and ids must be unique";
  }
  return {};
}

std::string CheckList(const json& action) {
  if (!TextOk(StringAt(action, "button"), 20))
    return "(#100) Param interactive['action']['button'] must be 1-20 characters";
  const auto& sections = At(action, "sections");
  if (!sections.is_array() || sections.empty()) return "(#100) List needs sections";
  std::size_t rows_total = 0;
  for (const auto& section : sections) {
    const auto& rows = At(section, "rows");
    if (!rows.is_array()) return "(#100) List section rows must be an array";
    for (const auto& row : rows) {
      ++rows_total;
      if (!TextOk(StringAt(row, "id"), 200) || !TextOk(StringAt(row, "title"), 24) ||
          Utf8Length(StringAt(row, "description")) > 72)
        return "(#100) Invalid list row: id 1-200, title 1-24, description <= 72 characters";
    }
  }
  if (rows_total == 0 || rows_total > 10) return "(#100) A list has 1 to 10 rows in total";
  return {};
}

std::string CheckInteractive(const json& interactive) {
  if (!interactive.is_object()) return "(#100) The parameter interactive is required.";
  if (!TextOk(StringAt(At(interactive, "body"), "text"), 1024))
    return "(#100) Param interactive['body']['text'] must be 1-1024 characters";
  for (const char* part : {"header", "footer"}) {
    const auto it = interactive.find(part);
    if (it != interactive.end() && Utf8Length(StringAt(*it, "text")) > 60)
      return std::string("(#100) Param interactive['") + part + "'] is longer than 60 characters";
  }
  const auto kind = StringAt(interactive, "type");
  const auto& action = At(interactive, "action");
  if (kind == "button") return CheckButtons(action);
  if (kind == "list") return CheckList(action);
  return "(#100) Param interactive['type'] must be one of {button, list}";
}

std::string CheckTemplate(const json& tmpl) {
  if (StringAt(tmpl, "name").empty()) return "(#100) The parameter template['name'] is required.";
  if (StringAt(At(tmpl, "language"), "code").empty())
    return "(#100) The parameter template['language']['code'] is required.";
  return {};
}

}  // namespace

std::optional<SendRequest> ParseSend(std::string_view body, std::string* error) {
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) {
    *error = "(#100) Invalid parameter: the body is not a JSON object";
    return std::nullopt;
  }
  if (StringAt(doc, "messaging_product") != "whatsapp") {
    *error = "(#100) The parameter messaging_product is required.";
    return std::nullopt;
  }
  SendRequest out;
  out.to = StringAt(doc, "to");
  if (out.to.empty()) {
    *error = "(#100) The parameter to is required.";
    return std::nullopt;
  }
  // Meta treats a missing type as text.
  out.type = doc.contains("type") ? StringAt(doc, "type") : "text";
  std::string problem;
  if (out.type == "text") {
    if (!TextOk(StringAt(At(doc, "text"), "body"), 4096))
      problem = "(#100) Param text['body'] must be 1-4096 characters";
  } else if (out.type == "interactive") {
    problem = CheckInteractive(At(doc, "interactive"));
  } else if (out.type == "template") {
    problem = CheckTemplate(At(doc, "template"));
  } else {
    problem = "(#100) Param type must be one of {text, interactive, template} in this fake";
  }
  if (!problem.empty()) {
    *error = std::move(problem);
    return std::nullopt;
  }
  return out;
}

std::string ErrorBody(int code, std::string_view message, std::string_view details, int subcode) {
  json error = {{"message", message},
                {"type", "OAuthException"},  // Graph uses it for send errors too
                {"code", code},
                {"fbtrace_id", "AFakeTraceId0"}};
  if (subcode != 0) error["error_subcode"] = subcode;
  if (!details.empty())
    error["error_data"] = {{"messaging_product", "whatsapp"}, {"details", details}};
  return json{{"error", error}}.dump();
}

std::string SuccessBody(const std::string& to, const std::string& wamid) {
  return json{{"messaging_product", "whatsapp"},
              {"contacts", json::array({{{"input", to}, {"wa_id", to}}})},
              {"messages", json::array({{{"id", wamid}}})}}
      .dump();
}

std::string StatusEnvelope(const StatusEvent& e) {
  json status = {{"id", e.wamid},
                 {"status", e.status},
                 {"timestamp", std::to_string(e.timestamp)},
                 {"recipient_id", e.recipient}};
  if (e.error_code) {
    status["errors"] = json::array({{{"code", *e.error_code},
                                     {"title", ErrorTitle(*e.error_code)},
                                     {"message", ErrorTitle(*e.error_code)},
                                     {"error_data", {{"details", ErrorDetails(*e.error_code)}}}}});
  }
  json value = {
      {"messaging_product", "whatsapp"},
      {"metadata",
       {{"display_phone_number", e.display_phone_number}, {"phone_number_id", e.phone_number_id}}},
      {"statuses", json::array({status})}};
  json envelope = {
      {"object", "whatsapp_business_account"},
      {"entry",
       json::array({{{"id", e.waba_id},
                     {"changes", json::array({{{"field", "messages"}, {"value", value}}})}}})}};
  return envelope.dump(-1, ' ', /*ensure_ascii=*/true);
}

std::string ErrorTitle(int code) {
  switch (code) {
    case 190:
      return "Invalid OAuth access token";
    case 100:
      return "Invalid parameter";
    case 130429:
      return "Rate limit hit";
    case 131056:
      return "(Business Account, Consumer Account) pair rate limit hit";
    case 131047:
      return "Re-engagement message";
    case 131026:
      return "Message undeliverable";
    default:
      return "Error " + std::to_string(code);
  }
}

std::string ErrorDetails(int code) {
  switch (code) {
    case 130429:
      return "Cloud API message throughput has been reached.";
    case 131056:
      return "Too many messages sent from the sender phone number to the same recipient phone "
             "number in a short period of time.";
    case 131047:
      return "Message failed to send because more than 24 hours have passed since the customer "
             "last replied to this number.";
    default:
      return ErrorTitle(code);
  }
}

}  // namespace satupintu::testing::fakes::graph
