#include "text/name_similarity.hpp"

#include <gtest/gtest.h>

#include <string>

namespace satupintu::text {
namespace {

struct Pair {
  const char* registry;
  const char* typed;
};

// Made-up names in real Indonesian patterns.
constexpr Pair kSame[] = {
    {"SOEKARNO", "Sukarno"},
    {"Djoko Santoso", "Joko Santoso"},
    {"Tjahjo Kumolo", "Cahyo Kumolo"},
    {"Soeharti Nyoman", "Suharti Njoman"},
    {"MUHAMMAD RIZKI", "Mohammad Rizki"},
    {"Muhammad Rizki", "Muhamad Rizki"},
    {"Mochammad Yusuf", "Moh. Yusuf"},
    {"Muhammad Yusuf", "Moch Yusuf"},
    {"Muhammad Yusuf", "M. Yusuf"},
    {"SITI AMINAH", "St. Aminah"},
    {"Nurul Hidayah", "Nur Hidayah"},
    {"Abdullah Syafii", "Abdulah Syafi'i"},
    {"Achmad Fauzi", "Ahmad Fauzi"},
    {"Khoirul Anam", "Choirul Anam"},
    {"Siti Nur Aminah", "Siti Aminah"},      // missing middle name
    {"Dewi Sartika", "Sartika Dewi"},        // order swapped
    {"Nurhayati", "Nur Hayati"},             // split differently
    {"Siti Aminah", "siti  aminah "},        // case and spacing
    {"Siti Aminah", "Siti Amina"},           // one letter missing
    {"Bambang Purnomo", "Bambang Purnama"},  // one letter wrong in a long name
    {"Abd. Rahman", "Abdul Rahman"},
    {"Rudy Hartono", "Rudi Hartono"},
    {"Eko Prasetyo", "Eko Prasetya"},
};

constexpr Pair kDifferent[] = {
    {"Budi Santoso", "Budi Susanto"},
    {"Siti Nur Aminah", "Siti Dewi Aminah"},  // a wrong middle name
    {"Agus Salim", "Agus Setiawan"},
    {"Agus Salim", "Agus"},  // only the first name
    {"Dewi Lestari", "Dewi Sartika"},
    {"Rina Wati", "Rini Yanti"},
    {"Muhammad Rizki", "Muhammad Fajar"},
    {"Sri Mulyani", "Sri Rahayu"},
    {"Ahmad Fauzi", "Ahmad Fauzan Hakim"},
    {"Ani", "Ina"},
};

TEST(NameSimilarity, SameNameAsWrittenScoresAtLeastThreshold) {
  for (const auto& p : kSame) {
    const double s = NameSimilarity(p.registry, p.typed);
    EXPECT_GE(s, kNameMatchThreshold) << p.registry << " / " << p.typed << " = " << s;
    EXPECT_LE(s, 1.0);
    EXPECT_DOUBLE_EQ(s, NameSimilarity(p.typed, p.registry)) << p.registry << " / " << p.typed;
  }
}

TEST(NameSimilarity, DifferentNamesScoreBelowThreshold) {
  for (const auto& p : kDifferent) {
    const double s = NameSimilarity(p.registry, p.typed);
    EXPECT_LT(s, kNameMatchThreshold) << p.registry << " / " << p.typed << " = " << s;
    EXPECT_GE(s, 0.0);
  }
}

TEST(NameSimilarity, MissingMiddleNameCostsLessThanWrongOne) {
  EXPECT_GT(NameSimilarity("Siti Nur Aminah", "Siti Aminah"),
            NameSimilarity("Siti Nur Aminah", "Siti Dewi Aminah"));
  EXPECT_GT(NameSimilarity("Muhammad Agus Salim", "Muhammad Salim"),
            NameSimilarity("Muhammad Agus Salim", "Muhammad Budi Salim"));
}

TEST(NameSimilarity, ExactAndEmpty) {
  EXPECT_DOUBLE_EQ(NameSimilarity("Siti Aminah", "SITI AMINAH"), 1.0);
  EXPECT_DOUBLE_EQ(NameSimilarity("Soekarno", "Sukarno"), 1.0);
  EXPECT_DOUBLE_EQ(NameSimilarity("", "Siti"), 0.0);
  EXPECT_DOUBLE_EQ(NameSimilarity("...", "Siti"), 0.0);
}

// The score compares spellings: a one-letter difference in a long name passes. Documented in
// the header; a lookup must combine the name with region or birth date.
TEST(NameSimilarity, OneLetterInLongNameIsNotDistinguished) {
  EXPECT_GE(NameSimilarity("Sri Wahyuni", "Sri Wahyudi"), kNameMatchThreshold);
}

TEST(NameSimilarity, OrderSwapScoresBelowSameOrder) {
  EXPECT_LT(NameSimilarity("Dewi Sartika", "Sartika Dewi"), 1.0);
}

TEST(CanonicalNameToken, SpellingAndAliases) {
  EXPECT_EQ(CanonicalNameToken("soekarno"), "sukarno");
  EXPECT_EQ(CanonicalNameToken("djoko"), "joko");
  EXPECT_EQ(CanonicalNameToken("tjipto"), "cipto");
  EXPECT_EQ(CanonicalNameToken("sjahrir"), "syahrir");
  EXPECT_EQ(CanonicalNameToken("njoman"), "nyoman");
  EXPECT_EQ(CanonicalNameToken("achmad"), "ahmad");
  EXPECT_EQ(CanonicalNameToken("mochammad"), "muhamad");
  EXPECT_EQ(CanonicalNameToken("moch"), "muhamad");
  EXPECT_EQ(CanonicalNameToken("abdullah"), "abdulah");
  EXPECT_EQ(CanonicalNameToken("st"), "siti");
  EXPECT_EQ(CanonicalNameToken("nurul"), "nur");
  EXPECT_EQ(CanonicalNameToken("rudy"), "rudi");
  EXPECT_EQ(CanonicalNameToken("ray"), "ray");
}

}  // namespace
}  // namespace satupintu::text
