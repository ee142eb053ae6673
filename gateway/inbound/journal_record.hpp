#pragma once
// The journal record: what one inbound_journal row's payload holds. This file is its only
// writer (the shared receiver and the Gammu poller call JournalRecords) and its only reader
// (the dispatcher calls ParseJournalPayload); nothing else knows the payload's JSON.
//
// A payload is a message ({"type":"message", "kind", "address", "text", ...}) or a provider
// status ({"type":"status", "provider_message_id", "state", ...}). Rows already in a store keep
// being read: the field names are a stored format, changed only with a migration.
//
// Status updates are journaled under provider id "status:<message id>:<state>", so a provider
// repeating a status is recognised as a duplicate like any message.

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "adapters/core/adapter.hpp"
#include "core/result.hpp"
#include "storage/journal.hpp"

namespace satupintu::inbound {

// The journal records for one parsed request: messages first, then statuses.
std::vector<storage::InboundRecord> JournalRecords(const std::string& channel,
                                                   const adapters::ParsedRequest& parsed);

// One payload read back. kInvalidArgument when it is not a record this file writes.
using JournalEntry = std::variant<adapters::InboundMessage, adapters::StatusUpdate>;
core::Result<JournalEntry> ParseJournalPayload(std::string_view payload);

// Minimises the payloads of messages the dispatcher has processed (consumer "channels") and
// that were received before `older_than_ms`: at most `limit` rows per call, oldest first.
// A redacted message keeps its kind, language, times, button choice and reply reference;
// its text, address, contact and the provider's raw object are gone ("redacted": true; it no
// longer parses). The row itself stays, with the channel and provider id dedupe needs and the
// request id the channel log is keyed by. Walks the journal by id with a cursor of its own
// ("redaction"), so no index is needed and each row is rewritten once. Returns the rows done.
core::Result<int> RedactProcessedJournal(storage::Db& db, std::int64_t older_than_ms, int limit);

}  // namespace satupintu::inbound
