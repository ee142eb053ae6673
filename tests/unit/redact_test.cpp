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
