#pragma once
// Unprocessed inbox rows -> inbound messages. SMSD stores one row per physical part, and parts
// of different senders' messages interleave, arrive out of order, twice, or never. Everything
// here is a function of the rows and the clock, so reading the same rows again after a crash
// (before they were marked processed) yields the same messages with the same provider ids and
// the journal drops the repeats.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/core/adapter.hpp"
#include "adapters/gammu/config.hpp"
#include "adapters/gammu/rows.hpp"

namespace satupintu::adapters::gammu {

struct AssembledMessage {
  // provider_id "gammu:<lowest inbox ID>:<16 hex digits>", the digits an FNV-1a hash of that
  // row's SenderNumber and ReceivingDateTime. AUTOINCREMENT never reuses an ID, but a
  // recreated SMSD database starts again at 1; the hash keeps "gammu:1" of the new database
  // from being dropped as a repeat of the old one.
  InboundMessage message;
  std::vector<std::int64_t> inbox_ids;  // every row consumed, repeated parts included
  int parts_received = 1;               // distinct sequence numbers
  int parts_total = 1;
  bool partial = false;  // given up after Config::partial_timeout; the text has gaps
};

struct Reassembly {
  std::vector<AssembledMessage> messages;  // ordered by lowest inbox ID
  // Rows consumed without a message: the sender is not a phone number (operator promotions
  // from "TELKOMSEL", short codes). Marked processed with the messages.
  std::vector<std::int64_t> skipped_ids;
  // Rows of incomplete groups still within the timeout: leave them unprocessed.
  std::vector<std::int64_t> pending_ids;
  std::vector<std::string> notes;  // safe for logs: ids and counts, never numbers or text

  // What to mark processed once the messages are durably in the journal, ascending.
  std::vector<std::int64_t> ProcessedIds() const;
};

// rows: every unprocessed inbox row (kSelectUnprocessedInbox), in any order. now_s: seconds
// since the epoch, injected so tests control expiry. A group of parts is keyed by normalized
// sender, reference (8- or 16-bit) and total; a part whose sequence number the group already
// holds with the same text is a repeat, with a different text it starts a new group (the
// 8-bit reference wrapped around). A group's age is that of its oldest part; a part whose
// ReceivingDateTime does not parse, or lies more than the timeout ahead of now_s, counts as
// expired, so it can never hold a group forever.
Reassembly Reassemble(const Config& config, const std::vector<InboxRow>& rows, std::int64_t now_s);

// "YYYY-MM-DD HH:MM:SS" (SQLite's datetime(), optionally with fractional seconds) at the
// given offset from UTC -> seconds since the epoch.
std::optional<std::int64_t> ParseSmsdTime(std::string_view text, std::chrono::seconds utc_offset);

}  // namespace satupintu::adapters::gammu
