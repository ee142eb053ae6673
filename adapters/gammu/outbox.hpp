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

// A concatenation reference derived from our message id, so that building the same message
// again (a retry after a crash) produces identical rows, while consecutive messages to one
// phone rarely share a reference.
std::uint8_t ConcatRef(std::string_view message_id);

}  // namespace satupintu::adapters::gammu
