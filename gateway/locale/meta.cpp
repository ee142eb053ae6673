#include "locale/meta.hpp"

#include <nlohmann/json.hpp>

namespace satupintu::locale::internal {
namespace {

constexpr const char* kWhere = "_meta";

// "2024-12-31" -> a valid calendar day.
bool ParseIsoDate(const std::string& text, Date* out) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  y = std::stoi(text.substr(0, 4));
  m = static_cast<unsigned>(std::stoi(text.substr(5, 2)));
  d = static_cast<unsigned>(std::stoi(text.substr(8, 2)));
  *out = Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  return out->ok();
}

bool ReadSample(const nlohmann::json& value, Arg* out) {
  if (value.is_string()) {
    *out = value.get<std::string>();
  } else if (value.is_number_integer()) {
    *out = value.get<std::int64_t>();
  } else if (value.is_number_float()) {
    *out = value.get<double>();
  } else if (value.is_object() && value.size() == 1 && value.contains("date") &&
             value["date"].is_string()) {
    Date day;
    if (!ParseIsoDate(value["date"].get<std::string>(), &day)) return false;
    *out = day;
  } else {
    return false;
  }
  return true;
}

void ReadKeyList(const nlohmann::json& list, const std::string& file, const std::string& field,
                 std::set<std::string, std::less<>>* out, std::vector<Problem>* problems) {
  if (!list.is_array()) {
    problems->push_back({file, kWhere, field + ": must be a list of message keys"});
    return;
  }
  for (const auto& key : list) {
    if (!key.is_string()) {
      problems->push_back({file, kWhere, field + ": must be a list of message keys"});
      return;
    }
    out->insert(key.get<std::string>());
  }
}

void ReadSamples(const nlohmann::json& samples, const std::string& file, SampleArgs* out,
                 std::vector<Problem>* problems) {
  if (!samples.is_object()) {
    problems->push_back({file, kWhere, "samples: must be an object of argument -> values"});
    return;
  }
  for (const auto& [name, values] : samples.items()) {
    auto& list = (*out)[name];
    const auto items = values.is_array() ? values : nlohmann::json::array({values});
    for (const auto& value : items) {
      Arg arg;
      if (!ReadSample(value, &arg)) {
        problems->push_back(
            {file, kWhere,
             "samples: " + name +
                 ": each value is a string, a number or {\"date\": \"YYYY-MM-DD\"}"});
        continue;
      }
      list.push_back(std::move(arg));
    }
    if (list.empty()) problems->push_back({file, kWhere, "samples: " + name + ": no value"});
  }
}

}  // namespace

void ReadMeta(const nlohmann::json& meta, const std::string& file, bool is_reference,
              bool* complete, Meta* out, std::vector<Problem>* problems) {
  if (!meta.is_object()) {
    problems->push_back({file, kWhere, "must be an object"});
    return;
  }
  for (const auto& [field, value] : meta.items()) {
    if (field == "complete") {
      if (value.is_boolean()) {
        *complete = value.get<bool>();
      } else {
        problems->push_back({file, kWhere, "complete: must be true or false"});
      }
    } else if (field == "multipart" || field == "ucs2" || field == "samples") {
      if (!is_reference) {
        problems->push_back(
            {file, kWhere, field + ": belongs in id.json (it applies to every language)"});
      } else if (field == "samples") {
        ReadSamples(value, file, &out->samples, problems);
      } else {
        ReadKeyList(value, file, field, field == "ucs2" ? &out->ucs2 : &out->multipart, problems);
      }
    } else {
      problems->push_back({file, kWhere, field + ": unknown field"});
    }
  }
}

}  // namespace satupintu::locale::internal
