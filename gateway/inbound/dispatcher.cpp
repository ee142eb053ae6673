#include "inbound/dispatcher.hpp"

#include <future>
#include <mutex>
#include <unordered_map>
#include <variant>

#include "adapters/channels.hpp"
#include "citizens/citizens.hpp"
#include "compose/compose.hpp"
#include "conversation/conversations.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "inbound/journal_record.hpp"
#include "outbox/outbox_store.hpp"
#include "subject/restriction.hpp"

namespace satupintu::inbound {
namespace {

namespace log = core::log;
using adapters::MessageKind;
using storage::Db;

outbox::ProviderStatus ToProviderStatus(adapters::DeliveryState state) {
  switch (state) {
    case adapters::DeliveryState::kSent:
      return outbox::ProviderStatus::kSent;
    case adapters::DeliveryState::kDelivered:
      return outbox::ProviderStatus::kDelivered;
    case adapters::DeliveryState::kRead:
      return outbox::ProviderStatus::kRead;
    case adapters::DeliveryState::kFailed:
      return outbox::ProviderStatus::kFailed;
  }
  return outbox::ProviderStatus::kSent;
}

using core::NowMs;

// A shared contact card links a phone number to the chat (Telegram).
bool SharesContact(const std::string& channel) {
  const auto* descriptor = adapters::DescriptorOf(channel);
  return descriptor != nullptr && descriptor->shares_contact;
}

struct Row {
  std::int64_t id;
  std::string channel;
  std::int64_t received_at_ms;
  std::string payload;
};

// The citizen's language: chosen in a dialog, else the provider's hint when we have it.
std::string LanguageFor(Db& db, std::int64_t citizen_id, const std::string& hint,
                        const locale::Catalog& catalog) {
  auto chosen = citizens::LanguageOf(db, citizen_id);
  if (chosen.ok() && chosen->has_value()) return **chosen;
  const std::string two = hint.substr(0, 2);
  for (const auto& l : catalog.Languages()) {
    if (l == two) return l;
  }
  return std::string(locale::Catalog::kReference);
}

// Applies one row. kInvalidArgument means the row cannot be used (logged and passed over);
// any other error fails the pass, which is tried again.
core::Status Enqueue(Db& db, compose::Outgoing out, std::int64_t now_ms, PassResult* result) {
  out.priority = outbox::Priority::kReply;
  auto id = compose::ComposeIn(db, out, now_ms);
  if (!id.ok()) return id.error();
  result->channels_enqueued.insert(out.channel);
  return {};
}

// A WhatsApp message that failed later because the window had closed (a status with 131047)
// goes by SMS like one refused at send time: the same key, so the SMS goes once.
core::Status FallBackToSms(Db& db, const std::string& channel, const std::string& provider_id,
                           const std::map<std::string, std::string>& sms_fallback,
                           std::int64_t now_ms, PassResult* result) {
  const auto it = sms_fallback.find(channel);
  if (it == sms_fallback.end()) return {};
  auto part = outbox::PartByProviderIdIn(db, channel, provider_id);
  if (!part.ok()) return part.error();
  if (!part.value().has_value()) return {};
  auto out = compose::SmsFallback(*part.value(), it->second);
  if (!out.has_value()) return {};
  auto id = compose::ComposeIn(db, *out, now_ms);
  if (!id.ok()) return id.error();
  result->channels_enqueued.insert(out->channel);
  return {};
}

// The per-address throttle as one pass sees it: the windows it touches are copied from the
// committed ones and written back only when the pass commits, so a pass that fails and is
// run again decides the same.
class PassThrottle {
 public:
  enum class Verdict { kPass, kFirstOver, kOver };
  using Windows = std::unordered_map<std::string, Dispatcher::ThrottleWindow>;
  static constexpr std::int64_t kWindowMs = 60'000;

  PassThrottle(int limit, std::mutex* mutex, const Windows* committed)
      : limit_(limit), mutex_(mutex), committed_(committed) {}

  // One message from `address` received at `at_ms`.
  Verdict Count(const std::string& address, std::int64_t at_ms) {
    if (limit_ <= 0) return Verdict::kPass;
    auto it = touched_.find(address);
    if (it == touched_.end()) {
      Dispatcher::ThrottleWindow w;
      {
        std::lock_guard lock(*mutex_);
        if (auto c = committed_->find(address); c != committed_->end()) w = c->second;
      }
      it = touched_.emplace(address, w).first;
    }
    auto& w = it->second;
    if (w.count == 0 || at_ms >= w.start_ms + kWindowMs || at_ms < w.start_ms) {
      w.start_ms = at_ms;
      w.count = 0;
    }
    ++w.count;
    if (w.count <= limit_) return Verdict::kPass;
    return w.count == limit_ + 1 ? Verdict::kFirstOver : Verdict::kOver;
  }
  const Windows& touched() const { return touched_; }

 private:
  int limit_;
  std::mutex* mutex_;
  const Windows* committed_;
  Windows touched_;
};

core::Status ApplyRow(Db& db, const Row& row, const locale::Catalog& catalog,
                      conversation::Conversations* conversations, const DispatcherHooks& hooks,
                      const std::map<std::string, std::string>& sms_fallback, std::int64_t now_ms,
                      PassResult* result, core::Counter* statuses_applied, PassThrottle* throttle) {
  auto entry = ParseJournalPayload(row.payload);
  if (!entry.ok()) return entry.error();
  if (const auto* status = std::get_if<adapters::StatusUpdate>(&entry.value())) {
    std::string error = status->error_code;
    if (!error.empty()) error += " " + status->error_title;
    auto applied = outbox::ApplyStatusIn(db, row.channel, status->provider_message_id,
                                         ToProviderStatus(status->state), error, now_ms);
    if (!applied.ok()) return applied.error();
    if (applied.value()) statuses_applied->Inc();
    if (status->state == adapters::DeliveryState::kFailed && status->outside_window) {
      return FallBackToSms(db, row.channel, status->provider_message_id, sms_fallback, now_ms,
                           result);
    }
    return {};
  }
  const auto& msg = std::get<adapters::InboundMessage>(entry.value());
  const std::string& address = msg.address;
  const MessageKind kind = msg.kind;
  const std::int64_t sent_ms = msg.sent_at_s * 1000;
  // WhatsApp's window runs from the citizen's message; a provider clock ahead of ours must
  // not stretch it.
  const std::int64_t at_ms =
      sent_ms > 0 ? std::min(sent_ms, row.received_at_ms) : row.received_at_ms;
  auto citizen = citizens::TouchInbound(db, address, row.channel, at_ms);
  if (!citizen.ok()) return citizen.error();
  std::int64_t citizen_id = citizen.value();
  if (kind == MessageKind::kContact && SharesContact(row.channel)) {
    const std::string& phone = msg.contact_phone;
    if (!phone.empty()) {
      auto linked = citizens::LinkPhone(db, address, phone, now_ms);
      if (!linked.ok()) return linked.error();
      citizen_id = linked.value();
    }
  }
  auto enqueue = [&](compose::Outgoing out) -> core::Status {
    out.channel = row.channel;
    out.address = address;
    return Enqueue(db, std::move(out), now_ms, result);
  };
  // A flood from one address: journaled (it is, already) and its citizen touched, nothing
  // more; the first message over the limit gets one polite answer, the rest none until the
  // window has passed. Other citizens' messages in the same pass go on as usual.
  if (const auto verdict = throttle->Count(address, row.received_at_ms);
      verdict != PassThrottle::Verdict::kPass) {
    ++result->throttled[row.channel];
    if (verdict == PassThrottle::Verdict::kFirstOver) {
      compose::Outgoing reply;
      reply.key = "slowdown-" + std::to_string(row.id);
      reply.text =
          catalog.Text(LanguageFor(db, citizen_id, msg.language, catalog), "channel.slow_down");
      return enqueue(std::move(reply));
    }
    return {};
  }
  const std::string& callback = msg.callback_query_id;
  if (!callback.empty()) {
    compose::Outgoing answer;
    answer.key = "cb-" + std::to_string(row.id);
    answer.callback_query_id = callback;
    answer.ttl_ms = 60'000;  // Telegram forgets a query after a short while anyway
    if (auto s = enqueue(std::move(answer)); !s.ok()) return s;
  }
  // A restricted citizen's text gets its one answer from the dialogs; a photo gets none. (Asked
  // only for these kinds: a text's restriction is the dialogs' to check, once.)
  const bool text_only = kind == MessageKind::kMedia || kind == MessageKind::kLocation ||
                         kind == MessageKind::kUnsupported;
  auto restricted = text_only ? subject::IsRestricted(db, citizen_id) : core::Result<bool>(false);
  if (!restricted.ok()) return restricted.error();
  if (text_only && !restricted.value()) {
    compose::Outgoing reply;
    reply.key = "textonly-" + std::to_string(row.id);
    reply.text =
        catalog.Text(LanguageFor(db, citizen_id, msg.language, catalog), "channel.text_only");
    if (auto s = enqueue(std::move(reply)); !s.ok()) return s;
  }
  if (hooks.intercept && kind == MessageKind::kText) {
    const TextMessage m{row.id, row.channel, address, msg.text};
    auto taken = hooks.intercept(db, m, now_ms, &result->channels_enqueued);
    if (!taken.ok()) return taken.error();
    if (taken.value().has_value()) {
      for (auto& r : taken.value().value()) {
        if (auto s = Enqueue(db, std::move(r), now_ms, result); !s.ok()) return s;
      }
      return {};
    }
  }
  if (conversations != nullptr && (kind == MessageKind::kText || kind == MessageKind::kButton)) {
    conversation::Message m;
    m.journal_id = row.id;
    m.citizen_id = citizen_id;
    m.channel = row.channel;
    m.address = address;
    m.text = msg.text;
    m.choice_id = msg.choice_id;
    m.language_hint = msg.language;
    auto replies = conversations->OnMessage(db, m, now_ms);
    if (!replies.ok()) return replies.error();
    for (auto& r : replies.value()) {
      if (auto s = Enqueue(db, std::move(r), now_ms, result); !s.ok()) return s;
    }
  }
  return {};
}

}  // namespace

Dispatcher::Dispatcher(storage::Store* store, const locale::Catalog* catalog,
                       core::MetricsRegistry* metrics, OnEnqueued on_enqueued,
                       DispatcherOptions options, conversation::Conversations* conversations)
    : store_(store),
      catalog_(catalog),
      conversations_(conversations),
      on_enqueued_(std::move(on_enqueued)),
      options_(std::move(options)),
      rows_(&metrics->GetCounter("satupintu_dispatch_rows_total",
                                 "Inbound journal rows handled by the channel dispatcher.")),
      statuses_applied_(&metrics->GetCounter("satupintu_dispatch_statuses_applied_total",
                                             "Provider statuses that moved an outbox part.")),
      skipped_(&metrics->GetCounter("satupintu_dispatch_rows_skipped_total",
                                    "Journal rows the dispatcher could not use.")),
      metrics_(metrics),
      worker_([this] { return Pass(); },
              {.interval = options_.poll_interval, .run_at_start = true}) {}

Dispatcher::~Dispatcher() { Stop(); }

void Dispatcher::Start() { worker_.Start(); }

void Dispatcher::Wake() { worker_.Wake(); }

void Dispatcher::Stop() { worker_.Stop(); }

core::Result<PassResult> Dispatcher::RunOnce() {
  auto result = std::make_shared<PassResult>();
  auto skipped = std::make_shared<int>(0);
  auto throttle = std::make_shared<PassThrottle>(options_.max_messages_per_address_per_minute,
                                                 &throttle_mutex_, &throttle_);
  std::promise<core::Status> done;
  auto future = done.get_future();
  store_->Write(
      [this, result, skipped, throttle](Db& db) -> core::Status {
        const std::int64_t now_ms = NowMs();
        auto cursor = db.Prepare("SELECT last_id FROM journal_cursor WHERE consumer = ?");
        if (!cursor.ok()) return cursor.error();
        cursor.value()->Bind(1, std::string_view(kCursor));
        std::int64_t last_id = 0;
        if (cursor.value()->Step() == SQLITE_ROW) last_id = cursor.value()->ColumnInt(0);
        cursor.value()->Reset();
        auto select = db.Prepare(
            "SELECT id, channel, received_at_ms, payload FROM inbound_journal WHERE id > ?"
            " ORDER BY id LIMIT ?");
        if (!select.ok()) return select.error();
        auto* q = select.value();
        q->Bind(1, last_id).Bind(2, static_cast<std::int64_t>(options_.batch));
        std::vector<Row> rows;
        auto read = storage::ForEachRow(db, *q, "read journal", [&](storage::Stmt& r) {
          rows.push_back({r.ColumnInt(0), r.ColumnText(1), r.ColumnInt(2), r.ColumnText(3)});
        });
        if (!read.ok()) return read.error();
        for (const auto& row : rows) {
          // Each row in its own savepoint: an unusable row rolls back alone.
          if (auto s = db.Exec("SAVEPOINT dispatch_row"); !s.ok()) return s;
          auto s = ApplyRow(db, row, *catalog_, conversations_, hooks_, options_.sms_fallback,
                            now_ms, result.get(), statuses_applied_, throttle.get());
          if (!s.ok() && s.error().code != core::ErrorCode::kInvalidArgument) return s;
          if (!s.ok()) {
            (void)db.Exec("ROLLBACK TO dispatch_row");
            ++*skipped;
            log::Warn("dispatch.row_skipped")
                .Int("journal_id", row.id)
                .Str("channel", row.channel)
                .Str("reason", s.error().message);
          }
          if (auto r = db.Exec("RELEASE dispatch_row"); !r.ok()) return r;
          last_id = row.id;
        }
        result->rows = static_cast<int>(rows.size());
        if (conversations_ != nullptr) {
          auto replies = conversations_->OnTimers(db, now_ms, options_.timers_per_pass);
          if (!replies.ok()) return replies.error();
          for (auto& r : replies.value()) {
            if (auto s = Enqueue(db, std::move(r), now_ms, result.get()); !s.ok()) return s;
          }
        }
        if (hooks_.on_pass) {
          auto more = hooks_.on_pass(db, now_ms);
          if (!more.ok()) return more.error();
          for (auto& r : more.value()) {
            if (auto s = Enqueue(db, std::move(r), now_ms, result.get()); !s.ok()) return s;
          }
        }
        if (rows.empty()) return {};
        auto save = db.Prepare(
            "INSERT INTO journal_cursor (consumer, last_id) VALUES (?, ?)"
            " ON CONFLICT (consumer) DO UPDATE SET last_id = excluded.last_id");
        if (!save.ok()) return save.error();
        return save.value()->Bind(1, std::string_view(kCursor)).Bind(2, last_id).Run();
      },
      [&done](const core::Status& s) { done.set_value(s); });
  auto status = future.get();
  if (!status.ok()) return status.error();
  rows_->Inc(static_cast<std::uint64_t>(result->rows));
  if (!throttle->touched().empty()) {
    std::lock_guard lock(throttle_mutex_);
    for (const auto& [address, window] : throttle->touched()) throttle_[address] = window;
    // Only addresses heard from in the last window matter; the rest go (bounded memory).
    if (throttle_.size() > 4096) {
      const std::int64_t horizon = NowMs() - 2 * PassThrottle::kWindowMs;
      std::erase_if(throttle_, [horizon](const auto& e) { return e.second.start_ms < horizon; });
    }
  }
  for (const auto& [channel, n] : result->throttled) {
    metrics_
        ->GetCounter("satupintu_inbound_throttled_total",
                     "Inbound messages not handled because their address wrote too fast.",
                     {{"channel", channel}})
        .Inc(static_cast<std::uint64_t>(n));
  }
  skipped_->Inc(static_cast<std::uint64_t>(*skipped));
  return std::move(*result);
}

core::Worker::Next Dispatcher::Pass() {
  auto pass = RunOnce();
  if (!pass.ok()) {
    log::Warn("dispatch.pass_failed").Str("reason", pass.error().message);
    return core::Worker::Next::kWait;
  }
  for (const auto& channel : pass->channels_enqueued) on_enqueued_(channel);
  // A full batch means more rows are waiting.
  return pass->rows == options_.batch ? core::Worker::Next::kAgain : core::Worker::Next::kWait;
}

}  // namespace satupintu::inbound
