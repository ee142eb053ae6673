#pragma once
// The outbox in the store. Every outgoing message is recorded (with its parts) before any
// part is sent; a part is durably marked in flight before it is handed to a peer; results
// and provider statuses move it forward only. After a crash, the parts that were in flight
// are the only ones whose fate is unknown: they are resent or held by their message's policy.
//
// All calls are asynchronous: completions run on the store's writer thread, after commit.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/metrics.hpp"
#include "core/result.hpp"
#include "outbox/part_state.hpp"
#include "storage/store.hpp"

namespace satupintu::outbox {

// Message keys travel inside peers' URLs (Kannel's dlr-url) without escaping, so they are
// limited to RFC 3986 unreserved characters.
bool IsValidMessageKey(std::string_view key);
// "<message key>.<seq>": the idempotency key of one part. Unambiguous, because seq is digits.
std::string PartKey(std::string_view message_key, int seq);

enum class Priority { kReply = 0, kNotification = 1, kBulk = 2 };

struct NewMessage {
  std::string key;      // idempotency key: enqueueing the same key twice creates nothing new
  std::string channel;  // "whatsapp:wa-main", "kannel:modem1", ...
  std::string address;
  Priority priority = Priority::kReply;
  InFlightPolicy policy = InFlightPolicy::kResend;
  std::string body_json;           // what the adapter needs beyond the text of a part
  std::vector<std::string> parts;  // already split by the channel's rules, in order
  std::int64_t expires_at_ms = 0;
};

struct DuePart {
  std::int64_t part_id = 0;
  std::int64_t message_id = 0;
  std::string part_key;
  std::string channel;
  std::string address;
  int seq = 1;
  int total = 1;
  std::string text;
  std::string body_json;
  int attempts = 0;  // including this one
  std::int64_t expires_at_ms = 0;
  // When the recipient last wrote to this channel (0: never); WhatsApp's 24-hour window.
  std::int64_t last_inbound_at_ms = 0;
  // The address asked us to stop (STOP/BERHENTI, or it blocked the bot): nothing is sent.
  bool opted_out = false;
  // Its message's Priority (claims only): a sender hands replies to the peer before bulk it
  // claimed earlier.
  int priority = 0;
};

struct Recovery {
  int accepted = 0;     // in flight at the crash, but the peer's acceptance was logged: now 'sent'
  int not_offered = 0;  // in flight at the crash, never handed to the peer: queued again
  int requeued = 0;     // in flight at the crash, policy resend
  int held = 0;         // in flight at the crash, policy hold: now 'unknown'
};

// A peer's acceptance written down outside the store (outbound::AcceptLog) before the store
// recorded it.
struct AcceptedPart {
  std::int64_t part_id = 0;
  std::string provider_message_id;  // empty when the peer gave none
};

// The same operations for a caller that already runs inside a store write job (the inbound
// dispatcher composes them with its own writes in one transaction).
core::Result<std::int64_t> EnqueueIn(storage::Db& db, const NewMessage& message,
                                     std::int64_t now_ms);
core::Result<bool> ApplyStatusIn(storage::Db& db, const std::string& channel, const std::string& id,
                                 ProviderStatus status, const std::string& error,
                                 std::int64_t now_ms);

// The part a provider knows as `provider_message_id` on `channel` (a status names it), with
// what a fallback needs (text, body, address); nullopt when unknown.
core::Result<std::optional<DuePart>> PartByProviderIdIn(storage::Db& db, const std::string& channel,
                                                        const std::string& provider_message_id);

// One message we sent, as an officer reads it back: its parts joined, the least advanced
// part's state.
struct SentMessage {
  std::int64_t at_ms = 0;
  std::string channel;
  std::string text;
  std::string state;
};

// The messages sent to any of `addresses` since `since_ms`, oldest first, at most `limit`.
core::Result<std::vector<SentMessage>> SentToIn(storage::Db& db,
                                                const std::vector<std::string>& addresses,
                                                std::int64_t since_ms, int limit);

class OutboxStore {
 public:
  OutboxStore(storage::Store* store, core::MetricsRegistry* metrics);

  template <typename T>
  using Done = std::function<void(core::Result<T>)>;
  using StatusDone = std::function<void(core::Status)>;

  // Returns the message id (the existing one when the key was seen before).
  void Enqueue(NewMessage message, std::int64_t now_ms, Done<std::int64_t> done);

  // Marks up to `limit` due parts of `channel` in flight and returns them: replies before
  // notifications before bulk, older first, parts of one message in order. The mark is
  // committed before `done` runs, so a part is never handed out twice.
  // `up_to`: only parts of this priority or a higher one (kBulk: all).
  void ClaimDue(std::string channel, int limit, std::int64_t now_ms,
                Done<std::vector<DuePart>> done, Priority up_to = Priority::kBulk);

  void RecordAccepted(std::int64_t part_id, std::string provider_message_id, std::int64_t now_ms,
                      StatusDone done);
  // Transient error or rate limit: back to queued, due again at next_attempt_ms.
  void RecordRetry(std::int64_t part_id, std::int64_t next_attempt_ms, std::string reason,
                   std::int64_t now_ms, StatusDone done);
  // The part was claimed but not offered to the peer (recipient paced, channel paused, or the
  // sender stopping): back to queued at next_attempt_ms, and the claim does not count as an
  // attempt.
  void RecordDeferred(std::int64_t part_id, std::int64_t next_attempt_ms, std::int64_t now_ms,
                      StatusDone done);
  void RecordFailed(std::int64_t part_id, std::string reason, std::int64_t now_ms, StatusDone done);

  // A provider status for a part, found by the provider's message id or by our part key (for
  // peers that echo our id, like a Kannel DLR). Done with true when it moved the part.
  void ApplyStatus(std::string channel, std::string id, ProviderStatus status, std::string error,
                   std::int64_t now_ms, Done<bool> done);

  // At start-up, before any claim: resolves every part left in flight by a crash. Those in
  // `accepted` (the peer took them; the record did not reach the store) become 'sent' with
  // the peer's id, the rest follow their message's policy. One transaction.
  // With `offered` (the parts whose offer to a peer was logged, when offers were logged), a
  // part in flight that is in neither list never left and is queued again, whatever its
  // policy.
  void RecoverInFlight(std::vector<AcceptedPart> accepted, std::int64_t now_ms, Done<Recovery> done,
                       std::optional<std::vector<std::int64_t>> offered = std::nullopt);

 private:
  storage::Store* store_;
  core::MetricsRegistry* metrics_;
};

}  // namespace satupintu::outbox
