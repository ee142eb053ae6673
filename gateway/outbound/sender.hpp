#pragma once
// The shared sender: one per channel, one thread each. It claims due parts from the outbox
// (which marks them in flight durably first), paces them through the channel's and each
// recipient's rate limits, hands them to the channel's Transport, and records the verdict:
//   accepted      -> sent (provider id kept for statuses)
//   rate limited  -> the channel (or the recipient, for WhatsApp's pair limit) pauses for the
//                    time the peer asked; the part is deferred, not failed, not counted
//   transient     -> retried with exponential backoff and jitter until the message expires
//   permanent     -> failed with the reason (a hook may first route it elsewhere: SMS)
//   opted out     -> failed, and the address is marked (hook)
// One part per recipient is with the peer at a time, and the outbox hands out the parts of a
// message one after another, so a recipient reads them in order.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/metrics.hpp"
#include "outbound/accept_log.hpp"
#include "outbound/rate_limit.hpp"
#include "outbound/transport.hpp"
#include "outbox/outbox_store.hpp"

namespace satupintu::outbound {

struct SenderLimits {
  double rate_per_second = 0;  // channel cap; 0 = none
  // Tokens that may be used back to back. At least 2 in practice: with 1, a wake-up that comes
  // late loses the time it overslept and the achieved rate falls below the cap.
  double burst = 2;
  std::chrono::milliseconds per_recipient_interval{0};  // 0 = no per-recipient limit
  double per_recipient_burst = 1;
  int max_in_flight = 64;  // parts claimed and not yet recorded
  int claim_batch = 128;
  std::chrono::milliseconds backoff_base{2'000};
  std::chrono::milliseconds backoff_max{std::chrono::minutes(5)};
  std::chrono::milliseconds default_retry_after{1'000};  // 429 without a Retry-After
  std::chrono::milliseconds poll_interval{1'000};        // looks for due parts at least this often
  // A recipient who must wait longer than this goes back to the outbox instead of waiting in
  // memory, so a crash does not find it in flight.
  std::chrono::milliseconds max_hold{2'000};
};

struct SenderHooks {
  // Every attempt, for the channel log.
  std::function<void(const outbox::DuePart&, const Attempt&)> on_attempt;
  // The recipient blocked us.
  std::function<void(const outbox::DuePart&)> on_opted_out;
  // A permanent failure. Returns text appended to the kept reason (e.g. "sent by SMS as ...")
  // after routing the part elsewhere, or empty.
  std::function<std::string(const outbox::DuePart&, const Attempt&)> on_permanent;
};

struct SenderStats {
  std::uint64_t attempts = 0;
  std::uint64_t accepted = 0;
  std::uint64_t rate_limited = 0;
  std::uint64_t transient = 0;
  std::uint64_t failed = 0;
  std::uint64_t deferred = 0;
  std::uint64_t record_errors = 0;
};

class Sender {
 public:
  using WallClock = std::function<std::int64_t()>;  // ms since epoch, for the outbox

  Sender(std::string channel, outbox::OutboxStore* outbox, Transport* transport,
         SenderLimits limits, SenderHooks hooks, core::MetricsRegistry* metrics,
         WallClock wall_clock = {});
  ~Sender();
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  // Before Start: write each acceptance to `log` as the peer's answer arrives (accept_log.hpp).
  // Without one, a part answered but not yet recorded at a crash is sent again.
  void UseAcceptLog(AcceptLog* log) { accept_log_ = log; }
  void Start();
  // Something was enqueued: look for due parts now rather than at the next poll.
  void Wake();
  // Stops claiming; parts claimed but not offered go back to the outbox; attempts with the
  // peer get up to `grace` to finish and be recorded. Idempotent.
  void Stop(std::chrono::milliseconds grace);

  const std::string& channel() const { return channel_; }
  SenderStats stats() const;
  int in_flight() const;
  // Whether the loop has gone `threshold` without turning (it turns at least every
  // poll_interval while running): a hung sender, for /readyz. False before Start and after Stop.
  bool Stuck(std::chrono::milliseconds threshold) const;

 private:
  struct Completed {
    outbox::DuePart part;
    Attempt attempt;
    AcceptLog::Ticket logged = -1;  // the acceptance's line in the log, if written
  };
  using Action = std::function<void()>;
  using RecordOp = std::function<void(outbox::OutboxStore::StatusDone)>;

  void Loop();
  // These run on the loop thread with the lock held. They only decide; what calls into the
  // transport, the outbox or a hook is returned as an action and run after unlocking.
  void HandleCompleted(std::vector<Action>& actions);
  void Outcome(const Completed& c, TimePoint now, std::vector<Action>& actions);
  TimePoint Dispatch(std::vector<Action>& actions, TimePoint now);
  Action MaybeClaim(TimePoint now);
  // The claim of up to `n` due parts of priority `up_to` or higher (kBulk: any).
  Action Claim(int n, outbox::Priority up_to);
  static constexpr int kUrgentClaim = 4;
  bool CanClaim() const;
  // These run without the lock.
  void Defer(const outbox::DuePart& part, std::int64_t next_attempt_ms);
  void Fail(const outbox::DuePart& part, std::string reason);
  void Record(const char* what, const outbox::DuePart& part, RecordOp op, bool wake_after = false,
              AcceptLog::Ticket logged = -1);
  // On the thread that read the peer's answer: the acceptance into the log.
  AcceptLog::Ticket LogAcceptance(const outbox::DuePart& part, const Attempt& attempt);
  std::int64_t WallNow() const;
  std::chrono::milliseconds Backoff(int attempts);

  const std::string channel_;
  outbox::OutboxStore* outbox_;
  Transport* transport_;
  AcceptLog* accept_log_ = nullptr;
  const SenderLimits limits_;
  const SenderHooks hooks_;
  WallClock wall_clock_;

  mutable std::mutex mutex_;
  std::atomic<std::int64_t> last_turn_ms_{0};  // steady clock; 0: not running
  std::condition_variable cv_;
  std::deque<outbox::DuePart> ready_;  // claimed, waiting for a token or the recipient
  std::deque<Completed> completed_;
  std::unordered_set<std::string> busy_;               // recipients with a part at the peer
  std::vector<std::pair<TimePoint, Action>> retries_;  // records to try again
  int in_flight_ = 0;                                  // claimed and not yet recorded
  int at_peer_ = 0;
  int pending_records_ = 0;
  bool claiming_ = false;
  bool wake_ = true;
  bool dirty_ = false;
  bool stopping_ = false;
  bool was_stopping_ = false;
  bool started_ = false;
  TimePoint stop_deadline_{};
  TimePoint next_poll_{};
  TimePoint next_due_ = TimePoint::max();  // earliest retry or deferral this sender scheduled
  TokenBucket bucket_;
  RecipientPacer pacer_;
  std::mt19937_64 rng_;
  SenderStats stats_;
  std::thread thread_;

  core::Counter* attempts_accepted_;
  core::Counter* attempts_rate_limited_;
  core::Counter* attempts_transient_;
  core::Counter* attempts_permanent_;
  core::Counter* attempts_opted_out_;
  core::Histogram* latency_;
  core::Counter* accept_log_errors_;
  core::Gauge* in_flight_gauge_;
};

}  // namespace satupintu::outbound
