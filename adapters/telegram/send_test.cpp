// Outbound table: an OutboundMessage and the exact JSON Telegram must receive, or the error
// that stops the request from being built. Plus answerCallbackQuery, setWebhook and config.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "adapters/telegram/send.hpp"
#include "adapters/telegram/test_support.hpp"
#include "adapters/telegram/utf8.hpp"

namespace satupintu::adapters::telegram {
namespace {

using nlohmann::json;
using namespace test;  // NOLINT(google-build-using-namespace): credentials and helpers

constexpr char kEAcute[] = "\xC3\xA9";              // 2 bytes, 1 UTF-16 unit
constexpr char kPhoneEmoji[] = "\xF0\x9F\x93\xB1";  // 4 bytes, 2 UTF-16 units

std::string Repeat(std::string_view unit, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out.append(unit);
  return out;
}

struct OutboundCase {
  const char* name;
  OutboundMessage message;
  json body;          // expected request body; null when an error is expected
  const char* error;  // expected in the error; nullptr when a request is expected
};

OutboundMessage To(std::string text) {
  OutboundMessage m;
  m.id = "out-7f3a";
  m.address = "tg:5123456789";
  m.text = std::move(text);
  return m;
}

OutboundMessage WithChoices(OutboundMessage m,
                            std::vector<std::pair<std::string, std::string>> choices) {
  m.choices = std::move(choices);
  return m;
}

OutboundMessage At(std::string address, OutboundMessage m) {
  m.address = std::move(address);
  return m;
}

OutboundMessage AskContact(OutboundMessage m) {
  m.request_contact = true;
  return m;
}

const std::vector<OutboundCase>& OutboundCases() {
  static const std::vector<OutboundCase> kCases = {
      {"PlainText", To("Terima kasih, laporan Anda sudah kami terima."),
       json::parse(R"({"chat_id":5123456789,
                       "text":"Terima kasih, laporan Anda sudah kami terima."})"),
       nullptr},
      {"InlineKeyboardOneButtonPerRow",
       WithChoices(To("Pilih layanan:"),
                   {{"svc:status", "Cek status bansos"}, {"svc:complaint", "Pengaduan"}}),
       json::parse(R"({"chat_id":5123456789,"text":"Pilih layanan:","reply_markup":
         {"inline_keyboard":[[{"text":"Cek status bansos","callback_data":"svc:status"}],
                             [{"text":"Pengaduan","callback_data":"svc:complaint"}]]}})"),
       nullptr},
      {"RequestContactKeyboard",
       AskContact(WithChoices(To("Bagikan nomor HP Anda dengan tombol di bawah."),
                              {{"share", "Bagikan nomor HP"}})),
       json::parse(R"({"chat_id":5123456789,"text":"Bagikan nomor HP Anda dengan tombol di bawah.",
         "reply_markup":{"keyboard":[[{"text":"Bagikan nomor HP","request_contact":true}]],
                         "one_time_keyboard":true,"resize_keyboard":true}})"),
       nullptr},
      {"TemplateFieldsIgnored",
       [] {
         OutboundMessage m = To("Halo");
         m.template_name = "status_update";
         m.template_language = "id";
         m.template_params = {"x"};
         return m;
       }(),
       json::parse(R"({"chat_id":5123456789,"text":"Halo"})"), nullptr},
      {"GroupChatIdIsNegative", At("tg:-1001987654321", To("Halo")),
       json::parse(R"({"chat_id":-1001987654321,"text":"Halo"})"), nullptr},
      // Limits are in code points: 4096 two-byte letters or 4096 emoji (8192 UTF-16 units) fit.
      {"Text4096TwoByteLetters", To(Repeat(kEAcute, 4096)),
       json{{"chat_id", 5123456789}, {"text", Repeat(kEAcute, 4096)}}, nullptr},
      {"Text4096Emoji", To(Repeat(kPhoneEmoji, 4096)),
       json{{"chat_id", 5123456789}, {"text", Repeat(kPhoneEmoji, 4096)}}, nullptr},
      {"Text4097", To("Siti, bansos " + Repeat("a", 4084)), nullptr, "4097 characters"},
      {"EmptyText", To(""), nullptr, "text is empty"},
      {"WhitespaceText", To(" \n\t "), nullptr, "text is empty"},
      {"TruncatedUtf8", To("Siti \xC3"), nullptr, "not valid UTF-8"},
      {"SurrogateInUtf8", To("bansos \xED\xA0\x80"), nullptr, "not valid UTF-8"},
      {"PhoneNumberAddress", At("6281234567890", To("Halo")), nullptr, "not tg:<chat id>"},
      {"EmptyChatId", At("tg:", To("Halo")), nullptr, "not tg:<chat id>"},
      {"ChatIdWithLetters", At("tg:5123456789x", To("Halo")), nullptr, "not tg:<chat id>"},
      {"ChatIdWithPlus", At("tg:+5123456789", To("Halo")), nullptr, "not tg:<chat id>"},
      {"ChatIdOverflow", At("tg:99999999999999999999", To("Halo")), nullptr, "not tg:<chat id>"},
      // callback_data is limited in bytes: 32 two-byte letters fit, 33 (66 bytes) do not.
      {"CallbackData64Bytes", WithChoices(To("Pilih:"), {{Repeat(kEAcute, 32), "Ya"}}),
       json::parse(R"({"chat_id":5123456789,"text":"Pilih:","reply_markup":{"inline_keyboard":
                         [[{"text":"Ya","callback_data":")" +
                   Repeat(kEAcute, 32) + R"("}]]}})"),
       nullptr},
      {"CallbackData66Bytes", WithChoices(To("Pilih:"), {{Repeat(kEAcute, 33), "Ya"}}), nullptr,
       "choice 1 id is 66 bytes"},
      {"CallbackData65Ascii", WithChoices(To("Pilih:"), {{"ok", "Ya"}, {Repeat("a", 65), "Tidak"}}),
       nullptr, "choice 2 id is 65 bytes"},
      {"EmptyChoiceId", WithChoices(To("Pilih:"), {{"", "Ya"}}), nullptr, "id is 0 bytes"},
      {"EmptyChoiceTitle", WithChoices(To("Pilih:"), {{"yes", " "}}), nullptr, "title is empty"},
      {"RequestContactWithoutLabel", AskContact(To("Bagikan nomor HP")), nullptr,
       "exactly one choice"},
      {"RequestContactTwoLabels",
       AskContact(WithChoices(To("Bagikan nomor HP"), {{"a", "Bagikan"}, {"b", "Nanti"}})), nullptr,
       "exactly one choice"},
  };
  return kCases;
}

// gtest prints a failing parameter; the case name is what identifies it.
void PrintTo(const OutboundCase& c, std::ostream* os) { *os << c.name; }

class TelegramOutboundTest : public ::testing::TestWithParam<OutboundCase> {};

TEST_P(TelegramOutboundTest, BuildsSendMessage) {
  const OutboundCase& c = GetParam();
  const BuildResult built = BuildSend(TestConfig(), c.message);
  if (c.error != nullptr) {
    EXPECT_FALSE(built.ok());
    EXPECT_NE(built.error.find(c.error), std::string::npos) << built.error;
    ExpectSafeForLogs(built.error);
    return;
  }
  ASSERT_TRUE(built.ok()) << built.error;
  EXPECT_TRUE(built.error.empty());
  EXPECT_EQ(built.call->method, "POST");
  EXPECT_EQ(built.call->url,
            std::string("https://api.telegram.org/bot") + kBotToken + "/sendMessage");
  EXPECT_EQ(built.call->headers, (Headers{{"content-type", "application/json"}}));
  EXPECT_EQ(json::parse(built.call->body), c.body);
}

INSTANTIATE_TEST_SUITE_P(Messages, TelegramOutboundTest, ::testing::ValuesIn(OutboundCases()),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(TelegramSendTest, BaseUrlTrailingSlashAndLoopback) {
  Config config = TestConfig();
  config.base_url = "http://127.0.0.1:18080/";
  const BuildResult built = BuildSend(config, To("Halo"));
  ASSERT_TRUE(built.ok()) << built.error;
  EXPECT_EQ(built.call->url,
            std::string("http://127.0.0.1:18080/bot") + kBotToken + "/sendMessage");
}

TEST(TelegramSendTest, InvalidConfigBuildsNothingAndHidesTheToken) {
  Config config = TestConfig();
  config.bot_token = std::string(kBotToken) + "/../x";
  const BuildResult built = BuildSend(config, To("Halo"));
  EXPECT_FALSE(built.ok());
  EXPECT_NE(built.error.find("bot_token"), std::string::npos) << built.error;
  ExpectSafeForLogs(built.error);
}

TEST(TelegramAnswerCallbackTest, WithoutText) {
  const BuildResult built = BuildAnswerCallback(TestConfig(), "2200337455018493717");
  ASSERT_TRUE(built.ok()) << built.error;
  EXPECT_EQ(built.call->url,
            std::string("https://api.telegram.org/bot") + kBotToken + "/answerCallbackQuery");
  EXPECT_EQ(json::parse(built.call->body),
            json::parse(R"({"callback_query_id":"2200337455018493717"})"));
}

TEST(TelegramAnswerCallbackTest, WithText) {
  const BuildResult built =
      BuildAnswerCallback(TestConfig(), "2200337455018493717", "Sudah diterima");
  ASSERT_TRUE(built.ok()) << built.error;
  EXPECT_EQ(json::parse(built.call->body),
            json::parse(R"({"callback_query_id":"2200337455018493717","text":"Sudah diterima"})"));
}

TEST(TelegramAnswerCallbackTest, RefusesBadInput) {
  const std::string long_text = "Sudah diterima " + Repeat(kEAcute, 186);  // 201 code points
  for (const auto& [id, text, expected] :
       std::vector<std::tuple<std::string, std::optional<std::string_view>, std::string>>{
           {"", std::nullopt, "callback_query_id"},
           {"22003", long_text, "201 characters"},
           {"22003", "Sudah diterima \xC3", "not valid UTF-8"}}) {
    const BuildResult built = BuildAnswerCallback(TestConfig(), id, text);
    EXPECT_FALSE(built.ok());
    EXPECT_NE(built.error.find(expected), std::string::npos) << built.error;
    ExpectSafeForLogs(built.error);
  }
}

TEST(TelegramSetWebhookTest, SubscribesToMessagesAndCallbacks) {
  const BuildResult built =
      BuildSetWebhook(TestConfig(), "https://dinsos.example.go.id/telegram/webhook", kSecret);
  ASSERT_TRUE(built.ok()) << built.error;
  EXPECT_EQ(built.call->url,
            std::string("https://api.telegram.org/bot") + kBotToken + "/setWebhook");
  EXPECT_EQ(json::parse(built.call->body),
            json::parse(std::string(R"({"url":"https://dinsos.example.go.id/telegram/webhook",
                                        "secret_token":")") +
                        kSecret + R"(","allowed_updates":["message","callback_query"],
                                      "drop_pending_updates":false})"));
}

TEST(TelegramSetWebhookTest, RefusesBadInput) {
  const std::string url = "https://dinsos.example.go.id/telegram/webhook";
  const std::vector<std::string> none;
  const std::vector<std::string> bad_kind = {"message", "Message"};
  const std::vector<std::string> defaults = {"message", "callback_query"};
  struct Case {
    std::string url;
    std::string secret;
    const std::vector<std::string>* kinds;
    const char* error;
  };
  for (const Case& c : {Case{"http://dinsos.example.go.id/hook", kSecret, &defaults, "https://"},
                        Case{"https://", kSecret, &defaults, "https://"},
                        Case{url + " x", kSecret, &defaults, "spaces"},
                        Case{url, "Siti=bansos", &defaults, "secret_token must be"},
                        Case{url, std::string(257, 'a'), &defaults, "secret_token must be"},
                        Case{url, kSecret, &none, "allowed_updates is empty"},
                        Case{url, kSecret, &bad_kind, "lower_case"}}) {
    const BuildResult built = BuildSetWebhook(TestConfig(), c.url, c.secret, *c.kinds);
    EXPECT_FALSE(built.ok()) << c.url;
    EXPECT_NE(built.error.find(c.error), std::string::npos) << built.error;
    ExpectSafeForLogs(built.error);
  }
}

TEST(TelegramConfigTest, ValidateConfigTable) {
  struct Case {
    std::string base_url;
    std::string bot_token;
    std::string secret;
    const char* error;  // nullptr when valid
  };
  const std::string api = "https://api.telegram.org";
  for (const Case& c :
       {Case{api, kBotToken, kSecret, nullptr},
        Case{"http://127.0.0.1:8081", kBotToken, kSecret, nullptr},
        Case{api, kBotToken, std::string(256, '_'), nullptr},
        Case{"ftp://api.telegram.org", kBotToken, kSecret, "https://"},
        Case{"https://", kBotToken, kSecret, "no host"},
        Case{"https://api.telegram.org /x", kBotToken, kSecret, "spaces"},
        Case{api, "", kSecret, "bot_token is empty"},
        Case{api, "AAH3kX9vQm2Lw8ZrT5yPq1sDf4Gh6Jk7LzX", kSecret, "bot_token is not"},
        Case{api, "70123:", kSecret, "bot_token is not"},
        Case{api, std::string(kBotToken) + "?x=1", kSecret, "bot_token is not"},
        Case{api, kBotToken, "", "secret_token is empty"},
        Case{api, kBotToken, std::string(257, 'a'), "secret_token must be"},
        Case{api, kBotToken, "sp-tg+Wq7", "secret_token must be"}}) {
    Config config;
    config.base_url = c.base_url;
    config.bot_token = c.bot_token;
    config.secret_token = c.secret;
    const std::string error = ValidateConfig(config);
    if (c.error == nullptr) {
      EXPECT_EQ(error, "") << c.base_url << " " << c.secret;
    } else {
      EXPECT_NE(error.find(c.error), std::string::npos) << "got \"" << error << "\"";
      ExpectSafeForLogs(error);
    }
  }
}

TEST(TelegramUtf8Test, CountCodePointsTable) {
  struct Case {
    std::string text;
    std::optional<std::size_t> count;
  };
  for (const Case& c : {Case{"", 0}, Case{"halo", 4}, Case{kEAcute, 1}, Case{kPhoneEmoji, 1},
                        Case{"\xE2\x80\x94", 1},                 // em dash, 3 bytes
                        Case{"\xC3", std::nullopt},              // truncated
                        Case{"\x80", std::nullopt},              // lone continuation
                        Case{"\xC0\x80", std::nullopt},          // overlong NUL
                        Case{"\xED\xA0\x80", std::nullopt},      // surrogate
                        Case{"\xF4\x90\x80\x80", std::nullopt},  // past U+10FFFF
                        Case{"\xF8\x88\x80\x80\x80", std::nullopt}}) {
    EXPECT_EQ(CountCodePoints(c.text), c.count) << "case of " << c.text.size() << " bytes";
  }
}

}  // namespace
}  // namespace satupintu::adapters::telegram
