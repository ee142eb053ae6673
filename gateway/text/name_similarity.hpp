#pragma once
// How alike two PERSON names are: the name as in the welfare registry (as on the ID card)
// against the name a citizen or an officer typed.
//
// Scoring, step by step:
// 1. Both names are folded (FoldForMatch) and split into tokens.
// 2. Each token is brought to a canonical spelling (CanonicalNameToken):
//    - old (pre-1972) spelling to the current one: oe -> u, dj -> j, tj -> c, sj -> sy,
//      nj -> ny; ch and kh -> h (Achmad / Akhmad / Ahmad, Choirul / Khoirul / Hoirul);
//      a final y after a consonant -> i (Rudy / Rudi);
//    - doubled letters once (Abdullah / Abdulah, Muhammad / Muhamad);
//    - common variants and abbreviations to one form: Muhammad, Mohammad, Muhamad,
//      Mochammad, Moh., Moch., Muh., Mhd., Md. -> "muhamad"; St. -> "siti";
//      Nurul -> "nur"; Abd. -> "abdul".
// 3. Token pairs are scored: equal canonical tokens 1; a one-letter token against a token
//    that starts with that letter (an initial: "M. Rizki") 0.8; otherwise
//    1 - distance / longer length when the edit distance (BoundedEditDistance) is at most a
//    third of the longer token (rounded down), else 0.
// 4. Tokens are paired greedily by best pair score, in any order (order swaps are not
//    penalised beyond a factor 0.95 when the pairs cross).
// 5. Each token weighs its length in code points (at least 2). The score is
//        sum over pairs of  pair_score * (weight_a + weight_b)
//      / (sum over pairs of (weight_a + weight_b) + unpaired cost)
//    where unpaired tokens on both sides are first taken as wrong (full weight each, in
//    order of weight), and the tokens left over on the longer side as missing (half their
//    weight): a missing middle name costs less than a wrong one.
// 6. The names are also compared with all spaces removed ("Nur Hayati" / "Nurhayati"):
//    1 - distance / longer length when the distance is at most 2, and the higher of the two
//    scores is returned.
// Empty names (after folding) score 0 against anything.
//
// Proposed threshold: >= kNameMatchThreshold (0.85) is "the same name as written"; see
// tests/unit/name_similarity_test.cpp for the pairs it was chosen on. Below it, a dialog
// should ask again rather than guess. The score compares spellings, not people: one wrong
// letter in a long name still passes (Sri Wahyuni / Sri Wahyudi: 0.90), so a lookup must
// combine it with something else (region, birth date). Old-spelling j for today's y
// (Soerjo / Suryo) is not rewritten (it would clash with dj -> j) and costs one edit.

#include <string>
#include <string_view>

namespace satupintu::text {

inline constexpr double kNameMatchThreshold = 0.85;

double NameSimilarity(std::string_view a, std::string_view b);

// Step 2 on one folded token (exposed for tests and for building lookup keys).
std::string CanonicalNameToken(std::string_view folded_token);

}  // namespace satupintu::text
