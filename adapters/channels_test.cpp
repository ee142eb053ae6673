#include <gtest/gtest.h>

#include <set>
#include <string>

#include "adapters/channels.hpp"

namespace satupintu::adapters {
namespace {

TEST(ChannelsTest, ANameOrABareKindFindsItsDescriptor) {
  ASSERT_NE(DescriptorOf("whatsapp:wa-main"), nullptr);
  EXPECT_EQ(DescriptorOf("whatsapp:wa-main")->kind, "whatsapp");
  EXPECT_EQ(DescriptorOf("telegram:tg")->kind, "telegram");
  EXPECT_EQ(DescriptorOf("kannel")->kind, "kannel");
  EXPECT_EQ(DescriptorOf("gammu:modem-1")->kind, "gammu");
  EXPECT_EQ(DescriptorOf("fax:1"), nullptr);
  EXPECT_EQ(DescriptorOf("whatsappx:1"), nullptr);
  EXPECT_EQ(DescriptorOf(""), nullptr);
}

TEST(ChannelsTest, EveryDescriptorCanShapeAMessage) {
  std::set<std::string> kinds;
  for (const auto* d : Channels()) {
    EXPECT_TRUE(kinds.insert(std::string(d->kind)).second) << "kind listed twice: " << d->kind;
    if (d->IsSms()) {
      EXPECT_GT(d->max_sms_segments, 0U) << d->kind;
      EXPECT_FALSE(d->buttons) << d->kind << ": a basic phone has no buttons";
    } else {
      EXPECT_GT(d->max_text_units, 0U) << d->kind;
      EXPECT_LE(d->max_interactive_units, d->max_text_units) << d->kind;
    }
    if (d->max_buttons > 0) {
      EXPECT_TRUE(d->buttons) << d->kind;
    }
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"whatsapp", "telegram", "kannel", "gammu"}));
}

}  // namespace
}  // namespace satupintu::adapters
