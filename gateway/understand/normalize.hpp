#pragma once
// Bringing a citizen's message to a comparable form. For matching only: never show the result
// to anyone.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "understand/lexicon.hpp"

namespace satupintu::understand {

struct NormalizedMessage {
  std::vector<std::string> tokens;
  std::string Joined() const;  // tokens separated by one space
};

// 1. text::FoldForMatch (NFKC, case folding, accents, punctuation/emoji/curly quotes -> spaces);
// 2. per token, a letter repeated 3 or more times becomes one ("tolonggg" -> "tolong",
//    "yaaa" -> "ya"); doubles stay ("maaf", "saat"); digits are never collapsed ("1000");
// 3. reduplication with '2': "kata2" -> "kata kata", "anak2nya" -> "anak anaknya" (letters
//    before the 2, at least two of them; "2" alone and "b2" stay);
// 4. each token that is a lexicon abbreviation is replaced by its expansion
//    ("sy gk bs" -> "saya tidak bisa"); expansions are not expanded again.
NormalizedMessage NormalizeMessage(std::string_view text, const Lexicon& lexicon);

// Steps 2-3 on one folded token, without the lexicon (used to store lexicon entries).
std::vector<std::string> NormalizeToken(std::string_view folded_token);

// Number of tokens of `phrase` matched at tokens[at...], or 0 when it does not match there.
std::size_t MatchPhraseAt(const std::vector<std::string>& tokens, std::size_t at,
                          const Phrase& phrase);
// The longest phrase of `phrases` starting at tokens[at]; nullptr when none.
const Phrase* LongestPhraseAt(const std::vector<std::string>& tokens, std::size_t at,
                              const std::vector<Phrase>& phrases);
// True when one of `phrases` occurs anywhere in `tokens`.
bool ContainsPhrase(const std::vector<std::string>& tokens, const std::vector<Phrase>& phrases);

}  // namespace satupintu::understand
