// The shared sender against a real outbox (SQLite) and a scripted peer. The peer here is a
// stand-in for a remote service, driven by a function of the part; the HTTP transports are
// tested against the fake Graph/Bot API servers elsewhere.
#include "outbound/sender.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "schema/schema.hpp"
#include "support/process.hpp"

namespace satupintu::outbound {
namespace {

using namespace std::chrono_literals;
using adapters::SendVerdict;
using Clock = std::chrono::steady_clock;

struct Sent {
  std::string part_key;
  std::string address;
  Clock::time_point at;
};

// A peer that answers each attempt with what `decide` says, after `delay` on its own thread
// (or inline when delay is negative), and remembers what it was given.
class ScriptedPeer : public Transport {
 public:
  std::function<adapters::SendResult(const outbox::DuePart&, int nth)> decide;
  std::chrono::milliseconds delay{1};

  void Send(const outbox::DuePart& part, std::function<void(Attempt)> done) override {
    int nth;
    {
      std::lock_guard lock(mutex_);
      nth = ++seen_[part.part_key];
      log_.push_back({part.part_key, part.address, Clock::now()});
    }
    Attempt a;
    a.result =
        decide ? decide(part, nth)
               : adapters::SendResult{SendVerdict::kAccepted, "pid-" + part.part_key, {}, {}, {}};
    if (delay.count() < 0) return done(std::move(a));
    threads_.emplace_back([a = std::move(a), done = std::move(done), d = delay]() mutable {
      std::this_thread::sleep_for(d);
      done(std::move(a));
    });
  }

  std::vector<Sent> log() const {
    std::lock_guard lock(mutex_);
    return log_;
  }
  ~ScriptedPeer() override {
    for (auto& t : threads_) t.join();
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, int> seen_;
  std::vector<Sent> log_;
  std::vector<std::jthread> threads_;
};

class SenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions options;
    options.migrations = schema::Migrations();
    options.path = dir_.File("s.db");
    options.synchronous_full = false;
    store_ = std::move(storage::Store::Open(options, &metrics_)).value();
    outbox_ = std::make_unique<outbox::OutboxStore>(store_.get(), &metrics_);
  }
  void TearDown() override {
    if (sender_) sender_->Stop(2s);
    sender_.reset();
    store_->Close();
  }

  static std::int64_t Now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  void Enqueue(const std::string& key, std::vector<std::string> parts,
               const std::string& address = "6281234567890",
               outbox::Priority priority = outbox::Priority::kReply, std::int64_t ttl_ms = 60'000) {
    outbox::NewMessage m;
    m.key = key;
    m.channel = "test:a";
    m.address = address;
    m.priority = priority;
    m.body_json = "{}";
    m.parts = std::move(parts);
    m.expires_at_ms = Now() + ttl_ms;
    std::promise<core::Result<std::int64_t>> p;
    outbox_->Enqueue(std::move(m), Now(), [&p](auto r) { p.set_value(std::move(r)); });
    ASSERT_TRUE(p.get_future().get().ok());
  }

  void StartSender(SenderLimits limits, SenderHooks hooks = {}) {
    sender_ = std::make_unique<Sender>("test:a", outbox_.get(), &peer_, limits, std::move(hooks),
                                       &metrics_);
    sender_->Start();
  }

  std::map<std::string, std::string> States() {
    std::map<std::string, std::string> out;
    auto db = storage::Db::Open(dir_.File("s.db"), /*read_only=*/true);
    auto q = db.value()->Prepare(
        "SELECT part_key, state || '|' || attempts || '|' ||"
        " COALESCE(last_error, '') FROM outbox_part");
    while (q.value()->Step() == SQLITE_ROW)
      out[q.value()->ColumnText(0)] = q.value()->ColumnText(1);
    q.value()->Reset();
    return out;
  }

  // Waits (bounded) until every part is in one of the final states.
  bool WaitSettled(std::chrono::milliseconds limit = 10s) {
    const auto until = Clock::now() + limit;
    while (Clock::now() < until) {
      bool settled = true;
      for (const auto& [k, v] : States()) {
        if (v.rfind("sent|", 0) != 0 && v.rfind("failed|", 0) != 0) settled = false;
      }
      if (settled && sender_->in_flight() == 0) return true;
      std::this_thread::sleep_for(20ms);
    }
    for (const auto& [k, v] : States()) std::cerr << k << " " << v << "\n";
    std::cerr << "in_flight " << sender_->in_flight() << "\n";
    return false;
  }

  satupintu::testing::TempDir dir_;
  core::MetricsRegistry metrics_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<outbox::OutboxStore> outbox_;
  ScriptedPeer peer_;
  std::unique_ptr<Sender> sender_;
};

TEST_F(SenderTest, EveryPartIsSentOnceAndPartsOfAMessageInOrder) {
  for (int i = 0; i < 60; ++i) {
    std::vector<std::string> parts{"a"};
    if (i % 3 == 0) parts = {"p1", "p2", "p3"};
    Enqueue("m" + std::to_string(i), parts, "62812000" + std::to_string(i % 7));
  }
  SenderLimits limits;
  limits.max_in_flight = 16;
  limits.claim_batch = 8;
  StartSender(limits);
  ASSERT_TRUE(WaitSettled());
  const auto log = peer_.log();
  std::map<std::string, int> count;
  for (const auto& s : log) ++count[s.part_key];
  EXPECT_EQ(count.size(), 100u);  // 20 x 3 + 40 x 1
  for (const auto& [k, n] : count) EXPECT_EQ(n, 1) << k;
  for (const auto& [k, v] : States()) EXPECT_EQ(v, "sent|1|") << k;
  // Order within a message.
  std::map<std::string, int> last_seq;
  for (const auto& s : log) {
    const auto dot = s.part_key.rfind('.');
    const std::string msg = s.part_key.substr(0, dot);
    const int seq = std::stoi(s.part_key.substr(dot + 1));
    EXPECT_EQ(seq, last_seq[msg] + 1) << s.part_key;
    last_seq[msg] = seq;
  }
}

// Issue 19 item 2: each acceptance is in the acceptance log before the sender's loop even sees
// the answer (so before the store's record), and leaves it once the record has committed;
// a refusal is never logged.
TEST_F(SenderTest, AcceptancesAreLoggedBeforeTheyAreRecorded) {
  auto opened = AcceptLog::Open(dir_.File("s.db"));
  ASSERT_TRUE(opened.ok());
  auto log = std::move(opened).value();
  peer_.decide = [](const outbox::DuePart& part, int) {
    adapters::SendResult r;
    r.verdict = SendVerdict::kAccepted;
    r.provider_message_id = "pid-" + part.part_key;
    if (part.address == "6281299999999") {
      r.verdict = SendVerdict::kPermanent;
      r.reason = "refused";
    }
    return r;
  };
  std::mutex mutex;
  std::map<std::string, bool> logged_when_seen;  // part key -> in the log at on_attempt
  SenderHooks hooks;
  hooks.on_attempt = [&](const outbox::DuePart& part, const Attempt&) {
    const auto entries = AcceptLog::Read(dir_.File("s.db"));
    const bool found = entries.ok() && std::any_of(entries->begin(), entries->end(), [&](auto& e) {
                         return e.part_id == part.part_id;
                       });
    std::lock_guard lock(mutex);
    logged_when_seen[part.part_key] = found;
  };
  for (int i = 0; i < 20; ++i)
    Enqueue("m" + std::to_string(i), {"a"}, "62812000" + std::to_string(i));
  Enqueue("refused", {"a"}, "6281299999999");
  sender_ = std::make_unique<Sender>("test:a", outbox_.get(), &peer_, SenderLimits{},
                                     std::move(hooks), &metrics_);
  sender_->UseAcceptLog(log.get());
  sender_->Start();
  ASSERT_TRUE(WaitSettled());
  std::lock_guard lock(mutex);
  ASSERT_EQ(logged_when_seen.size(), 21u);
  for (const auto& [key, found] : logged_when_seen) {
    EXPECT_EQ(found, key != "refused.1") << key;
  }
  EXPECT_EQ(log->outstanding(), 0) << "every record committed";
}

// Issue 19 item 4: a send that never returns holds the loop; /readyz asks Stuck().
TEST_F(SenderTest, AHungSendShowsAsStuckAndClearsWhenItReturns) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> entered{false};
  peer_.delay = -1ms;
  peer_.decide = [&](const outbox::DuePart& part, int) {
    entered = true;
    released.wait();
    return adapters::SendResult{SendVerdict::kAccepted, "pid-" + part.part_key, {}, {}, {}};
  };
  StartSender({});
  EXPECT_FALSE(sender_->Stuck(5s)) << "an idle loop turns every poll interval";
  Enqueue("m", {"x"});
  sender_->Wake();
  const auto until = Clock::now() + 10s;
  while (!entered && Clock::now() < until) std::this_thread::sleep_for(5ms);
  ASSERT_TRUE(entered);
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(sender_->Stuck(200ms));
  release.set_value();
  ASSERT_TRUE(WaitSettled());
  EXPECT_FALSE(sender_->Stuck(5s));
  sender_->Stop(2s);
  EXPECT_FALSE(sender_->Stuck(0ms)) << "a stopped sender is not stuck";
}

TEST_F(SenderTest, InlineCompletionWorks) {
  peer_.delay = -1ms;
  for (int i = 0; i < 20; ++i) Enqueue("m" + std::to_string(i), {"x", "y"});
  StartSender({});
  ASSERT_TRUE(WaitSettled());
  EXPECT_EQ(peer_.log().size(), 40u);
}

TEST_F(SenderTest, ChannelRateIsNotExceeded) {
  for (int i = 0; i < 40; ++i) Enqueue("m" + std::to_string(i), {"x"}, "6281" + std::to_string(i));
  SenderLimits limits;
  limits.rate_per_second = 50;
  limits.burst = 1;
  StartSender(limits);
  ASSERT_TRUE(WaitSettled());
  const auto log = peer_.log();
  ASSERT_EQ(log.size(), 40u);
  // 40 sends at 50/s with a burst of 1 cannot take less than 39/50 s.
  EXPECT_GE(log.back().at - log.front().at, 39 * 20ms - 2ms);
}

TEST_F(SenderTest, OneRecipientIsPacedOthersAreNot) {
  for (int i = 0; i < 4; ++i) Enqueue("slow" + std::to_string(i), {"x"}, "tg:1");
  for (int i = 0; i < 4; ++i)
    Enqueue("fast" + std::to_string(i), {"x"}, "tg:" + std::to_string(10 + i));
  SenderLimits limits;
  limits.per_recipient_interval = 150ms;
  StartSender(limits);
  ASSERT_TRUE(WaitSettled());
  std::vector<Clock::time_point> slow;
  Clock::time_point last_fast{};
  for (const auto& s : peer_.log()) {
    if (s.address == "tg:1")
      slow.push_back(s.at);
    else
      last_fast = std::max(last_fast, s.at);
  }
  ASSERT_EQ(slow.size(), 4u);
  // The pacer spaces the dispatches; the peer stamps arrival on its own threads, so one gap can
  // look a few ms short when the send before it was slower to arrive (146 ms was seen under
  // load). Each gap is still far from the ~0 of an unpaced sender, and the run as a whole
  // cannot have taken less than the three intervals.
  for (std::size_t i = 1; i < slow.size(); ++i) EXPECT_GE(slow[i] - slow[i - 1], 120ms);
  EXPECT_GE(slow[3] - slow[0], 420ms);
  EXPECT_LT(last_fast, slow[3]) << "other chats are not held behind a slow one";
}

TEST_F(SenderTest, TransientErrorsRetryWithBackoffThenSucceed) {
  peer_.decide = [](const outbox::DuePart& p, int nth) {
    if (nth < 3) return adapters::SendResult{SendVerdict::kTransient, {}, {}, "503", "peer 503"};
    return adapters::SendResult{SendVerdict::kAccepted, "pid-" + p.part_key, {}, {}, {}};
  };
  Enqueue("m1", {"x"});
  SenderLimits limits;
  limits.backoff_base = 50ms;
  limits.poll_interval = 20ms;
  StartSender(limits);
  ASSERT_TRUE(WaitSettled());
  const auto log = peer_.log();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_GE(log[1].at - log[0].at, 25ms) << "backoff base 50 ms with jitter >= 0.5";
  EXPECT_GE(log[2].at - log[1].at, 50ms) << "doubled";
  EXPECT_EQ(States()["m1.1"], "sent|3|peer 503");
}

TEST_F(SenderTest, TransientErrorsGiveUpAtExpiry) {
  peer_.decide = [](const outbox::DuePart&, int) {
    return adapters::SendResult{SendVerdict::kTransient, {}, {}, "503", "peer 503"};
  };
  Enqueue("m1", {"x"}, "6281", outbox::Priority::kReply, /*ttl_ms=*/400);
  SenderLimits limits;
  limits.backoff_base = 100ms;
  limits.poll_interval = 20ms;
  StartSender(limits);
  ASSERT_TRUE(WaitSettled());
  const auto state = States()["m1.1"];
  EXPECT_EQ(state.rfind("failed|", 0), 0u) << state;
  EXPECT_NE(state.find("gave up after"), std::string::npos) << state;
  EXPECT_NE(state.find("peer 503"), std::string::npos) << "the reason is kept";
}

TEST_F(SenderTest, RateLimitedPausesTheChannelAndDoesNotCountAnAttempt) {
  std::atomic<int> calls{0};
  peer_.decide = [&](const outbox::DuePart& p, int) {
    if (calls.fetch_add(1) == 0) {
      return adapters::SendResult{
          SendVerdict::kRateLimited, {}, std::chrono::seconds(1), "130429", "throughput"};
    }
    return adapters::SendResult{SendVerdict::kAccepted, "pid-" + p.part_key, {}, {}, {}};
  };
  Enqueue("m1", {"x"}, "6281");
  Enqueue("m2", {"x"}, "6282");
  SenderLimits limits;
  limits.rate_per_second = 1000;
  limits.burst = 1;
  limits.poll_interval = 20ms;
  limits.max_in_flight = 1;
  StartSender(limits);
  ASSERT_TRUE(WaitSettled());
  const auto log = peer_.log();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_GE(log[1].at - log[0].at, 995ms) << "nothing goes to the channel before Retry-After";
  EXPECT_EQ(States()["m1.1"], "sent|1|") << "a rate-limited try is not an attempt";
}

TEST_F(SenderTest, PermanentAndOptedOutFailWithReasonAndCallHooks) {
  peer_.decide = [](const outbox::DuePart& p, int) {
    if (p.address == "tg:9") {
      return adapters::SendResult{SendVerdict::kOptedOut, {}, {}, "403", "bot was blocked"};
    }
    return adapters::SendResult{SendVerdict::kPermanent, {}, {}, "131047", "re-engagement"};
  };
  Enqueue("m1", {"x", "y"}, "6281");
  Enqueue("m2", {"x"}, "tg:9");
  std::vector<std::string> opted_out;
  std::vector<std::string> rerouted;
  std::mutex m;
  SenderHooks hooks;
  hooks.on_opted_out = [&](const outbox::DuePart& p) {
    std::lock_guard l(m);
    opted_out.push_back(p.address);
  };
  hooks.on_permanent = [&](const outbox::DuePart& p, const Attempt& a) {
    std::lock_guard l(m);
    rerouted.push_back(p.part_key + ":" + a.result.error_code);
    return std::string("sent by SMS");
  };
  StartSender({}, hooks);
  std::this_thread::sleep_for(300ms);
  const auto states = States();
  EXPECT_EQ(states.at("m1.1"), "failed|1|re-engagement; sent by SMS");
  EXPECT_EQ(states.at("m1.2"), "failed|0|an earlier part failed")
      << "a later part is not sent after a failed one";
  EXPECT_EQ(states.at("m2.1").rfind("failed|1|recipient opted out", 0), 0u) << states.at("m2.1");
  std::lock_guard l(m);
  EXPECT_EQ(opted_out, std::vector<std::string>{"tg:9"});
  EXPECT_EQ(rerouted, std::vector<std::string>{"m1.1:131047"});
}

TEST_F(SenderTest, RepliesGoBeforeBulk) {
  for (int i = 0; i < 10; ++i) {
    Enqueue("bulk" + std::to_string(i), {"b"}, "6281" + std::to_string(i), outbox::Priority::kBulk);
  }
  Enqueue("reply", {"r"}, "6289", outbox::Priority::kReply);
  SenderLimits limits;
  limits.max_in_flight = 1;
  StartSender(limits);
  ASSERT_TRUE(WaitSettled());
  EXPECT_EQ(peer_.log().front().part_key, "reply.1");
}

// Issue 20: on a slow channel a bulk part already claimed waits in the sender for its token;
// a reply queued meanwhile is claimed at once and takes that token.
TEST_F(SenderTest, AReplyOvertakesBulkWaitingForAToken) {
  for (int i = 0; i < 4; ++i) {
    Enqueue("bulk" + std::to_string(i), {"b"}, "6281" + std::to_string(i), outbox::Priority::kBulk);
  }
  SenderLimits limits;
  limits.rate_per_second = 1;  // bulk0 at once; bulk1 claimed with it, waiting a second
  limits.burst = 1;
  StartSender(limits);
  const auto until = Clock::now() + 10s;
  while (peer_.log().empty() && Clock::now() < until) std::this_thread::sleep_for(2ms);
  ASSERT_EQ(peer_.log().size(), 1u);
  Enqueue("reply", {"r"}, "6289", outbox::Priority::kReply);
  sender_->Wake();
  ASSERT_TRUE(WaitSettled(15s));
  const auto log = peer_.log();
  ASSERT_EQ(log.size(), 5u);
  EXPECT_EQ(log[0].part_key, "bulk0.1");
  EXPECT_EQ(log[1].part_key, "reply.1");
}

// Issue 19: a paced channel serves recipients in turn. 50 replies queued for one number, then
// one for another citizen: the other's goes within one send slot, not after the 50.
TEST_F(SenderTest, PacedChannelServesRecipientsInTurn) {
  for (int i = 0; i < 50; ++i) Enqueue("flood" + std::to_string(i), {"x"}, "6281111");
  Enqueue("other", {"y"}, "6282222");
  SenderLimits limits;
  limits.rate_per_second = 20;  // one slot: 50 ms
  limits.burst = 1;
  StartSender(limits);
  const auto until = Clock::now() + 10s;
  auto position = [&]() -> long {
    const auto log = peer_.log();
    for (std::size_t i = 0; i < log.size(); ++i) {
      if (log[i].part_key == "other.1") return static_cast<long>(i);
    }
    return -1;
  };
  while (position() < 0 && Clock::now() < until) std::this_thread::sleep_for(5ms);
  ASSERT_GE(position(), 0) << "never sent";
  EXPECT_LE(position(), 1) << "the flooding number's first part, then the other citizen's";
}

// Issue 19: a wake that the rate cannot answer yet must not spin the loop until the next
// token. A spinning loop holds the sender's lock against the store's writer and the HTTP
// client threads, whose completions take it, and so stalls every channel. Here: a paced
// backlog, woken over and over, while another store user's writes must stay prompt.
TEST_F(SenderTest, WakesWhileWaitingForATokenDoNotStallTheStore) {
  for (int i = 0; i < 20; ++i) Enqueue("m" + std::to_string(i), {"x"}, "6281" + std::to_string(i));
  SenderLimits limits;
  limits.rate_per_second = 0.2;  // one part per 5 s after the burst
  limits.burst = 1;
  StartSender(limits);
  const auto until = Clock::now() + 10s;
  while (peer_.log().empty() && Clock::now() < until) std::this_thread::sleep_for(5ms);
  ASSERT_FALSE(peer_.log().empty());
  std::vector<double> write_ms;
  for (int i = 0; i < 20; ++i) {
    sender_->Wake();
    const auto t0 = Clock::now();
    Enqueue("probe" + std::to_string(i), {"p"}, "6289" + std::to_string(i),
            outbox::Priority::kBulk);
    write_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    sender_->Wake();
    std::this_thread::sleep_for(20ms);
  }
  std::sort(write_ms.begin(), write_ms.end());
  // Generous: a write on this machine takes milliseconds; a stalled writer waited seconds.
  EXPECT_LT(write_ms[write_ms.size() / 2], 1000.0);
  EXPECT_LE(peer_.log().size(), 3u) << "the pacer still holds";
}

TEST_F(SenderTest, StopReturnsUnsentPartsToTheOutbox) {
  for (int i = 0; i < 20; ++i) Enqueue("m" + std::to_string(i), {"x"}, "6281" + std::to_string(i));
  SenderLimits limits;
  limits.rate_per_second = 5;  // most parts are still waiting for a token at Stop
  limits.burst = 1;
  limits.claim_batch = 20;
  StartSender(limits);
  std::this_thread::sleep_for(300ms);
  sender_->Stop(2s);
  int sent = 0;
  for (const auto& [k, v] : States()) {
    EXPECT_TRUE(v.rfind("sent|1|", 0) == 0 || v == "queued|0|") << k << " " << v;
    if (v.rfind("sent", 0) == 0) ++sent;
  }
  EXPECT_EQ(sent, static_cast<int>(peer_.log().size()));
  EXPECT_LT(sent, 20);
}

}  // namespace
}  // namespace satupintu::outbound
