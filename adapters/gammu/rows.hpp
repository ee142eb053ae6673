#pragma once
// The rows of Gammu SMSD's SQL schema (version 17, Debian 12's gammu-smsd 1.42) that we read
// and write, as plain values: the gateway binds them to the statements in sql.hpp.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace satupintu::adapters::gammu {

// inbox.Coding / outbox.Coding values we use (the schema's CHECK lists three more).
inline constexpr std::string_view kCodingGsm7 = "Default_No_Compression";
inline constexpr std::string_view kCodingUcs2 = "Unicode_No_Compression";
inline constexpr std::string_view kCoding8bit = "8bit";

// One physical SMS part as SMSD stored it; the column order of kSelectUnprocessedInbox.
struct InboxRow {
  std::int64_t id = 0;
  std::string receiving_date_time;  // "YYYY-MM-DD HH:MM:SS", SMSD host's local time
  std::string sender_number;        // as the network gave it: "+62812...", "0812...", "TSEL"
  std::string text_decoded;         // UTF-8; empty for 8-bit parts
  std::string coding;
  std::string udh_hex;  // "" when the part has no user data header
  std::string smsc_number;
};

// outbox: part 1 of a message (the whole message when it fits one SMS).
struct OutboxRow {
  std::string destination_number;  // "+<E.164 digits>"
  std::string text_decoded;        // SMSD encodes it per coding because Text stays NULL
  std::string coding;              // kCodingGsm7 or kCodingUcs2
  std::string udh;                 // "050003<ref><total><seq>" or "" for a single SMS
  std::string multi_part;          // "true" when outbox_multipart rows follow, else "false"
  std::string creator_id;          // OutboundMessage::id: how sentitems finds its way back
  std::string delivery_report;     // "yes" or "default"
  std::string sender_id;           // Config::phone_id, "" for any SMSD instance
};

// outbox_multipart: parts 2..n, keyed by the outbox row's ID.
struct OutboxMultipartRow {
  int sequence_position = 2;
  std::string text_decoded;
  std::string coding;
  std::string udh;
};

// Everything one outbound message becomes; inserted in one transaction (see README).
struct OutboxMessage {
  OutboxRow first;
  std::vector<OutboxMultipartRow> more;
  int parts() const { return 1 + static_cast<int>(more.size()); }
};

// sentitems: one row per part SMSD tried to send; the column order of the sentitems SELECTs.
struct SentItemRow {
  std::int64_t id = 0;  // the outbox ID the message had
  int sequence_position = 1;
  std::string status;  // SendingOK, SendingOKNoReport, SendingError, DeliveryOK, ...
  std::string destination_number;
  std::string creator_id;
  int status_error = -1;           // TP-Status of the report, -1 when none
  std::string delivery_date_time;  // "" until a report arrived
};

}  // namespace satupintu::adapters::gammu
