// The SQL in sql.hpp against the schema Debian's gammu-smsd ships: a wrong column name or a
// value outside a CHECK constraint fails here, not on the first real SMS.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/gammu/outbox.hpp"
#include "adapters/gammu/reassembly.hpp"
#include "adapters/gammu/sql.hpp"
#include "adapters/gammu/status.hpp"

namespace satupintu::adapters::gammu {
namespace {

using Db = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;
using Stmt = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

Stmt Prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  EXPECT_EQ(rc, SQLITE_OK) << sqlite3_errmsg(db) << " in " << sql;
  return Stmt(stmt, &sqlite3_finalize);
}

void Bind(sqlite3_stmt* stmt, int index, std::string_view value) {
  ASSERT_EQ(sqlite3_bind_text(stmt, index, value.data(), static_cast<int>(value.size()),
                              SQLITE_TRANSIENT),
            SQLITE_OK);
}

std::string Column(sqlite3_stmt* stmt, int index) {
  const auto* text = sqlite3_column_text(stmt, index);
  return text == nullptr ? std::string() : reinterpret_cast<const char*>(text);
}

void Exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error != nullptr ? error : "") << " in " << sql;
  sqlite3_free(error);
}

class GammuSchema : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ifstream in(SATUPINTU_GAMMU_SCHEMA);
    if (!in) GTEST_SKIP() << "gammu-smsd is not installed: " << SATUPINTU_GAMMU_SCHEMA;
    std::stringstream schema;
    schema << in.rdbuf();
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(":memory:", &raw), SQLITE_OK);
    db_.reset(raw);
    Exec(db_.get(), schema.str());
  }

  // What the gateway does with an OutboxMessage: one transaction, so SMSD never sees part 1
  // without its partners.
  std::int64_t InsertOutbox(const OutboxMessage& rows) {
    Exec(db_.get(), "BEGIN IMMEDIATE");
    auto stmt = Prepare(db_.get(), sql::kInsertOutbox);
    const OutboxRow& r = rows.first;
    const std::string_view values[] = {
        r.destination_number, r.text_decoded, r.coding,          r.udh,
        r.multi_part,         r.creator_id,   r.delivery_report, r.sender_id};
    for (int i = 0; i < 8; ++i) Bind(stmt.get(), i + 1, values[i]);
    EXPECT_EQ(sqlite3_step(stmt.get()), SQLITE_DONE) << sqlite3_errmsg(db_.get());
    const std::int64_t id = sqlite3_last_insert_rowid(db_.get());
    for (const auto& part : rows.more) {
      auto multi = Prepare(db_.get(), sql::kInsertOutboxMultipart);
      sqlite3_bind_int64(multi.get(), 1, id);
      sqlite3_bind_int(multi.get(), 2, part.sequence_position);
      Bind(multi.get(), 3, part.text_decoded);
      Bind(multi.get(), 4, part.coding);
      Bind(multi.get(), 5, part.udh);
      EXPECT_EQ(sqlite3_step(multi.get()), SQLITE_DONE) << sqlite3_errmsg(db_.get());
    }
    Exec(db_.get(), "COMMIT");
    return id;
  }

  std::vector<InboxRow> SelectInbox() {
    std::vector<InboxRow> rows;
    auto stmt = Prepare(db_.get(), sql::kSelectUnprocessedInbox);
    while (sqlite3_step(stmt.get()) == SQLITE_ROW) {
      rows.push_back(InboxRow{sqlite3_column_int64(stmt.get(), 0), Column(stmt.get(), 1),
                              Column(stmt.get(), 2), Column(stmt.get(), 3), Column(stmt.get(), 4),
                              Column(stmt.get(), 5), Column(stmt.get(), 6)});
    }
    return rows;
  }

  std::int64_t Count(const std::string& sql, std::string_view param = {}) {
    auto stmt = Prepare(db_.get(), sql);
    if (!param.empty()) Bind(stmt.get(), 1, param);
    EXPECT_EQ(sqlite3_step(stmt.get()), SQLITE_ROW);
    return sqlite3_column_int64(stmt.get(), 0);
  }

  Db db_{nullptr, &sqlite3_close};
};

TEST_F(GammuSchema, OutboxRowsFitTheSchema) {
  OutboundMessage message;
  message.id = "out-77";
  message.address = "081234567890";
  message.text = std::string(200, 'b') + " \xC4\x81";  // UCS-2, 4 parts
  const auto built = BuildOutbox(Config{}, message, ConcatRef(message.id));
  ASSERT_TRUE(built.ok()) << built.error;
  ASSERT_EQ(built.outbox->parts(), 4);
  const std::int64_t id = InsertOutbox(*built.outbox);

  auto stmt = Prepare(db_.get(),
                      "SELECT DestinationNumber, Coding, MultiPart, CreatorID, DeliveryReport, "
                      "UDH, Text IS NULL, TextDecoded FROM outbox WHERE ID = ?1");
  sqlite3_bind_int64(stmt.get(), 1, id);
  ASSERT_EQ(sqlite3_step(stmt.get()), SQLITE_ROW);
  EXPECT_EQ(Column(stmt.get(), 0), "+6281234567890");
  EXPECT_EQ(Column(stmt.get(), 1), "Unicode_No_Compression");
  EXPECT_EQ(Column(stmt.get(), 2), "true");
  EXPECT_EQ(Column(stmt.get(), 3), "out-77");
  EXPECT_EQ(Column(stmt.get(), 4), "yes");
  EXPECT_EQ(Column(stmt.get(), 5), built.outbox->first.udh);
  EXPECT_EQ(sqlite3_column_int(stmt.get(), 6), 1);
  EXPECT_EQ(Column(stmt.get(), 7), built.outbox->first.text_decoded);

  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox_multipart WHERE ID = " + std::to_string(id) +
                  " AND SequencePosition BETWEEN 2 AND 4 AND Coding = 'Unicode_No_Compression'"),
            3);
  EXPECT_EQ(Count(std::string(sql::kCountByCreator), "out-77"), 1);
  EXPECT_EQ(Count(std::string(sql::kCountByCreator), "out-78"), 0);
}

TEST_F(GammuSchema, InboxSelectAndMarkProcessed) {
  // Columns SMSD fills on receipt (save_inbox_sms_insert in smsd/services/sql.c).
  Exec(db_.get(),
       "INSERT INTO inbox (ReceivingDateTime, Text, SenderNumber, Coding, SMSCNumber, UDH, "
       "Class, TextDecoded, RecipientID) VALUES "
       "('2026-11-22 14:00:01', '', '+6281234567890', 'Default_No_Compression', '+62816124', "
       "'050003AA0202', -1, 'PKH', 'phone1'),"
       "('2026-11-22 14:00:02', '', '+6285712345678', 'Unicode_No_Compression', '+62816124', "
       "'', -1, 'Terima kasih \xF0\x9F\x99\x8F', 'phone1'),"
       "('2026-11-22 14:00:00', '', '+6281234567890', 'Default_No_Compression', '+62816124', "
       "'050003AA0201', -1, 'Daftar ', 'phone1'),"
       "('2026-11-22 14:00:03', '', '+6281234567890', 'Default_No_Compression', '+62816124', "
       "'050003BB0201', -1, 'menunggu', 'phone1')");
  const auto rows = SelectInbox();
  ASSERT_EQ(rows.size(), 4U);
  EXPECT_EQ(rows[0].receiving_date_time, "2026-11-22 14:00:01");
  EXPECT_EQ(rows[0].udh_hex, "050003AA0202");
  EXPECT_EQ(rows[0].smsc_number, "+62816124");

  const auto now = *ParseSmsdTime("2026-11-22 14:01:00", std::chrono::seconds(0));
  const Reassembly got = Reassemble(Config{}, rows, now);
  ASSERT_EQ(got.messages.size(), 2U);
  EXPECT_EQ(got.messages[0].message.text, "Daftar PKH");
  EXPECT_EQ(got.messages[1].message.text, "Terima kasih \xF0\x9F\x99\x8F");
  EXPECT_EQ(got.pending_ids, std::vector<std::int64_t>{4});

  const auto ids = got.ProcessedIds();
  auto update = Prepare(db_.get(), sql::MarkProcessedSql(ids.size()));
  for (std::size_t i = 0; i < ids.size(); ++i) {
    sqlite3_bind_int64(update.get(), static_cast<int>(i + 1), ids[i]);
  }
  ASSERT_EQ(sqlite3_step(update.get()), SQLITE_DONE) << sqlite3_errmsg(db_.get());
  EXPECT_EQ(sqlite3_changes(db_.get()), 3);
  const auto left = SelectInbox();
  ASSERT_EQ(left.size(), 1U);
  EXPECT_EQ(left[0].id, 4);
  // What the citizen wrote is in our journal now: SMSD's copy is blanked, the row kept.
  auto blanked = Prepare(db_.get(),
                         "SELECT COUNT(*), SUM(Text = '' AND TextDecoded = '') FROM inbox"
                         " WHERE Processed = 'true'");
  ASSERT_EQ(sqlite3_step(blanked.get()), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(blanked.get(), 0), 3);
  EXPECT_EQ(sqlite3_column_int(blanked.get(), 1), 3);
}

TEST_F(GammuSchema, SentItemsByCreator) {
  // Columns SMSD fills after sending (add_sent_info), then a status report for part 1.
  Exec(db_.get(),
       "INSERT INTO sentitems (ID, SequencePosition, Status, DestinationNumber, CreatorID, "
       "Text, UDH, SenderID, TextDecoded, Coding, TPMR) VALUES "
       "(5, 1, 'SendingOK', '+6281234567890', 'out-5', '', '050003010201', 'phone1', 'a', "
       "'Default_No_Compression', 11),"
       "(5, 2, 'SendingOK', '+6281234567890', 'out-5', '', '050003010202', 'phone1', 'b', "
       "'Default_No_Compression', 12),"
       "(6, 1, 'SendingError', '+6285712345678', 'out-6', '', '', 'phone1', 'c', "
       "'Default_No_Compression', -1)");
  Exec(db_.get(),
       "UPDATE sentitems SET Status = 'DeliveryOK', StatusError = 0, "
       "DeliveryDateTime = '2026-11-22 14:05:00' WHERE ID = 5 AND TPMR = 11");

  auto stmt = Prepare(db_.get(), sql::kSelectSentItemsByCreator);
  Bind(stmt.get(), 1, "out-5");
  std::vector<SentItemRow> rows;
  while (sqlite3_step(stmt.get()) == SQLITE_ROW) {
    rows.push_back(SentItemRow{sqlite3_column_int64(stmt.get(), 0),
                               sqlite3_column_int(stmt.get(), 1), Column(stmt.get(), 2),
                               Column(stmt.get(), 3), Column(stmt.get(), 4),
                               sqlite3_column_int(stmt.get(), 5), Column(stmt.get(), 6)});
  }
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0].status, "DeliveryOK");
  EXPECT_EQ(rows[0].delivery_date_time, "2026-11-22 14:05:00");
  EXPECT_EQ(rows[1].delivery_date_time, "");
  const auto update = AggregateStatus(rows, 2);
  ASSERT_TRUE(update.has_value());
  EXPECT_EQ(update->state, DeliveryState::kSent);
  EXPECT_EQ(update->provider_message_id, "out-5");
}

TEST_F(GammuSchema, PartRowAndStatusTrackingStatements) {
  const auto built = BuildPartRow(Config{}, "sp:reply:9#2", "081234567890", "dua", 2, 3, 0x2A);
  ASSERT_TRUE(built.ok()) << built.error;
  InsertOutbox(OutboxMessage{*built.row, {}});
  EXPECT_EQ(Count(std::string(sql::kCountByCreator), "sp:reply:9#2"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox WHERE UDH = '0500032A0302' AND MultiPart = 'false'"),
            1);

  Exec(db_.get(),
       "INSERT INTO sentitems (ID, SequencePosition, Status, DestinationNumber, CreatorID, "
       "Text, UDH, SenderID, TextDecoded, Coding, SendingDateTime) VALUES "
       "(1, 1, 'SendingOK', '+6281234567890', 'sp:a#1', '', '', 'p', 'a', "
       "'Default_No_Compression', datetime('now', 'localtime', '-3 days')),"
       "(2, 1, 'SendingOK', '+6281234567890', 'other', '', '', 'p', 'b', "
       "'Default_No_Compression', datetime('now', 'localtime')),"
       "(3, 1, 'SendingError', '+6281234567890', 'sp:b#1', '', '', 'p', 'c', "
       "'Default_No_Compression', datetime('now', 'localtime'))");
  EXPECT_EQ(Count(std::string(sql::kMaxSentItemsRowid)), 3);
  EXPECT_EQ(Count(std::string(sql::kSentItemsStartRowid), "-86400 seconds"), 1);
  EXPECT_EQ(Count(std::string(sql::kSentItemsStartRowid), "+1 hours"), 3)
      << "nothing recent: start at the end";

  auto range = Prepare(db_.get(), sql::kSelectSentItemsRange);
  Bind(range.get(), 1, "sp:");
  sqlite3_bind_int64(range.get(), 2, 1);
  sqlite3_bind_int64(range.get(), 3, 3);
  ASSERT_EQ(sqlite3_step(range.get()), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(range.get(), 0), 3);
  EXPECT_EQ(Column(range.get(), 3), "SendingError");
  EXPECT_EQ(Column(range.get(), 5), "sp:b#1");
  EXPECT_EQ(sqlite3_step(range.get()), SQLITE_DONE) << "rowid 2 is not ours, rowid 1 is below";

  Exec(db_.get(), "UPDATE sentitems SET Status = 'DeliveryOK' WHERE ID = 1");
  auto one = Prepare(db_.get(), sql::kSelectSentItemByRowid);
  sqlite3_bind_int64(one.get(), 1, 1);
  ASSERT_EQ(sqlite3_step(one.get()), SQLITE_ROW);
  EXPECT_EQ(Column(one.get(), 3), "DeliveryOK") << "an UPDATE keeps the rowid";
}

}  // namespace
}  // namespace satupintu::adapters::gammu
