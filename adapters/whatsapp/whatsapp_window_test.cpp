#include <gtest/gtest.h>

#include "adapters/whatsapp/window.hpp"

namespace satupintu::adapters::whatsapp {
namespace {

constexpr std::int64_t kNow = 1'760'000'000'000;

TEST(WhatsAppWindowTest, OpenForTwentyFourHoursFromTheCitizensLastMessage) {
  EXPECT_TRUE(InServiceWindow(kNow - 1, kNow));
  EXPECT_TRUE(InServiceWindow(kNow - kServiceWindowMs + 1, kNow));
  EXPECT_FALSE(InServiceWindow(kNow - kServiceWindowMs, kNow));
  EXPECT_FALSE(InServiceWindow(0, kNow)) << "never wrote: never opened";
}

TEST(WhatsAppWindowTest, InsideTheWindowFreeTextGoesAndTheTemplateIsDropped) {
  OutboundMessage m;
  m.text = "Tiket ADU-7 sudah diproses";
  m.template_name = "status_update";
  EXPECT_FALSE(FitToWindow(m, /*window_open=*/true).has_value());
  EXPECT_EQ(m.template_name, "");
  EXPECT_EQ(m.text, "Tiket ADU-7 sudah diproses");
}

TEST(WhatsAppWindowTest, OutsideTheWindowOnlyATemplateGoes) {
  OutboundMessage with_template;
  with_template.text = "Tiket ADU-7 sudah diproses";
  with_template.template_name = "status_update";
  EXPECT_FALSE(FitToWindow(with_template, /*window_open=*/false).has_value());
  EXPECT_EQ(with_template.template_name, "status_update");

  OutboundMessage text_only;
  text_only.text = "Tiket ADU-7 sudah diproses";
  const auto refused = FitToWindow(text_only, /*window_open=*/false);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->verdict, SendVerdict::kPermanent);
  EXPECT_TRUE(refused->outside_window);
  EXPECT_EQ(refused->error_code, "window_closed");
}

}  // namespace
}  // namespace satupintu::adapters::whatsapp
