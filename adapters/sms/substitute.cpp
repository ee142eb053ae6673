#include "adapters/sms/substitute.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

#include "adapters/sms/analysis.hpp"
#include "adapters/sms/utf8.hpp"

namespace satupintu::adapters::sms {
namespace {

struct Substitution {
  char32_t from;
  std::string_view to;
};

// Sorted by code point for binary search. Every replacement is GSM-7 (a test checks it).
constexpr auto kSubstitutions = std::to_array<Substitution>({
    {U'\t', " "},    // tabs come from pasted tables; GSM-7 has none
    {U'`', "'"},     // ASCII but not GSM-7
    {0x0085, "\n"},  // next line
    {0x00A0, " "},   // no-break space
    {0x00AB, "\""},  // left guillemet
    {0x00AD, ""},    // soft hyphen: invisible
    {0x00B4, "'"},   // acute accent used as apostrophe
    {0x00BB, "\""},  // right guillemet
    {0x02B9, "'"},   // modifier prime
    {0x02BA, "\""},  // modifier double prime
    {0x02BB, "'"},   // modifier turned comma
    {0x02BC, "'"},   // modifier apostrophe
    {0x02C6, "^"},   // modifier circumflex
    {0x02C8, "'"},   // modifier vertical line
    {0x02DC, "~"},   // small tilde
    {0x2000, " "},   // en quad .. hair space
    {0x2001, " "},   {0x2002, " "}, {0x2003, " "}, {0x2004, " "}, {0x2005, " "}, {0x2006, " "},
    {0x2007, " "},   {0x2008, " "}, {0x2009, " "}, {0x200A, " "}, {0x200B, ""},  // zero-width space
    {0x200E, ""},     // left-to-right mark
    {0x200F, ""},     // right-to-left mark
    {0x2010, "-"},    // hyphen
    {0x2011, "-"},    // non-breaking hyphen
    {0x2012, "-"},    // figure dash
    {0x2013, "-"},    // en dash
    {0x2014, "-"},    // em dash
    {0x2015, "-"},    // horizontal bar
    {0x2018, "'"},    // left single quote
    {0x2019, "'"},    // right single quote, the usual smartphone apostrophe
    {0x201A, "'"},    // low single quote
    {0x201B, "'"},    // reversed single quote
    {0x201C, "\""},   // left double quote
    {0x201D, "\""},   // right double quote
    {0x201E, "\""},   // low double quote
    {0x201F, "\""},   // reversed double quote
    {0x2022, "-"},    // bullet
    {0x2024, "."},    // one dot leader
    {0x2026, "..."},  // ellipsis
    {0x2028, "\n"},   // line separator
    {0x2029, "\n"},   // paragraph separator
    {0x202F, " "},    // narrow no-break space
    {0x2032, "'"},    // prime
    {0x2033, "\""},   // double prime
    {0x2039, "'"},    // single left angle quote
    {0x203A, "'"},    // single right angle quote
    {0x2043, "-"},    // hyphen bullet
    {0x2044, "/"},    // fraction slash
    {0x205F, " "},    // medium mathematical space
    {0x2060, ""},     // word joiner
    {0x2212, "-"},    // minus sign
    {0x2215, "/"},    // division slash
    {0x3000, " "},    // ideographic space
    {0xFEFF, ""},     // byte order mark / zero-width no-break space
});

static_assert(std::is_sorted(kSubstitutions.begin(), kSubstitutions.end(),
                             [](const Substitution& a, const Substitution& b) {
                               return a.from < b.from;
                             }));

// Fullwidth forms of '!'..'~' sit at a fixed offset from ASCII.
constexpr char32_t kFullwidthFirst = 0xFF01;
constexpr char32_t kFullwidthLast = 0xFF5E;
constexpr char32_t kFullwidthOffset = 0xFEE0;

const Substitution* FindSubstitution(char32_t code_point) {
  const auto* it = std::lower_bound(kSubstitutions.begin(), kSubstitutions.end(), code_point,
                                    [](const Substitution& s, char32_t c) { return s.from < c; });
  if (it == kSubstitutions.end() || it->from != code_point) return nullptr;
  return it;
}

// Appends the replacement of `code_point`; false if it has none.
bool AppendSubstitute(std::string& out, char32_t code_point) {
  if (code_point >= kFullwidthFirst && code_point <= kFullwidthLast) {
    code_point -= kFullwidthOffset;
    if (const Substitution* s = FindSubstitution(code_point)) {
      out.append(s->to);  // the fullwidth backtick
    } else {
      out.push_back(static_cast<char>(code_point));
    }
    return true;
  }
  if (const Substitution* s = FindSubstitution(code_point)) {
    out.append(s->to);
    return true;
  }
  return false;
}

}  // namespace

std::string SmartSubstitute(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  const auto* const begin = reinterpret_cast<const unsigned char*>(utf8.data());
  std::size_t i = 0;
  while (i < utf8.size()) {
    const detail::DecodedChar decoded = detail::DecodeUtf8(begin + i, utf8.size() - i);
    if (!decoded.valid || !AppendSubstitute(out, decoded.code_point)) {
      out.append(utf8.substr(i, decoded.length));
    }
    i += decoded.length;
  }
  return out;
}

std::string Gsm7Only(std::string_view utf8) {
  const std::string plain = SmartSubstitute(utf8);
  std::string out;
  out.reserve(plain.size());
  const auto* const begin = reinterpret_cast<const unsigned char*>(plain.data());
  std::size_t i = 0;
  bool after_drop = false;
  while (i < plain.size()) {
    const detail::DecodedChar decoded = detail::DecodeUtf8(begin + i, plain.size() - i);
    const std::string_view one(plain.data() + i, decoded.length);
    i += decoded.length;
    if (decoded.valid && Analyze(one).encoding == Encoding::kGsm7) {
      // "pak 🙏 sudah" reads "pak sudah": one space where the dropped characters were.
      if (!(after_drop && one == " " && !out.empty() && out.back() == ' ')) out.append(one);
      after_drop = false;
    } else {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');  // "mantap👍bu" -> "mantap bu"
      after_drop = true;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace satupintu::adapters::sms
