// Classify table: the Bot API's real answers (testdata/send_*) and what the sender must do.

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "adapters/telegram/classify.hpp"
#include "adapters/telegram/test_support.hpp"

namespace satupintu::adapters::telegram {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): credentials and helpers

struct ClassifyCase {
  const char* name;
  int status;
  const char* fixture;  // body from testdata/, or nullptr to use inline_body
  const char* inline_body;
  Headers headers;
  SendVerdict verdict;
  const char* provider_message_id;
  std::optional<std::chrono::seconds> retry_after;
  const char* error_code;
  const char* reason;  // expected in the reason
};

using std::chrono::seconds;

const std::vector<ClassifyCase>& ClassifyCases() {
  // One case per row reads as a table; the formatter would give each field its own line.
  // clang-format off
  static const std::vector<ClassifyCase> kCases = {
      {"SentMessage", 200, "send_ok.json", nullptr, {},
       SendVerdict::kAccepted, "5123456789:416", std::nullopt, "", ""},
      {"AnsweredCallback", 200, "answer_callback_ok.json", nullptr, {},
       SendVerdict::kAccepted, "", std::nullopt, "", ""},
      {"OkWithoutChat", 200, nullptr, R"({"ok":true,"result":{"message_id":5}})", {},
       SendVerdict::kAccepted, "", std::nullopt, "", ""},
      {"TwoHundredNotOk", 200, nullptr, R"({"ok":false})", {},
       SendVerdict::kTransient, "", std::nullopt, "200", "without ok:true"},
      {"TwoHundredHtml", 200, "send_502.html", nullptr, {},
       SendVerdict::kTransient, "", std::nullopt, "200", "without ok:true"},
      {"TooManyRequests", 429, "send_429.json", nullptr, {{"retry-after", "60"}},
       SendVerdict::kRateLimited, "", seconds(17), "429", "Too Many Requests: retry after 17"},
      {"TooManyRequestsHeaderOnly", 429, nullptr, R"({"ok":false,"error_code":429})",
       {{"retry-after", "42"}},
       SendVerdict::kRateLimited, "", seconds(42), "429", "HTTP 429"},
      {"TooManyRequestsNoHint", 429, nullptr, "", {{"retry-after", "soon"}},
       SendVerdict::kRateLimited, "", seconds(1), "429", "HTTP 429"},
      {"Blocked", 403, "send_403_blocked.json", nullptr, {},
       SendVerdict::kOptedOut, "", std::nullopt, "403", "bot was blocked by the user"},
      {"Deactivated", 403, "send_403_deactivated.json", nullptr, {},
       SendVerdict::kOptedOut, "", std::nullopt, "403", "user is deactivated"},
      {"Kicked", 403, nullptr,
       R"({"ok":false,"error_code":403,"description":"Forbidden: Bot was kicked from the group chat"})", {},
       SendVerdict::kOptedOut, "", std::nullopt, "403", "kicked"},
      {"NeverStarted", 403, "send_403_cannot_initiate.json", nullptr, {},
       SendVerdict::kPermanent, "", std::nullopt, "403", "can't initiate conversation"},
      {"ChatNotFound", 400, "send_400_chat_not_found.json", nullptr, {},
       SendVerdict::kPermanent, "", std::nullopt, "400", "Bad Request: chat not found"},
      {"BadToken", 401, "send_401.json", nullptr, {},
       SendVerdict::kPermanent, "", std::nullopt, "401", "bot token rejected"},
      {"NotFound", 404, nullptr, R"({"ok":false,"error_code":404,"description":"Not Found"})", {},
       SendVerdict::kPermanent, "", std::nullopt, "404", "Not Found"},
      {"BadGateway", 502, "send_502.html", nullptr, {},
       SendVerdict::kTransient, "", std::nullopt, "502", "HTTP 502"},
      {"RequestTimeout", 408, nullptr, "", {},
       SendVerdict::kTransient, "", std::nullopt, "408", "HTTP 408"},
      {"NoResponse", 0, nullptr, "", {},
       SendVerdict::kTransient, "", std::nullopt, "0", "HTTP 0"},
      // A proxy echoing our URL must not put the token in the log.
      {"TokenInDescription", 404, nullptr,
       R"({"ok":false,"description":"no route /bot7012345678:AAH3kX9vQm2Lw8ZrT5yPq1sDf4Gh6Jk7LzX/sendMessage"})", {},
       SendVerdict::kPermanent, "", std::nullopt, "404", "no route /bot[token]/sendMessage"},
      {"ControlCharactersInDescription", 400, nullptr,
       "{\"ok\":false,\"description\":\"Bad Request:\\n\\u00e9x\"}", {},
       SendVerdict::kPermanent, "", std::nullopt, "400", "Bad Request:???x"},
  };
  // clang-format on
  return kCases;
}

// gtest prints a failing parameter; the case name is what identifies it.
void PrintTo(const ClassifyCase& c, std::ostream* os) { *os << c.name; }

class TelegramClassifyTest : public ::testing::TestWithParam<ClassifyCase> {};

TEST_P(TelegramClassifyTest, Classifies) {
  const ClassifyCase& c = GetParam();
  const std::string body = c.fixture != nullptr ? Fixture(c.fixture) : c.inline_body;
  const SendResult r = ClassifySend(c.status, body, c.headers);
  EXPECT_EQ(r.verdict, c.verdict);
  EXPECT_EQ(r.provider_message_id, c.provider_message_id);
  EXPECT_EQ(r.retry_after, c.retry_after);
  EXPECT_EQ(r.error_code, c.error_code);
  if (*c.reason == '\0') {
    EXPECT_EQ(r.reason, "");
  } else {
    EXPECT_NE(r.reason.find(c.reason), std::string::npos) << r.reason;
  }
  ExpectSafeForLogs(r.reason);
}

INSTANTIATE_TEST_SUITE_P(Answers, TelegramClassifyTest, ::testing::ValuesIn(ClassifyCases()),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(TelegramClassifyReasonTest, IsBounded) {
  const std::string body = R"({"ok":false,"description":")" + std::string(5000, 'x') + R"("})";
  EXPECT_LE(ClassifySend(400, body, {}).reason.size(), 200U);
}

}  // namespace

std::vector<std::string> test::ClassifyFixtures() {
  std::vector<std::string> names;
  for (const ClassifyCase& c : ClassifyCases()) {
    if (c.fixture != nullptr) names.emplace_back(c.fixture);
  }
  return names;
}

}  // namespace satupintu::adapters::telegram
