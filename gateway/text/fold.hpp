#pragma once
// Text folding for matching what people type against official spellings (region names, names
// on ID cards). Folding is for comparison only: never show a folded string to anyone.

#include <string>
#include <string_view>

namespace satupintu::text {

// NFKC, full case folding, accents removed (NFD, then nonspacing marks dropped), every code
// point that is not a letter, a digit or a spacing mark becomes a space (punctuation, symbols,
// controls, emoji), whitespace collapsed to one space and trimmed. Invalid UTF-8 sequences
// count as symbols. ASCII input takes a fast path that gives the same result without ICU.
//   "  Kel. MENTENG-Atas " -> "kel menteng atas"     "Soka\"an" -> "soka an"
//   "Ｂａｎｄｕｎｇ" -> "bandung"                        "Bekasi Selatàn" -> "bekasi selatan"
std::string FoldForMatch(std::string_view utf8);

// Decodes UTF-8 to code points; an invalid sequence becomes U+FFFD.
std::u32string DecodeUtf8(std::string_view utf8);

}  // namespace satupintu::text
