#include "inbound/journal_record.hpp"

#include <gtest/gtest.h>

namespace satupintu::inbound {
namespace {

using adapters::DeliveryState;
using adapters::InboundMessage;
using adapters::MessageKind;
using adapters::StatusUpdate;

InboundMessage Message(MessageKind kind) {
  InboundMessage m;
  m.provider_id = "wamid.1";
  m.address = "6281234567890";
  m.kind = kind;
  m.text = "PKH sy gk cair";
  m.choice_id = "opt-2";
  m.contact_phone = "6285700000000";
  m.reply_to = "wamid.0";
  m.language = "id";
  m.sent_at_s = 1'760'000'000;
  m.raw = R"({"id":"wamid.1"})";
  m.callback_query_id = "cbq-9";
  return m;
}

TEST(JournalRecordTest, EveryMessageKindReadsBackAsWritten) {
  for (auto kind : {MessageKind::kText, MessageKind::kButton, MessageKind::kContact,
                    MessageKind::kMedia, MessageKind::kLocation, MessageKind::kUnsupported}) {
    adapters::ParsedRequest parsed;
    parsed.messages.push_back(Message(kind));
    const auto records = JournalRecords("wa", parsed);
    ASSERT_EQ(records.size(), 1U);
    EXPECT_EQ(records[0].channel, "wa");
    EXPECT_EQ(records[0].provider_id, "wamid.1");
    auto entry = ParseJournalPayload(records[0].payload);
    ASSERT_TRUE(entry.ok()) << entry.error().message;
    const auto* m = std::get_if<InboundMessage>(&entry.value());
    ASSERT_NE(m, nullptr);
    const InboundMessage want = Message(kind);
    EXPECT_EQ(m->kind, kind);
    EXPECT_EQ(m->address, want.address);
    EXPECT_EQ(m->text, want.text);
    EXPECT_EQ(m->choice_id, want.choice_id);
    EXPECT_EQ(m->contact_phone, want.contact_phone);
    EXPECT_EQ(m->reply_to, want.reply_to);
    EXPECT_EQ(m->language, want.language);
    EXPECT_EQ(m->sent_at_s, want.sent_at_s);
    EXPECT_EQ(m->raw, want.raw);
    EXPECT_EQ(m->callback_query_id, want.callback_query_id);
  }
}

TEST(JournalRecordTest, StatusesAreKeyedByMessageAndStateAndReadBack) {
  adapters::ParsedRequest parsed;
  parsed.messages.push_back(Message(MessageKind::kText));
  for (auto state : {DeliveryState::kSent, DeliveryState::kDelivered, DeliveryState::kRead,
                     DeliveryState::kFailed}) {
    parsed.statuses.push_back({"out-7", state, "131047", "Re-engagement message", 1'760'000'100,
                               state == DeliveryState::kFailed});
  }
  const auto records = JournalRecords("wa", parsed);
  ASSERT_EQ(records.size(), 5U);
  EXPECT_EQ(records[1].provider_id, "status:out-7:sent");
  EXPECT_EQ(records[2].provider_id, "status:out-7:delivered");
  EXPECT_EQ(records[3].provider_id, "status:out-7:read");
  EXPECT_EQ(records[4].provider_id, "status:out-7:failed");
  for (std::size_t i = 1; i < records.size(); ++i) {
    auto entry = ParseJournalPayload(records[i].payload);
    ASSERT_TRUE(entry.ok());
    const auto* s = std::get_if<StatusUpdate>(&entry.value());
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->state, parsed.statuses[i - 1].state);
    EXPECT_EQ(s->provider_message_id, "out-7");
    EXPECT_EQ(s->error_code, "131047");
    EXPECT_EQ(s->error_title, "Re-engagement message");
    EXPECT_EQ(s->at_s, 1'760'000'100);
    EXPECT_EQ(s->outside_window, s->state == DeliveryState::kFailed);
  }
}

TEST(JournalRecordTest, InvalidUtf8IsReplacedNotFatal) {
  adapters::ParsedRequest parsed;
  parsed.messages.push_back(Message(MessageKind::kText));
  parsed.messages[0].text = std::string("bad \xff byte");
  const auto records = JournalRecords("tg", parsed);
  auto entry = ParseJournalPayload(records.at(0).payload);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(std::get<InboundMessage>(entry.value()).text, "bad \xEF\xBF\xBD byte");
}

TEST(JournalRecordTest, RowsWrittenBeforeAFieldExistedReadItAsEmpty) {
  auto entry =
      ParseJournalPayload(R"({"type":"message","kind":"text","address":"628","text":"x"})");
  ASSERT_TRUE(entry.ok());
  const auto& m = std::get<InboundMessage>(entry.value());
  EXPECT_EQ(m.text, "x");
  EXPECT_EQ(m.callback_query_id, "");
  EXPECT_EQ(m.sent_at_s, 0);
}

TEST(JournalRecordTest, WhatThisFileDoesNotWriteIsRefusedWithAReason) {
  const std::pair<const char*, const char*> cases[] = {
      {"not json", "payload is not a JSON object"},
      {"[1,2]", "payload is not a JSON object"},
      {R"({"type":"reaction"})", "unknown type"},
      {R"({"type":"status","state":"bounced"})", "unknown status"},
  };
  for (const auto& [payload, why] : cases) {
    auto entry = ParseJournalPayload(payload);
    ASSERT_FALSE(entry.ok()) << payload;
    EXPECT_EQ(entry.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_EQ(entry.error().message, why);
  }
}

}  // namespace
}  // namespace satupintu::inbound
