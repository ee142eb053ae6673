#pragma once
// The first consumer of the inbound journal: what every channel message means for the
// channels themselves, before any dialog reads it.
//   status rows   -> the outbox part moves forward (never back)
//   message rows  -> the citizen and address exist, the address's last inbound time on that
//                    channel moves forward (WhatsApp's 24-hour window)
//   contact       -> a Telegram chat that shared its own number joins that phone's citizen
//   media, location, unsupported -> a polite "text only, please" in the citizen's language
//   Telegram button taps -> the callback query is answered (the button stops spinning)
//   text messages     -> first the intercept hook, when set (an officer's SMS command,
//                    gateway/backoffice): a message it takes gets its replies and nothing else
//   text and button messages -> the dialogs (gateway/conversation), when given: the
//                    conversation state and the replies are written in the same transaction
//   an address over max_messages_per_address_per_minute -> throttled: the message stays in
//                    the journal but gets nothing else (no dialog, no reply) but for the
//                    first one over the limit in a window, which gets one polite "slow down"
//                    (locales: channel.slow_down); counted in satupintu_inbound_throttled_total
// Each pass also runs the dialogs' due timers (reminders, expiries) and the pass hook (the
// surveys waiting for a citizen to finish a dialog).
// It walks the journal by id from a cursor kept in the same transaction as its effects, so a
// crash repeats nothing and skips nothing.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

#include "compose/compose.hpp"
#include "core/metrics.hpp"
#include "core/result.hpp"
#include "core/worker.hpp"
#include "locale/catalog.hpp"
#include "storage/store.hpp"

namespace satupintu::conversation {
class Conversations;
}

namespace satupintu::inbound {

struct DispatcherOptions {
  std::chrono::milliseconds poll_interval{500};
  int batch = 256;
  int timers_per_pass = 64;
  // WhatsApp channel -> its SMS fallback channel ("whatsapp:wa" -> "kannel:dinsos"): a message
  // whose failed status says the window was closed goes by SMS, as when its send was refused so.
  std::map<std::string, std::string> sms_fallback;
  // Messages one address may send in a minute before it is throttled; 0: no limit. The
  // window is fixed, from the address's first message in it, by the journal's received time
  // (a replayed pass decides the same).
  int max_messages_per_address_per_minute = 0;
};

struct PassResult {
  int rows = 0;
  std::set<std::string> channels_enqueued;  // senders to wake
  std::map<std::string, int> throttled;     // messages throttled, by channel
};

// One text message, for the intercept hook.
struct TextMessage {
  std::int64_t journal_id = 0;
  std::string channel;
  std::string address;
  std::string text;
};

struct DispatcherHooks {
  // Runs in the pass's write job before the dialogs. nullopt: not taken, the dialogs get it.
  // Else the replies to enqueue; outbox rows the hook wrote itself add their channels to
  // `enqueued`. An error other than kInvalidArgument fails the pass (tried again).
  std::function<core::Result<std::optional<std::vector<compose::Outgoing>>>(
      storage::Db&, const TextMessage&, std::int64_t now_ms, std::set<std::string>* enqueued)>
      intercept;
  // Runs once per pass in its write job, after the dialogs' timers: messages to enqueue.
  std::function<core::Result<std::vector<compose::Outgoing>>(storage::Db&, std::int64_t now_ms)>
      on_pass;
};

class Dispatcher {
 public:
  using OnEnqueued = std::function<void(const std::string& channel)>;

  // `conversations` may be null: then messages get only the channel-level answers.
  Dispatcher(storage::Store* store, const locale::Catalog* catalog, core::MetricsRegistry* metrics,
             OnEnqueued on_enqueued, DispatcherOptions options = {},
             conversation::Conversations* conversations = nullptr);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Before Start.
  void SetHooks(DispatcherHooks hooks) { hooks_ = std::move(hooks); }

  void Start();
  void Wake();
  void Stop();

  // One pass over up to `batch` journal rows, committed; for tests and the loop.
  core::Result<PassResult> RunOnce();

  static constexpr const char* kCursor = "channels";

 private:
  core::Worker::Next Pass();

  storage::Store* store_;
  const locale::Catalog* catalog_;
  conversation::Conversations* conversations_;
  OnEnqueued on_enqueued_;
  DispatcherOptions options_;
  DispatcherHooks hooks_;
  core::Counter* rows_;
  core::Counter* statuses_applied_;
  core::Counter* skipped_;
  core::MetricsRegistry* metrics_;

 public:
  // One address's throttle window: when it began and how many messages it has seen.
  struct ThrottleWindow {
    std::int64_t start_ms = 0;
    int count = 0;
  };

 private:
  std::mutex throttle_mutex_;  // committed windows; a pass works on a copy of what it touches
  std::unordered_map<std::string, ThrottleWindow> throttle_;

  core::Worker worker_;  // last: stopped before the members its passes use go away
};

}  // namespace satupintu::inbound
