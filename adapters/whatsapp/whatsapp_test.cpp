// Table-driven tests of the WhatsApp adapter against payloads shaped like Meta's (testdata/).
// Signatures are computed here with the adapter's own HMAC, pinned by a known-answer test, so
// fixtures carry none.

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/whatsapp/signature.hpp"
#include "adapters/whatsapp/webhook.hpp"
#include "adapters/whatsapp/whatsapp_test_support.hpp"

namespace satupintu::adapters::whatsapp {
namespace {

using nlohmann::json;
using test::Fixture;
using test::TestConfig;

// Short names for the wamids in testdata/, so expected summaries stay readable.
const std::map<std::string, std::string>& Aliases() {
  static const std::map<std::string, std::string> aliases = [] {
    const std::string p = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYF";
    const std::string q = "wamid.HBgNNjI4NTcxMjM0NTY3OBUCABIYF";
    const std::string r = "wamid.HBgNNjI4MTM5ODc2NTQzMhUCABIYF";
    return std::map<std::string, std::string>{
        {p + "kI2NTg5RkM2QUIwREM4MkNGMTIwAA==", "A1"},
        {p + "jM1NkExOTJCNzkxM0IwNEM1NDU3AA==", "A2"},
        {p + "kRBNEI5MjM3QkFDQ0NERjE5QzA3AA==", "A3"},
        {p + "jc3REU2OERBRUNEODIzQkFCQkI1AA==", "A4"},
        {p + "jFCNjQ1Mzg5MjQ3M0E0NjdEMDczAA==", "A5"},
        {p + "kFDMzQ3OEQ2OUEzQzgxRkE2MkU2AA==", "A6"},
        {p + "kMxREZEOTZFRUE4Q0MyQjYyNzg1AA==", "A7"},
        {p + "jkwMkJBM0NEQTE4ODM4MDE1OTRCAA==", "A8"},
        {q + "kZFNURCQkNFQTVDRTdFMjk4OEI4AA==", "B1"},
        {q + "jBBREU3QzJDRjk3Rjc1RDAwOTk3AA==", "B2"},
        {q + "kIxRDU3ODExMTFEODRGN0IzRkU0AA==", "B3"},
        {r + "jE3QkEwNzkxNDk5REI5MDg0MzNCAA==", "C1"},
        {r + "jdCNTIwMDlCNjRGRDBBMkE0OUU2AA==", "C2"},
    };
  }();
  return aliases;
}

std::string Alias(const std::string& id) {
  const auto it = Aliases().find(id);
  return it == Aliases().end() ? id : it->second;
}

std::string KindName(MessageKind kind) {
  switch (kind) {
    case MessageKind::kText:
      return "text";
    case MessageKind::kButton:
      return "button";
    case MessageKind::kContact:
      return "contact";
    case MessageKind::kMedia:
      return "media";
    case MessageKind::kLocation:
      return "location";
    case MessageKind::kUnsupported:
      return "unsupported";
  }
  return "?";
}

std::string StateName(DeliveryState state) {
  switch (state) {
    case DeliveryState::kSent:
      return "sent";
    case DeliveryState::kDelivered:
      return "delivered";
    case DeliveryState::kRead:
      return "read";
    case DeliveryState::kFailed:
      return "failed";
  }
  return "?";
}

// "kind id address 'text' choice=.. contact=.. re=.. at=..", empty parts left out.
std::string Summary(const InboundMessage& m) {
  std::string s = KindName(m.kind) + " " + Alias(m.provider_id) + " " + m.address;
  if (!m.text.empty()) s += " '" + m.text + "'";
  if (!m.choice_id.empty()) s += " choice=" + m.choice_id;
  if (!m.contact_phone.empty()) s += " contact=" + m.contact_phone;
  if (!m.reply_to.empty()) s += " re=" + Alias(m.reply_to);
  return s + " at=" + std::to_string(m.sent_at_s);
}

std::string Summary(const StatusUpdate& st) {
  std::string s = StateName(st.state) + " " + Alias(st.provider_message_id);
  if (!st.error_code.empty()) s += " code=" + st.error_code + " '" + st.error_title + "'";
  if (st.outside_window) s += " outside_window";
  return s + " at=" + std::to_string(st.at_s);
}

enum class Sig { kOk, kUpperHex, kMissing, kWrong, kOtherScheme, kOverReserialized };

IncomingHttp Post(const std::string& body, Sig sig) {
  IncomingHttp req;
  req.method = "POST";
  req.path = "/webhooks/whatsapp";
  req.body = body;
  req.headers = {{"content-type", "application/json"}};
  std::string header = SignatureHeader(test::kAppSecret, body);
  switch (sig) {
    case Sig::kOk:
      break;
    case Sig::kUpperHex:
      for (std::size_t i = 7; i < header.size(); ++i) {
        header[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(header[i])));
      }
      break;
    case Sig::kMissing:
      return req;
    case Sig::kWrong:
      header = SignatureHeader("another-secret", body);
      break;
    case Sig::kOtherScheme:
      header = "sha1=" + header.substr(7, 40);
      break;
    case Sig::kOverReserialized:
      // What a verifier that re-serialises the parsed JSON would check: not Meta's bytes.
      header = SignatureHeader(test::kAppSecret, json::parse(body).dump());
      break;
  }
  req.headers.emplace_back("x-hub-signature-256", header);
  return req;
}

struct InboundCase {
  const char* name;
  const char* fixture;
  Sig sig = Sig::kOk;
  int status = 200;
  std::vector<std::string> messages{};
  std::vector<std::string> statuses{};
  std::vector<std::string> notes{};
};

const std::vector<InboundCase>& InboundCases() {
  static const std::vector<InboundCase> cases = {
      {.name = "Text",
       .fixture = "text.json",
       .messages = {"text A1 6281234567890 'Halo, saya mau cek status bantuan PKH' at=1763792400"}},
      {.name = "UpperCaseHexAccepted",
       .fixture = "text.json",
       .sig = Sig::kUpperHex,
       .messages = {"text A1 6281234567890 'Halo, saya mau cek status bantuan PKH' at=1763792400"}},
      {.name = "SignatureMissing",
       .fixture = "text.json",
       .sig = Sig::kMissing,
       .status = 401,
       .notes = {"X-Hub-Signature-256 missing"}},
      {.name = "SignatureWrongSecret",
       .fixture = "text.json",
       .sig = Sig::kWrong,
       .status = 403,
       .notes = {"X-Hub-Signature-256 does not match"}},
      {.name = "SignatureOtherScheme",
       .fixture = "text.json",
       .sig = Sig::kOtherScheme,
       .status = 403,
       .notes = {"X-Hub-Signature-256 does not match"}},
      {.name = "BatchedEntries",
       .fixture = "batched.json",
       .messages = {"text A2 6281234567890 'Nomor KKS saya hilang' at=1763792405",
                    "text B1 6285712345678 'Jadwal pencairan kapan?' at=1763792406"},
       .statuses = {"delivered A4 at=1763792403", "read B2 at=1763792404",
                    "sent A8 at=1763792402"}},
      {.name = "ButtonReply",
       .fixture = "button_reply.json",
       .messages = {"button A3 6281234567890 'Cek status' choice=menu.cek_status re=A4 "
                    "at=1763792410"}},
      {.name = "ListReply",
       .fixture = "list_reply.json",
       .messages = {"button A5 6281234567890 'BPNT / Sembako' choice=program.bpnt re=A4 "
                    "at=1763792420"}},
      {.name = "TemplateQuickReply",
       .fixture = "template_button.json",
       .messages = {"button A6 6281234567890 'Ya, saya datang' choice=reminder.confirm re=A8 "
                    "at=1763792430"}},
      {.name = "Image",
       .fixture = "image.json",
       .messages = {"media A7 6281234567890 'Foto KTP saya' at=1763792440"}},
      {.name = "VoiceNote",
       .fixture = "audio_voice.json",
       .messages = {"media B3 6285712345678 at=1763792450"}},
      {.name = "VideoDocumentSticker",
       .fixture = "media_other.json",
       .messages = {"media A7 6281234567890 at=1763792441",
                    "media A5 6281234567890 'Surat keterangan' at=1763792442",
                    "media A3 6281234567890 at=1763792443"}},
      {.name = "Location",
       .fixture = "location.json",
       .messages = {"location B3 6285712345678 'geo:-6.2297465,106.829518' at=1763792460"}},
      {.name = "ContactPrefersWaId",
       .fixture = "contacts.json",
       .messages = {"contact C1 6281398765432 'Ibu Made Sari' contact=6281333221100 "
                    "at=1763792470"}},
      {.name = "ContactDigitsOfFirstCard",
       .fixture = "contacts_no_wa_id.json",
       .messages = {"contact C1 6281398765432 'Pak Ketut' contact=62361223344 at=1763792471"}},
      {.name = "UnsupportedAndReaction",
       .fixture = "unsupported.json",
       .messages = {"unsupported C2 6281398765432 at=1763792480",
                    "unsupported C1 6281398765432 at=1763792481"}},
      {.name = "FailedOutsideWindow",
       .fixture = "status_failed_131047.json",
       .statuses = {"failed A8 code=131047 'Re-engagement message' outside_window at=1763792490"}},
      {.name = "RepeatedAndOutOfOrderStatuses",
       .fixture = "statuses_duplicate.json",
       .statuses = {"read A4 at=1763792520", "delivered A4 at=1763792500",
                    "delivered A4 at=1763792500"}},
      {.name = "UnicodeEscapedRawBytes",
       .fixture = "unicode_escaped.json",
       .messages = {"text A8 6281234567890 'Terima kasih 🙏 Bu, sudah saya kirim ke "
                    "https://dinsos.example.go.id — Sraṣţi' at=1763792530"}},
      {.name = "UnicodeSignedAfterReserialising",
       .fixture = "unicode_escaped.json",
       .sig = Sig::kOverReserialized,
       .status = 403,
       .notes = {"X-Hub-Signature-256 does not match"}},
      {.name = "UnusableItemsSkipped",
       .fixture = "skipped_items.json",
       .messages = {"text A3 6281234567890 'Pesan yang benar' at=1763792401"},
       .statuses = {"read A8 at=1763792402"},
       .notes = {"entry 0 change 0 message 0: no id, skipped",
                 "entry 0 change 0 message 1: no sender, skipped",
                 "entry 0 change 0 message 2: sender is not a phone number, skipped",
                 "entry 0 change 0 status 0: no id, skipped",
                 "entry 0 change 0 status 1: status value not tracked, skipped",
                 "entry 0 change 0: provider reported error 131000",
                 "entry 1 change 0: field message_template_status_update ignored",
                 "entry 2: no changes array, skipped"}},
      {.name = "NotAnEnvelope",
       .fixture = "not_envelope.json",
       .status = 400,
       .notes = {"not a whatsapp_business_account envelope"}},
      {.name = "NotJson", .fixture = "not_json.txt", .status = 400, .notes = {"body is not JSON"}},
  };
  return cases;
}

// gtest prints a failing parameter; the case name says more than its bytes.
void PrintTo(const InboundCase& c, std::ostream* os) { *os << c.name; }

class InboundTest : public ::testing::TestWithParam<InboundCase> {};

TEST_P(InboundTest, ParsesAsExpected) {
  const InboundCase& c = GetParam();
  const ParsedRequest out = HandleWebhook(TestConfig(), Post(Fixture(c.fixture), c.sig));
  EXPECT_EQ(out.http_status, c.status);
  EXPECT_EQ(out.response_body, "");
  std::vector<std::string> messages;
  for (const auto& m : out.messages) {
    messages.push_back(Summary(m));
    // raw is the item itself, re-serialised: it names the same message.
    const json raw = json::parse(m.raw, nullptr, false);
    EXPECT_TRUE(raw.is_object()) << m.raw;
    if (raw.is_object()) {
      EXPECT_EQ(raw.value("id", ""), m.provider_id);
    }
  }
  std::vector<std::string> statuses;
  for (const auto& st : out.statuses) statuses.push_back(Summary(st));
  EXPECT_EQ(messages, c.messages);
  EXPECT_EQ(statuses, c.statuses);
  EXPECT_EQ(out.notes, c.notes);
}

// Collects every string in the fixture that could be personal: numbers, ids, names, text.
// Pure lower-case words are Meta's vocabulary ("messages", "delivered") and are left out.
void CollectPersonal(const json& j, std::vector<std::string>& out) {
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (s.size() >= 5 && !test::IsVocabulary(s)) out.push_back(s);
  } else if (j.is_structured()) {
    for (const auto& item : j) CollectPersonal(item, out);
  }
}

TEST_P(InboundTest, NotesCarryNoPersonalData) {
  const InboundCase& c = GetParam();
  const std::string body = Fixture(c.fixture);
  const ParsedRequest out = HandleWebhook(TestConfig(), Post(body, c.sig));
  std::vector<std::string> personal;
  CollectPersonal(json::parse(body, nullptr, false), personal);
  for (const std::string& note : out.notes) {
    EXPECT_FALSE(test::HasDigitRun(note, 7)) << note;
    for (const std::string& p : personal) EXPECT_EQ(note.find(p), std::string::npos) << note;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, InboundTest, ::testing::ValuesIn(InboundCases()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(WebhookTest, UnknownMethodIs405) {
  IncomingHttp req = Post(Fixture("text.json"), Sig::kOk);
  req.method = "PUT";
  EXPECT_EQ(HandleWebhook(TestConfig(), req).http_status, 405);
}

// Issue 19 item 5: Meta sends every number of a business to one URL, all signed by the app:
// a change for another phone_number_id (or naming none) is not ours to store or answer.
TEST(WebhookTest, AnotherNumbersItemsAreRefusedCountedAndNoted) {
  const ParsedRequest ours = HandleWebhook(TestConfig(), Post(Fixture("batched.json"), Sig::kOk));
  ASSERT_EQ(ours.foreign_items, 0);
  const std::size_t items = ours.messages.size() + ours.statuses.size();
  ASSERT_GT(items, 1u);
  Config other = TestConfig();
  other.phone_number_id = "100000000000001";
  const ParsedRequest out = HandleWebhook(other, Post(Fixture("batched.json"), Sig::kOk));
  EXPECT_EQ(out.http_status, 200) << "Meta would retry any other answer for days";
  EXPECT_TRUE(out.messages.empty());
  EXPECT_TRUE(out.statuses.empty());
  EXPECT_EQ(out.foreign_items, static_cast<int>(items));
  ASSERT_FALSE(out.notes.empty());
  EXPECT_NE(out.notes[0].find("another phone_number_id"), std::string::npos) << out.notes[0];
  // No metadata at all: not taken for ours either.
  std::string bare = Fixture("text.json");
  bare.replace(bare.find("\"metadata\""), 10, "\"metadatX\"");
  EXPECT_EQ(HandleWebhook(TestConfig(), Post(bare, Sig::kOk)).foreign_items, 1);
}

TEST(WebhookTest, NoAppSecretNeverAccepts) {
  Config config = TestConfig();
  config.app_secret.clear();
  IncomingHttp req = Post(Fixture("text.json"), Sig::kOk);
  // Signed with the empty key, which anybody can do.
  req.headers.back().second = SignatureHeader("", req.body);
  const ParsedRequest out = HandleWebhook(config, req);
  EXPECT_EQ(out.http_status, 500);
  EXPECT_TRUE(out.messages.empty());
}

// RFC 4231 test case 2: pins SignatureHeader to real HMAC-SHA256, since the other tests
// sign with it too.
TEST(SignatureTest, KnownAnswer) {
  EXPECT_EQ(SignatureHeader("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(CheckSignature(
                "Jefe", "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                "what do ya want for nothing?"),
            SignatureCheck::kValid);
  EXPECT_EQ(CheckSignature("Jefe", "sha256=5bdcc1", "what do ya want for nothing?"),
            SignatureCheck::kWrong);
}

struct VerifyCase {
  const char* name;
  const char* query;
  int status;
  const char* body;
};

void PrintTo(const VerifyCase& c, std::ostream* os) { *os << c.name; }

class VerifyTest : public ::testing::TestWithParam<VerifyCase> {};

TEST_P(VerifyTest, Handshake) {
  const VerifyCase& c = GetParam();
  IncomingHttp req;
  req.method = "GET";
  req.path = "/webhooks/whatsapp";
  req.query = c.query;
  const ParsedRequest out = HandleWebhook(TestConfig(), req);
  EXPECT_EQ(out.http_status, c.status);
  EXPECT_EQ(out.response_body, c.body);
  EXPECT_EQ(out.content_type, "text/plain");
  EXPECT_TRUE(out.messages.empty());
}

// TestConfig's verify token is "tok/en 1", so it must arrive percent-encoded.
INSTANTIATE_TEST_SUITE_P(
    Queries, VerifyTest,
    ::testing::Values(
        VerifyCase{"Accepted",
                   "hub.mode=subscribe&hub.verify_token=tok%2Fen+1&hub.challenge=1158201444", 200,
                   "1158201444"},
        VerifyCase{"AnyOrder", "hub.challenge=42&hub.verify_token=tok%2fen%201&hub.mode=subscribe",
                   200, "42"},
        VerifyCase{"WrongToken", "hub.mode=subscribe&hub.verify_token=tok%2Fen&hub.challenge=1",
                   403, ""},
        VerifyCase{"UnencodedSlash", "hub.mode=subscribe&hub.verify_token=tok/en+1&hub.challenge=1",
                   200, "1"},
        VerifyCase{"BrokenEscape", "hub.mode=subscribe&hub.verify_token=tok%2&hub.challenge=1", 403,
                   ""},
        VerifyCase{"NoToken", "hub.mode=subscribe&hub.challenge=1", 403, ""},
        VerifyCase{"Unsubscribe",
                   "hub.mode=unsubscribe&hub.verify_token=tok%2Fen+1&hub.challenge=1", 403, ""},
        VerifyCase{"NoChallenge", "hub.mode=subscribe&hub.verify_token=tok%2Fen+1", 403, ""},
        VerifyCase{"Empty", "", 403, ""}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(WebhookTest, UnsetTokenMatchesNothing) {
  Config config = TestConfig();
  config.verify_token.clear();
  IncomingHttp req;
  req.method = "GET";
  req.query = "hub.mode=subscribe&hub.verify_token=&hub.challenge=1";
  EXPECT_EQ(HandleWebhook(config, req).http_status, 403);
}

}  // namespace
}  // namespace satupintu::adapters::whatsapp
