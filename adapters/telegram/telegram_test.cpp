// Inbound table over real Telegram updates (testdata/). Outbound requests are in send_test.cpp,
// the Bot API's answers in classify_test.cpp. Every fixture must be used by some case, and no
// note may carry the bot token, the secret, or anything a citizen wrote or is called.

#include <gtest/gtest.h>

#include <filesystem>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "adapters/telegram/test_support.hpp"
#include "adapters/telegram/webhook.hpp"
#include "paths/paths.hpp"

namespace satupintu::adapters::telegram {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): credentials and helpers

// ---------------------------------------------------------------------------------------------
// Inbound

enum class Secret { kRight, kMissing, kWrong, kWrongSameLength };

// One line per message with the fields that are set, so a table row reads like the payload
// and a failure shows every difference at once.
std::string Summarise(const InboundMessage& m) {
  static constexpr const char* kKinds[] = {"text",  "button",   "contact",
                                           "media", "location", "unsupported"};
  std::string out =
      std::string(kKinds[static_cast<int>(m.kind)]) + " " + m.address + " #" + m.provider_id;
  const auto add = [&out](const char* label, const std::string& value) {
    if (!value.empty()) out.append(" ").append(label).append("=").append(value);
  };
  add("lang", m.language);
  add("at", m.sent_at_s == 0 ? std::string() : std::to_string(m.sent_at_s));
  add("text", m.text);
  add("choice", m.choice_id);
  add("phone", m.contact_phone);
  add("cbq", m.callback_query_id);
  add("reply_to", m.reply_to);
  return out;
}

struct InboundCase {
  const char* name;
  const char* fixture;
  Secret secret;
  int status;
  std::vector<std::string> messages;  // Summarise() of each
  const char* note;                   // expected in the only note; nullptr when there must be none
};

const std::vector<InboundCase>& InboundCases() {
  // One case per row reads as a table; the formatter would give each field its own line.
  // clang-format off
  static const std::vector<InboundCase> kCases = {
      {"Text", "update_text.json", Secret::kRight, 200,
       {"text tg:5123456789 #873400101 lang=id at=1732256400 text=Pak, bansos PKH sy kok blm cair "
        "ya bln ini? \xF0\x9F\x99\x8F NIK sy 3201014101900003"}, nullptr},
      {"TextMissingSecret", "update_text.json", Secret::kMissing, 401, {}, "header missing"},
      {"TextWrongSecret", "update_text.json", Secret::kWrong, 403, {}, "wrong secret"},
      {"TextWrongSecretSameLength", "update_text.json", Secret::kWrongSameLength, 403, {},
       "wrong secret"},
      {"TextReplyingToUs", "update_text_reply.json", Secret::kRight, 200,
       {"text tg:5123456789 #873400102 lang=id at=1732256590 text=iya bener pak "
        "reply_to=5123456789:416"}, nullptr},
      {"OwnContact", "update_contact.json", Secret::kRight, 200,
       {"contact tg:5123456789 #873400103 lang=id at=1732256430 phone=6281234567890 "
        "reply_to=5123456789:412"}, nullptr},
      {"ContactWrongSecret", "update_contact.json", Secret::kWrong, 403, {}, "wrong secret"},
      {"SomeoneElsesContact", "update_contact_foreign.json", Secret::kRight, 200,
       {"unsupported tg:5123456789 #873400104 lang=id at=1732256440"}, "not the sender's own"},
      {"CallbackQuery", "update_callback_query.json", Secret::kRight, 200,
       {"button tg:5123456789 #873400105 lang=id choice=svc:status cbq=2200337455018493717 "
        "reply_to=5123456789:415"}, nullptr},
      {"CallbackQueryMissingSecret", "update_callback_query.json", Secret::kMissing, 401, {},
       "header missing"},
      {"PhotoWithCaption", "update_photo.json", Secret::kRight, 200,
       {"media tg:5123456789 #873400106 lang=id at=1732256700 text=ini foto KK sy pak"}, nullptr},
      {"Voice", "update_voice.json", Secret::kRight, 200,
       {"media tg:5123456789 #873400107 lang=id at=1732256760"}, nullptr},
      {"Location", "update_location.json", Secret::kRight, 200,
       {"location tg:5123456789 #873400108 lang=id at=1732256820"}, nullptr},
      {"Dice", "update_dice.json", Secret::kRight, 200,
       {"unsupported tg:5123456789 #873400109 lang=id at=1732256880"}, nullptr},
      {"EditedMessage", "update_edited_message.json", Secret::kRight, 200, {},
       "update 873400110: edited_message ignored"},
      {"MyChatMember", "update_my_chat_member.json", Secret::kRight, 200, {},
       "update 873400111: my_chat_member ignored"},
      {"GroupChat", "update_group_text.json", Secret::kRight, 200, {},
       "message from a supergroup chat ignored"},
      {"UpdateIdNotInteger", "update_id_string.json", Secret::kRight, 400, {}, "update_id"},
      {"Malformed", "malformed.json", Secret::kRight, 400, {}, "not a JSON object"},
      {"MalformedWrongSecret", "malformed.json", Secret::kWrong, 403, {}, "wrong secret"},
  };
  // clang-format on
  return kCases;
}

IncomingHttp Post(std::string body, Secret secret) {
  IncomingHttp request;
  request.method = "POST";
  request.path = "/telegram/webhook";
  request.headers = {{"content-type", "application/json"}};
  if (secret == Secret::kRight) request.headers.emplace_back(kSecretTokenHeader, kSecret);
  if (secret == Secret::kWrong) request.headers.emplace_back(kSecretTokenHeader, "guessed");
  if (secret == Secret::kWrongSameLength) {
    std::string almost = kSecret;
    almost.back() = 'M';
    request.headers.emplace_back(kSecretTokenHeader, almost);
  }
  request.body = std::move(body);
  request.remote_address = "149.154.167.220";
  return request;
}

// gtest prints a failing parameter; the case name is what identifies it.
void PrintTo(const InboundCase& c, std::ostream* os) { *os << c.name; }

class TelegramInboundTest : public ::testing::TestWithParam<InboundCase> {};

TEST_P(TelegramInboundTest, ParsesUpdate) {
  const InboundCase& c = GetParam();
  const std::string body = Fixture(c.fixture);
  const ParsedRequest parsed = ParseWebhook(TestConfig(), Post(body, c.secret));

  EXPECT_EQ(parsed.http_status, c.status);
  EXPECT_TRUE(parsed.response_body.empty());
  EXPECT_TRUE(parsed.statuses.empty());
  std::vector<std::string> got;
  for (const InboundMessage& m : parsed.messages) {
    got.push_back(Summarise(m));
    EXPECT_EQ(m.raw, body);
  }
  EXPECT_EQ(got, c.messages);
  if (c.note == nullptr) {
    EXPECT_TRUE(parsed.notes.empty()) << parsed.notes.front();
  } else {
    ASSERT_EQ(parsed.notes.size(), 1U);
    EXPECT_NE(parsed.notes.front().find(c.note), std::string::npos) << parsed.notes.front();
  }
  for (const std::string& note : parsed.notes) ExpectSafeForLogs(note);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, TelegramInboundTest, ::testing::ValuesIn(InboundCases()),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(TelegramWebhookTest, RefusesOtherMethods) {
  IncomingHttp request = Post(Fixture("update_text.json"), Secret::kRight);
  request.method = "GET";
  const ParsedRequest parsed = ParseWebhook(TestConfig(), request);
  EXPECT_EQ(parsed.http_status, 405);
  EXPECT_TRUE(parsed.messages.empty());
}

TEST(TelegramWebhookTest, EmptyHeaderCountsAsMissing) {
  IncomingHttp request = Post(Fixture("update_text.json"), Secret::kMissing);
  request.headers.emplace_back(kSecretTokenHeader, "");
  EXPECT_EQ(ParseWebhook(TestConfig(), request).http_status, 401);
}

TEST(TelegramWebhookTest, UnconfiguredSecretAcceptsNothing) {
  Config config = TestConfig();
  config.secret_token.clear();
  IncomingHttp request = Post(Fixture("update_text.json"), Secret::kMissing);
  request.headers.emplace_back(kSecretTokenHeader, "x");
  const ParsedRequest parsed = ParseWebhook(config, request);
  EXPECT_EQ(parsed.http_status, 403);
  EXPECT_TRUE(parsed.messages.empty());
}

TEST(TelegramWebhookTest, DeeplyNestedBodyIsRefusedWithoutCrashing) {
  const std::size_t depth = 100000;
  const std::string body = std::string(depth, '[') + std::string(depth, ']');
  EXPECT_EQ(ParseWebhook(TestConfig(), Post(body, Secret::kRight)).http_status, 400);
}

TEST(TelegramWebhookTest, TextWithoutLanguageOrDate) {
  const std::string body =
      R"({"update_id":9,"message":{"message_id":1,"chat":{"id":42,"type":"private"},"text":"halo"}})";
  const ParsedRequest parsed = ParseWebhook(TestConfig(), Post(body, Secret::kRight));
  ASSERT_EQ(parsed.messages.size(), 1U);
  EXPECT_EQ(Summarise(parsed.messages.front()), "text tg:42 #9 text=halo");
}

TEST(TelegramContactPhoneTest, Table) {
  struct Case {
    const char* in;
    const char* out;
  };
  for (const Case& c :
       {Case{"6281234567890", "6281234567890"}, Case{"+6281234567890", "6281234567890"},
        Case{" +62 812-3456-7890", "6281234567890"}, Case{"081234567890", "6281234567890"},
        Case{"447700900123", "447700900123"},  // no '+': still international
        Case{"+447700900123", "447700900123"}, Case{"+0812345678", ""}, Case{"62812x4567890", ""},
        Case{"12345", ""}, Case{"", ""}}) {
    EXPECT_EQ(ContactPhone(c.in), c.out) << c.in;
  }
}

TEST(TelegramTestdataTest, EveryFixtureIsUsed) {
  std::set<std::string> used;
  for (const auto& name : test::InboundFixtures()) used.insert(name);
  for (const auto& name : test::ClassifyFixtures()) used.insert(name);
  std::set<std::string> present;
  for (const auto& entry : std::filesystem::directory_iterator(
           ::satupintu::testing::SourcePath("adapters/telegram/testdata"))) {
    present.insert(entry.path().filename().string());
  }
  EXPECT_EQ(present, used);
}

}  // namespace

std::vector<std::string> test::InboundFixtures() {
  std::vector<std::string> names;
  for (const InboundCase& c : InboundCases()) names.emplace_back(c.fixture);
  return names;
}

}  // namespace satupintu::adapters::telegram
