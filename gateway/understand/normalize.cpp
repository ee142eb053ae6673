#include "understand/normalize.hpp"

#include "text/fold.hpp"

namespace satupintu::understand {
namespace {

bool IsAsciiLetter(char c) { return c >= 'a' && c <= 'z'; }

std::string CollapseRepeats(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  std::size_t i = 0;
  while (i < token.size()) {
    std::size_t run = 1;
    while (i + run < token.size() && token[i + run] == token[i]) ++run;
    out.append(IsAsciiLetter(token[i]) && run >= 3 ? 1 : run, token[i]);
    i += run;
  }
  return out;
}

}  // namespace

std::string NormalizedMessage::Joined() const {
  std::string out;
  for (const auto& t : tokens) {
    if (!out.empty()) out.push_back(' ');
    out += t;
  }
  return out;
}

std::vector<std::string> NormalizeToken(std::string_view folded_token) {
  std::string token = CollapseRepeats(folded_token);
  std::size_t letters = 0;
  while (letters < token.size() && IsAsciiLetter(token[letters])) ++letters;
  if (letters >= 2 && letters < token.size() && token[letters] == '2') {
    std::size_t end = letters + 1;
    while (end < token.size() && IsAsciiLetter(token[end])) ++end;
    if (end == token.size()) {
      const std::string base = token.substr(0, letters);
      // "ke2" is "ke-2" (the second), not a reduplication.
      if (base == "ke") return {base, "2"};
      return {base, base + token.substr(letters + 1)};
    }
  }
  return {token};
}

NormalizedMessage NormalizeMessage(std::string_view text, const Lexicon& lexicon) {
  NormalizedMessage out;
  const std::string folded = text::FoldForMatch(text);
  std::size_t start = 0;
  while (start < folded.size()) {
    std::size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    for (auto& token : NormalizeToken(std::string_view(folded).substr(start, end - start))) {
      const std::string* expansion = lexicon.Expand(token);
      if (expansion == nullptr) {
        out.tokens.push_back(std::move(token));
        continue;
      }
      std::size_t s = 0;
      while (s < expansion->size()) {
        std::size_t e = expansion->find(' ', s);
        if (e == std::string::npos) e = expansion->size();
        out.tokens.push_back(expansion->substr(s, e - s));
        s = e + 1;
      }
    }
    start = end + 1;
  }
  return out;
}

std::size_t MatchPhraseAt(const std::vector<std::string>& tokens, std::size_t at,
                          const Phrase& phrase) {
  if (phrase.empty() || at + phrase.size() > tokens.size()) return 0;
  for (std::size_t i = 0; i < phrase.size(); ++i) {
    if (tokens[at + i] != phrase[i]) return 0;
  }
  return phrase.size();
}

const Phrase* LongestPhraseAt(const std::vector<std::string>& tokens, std::size_t at,
                              const std::vector<Phrase>& phrases) {
  const Phrase* best = nullptr;
  for (const auto& p : phrases) {
    if (MatchPhraseAt(tokens, at, p) != 0 && (best == nullptr || p.size() > best->size())) {
      best = &p;
    }
  }
  return best;
}

bool ContainsPhrase(const std::vector<std::string>& tokens, const std::vector<Phrase>& phrases) {
  for (std::size_t at = 0; at < tokens.size(); ++at) {
    if (LongestPhraseAt(tokens, at, phrases) != nullptr) return true;
  }
  return false;
}

}  // namespace satupintu::understand
