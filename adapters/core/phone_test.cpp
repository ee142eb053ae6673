#include "adapters/core/phone.hpp"

#include <gtest/gtest.h>

namespace satupintu::adapters {
namespace {

struct Case {
  const char* input;
  const char* expected;  // nullptr: rejected
};

TEST(NormalizePhoneTest, Table) {
  const Case cases[] = {
      {"081234567890", "6281234567890"},
      {"0812-3456-7890", "6281234567890"},
      {"0812 3456 7890", "6281234567890"},
      {"(0812) 3456.7890", "6281234567890"},
      {"+62 812 3456 7890", "6281234567890"},
      {"62 812 3456 7890", "6281234567890"},
      {"6281234567890", "6281234567890"},
      {"006281234567890", "6281234567890"},
      {"81234567890", "6281234567890"},
      {"0215551234", "62215551234"},    // Jakarta landline
      {"+65 9123 4567", "6591234567"},  // Singapore, already international
      {"+6591234567", "6591234567"},
      {"", nullptr},
      {"08123", nullptr},               // too short
      {"0812345678901234", nullptr},    // too long
      {"+62 0812 3456 7890", nullptr},  // trunk 0 after the country code
      {"0812-3456-789O", nullptr},      // letter O
      {"12345678", nullptr},            // no country, not a mobile
      {"++6281234567890", nullptr},
      {"+0812345678", nullptr},
  };
  for (const auto& c : cases) {
    const auto got = NormalizePhone(c.input);
    if (c.expected == nullptr) {
      EXPECT_FALSE(got.has_value()) << c.input << " -> " << got.value_or("");
    } else {
      ASSERT_TRUE(got.has_value()) << c.input;
      EXPECT_EQ(*got, c.expected) << c.input;
    }
  }
}

TEST(NormalizePhoneTest, SmsAndWhatsAppOfOneNumberAgree) {
  // Kannel gives "+6281234567890", WhatsApp gives wa_id "6281234567890", a citizen types 0812...
  EXPECT_EQ(NormalizePhone("+6281234567890"), NormalizePhone("6281234567890"));
  EXPECT_EQ(NormalizePhone("6281234567890"), NormalizePhone("0812 3456 7890"));
}

}  // namespace
}  // namespace satupintu::adapters
