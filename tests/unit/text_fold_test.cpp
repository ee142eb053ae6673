#include <gtest/gtest.h>

#include "text/edit_distance.hpp"
#include "text/fold.hpp"

namespace satupintu::text {
namespace {

TEST(FoldForMatch, AsciiCasePunctuationAndSpaces) {
  EXPECT_EQ(FoldForMatch("  Kel. MENTENG-Atas "), "kel menteng atas");
  EXPECT_EQ(FoldForMatch("Lubuk Pakam I,II"), "lubuk pakam i ii");
  EXPECT_EQ(FoldForMatch("Soka\"an"), "soka an");
  EXPECT_EQ(FoldForMatch("RT.01/RW.02"), "rt 01 rw 02");
  EXPECT_EQ(FoldForMatch("\t\n"), "");
  EXPECT_EQ(FoldForMatch(""), "");
}

TEST(FoldForMatch, AccentsWidthAndLigatures) {
  EXPECT_EQ(FoldForMatch("Bekasi Selatàn"), "bekasi selatan");
  EXPECT_EQ(
      FoldForMatch(
          "\xEF\xBC\xA2\xEF\xBD\x81\xEF\xBD\x8E\xEF\xBD\x84\xEF\xBD\x95\xEF\xBD\x8E\xEF\xBD\x87"),
      "bandung");                                                // full-width letters
  EXPECT_EQ(FoldForMatch("ﬁtri"), "fitri");                      // ligature fi
  EXPECT_EQ(FoldForMatch("STRASSE Straße"), "strasse strasse");  // full case folding
  EXPECT_EQ(FoldForMatch("Jos\xC3\xA9 E\xCC\x81"), "jose e");    // precomposed and combining
}

TEST(FoldForMatch, SmartphoneSymbolsBecomeSpaces) {
  EXPECT_EQ(FoldForMatch("\xE2\x80\x9CSukamaju\xE2\x80\x9D \xE2\x80\x94 Cibadak\xE2\x80\xA6"),
            "sukamaju cibadak");  // curly quotes, em dash, ellipsis
  EXPECT_EQ(FoldForMatch("desa\xF0\x9F\x99\x8F sukamaju"), "desa sukamaju");  // emoji
  EXPECT_EQ(FoldForMatch("Men\xC2\xADteng"), "menteng");  // soft hyphen is ignorable
  EXPECT_EQ(FoldForMatch("a\xFF"
                         "b"),
            "a b");  // invalid UTF-8 is a symbol
}

TEST(FoldForMatch, OtherScriptsKept) {
  EXPECT_EQ(FoldForMatch("ΑΘΗΝΑ"), "αθηνα");
  EXPECT_EQ(FoldForMatch("ꦗꦮ"), FoldForMatch("ꦗꦮ"));  // Javanese script survives folding
  EXPECT_FALSE(FoldForMatch("ꦗꦮ").empty());
}

TEST(BoundedEditDistance, Basics) {
  EXPECT_EQ(BoundedEditDistance("bogor", "bogor", 2), 0);
  EXPECT_EQ(BoundedEditDistance("bogor", "bogr", 2), 1);
  EXPECT_EQ(BoundedEditDistance("bogor", "bgoor", 2), 1);  // adjacent transposition
  EXPECT_EQ(BoundedEditDistance("sukamaju", "sukamuja", 2), 2);
  EXPECT_EQ(BoundedEditDistance("kitten", "sitting", 5), 3);
  EXPECT_EQ(BoundedEditDistance("", "abc", 5), 3);
  EXPECT_EQ(BoundedEditDistance("abc", "", 5), 3);
  // OSA, not Damerau: "ca" -> "abc" is 3 (no editing a substring twice).
  EXPECT_EQ(BoundedEditDistance("ca", "abc", 5), 3);
}

TEST(BoundedEditDistance, ReturnsMaxPlusOneWhenAbove) {
  EXPECT_EQ(BoundedEditDistance("kitten", "sitting", 2), 3);
  EXPECT_EQ(BoundedEditDistance("kitten", "sitting", 0), 1);
  EXPECT_EQ(BoundedEditDistance("a", "abcdef", 1), 2);
  EXPECT_EQ(BoundedEditDistance("abcdef", "uvwxyz", 2), 3);
  EXPECT_EQ(BoundedEditDistance("abc", "abd", -1), 1);
}

TEST(BoundedEditDistance, CodePointsNotBytes) {
  EXPECT_EQ(BoundedEditDistance("caf\xC3\xA9", "cafe", 2), 1);
  EXPECT_EQ(BoundedEditDistance(U"αθηνα", U"αθινα", 2), 1);
}

// Against a plain full-matrix OSA on many pairs, so the band and the early exits are exact.
int ReferenceOsa(const std::string& a, const std::string& b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

TEST(BoundedEditDistance, AgreesWithFullMatrix) {
  std::uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) & 0x7fff;
  };
  for (int round = 0; round < 5000; ++round) {
    std::string a;
    std::string b;
    const auto la = next() % 9;
    const auto lb = next() % 9;
    for (unsigned i = 0; i < la; ++i) a.push_back(static_cast<char>('a' + next() % 3));
    for (unsigned i = 0; i < lb; ++i) b.push_back(static_cast<char>('a' + next() % 3));
    const int expected = ReferenceOsa(a, b);
    for (int max = 0; max <= 4; ++max) {
      const int got = BoundedEditDistance(a, b, max);
      ASSERT_EQ(got, expected <= max ? expected : max + 1) << a << " / " << b << " max " << max;
    }
  }
}

}  // namespace
}  // namespace satupintu::text
