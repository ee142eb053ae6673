#pragma once
// The words citizens use, as locale data: locales/lexicon/<language>.json (format in
// locales/README.md). Everything is stored folded (text::FoldForMatch) and, for phrases,
// already normalised (NormalizeMessage), so that lookups compare like with like.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace satupintu::understand {

enum class Intent : std::uint8_t;  // intent.hpp

// A phrase is one or more normalised tokens ("tidak jadi" -> {"tidak", "jadi"}).
using Phrase = std::vector<std::string>;

class Lexicon {
 public:
  // Reads every *.json in `dir` (one file per language; "language" must equal the file name)
  // and merges them. Unknown keys, wrong types, empty entries, an abbreviation whose key is not
  // one token, a number outside 0-100, a month outside 1-12, the same key mapped to two
  // different values (within or across files), a word that is both a yes and a no word, an
  // intent name that is not one of intent.hpp's (IntentFromName; "unknown" is not one), a
  // category id that is not lower-case [a-z_], and the same phrase under two intents or two
  // categories (or category hints) are errors; the message names the file and the key. Loaded once
  // at start-up.
  static core::Result<Lexicon> Load(const std::string& dir);
  // The same from already parsed documents, language -> JSON text (for tests and tools).
  static core::Result<Lexicon> FromJson(const std::map<std::string, std::string>& documents);

  // Folded token -> its expansion, folded ("gk" -> "tidak", "gpp" -> "tidak apa apa").
  const std::string* Expand(std::string_view token) const;
  // Normalised token -> value; nullptr when not a number word / month name.
  const int* Number(std::string_view token) const;
  const int* Month(std::string_view token) const;
  const std::map<std::string, int, std::less<>>& Months() const { return months_; }

  // Phrase lists, normalised, longest first (so a caller matching greedily prefers
  // "tidak jadi" to "tidak").
  const std::vector<Phrase>& Yes() const { return yes_; }
  const std::vector<Phrase>& No() const { return no_; }
  const std::vector<Phrase>& Thanks() const { return thanks_; }
  const std::vector<Phrase>& Greetings() const { return greetings_; }
  const std::vector<Phrase>& UnknownAnswers() const { return unknown_answers_; }
  const std::vector<Phrase>& ChoicePrefixes() const { return choice_prefixes_; }
  const std::vector<Phrase>& Already() const { return already_; }
  const std::vector<Phrase>& NotYet() const { return not_yet_; }
  // Where and to whom citizens complain in person ("desa", "kelurahan", "rt", "pendamping"):
  // "sudah lapor ke desa" is a complaint made on paper, not a question about one made here.
  const std::vector<Phrase>& ReportedTo() const { return reported_to_; }
  // Phrases of one intent ("intents" key), normalised, longest first; empty when none.
  // Phrases under "intents.thanks" / "intents.greeting" are merged into Thanks() / Greetings()
  // and not returned here.
  const std::vector<Phrase>& IntentPhrases(Intent intent) const;
  // Complaint category id -> phrases ("categories" key), normalised, longest first.
  const std::map<std::string, std::vector<Phrase>, std::less<>>& Categories() const {
    return categories_;
  }
  // Category id -> words that suggest it only when no category word names one
  // ("category_hints" key): "kks", the card that pays Sembako and PKH alike, is Sembako in
  // "kks hilang" and PKH in "saldo kks pkh kosong". Normalised, longest first.
  const std::map<std::string, std::vector<Phrase>, std::less<>>& CategoryHints() const {
    return category_hints_;
  }
  // True when `token` occurs in any phrase of any list (yes/no, thanks, greetings, intents,
  // categories, ...) or in an abbreviation's expansion ("saya", "bapak"): a word the lexicon
  // knows, as opposed to what the citizen tells.
  bool IsPhraseWord(std::string_view token) const { return phrase_words_.contains(token); }
  // Single tokens that turn the next yes word into a no ("tidak benar", "durung leres").
  bool IsNegator(std::string_view token) const;

  const std::vector<std::string>& Languages() const { return languages_; }

 private:
  std::map<std::string, std::string, std::less<>> abbreviations_;
  std::map<std::string, int, std::less<>> numbers_;
  std::map<std::string, int, std::less<>> months_;
  std::vector<Phrase> yes_, no_, thanks_, greetings_, unknown_answers_, choice_prefixes_, already_,
      not_yet_, reported_to_;
  std::map<Intent, std::vector<Phrase>> intents_;
  std::map<std::string, std::vector<Phrase>, std::less<>> categories_, category_hints_;
  std::set<std::string, std::less<>> phrase_words_;
  std::vector<std::string> negators_;
  std::vector<std::string> languages_;
};

}  // namespace satupintu::understand
