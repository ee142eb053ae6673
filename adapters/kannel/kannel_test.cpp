// Inbound table: Kannel's MO calls (get-url and post-url, fixtures in testdata/) and its DLR
// fetches. Outbound requests are in send_test.cpp, smsbox's answers in classify_test.cpp.
// Every fixture must be used, and no note may carry a credential or anything a citizen wrote.

#include <gtest/gtest.h>

#include <filesystem>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "adapters/kannel/test_support.hpp"
#include "adapters/kannel/webhook.hpp"
#include "paths/paths.hpp"

namespace satupintu::adapters::kannel {
namespace {

using namespace test;  // NOLINT(google-build-using-namespace): credentials and helpers

enum class Endpoint { kMo, kDlr };
enum class Secret { kQuery, kHeader, kMissing, kWrong, kWrongSameLength };

std::string Summarise(const InboundMessage& m) {
  static constexpr const char* kKinds[] = {"text",  "button",   "contact",
                                           "media", "location", "unsupported"};
  std::string out = std::string(kKinds[static_cast<int>(m.kind)]) + " " + m.address + " #" +
                    (m.provider_id.starts_with("h:") ? std::string("<hash>") : m.provider_id);
  if (m.sent_at_s != 0) out += " at=" + std::to_string(m.sent_at_s);
  if (!m.text.empty()) out += " text=" + m.text;
  return out;
}

std::string Summarise(const StatusUpdate& s) {
  static constexpr const char* kStates[] = {"?", "sent", "delivered", "read", "failed"};
  std::string out = std::string(kStates[static_cast<int>(s.state)]) + " #" + s.provider_message_id;
  if (s.at_s != 0) out += " at=" + std::to_string(s.at_s);
  if (!s.error_code.empty()) out += " code=" + s.error_code;
  if (!s.error_title.empty()) out += " title=" + s.error_title;
  return out;
}

struct InboundCase {
  const char* name;
  Endpoint endpoint;
  const char* method;
  const char* query;         // fixture name ending in .query, or the raw query itself
  const char* body_fixture;  // POST body from testdata/, or nullptr
  Headers headers;
  Secret secret;
  const char* remote;
  int status;
  std::vector<std::string> items;  // Summarise() of each message, then of each status
  const char* note;                // expected in the only note; nullptr when there must be none
};

constexpr char kLocal[] = "127.0.0.1";
constexpr char kDlrOk[] = "id=out-7f3a.2&smsc=modem1&ts=1732257000&reply=";

const std::vector<InboundCase>& InboundCases() {
  // One case per row reads as a table; the formatter would give each field its own line.
  // clang-format off
  static const std::vector<InboundCase> kCases = {
      {"MoGetGsm", Endpoint::kMo, "GET", "mo_get_text.query", nullptr, {}, Secret::kQuery, kLocal,
       200, {"text 6281234567890 #4f1c2a7e-8d3b-4c1e-9a6f-2b7d5e0c1a93 at=1732256400 "
             "text=Pak, bansos PKH sy blm cair @ [bulan ini] ~ NIK 3201014101900003"}, nullptr},
      {"MoGetSecretInHeader", Endpoint::kMo, "GET", "mo_get_text.query", nullptr, {},
       Secret::kHeader, "::1", 200,
       {"text 6281234567890 #4f1c2a7e-8d3b-4c1e-9a6f-2b7d5e0c1a93 at=1732256400 "
        "text=Pak, bansos PKH sy blm cair @ [bulan ini] ~ NIK 3201014101900003"}, nullptr},
      {"MoGetUcs2", Endpoint::kMo, "GET", "mo_get_ucs2.query", nullptr, {}, Secret::kQuery,
       "::ffff:127.0.0.1", 200,
       {"text 6281234567890 #9b2e7c41-0d5a-4f3e-8c1b-6a9d2e4f7b10 at=1732256500 "
        "text=Terima kasih Bu Siti \xF0\x9F\x99\x8F sudah cair"}, nullptr},
      {"MoGetWithoutIdIsHashed", Endpoint::kMo, "GET", "mo_get_no_id.query", nullptr, {},
       Secret::kQuery, kLocal, 200,
       {"text 6281234567890 #<hash> at=1732256600 text=Budi mau tanya bansos"}, nullptr},
      {"MoGetBinary", Endpoint::kMo, "GET", "mo_get_binary.query", nullptr, {}, Secret::kQuery,
       kLocal, 200, {"unsupported 6281234567890 #7a7b at=1732256700"}, "8-bit data"},
      {"MoPostUcs2", Endpoint::kMo, "POST", "id=c0ffee-01&smsc=modem1", "mo_post_ucs2.body",
       {{"content-type", "text/plain; charset=UTF-16BE"}, {"x-kannel-from", "+6281234567890"},
        {"x-kannel-coding", "2"}, {"x-kannel-time", "2024-11-22 06:20:00"}},
       Secret::kQuery, kLocal, 200,
       {"text 6281234567890 #c0ffee-01 at=1732256400 "
        "text=Bu Siti, bansos sudah cair \xF0\x9F\x99\x8F"}, nullptr},
      {"MoPostUtf8QueryFields", Endpoint::kMo, "POST",
       "from=%2B6281234567890&ts=1732256800&id=c0ffee-02&coding=0", "mo_post_utf8.body",
       {{"content-type", "text/plain; charset=\"utf-8\""}}, Secret::kHeader, kLocal, 200,
       {"text 6281234567890 #c0ffee-02 at=1732256800 "
        "text=Budi tanya: bansos cair kapan? \xE2\x80\x94 makasih"}, nullptr},
      {"MoMissingSecret", Endpoint::kMo, "GET", "mo_get_text.query", nullptr, {},
       Secret::kMissing, kLocal, 401, {}, "secret missing"},
      {"MoWrongSecret", Endpoint::kMo, "GET", "mo_get_text.query", nullptr, {}, Secret::kWrong,
       kLocal, 403, {}, "wrong secret"},
      {"MoWrongSecretSameLength", Endpoint::kMo, "POST", "id=c0ffee-01", "mo_post_ucs2.body",
       {{"x-kannel-from", "+6281234567890"}}, Secret::kWrongSameLength, kLocal, 403, {},
       "wrong secret"},
      {"MoWrongIp", Endpoint::kMo, "GET", "mo_get_text.query", nullptr, {}, Secret::kQuery,
       "10.20.0.7", 403, {}, "source address"},
      {"MoNoIp", Endpoint::kMo, "GET", "mo_get_text.query", nullptr, {}, Secret::kQuery, "",
       403, {}, "source address"},
      {"MoPut", Endpoint::kMo, "PUT", "mo_get_text.query", nullptr, {}, Secret::kQuery, kLocal,
       405, {}, "method"},
      {"MoMissingFrom", Endpoint::kMo, "GET", "mo_get_no_from.query", nullptr, {},
       Secret::kQuery, kLocal, 400, {}, "from missing"},
      {"MoAlphanumericFrom", Endpoint::kMo, "GET", "mo_get_alnum_from.query", nullptr, {},
       Secret::kQuery, kLocal, 400, {}, "not a usable phone number"},
      {"DlrDelivered", Endpoint::kDlr, "GET", "type=1", nullptr, {}, Secret::kQuery, kLocal, 200,
       {"delivered #out-7f3a.2 at=1732257000"}, nullptr},
      {"DlrNotDelivered", Endpoint::kDlr, "GET", "type=2", nullptr, {}, Secret::kQuery, kLocal,
       200, {"failed #out-7f3a.2 at=1732257000 code=2 title=not delivered to the phone"}, nullptr},
      {"DlrQueuedAtSmsc", Endpoint::kDlr, "GET", "type=4", nullptr, {}, Secret::kQuery, kLocal,
       200, {"sent #out-7f3a.2 at=1732257000"}, nullptr},
      {"DlrDeliveredToSmsc", Endpoint::kDlr, "GET", "type=8", nullptr, {}, Secret::kQuery, kLocal,
       200, {"sent #out-7f3a.2 at=1732257000"}, nullptr},
      {"DlrRejected", Endpoint::kDlr, "GET", "type=16", nullptr, {}, Secret::kQuery, kLocal, 200,
       {"failed #out-7f3a.2 at=1732257000 code=16 title=rejected by the SMSC"}, nullptr},
      {"DlrRejectedWithReceipt", Endpoint::kDlr, "GET",
       "type=16&reply=id%3A1+sub%3A001+dlvrd%3A000+stat%3AREJECTD+err%3A0B+text%3ABudi+bansos",
       nullptr, {}, Secret::kQuery, kLocal, 200,
       {"failed #out-7f3a.2 at=1732257000 code=16 title=rejected by the SMSC (stat:REJECTD)"},
       nullptr},
      {"DlrUnknownType", Endpoint::kDlr, "GET", "type=32", nullptr, {}, Secret::kQuery, kLocal,
       200, {}, "type 32 ignored"},
      {"DlrMissingType", Endpoint::kDlr, "GET", "type=", nullptr, {}, Secret::kQuery, kLocal, 400,
       {}, "type missing"},
      {"DlrMissingId", Endpoint::kDlr, "GET", "type=1&id=", nullptr, {}, Secret::kQuery, kLocal,
       400, {}, "id missing"},
      {"DlrWrongSecret", Endpoint::kDlr, "GET", "type=1", nullptr, {}, Secret::kWrong, kLocal,
       403, {}, "wrong secret"},
      {"DlrMissingSecret", Endpoint::kDlr, "GET", "type=1", nullptr, {}, Secret::kMissing, kLocal,
       401, {}, "secret missing"},
      {"DlrWrongIp", Endpoint::kDlr, "GET", "type=1", nullptr, {}, Secret::kQuery, "192.0.2.9",
       403, {}, "source address"},
  };
  // clang-format on
  return kCases;
}

std::ostream& operator<<(std::ostream& os, const InboundCase& c) { return os << c.name; }

class Inbound : public ::testing::TestWithParam<InboundCase> {};

IncomingHttp MakeRequest(const InboundCase& c) {
  IncomingHttp request;
  request.method = c.method;
  request.path = c.endpoint == Endpoint::kMo ? "/kannel/dinsos/mo" : "/kannel/dinsos/dlr";
  const std::string query = c.query;
  request.query = query.ends_with(".query") ? Fixture(query) : query;
  // A DLR query starts with our id part the way DlrUrl() builds it; rows add or override.
  if (c.endpoint == Endpoint::kDlr) request.query = request.query + "&" + kDlrOk;
  if (c.body_fixture != nullptr) request.body = Fixture(c.body_fixture);
  request.headers = c.headers;
  request.remote_address = c.remote;
  std::string secret = kSecret;
  if (c.secret == Secret::kWrong) secret = "guess";
  if (c.secret == Secret::kWrongSameLength) secret.back() = secret.back() == 'x' ? 'y' : 'x';
  if (c.secret == Secret::kHeader) {
    request.headers.emplace_back(std::string(kSecretHeader), secret);
  } else if (c.secret != Secret::kMissing) {
    request.query += "&secret=" + secret;
  }
  return request;
}

TEST_P(Inbound, Parses) {
  const InboundCase& c = GetParam();
  const IncomingHttp request = MakeRequest(c);
  const ParsedRequest got = c.endpoint == Endpoint::kMo ? ParseMo(TestConfig(), request)
                                                        : ParseDlr(TestConfig(), request);
  EXPECT_EQ(got.http_status, c.status);
  // Kannel may send a non-empty answer to the citizen as an SMS: never give it one.
  EXPECT_TRUE(got.response_body.empty());
  std::vector<std::string> items;
  for (const auto& m : got.messages) items.push_back(Summarise(m));
  for (const auto& s : got.statuses) items.push_back(Summarise(s));
  EXPECT_EQ(items, c.items);
  if (c.note == nullptr) {
    EXPECT_TRUE(got.notes.empty()) << got.notes.front();
  } else {
    ASSERT_EQ(got.notes.size(), 1U);
    EXPECT_NE(got.notes[0].find(c.note), std::string::npos) << got.notes[0];
  }
  for (const auto& note : got.notes) ExpectSafeForLogs(note);
  for (const auto& s : got.statuses) ExpectSafeForLogs(s.error_title + " " + s.error_code);
  for (const auto& m : got.messages) {
    EXPECT_EQ(m.raw.find(kSecret), std::string::npos) << "secret stored in raw";
    EXPECT_FALSE(m.raw.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Kannel, Inbound, ::testing::ValuesIn(InboundCases()),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(Inbound, HashedIdIsStableAndDependsOnText) {
  InboundCase c = InboundCases()[3];
  ASSERT_STREQ(c.name, "MoGetWithoutIdIsHashed");
  const ParsedRequest first = ParseMo(TestConfig(), MakeRequest(c));
  const ParsedRequest retry = ParseMo(TestConfig(), MakeRequest(c));
  ASSERT_EQ(first.messages.size(), 1U);
  ASSERT_EQ(retry.messages.size(), 1U);
  EXPECT_EQ(first.messages[0].provider_id, retry.messages[0].provider_id);
  IncomingHttp other = MakeRequest(c);
  other.query.replace(other.query.find("Budi"), 4, "Bude");
  const ParsedRequest changed = ParseMo(TestConfig(), other);
  ASSERT_EQ(changed.messages.size(), 1U);
  EXPECT_NE(first.messages[0].provider_id, changed.messages[0].provider_id);
}

TEST(Inbound, AllowListReplacesLoopback) {
  Config config = TestConfig();
  config.allowed_sources = {"10.20.0.7"};
  EXPECT_TRUE(IsAllowedSource(config, "10.20.0.7"));
  EXPECT_TRUE(IsAllowedSource(config, "::ffff:10.20.0.7"));
  EXPECT_FALSE(IsAllowedSource(config, "127.0.0.1"));
  EXPECT_FALSE(IsAllowedSource(config, "10.20.0.70"));
  EXPECT_TRUE(IsAllowedSource(TestConfig(), "127.0.0.1"));
  EXPECT_FALSE(IsAllowedSource(TestConfig(), "128.0.0.1"));
}

TEST(Inbound, EveryFixtureIsUsed) {
  std::set<std::string> used;
  for (const auto& c : InboundCases()) {
    if (std::string(c.query).ends_with(".query")) used.insert(c.query);
    if (c.body_fixture != nullptr) used.insert(c.body_fixture);
  }
  for (const auto& entry : std::filesystem::directory_iterator(
           ::satupintu::testing::SourcePath("adapters/kannel/testdata"))) {
    const std::string name = entry.path().filename().string();
    EXPECT_TRUE(used.contains(name)) << "unused fixture " << name;
  }
}

}  // namespace
}  // namespace satupintu::adapters::kannel
