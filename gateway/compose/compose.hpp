#pragma once
// From "send this to that address" to outbox parts, by the rules of the channel:
//   WhatsApp: text parts of at most 4096 UTF-16 units; with choices, the last part carries
//             them and is at most 1024 (an interactive body). Templates are one part.
//   Telegram: parts of at most 4096 code points; choices (inline keyboard) on the last part.
//   Kannel:   one part holding the whole text (Kannel concatenates it), at most 6 SMS.
//   Gammu:    one part per SMS segment, split at word boundaries by adapters/sms.
// SMS channels render choices as numbered lines, because a basic phone has no buttons.
// Long texts are split at the last space or line break that fits, never truncated.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/core/adapter.hpp"
#include "core/result.hpp"
#include "outbox/outbox_store.hpp"

namespace satupintu::compose {

struct Outgoing {
  std::string key;  // idempotency key (outbox::IsValidMessageKey)
  std::string channel;
  std::string address;
  outbox::Priority priority = outbox::Priority::kReply;
  outbox::InFlightPolicy policy = outbox::InFlightPolicy::kResend;
  std::string text;
  std::vector<std::pair<std::string, std::string>> choices;  // {id, title}
  std::string template_name;                                 // WhatsApp, outside the 24-hour window
  std::string template_language;
  std::vector<std::string> template_params;
  bool request_contact = false;   // Telegram: a button that shares the phone number
  std::string callback_query_id;  // Telegram: answer this callback query (text optional)
  std::string list_button_label;  // WhatsApp list button, from the locale
  bool opt_out_notice = false;    // the confirmation of a STOP: the one message that still
                                  // goes to the address it opted out
  std::int64_t ttl_ms = 24LL * 3600 * 1000;
};

core::Result<outbox::NewMessage> Compose(const Outgoing& out, std::int64_t now_ms);

// The terminal's channels ("<kind>:chat", `satupintu chat`): the session shows its replies
// itself and no gateway has such a channel (the configuration refuses the name), so nothing
// is ever queued for them - a notice or a reminder for a ticket opened in a chat session.
bool IsChatChannel(std::string_view channel);

// Compose, then outbox::EnqueueIn inside the caller's write job (a key already there creates
// nothing new). Returns the message id; 0 for a chat channel (nothing queued).
core::Result<std::int64_t> ComposeIn(storage::Db& db, const Outgoing& out, std::int64_t now_ms);

// The adapter's view of one claimed part: its text plus what the message body carries.
// Choices and the contact button go with the last part only.
adapters::OutboundMessage ToAdapterMessage(const outbox::DuePart& part);
// The Telegram callback query this part answers, empty for an ordinary message.
std::string CallbackQueryOf(const outbox::DuePart& part);
// True for the confirmation of an opt-out (Outgoing::opt_out_notice).
bool IsOptOutNotice(const outbox::DuePart& part);
// The same message by SMS on `sms_channel`, for a part WhatsApp refused because its 24-hour
// window was closed (at send time or in a later failed status: both use the key
// "<part key>-sms", so the SMS goes once). nullopt when the address is not a phone number.
std::optional<Outgoing> SmsFallback(const outbox::DuePart& part, const std::string& sms_channel);

// The WhatsApp list button label stored with the message ("" when none).
std::string ListButtonLabelOf(const outbox::DuePart& part);

// Cuts `utf8` into pieces of at most `max_units` (UTF-16 units when `utf16`, else code
// points), preferring the last whitespace that fits. Pieces concatenate back to the text.
std::vector<std::string> SplitText(std::string_view utf8, std::size_t max_units, bool utf16);

// Choices as numbered lines under the text, for channels without buttons.
std::string RenderChoicesAsText(const std::string& text,
                                const std::vector<std::pair<std::string, std::string>>& choices);

}  // namespace satupintu::compose
