#pragma once
// The statements the gateway runs against SMSD's SQLite database, checked against Debian 12's
// /usr/share/doc/gammu-smsd/examples/sqlite.sql by gammu_schema_test. Parameters are numbered
// (?1, ?2, ...) and always bound: nothing from a message is ever pasted into SQL text.

#include <cstddef>
#include <string>
#include <string_view>

namespace satupintu::adapters::gammu::sql {

// Columns in InboxRow order. No LIMIT: parts of a group must be read together, and the
// unprocessed set stays small because every poll consumes what is complete or expired.
inline constexpr std::string_view kSelectUnprocessedInbox =
    "SELECT ID, ReceivingDateTime, SenderNumber, TextDecoded, Coding, UDH, SMSCNumber "
    "FROM inbox WHERE Processed = 'false' ORDER BY ID";

// SQLite before 3.32 allowed 999 host parameters; batches stay well below that.
inline constexpr std::size_t kMaxIdsPerUpdate = 500;

// "UPDATE inbox SET Processed = 'true', Text = '', TextDecoded = '' WHERE ID IN (?1, ...,
// ?count)"; count is clamped to 1..kMaxIdsPerUpdate, so callers run one statement per batch.
// The text is in our journal once a row is marked: SMSD's copy of what the citizen wrote
// (NIKs, names) is blanked, not kept in the modem's database for ever (issue 18).
std::string MarkProcessedSql(std::size_t count);

// ?1 DestinationNumber, ?2 TextDecoded, ?3 Coding, ?4 UDH, ?5 MultiPart, ?6 CreatorID,
// ?7 DeliveryReport, ?8 SenderID. SMSD compares SendingDateTime and SendingTimeOut with its
// local time while the schema's defaults are UTC, which west of Greenwich would hold a
// message back for hours; stamping local time makes it eligible on the next SMSD poll
// everywhere. Text stays NULL so that SMSD encodes TextDecoded itself. The new row's ID is
// sqlite3_last_insert_rowid(), read before inserting any multipart row.
inline constexpr std::string_view kInsertOutbox =
    "INSERT INTO outbox (DestinationNumber, TextDecoded, Coding, UDH, MultiPart, CreatorID, "
    "DeliveryReport, SenderID, SendingDateTime, SendingTimeOut) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, datetime('now', 'localtime'), "
    "datetime('now', 'localtime'))";

// ?1 ID (of the outbox row), ?2 SequencePosition, ?3 TextDecoded, ?4 Coding, ?5 UDH.
inline constexpr std::string_view kInsertOutboxMultipart =
    "INSERT INTO outbox_multipart (ID, SequencePosition, TextDecoded, Coding, UDH) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";

// ?1 CreatorID. Non-zero means the message already reached SMSD (queued or sent): after a
// crash between the outbox insert and our own bookkeeping, the retry must not insert again.
inline constexpr std::string_view kCountByCreator =
    "SELECT (SELECT COUNT(*) FROM outbox WHERE CreatorID = ?1) + "
    "(SELECT COUNT(*) FROM sentitems WHERE CreatorID = ?1)";

// ?1 CreatorID. Columns in SentItemRow order; one row per part SMSD has handled so far.
inline constexpr std::string_view kSelectSentItemsByCreator =
    "SELECT ID, SequencePosition, Status, DestinationNumber, CreatorID, StatusError, "
    "COALESCE(DeliveryDateTime, '') FROM sentitems WHERE CreatorID = ?1 "
    "ORDER BY ID, SequencePosition";

// Status tracking by sentitems rowid (the table's implicit rowid grows with every insert and
// is kept by SMSD's status-report UPDATEs). CreatorIDs we wrote start with a prefix; ?1 is
// that prefix. Columns: rowid, then SentItemRow order.
inline constexpr std::string_view kMaxSentItemsRowid =
    "SELECT COALESCE(MAX(rowid), 0) FROM sentitems";

// Where status tracking starts after a restart: just before the first row SMSD sent within
// the look-back. ?1 a SQLite modifier such as "-172800 seconds"; SendingDateTime is SMSD's
// local time, so it is compared with local time.
inline constexpr std::string_view kSentItemsStartRowid =
    "SELECT COALESCE((SELECT MIN(rowid) - 1 FROM sentitems "
    "WHERE SendingDateTime >= datetime('now', 'localtime', ?1)), "
    "(SELECT COALESCE(MAX(rowid), 0) FROM sentitems))";

// ?1 prefix, ?2 exclusive lower rowid, ?3 inclusive upper rowid.
inline constexpr std::string_view kSelectSentItemsRange =
    "SELECT rowid, ID, SequencePosition, Status, DestinationNumber, CreatorID, StatusError, "
    "COALESCE(DeliveryDateTime, '') FROM sentitems "
    "WHERE rowid > ?2 AND rowid <= ?3 AND substr(CreatorID, 1, length(?1)) = ?1 ORDER BY rowid";

// ?1 rowid: a row whose status may still change (SendingOK waits for its report).
inline constexpr std::string_view kSelectSentItemByRowid =
    "SELECT rowid, ID, SequencePosition, Status, DestinationNumber, CreatorID, StatusError, "
    "COALESCE(DeliveryDateTime, '') FROM sentitems WHERE rowid = ?1";

}  // namespace satupintu::adapters::gammu::sql
