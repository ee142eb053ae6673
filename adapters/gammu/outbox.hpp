#pragma once
// OutboundMessage -> the outbox and outbox_multipart rows SMSD sends from. We split the text
// ourselves (adapters/sms) rather than let SMSD do it, so that the part count the citizen is
// billed for is the one the outbox checked against max_parts, and smart substitution keeps
// our prompts in GSM-7.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/core/adapter.hpp"
#include "adapters/gammu/config.hpp"
#include "adapters/gammu/rows.hpp"

namespace satupintu::adapters::gammu {

struct OutboxBuild {
  std::optional<OutboxMessage> outbox;
  std::string error;  // safe for logs: never the number or the text

  bool ok() const { return outbox.has_value(); }
};

// Text after SmartSubstitute, split with the 8-bit concatenation reference `ref`. SMS carries
// text only: choices and template fields are not sent (the dialogs word SMS prompts so the
// citizen answers by typing). Refused: an empty id (CreatorID is required), an address that
// is not a phone number ("tg:..."), empty or non-UTF-8 text, more parts than max_parts.
OutboxBuild BuildOutbox(const Config& config, const OutboundMessage& message, std::uint8_t ref);

// One part the gateway's outbox already split (adapters/sms Split, text already substituted)
// -> one outbox row of its own: MultiPart 'false', and for a part of a concatenated message
// the UDH "050003<ref><total><seq>", which SMSD sends as given. One row per part keeps one
// outbox part = one SMSD row = one sentitems row = one status, so a part's key travels in
// CreatorID and comes back unchanged; SMSD's own outbox_multipart grouping is not used.
// Coding per part: a part of a UCS-2 message that happens to be all GSM-7 still fits one
// GSM-7 part (67 units <= 153 septets), so the part's own analysis is always right.
// Refused: empty creator id, address not a phone number, seq/total out of 1..255, empty or
// non-UTF-8 text, text that does not fit one part (160/70 alone, 153/67 in a concatenation).
struct PartBuild {
  std::optional<OutboxRow> row;
  std::string error;  // safe for logs: never the number or the text

  bool ok() const { return row.has_value(); }
};
PartBuild BuildPartRow(const Config& config, std::string_view creator_id, std::string_view address,
                       std::string_view text, int seq, int total, std::uint8_t ref);

// A concatenation reference derived from our message id, so that building the same message
// again (a retry after a crash) produces identical rows, while consecutive messages to one
// phone rarely share a reference.
std::uint8_t ConcatRef(std::string_view message_id);

}  // namespace satupintu::adapters::gammu
