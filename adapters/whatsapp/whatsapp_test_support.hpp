#pragma once
// Shared by the WhatsApp adapter's test files: the fixture reader and one test config.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "adapters/whatsapp/config.hpp"
#include "paths/paths.hpp"

namespace satupintu::adapters::whatsapp::test {

inline constexpr char kAppSecret[] = "app-secret-for-tests-9f2c";

// The fixture's exact bytes: signatures are computed over them.
inline std::string Fixture(const std::string& name) {
  std::ifstream in(::satupintu::testing::SourcePath("adapters/whatsapp/testdata") + "/" + name,
                   std::ios::binary);
  if (!in) ADD_FAILURE() << "missing fixture " << name;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline Config TestConfig() {
  Config config;
  config.base_url = "http://127.0.0.1:9";
  config.phone_number_id = "109876543210987";
  config.access_token = "EAAtest-token";
  config.app_secret = kAppSecret;
  config.verify_token = "tok/en 1";
  return config;
}

// True when `text` holds `n` or more digits in a row: what a phone number or wamid fragment
// would look like. (Plain loops, not <regex>: GCC 12 warns inside std::regex under ASan.)
inline bool HasDigitRun(std::string_view text, std::size_t n) {
  std::size_t run = 0;
  for (char c : text) {
    run = (c >= '0' && c <= '9') ? run + 1 : 0;
    if (run >= n) return true;
  }
  return false;
}

// Only lower-case letters and '_': Meta's own vocabulary ("messages", "delivered").
inline bool IsVocabulary(std::string_view text) {
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  }
  return true;
}

}  // namespace satupintu::adapters::whatsapp::test
