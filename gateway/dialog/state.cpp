#include "dialog/state.hpp"

#include <nlohmann/json.hpp>

namespace satupintu::dialog {

using nlohmann::json;

std::string SerializeState(const State& s) {
  json j = {{"v", 1}, {"lang", s.language}};
  if (!s.flow.empty()) {
    j["flow"] = s.flow;
    j["step"] = s.step;
  }
  if (!s.slots.empty()) j["slots"] = s.slots;
  if (!s.prefill.empty()) j["prefill"] = s.prefill;
  if (!s.candidates.empty()) {
    json c = json::array();
    for (const auto& [id, label] : s.candidates) c.push_back({id, label});
    j["cand"] = std::move(c);
  }
  if (s.page_size != 0) j["page"] = {s.page_start, s.page_size};
  if (s.tries != 0) j["tries"] = s.tries;
  if (!s.awaiting.empty()) j["await"] = s.awaiting;
  j["at"] = s.last_activity_ms;
  if (s.reminded) j["rem"] = true;
  if (!s.resume_flow.empty()) {
    j["rflow"] = s.resume_flow;
    j["rstep"] = s.resume_step;
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

// The numbers SerializeState writes are integers. A float where one is expected is no state of
// ours, and converting it (1e300 to an int) would be undefined behaviour.
bool IntegerOrAbsent(const json& j, const char* key) {
  const auto it = j.find(key);
  return it == j.end() || it->is_number_integer();
}

}  // namespace

std::optional<State> ParseState(std::string_view text) {
  const json j = json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("v") || !IntegerOrAbsent(j, "v") ||
      j.at("v").get<std::int64_t>() != 1) {
    return std::nullopt;
  }
  if (!IntegerOrAbsent(j, "tries") || !IntegerOrAbsent(j, "at")) return std::nullopt;
  try {
    State s;
    s.language = j.value("lang", "id");
    s.flow = j.value("flow", "");
    s.step = j.value("step", "");
    if (j.contains("slots")) s.slots = j.at("slots").get<std::map<std::string, std::string>>();
    if (j.contains("prefill")) {
      s.prefill = j.at("prefill").get<std::map<std::string, std::string>>();
    }
    if (j.contains("cand")) {
      for (const auto& c : j.at("cand")) {
        s.candidates.emplace_back(c.at(0).get<std::string>(), c.at(1).get<std::string>());
      }
    }
    if (j.contains("page")) {
      const json& page = j.at("page");
      if (!page.at(0).is_number_integer() || !page.at(1).is_number_integer()) return std::nullopt;
      s.page_start = j.at("page").at(0).get<int>();
      s.page_size = j.at("page").at(1).get<int>();
    }
    s.tries = j.value("tries", 0);
    s.awaiting = j.value("await", "");
    s.last_activity_ms = j.value("at", std::int64_t{0});
    s.reminded = j.value("rem", false);
    s.resume_flow = j.value("rflow", "");
    s.resume_step = j.value("rstep", "");
    return s;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

}  // namespace satupintu::dialog
