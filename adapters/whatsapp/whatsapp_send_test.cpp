// Outbound table: the request BuildSend produces for each kind of message, or the error that
// stops it.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "adapters/whatsapp/send.hpp"
#include "adapters/whatsapp/whatsapp_test_support.hpp"

namespace satupintu::adapters::whatsapp {
namespace {

using nlohmann::json;
using test::TestConfig;

constexpr char kCitizen[] = "6281234567890";

OutboundMessage Text(std::string text) {
  OutboundMessage m;
  m.id = "out-1";
  m.address = kCitizen;
  m.text = std::move(text);
  return m;
}

OutboundMessage WithChoices(std::string text, std::size_t n, std::size_t title_len = 5) {
  OutboundMessage m = Text(std::move(text));
  for (std::size_t i = 1; i <= n; ++i) {
    std::string title = std::to_string(i) + std::string(title_len - 1, 'x');
    m.choices.emplace_back("c" + std::to_string(i), title);
  }
  return m;
}

OutboundMessage Template(std::string name, std::string language, std::vector<std::string> params) {
  OutboundMessage m = Text("ignored for templates");
  m.template_name = std::move(name);
  m.template_language = std::move(language);
  m.template_params = std::move(params);
  return m;
}

OutboundMessage To(std::string address) {
  OutboundMessage m = Text("Halo");
  m.address = std::move(address);
  return m;
}

// A null expected value means "this field must be absent".
using Fields = std::vector<std::pair<std::string, json>>;

struct OutboundCase {
  const char* name;
  OutboundMessage message{};
  Fields fields{};         // checked when error is empty
  const char* error = "";  // expected error, exactly
};

std::vector<OutboundCase> OutboundCases() {
  OutboundMessage buttons = Text("Pilih layanan:");
  buttons.choices = {{"menu.cek_status", "Cek status"}, {"menu.jadwal", "Jadwal pencairan"}};
  OutboundMessage unicode_title = Text("Pilih:");
  unicode_title.choices = {{"a", "Bantuan sosial 🙏 ya"}};  // 20 UTF-16 units: the limit
  OutboundMessage emoji_title = Text("Pilih:");
  emoji_title.choices = {{"a", "Bantuan sosial 🙏 yaa"}};
  OutboundMessage same_id = WithChoices("Pilih:", 2);
  same_id.choices[1].first = "c1";
  OutboundMessage same_title = WithChoices("Pilih:", 2);
  same_title.choices[1].second = same_title.choices[0].second;
  OutboundMessage empty_id = WithChoices("Pilih:", 1);
  empty_id.choices[0].first.clear();
  OutboundMessage template_with_choices = Template("pengingat_jadwal", "id", {});
  template_with_choices.choices = {{"x", "y"}};

  return {
      {.name = "Text",
       .message = Text("Halo Bu Siti"),
       .fields = {{"/messaging_product", "whatsapp"},
                  {"/recipient_type", "individual"},
                  {"/to", kCitizen},
                  {"/type", "text"},
                  {"/text/body", "Halo Bu Siti"},
                  {"/text/preview_url", false}}},
      {.name = "TextAtLimit",
       .message = Text(std::string(4096, 'a')),
       .fields = {{"/type", "text"}}},
      {.name = "TextTooLong",
       .message = Text(std::string(4097, 'a')),
       .error = "text is longer than 4096 characters"},
      {.name = "TextEmojiCountsTwice",
       .message = Text(std::string(4095, 'a') + "🙏"),
       .error = "text is longer than 4096 characters"},
      {.name = "TextEmpty", .message = Text(""), .error = "text is empty"},
      {.name = "TextInvalidUtf8",
       .message = Text("Halo \xC3("),
       .error = "text is not valid UTF-8"},
      {.name = "AddressWithPlus",
       .message = To("+6281234567890"),
       .error = "address is not 7-15 digits"},
      {.name = "AddressTooShort", .message = To("08123"), .error = "address is not 7-15 digits"},
      {.name = "Buttons",
       .message = buttons,
       .fields = {{"/type", "interactive"},
                  {"/interactive/type", "button"},
                  {"/interactive/body/text", "Pilih layanan:"},
                  {"/interactive/action/buttons", json::parse(R"([
  {"type": "reply", "reply": {"id": "menu.cek_status", "title": "Cek status"}},
  {"type": "reply", "reply": {"id": "menu.jadwal", "title": "Jadwal pencairan"}}])")},
                  {"/text", nullptr}}},
      {.name = "ThreeButtons",
       .message = WithChoices("Pilih:", 3, 20),
       .fields = {{"/interactive/type", "button"}}},
      {.name = "ButtonTitleUnicodeAtLimit",
       .message = unicode_title,
       .fields = {{"/interactive/type", "button"}}},
      {.name = "ButtonTitleTooLong",
       .message = emoji_title,
       .error = "choice 1 title is longer than 20 characters"},
      {.name = "ButtonTitleTooLongAscii",
       .message = WithChoices("Pilih:", 2, 21),
       .error = "choice 1 title is longer than 20 characters"},
      {.name = "ButtonIdsRepeat", .message = same_id, .error = "choice 2 repeats an id"},
      {.name = "ButtonTitlesRepeat", .message = same_title, .error = "choice 2 repeats a title"},
      {.name = "ButtonIdEmpty", .message = empty_id, .error = "choice 1 id is empty"},
      {.name = "ButtonsWithoutBody",
       .message = WithChoices("", 2),
       .error = "interactive body is empty"},
      {.name = "ButtonsBodyTooLong",
       .message = WithChoices(std::string(1025, 'b'), 2),
       .error = "interactive body is longer than 1024 characters"},
      {.name = "List",
       .message = WithChoices("Pilih program:", 4, 24),
       .fields = {{"/type", "interactive"},
                  {"/interactive/type", "list"},
                  {"/interactive/body/text", "Pilih program:"},
                  {"/interactive/action/button", "Pilih"},
                  {"/interactive/action/sections/0/rows/3",
                   {{"id", "c4"}, {"title", "4" + std::string(23, 'x')}}},
                  {"/interactive/action/sections/0/title", nullptr},
                  {"/interactive/action/sections/1", nullptr}}},
      {.name = "ListOfTen",
       .message = WithChoices("Pilih:", 10),
       .fields = {{"/interactive/action/sections/0/rows/9/id", "c10"}}},
      {.name = "ListRowTitleTooLong",
       .message = WithChoices("Pilih:", 5, 25),
       .error = "choice 1 title is longer than 24 characters"},
      {.name = "ElevenChoices",
       .message = WithChoices("Pilih:", 11),
       .error = "more than 10 choices"},
      {.name = "Template",
       .message = Template("pengingat_jadwal", "id", {"Siti", "25 November 2025"}),
       .fields = {{"/type", "template"},
                  {"/template/name", "pengingat_jadwal"},
                  {"/template/language/code", "id"},
                  {"/template/components", json::parse(R"([{"type": "body", "parameters": [
  {"type": "text", "text": "Siti"}, {"type": "text", "text": "25 November 2025"}]}])")},
                  {"/text", nullptr}}},
      {.name = "TemplateWithoutParams",
       .message = Template("selamat_datang", "en_US", {}),
       .fields = {{"/template/language/code", "en_US"}, {"/template/components", nullptr}}},
      {.name = "TemplateWinsOverChoices",
       .message = template_with_choices,
       .fields = {{"/type", "template"}, {"/interactive", nullptr}}},
      {.name = "TemplateNameInvalid",
       .message = Template("Pengingat Jadwal", "id", {}),
       .error = "template name must be 1-512 of a-z, 0-9 and _"},
      {.name = "TemplateLanguageMissing",
       .message = Template("pengingat_jadwal", "", {}),
       .error = "template language code missing or invalid"},
      {.name = "TemplateParamNewline",
       .message = Template("pengingat_jadwal", "id", {"Siti\nAminah"}),
       .error = "template parameter 1 has a newline, a tab or 5+ spaces in a row"},
      {.name = "TemplateParamEmpty",
       .message = Template("pengingat_jadwal", "id", {"Siti", ""}),
       .error = "template parameter 2 is empty"},
  };
}

// gtest prints a failing parameter; the case name says more than its bytes.
void PrintTo(const OutboundCase& c, std::ostream* os) { *os << c.name; }

class OutboundTest : public ::testing::TestWithParam<OutboundCase> {};

TEST_P(OutboundTest, BuildsRequest) {
  const OutboundCase& c = GetParam();
  const BuildResult built = BuildSend(TestConfig(), c.message);
  EXPECT_EQ(built.error, c.error);
  if (std::string(c.error).empty() != built.ok()) {
    ADD_FAILURE() << "ok() disagrees with the error";
    return;
  }
  if (!built.ok()) {
    // Errors are logged: neither the number nor the text may appear in them.
    EXPECT_EQ(built.error.find(c.message.address), std::string::npos);
    if (c.message.text.size() >= 5) {
      EXPECT_EQ(built.error.find(c.message.text), std::string::npos);
    }
    return;
  }
  EXPECT_EQ(built.call->method, "POST");
  EXPECT_EQ(built.call->url, "http://127.0.0.1:9/v21.0/109876543210987/messages");
  const json body = json::parse(built.call->body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << built.call->body;
  for (const auto& [pointer, expected] : c.fields) {
    const json::json_pointer ptr(pointer);
    if (expected.is_null()) {
      EXPECT_FALSE(body.contains(ptr)) << pointer << " in " << body.dump();
    } else if (!body.contains(ptr)) {
      ADD_FAILURE() << pointer << " missing in " << body.dump();
    } else {
      EXPECT_EQ(body.at(ptr), expected) << pointer;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Messages, OutboundTest, ::testing::ValuesIn(OutboundCases()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(BuildSendTest, UrlAndHeadersFromConfig) {
  Config config = TestConfig();
  config.base_url = "https://graph.facebook.com/";
  config.api_version = "v22.0";
  config.list_button_label = "Lihat pilihan";
  const BuildResult built = BuildSend(config, WithChoices("Pilih:", 4));
  ASSERT_TRUE(built.ok()) << built.error;
  EXPECT_EQ(built.call->url, "https://graph.facebook.com/v22.0/109876543210987/messages");
  const Headers expected = {{"authorization", "Bearer EAAtest-token"},
                            {"content-type", "application/json"}};
  EXPECT_EQ(built.call->headers, expected);
  EXPECT_EQ(json::parse(built.call->body).at("/interactive/action/button"_json_pointer),
            "Lihat pilihan");
}

TEST(BuildSendTest, ConfigProblemsStopTheSend) {
  Config no_token = TestConfig();
  no_token.access_token.clear();
  Config split_header = TestConfig();
  split_header.access_token = "abc\r\nx-injected: 1";
  Config no_number = TestConfig();
  no_number.phone_number_id.clear();
  Config long_label = TestConfig();
  long_label.list_button_label = std::string(21, 'x');
  for (const Config& config : {no_token, split_header, no_number}) {
    EXPECT_FALSE(BuildSend(config, Text("Halo")).ok());
  }
  EXPECT_TRUE(BuildSend(long_label, WithChoices("Pilih:", 3)).ok());
  EXPECT_EQ(BuildSend(long_label, WithChoices("Pilih:", 4)).error,
            "list button label is longer than 20 characters");
  EXPECT_EQ(ValidateConfig(TestConfig()), "");
  EXPECT_NE(ValidateConfig(long_label), "");
}

}  // namespace
}  // namespace satupintu::adapters::whatsapp
