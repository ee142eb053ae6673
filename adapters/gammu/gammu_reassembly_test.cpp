// Inbound tables: UDH parsing, SMSD timestamps and reassembly of inbox rows into messages.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/gammu/reassembly.hpp"
#include "adapters/gammu/sql.hpp"
#include "adapters/gammu/udh.hpp"

namespace satupintu::adapters::gammu {
namespace {

struct UdhCase {
  const char* name;
  const char* udh;
  std::optional<ConcatInfo> expected;
};

TEST(GammuUdh, Table) {
  const std::vector<UdhCase> cases = {
      {"Ref8", "050003CC0301", ConcatInfo{0xCC, 3, 1, false}},
      {"Ref8Lowercase", "050003cc0302", ConcatInfo{0xCC, 3, 2, false}},
      {"Ref16", "060804BEEF0302", ConcatInfo{0xBEEF, 3, 2, true}},
      {"AfterPortElement", "0B05040B8423F00003CC0201", ConcatInfo{0xCC, 2, 1, false}},
      {"Empty", "", std::nullopt},
      {"PortsOnly", "0605040B8423F0", std::nullopt},
      {"SeqAboveTotal", "050003CC0304", std::nullopt},
      {"SeqZero", "050003CC0300", std::nullopt},
      {"TotalZero", "050003CC0000", std::nullopt},
      {"Truncated", "050003CC02", std::nullopt},
      {"ElementPastHeader", "040003CC0201", std::nullopt},
      {"OddLength", "050003CC030", std::nullopt},
      {"NotHex", "05000ZCC0301", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto got = ParseConcat(c.udh);
    ASSERT_EQ(got.has_value(), c.expected.has_value());
    if (!got) continue;
    EXPECT_EQ(got->ref, c.expected->ref);
    EXPECT_EQ(got->total, c.expected->total);
    EXPECT_EQ(got->seq, c.expected->seq);
    EXPECT_EQ(got->wide_ref, c.expected->wide_ref);
  }
}

TEST(GammuTime, ParsesSqliteDatetimeWithOffset) {
  EXPECT_EQ(ParseSmsdTime("1970-01-01 00:00:00", std::chrono::seconds(0)), 0);
  EXPECT_EQ(ParseSmsdTime("2026-11-22 14:20:05", std::chrono::seconds(0)), 1795357205);
  // WIB: 14:20 in Jakarta is 07:20 UTC.
  EXPECT_EQ(ParseSmsdTime("2026-11-22 14:20:05", std::chrono::hours(7)), 1795357205 - 7 * 3600);
  EXPECT_EQ(ParseSmsdTime("2026-11-22T14:20:05.123", std::chrono::seconds(0)), 1795357205);
  EXPECT_EQ(ParseSmsdTime("2026-02-30 00:00:00", std::chrono::seconds(0)), std::nullopt);
  EXPECT_EQ(ParseSmsdTime("2026-11-22 24:00:00", std::chrono::seconds(0)), std::nullopt);
  EXPECT_EQ(ParseSmsdTime("20261122T142005", std::chrono::seconds(0)), std::nullopt);
  EXPECT_EQ(ParseSmsdTime("", std::chrono::seconds(0)), std::nullopt);
}

TEST(GammuSql, MarkProcessedPlaceholders) {
  EXPECT_EQ(sql::MarkProcessedSql(1),
            "UPDATE inbox SET Processed = 'true', Text = '', TextDecoded = '' WHERE ID IN (?1)");
  EXPECT_EQ(sql::MarkProcessedSql(3),
            "UPDATE inbox SET Processed = 'true', Text = '', TextDecoded = '' WHERE ID IN (?1, ?2,"
            " ?3)");
  EXPECT_EQ(sql::MarkProcessedSql(0), sql::MarkProcessedSql(1));
  EXPECT_EQ(sql::MarkProcessedSql(100000), sql::MarkProcessedSql(sql::kMaxIdsPerUpdate));
}

constexpr const char* kT0 = "2026-11-22 14:00:00";
constexpr const char* kAni = "+6281234567890";
constexpr const char* kBudi = "+6285712345678";
constexpr const char* kCitra = "6287811112222";

InboxRow Row(std::int64_t id, const char* sender, const char* text, const char* udh = "",
             const char* at = kT0, const char* coding = "Default_No_Compression") {
  return InboxRow{id, at, sender, text, coding, udh, "+62816124"};
}

struct Expected {
  const char* address;
  const char* text;
  std::vector<std::int64_t> ids;
  bool partial = false;
  int parts_received = 1;
  MessageKind kind = MessageKind::kText;
};

struct ReassemblyCase {
  const char* name;
  std::vector<InboxRow> rows;
  std::int64_t seconds_after_t0;
  std::vector<Expected> messages;
  std::vector<std::int64_t> pending;
  std::vector<std::int64_t> skipped;
};

std::vector<ReassemblyCase> Cases() {
  return {
      {"InterleavedSendersAndSingle",
       {Row(1, kAni, "Saya mau ", "0500032A0301"), Row(2, kBudi, "Halo ", "050003070201"),
        Row(3, "081234567890", "daftar ", "0500032A0302"), Row(4, kCitra, "Cek status"),
        Row(5, kBudi, "admin", "050003070202"), Row(6, kAni, "PKH", "0500032A0303")},
       60,
       {{"6281234567890", "Saya mau daftar PKH", {1, 3, 6}, false, 3},
        {"6285712345678", "Halo admin", {2, 5}, false, 2},
        {"6287811112222", "Cek status", {4}, false, 1}},
       {},
       {}},
      {"OutOfOrder",
       {Row(10, kAni, "c", "050003110303"), Row(11, kAni, "a", "050003110301"),
        Row(12, kAni, "b", "050003110302")},
       60,
       {{"6281234567890", "abc", {10, 11, 12}, false, 3}},
       {},
       {}},
      {"DuplicatePart",
       {Row(20, kAni, "satu ", "050003120201"), Row(21, kAni, "satu ", "050003120201"),
        Row(22, kAni, "dua", "050003120202")},
       60,
       {{"6281234567890", "satu dua", {20, 21, 22}, false, 2}},
       {},
       {}},
      {"SixteenBitRefNotMixedWithEightBit",
       {Row(30, kAni, "enam ", "060804BEEF0201"), Row(31, kAni, "lain", "050003EF0201"),
        Row(32, kAni, "belas", "060804BEEF0202")},
       60,
       {{"6281234567890", "enam belas", {30, 32}, false, 2}},
       {31},
       {}},
      {"IncompleteKept",
       {Row(40, kAni, "a", "050003130301"), Row(41, kAni, "c", "050003130303")},
       899,
       {},
       {40, 41},
       {}},
      {"IncompleteGivenUpAfterTimeout",
       {Row(40, kAni, "a", "050003130301"), Row(41, kAni, "c", "050003130303")},
       900,
       {{"6281234567890", "ac", {40, 41}, true, 2}},
       {},
       {}},
      {"AgeIsOldestPart",
       {Row(42, kAni, "a", "050003140201", "2026-11-22 13:45:00"),
        Row(43, kBudi, "x", "050003140201", "2026-11-22 13:59:00")},
       0,
       {{"6281234567890", "a", {42}, true, 1}},
       {43},
       {}},
      {"UnparseableTimeGivesUp",
       {Row(44, kAni, "a", "050003150201", "garbage")},
       0,
       {{"6281234567890", "a", {44}, true, 1}},
       {},
       {}},
      // Found by tests/fuzz/gammu_fuzz: a part dated years ahead was pending until then.
      {"FarFutureTimeGivesUp",
       {Row(45, kAni, "a", "050003180201", "2826-11-22 14:00:00")},
       0,
       {{"6281234567890", "a", {45}, true, 1}},
       {},
       {}},
      {"ReferenceReusedWithOtherText",
       {Row(50, kAni, "A", "050003160201"), Row(51, kAni, "B", "050003160202"),
        Row(52, kAni, "C", "050003160201"), Row(53, kAni, "D", "050003160202")},
       60,
       {{"6281234567890", "AB", {50, 51}, false, 2}, {"6281234567890", "CD", {52, 53}, false, 2}},
       {},
       {}},
      {"AlphanumericSenderSkipped",
       {Row(60, "TELKOMSEL", "Promo"), Row(61, kAni, "Halo")},
       60,
       {{"6281234567890", "Halo", {61}}},
       {},
       {60}},
      {"EightBitIsUnsupported",
       {Row(70, kAni, "", "0605040B8423F0", kT0, "8bit")},
       60,
       {{"6281234567890", "", {70}, false, 1, MessageKind::kUnsupported}},
       {},
       {}},
      {"SinglePartConcatIsSingle",
       {Row(80, kAni, "sendiri", "050003170101")},
       60,
       {{"6281234567890", "sendiri", {80}}},
       {},
       {}},
  };
}

TEST(GammuReassembly, Table) {
  Config config;
  const std::int64_t t0 = *ParseSmsdTime(kT0, config.smsd_utc_offset);
  for (const auto& c : Cases()) {
    SCOPED_TRACE(c.name);
    auto rows = c.rows;
    // SMSD may return rows in any order; the result must not depend on it.
    std::reverse(rows.begin(), rows.end());
    const Reassembly got = Reassemble(config, rows, t0 + c.seconds_after_t0);
    ASSERT_EQ(got.messages.size(), c.messages.size());
    std::vector<std::int64_t> processed = c.skipped;
    for (std::size_t i = 0; i < c.messages.size(); ++i) {
      const auto& want = c.messages[i];
      const auto& have = got.messages[i];
      EXPECT_EQ(have.message.address, want.address);
      EXPECT_EQ(have.message.text, want.text);
      EXPECT_EQ(have.message.kind, want.kind);
      EXPECT_EQ(have.inbox_ids, want.ids);
      EXPECT_EQ(have.partial, want.partial);
      EXPECT_EQ(have.parts_received, want.parts_received);
      EXPECT_TRUE(
          have.message.provider_id.starts_with("gammu:" + std::to_string(want.ids[0]) + ":"));
      processed.insert(processed.end(), want.ids.begin(), want.ids.end());
    }
    std::sort(processed.begin(), processed.end());
    EXPECT_EQ(got.ProcessedIds(), processed);
    EXPECT_EQ(got.pending_ids, c.pending);
    EXPECT_EQ(got.skipped_ids, c.skipped);
  }
}

TEST(GammuReassembly, ProviderIdStableAcrossRereads) {
  Config config;
  const std::vector<InboxRow> rows = {Row(7, kAni, "a", "050003010201"),
                                      Row(9, kAni, "b", "050003010202")};
  const auto first = Reassemble(config, rows, 0);
  const auto again = Reassemble(config, {rows[1], rows[0]}, 0);
  ASSERT_EQ(first.messages.size(), 1U);
  ASSERT_EQ(again.messages.size(), 1U);
  EXPECT_EQ(first.messages[0].message.provider_id, again.messages[0].message.provider_id);
  // A recreated database that reuses ID 7 for another message must not look like a repeat.
  auto other = rows;
  other[0].receiving_date_time = "2026-12-01 08:00:00";
  const auto recreated = Reassemble(config, other, 0);
  ASSERT_EQ(recreated.messages.size(), 1U);
  EXPECT_NE(recreated.messages[0].message.provider_id, first.messages[0].message.provider_id);
}

TEST(GammuReassembly, SentAtAndRawKeepPersonalDataOutOfNotes) {
  Config config;
  config.smsd_utc_offset = std::chrono::hours(7);
  const auto got = Reassemble(config, {Row(5, kAni, "a&b=c\n"), Row(6, "TSEL", "promo")}, 0);
  ASSERT_EQ(got.messages.size(), 1U);
  EXPECT_EQ(got.messages[0].message.sent_at_s, *ParseSmsdTime(kT0, std::chrono::hours(7)));
  EXPECT_NE(got.messages[0].message.raw.find("TextDecoded=a%26b%3Dc%0A"), std::string::npos);
  EXPECT_EQ(got.messages[0].message.raw.find('\n'), std::string::npos);
  for (const auto& note : got.notes) {
    EXPECT_EQ(note.find("TSEL"), std::string::npos);
    EXPECT_EQ(note.find("promo"), std::string::npos);
  }
}

}  // namespace
}  // namespace satupintu::adapters::gammu
