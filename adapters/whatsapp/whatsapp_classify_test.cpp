// Classify table: how ClassifySend reads Meta's answers to a send (testdata/send_*).

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "adapters/whatsapp/classify.hpp"
#include "adapters/whatsapp/whatsapp_test_support.hpp"

namespace satupintu::adapters::whatsapp {
namespace {

using test::Fixture;

struct ClassifyCase {
  const char* name;
  int http_status{};
  std::string body{};
  Headers headers{};
  SendVerdict verdict{};
  std::string provider_message_id{};
  std::string error_code{};
  std::optional<int> retry_after_s{};
  std::string reason{};
};

// The typed readings follow from the code alone: the table's rows need not repeat them.
adapters::LimitScope ScopeFor(const std::string& code) {
  return code == "131056" ? adapters::LimitScope::kRecipient : adapters::LimitScope::kChannel;
}

std::vector<ClassifyCase> ClassifyCases() {
  const std::string a4 = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjc3REU2OERBRUNEODIzQkFCQkI1AA==";
  const std::string html = Fixture("send_500.html");
  const std::string unknown_code = R"({"error":{"message":"new thing","code":999999}})";
  const std::string pair_rate = "(Business Account, Consumer Account) pair rate limit hit";
  using enum SendVerdict;
  return {
      {.name = "Accepted",
       .http_status = 200,
       .body = Fixture("send_ok.json"),
       .verdict = kAccepted,
       .provider_message_id = a4},
      {.name = "AcceptedWithoutId",
       .http_status = 200,
       .body = "{}",
       .verdict = kAccepted,
       .reason = "accepted without a message id"},
      {.name = "Throughput",
       .http_status = 400,
       .body = Fixture("send_130429.json"),
       .verdict = kRateLimited,
       .error_code = "130429",
       .retry_after_s = 1,
       .reason = "Rate limit hit"},
      {.name = "ThroughputRetryAfter",
       .http_status = 429,
       .body = Fixture("send_130429.json"),
       .headers = {{"retry-after", "3"}},
       .verdict = kRateLimited,
       .error_code = "130429",
       .retry_after_s = 3,
       .reason = "Rate limit hit"},
      {.name = "PairRate",
       .http_status = 400,
       .body = Fixture("send_131056.json"),
       .verdict = kRateLimited,
       .error_code = "131056",
       .retry_after_s = 6,
       .reason = pair_rate},
      {.name = "PairRateRetryAfter",
       .http_status = 400,
       .body = Fixture("send_131056.json"),
       .headers = {{"retry-after", "10"}},
       .verdict = kRateLimited,
       .error_code = "131056",
       .retry_after_s = 10,
       .reason = pair_rate},
      {.name = "PairRateCodeAsString",
       .http_status = 400,
       .body = R"({"error":{"message":"pair rate","code":"131056"}})",
       .verdict = kRateLimited,
       .error_code = "131056",
       .retry_after_s = 6,
       .reason = "pair rate"},
      {.name = "OutsideWindowIgnoresRetryAfter",
       .http_status = 400,
       .body = Fixture("send_131047.json"),
       .headers = {{"retry-after", "5"}},
       .verdict = kPermanent,
       .error_code = "131047",
       .reason = "Re-engagement message"},
      {.name = "TokenExpired",
       .http_status = 401,
       .body = Fixture("send_190.json"),
       .verdict = kPermanent,
       .error_code = "190",
       .reason = "Error validating access token: Session has expired on Friday, 21-Nov-25 "
                 "09:00:00 PST. The current time is Saturday, 22-Nov-25 06:20:00 PST."},
      {.name = "ParamErrorNumberMasked",
       .http_status = 400,
       .body = Fixture("send_100_number.json"),
       .verdict = kPermanent,
       .error_code = "100",
       .reason = "Invalid parameter: to [number] is not a WhatsApp user"},
      {.name = "GenericServerError",
       .http_status = 500,
       .body = Fixture("send_131000.json"),
       .verdict = kTransient,
       .error_code = "131000",
       .reason = "Something went wrong"},
      {.name = "HtmlFrom500",
       .http_status = 500,
       .body = html,
       .verdict = kTransient,
       .reason = "HTTP 500"},
      {.name = "HtmlFrom503RetryAfter",
       .http_status = 503,
       .body = html,
       .headers = {{"retry-after", "30"}},
       .verdict = kTransient,
       .retry_after_s = 30,
       .reason = "HTTP 503"},
      {.name = "Bare429",
       .http_status = 429,
       .body = "",
       .verdict = kRateLimited,
       .retry_after_s = 1,
       .reason = "HTTP 429"},
      {.name = "HtmlFrom400",
       .http_status = 400,
       .body = html,
       .verdict = kPermanent,
       .reason = "HTTP 400"},
      {.name = "UnknownCodeOn503",
       .http_status = 503,
       .body = unknown_code,
       .verdict = kTransient,
       .error_code = "999999",
       .reason = "new thing"},
      {.name = "UnknownCodeOn400",
       .http_status = 400,
       .body = unknown_code,
       .verdict = kPermanent,
       .error_code = "999999",
       .reason = "new thing"},
  };
}

void PrintTo(const ClassifyCase& c, std::ostream* os) { *os << c.name; }

class ClassifyTest : public ::testing::TestWithParam<ClassifyCase> {};

TEST_P(ClassifyTest, Verdict) {
  const ClassifyCase& c = GetParam();
  const SendResult r = ClassifySend(c.http_status, c.body, c.headers);
  EXPECT_EQ(r.verdict, c.verdict);
  EXPECT_EQ(r.provider_message_id, c.provider_message_id);
  EXPECT_EQ(r.error_code, c.error_code);
  EXPECT_EQ(r.retry_after.has_value(), c.retry_after_s.has_value());
  if (r.retry_after && c.retry_after_s) {
    EXPECT_EQ(r.retry_after->count(), *c.retry_after_s);
  }
  EXPECT_EQ(r.reason, c.reason);
  EXPECT_EQ(r.scope, ScopeFor(c.error_code)) << "pair rate limit: this recipient only";
  EXPECT_EQ(r.outside_window, c.error_code == "131047");
  EXPECT_FALSE(test::HasDigitRun(r.reason, 7)) << r.reason;
}

INSTANTIATE_TEST_SUITE_P(Answers, ClassifyTest, ::testing::ValuesIn(ClassifyCases()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace satupintu::adapters::whatsapp
