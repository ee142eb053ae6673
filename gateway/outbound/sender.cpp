#include "outbound/sender.hpp"

#include <algorithm>
#include <cmath>

#include "compose/compose.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"

namespace satupintu::outbound {
namespace {

namespace log = core::log;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

const char* VerdictName(adapters::SendVerdict v) {
  switch (v) {
    case adapters::SendVerdict::kAccepted:
      return "accepted";
    case adapters::SendVerdict::kRateLimited:
      return "rate_limited";
    case adapters::SendVerdict::kTransient:
      return "transient";
    case adapters::SendVerdict::kPermanent:
      return "permanent";
    case adapters::SendVerdict::kOptedOut:
      return "opted_out";
  }
  return "unknown";
}

}  // namespace

Sender::Sender(std::string channel, outbox::OutboxStore* outbox, Transport* transport,
               SenderLimits limits, SenderHooks hooks, core::MetricsRegistry* metrics,
               WallClock wall_clock)
    : channel_(std::move(channel)),
      outbox_(outbox),
      transport_(transport),
      limits_(limits),
      hooks_(std::move(hooks)),
      wall_clock_(wall_clock ? std::move(wall_clock) : WallClock(core::NowMs)),
      bucket_(limits.rate_per_second, limits.burst),
      pacer_(limits.per_recipient_interval, limits.per_recipient_burst),
      rng_(std::random_device{}()) {
  auto counter = [&](const char* verdict) {
    return &metrics->GetCounter("satupintu_sender_attempts_total",
                                "Attempts to hand an outbox part to a peer, by verdict.",
                                {{"channel", channel_}, {"verdict", verdict}});
  };
  attempts_accepted_ = counter("accepted");
  attempts_rate_limited_ = counter("rate_limited");
  attempts_transient_ = counter("transient");
  attempts_permanent_ = counter("permanent");
  attempts_opted_out_ = counter("opted_out");
  latency_ = &metrics->GetHistogram(
      "satupintu_sender_attempt_seconds", "Time from handing a part to the peer to its answer.",
      {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}, {{"channel", channel_}});
  accept_log_errors_ = &metrics->GetCounter(
      "satupintu_sender_accept_log_errors_total",
      "Acceptances that could not be written to the acceptance log (sent again after a crash).",
      {{"channel", channel_}});
  in_flight_gauge_ = &metrics->GetGauge("satupintu_sender_in_flight",
                                        "Parts claimed from the outbox and not yet recorded.",
                                        {{"channel", channel_}});
}

Sender::~Sender() { Stop(milliseconds(0)); }

namespace {

std::int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void Sender::Start() {
  std::lock_guard lock(mutex_);
  if (started_) return;
  started_ = true;
  thread_ = std::thread([this] { Loop(); });
}

void Sender::Wake() {
  {
    std::lock_guard lock(mutex_);
    wake_ = true;
  }
  cv_.notify_all();
}

void Sender::Stop(milliseconds grace) {
  {
    std::lock_guard lock(mutex_);
    if (!started_) return;
    if (!stopping_) {
      stopping_ = true;
      stop_deadline_ = Clock::now() + grace;
    }
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

SenderStats Sender::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

int Sender::in_flight() const {
  std::lock_guard lock(mutex_);
  return in_flight_;
}

std::int64_t Sender::WallNow() const { return wall_clock_(); }

milliseconds Sender::Backoff(int attempts) {
  const auto base = static_cast<double>(limits_.backoff_base.count());
  const auto cap = static_cast<double>(limits_.backoff_max.count());
  const double raw = std::min(cap, base * std::pow(2.0, std::max(0, attempts - 1)));
  std::uniform_real_distribution<double> jitter(0.5, 1.5);
  return milliseconds(static_cast<std::int64_t>(std::min(cap, raw * jitter(rng_))));
}

void Sender::Loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    dirty_ = false;
    last_turn_ms_.store(SteadyMs(), std::memory_order_relaxed);
    std::vector<std::function<void()>> actions;
    HandleCompleted(actions);
    const TimePoint now = Clock::now();
    TimePoint next = now + limits_.poll_interval;
    if (stopping_) {
      while (!ready_.empty()) {
        auto part = std::move(ready_.front());
        ready_.pop_front();
        actions.emplace_back([this, part] { Defer(part, WallNow()); });
      }
      // A claim or record handed to the store always answers, into this object: never leave
      // before it has, or its callback writes into freed memory. Retries not yet run hold a
      // count in pending_records_ without a call in the store.
      const bool store_quiet = !claiming_ && pending_records_ == static_cast<int>(retries_.size());
      const bool done =
          store_quiet && ((in_flight_ == 0 && completed_.empty() && actions.empty()) ||
                          (now >= stop_deadline_ && at_peer_ == 0 && retries_.empty() &&
                           actions.empty() && pending_records_ == 0) ||
                          now >= stop_deadline_ + milliseconds(100));
      if (done) {
        if (in_flight_ > 0) {
          log::Warn("sender.stopped_with_parts_in_flight")
              .Str("channel", channel_)
              .Int("parts", in_flight_);
        }
        break;
      }
      next = std::min(next, std::max(now + milliseconds(20), stop_deadline_));
    } else {
      next = std::min(next, Dispatch(actions, now));
      if (auto claim = MaybeClaim(now)) actions.push_back(std::move(claim));
      next = std::min({next, next_poll_, next_due_});
    }
    // Records that failed (store briefly unavailable) are tried again.
    for (auto it = retries_.begin(); it != retries_.end();) {
      if (it->first <= now) {
        actions.push_back(std::move(it->second));
        it = retries_.erase(it);
      } else {
        next = std::min(next, it->first);
        ++it;
      }
    }
    if (!actions.empty()) {
      lock.unlock();
      for (auto& action : actions) action();
      lock.lock();
      continue;
    }
    in_flight_gauge_->Set(in_flight_);
    // A wake only counts when a claim could follow; otherwise the claim in progress, a record
    // or an answer sets dirty_ when it lands.
    cv_.wait_until(lock, next, [this] {
      return dirty_ || stopping_ != was_stopping_ || (wake_ && CanClaim());
    });
    was_stopping_ = stopping_;
  }
  in_flight_gauge_->Set(in_flight_);
  last_turn_ms_.store(0, std::memory_order_relaxed);
}

bool Sender::Stuck(std::chrono::milliseconds threshold) const {
  const std::int64_t last = last_turn_ms_.load(std::memory_order_relaxed);
  return last != 0 && SteadyMs() - last > threshold.count();
}

void Sender::HandleCompleted(std::vector<std::function<void()>>& actions) {
  const TimePoint now = Clock::now();
  while (!completed_.empty()) {
    Completed c = std::move(completed_.front());
    completed_.pop_front();
    busy_.erase(c.part.address);
    --at_peer_;
    ++stats_.attempts;
    latency_->Observe(c.attempt.exchange.elapsed_ms / 1000.0);
    if (hooks_.on_attempt) {
      actions.emplace_back(
          [this, part = c.part, attempt = c.attempt] { hooks_.on_attempt(part, attempt); });
    }
    Outcome(c, now, actions);
  }
}

void Sender::Outcome(const Completed& c, TimePoint now,
                     std::vector<std::function<void()>>& actions) {
  const outbox::DuePart& part = c.part;
  const Attempt& attempt = c.attempt;
  const auto& r = attempt.result;
  const std::int64_t wall = WallNow();
  const auto expired = [&](std::int64_t next_ms) {
    return part.expires_at_ms > 0 && next_ms > part.expires_at_ms;
  };
  const std::string reason = r.reason.empty() ? std::string(VerdictName(r.verdict)) : r.reason;
  switch (r.verdict) {
    case adapters::SendVerdict::kAccepted: {
      attempts_accepted_->Inc();
      ++stats_.accepted;
      const bool more = part.seq < part.total;
      actions.emplace_back([this, part, id = r.provider_message_id, more, logged = c.logged] {
        Record(
            "accepted", part,
            [this, part, id](auto done) {
              outbox_->RecordAccepted(part.part_id, id, WallNow(), std::move(done));
            },
            more, logged);
      });
      return;
    }
    case adapters::SendVerdict::kRateLimited: {
      attempts_rate_limited_->Inc();
      ++stats_.rate_limited;
      const milliseconds wait = r.retry_after
                                    ? std::chrono::duration_cast<milliseconds>(*r.retry_after)
                                    : limits_.default_retry_after;
      // A limit about one recipient (WhatsApp's pair limit) waits for that recipient only.
      if (r.scope == adapters::LimitScope::kRecipient) {
        pacer_.PauseUntil(part.address, now + wait);
      } else {
        bucket_.PauseUntil(now + wait);
      }
      const std::int64_t next_ms = wall + wait.count();
      // Look again when it is due rather than at the next regular poll.
      next_due_ = std::min(next_due_, now + wait + milliseconds(1));
      if (expired(next_ms)) {
        actions.emplace_back(
            [this, part, reason] { Fail(part, "expired while rate limited: " + reason); });
      } else {
        actions.emplace_back([this, part, next_ms] { Defer(part, next_ms); });
      }
      return;
    }
    case adapters::SendVerdict::kTransient: {
      attempts_transient_->Inc();
      ++stats_.transient;
      const milliseconds backoff = Backoff(part.attempts);
      const std::int64_t next_ms = wall + backoff.count();
      next_due_ = std::min(next_due_, now + backoff + milliseconds(1));
      if (expired(next_ms)) {
        actions.emplace_back([this, part, reason] {
          Fail(part, "gave up after " + std::to_string(part.attempts) + " attempts: " + reason);
        });
      } else {
        actions.emplace_back([this, part, next_ms, reason] {
          Record("retry", part, [this, part, next_ms, reason](auto done) {
            outbox_->RecordRetry(part.part_id, next_ms, reason, WallNow(), std::move(done));
          });
        });
      }
      return;
    }
    case adapters::SendVerdict::kPermanent: {
      attempts_permanent_->Inc();
      actions.emplace_back([this, part, attempt, reason] {
        std::string extra;
        if (hooks_.on_permanent) extra = hooks_.on_permanent(part, attempt);
        Fail(part, extra.empty() ? reason : reason + "; " + extra);
      });
      return;
    }
    case adapters::SendVerdict::kOptedOut: {
      attempts_opted_out_->Inc();
      actions.emplace_back([this, part, reason] {
        if (hooks_.on_opted_out) hooks_.on_opted_out(part);
        Fail(part, "recipient opted out: " + reason);
      });
      return;
    }
  }
}

TimePoint Sender::Dispatch(std::vector<std::function<void()>>& actions, TimePoint now) {
  TimePoint next = TimePoint::max();
  pacer_.Forget(now);
  // A reply or an alert claimed after bulk parts still waiting for a token goes first (a
  // modem's token comes every 7.5 s); within a priority, claim order.
  if (!std::is_sorted(ready_.begin(), ready_.end(),
                      [](const outbox::DuePart& a, const outbox::DuePart& b) {
                        return a.priority < b.priority;
                      })) {
    std::stable_sort(
        ready_.begin(), ready_.end(),
        [](const outbox::DuePart& a, const outbox::DuePart& b) { return a.priority < b.priority; });
  }
  for (auto it = ready_.begin(); it != ready_.end();) {
    if (in_flight_ > 0 && at_peer_ >= limits_.max_in_flight) break;
    const outbox::DuePart& part = *it;
    if (part.opted_out && !compose::IsOptOutNotice(part)) {
      actions.emplace_back([this, part] { Fail(part, "recipient opted out"); });
      it = ready_.erase(it);
      continue;
    }
    if (busy_.contains(part.address)) {
      ++it;  // its previous part is still with the peer: it goes next
      continue;
    }
    const Duration recipient_wait = pacer_.Wait(part.address, now);
    if (recipient_wait > Duration::zero()) {
      if (recipient_wait > limits_.max_hold) {
        const std::int64_t next_ms =
            WallNow() + std::chrono::duration_cast<milliseconds>(recipient_wait).count() + 1;
        next_due_ = std::min(next_due_, now + recipient_wait + milliseconds(2));
        actions.emplace_back([this, part = *it, next_ms] { Defer(part, next_ms); });
        it = ready_.erase(it);
      } else {
        next = std::min(next, now + recipient_wait);
        ++it;
      }
      continue;
    }
    const double cost = transport_->Cost(part);
    const Duration channel_wait = bucket_.Wait(cost, now);
    if (channel_wait > Duration::zero()) {
      // Priority order: nothing behind this part overtakes it on the channel's tokens.
      next = std::min(next, now + channel_wait);
      break;
    }
    pacer_.TryTake(part.address, now);
    bucket_.TryTake(cost, now);
    busy_.insert(part.address);
    ++at_peer_;
    actions.emplace_back([this, part = std::move(*it)] {
      // Written down before the peer sees the part: at a crash, a part in flight without this
      // line never left, and goes back to the queue (accept_log.hpp). A failed write only
      // loses that: the part is then treated as possibly sent.
      AcceptLog::Ticket offered = -1;
      if (accept_log_ != nullptr) {
        auto t = accept_log_->Offer(part.part_id);
        if (t.ok()) {
          offered = t.value();
        } else {
          accept_log_errors_->Inc();
        }
      }
      transport_->Send(part, [this, part, offered](Attempt attempt) {
        const AcceptLog::Ticket logged = LogAcceptance(part, attempt);
        if (offered >= 0) accept_log_->Recorded(offered);
        {
          std::lock_guard lock(mutex_);
          completed_.push_back({part, std::move(attempt), logged});
          dirty_ = true;
        }
        cv_.notify_all();
      });
    });
    it = ready_.erase(it);
  }
  return next;
}

bool Sender::CanClaim() const {
  return !claiming_ && !stopping_ && in_flight_ < limits_.max_in_flight &&
         static_cast<int>(ready_.size()) < limits_.claim_batch;
}

std::function<void()> Sender::MaybeClaim(TimePoint now) {
  if (!CanClaim()) return {};
  if (!wake_ && now < next_poll_ && now < next_due_) return {};
  int n = std::min(limits_.claim_batch, limits_.max_in_flight - in_flight_);
  if (!bucket_.unlimited()) {
    // Bulk parts waiting here for a token would take it before a reply queued after them and
    // claimed only once the token is there (a modem's comes every 7.5 s): on a wake, replies
    // and notifications are claimed at once, a few, to go first (Dispatch sorts by priority).
    const bool bulk_waiting =
        std::any_of(ready_.begin(), ready_.end(), [](const outbox::DuePart& p) {
          return p.priority >= static_cast<int>(outbox::Priority::kBulk);
        });
    const auto urgent = [&]() -> std::function<void()> {
      const bool woken = wake_;
      wake_ = false;
      if (!woken || !bulk_waiting) return {};
      claiming_ = true;
      return Claim(std::min(n, kUrgentClaim), outbox::Priority::kNotification);
    };
    // A wake is answered by the claim at next_poll_ when the rate allows none now. Left set,
    // it would hold the loop's wait predicate true and spin the loop until the next token
    // (7.5 s at 8 a minute), holding this sender's lock against the store's writer thread
    // and the HTTP client's threads, whose completions take it: every channel would stall.
    if (bucket_.Wait(1, now) > milliseconds(250)) {
      next_poll_ = now + std::chrono::duration_cast<milliseconds>(bucket_.Wait(1, now));
      return urgent();
    }
    // Claim only what the channel can send in the next quarter second, counting what is
    // already waiting: a claimed part is in flight until it was offered to the peer.
    const double horizon = bucket_.Available(now) + limits_.rate_per_second * 0.25;
    const int want = static_cast<int>(std::ceil(horizon)) - static_cast<int>(ready_.size());
    if (want <= 0) {
      next_poll_ = now + milliseconds(50);
      return urgent();
    }
    n = std::min(n, want);
  }
  claiming_ = true;
  wake_ = false;
  next_poll_ = now + limits_.poll_interval;
  if (now >= next_due_) next_due_ = TimePoint::max();
  return Claim(n, outbox::Priority::kBulk);
}

std::function<void()> Sender::Claim(int n, outbox::Priority up_to) {
  return [this, n, up_to] {
    outbox_->ClaimDue(
        channel_, n, WallNow(),
        [this, n, up_to](core::Result<std::vector<outbox::DuePart>> r) {
          {
            std::lock_guard lock(mutex_);
            claiming_ = false;
            if (r.ok()) {
              in_flight_ += static_cast<int>(r->size());
              for (auto& p : *r) ready_.push_back(std::move(p));
              // There may be more (an urgent claim leaves the rest to the regular ones).
              if (static_cast<int>(r->size()) == n && up_to == outbox::Priority::kBulk) {
                wake_ = true;
              }
            } else {
              log::Warn("sender.claim_failed")
                  .Str("channel", channel_)
                  .Str("reason", r.error().message);
            }
            dirty_ = true;
          }
          cv_.notify_all();
        },
        up_to);
  };
}

void Sender::Defer(const outbox::DuePart& part, std::int64_t next_attempt_ms) {
  {
    std::lock_guard lock(mutex_);
    ++stats_.deferred;
  }
  Record("deferred", part, [this, part, next_attempt_ms](auto done) {
    outbox_->RecordDeferred(part.part_id, next_attempt_ms, WallNow(), std::move(done));
  });
}

void Sender::Fail(const outbox::DuePart& part, std::string reason) {
  {
    std::lock_guard lock(mutex_);
    ++stats_.failed;
  }
  Record("failed", part, [this, part, reason = std::move(reason)](auto done) {
    outbox_->RecordFailed(part.part_id, reason, WallNow(), std::move(done));
  });
}

AcceptLog::Ticket Sender::LogAcceptance(const outbox::DuePart& part, const Attempt& attempt) {
  if (accept_log_ == nullptr || attempt.result.verdict != adapters::SendVerdict::kAccepted) {
    return -1;
  }
  auto ticket = accept_log_->Append(part.part_id, attempt.result.provider_message_id);
  if (ticket.ok()) return ticket.value();
  accept_log_errors_->Inc();
  log::Warn("sender.accept_log_failed")
      .Str("channel", channel_)
      .Int("part_id", part.part_id)
      .Str("reason", ticket.error().message)
      .Str("detail", ticket.error().detail);
  return -1;
}

void Sender::Record(const char* what, const outbox::DuePart& part, RecordOp op, bool wake_after,
                    AcceptLog::Ticket logged) {
  {
    std::lock_guard lock(mutex_);
    ++pending_records_;
  }
  auto shared = std::make_shared<RecordOp>(std::move(op));
  (*shared)(
      [this, what, part_id = part.part_id, shared, wake_after, logged](const core::Status& s) {
        const bool recorded = s.ok() || s.error().code == core::ErrorCode::kInvalidArgument;
        if (recorded && logged >= 0) accept_log_->Recorded(logged);
        {
          std::lock_guard lock(mutex_);
          --pending_records_;
          if (s.ok()) {
            --in_flight_;
            if (wake_after) wake_ = true;
          } else if (s.error().code == core::ErrorCode::kInvalidArgument) {
            // The part moved on without us (a status raced ahead): nothing left to record.
            --in_flight_;
          } else {
            ++stats_.record_errors;
            log::Warn("sender.record_failed")
                .Str("channel", channel_)
                .Str("what", what)
                .Int("part_id", part_id)
                .Str("reason", s.error().message);
            ++pending_records_;  // released when the retry runs
            retries_.emplace_back(Clock::now() + milliseconds(1000),
                                  [this, what, part_id, shared, wake_after, logged] {
                                    {
                                      std::lock_guard inner(mutex_);
                                      --pending_records_;
                                    }
                                    outbox::DuePart p;
                                    p.part_id = part_id;
                                    Record(what, p, *shared, wake_after, logged);
                                  });
          }
          dirty_ = true;
        }
        cv_.notify_all();
      });
}

}  // namespace satupintu::outbound
