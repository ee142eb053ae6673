// Classify table: smsbox's answers to sendsms (as Kannel 1.4 words them) and what the sender
// must do. Reasons are fixed strings, so none may echo the body.

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "adapters/kannel/classify.hpp"
#include "adapters/kannel/test_support.hpp"

namespace satupintu::adapters::kannel {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): credentials and helpers

struct ClassifyCase {
  const char* name;
  int status;
  const char* body;
  Headers headers;
  SendVerdict verdict;
  std::optional<std::chrono::seconds> retry_after;
  const char* error_code;
  const char* reason;  // expected in the reason
};

using std::chrono::seconds;

const std::vector<ClassifyCase>& ClassifyCases() {
  // clang-format off
  static const std::vector<ClassifyCase> kCases = {
      {"Accepted", 202, "0: Accepted for delivery", {}, SendVerdict::kAccepted, std::nullopt, "", ""},
      {"AcceptedWithNewline", 202, "0: Accepted for delivery\n", {}, SendVerdict::kAccepted, std::nullopt, "", ""},
      {"Queued", 202, "3: Queued for later delivery", {}, SendVerdict::kAccepted, std::nullopt, "", "queued"},
      {"TwoHundredHtml", 200, "<html>proxy</html>", {}, SendVerdict::kPermanent, std::nullopt, "200", "unexpected 200"},
      {"AuthFailed", 403, "Authorization failed for sendsms", {}, SendVerdict::kPermanent, std::nullopt, "auth", "authorization failed"},
      {"MissingReceiver", 400, "Missing receiver number, rejected", {}, SendVerdict::kPermanent, std::nullopt, "missing-receiver", "missing receiver"},
      {"NotRoutable", 403, "Not routable. Do not try again.", {}, SendVerdict::kPermanent, std::nullopt, "not-routable", "not routable"},
      {"Temporal", 503, "Temporal failure, try again later.", {}, SendVerdict::kTransient, std::nullopt, "temporal", "temporal failure"},
      {"OtherFiveHundred", 500, "Internal error for kNl-Pw9xQz4Tb7 +6281234567890", {}, SendVerdict::kTransient, std::nullopt, "500", "HTTP 500"},
      {"BadGateway", 502, "", {}, SendVerdict::kTransient, std::nullopt, "502", "HTTP 502"},
      {"SenderMissing", 400, "Sender missing and no global set, rejected", {}, SendVerdict::kPermanent, std::nullopt, "sender-missing", "sender missing"},
      {"OtherFourHundred", 400, "Some other refusal, rejected", {}, SendVerdict::kPermanent, std::nullopt, "400", "HTTP 400"},
      {"NoAnswer", 0, "", {}, SendVerdict::kTransient, std::nullopt, "no-answer", "no HTTP answer"},
      {"RateLimited", 429, "", {{"retry-after", "12"}}, SendVerdict::kRateLimited, seconds(12), "429", "HTTP 429"},
      {"RateLimitedNoHint", 429, "", {}, SendVerdict::kRateLimited, seconds(30), "429", "HTTP 429"},
  };
  // clang-format on
  return kCases;
}

std::ostream& operator<<(std::ostream& os, const ClassifyCase& c) { return os << c.name; }

class Classify : public ::testing::TestWithParam<ClassifyCase> {};

TEST_P(Classify, Decides) {
  const ClassifyCase& c = GetParam();
  const SendResult got = ClassifySend(c.status, c.body, c.headers);
  EXPECT_EQ(got.verdict, c.verdict);
  EXPECT_EQ(got.retry_after, c.retry_after);
  EXPECT_EQ(got.error_code, c.error_code);
  EXPECT_NE(got.reason.find(c.reason), std::string::npos) << got.reason;
  EXPECT_TRUE(got.provider_message_id.empty());
  ExpectSafeForLogs(got.reason);
  ExpectSafeForLogs(got.error_code);
}

INSTANTIATE_TEST_SUITE_P(Kannel, Classify, ::testing::ValuesIn(ClassifyCases()),
                         [](const auto& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace satupintu::adapters::kannel
