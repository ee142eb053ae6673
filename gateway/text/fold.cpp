#include "text/fold.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <cstdint>

namespace satupintu::text {
namespace {

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Appends `c` (kept) or a space (dropped) with spaces collapsed and none leading.
class Collapser {
 public:
  explicit Collapser(std::string& out) : out_(out) {}
  void Space() { pending_space_ = !out_.empty(); }
  void Keep(std::string_view piece) {
    if (pending_space_) out_.push_back(' ');
    pending_space_ = false;
    out_.append(piece);
  }

 private:
  std::string& out_;
  bool pending_space_ = false;
};

std::string FoldAscii(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  Collapser collapse(out);
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') {
      const char lower = static_cast<char>(c - 'A' + 'a');
      collapse.Keep(std::string_view(&lower, 1));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      collapse.Keep(std::string_view(&c, 1));
    } else {
      collapse.Space();
    }
  }
  return out;
}

bool KeepCodePoint(UChar32 c) {
  switch (u_charType(c)) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
    case U_COMBINING_SPACING_MARK:
      return true;
    default:
      return false;
  }
}

std::string FoldUnicode(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return FoldAscii(s);  // ICU data missing: degrade, never throw

  // fromUTF8 turns invalid sequences into U+FFFD, which is a symbol and becomes a space.
  const icu::UnicodeString input =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<std::int32_t>(s.size())));
  // NFKC_Casefold = NFKC + full case folding (+ default ignorables removed).
  icu::UnicodeString folded = nfkc_cf->normalize(input, status);
  icu::UnicodeString decomposed = nfd->normalize(folded, status);
  if (U_FAILURE(status)) return FoldAscii(s);

  icu::UnicodeString kept;
  bool pending_space = false;
  for (std::int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;  // accents: "à" -> "a"
    if (KeepCodePoint(c)) {
      if (pending_space) kept.append(static_cast<UChar>(u' '));
      pending_space = false;
      kept.append(c);
    } else {
      pending_space = kept.length() > 0;
    }
  }
  // Recompose what is left (Hangul syllables, scripts with spacing marks).
  icu::UnicodeString composed = nfc->normalize(kept, status);
  if (U_FAILURE(status)) composed = kept;
  std::string out;
  composed.toUTF8String(out);
  return out;
}

}  // namespace

std::string FoldForMatch(std::string_view utf8) {
  return IsAscii(utf8) ? FoldAscii(utf8) : FoldUnicode(utf8);
}

std::u32string DecodeUtf8(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(utf8.data());
  const auto length = static_cast<std::int32_t>(utf8.size());
  for (std::int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    out.push_back(c < 0 ? U'\uFFFD' : static_cast<char32_t>(c));
  }
  return out;
}

}  // namespace satupintu::text
