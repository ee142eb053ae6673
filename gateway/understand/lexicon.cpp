#include "understand/lexicon.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "text/fold.hpp"
#include "understand/intent.hpp"
#include "understand/normalize.hpp"

namespace satupintu::understand {
namespace {

using Json = nlohmann::json;

constexpr const char* kPhraseLists[] = {
    "yes",     "no",      "thanks",     "greetings", "unknown_answers", "choice_prefixes",
    "already", "not_yet", "reported_to"};

struct Source {
  std::string file;  // "id.json", for messages
  Json doc;
};

// Folds one dictionary key; empty when it is not exactly one token.
bool IsCategoryId(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(),
                                    [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

std::string JoinPhrase(const Phrase& phrase) {
  std::string joined;
  for (const auto& t : phrase) joined += (joined.empty() ? "" : " ") + t;
  return joined;
}

std::string OneToken(std::string_view raw) {
  const std::string folded = text::FoldForMatch(raw);
  if (folded.empty() || folded.find(' ') != std::string::npos) return {};
  const auto tokens = NormalizeToken(folded);
  return tokens.size() == 1 ? tokens[0] : std::string();
}

class Builder {
 public:
  std::vector<std::string> problems;

  void Problem(const std::string& file, const std::string& key, const std::string& what) {
    problems.push_back(file + ": " + key + ": " + what);
  }

  // Merges a key -> value map, remembering which file defined each key.
  template <typename T>
  void Define(std::map<std::string, T, std::less<>>& into,
              std::map<std::string, std::string>& origin, const std::string& file,
              const std::string& key, const std::string& folded, const T& value) {
    auto [it, inserted] = into.emplace(folded, value);
    if (inserted) {
      origin[folded] = file;
    } else if (it->second != value) {
      Problem(file, key, "differs from the value in " + origin[folded]);
    }
  }
};

}  // namespace

core::Result<Lexicon> Lexicon::Load(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "lexicon: " + dir + " is not a directory");
  }
  std::map<std::string, std::string> documents;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "lexicon: " + entry.path().filename().string() + ": cannot read");
    }
    documents[entry.path().stem().string()] = buffer.str();
  }
  if (ec) return core::MakeError(core::ErrorCode::kInvalidArgument, "lexicon: " + ec.message());
  if (documents.empty()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "lexicon: no *.json file in " + dir);
  }
  return FromJson(documents);
}

core::Result<Lexicon> Lexicon::FromJson(const std::map<std::string, std::string>& documents) {
  Lexicon lexicon;
  Builder b;
  std::vector<Source> sources;
  for (const auto& [language, text] : documents) {
    const std::string file = language + ".json";
    Json doc = Json::parse(text, nullptr, false);
    if (!doc.is_object()) {
      b.problems.push_back(file + ": not a JSON object");
      continue;
    }
    bool valid = true;
    for (const auto& [key, value] : doc.items()) {
      const bool is_list =
          std::find_if(std::begin(kPhraseLists), std::end(kPhraseLists),
                       [&key = key](const char* k) { return key == k; }) != std::end(kPhraseLists);
      if (key == "language") {
        if (!value.is_string() || value.get<std::string>() != language) {
          b.Problem(file, key, "must be \"" + language + "\" (the file name)");
        }
      } else if (is_list || key == "negators") {
        if (!value.is_array()) {
          b.Problem(file, key, "must be an array of strings");
          valid = false;
        }
      } else if (key == "abbreviations" || key == "numbers" || key == "months" ||
                 key == "intents" || key == "categories" || key == "category_hints") {
        if (!value.is_object()) {
          b.Problem(file, key, "must be an object");
          valid = false;
        }
      } else {
        b.Problem(file, key, "unknown key");
      }
    }
    if (!doc.contains("language")) b.Problem(file, "language", "missing");
    if (valid) sources.push_back({file, std::move(doc)});
    lexicon.languages_.push_back(language);
  }

  // Abbreviations first: every phrase is normalised with all of them.
  std::map<std::string, std::string> origin;
  for (const auto& s : sources) {
    if (!s.doc.contains("abbreviations")) continue;
    for (const auto& [key, value] : s.doc["abbreviations"].items()) {
      const std::string name = "abbreviations." + key;
      const std::string folded = OneToken(key);
      const std::string expansion =
          value.is_string() ? text::FoldForMatch(value.get<std::string>()) : std::string();
      if (folded.empty()) {
        b.Problem(s.file, name, "the key must be one word");
      } else if (expansion.empty()) {
        b.Problem(s.file, name, "must be a non-empty string");
      } else if (expansion == folded) {
        b.Problem(s.file, name, "expands to itself");
      } else {
        b.Define(lexicon.abbreviations_, origin, s.file, name, folded, expansion);
      }
    }
  }

  for (const char* list_key : {"numbers", "months"}) {
    const bool months = std::string_view(list_key) == "months";
    auto& into = months ? lexicon.months_ : lexicon.numbers_;
    origin.clear();
    for (const auto& s : sources) {
      if (!s.doc.contains(list_key)) continue;
      for (const auto& [key, value] : s.doc[list_key].items()) {
        const std::string name = std::string(list_key) + "." + key;
        const std::string folded = OneToken(key);
        const int low = months ? 1 : 0;
        const int high = months ? 12 : 100;
        if (folded.empty()) {
          b.Problem(s.file, name, "the key must be one word");
        } else if (!value.is_number_integer() || value.get<int>() < low ||
                   value.get<int>() > high) {
          b.Problem(s.file, name,
                    "must be an integer " + std::to_string(low) + "-" + std::to_string(high));
        } else {
          b.Define(into, origin, s.file, name, folded, value.get<int>());
        }
      }
    }
  }

  for (const char* list_key : kPhraseLists) {
    std::vector<Phrase>* into = nullptr;
    const std::string_view k = list_key;
    if (k == "yes") into = &lexicon.yes_;
    if (k == "no") into = &lexicon.no_;
    if (k == "thanks") into = &lexicon.thanks_;
    if (k == "greetings") into = &lexicon.greetings_;
    if (k == "unknown_answers") into = &lexicon.unknown_answers_;
    if (k == "choice_prefixes") into = &lexicon.choice_prefixes_;
    if (k == "already") into = &lexicon.already_;
    if (k == "not_yet") into = &lexicon.not_yet_;
    if (k == "reported_to") into = &lexicon.reported_to_;
    for (const auto& s : sources) {
      if (!s.doc.contains(list_key)) continue;
      const auto& list = s.doc[list_key];
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string name = std::string(list_key) + "[" + std::to_string(i) + "]";
        if (!list[i].is_string()) {
          b.Problem(s.file, name, "must be a string");
          continue;
        }
        Phrase phrase = NormalizeMessage(list[i].get<std::string>(), lexicon).tokens;
        if (phrase.empty()) {
          b.Problem(s.file, name, "is empty once folded");
        } else if (std::find(into->begin(), into->end(), phrase) == into->end()) {
          into->push_back(std::move(phrase));
        }
      }
    }
    std::stable_sort(into->begin(), into->end(),
                     [](const Phrase& x, const Phrase& y) { return x.size() > y.size(); });
  }
  // Intents and categories: name -> phrases. A phrase may not mean two intents (or two
  // categories, hints included): which one wins would depend on the order of the files.
  std::map<std::string, std::string> category_owner;
  for (const char* group : {"intents", "categories", "category_hints"}) {
    const bool intents = std::string_view(group) == "intents";
    const bool hints = std::string_view(group) == "category_hints";
    std::map<std::string, std::string> intent_owner;  // joined phrase -> "intents.help"
    auto& owner = intents ? intent_owner : category_owner;
    for (const auto& s : sources) {
      if (!s.doc.contains(group)) continue;
      for (const auto& [key, list] : s.doc[group].items()) {
        const std::string name = std::string(group) + "." + key;
        std::vector<Phrase>* into = nullptr;
        if (intents) {
          const auto intent = IntentFromName(key);
          if (!intent || *intent == Intent::kUnknown) {
            b.Problem(s.file, name, "unknown intent");
            continue;
          }
          into = *intent == Intent::kThanks     ? &lexicon.thanks_
                 : *intent == Intent::kGreeting ? &lexicon.greetings_
                                                : &lexicon.intents_[*intent];
        } else {
          if (!IsCategoryId(key)) {
            b.Problem(s.file, name, "a category id is lower-case a-z and _");
            continue;
          }
          into = hints ? &lexicon.category_hints_[key] : &lexicon.categories_[key];
        }
        if (!list.is_array()) {
          b.Problem(s.file, name, "must be an array of strings");
          continue;
        }
        for (std::size_t i = 0; i < list.size(); ++i) {
          const std::string item = name + "[" + std::to_string(i) + "]";
          if (!list[i].is_string()) {
            b.Problem(s.file, item, "must be a string");
            continue;
          }
          Phrase phrase = NormalizeMessage(list[i].get<std::string>(), lexicon).tokens;
          if (phrase.empty()) {
            b.Problem(s.file, item, "is empty once folded");
            continue;
          }
          const auto [it, inserted] = owner.emplace(JoinPhrase(phrase), name);
          if (!inserted && it->second != name) {
            b.Problem(s.file, item, "\"" + it->first + "\" is already in " + it->second);
          } else if (std::find(into->begin(), into->end(), phrase) == into->end()) {
            into->push_back(std::move(phrase));
          }
        }
      }
    }
  }
  auto longest_first = [](std::vector<Phrase>& list) {
    std::stable_sort(list.begin(), list.end(),
                     [](const Phrase& x, const Phrase& y) { return x.size() > y.size(); });
  };
  longest_first(lexicon.thanks_);
  longest_first(lexicon.greetings_);
  for (auto& [intent, list] : lexicon.intents_) longest_first(list);
  for (auto& [id, list] : lexicon.categories_) longest_first(list);
  for (auto& [id, list] : lexicon.category_hints_) longest_first(list);

  for (const auto& s : sources) {
    if (!s.doc.contains("negators")) continue;
    const auto& list = s.doc["negators"];
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string name = "negators[" + std::to_string(i) + "]";
      const auto tokens = list[i].is_string()
                              ? NormalizeMessage(list[i].get<std::string>(), lexicon).tokens
                              : std::vector<std::string>();
      if (tokens.size() != 1) {
        b.Problem(s.file, name, "must be one word");
      } else if (std::find(lexicon.negators_.begin(), lexicon.negators_.end(), tokens[0]) ==
                 lexicon.negators_.end()) {
        lexicon.negators_.push_back(tokens[0]);
      }
    }
  }
  for (const auto& yes : lexicon.yes_) {
    if (std::find(lexicon.no_.begin(), lexicon.no_.end(), yes) != lexicon.no_.end()) {
      b.problems.push_back("yes/no: \"" + JoinPhrase(yes) + "\" is both a yes and a no word");
    }
  }

  for (const auto* list : {&lexicon.yes_, &lexicon.no_, &lexicon.thanks_, &lexicon.greetings_,
                           &lexicon.unknown_answers_, &lexicon.choice_prefixes_, &lexicon.already_,
                           &lexicon.not_yet_, &lexicon.reported_to_}) {
    for (const auto& phrase : *list) lexicon.phrase_words_.insert(phrase.begin(), phrase.end());
  }
  for (const auto& [intent, list] : lexicon.intents_) {
    for (const auto& phrase : list) lexicon.phrase_words_.insert(phrase.begin(), phrase.end());
  }
  for (const auto* group : {&lexicon.categories_, &lexicon.category_hints_}) {
    for (const auto& [id, list] : *group) {
      for (const auto& phrase : list) lexicon.phrase_words_.insert(phrase.begin(), phrase.end());
    }
  }
  for (const auto& [key, expansion] : lexicon.abbreviations_) {
    for (auto& token : NormalizeMessage(expansion, Lexicon()).tokens) {
      lexicon.phrase_words_.insert(std::move(token));
    }
  }

  if (!b.problems.empty()) {
    std::string message;
    for (const auto& p : b.problems) message += (message.empty() ? "" : "\n") + p;
    return core::MakeError(core::ErrorCode::kInvalidArgument, "lexicon: " + message);
  }
  return lexicon;
}

const std::string* Lexicon::Expand(std::string_view token) const {
  auto it = abbreviations_.find(token);
  return it == abbreviations_.end() ? nullptr : &it->second;
}

const int* Lexicon::Number(std::string_view token) const {
  auto it = numbers_.find(token);
  return it == numbers_.end() ? nullptr : &it->second;
}

const int* Lexicon::Month(std::string_view token) const {
  auto it = months_.find(token);
  return it == months_.end() ? nullptr : &it->second;
}

const std::vector<Phrase>& Lexicon::IntentPhrases(Intent intent) const {
  static const std::vector<Phrase> kNone;
  auto it = intents_.find(intent);
  return it == intents_.end() ? kNone : it->second;
}

bool Lexicon::IsNegator(std::string_view token) const {
  return std::find(negators_.begin(), negators_.end(), token) != negators_.end();
}

}  // namespace satupintu::understand
