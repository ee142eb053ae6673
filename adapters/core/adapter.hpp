#pragma once
// The contract between channel adapters and the gateway. An adapter is pure logic: it turns a
// provider's HTTP request into inbound messages and status updates, builds the HTTP request
// that sends one outbound message, and classifies the provider's answer. It never does I/O,
// never touches the store, and never logs: the gateway's shared receiver and sender do that.
//
// Personal data: InboundMessage carries phone numbers and text because the gateway needs
// them; adapters must not put them into `error` strings, which are logged.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace satupintu::adapters {

using Headers = std::vector<std::pair<std::string, std::string>>;  // names lower-case

// What the gateway hands an adapter: the raw request, unparsed.
struct IncomingHttp {
  std::string method;
  std::string path;
  std::string query;  // raw, still percent-encoded
  Headers headers;
  std::string body;  // raw bytes: signatures are computed over exactly these
  std::string remote_address;

  std::string_view Header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers) {
      if (k == lower_name) return v;
    }
    return {};
  }
};

enum class MessageKind {
  kText,     // free text
  kButton,   // reply button, list row, template quick reply, Telegram callback
  kContact,  // a shared phone number (Telegram contact, WhatsApp contacts)
  kMedia,    // image, audio, video, document, sticker: stored, answered "text only"
  kLocation,
  kUnsupported,  // anything else the provider may send
};

struct InboundMessage {
  std::string provider_id;  // unique per channel: wamid, "<update_id>", Kannel id, ...
  std::string address;      // who wrote: E.164 digits without '+', or "tg:<chat id>"
  MessageKind kind = MessageKind::kText;
  std::string text;            // body, or the title of the tapped button
  std::string choice_id;       // button/list/callback id or payload, when kind is kButton
  std::string contact_phone;   // E.164 digits, when kind is kContact
  std::string reply_to;        // provider id of our message this answers (WhatsApp context.id)
  std::string language;        // hint from the provider ("id", "en"), may be empty
  std::int64_t sent_at_s = 0;  // provider timestamp, seconds since epoch
  std::string raw;             // this item as the provider sent it (JSON or form text)
  // Telegram callback queries must be answered; the id to answer with.
  std::string callback_query_id;
};

enum class DeliveryState { kSent = 1, kDelivered = 2, kRead = 3, kFailed = 4 };

struct StatusUpdate {
  std::string provider_message_id;  // wamid / our own id echoed in a DLR URL
  DeliveryState state = DeliveryState::kSent;
  std::string error_code;   // provider code when failed ("131047")
  std::string error_title;  // short provider text, no personal data
  std::int64_t at_s = 0;
  // The adapter's reading of error_code: the message failed because WhatsApp's 24-hour window
  // was closed (it may still go by SMS, as when the send itself was refused so).
  bool outside_window = false;
};

// The adapter's verdict on one incoming HTTP request.
struct ParsedRequest {
  int http_status = 200;      // what to answer the provider (after storing, for 2xx)
  std::string response_body;  // e.g. the WhatsApp hub.challenge; empty otherwise
  std::string content_type = "text/plain";
  std::vector<InboundMessage> messages;
  std::vector<StatusUpdate> statuses;
  // Why a request was refused or an item skipped: safe for logs, never the payload.
  std::vector<std::string> notes;
  // Items addressed to an account of the provider that is not this channel's (another WhatsApp
  // number of the business): not stored, not answered, counted by the gateway.
  int foreign_items = 0;
};

// One outbound message as the dialogs produce it, before channel rules split it.
struct OutboundMessage {
  std::string id;       // ours; idempotency key of this part
  std::string address;  // as in InboundMessage::address
  std::string text;
  // Choices offered with the text (buttons/list rows/keyboard); empty for plain text.
  std::vector<std::pair<std::string, std::string>> choices;  // {id, title}
  // WhatsApp outside the 24-hour window: an approved template and its body parameters.
  std::string template_name;
  std::string template_language;
  std::vector<std::string> template_params;
  bool request_contact = false;  // Telegram: keyboard button that shares the phone number
};

// An HTTP request the shared sender will perform.
struct HttpCall {
  std::string method = "POST";
  std::string url;  // absolute, from the adapter's configured base URL
  Headers headers;
  std::string body;
};

enum class SendVerdict {
  kAccepted,     // the provider took it; provider_message_id may be set
  kRateLimited,  // slow the channel down and retry after retry_after
  kTransient,    // retry with backoff
  kPermanent,    // give up now; reason kept
  kOptedOut,     // the recipient blocked us (Telegram 403): stop sending to this address
};

// What a kRateLimited is about: the whole channel slows down, or only this recipient waits.
enum class LimitScope { kChannel, kRecipient };

struct SendResult {
  SendVerdict verdict = SendVerdict::kTransient;
  std::string provider_message_id;
  std::optional<std::chrono::seconds> retry_after;
  std::string error_code;  // the provider's code, for logs and the channel log only
  std::string reason;      // safe for logs
  // The adapter's reading of the provider's code, so nothing outside it compares codes:
  LimitScope scope = LimitScope::kChannel;  // of a kRateLimited
  bool outside_window = false;  // kPermanent because the service window is closed (WhatsApp)
};

}  // namespace satupintu::adapters
