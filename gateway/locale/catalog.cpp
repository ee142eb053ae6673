#include "locale/catalog.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace satupintu::locale {

core::Result<Catalog> Catalog::Load(const std::string& dir) {
  namespace fs = std::filesystem;
  Catalog catalog;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "locales: " + dir + " is not a directory");
  }
  std::vector<std::string> problems;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".json") continue;
    const std::string language = entry.path().stem().string();
    const std::string file = entry.path().filename().string();
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const auto doc = nlohmann::json::parse(buffer.str(), nullptr, false);
    if (!doc.is_object()) {
      problems.push_back(file + ": not a JSON object");
      continue;
    }
    auto& texts = catalog.texts_[language];
    for (const auto& [key, value] : doc.items()) {
      if (!value.is_string() || value.get<std::string>().empty()) {
        problems.push_back(file + ": " + key + ": must be a non-empty string");
        continue;
      }
      texts[key] = value.get<std::string>();
    }
  }
  if (ec) return core::MakeError(core::ErrorCode::kInvalidArgument, "locales: " + ec.message());
  auto reference = catalog.texts_.find(kReference);
  if (reference == catalog.texts_.end()) {
    problems.push_back("id.json: missing (Indonesian is the reference language)");
  } else {
    for (const auto& [language, texts] : catalog.texts_) {
      if (language == kReference) continue;
      for (const auto& [key, text] : reference->second) {
        if (!texts.count(key)) problems.push_back(language + ".json: " + key + ": missing");
      }
      for (const auto& [key, text] : texts) {
        if (!reference->second.count(key)) {
          problems.push_back(language + ".json: " + key + ": not in id.json");
        }
      }
    }
  }
  if (!problems.empty()) {
    std::string message;
    for (const auto& p : problems) message += (message.empty() ? "" : "\n") + p;
    return core::MakeError(core::ErrorCode::kInvalidArgument, message);
  }
  return catalog;
}

const std::string& Catalog::Text(std::string_view language, std::string_view key) const {
  for (auto lang : {language, kReference}) {
    auto l = texts_.find(lang);
    if (l == texts_.end()) continue;
    auto t = l->second.find(key);
    if (t != l->second.end()) return t->second;
  }
  missing_ = std::string(key);
  return missing_;
}

bool Catalog::Has(std::string_view key) const {
  auto l = texts_.find(kReference);
  return l != texts_.end() && l->second.find(key) != l->second.end();
}

std::vector<std::string> Catalog::Languages() const {
  std::vector<std::string> out;
  for (const auto& [language, texts] : texts_) out.push_back(language);
  return out;
}

}  // namespace satupintu::locale
