// Outbound tables: OutboundMessage -> outbox rows, and sentitems.Status -> DeliveryState.

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "adapters/gammu/outbox.hpp"
#include "adapters/gammu/status.hpp"

namespace satupintu::adapters::gammu {
namespace {

struct WantPart {
  std::string text;
  const char* udh;
};

struct OutboxCase {
  const char* name;
  Config config;
  OutboundMessage message;
  // Expected: error substring, or the rows.
  const char* error;
  const char* destination;
  const char* coding;
  const char* delivery_report;
  const char* sender_id;
  std::vector<WantPart> parts;
};

Config WithMaxParts(std::size_t max_parts) {
  Config config;
  config.max_parts = max_parts;
  return config;
}

Config NoReportOnPhone2() {
  Config config;
  config.delivery_report = false;
  config.phone_id = "modem2";
  return config;
}

OutboundMessage Msg(const char* address, std::string text, const char* id = "out-1") {
  OutboundMessage message;
  message.id = id;
  message.address = address;
  message.text = std::move(text);
  return message;
}

// "aa..." cut by Split at 153 septets because there is no break opportunity.
const std::string kLongGsm(400, 'a');
// U+0101 is outside GSM-7: 90 UTF-16 units, parts of 67 and 23.
std::string LongUcs2() {
  std::string text;
  for (int i = 0; i < 90; ++i) text += "\xC4\x81";
  return text;
}
std::string Ucs2Run(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += "\xC4\x81";
  return text;
}

std::vector<OutboxCase> Cases() {
  // One case per row reads as a table; the formatter would give each field its own line.
  // clang-format off
  return {
      {"Gsm7Single", Config{}, Msg("0812-3456-7890", "Pengajuan Anda diterima."), nullptr,
       "+6281234567890", "Default_No_Compression", "yes", "",
       {{"Pengajuan Anda diterima.", ""}}},
      {"SmartSubstitutionKeepsGsm7", Config{}, Msg("+6281234567890", "Terima kasih\u2026 \u201cOK\u201d"),
       nullptr, "+6281234567890", "Default_No_Compression", "yes", "",
       {{"Terima kasih... \"OK\"", ""}}},
      {"Gsm7ThreeParts", Config{}, Msg("6281234567890", kLongGsm), nullptr, "+6281234567890",
       "Default_No_Compression", "yes", "",
       {{std::string(153, 'a'), "0500032A0301"},
        {std::string(153, 'a'), "0500032A0302"},
        {std::string(94, 'a'), "0500032A0303"}}},
      {"Ucs2TwoParts", Config{}, Msg("081234567890", LongUcs2()), nullptr, "+6281234567890",
       "Unicode_No_Compression", "yes", "",
       {{Ucs2Run(67), "0500032A0201"}, {Ucs2Run(23), "0500032A0202"}}},
      {"ForeignNumberNoReportPinnedPhone", NoReportOnPhone2(), Msg("+65 9123 4567", "Hi"), nullptr,
       "+6591234567", "Default_No_Compression", "default", "modem2", {{"Hi", ""}}},
      {"TelegramAddress", Config{}, Msg("tg:12345", "Hi"), "not a phone number", "", "", "", "", {}},
      {"ShortNumber", Config{}, Msg("12", "Hi"), "not a phone number", "", "", "", "", {}},
      {"EmptyAddress", Config{}, Msg("", "Hi"), "not a phone number", "", "", "", "", {}},
      {"EmptyId", Config{}, Msg("081234567890", "Hi", ""), "CreatorID", "", "", "", "", {}},
      {"EmptyText", Config{}, Msg("081234567890", ""), "empty", "", "", "", "", {}},
      {"InvalidUtf8", Config{}, Msg("081234567890", "Hi \xFF"), "UTF-8", "", "", "", "", {}},
      {"OverMaxParts", WithMaxParts(2), Msg("081234567890", kLongGsm), "needs 3 parts, limit is 2",
       "", "", "", "", {}},
  };
  // clang-format on
}

TEST(GammuOutbox, Table) {
  for (const auto& c : Cases()) {
    SCOPED_TRACE(c.name);
    const OutboxBuild got = BuildOutbox(c.config, c.message, 0x2A);
    if (c.error != nullptr) {
      EXPECT_FALSE(got.ok());
      EXPECT_NE(got.error.find(c.error), std::string::npos) << got.error;
      // Logged as is: neither the number nor the text may appear.
      if (!c.message.address.empty()) {
        EXPECT_EQ(got.error.find(c.message.address), std::string::npos);
      }
      continue;
    }
    ASSERT_TRUE(got.ok()) << got.error;
    const OutboxMessage& rows = *got.outbox;
    ASSERT_EQ(static_cast<std::size_t>(rows.parts()), c.parts.size());
    EXPECT_EQ(rows.first.destination_number, c.destination);
    EXPECT_EQ(rows.first.coding, c.coding);
    EXPECT_EQ(rows.first.creator_id, c.message.id);
    EXPECT_EQ(rows.first.delivery_report, c.delivery_report);
    EXPECT_EQ(rows.first.sender_id, c.sender_id);
    EXPECT_EQ(rows.first.multi_part, c.parts.size() > 1 ? "true" : "false");
    EXPECT_EQ(rows.first.text_decoded, c.parts[0].text);
    EXPECT_EQ(rows.first.udh, c.parts[0].udh);
    for (std::size_t i = 1; i < c.parts.size(); ++i) {
      const OutboxMultipartRow& part = rows.more[i - 1];
      EXPECT_EQ(part.sequence_position, static_cast<int>(i + 1));
      EXPECT_EQ(part.coding, c.coding);
      EXPECT_EQ(part.text_decoded, c.parts[i].text);
      EXPECT_EQ(part.udh, c.parts[i].udh);
    }
  }
}

TEST(GammuOutbox, PartRowTable) {
  Config config;
  config.phone_id = "modem1";
  const std::string gsm153(153, 'a');
  const std::string ucs67 = std::string(65, 'a') + "\xC4\x81";  // 67 units, UCS-2
  struct Case {
    const char* name;
    std::string creator, address, text;
    int seq, total;
    std::string coding, udh, error;
  };
  const std::vector<Case> cases = {
      {"single", "sp:r#1", "0812-3456-7890", "Halo", 1, 1, std::string(kCodingGsm7), "", ""},
      {"part 2 of 3", "sp:r#2", "+6281234567890", gsm153, 2, 3, std::string(kCodingGsm7),
       "0500037F0302", ""},
      {"ucs2 part", "sp:r#1", "6281234567890", ucs67, 1, 2, std::string(kCodingUcs2),
       "0500037F0201", ""},
      {"gsm part too long", "sp:r#1", "6281234567890", gsm153 + "a", 1, 2, "", "",
       "part has 154 units, limit is 153"},
      {"single may take 160", "sp:r#1", "6281234567890", std::string(160, 'a'), 1, 1,
       std::string(kCodingGsm7), "", ""},
      {"no creator", "", "6281234567890", "x", 1, 1, "", "", "creator id is empty"},
      {"telegram address", "sp:r#1", "tg:42", "x", 1, 1, "", "", "address is not a phone"},
      {"seq above total", "sp:r#1", "6281234567890", "x", 3, 2, "", "", "part 3 of 2"},
      {"empty", "sp:r#1", "6281234567890", "", 1, 1, "", "", "text is empty"},
      {"bad utf8", "sp:r#1", "6281234567890", "\xFF", 1, 1, "", "", "not UTF-8"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto built = BuildPartRow(config, c.creator, c.address, c.text, c.seq, c.total, 0x7F);
    if (!c.error.empty()) {
      ASSERT_FALSE(built.ok());
      EXPECT_NE(built.error.find(c.error), std::string::npos) << built.error;
      EXPECT_EQ(built.error.find("812"), std::string::npos) << "no number in errors";
      continue;
    }
    ASSERT_TRUE(built.ok()) << built.error;
    EXPECT_EQ(built.row->destination_number, "+6281234567890");
    EXPECT_EQ(built.row->coding, c.coding);
    EXPECT_EQ(built.row->udh, c.udh);
    EXPECT_EQ(built.row->multi_part, "false");
    EXPECT_EQ(built.row->creator_id, c.creator);
    EXPECT_EQ(built.row->sender_id, "modem1");
    EXPECT_EQ(built.row->delivery_report, "yes");
    EXPECT_EQ(built.row->text_decoded, c.text);
  }
}

TEST(GammuOutbox, ConcatRefIsStableAndSpread) {
  EXPECT_EQ(ConcatRef("msg-42"), ConcatRef("msg-42"));
  std::set<int> refs;
  for (int i = 0; i < 200; ++i) refs.insert(ConcatRef("msg-" + std::to_string(i)));
  EXPECT_GT(refs.size(), 100U);
}

TEST(GammuConfig, Validate) {
  EXPECT_EQ(ValidateConfig(Config{}), "");
  EXPECT_NE(ValidateConfig(WithMaxParts(0)), "");
  EXPECT_NE(ValidateConfig(WithMaxParts(256)), "");
  Config config;
  config.partial_timeout = std::chrono::seconds(0);
  EXPECT_NE(ValidateConfig(config), "");
  config = Config{};
  config.smsd_utc_offset = std::chrono::hours(15);
  EXPECT_NE(ValidateConfig(config), "");
  config = Config{};
  config.phone_id = "modem 1";
  EXPECT_NE(ValidateConfig(config), "");
}

TEST(GammuStatus, MapTable) {
  const std::vector<std::pair<const char*, std::optional<DeliveryState>>> cases = {
      {"SendingOK", DeliveryState::kSent},
      {"SendingOKNoReport", DeliveryState::kSent},
      {"DeliveryPending", DeliveryState::kSent},
      {"DeliveryUnknown", DeliveryState::kSent},
      {"DeliveryOK", DeliveryState::kDelivered},
      {"SendingError", DeliveryState::kFailed},
      {"DeliveryFailed", DeliveryState::kFailed},
      {"Error", DeliveryState::kFailed},
      {"Reserved", std::nullopt},
      {"sendingok", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& [status, state] : cases) {
    SCOPED_TRACE(status);
    EXPECT_EQ(MapStatus(status), state);
  }
}

SentItemRow Sent(int seq, const char* status, int status_error = -1) {
  return SentItemRow{17, seq, status, "+6281234567890", "out-9", status_error, ""};
}

struct AggregateCase {
  const char* name;
  std::vector<SentItemRow> rows;
  int parts_total;
  std::optional<DeliveryState> state;
  const char* error_code;
};

TEST(GammuStatus, AggregateTable) {
  const std::vector<AggregateCase> cases = {
      {"NothingYet", {}, 2, std::nullopt, ""},
      {"OnlyUnknownStatus", {Sent(1, "Reserved")}, 1, std::nullopt, ""},
      {"BothSent", {Sent(1, "SendingOK"), Sent(2, "SendingOK")}, 2, DeliveryState::kSent, ""},
      {"OneOfTwoDelivered",
       {Sent(1, "DeliveryOK"), Sent(2, "SendingOK")},
       2,
       DeliveryState::kSent,
       ""},
      {"SecondPartNotSentYet", {Sent(1, "DeliveryOK")}, 2, DeliveryState::kSent, ""},
      {"AllDelivered",
       {Sent(1, "DeliveryOK"), Sent(2, "DeliveryOK")},
       2,
       DeliveryState::kDelivered,
       ""},
      {"OnePartFailed",
       {Sent(1, "DeliveryOK"), Sent(2, "DeliveryFailed", 70)},
       2,
       DeliveryState::kFailed,
       "70"},
      {"SendingError", {Sent(1, "SendingError")}, 1, DeliveryState::kFailed, "-1"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto got = AggregateStatus(c.rows, c.parts_total);
    ASSERT_EQ(got.has_value(), c.state.has_value());
    if (!got) continue;
    EXPECT_EQ(got->state, *c.state);
    EXPECT_EQ(got->provider_message_id, "out-9");
    EXPECT_EQ(got->error_code, c.error_code);
  }
}

}  // namespace
}  // namespace satupintu::adapters::gammu
