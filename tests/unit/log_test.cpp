#include "core/log.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/redact.hpp"

namespace satupintu::core::log {
namespace {

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetSink([this](std::string_view line) { lines_.emplace_back(line); });
    SetLevel(Level::kInfo);
  }
  void TearDown() override {
    ResetSink();
    ClearSecretsForTest();
  }
  std::vector<std::string> lines_;
};

TEST_F(LogTest, WritesOneJsonObjectPerLine) {
  Info("test.event").Str("request_id", "abc").Int("status", 200).Bool("tls", true).Num("ms", 1.5);
  ASSERT_EQ(lines_.size(), 1u);
  ASSERT_EQ(lines_[0].back(), '\n');
  const auto doc = nlohmann::json::parse(lines_[0]);
  EXPECT_EQ(doc["event"], "test.event");
  EXPECT_EQ(doc["level"], "info");
  EXPECT_EQ(doc["request_id"], "abc");
  EXPECT_EQ(doc["status"], 200);
  EXPECT_EQ(doc["tls"], true);
  EXPECT_DOUBLE_EQ(doc["ms"].get<double>(), 1.5);
  EXPECT_TRUE(doc.contains("ts"));
}

TEST_F(LogTest, EscapesControlCharactersAndQuotes) {
  Info("test.escape").Str("text", "a\"b\\c\nd\x01");
  const auto doc = nlohmann::json::parse(lines_.at(0));
  EXPECT_EQ(doc["text"], "a\"b\\c\nd\x01");
}

TEST_F(LogTest, RedactsNikPhoneAndSecretsInEveryStringField) {
  RegisterSecret("tok-1234567");
  Warn("test.redact")
      .Str("path", "/x/3201014101900003")
      .Str("auth", "Bearer tok-1234567")
      .Str("from", "081234567890");
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_EQ(lines_[0].find("3201014101900003"), std::string::npos);
  EXPECT_EQ(lines_[0].find("tok-1234567"), std::string::npos);
  EXPECT_EQ(lines_[0].find("081234567890"), std::string::npos);
  const auto doc = nlohmann::json::parse(lines_[0]);
  EXPECT_EQ(doc["path"], "/x/3201********0003");
}

TEST_F(LogTest, DropsEventsBelowTheLevel) {
  Debug("test.hidden").Str("a", "b");
  SetLevel(Level::kError);
  Warn("test.hidden_too");
  Error("test.shown");
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_NE(lines_[0].find("test.shown"), std::string::npos);
}

TEST(LogLevelTest, ParsesKnownNamesOnly) {
  Level level = Level::kInfo;
  EXPECT_TRUE(ParseLevel("debug", &level));
  EXPECT_EQ(level, Level::kDebug);
  EXPECT_FALSE(ParseLevel("verbose", &level));
}

}  // namespace
}  // namespace satupintu::core::log
