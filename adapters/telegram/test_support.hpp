#pragma once
// Shared by the adapter's test files: the test credentials, fixture loading, and the check
// that nothing logged carries a credential or a citizen's data.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/telegram/config.hpp"
#include "paths/paths.hpp"

namespace satupintu::adapters::telegram::test {

inline constexpr char kBotToken[] = "7012345678:AAH3kX9vQm2Lw8ZrT5yPq1sDf4Gh6Jk7LzX";
inline constexpr char kSecret[] = "sp-tg_Wq7Rz2Lm9Xc4Vb8N";

inline Config TestConfig() {
  Config config;
  config.bot_token = kBotToken;
  config.secret_token = kSecret;
  return config;
}

inline std::string Fixture(const std::string& name) {
  std::ifstream in(
      std::filesystem::path(::satupintu::testing::SourcePath("adapters/telegram/testdata")) / name,
      std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << name;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Credentials and what identifies the citizens in the fixtures and test messages.
inline const std::vector<std::string>& Forbidden() {
  static const std::vector<std::string> kList = {
      kBotToken,       "AAH3kX9vQm2Lw8ZrT5yPq1sDf4Gh6Jk7LzX",
      kSecret,         "5123456789",
      "6281234567890", "81234567890",
      "857",           "3201014101900003",
      "Siti",          "Rahayu",
      "Budi",          "bansos",
      "cair",          "foto KK",
      "bener",         "Sudah diterima"};
  return kList;
}

inline void ExpectSafeForLogs(const std::string& text) {
  for (const std::string& bad : Forbidden()) {
    EXPECT_EQ(text.find(bad), std::string::npos) << "\"" << bad << "\" leaked into: " << text;
  }
}

// Fixtures each table uses, so one test can insist that testdata/ holds nothing unused.
std::vector<std::string> InboundFixtures();
std::vector<std::string> ClassifyFixtures();

}  // namespace satupintu::adapters::telegram::test
