#include "locale/catalog_check.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <set>

#include "adapters/sms/analysis.hpp"
#include "adapters/sms/substitute.hpp"

namespace satupintu::locale {
namespace {

namespace sms = adapters::sms;

// More combinations than this means the samples are a data set, not samples.
constexpr std::size_t kMaxCombinations = 4096;

std::string FileOf(const std::string& language) { return language + ".json"; }

// The first character of `text` that GSM-7 cannot carry, as "U+00E7 'ç'".
std::string FirstUcs2Character(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    const std::string character = text.substr(i, length);
    if (sms::Analyze(character).encoding == sms::Encoding::kUcs2) {
      char32_t cp = length == 1 ? lead : lead & (0xFF >> (length + 1));
      for (std::size_t k = 1; k < character.size(); ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(character[k]) & 0x3F);
      }
      char code[16];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
      return std::string(code) + " '" + character + "'";
    }
    i += length;
  }
  return "?";
}

struct Worst {
  std::string text;  // substituted, as the outbox would send it
  sms::Analysis analysis;
};

void CheckMessage(const Catalog& catalog, const SampleArgs& samples, const std::string& language,
                  const std::string& key, std::vector<Problem>* problems) {
  const std::string file = FileOf(language);
  const auto arguments = catalog.Arguments(language, key);
  std::vector<std::pair<std::string, const std::vector<Arg>*>> axes;
  std::size_t combinations = 1;
  for (const auto& [name, kind] : arguments) {
    auto values = samples.find(name);
    if (values == samples.end() || values->second.empty()) {
      problems->push_back(
          {file, key, "no sample value for argument {" + name + "} (id.json _meta.samples)"});
      return;
    }
    axes.emplace_back(name, &values->second);
    combinations *= values->second.size();
  }
  if (combinations > kMaxCombinations) {
    problems->push_back({file, key,
                         "the samples of its arguments make " + std::to_string(combinations) +
                             " combinations (at most " + std::to_string(kMaxCombinations) + ")"});
    return;
  }
  std::optional<Worst> worst;
  std::optional<Worst> first_ucs2;
  std::vector<std::size_t> index(axes.size(), 0);
  for (std::size_t n = 0; n < combinations; ++n) {
    Args args;
    for (std::size_t a = 0; a < axes.size(); ++a)
      args.emplace(axes[a].first, (*axes[a].second)[index[a]]);
    for (std::size_t a = 0; a < axes.size(); ++a) {  // odometer
      if (++index[a] < axes[a].second->size()) break;
      index[a] = 0;
    }
    auto rendered = catalog.Render(language, key, args);
    if (!rendered.ok()) {
      problems->push_back(
          {file, key, "does not render with the samples: " + rendered.error().message});
      return;
    }
    Worst current{sms::SmartSubstitute(*rendered), {}};
    current.analysis = sms::Analyze(current.text);
    if (current.analysis.encoding == sms::Encoding::kUcs2 && !first_ucs2) first_ucs2 = current;
    if (!worst || current.analysis.segments > worst->analysis.segments ||
        (current.analysis.segments == worst->analysis.segments &&
         current.analysis.units > worst->analysis.units)) {
      worst = std::move(current);
    }
  }
  if (first_ucs2 && !catalog.MayBeUcs2(key)) {
    problems->push_back({file, key,
                         "needs UCS-2 for " + FirstUcs2Character(first_ucs2->text) +
                             " (write it in GSM-7, or list the key in _meta.ucs2)"});
  }
  if (worst && worst->analysis.segments > 1 && !catalog.IsMultipart(key)) {
    const bool gsm7 = worst->analysis.encoding == sms::Encoding::kGsm7;
    problems->push_back({file, key,
                         "takes " + std::to_string(worst->analysis.segments) +
                             " SMS with the samples (" + std::to_string(worst->analysis.units) +
                             (gsm7 ? " GSM-7 septets" : " UCS-2 units") + "; one SMS holds " +
                             std::to_string(sms::SingleUnits(worst->analysis.encoding)) +
                             "): shorten it or list the key in _meta.multipart"});
  }
}

}  // namespace

std::vector<Problem> CheckCatalog(const Catalog& catalog, const SampleArgs& samples,
                                  const std::vector<std::string>& used_keys) {
  std::vector<Problem> problems;
  const std::string reference(Catalog::kReference);
  const auto id_keys = catalog.Keys(reference);
  const std::set<std::string> id_set(id_keys.begin(), id_keys.end());
  const auto languages = catalog.Languages();
  for (const auto& language : languages) {
    if (language == reference) continue;
    const auto keys = catalog.Keys(language);
    const std::set<std::string> own(keys.begin(), keys.end());
    if (catalog.IsComplete(language)) {
      for (const auto& key : id_set) {
        if (!own.contains(key)) problems.push_back({FileOf(language), key, "missing"});
      }
    }
    for (const auto& key : own) {
      if (!id_set.contains(key)) problems.push_back({FileOf(language), key, "not in id.json"});
    }
  }
  for (const auto& key : used_keys) {
    for (const auto& language : languages) {
      if (!catalog.IsComplete(language)) continue;
      const auto keys = catalog.Keys(language);
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        problems.push_back({FileOf(language), key, "used but missing"});
      }
    }
  }
  for (const auto& language : languages) {
    for (const auto& key : catalog.Keys(language)) {
      CheckMessage(catalog, samples, language, key, &problems);
    }
  }
  return problems;
}

std::vector<Problem> CheckLocales(const std::string& dir,
                                  const std::vector<std::string>& used_keys) {
  std::vector<Problem> problems;
  const Catalog catalog = Catalog::Read(dir, &problems);
  auto more = CheckCatalog(catalog, catalog.Samples(), used_keys);
  // Read already reported the key sets; keep each problem once.
  for (auto& p : more) {
    const bool seen = std::any_of(problems.begin(), problems.end(), [&](const Problem& q) {
      return q.file == p.file && q.key == p.key && q.what == p.what;
    });
    if (!seen) problems.push_back(std::move(p));
  }
  return problems;
}

}  // namespace satupintu::locale
