#include "understand/choice.hpp"

#include <algorithm>

#include "text/edit_distance.hpp"
#include "understand/normalize.hpp"

namespace satupintu::understand {
namespace {

std::optional<int> NumberToken(std::string_view token, const Lexicon& lexicon) {
  if (!token.empty() && token.size() <= 3 &&
      std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int n = 0;
    for (char c : token) n = n * 10 + (c - '0');
    return n;
  }
  if (const int* n = lexicon.Number(token)) return *n;
  if (token.size() > 2 && token.substr(0, 2) == "ke") {
    if (const int* n = lexicon.Number(token.substr(2))) return *n;
  }
  return std::nullopt;
}

bool WordsMatch(const std::string& typed, const std::string& label) {
  if (typed == label) return true;
  if (typed.size() < 4 || label.size() < 4) return false;
  if (label.size() > typed.size() && label.compare(0, typed.size(), typed) == 0) return true;
  const int max = std::max(typed.size(), label.size()) >= 8 ? 2 : 1;
  return text::BoundedEditDistance(typed, label, max) <= max;
}

std::vector<std::string> LabelWords(const std::string& label, const Lexicon& lexicon) {
  auto tokens = NormalizeMessage(label, lexicon).tokens;
  std::vector<std::string> long_words;
  for (const auto& t : tokens) {
    if (t.size() >= 3) long_words.push_back(t);
  }
  return long_words.empty() ? tokens : long_words;
}

}  // namespace

const char* ChoiceFailureCode(ChoiceFailure failure) {
  switch (failure) {
    case ChoiceFailure::kNone:
      return "choice.ok";
    case ChoiceFailure::kEmpty:
      return "choice.empty";
    case ChoiceFailure::kOutOfRange:
      return "choice.out_of_range";
    case ChoiceFailure::kAmbiguous:
      return "choice.ambiguous";
    case ChoiceFailure::kNoMatch:
      return "choice.no_match";
  }
  return "choice.no_match";
}

Choice ParseChoice(std::string_view text, std::span<const std::string> options,
                   const Lexicon& lexicon) {
  Choice out;
  auto tokens = NormalizeMessage(text, lexicon).tokens;
  std::size_t at = 0;
  while (at < tokens.size()) {
    const Phrase* prefix = LongestPhraseAt(tokens, at, lexicon.ChoicePrefixes());
    if (prefix == nullptr) break;
    at += prefix->size();
  }
  tokens.erase(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(at));
  if (tokens.empty()) {
    out.failure = ChoiceFailure::kEmpty;
    return out;
  }
  if (auto n = NumberToken(tokens[0], lexicon)) {
    if (*n >= 1 && static_cast<std::size_t>(*n) <= options.size()) {
      out.index = static_cast<std::size_t>(*n - 1);
    } else {
      out.failure = ChoiceFailure::kOutOfRange;
    }
    return out;
  }

  struct Score {
    bool full = false;        // every label word matched
    std::size_t matched = 0;  // label words matched
    std::size_t words = 1;    // label words
    // Full first, then the larger share of the label matched, then more words matched.
    bool operator<(const Score& o) const {
      if (full != o.full) return !full;
      if (matched * o.words != o.matched * words) return matched * o.words < o.matched * words;
      return matched < o.matched;
    }
    bool operator==(const Score& o) const { return !(*this < o) && !(o < *this); }
  };
  std::vector<Score> scores;
  for (const auto& option : options) {
    const auto words = LabelWords(option, lexicon);
    std::size_t matched = 0;
    for (const auto& w : words) {
      if (std::any_of(tokens.begin(), tokens.end(),
                      [&](const std::string& t) { return WordsMatch(t, w); })) {
        ++matched;
      }
    }
    scores.push_back({!words.empty() && matched == words.size(), matched,
                      std::max<std::size_t>(words.size(), 1)});
  }
  const auto best = std::max_element(scores.begin(), scores.end());
  if (best == scores.end() || best->matched == 0) {
    out.failure = ChoiceFailure::kNoMatch;
    return out;
  }
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (scores[i] == *best) out.candidates.push_back(i);
  }
  if (out.candidates.size() == 1) {
    out.index = out.candidates[0];
    out.candidates.clear();
  } else {
    out.failure = ChoiceFailure::kAmbiguous;
  }
  return out;
}

YesNo ParseYesNo(std::string_view text, const Lexicon& lexicon) {
  const auto tokens = NormalizeMessage(text, lexicon).tokens;
  if (tokens.empty()) {
    for (std::string_view yes : {"\xF0\x9F\x91\x8D", "\xF0\x9F\x91\x8C", "\xE2\x9C\x85"}) {
      if (text.find(yes) != std::string_view::npos) return YesNo::kYes;  // thumbs up, ok, check
    }
    for (std::string_view no : {"\xF0\x9F\x91\x8E", "\xE2\x9D\x8C"}) {
      if (text.find(no) != std::string_view::npos) return YesNo::kNo;  // thumbs down, cross
    }
    return YesNo::kUnknown;
  }
  std::optional<std::size_t> first;
  YesNo answer = YesNo::kUnknown;
  std::size_t i = 0;
  while (i < tokens.size()) {
    YesNo hit = YesNo::kUnknown;
    std::size_t length = 0;
    if (lexicon.IsNegator(tokens[i]) && i + 1 < tokens.size() &&
        !lexicon.IsNegator(tokens[i + 1])) {
      const Phrase* yes = LongestPhraseAt(tokens, i + 1, lexicon.Yes());
      const Phrase* no = LongestPhraseAt(tokens, i + 1, lexicon.No());
      if (yes != nullptr && (no == nullptr || yes->size() >= no->size())) {
        hit = YesNo::kNo;
        length = 1 + yes->size();
      } else if (no != nullptr) {
        // "tidak salah" is a yes, but "Tidak, salah" (the comma is gone once folded) is a no:
        // ask again rather than guess.
        return YesNo::kUnknown;
      }
    }
    if (hit == YesNo::kUnknown) {
      const Phrase* yes = LongestPhraseAt(tokens, i, lexicon.Yes());
      const Phrase* no = LongestPhraseAt(tokens, i, lexicon.No());
      if (no != nullptr && (yes == nullptr || no->size() > yes->size())) {
        hit = YesNo::kNo;
        length = no->size();
      } else if (yes != nullptr) {
        hit = YesNo::kYes;
        length = yes->size();
      }
    }
    if (hit == YesNo::kUnknown) {
      ++i;
      continue;
    }
    if (!first) {
      first = i;
      answer = hit;
    } else if (hit != answer) {
      return YesNo::kUnknown;
    }
    i += length;
  }
  if (!first || *first > 1) return YesNo::kUnknown;
  return answer;
}

}  // namespace satupintu::understand
