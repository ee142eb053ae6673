#pragma once
// Answers to closed questions: a choice among numbered options, and yes/no.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "understand/lexicon.hpp"

namespace satupintu::understand {

enum class ChoiceFailure : std::uint8_t {
  kNone,
  kEmpty,       // nothing left once folded ("", "...", only emoji, only "pilih")
  kOutOfRange,  // a number, but not 1..options.size()
  kAmbiguous,   // the words fit several options equally well (see `candidates`)
  kNoMatch,     // neither a number nor anything like an option
};

struct Choice {
  std::optional<std::size_t> index;  // 0-based, set when failure is kNone
  ChoiceFailure failure = ChoiceFailure::kNone;
  std::vector<std::size_t> candidates;  // for kAmbiguous: the options that fit, ascending
  bool ok() const { return index.has_value(); }
};

// Stable codes for the locale catalog: "choice.ok", "choice.empty", "choice.out_of_range",
// "choice.ambiguous", "choice.no_match".
const char* ChoiceFailureCode(ChoiceFailure failure);

// Which of `options` (the labels shown, 1-based on screen) the citizen chose.
// The message is normalised (NormalizeMessage); leading choice prefixes of the lexicon are
// dropped ("no 1", "nomor 1", "pilih 2", "yang ke 3", "nomer 2", "milih 1"). Then:
// - a number decides when it is the first remaining token: digits ("1", "1.", "2)"), a number
//   word ("satu", "loro", "tilu"), "ke" + number word ("kedua") or "pertama"/"kahiji". The rest
//   of the message is not read ("2 aja"). Out of 1..options.size() -> kOutOfRange.
// - otherwise the words are matched against each label's words (normalised the same way;
//   label words shorter than 3 letters are ignored unless the label has nothing else). A word
//   matches a label word when equal, or when both have at least 4 letters and differ by at most
//   1 edit (2 from 8 letters; text::BoundedEditDistance), or when it is a prefix of at least 4
//   letters of it. An option whose every label word matched beats one partly matched; then
//   the larger share of its label words matched wins ("pkh tidak cair": "Bantuan PKH" 1/2
//   beats "Rumah tidak layak huni" 1/4), then more matched words; a tie is kAmbiguous with the
//   tied options as candidates.
Choice ParseChoice(std::string_view text, std::span<const std::string> options,
                   const Lexicon& lexicon);

enum class YesNo : std::uint8_t { kUnknown, kYes, kNo };

// A yes/no answer in Indonesian (formal and informal), Javanese or Sundanese.
// The normalised message is scanned for the lexicon's yes and no phrases (the longest at each
// position: "tidak jadi" is one no). A negator before a yes word makes a no ("tidak benar",
// "durung leres"); a negator before a no word is kUnknown, since "tidak salah" (a yes) and
// "Tidak, salah" (a no) are the same once folded. The answer is the polarity of the
// phrases found when they all agree and the first of them starts within the first two words;
// otherwise kUnknown ("ya tidak", or "saya mau tanya kenapa tidak cair" where the no is not an
// answer). A message with no word at all may still be 👍 / 👌 / ✅ (yes) or 👎 / ❌ (no).
YesNo ParseYesNo(std::string_view text, const Lexicon& lexicon);

}  // namespace satupintu::understand
