// SMS routes by operator prefix (gateway/broadcast/sms_route.hpp).
#include "broadcast/sms_route.hpp"

#include <gtest/gtest.h>

namespace satupintu::broadcast {
namespace {

TEST(SmsRouteTest, PrefixesTellTheOperator) {
  EXPECT_EQ(OperatorOf("6281234567890"), Operator::kTelkomsel);
  EXPECT_EQ(OperatorOf("6285212345678"), Operator::kTelkomsel);
  EXPECT_EQ(OperatorOf("6285712345678"), Operator::kIndosat);
  EXPECT_EQ(OperatorOf("6281712345678"), Operator::kXl);
  EXPECT_EQ(OperatorOf("6283812345678"), Operator::kAxis);
  EXPECT_EQ(OperatorOf("6289612345678"), Operator::kTri);
  EXPECT_EQ(OperatorOf("62881234567"), Operator::kSmartfren);  // 11 digits: a short number
  for (const char* not_mobile : {"", "0812345678901", "622112345678", "6281", "628123456789012",
                                 "6280012345678", "62812345678x0", "+6281234567890", "tg:12345"}) {
    EXPECT_EQ(OperatorOf(not_mobile), std::nullopt) << not_mobile;
  }
  for (Operator op : {Operator::kTelkomsel, Operator::kIndosat, Operator::kXl, Operator::kAxis,
                      Operator::kTri, Operator::kSmartfren}) {
    EXPECT_EQ(ParseOperator(OperatorName(op)), op);
  }
  EXPECT_EQ(ParseOperator("Telkomsel"), std::nullopt) << "names are lower case";
}

TEST(SmsRouteTest, OnNetRouteFirstThenTheSharedOne) {
  const std::vector<SmsRoute> routes = {
      {"kannel:tsel", {Operator::kTelkomsel}, 150},
      {"gammu:ioh", {Operator::kIndosat, Operator::kTri}, 180},
      {"kannel:shared", {}, 350},
  };
  EXPECT_EQ(ChooseRoute("6281234567890", routes)->channel, "kannel:tsel");
  EXPECT_EQ(ChooseRoute("6289912345678", routes)->channel, "gammu:ioh");
  EXPECT_EQ(ChooseRoute("6281712345678", routes)->channel, "kannel:shared") << "XL: shared";
  EXPECT_EQ(ChooseRoute("6280012345678", routes)->channel, "kannel:shared") << "unknown prefix";
  EXPECT_EQ(ChooseRoute("6281712345678", {routes[0], routes[1]}), nullptr) << "no route";
  EXPECT_EQ(ChooseRoute("6281234567890", {}), nullptr);
}

}  // namespace
}  // namespace satupintu::broadcast
