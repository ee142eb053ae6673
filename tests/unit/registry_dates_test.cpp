#include <gtest/gtest.h>

#include "registry_io/dates.hpp"

namespace satupintu::registry_io {
namespace {

TEST(RegistryDatesTest, AcceptedForms) {
  EXPECT_EQ(ParseDate("1985-03-02"), (CivilDate{1985, 3, 2}));
  EXPECT_EQ(ParseDate("02-03-1985"), (CivilDate{1985, 3, 2}));
  EXPECT_EQ(ParseDate("02/03/1985"), (CivilDate{1985, 3, 2}));
  EXPECT_EQ(ParseDate("2/3/1985"), (CivilDate{1985, 3, 2}));
  EXPECT_EQ(ParseDate("17/8/1945"), (CivilDate{1945, 8, 17}));
  EXPECT_EQ(ParseDate("2-3-1985"), (CivilDate{1985, 3, 2}));
  EXPECT_EQ(ParseDate(" 1985-03-02 "), (CivilDate{1985, 3, 2}));
}

TEST(RegistryDatesTest, RealDatesOnly) {
  EXPECT_EQ(ParseDate("2000-02-29"), (CivilDate{2000, 2, 29}));
  EXPECT_EQ(ParseDate("29/02/2024"), (CivilDate{2024, 2, 29}));
  EXPECT_FALSE(ParseDate("1900-02-29"));
  EXPECT_FALSE(ParseDate("29-02-2023"));
  EXPECT_FALSE(ParseDate("31/04/1985"));
  EXPECT_FALSE(ParseDate("1985-13-01"));
  EXPECT_FALSE(ParseDate("1985-00-10"));
  EXPECT_FALSE(ParseDate("00/01/1985"));
  EXPECT_FALSE(ParseDate("0000-01-01"));
}

TEST(RegistryDatesTest, RejectedForms) {
  for (const char* text :
       {"", "1985", "1985-3-2", "1985/03/02", "02-03/1985", "02/03/85", "17 Agustus 1945",
        "2/3/19850", "123/3/1985", "2//1985", "/3/1985", "1985-03-02T00:00", "+2/3/1985",
        "2/+3/1985", "1985-03-0x", "02.03.1985"}) {
    EXPECT_FALSE(ParseDate(text)) << text;
  }
}

TEST(RegistryDatesTest, IsoAndOrder) {
  EXPECT_EQ((CivilDate{985, 3, 2}).ToIso(), "0985-03-02");
  EXPECT_EQ((CivilDate{2025, 10, 1}).ToIso(), "2025-10-01");
  EXPECT_LT((CivilDate{2025, 9, 30}), (CivilDate{2025, 10, 1}));
  EXPECT_LT((CivilDate{2024, 12, 31}), (CivilDate{2025, 1, 1}));
}

}  // namespace
}  // namespace satupintu::registry_io
