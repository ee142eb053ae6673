#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/sms/analysis.hpp"
#include "adapters/sms/codec.hpp"
#include "adapters/sms/split.hpp"
#include "adapters/sms/substitute.hpp"
#include "adapters/sms/utf8.hpp"

namespace satupintu::adapters::sms {
namespace {

std::string Repeat(std::string_view piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out.append(piece);
  return out;
}

std::string A(std::size_t n) { return std::string(n, 'a'); }

const char* Name(Encoding encoding) { return encoding == Encoding::kGsm7 ? "GSM-7" : "UCS-2"; }

// ---------------------------------------------------------------- Analyze

struct AnalyzeCase {
  std::string name;
  std::string text;
  Encoding encoding;
  std::size_t units;
  std::size_t segments;
  bool invalid = false;
};

std::vector<AnalyzeCase> AnalyzeCases() {
  const Encoding g = Encoding::kGsm7;
  const Encoding u = Encoding::kUcs2;
  return {
      // Empty text: one empty segment, since sending it would still cost one SMS.
      {"empty", "", g, 0, 1},
      {"ascii_160_fits_one", A(160), g, 160, 1},
      {"ascii_161_needs_two", A(161), g, 161, 2},
      {"ascii_306_two_parts", A(306), g, 306, 2},
      {"ascii_307_three_parts", A(307), g, 307, 3},
      {"extension_chars_two_septets", "^{}\\[~]|\f", g, 18, 1},
      {"euro_two_septets", "Rp 5 €", g, 7, 1},
      {"extension_pushes_past_160", A(159) + "\xE2\x82\xAC", g, 161, 2},
      {"extension_just_fits_160", A(158) + "[", g, 160, 1},
      // 306 septets would fit 2 x 153, but the escape pair at septets 153-154 moves whole to
      // part two, which then overflows into a third.
      {"escape_pair_would_straddle", A(152) + "[" + A(152), g, 306, 3},
      {"escape_pair_just_fits_part", A(151) + "[" + A(153), g, 306, 2},
      {"gsm_accents_and_greek", "Été Ñ ü ΔΩ £", g, 12, 1},
      {"cr_lf_are_gsm", "a\r\nb", g, 4, 1},
      // GSM 0x09 is capital C cedilla; the small one is not in the alphabet.
      {"small_c_cedilla_is_not_gsm", "ç", u, 1, 1},
      {"backtick_is_not_gsm", "`", u, 1, 1},
      {"curly_quote_forces_ucs2", "“Ya”", u, 4, 1},
      {"emoji_two_units", "🙏", u, 2, 1},
      {"emoji_fills_70", A(68) + "🙏", u, 70, 1},
      {"emoji_71_needs_two", A(69) + "🙏", u, 71, 2},
      {"ucs2_134_two_parts", A(133) + "ā", u, 134, 2},
      // 134 units would fit 2 x 67, but the surrogate pair at units 67-68 moves to part two.
      {"surrogate_pair_would_straddle", A(66) + "🙏" + A(66), u, 134, 3},
      {"invalid_lone_byte", "\xFF", u, 1, 1, true},
      {"invalid_truncated_sequence", "abc\xE2\x82", u, 4, 1, true},
      {"invalid_truncated_then_ascii", "\xE2\x82z", u, 2, 1, true},
      {"invalid_encoded_surrogate", "\xED\xA0\x80", u, 3, 1, true},
      {"invalid_overlong_slash", "\xC0\xAF", u, 2, 1, true},
      {"invalid_above_10ffff", "\xF4\x90\x80\x80", u, 4, 1, true},
      {"max_code_point_valid", "\xF4\x8F\xBF\xBF", u, 2, 1},
  };
}

class AnalyzeTest : public testing::TestWithParam<AnalyzeCase> {};

TEST_P(AnalyzeTest, CountsUnitsAndSegments) {
  const AnalyzeCase& c = GetParam();
  const Analysis a = Analyze(c.text);
  EXPECT_EQ(Name(a.encoding), std::string(Name(c.encoding)));
  EXPECT_EQ(a.units, c.units);
  EXPECT_EQ(a.segments, c.segments);
  EXPECT_EQ(a.had_invalid_utf8, c.invalid);
}

INSTANTIATE_TEST_SUITE_P(Table, AnalyzeTest, testing::ValuesIn(AnalyzeCases()),
                         [](const auto& param) { return param.param.name; });

// ---------------------------------------------------------------- SmartSubstitute

struct SubstituteCase {
  std::string name;
  std::string in;
  std::string out;
};

std::vector<SubstituteCase> SubstituteCases() {
  return {
      {"curly_quotes", "“Halo” ‘Bu’", "\"Halo\" 'Bu'"},
      {"apostrophe", "Jum’at", "Jum'at"},
      {"dashes", "08.00–12.00 — Senin −5", "08.00-12.00 - Senin -5"},
      {"ellipsis", "Tunggu…", "Tunggu..."},
      {"spaces",
       "Rp\xC2\xA0"
       "500.000\xE2\x80\xAF"
       "x\xE3\x80\x80y\tz",
       "Rp 500.000 x y z"},
      {"invisible_dropped", "se\xC2\xADmoga\xE2\x80\x8B!\xEF\xBB\xBF", "semoga!"},
      {"separators_to_newline",
       "a\xE2\x80\xA8"
       "b",
       "a\nb"},
      {"bullet", "• KTP", "- KTP"},
      {"fullwidth_ascii", "Ａ１！｀", "A1!'"},
      {"backtick", "`NIK`", "'NIK'"},
      {"letters_untouched", "ā é ç", "ā é ç"},
      {"emoji_untouched", "👍", "👍"},
      {"zwj_sequence_untouched", "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9",
       "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9"},
      {"invalid_bytes_copied",
       "a\xFF\xE2\x80"
       "b",
       "a\xFF\xE2\x80"
       "b"},
      {"empty", "", ""},
  };
}

class SubstituteTest : public testing::TestWithParam<SubstituteCase> {};

TEST_P(SubstituteTest, ReplacesTypography) {
  EXPECT_EQ(SmartSubstitute(GetParam().in), GetParam().out);
}

INSTANTIATE_TEST_SUITE_P(Table, SubstituteTest, testing::ValuesIn(SubstituteCases()),
                         [](const auto& param) { return param.param.name; });

TEST(Gsm7Only, DropsWhatGsm7CannotCarryAndKeepsTheRest) {
  EXPECT_EQ(Gsm7Only("Terima kasih pak 🙏 sudah"), "Terima kasih pak sudah");
  EXPECT_EQ(Gsm7Only("mantap👍bu"), "mantap bu");
  EXPECT_EQ(Gsm7Only("“belum cair” — 3 bln"), "\"belum cair\" - 3 bln")
      << "typographic characters are substituted, not dropped";
  EXPECT_EQ(Gsm7Only("Ibu नम "), "Ibu");
  EXPECT_EQ(Gsm7Only("café à 50%"), "café à 50%") << "GSM-7's own accented letters stay";
  EXPECT_EQ(Gsm7Only(std::string("a\xFF") + "b"), "a b") << "invalid bytes too";
  EXPECT_EQ(Analyze(Gsm7Only("😀 halo 你")).encoding, Encoding::kGsm7);
}

TEST(SmartSubstitute, IndonesianPromptBecomesGsm7) {
  const std::string prompt =
      "Pengajuan “PKH” Anda sudah diterima—silakan datang ke kantor desa hari Jum’at…";
  const Analysis before = Analyze(prompt);
  EXPECT_EQ(before.encoding, Encoding::kUcs2);
  const std::string substituted = SmartSubstitute(prompt);
  EXPECT_EQ(substituted,
            "Pengajuan \"PKH\" Anda sudah diterima-silakan datang ke kantor desa hari Jum'at...");
  const Analysis after = Analyze(substituted);
  EXPECT_EQ(after.encoding, Encoding::kGsm7);
  EXPECT_EQ(after.units, substituted.size());
  EXPECT_EQ(after.segments, 1u);
}

// Every replacement must itself be GSM-7, or substituting would not help.
TEST(SmartSubstitute, EveryReplacementIsGsm7) {
  std::size_t replaced = 0;
  for (char32_t c = 1; c < 0x10000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    std::string in;
    detail::AppendUtf8(in, c);
    const std::string out = SmartSubstitute(in);
    if (out == in) continue;
    ++replaced;
    EXPECT_EQ(Analyze(out).encoding, Encoding::kGsm7) << "U+" << std::hex << std::uint32_t{c};
  }
  EXPECT_GT(replaced, 100u);  // the table and the fullwidth range were reached at all
}

// ---------------------------------------------------------------- Split

std::string Joined(const std::vector<Part>& parts) {
  std::string out;
  for (const Part& p : parts) out += p.text;
  return out;
}

TEST(Split, SingleMessageHasNoUdh) {
  const auto parts = Split("Halo, Bu Sari.", 0x42);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].text, "Halo, Bu Sari.");
  EXPECT_EQ(parts[0].encoding, Encoding::kGsm7);
  EXPECT_EQ(parts[0].units, 14u);
  EXPECT_EQ(parts[0].udh_hex, "");
  EXPECT_EQ(parts[0].seq, 1);
  EXPECT_EQ(parts[0].total, 1);
}

TEST(Split, EmptyTextIsOneEmptyPart) {
  const auto parts = Split("", 1);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].text, "");
  EXPECT_EQ(parts[0].units, 0u);
  EXPECT_EQ(parts[0].udh_hex, "");
}

TEST(Split, ThreePartUcs2WithUdh) {
  const std::string text = Repeat("Terima kasih 🙏 ", 10);  // 16 units x 10
  ASSERT_EQ(Analyze(text).units, 160u);
  const auto parts = Split(text, 0xA7);
  ASSERT_EQ(parts.size(), 3u);
  const char* const udh[] = {"050003A70301", "050003A70302", "050003A70303"};
  std::size_t units = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    EXPECT_EQ(parts[i].encoding, Encoding::kUcs2);
    EXPECT_EQ(parts[i].udh_hex, udh[i]);
    EXPECT_EQ(parts[i].seq, static_cast<int>(i + 1));
    EXPECT_EQ(parts[i].total, 3);
    EXPECT_LE(parts[i].units, kUcs2PartUnits);
    EXPECT_EQ(parts[i].units, EncodeUcs2(parts[i].text).size() / 2);
    units += parts[i].units;
  }
  EXPECT_EQ(units, 160u);
  EXPECT_EQ(Joined(parts), text);
  // Four whole "Terima kasih 🙏 " fit in 67 units; the cut falls after the space.
  EXPECT_EQ(parts[0].text, Repeat("Terima kasih 🙏 ", 4));
}

TEST(Split, EscapePairMovesWholeToNextPart) {
  const auto parts = Split(A(152) + "[" + A(152), 0);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].text, A(152));
  EXPECT_EQ(parts[0].units, 152u);
  EXPECT_EQ(parts[1].text, "[" + A(151));
  EXPECT_EQ(parts[1].units, 153u);
  EXPECT_EQ(parts[2].text, "a");
}

TEST(Split, SurrogatePairMovesWholeToNextPart) {
  // A letter outside the BMP (U+1D400): unlike an emoji it offers no line break around it,
  // so the cut below is the hard one.
  const std::string bold_a = "\xF0\x9D\x90\x80";
  const auto parts = Split(A(66) + bold_a + A(66), 0);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].text, A(66));
  EXPECT_EQ(parts[1].text, bold_a + A(65));
  EXPECT_EQ(parts[1].units, 67u);
  EXPECT_EQ(parts[2].text, "a");
}

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

TEST(Split, CutsAtWordBoundaries) {
  const std::string text = Repeat("Bantuan sosial untuk keluarga penerima manfaat. ", 6);
  // A cut at 153 septets would fall inside a word, so the test shows the iterator at work.
  ASSERT_TRUE(IsLetter(text[152]) && IsLetter(text[153]));
  const auto parts = Split(text, 9);
  ASSERT_EQ(parts.size(), Analyze(text).segments);
  ASSERT_GE(parts.size(), 2u);
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    EXPECT_EQ(parts[i].text.back(), ' ') << "part " << i << ": " << parts[i].text;
    EXPECT_TRUE(IsLetter(parts[i + 1].text.front())) << "part " << i + 1;
  }
  EXPECT_EQ(Joined(parts), text);
}

TEST(Split, HardCutWhenAWordIsLongerThanAPart) {
  const std::string tail = " " + Repeat("selesai ", 12) + "ok";
  const std::string text = "Tautan: " + A(200) + tail;  // 307 septets: 3 parts anyway
  const auto parts = Split(text, 0);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].text, "Tautan: ");  // the long word starts the next part...
  EXPECT_EQ(parts[1].text, A(153));      // ...and is cut where the part is full
  EXPECT_EQ(parts[2].text, A(47) + tail);
}

TEST(Split, HardCutWhenTheWordBoundaryWouldCostAPart) {
  // Exactly 2 x 153 septets: any cut other than at 153 needs a third part.
  const std::string text = Repeat("kata ", 61) + "a";
  ASSERT_EQ(Analyze(text).segments, 2u);
  ASSERT_TRUE(IsLetter(text[152]) && IsLetter(text[153]));
  const auto parts = Split(text, 0);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].units, 153u);
  EXPECT_EQ(parts[1].units, 153u);
}

TEST(Split, InvalidUtf8BecomesReplacementCharacter) {
  const auto parts = Split("ok\xFF", 0);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].encoding, Encoding::kUcs2);
  EXPECT_EQ(parts[0].text, "ok\xEF\xBF\xBD");
}

TEST(Split, RefusesMoreThan255Parts) {
  EXPECT_EQ(Split(A(255 * kGsm7PartUnits), 0).size(), 255u);
  EXPECT_TRUE(Split(A(255 * kGsm7PartUnits + 1), 0).empty());
}

// Invariants over random texts mixing every kind of character the rules care about.
TEST(Split, RandomTextsKeepInvariants) {
  const std::vector<std::string> pieces = {
      "a",        "b", " ",        " ",       "\n", "[",        "\xE2\x82\xAC",
      "\xC3\xA9", ".", "Bantuan ", "sosial ", "🙏",  "\xC4\x81", "\xFF"};
  std::mt19937 random(20261122);
  for (int round = 0; round < 500; ++round) {
    std::string text;
    const std::size_t length = random() % 700;
    const bool gsm_only = round % 2 == 0;
    for (std::size_t i = 0; i < length; ++i) {
      text += pieces[random() % (gsm_only ? 11 : pieces.size())];
    }
    const Analysis analysis = Analyze(text);
    const auto parts = Split(text, static_cast<std::uint8_t>(round));
    ASSERT_EQ(parts.size(), analysis.segments) << text;
    const std::size_t limit =
        parts.size() == 1 ? SingleUnits(analysis.encoding) : PartUnits(analysis.encoding);
    std::size_t units = 0;
    for (const Part& part : parts) {
      EXPECT_EQ(part.encoding, analysis.encoding);
      EXPECT_LE(part.units, limit);
      const std::size_t encoded = part.encoding == Encoding::kGsm7
                                      ? EncodeGsm7(part.text).value().size()
                                      : EncodeUcs2(part.text).size() / 2;
      EXPECT_EQ(part.units, encoded);
      units += part.units;
    }
    EXPECT_EQ(units, analysis.units);
    EXPECT_EQ(Ucs2Hex(Joined(parts)), Ucs2Hex(text));
  }
}

// ---------------------------------------------------------------- byte encodings

TEST(EncodeGsm7, StandardSeptets) {
  const struct {
    const char* text;
    std::vector<std::uint8_t> septets;
  } cases[] = {
      {"@\xC2\xA3$", {0x00, 0x01, 0x02}},
      {"\xC3\x87\xCE\x94_\xC2\xA1\xC2\xBF\xC3\xA0", {0x09, 0x10, 0x11, 0x40, 0x60, 0x7F}},
      {"\xC3\x9F\xC3\x89\xC2\xA4\xC2\xA7", {0x1E, 0x1F, 0x24, 0x5F}},
      {"a\xE2\x82\xAC[", {0x61, 0x1B, 0x65, 0x1B, 0x3C}},
      {"^{}\\~]|\f",
       {0x1B, 0x14, 0x1B, 0x28, 0x1B, 0x29, 0x1B, 0x2F, 0x1B, 0x3D, 0x1B, 0x3E, 0x1B, 0x40, 0x1B,
        0x0A}},
  };
  for (const auto& c : cases) {
    const auto septets = EncodeGsm7(c.text);
    ASSERT_TRUE(septets.has_value()) << c.text;
    EXPECT_EQ(*septets, c.septets) << c.text;
  }
}

TEST(EncodeGsm7, RefusesWhatGsm7Lacks) {
  using namespace std::string_view_literals;
  for (const std::string_view text : {"🙏"sv, "ç"sv, "`"sv, "x\xFF"sv, "\0"sv}) {
    EXPECT_FALSE(EncodeGsm7(text).has_value()) << text;
  }
}

TEST(EncodeUcs2, BigEndianWithSurrogates) {
  const std::vector<std::uint8_t> expected = {0x00, 0x48, 0x00, 0x61, 0x00, 0x69,
                                              0x00, 0x20, 0xD8, 0x3D, 0xDE, 0x4F};
  EXPECT_EQ(EncodeUcs2("Hai \xF0\x9F\x99\x8F"), expected);
}

TEST(Ucs2Hex, GammuText00) {
  EXPECT_EQ(Ucs2Hex("Halo Bu"), "00480061006C006F002000420075");
  EXPECT_EQ(Ucs2Hex("\xE2\x82\xAC"
                    "5"),
            "20AC0035");
  EXPECT_EQ(Ucs2Hex("🙏"), "D83DDE4F");
  EXPECT_EQ(Ucs2Hex("\xFF"), "FFFD");
}

TEST(Ucs2Hex, RoundTrip) {
  const std::string text = "Status bantuan: “cair” 🎉 Rp500.000";
  EXPECT_EQ(Utf8FromUcs2Hex(Ucs2Hex(text)), text);
  EXPECT_EQ(Utf8FromUcs2Hex("00680061006c006f"), "halo");  // lower case accepted
  EXPECT_EQ(Utf8FromUcs2Hex("D83D0041"),
            "\xEF\xBF\xBD"
            "A");  // unpaired surrogate
  EXPECT_EQ(Utf8FromUcs2Hex("004"), std::nullopt);
  EXPECT_EQ(Utf8FromUcs2Hex("00G1"), std::nullopt);
}

}  // namespace
}  // namespace satupintu::adapters::sms
