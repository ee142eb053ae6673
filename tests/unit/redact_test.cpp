#include "core/redact.hpp"

#include <gtest/gtest.h>

namespace satupintu::core {
namespace {

class RedactTest : public ::testing::Test {
 protected:
  void TearDown() override { ClearSecretsForTest(); }
};

TEST_F(RedactTest, MasksNikAndKk) {
  EXPECT_EQ(Redact("nik 3201014101900003 ok"), "nik 3201********0003 ok");
  EXPECT_EQ(Redact("kk=3201010101010001"), "kk=3201********0001");
}

TEST_F(RedactTest, MasksNumbersWrittenWithSeparators) {
  EXPECT_EQ(Redact("3201.0141.0190.0003"), "3201********0003");
  EXPECT_EQ(Redact("hp 0812-3456-7890"), "hp 08********90");
  EXPECT_EQ(Redact("+62 812 3456 7890"), "+62*********90");
}

TEST_F(RedactTest, MasksPhoneNumbers) {
  EXPECT_EQ(Redact("from=6281234567890"), "from=62*********90");
  EXPECT_EQ(Redact("081234567890"), "08********90");
}

TEST_F(RedactTest, LeavesShortNumbersAlone) {
  EXPECT_EQ(Redact("status 200 in 15 ms, id 123456789"), "status 200 in 15 ms, id 123456789");
  EXPECT_EQ(Redact("2026-11-22T06:20:00Z"), "2026-11-22T06:20:00Z");
}

TEST_F(RedactTest, ReplacesRegisteredSecrets) {
  RegisterSecret("s3cr3t-token");
  EXPECT_EQ(Redact("Bearer s3cr3t-token twice s3cr3t-token"), "Bearer [redacted] twice [redacted]");
}

TEST_F(RedactTest, IgnoresTooShortSecrets) {
  RegisterSecret("ab");
  EXPECT_EQ(Redact("abc"), "abc");
}

TEST_F(RedactTest, LongerSecretWinsOverItsPrefix) {
  RegisterSecret("abcd");
  RegisterSecret("abcdefgh");
  EXPECT_EQ(Redact("x abcdefgh y"), "x [redacted] y");
}

TEST(MaskDigitsTest, KeepsEdgesOnly) {
  EXPECT_EQ(MaskDigits("3201014101900003"), "3201********0003");
  EXPECT_EQ(MaskDigits("1234"), "****");
}

}  // namespace
}  // namespace satupintu::core

namespace satupintu::core {
namespace {

TEST(NeedsRedactionTest, AgreesWithRedact) {
  for (const std::string text :
       {"plain text", "id 123456789", "3201014101900003", "hp 0812-3456-7890", "2026-11-22 06:20",
        "a 12345 67890", "x1234567890", "12.34", "1 2 3 4 5 6 7 8 9 0", ""}) {
    EXPECT_EQ(NeedsRedaction(text), Redact(text) != text) << text;
  }
}

TEST(NeedsRedactionTest, AnyRegisteredSecretMeansCheck) {
  EXPECT_FALSE(NeedsRedaction("hello"));
  RegisterSecret("abcd-secret");
  EXPECT_TRUE(NeedsRedaction("hello"));
  ClearSecretsForTest();
  EXPECT_FALSE(NeedsRedaction("hello"));
}

}  // namespace
}  // namespace satupintu::core

namespace satupintu::core {
namespace {

// Issue 18: a NIK or phone number is found however a citizen writes it.
TEST(MaskPersonalNumbersTest, FindsANikInEveryFormPeopleWriteIt) {
  const std::string masked = "3201********0003";
  for (const std::string nik :
       {"3201014101900003", "3201 0141 0190 0003", "3201.0141.0190.0003", "3201-0141-0190-0003",
        "32/01/01/4101900003", "3201  0141  0190  0003", "3201_0141_0190_0003",
        "3201 - 0141 - 0190 - 0003", "3201\n0141\n0190\n0003",
        "\xEF\xBC\x93\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x91"
        "014101900003",  // full-width "3201" then ASCII
        "\xEF\xBC\x93\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x91\xE3\x80\x80"
        "0141\xEF\xBC\x8D"
        "0190\xC2\xA0"
        "0003"}) {  // ideographic space, full-width hyphen, no-break space
    EXPECT_EQ(MaskPersonalNumbers("NIK saya " + nik + " ya"), "NIK saya " + masked + " ya") << nik;
    EXPECT_TRUE(ContainsPersonalNumber(nik)) << nik;
  }
}

TEST(MaskPersonalNumbersTest, FindsPhoneNumbersWrittenAnyWay) {
  EXPECT_EQ(MaskPersonalNumbers("hp (0265) 331-234"), "hp (02******34");
  EXPECT_EQ(MaskPersonalNumbers("wa +62 812-3456-7890."), "wa +62*********90.");
  EXPECT_EQ(MaskPersonalNumbers("0812 3456 7890"), "08********90");
  EXPECT_EQ(MaskPersonalNumbers("0812/3456/7890"), "08********90");
}

TEST(MaskPersonalNumbersTest, KeepsDatesTimesAndAmounts) {
  for (const std::string text :
       {"sejak 12/05/2024 10.30 belum cair", "tanggal 2024-05-12 jam 08.00",
        "bantuan Rp 600.000 belum diterima", "tgl 1-2-24 dan 3-4-24", "anak 3, umur 12 tahun",
        "rt 02/rw 05 no 17"}) {
    EXPECT_EQ(MaskPersonalNumbers(text), text) << text;
    EXPECT_FALSE(ContainsPersonalNumber(text)) << text;
  }
}

TEST(MaskPersonalNumbersTest, ADateDoesNotHideANumberBesideIt) {
  EXPECT_EQ(MaskPersonalNumbers("12/05/2024 3201014101900003"), "12/05/2024 3201********0003");
  EXPECT_EQ(MaskPersonalNumbers("3201014101900003 12/05/2024"), "3201********0003 12/05/2024");
}

}  // namespace
}  // namespace satupintu::core
