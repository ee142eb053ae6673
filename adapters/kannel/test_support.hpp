#pragma once
// Shared by the adapter's test files: the test credentials, fixture loading, and the check
// that nothing logged carries a credential or a citizen's data.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/kannel/config.hpp"
#include "paths/paths.hpp"

namespace satupintu::adapters::kannel::test {

inline constexpr char kPassword[] = "kNl-Pw9xQz4Tb7";
inline constexpr char kSecret[] = "sp-kannel_Hq8Vw3Ln6Rt2";

inline Config TestConfig() {
  Config config;
  config.sendsms_url = "http://127.0.0.1:13013/cgi-bin/sendsms";
  config.username = "satupintu";
  config.password = kPassword;
  config.smsc = "modem1";
  config.from = "DINSOS";
  config.shared_secret = kSecret;
  config.dlr_url_base = "http://127.0.0.1:8080/kannel/dinsos/dlr";
  return config;
}

inline std::string Fixture(const std::string& name) {
  std::ifstream in(
      std::filesystem::path(::satupintu::testing::SourcePath("adapters/kannel/testdata")) / name,
      std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing fixture " << name;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Credentials and what identifies the citizens in the fixtures and test messages.
inline const std::vector<std::string>& Forbidden() {
  static const std::vector<std::string> kList = {
      kPassword, kSecret, "6281234567890", "81234567890", "3201014101900003",
      "Siti",    "Budi",  "bansos",        "cair",        "TELKOMSEL"};
  return kList;
}

inline void ExpectSafeForLogs(const std::string& text) {
  for (const std::string& bad : Forbidden()) {
    EXPECT_EQ(text.find(bad), std::string::npos) << "\"" << bad << "\" leaked into: " << text;
  }
}

}  // namespace satupintu::adapters::kannel::test
