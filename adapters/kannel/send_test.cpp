// Outbound table: OutboundMessage -> the exact sendsms URL (or the refusal), and the config
// checks. The URL is compared whole so a parameter that goes missing or changes fails a row.

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "adapters/kannel/send.hpp"
#include "adapters/kannel/test_support.hpp"

namespace satupintu::adapters::kannel {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): credentials and helpers

constexpr char kBase[] =
    "http://127.0.0.1:13013/cgi-bin/sendsms?username=satupintu&password=kNl-Pw9xQz4Tb7"
    "&to=%2B6281234567890&from=DINSOS";
// dlr-url for id "out-1", encoded as one parameter: Kannel's escapes arrive as %25d etc. and
// are restored by smsbox's own URL decoding before it expands them.
constexpr char kDlrTail[] =
    "&dlr-mask=31&dlr-url=http%3A%2F%2F127.0.0.1%3A8080%2Fkannel%2Fdinsos%2Fdlr%3Fid%3Dout-1"
    "%26type%3D%25d%26smsc%3D%25i%26ts%3D%25T%26reply%3D%25A%26secret%3Dsp-kannel_Hq8Vw3Ln6Rt2"
    "&smsc=modem1";

std::string Expected(const std::string& encoded_text, int coding) {
  return std::string(kBase) + "&text=" + encoded_text + "&coding=" + std::to_string(coding) +
         "&charset=UTF-8" + kDlrTail;
}

struct SendCase {
  const char* name;
  std::string address;
  std::string text;
  std::string url;  // expected; empty when refused
  std::size_t segments;
  const char* error;  // expected in the error; nullptr when a call must be built
};

const std::vector<SendCase>& SendCases() {
  const std::string gsm_153(153, 'a');
  // clang-format off
  static const std::vector<SendCase> kCases = {
      {"Gsm7", "6281234567890", "Jadwal cek: Senin 08.00", Expected("Jadwal%20cek%3A%20Senin%2008.00", 0), 1, nullptr},
      {"Gsm7ExtensionChars", "0812-3456-7890", "Loket [2] ~ {B} 5\xE2\x82\xAC | ^\\",
       Expected("Loket%20%5B2%5D%20~%20%7BB%7D%205%E2%82%AC%20%7C%20%5E%5C", 0), 1, nullptr},
      {"CurlyQuotesStayGsm7", "+62 812 3456 7890", "\xE2\x80\x9COK\xE2\x80\x9D \xE2\x80\x94 ya\xE2\x80\xA6",
       Expected("%22OK%22%20-%20ya...", 0), 1, nullptr},
      {"EmojiIsUcs2", "6281234567890", "Terima kasih \xF0\x9F\x99\x8F",
       Expected("Terima%20kasih%20%F0%9F%99%8F", 2), 1, nullptr},
      {"AccentIsUcs2", "6281234567890", "Caf\xC3\xA1", Expected("Caf%C3%A1", 2), 1, nullptr},
      {"PlusAndAmpersandEncoded", "6281234567890", "1+1 & 2=2", Expected("1%2B1%20%26%202%3D2", 0), 1, nullptr},
      {"SixGsmPartsAccepted", "6281234567890", std::string(std::size_t{153} * 6, 'a'),
       Expected(std::string(std::size_t{153} * 6, 'a'), 0), 6, nullptr},
      {"SevenGsmPartsRefused", "6281234567890", std::string(std::size_t{153} * 6 + 1, 'a'), "", 0,
       "needs 7 parts, max_parts is 6"},
      {"LongUcs2Refused", "6281234567890", std::string(std::size_t{67} * 6, 'a') + "\xF0\x9F\x99\x8F", "", 0,
       "needs 7 parts"},
      {"TelegramAddressRefused", "tg:5123456789", "Halo", "", 0, "not a phone number"},
      {"GarbageAddressRefused", "12", "Halo", "", 0, "not a phone number"},
      {"EmptyTextRefused", "6281234567890", "", "", 0, "text is empty"},
      {"InvalidUtf8Refused", "6281234567890", "Budi \xC3 bansos", "", 0, "not valid UTF-8"},
  };
  // clang-format on
  return kCases;
}

std::ostream& operator<<(std::ostream& os, const SendCase& c) { return os << c.name; }

class Send : public ::testing::TestWithParam<SendCase> {};

TEST_P(Send, BuildsRequest) {
  const SendCase& c = GetParam();
  OutboundMessage message;
  message.id = "out-1";
  message.address = c.address;
  message.text = c.text;
  const BuildResult got = BuildSend(TestConfig(), message);
  if (c.error == nullptr) {
    ASSERT_TRUE(got.ok()) << got.error;
    EXPECT_EQ(got.call->method, "GET");
    EXPECT_EQ(got.call->url, c.url);
    EXPECT_TRUE(got.call->body.empty());
    EXPECT_EQ(got.segments, c.segments);
    EXPECT_TRUE(got.error.empty());
  } else {
    EXPECT_FALSE(got.ok());
    EXPECT_NE(got.error.find(c.error), std::string::npos) << got.error;
    ExpectSafeForLogs(got.error);
  }
}

INSTANTIATE_TEST_SUITE_P(Kannel, Send, ::testing::ValuesIn(SendCases()),
                         [](const auto& p) { return std::string(p.param.name); });

OutboundMessage Message(std::string id) {
  OutboundMessage message;
  message.id = std::move(id);
  message.address = "6281234567890";
  message.text = "Budi, bansos cair";
  return message;
}

TEST(Send, IdMustSurviveKannelEscapes) {
  for (const char* id : {"", "a b", "x%41", "a&b=c", "a/b"}) {
    const BuildResult got = BuildSend(TestConfig(), Message(id));
    EXPECT_FALSE(got.ok()) << id;
    EXPECT_NE(got.error.find("message id"), std::string::npos) << got.error;
  }
  EXPECT_TRUE(BuildSend(TestConfig(), Message("01HF7Z.a_b~c-9")).ok());
  EXPECT_FALSE(BuildSend(TestConfig(), Message(std::string(65, 'a'))).ok());
}

TEST(Send, ReportsEncodingAndSegments) {
  OutboundMessage message = Message("out-2");
  message.text = std::string(70, 'a') + "\xF0\x9F\x99\x8F";  // 72 UTF-16 units: two parts
  const BuildResult got = BuildSend(TestConfig(), message);
  ASSERT_TRUE(got.ok()) << got.error;
  EXPECT_EQ(got.encoding, sms::Encoding::kUcs2);
  EXPECT_EQ(got.segments, 2U);
}

TEST(Send, OptionalParametersLeftOut) {
  Config config = TestConfig();
  config.from.clear();
  config.smsc.clear();
  config.dlr_mask = 0;
  config.plus_prefix = false;
  const BuildResult got = BuildSend(config, Message("out-3"));
  ASSERT_TRUE(got.ok()) << got.error;
  EXPECT_EQ(got.call->url,
            "http://127.0.0.1:13013/cgi-bin/sendsms?username=satupintu&password=kNl-Pw9xQz4Tb7"
            "&to=6281234567890&text=Budi%2C%20bansos%20cair&coding=0&charset=UTF-8");
}

TEST(Send, DlrUrlKeepsKannelEscapesLiteral) {
  EXPECT_EQ(DlrUrl(TestConfig(), "out-9"),
            "http://127.0.0.1:8080/kannel/dinsos/dlr?id=out-9&type=%d&smsc=%i&ts=%T&reply=%A"
            "&secret=sp-kannel_Hq8Vw3Ln6Rt2");
}

struct ConfigCase {
  const char* name;
  void (*mutate)(Config&);
  const char* error;  // expected in the message; nullptr when valid
};

TEST(Config, Validates) {
  // clang-format off
  const std::vector<ConfigCase> cases = {
      {"Valid", [](Config&) {}, nullptr},
      {"ValidAllowList", [](Config& c) { c.allowed_sources = {"10.0.0.5", "fd00::5"}; }, nullptr},
      {"FtpSendsms", [](Config& c) { c.sendsms_url = "ftp://x/cgi-bin/sendsms"; }, "sendsms_url"},
      {"SendsmsWithQuery", [](Config& c) { c.sendsms_url += "?user=x"; }, "sendsms_url"},
      {"NoHost", [](Config& c) { c.sendsms_url = "http://"; }, "sendsms_url has no host"},
      {"SpaceInDlr", [](Config& c) { c.dlr_url_base = "http://127.0.0.1/a b"; }, "dlr_url_base"},
      {"PlaceholderInDlr", [](Config& c) { c.dlr_url_base = "http://127.0.0.1/kannel/{name}/dlr"; }, "dlr_url_base"},
      {"PercentInDlr", [](Config& c) { c.dlr_url_base = "http://127.0.0.1/kannel/a%20b/dlr"; }, "dlr_url_base"},
      {"NoUsername", [](Config& c) { c.username.clear(); }, "username is empty"},
      {"NoPassword", [](Config& c) { c.password.clear(); }, "password is empty"},
      {"BadSmsc", [](Config& c) { c.smsc = "a b"; }, "smsc"},
      {"NoSecret", [](Config& c) { c.shared_secret.clear(); }, "shared_secret is empty"},
      {"SecretNeedsEscaping", [](Config& c) { c.shared_secret = "a%d&b"; }, "shared_secret must"},
      {"BadAllowList", [](Config& c) { c.allowed_sources = {"kannel.local"}; }, "allowed_sources"},
      {"MaskTooBig", [](Config& c) { c.dlr_mask = 32; }, "dlr_mask"},
      {"ZeroParts", [](Config& c) { c.max_parts = 0; }, "max_parts"},
      {"TooManyParts", [](Config& c) { c.max_parts = 256; }, "max_parts"},
  };
  // clang-format on
  for (const auto& c : cases) {
    Config config = TestConfig();
    c.mutate(config);
    const std::string got = ValidateConfig(config);
    if (c.error == nullptr) {
      EXPECT_EQ(got, "") << c.name;
    } else {
      EXPECT_NE(got.find(c.error), std::string::npos) << c.name << ": " << got;
    }
    ExpectSafeForLogs(got);
    EXPECT_EQ(got.find(config.shared_secret.empty() ? "\x01" : config.shared_secret),
              std::string::npos);
  }
}

}  // namespace
}  // namespace satupintu::adapters::kannel
