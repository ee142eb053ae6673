#include "core/log.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/redact.hpp"
#include "support/process.hpp"

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

// systemd's JOURNAL_STREAM is "DEVICE:INODE" of the stream it connected to journald.
TEST(JournalStreamTest, MatchesTheDeviceAndInodeOfTheFileDescriptor) {
  testing::TempDir dir;
  const int journal = ::open(dir.File("journal").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  const int other = ::open(dir.File("other").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(journal, 0);
  ASSERT_GE(other, 0);
  struct stat st {};
  ASSERT_EQ(::fstat(journal, &st), 0);
  const std::string value = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  EXPECT_TRUE(IsJournalStream(value.c_str(), journal));
  EXPECT_FALSE(IsJournalStream(value.c_str(), other));  // stderr redirected elsewhere
  EXPECT_FALSE(IsJournalStream(nullptr, journal));
  for (const std::string& bad : {std::string(""), std::to_string(st.st_dev), value + "x",
                                 ":" + std::to_string(st.st_ino), std::string("a:b")}) {
    EXPECT_FALSE(IsJournalStream(bad.c_str(), journal)) << bad;
  }
  ::close(journal);
  ::close(other);
}

TEST(JournalStreamTest, PrefixesArePrioritiesSdDaemonReads) {
  EXPECT_EQ(PriorityPrefix(Level::kError), "<3>");
  EXPECT_EQ(PriorityPrefix(Level::kWarn), "<4>");
  EXPECT_EQ(PriorityPrefix(Level::kInfo), "<6>");
  EXPECT_EQ(PriorityPrefix(Level::kDebug), "<7>");
}

}  // namespace
}  // namespace satupintu::core::log
