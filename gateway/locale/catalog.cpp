#include "locale/catalog.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "locale/compiled_message.hpp"
#include "locale/meta.hpp"

namespace satupintu::locale {

struct Catalog::Data {
  struct Language {
    std::string file;
    bool complete = true;
    std::map<std::string, internal::CompiledMessage, std::less<>> messages;
  };
  std::map<std::string, Language, std::less<>> languages;
  internal::Meta meta;
  // ICU does not promise that one MessageFormat (and the date and number formats it holds)
  // may format on several threads at once; rendering is short, so one lock is enough.
  mutable std::mutex format_mutex;
};

namespace {

constexpr std::string_view kRequired[] = {"id", "en"};

bool IsLanguageCode(const std::string& s) {
  return (s.size() == 2 || s.size() == 3) &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// Fills `language` from one file; problems are appended, the rest is kept.
void ReadFile(const std::filesystem::path& path, const std::string& code,
              Catalog::Data::Language* language, internal::Meta* meta,
              std::vector<Problem>* problems) {
  const std::string file = language->file;
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const auto doc = nlohmann::json::parse(buffer.str(), nullptr, false);
  if (!in || !doc.is_object()) {
    problems->push_back({file, "", "not a readable JSON object"});
    return;
  }
  if (auto m = doc.find(Catalog::kMetaKey); m != doc.end()) {
    internal::ReadMeta(*m, file, code == Catalog::kReference, &language->complete, meta, problems);
  }
  const icu::Locale icu_locale(code.c_str(), "ID");
  for (const auto& [key, value] : doc.items()) {
    if (key == Catalog::kMetaKey) continue;
    if (key.empty() || key.front() == '_') {
      problems->push_back({file, key, "keys starting with '_' are reserved"});
      continue;
    }
    if (!value.is_string() || value.get<std::string>().empty()) {
      problems->push_back({file, key, "must be a non-empty string"});
      continue;
    }
    auto compiled = internal::Compile(value.get<std::string>(), icu_locale);
    if (auto* error = std::get_if<std::string>(&compiled)) {
      problems->push_back({file, key, "ICU: " + *error});
      continue;
    }
    language->messages.emplace(key, std::move(std::get<internal::CompiledMessage>(compiled)));
  }
}

// Key sets and arguments against Indonesian.
void CompareWithReference(const Catalog::Data& data, std::vector<Problem>* problems) {
  auto reference = data.languages.find(Catalog::kReference);
  if (reference == data.languages.end()) return;
  const auto& id = reference->second.messages;
  for (const auto& [code, language] : data.languages) {
    if (code == Catalog::kReference) continue;
    if (language.complete) {
      for (const auto& [key, message] : id) {
        if (!language.messages.contains(key)) problems->push_back({language.file, key, "missing"});
      }
    }
    for (const auto& [key, message] : language.messages) {
      auto in_id = id.find(key);
      if (in_id == id.end()) {
        problems->push_back({language.file, key, "not in id.json"});
        continue;
      }
      for (const auto& [name, kind] : message.arguments) {
        auto same = in_id->second.arguments.find(name);
        if (same == in_id->second.arguments.end()) {
          problems->push_back(
              {language.file, key, "argument {" + name + "} is not in id.json's message"});
        } else if (kind != ArgKind::kAny && same->second != ArgKind::kAny && kind != same->second) {
          problems->push_back({language.file, key,
                               "argument {" + name + "} is " + internal::ArgKindName(kind) +
                                   " here but " + internal::ArgKindName(same->second) +
                                   " in id.json"});
        }
      }
    }
  }
  for (const auto* list : {&data.meta.multipart, &data.meta.ucs2}) {
    for (const auto& key : *list) {
      if (!id.contains(key))
        problems->push_back(
            {"id.json", std::string(Catalog::kMetaKey), key + ": listed but not a message"});
    }
  }
}

}  // namespace

std::string Problem::ToString() const {
  std::string out = file;
  if (!key.empty()) out += ": " + key;
  return out + ": " + what;
}

Catalog::Catalog() : data_(std::make_shared<Data>()) {}

Catalog Catalog::Read(const std::string& dir, std::vector<Problem>* problems) {
  namespace fs = std::filesystem;
  Catalog catalog;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    problems->push_back({dir, "", "not a directory"});
    return catalog;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec) && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  if (ec) problems->push_back({dir, "", ec.message()});
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    const std::string code = path.stem().string();
    const std::string file = path.filename().string();
    if (!IsLanguageCode(code)) {
      problems->push_back({file, "", "not a language code (two or three letters, lower case)"});
      continue;
    }
    auto& language = catalog.data_->languages[code];
    language.file = file;
    ReadFile(path, code, &language, &catalog.data_->meta, problems);
  }
  for (auto code : kRequired) {
    auto language = catalog.data_->languages.find(code);
    if (language == catalog.data_->languages.end()) {
      problems->push_back({std::string(code) + ".json", "",
                           "missing (Indonesian and English are required and complete)"});
    } else if (!language->second.complete) {
      problems->push_back({language->second.file, std::string(kMetaKey),
                           "must be complete (Indonesian and English are required and complete)"});
    }
  }
  CompareWithReference(*catalog.data_, problems);
  return catalog;
}

core::Result<Catalog> Catalog::Load(const std::string& dir) {
  std::vector<Problem> problems;
  Catalog catalog = Read(dir, &problems);
  if (problems.empty()) return catalog;
  std::string message;
  for (const auto& p : problems) message += (message.empty() ? "" : "\n") + p.ToString();
  return core::MakeError(core::ErrorCode::kInvalidArgument, message);
}

namespace {

const internal::CompiledMessage* Find(const Catalog::Data& data, std::string_view language,
                                      std::string_view key) {
  for (auto code : {language, Catalog::kReference}) {
    auto l = data.languages.find(code);
    if (l == data.languages.end()) continue;
    auto m = l->second.messages.find(key);
    if (m != l->second.messages.end()) return &m->second;
  }
  return nullptr;
}

}  // namespace

core::Result<std::string> Catalog::Render(std::string_view language, std::string_view key,
                                          const Args& args) const {
  const auto* message = Find(*data_, language, key);
  if (message == nullptr) {
    return core::MakeError(core::ErrorCode::kNotFound, "no message " + std::string(key));
  }
  std::lock_guard lock(data_->format_mutex);
  return internal::Format(*message, key, args);
}

const std::string& Catalog::Text(std::string_view language, std::string_view key) const {
  if (const auto* message = Find(*data_, language, key)) return message->plain;
  thread_local std::string missing;
  missing = std::string(key);
  return missing;
}

bool Catalog::Has(std::string_view key) const {
  auto l = data_->languages.find(kReference);
  return l != data_->languages.end() && l->second.messages.find(key) != l->second.messages.end();
}

std::vector<std::string> Catalog::Languages() const {
  std::vector<std::string> out;
  for (const auto& [code, language] : data_->languages) out.push_back(code);
  return out;
}

std::vector<std::string> Catalog::Keys(std::string_view language) const {
  std::vector<std::string> out;
  auto l = data_->languages.find(language);
  if (l == data_->languages.end()) return out;
  for (const auto& [key, message] : l->second.messages) out.push_back(key);
  return out;
}

bool Catalog::IsComplete(std::string_view language) const {
  auto l = data_->languages.find(language);
  return l != data_->languages.end() && l->second.complete;
}

std::map<std::string, ArgKind> Catalog::Arguments(std::string_view language,
                                                  std::string_view key) const {
  std::map<std::string, ArgKind> out;
  if (const auto* message = Find(*data_, language, key)) {
    for (const auto& [name, kind] : message->arguments) out.emplace(name, kind);
  }
  return out;
}

bool Catalog::IsMultipart(std::string_view key) const {
  return data_->meta.multipart.find(key) != data_->meta.multipart.end();
}

bool Catalog::MayBeUcs2(std::string_view key) const {
  return data_->meta.ucs2.find(key) != data_->meta.ucs2.end();
}

const SampleArgs& Catalog::Samples() const { return data_->meta.samples; }

}  // namespace satupintu::locale
