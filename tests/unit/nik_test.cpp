#include "registry_io/nik.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace satupintu::registry_io {
namespace {

// Made-up numbers with real structure: 32 Jawa Barat, 01 Kab. Bogor, 01 kecamatan.
constexpr CivilDate kToday{2025, 10, 1};

TEST(NikTest, ManAndWomanWithTheirBirthDates) {
  const Nik man = ParseNik("3201011502800001", kToday);
  ASSERT_TRUE(man.ok()) << NikErrorCode(man.error);
  EXPECT_EQ(man.digits, "3201011502800001");
  EXPECT_EQ(man.province, 32);
  EXPECT_EQ(man.regency, 1);
  EXPECT_EQ(man.kecamatan, 1);
  EXPECT_EQ(man.birth_date, (CivilDate{1980, 2, 15}));
  EXPECT_EQ(man.sex, Sex::kMale);
  EXPECT_EQ(man.serial, 1);

  // Women: 40 added to the day (42 -> the 2nd).
  const Nik woman = ParseNik("3201014203850003", kToday);
  ASSERT_TRUE(woman.ok()) << NikErrorCode(woman.error);
  EXPECT_EQ(woman.birth_date, (CivilDate{1985, 3, 2}));
  EXPECT_EQ(woman.sex, Sex::kFemale);
  EXPECT_EQ(woman.serial, 3);

  const Nik last_day = ParseNik("7371127112990042", kToday);  // Kota Makassar, 31 Dec 1999
  ASSERT_TRUE(last_day.ok());
  EXPECT_EQ(last_day.birth_date, (CivilDate{1999, 12, 31}));
  EXPECT_EQ(last_day.sex, Sex::kFemale);
  EXPECT_EQ(last_day.regency, 71);
}

TEST(NikTest, SpacesDotsAndDashesAreStripped) {
  for (const char* text : {"32.01.01.150280.0001", "3201 0115 0280 0001", "3201-01-150280-0001",
                           " 3201011502800001 ", "\t3201011502800001"}) {
    const Nik nik = ParseNik(text, kToday);
    EXPECT_TRUE(nik.ok()) << text;
    EXPECT_EQ(nik.digits, "3201011502800001") << text;
  }
  EXPECT_EQ(NormalizeIdDigits("32.01-01 15"), "32010115");
  EXPECT_EQ(NormalizeIdDigits("x1"), "x1");
}

TEST(NikTest, LengthAndCharacters) {
  EXPECT_EQ(ParseNik("", kToday).error, IdError::kLength);
  EXPECT_EQ(ParseNik("320101150280000", kToday).error, IdError::kLength);
  EXPECT_EQ(ParseNik("32010115028000011", kToday).error, IdError::kLength);
  EXPECT_EQ(ParseNik("3201011502800001" + std::string(100, '9'), kToday).error, IdError::kLength);
  EXPECT_EQ(ParseNik("3.20101E+15", kToday).error, IdError::kCharacters);  // Excel's rendering
  EXPECT_EQ(ParseNik("'3201011502800001", kToday).error, IdError::kCharacters);
  EXPECT_EQ(ParseNik("320101150280000O", kToday).error, IdError::kCharacters);
  EXPECT_EQ(ParseNik("3201011502800001\xEF\xBC\x91", kToday).error, IdError::kCharacters);
  EXPECT_TRUE(ParseNik("320101150280000O", kToday).digits.empty());
}

TEST(NikTest, ProvinceAndRegencyCodes) {
  EXPECT_EQ(ParseNik("1001011502800001", kToday).error, IdError::kProvince);
  EXPECT_EQ(ParseNik("2001011502800001", kToday).error, IdError::kProvince);
  EXPECT_EQ(ParseNik("9701011502800001", kToday).error, IdError::kProvince);
  EXPECT_TRUE(ParseNik("9601011502800001", kToday).ok());  // Papua Barat Daya (2022)
  EXPECT_EQ(ParseNik("3200011502800001", kToday).error, IdError::kRegency);
  EXPECT_EQ(ParseNik("3270011502800001", kToday).error, IdError::kRegency);
  EXPECT_TRUE(ParseNik("3269011502800001", kToday).ok());
  EXPECT_TRUE(ParseNik("3299011502800001", kToday).ok());
  // The kecamatan is never a reason to reject: codes of issue may predate splits.
  EXPECT_TRUE(ParseNik("3201001502800001", kToday).ok());
  EXPECT_TRUE(ParseNik("3201991502800001", kToday).ok());
}

TEST(NikTest, BirthDates) {
  // Leap days: 29 Feb 2000 and 2004 are real, 2001 and 1900 are not.
  EXPECT_EQ(ParseNik("3201012902000001", kToday).birth_date, (CivilDate{2000, 2, 29}));
  EXPECT_EQ(ParseNik("3201016902040001", kToday).birth_date, (CivilDate{2004, 2, 29}));
  EXPECT_EQ(ParseNik("3201012902010001", kToday).error, IdError::kDate);
  EXPECT_EQ(ParseNik("3201012902000001", CivilDate{1999, 6, 1}).error, IdError::kDate);
  // Day 00, 32-40 (neither sex), 72 and above, month 00 and 13, 31 April.
  for (const char* nik :
       {"3201010001800001", "3201013201800001", "3201014001800001", "3201017201800001",
        "3201011500800001", "3201011513800001", "3201013104800001", "3201017104800001"}) {
    EXPECT_EQ(ParseNik(nik, kToday).error, IdError::kDate) << nik;
  }
  // Two-digit year: the century that is not in the future.
  EXPECT_EQ(ParseNik("3201010110250001", kToday).birth_date, (CivilDate{2025, 10, 1}));  // today
  EXPECT_EQ(ParseNik("3201010210250001", kToday).birth_date, (CivilDate{1925, 10, 2}));
  EXPECT_EQ(ParseNik("3201011502300001", kToday).birth_date, (CivilDate{1930, 2, 15}));
  EXPECT_EQ(ParseNik("3201011502240001", kToday).birth_date, (CivilDate{2024, 2, 15}));
  EXPECT_EQ(ParseNik("3201011502240001", CivilDate{2023, 12, 31}).birth_date,
            (CivilDate{1924, 2, 15}));
}

TEST(NikTest, Serial) {
  EXPECT_EQ(ParseNik("3201011502800000", kToday).error, IdError::kSerial);
  EXPECT_TRUE(ParseNik("3201011502809999", kToday).ok());
}

TEST(NikTest, ErrorCodesAreStable) {
  EXPECT_STREQ(NikErrorCode(IdError::kNone), "nik.ok");
  EXPECT_STREQ(NikErrorCode(IdError::kLength), "nik.length");
  EXPECT_STREQ(NikErrorCode(IdError::kCharacters), "nik.characters");
  EXPECT_STREQ(NikErrorCode(IdError::kProvince), "nik.province");
  EXPECT_STREQ(NikErrorCode(IdError::kRegency), "nik.regency");
  EXPECT_STREQ(NikErrorCode(IdError::kDate), "nik.date");
  EXPECT_STREQ(NikErrorCode(IdError::kSerial), "nik.serial");
  EXPECT_STREQ(KkErrorCode(IdError::kLength), "kk.length");
  EXPECT_STREQ(KkErrorCode(IdError::kSerial), "kk.serial");
}

TEST(KkTest, Rules) {
  const Kk kk = ParseKk("3201.0112.0312.0007");
  ASSERT_TRUE(kk.ok()) << KkErrorCode(kk.error);
  EXPECT_EQ(kk.digits, "3201011203120007");
  EXPECT_EQ(kk.province, 32);
  // The entry date is not checked (day 00, month 99 occur on old cards).
  EXPECT_TRUE(ParseKk("3201010099000007").ok());
  EXPECT_EQ(ParseKk("320101120312000").error, IdError::kLength);
  EXPECT_EQ(ParseKk("32010112031200O7").error, IdError::kCharacters);
  EXPECT_EQ(ParseKk("9901011203120007").error, IdError::kProvince);
  EXPECT_EQ(ParseKk("3201011203120000").error, IdError::kSerial);
}

TEST(MaskIdTest, FirstFourAndLastFour) {
  EXPECT_EQ(MaskId("3201014203850003"), "3201********0003");
  EXPECT_EQ(MaskId("123456789"), "1234*6789");
  EXPECT_EQ(MaskId("12345678"), "********");
  EXPECT_EQ(MaskId(""), "");
}

// The official list: idn-area-data 4.0.1's provinces.csv when it is extracted at /tmp/idn
// (npm pack idn-area-data@4.0.1), else the same 38 codes written out here.
TEST(ProvinceCodesTest, MatchTheOfficialList) {
  std::set<int> official;
  const std::filesystem::path csv = "/tmp/idn/package/data/provinces.csv";
  if (std::filesystem::exists(csv)) {
    std::ifstream in(csv);
    std::string line;
    std::getline(in, line);  // code,name
    while (std::getline(in, line)) {
      if (line.size() >= 2) official.insert(std::stoi(line.substr(0, line.find(','))));
    }
    std::printf("province codes checked against %s\n", csv.c_str());
  } else {
    official = {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
                61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96};
  }
  EXPECT_EQ(official.size(), 38U);
  const std::set<int> ours(ProvinceCodesBegin(), ProvinceCodesEnd());
  EXPECT_EQ(ours, official);
  for (int code = 0; code < 100; ++code) EXPECT_EQ(IsProvinceCode(code), official.count(code) == 1);
}

}  // namespace
}  // namespace satupintu::registry_io
