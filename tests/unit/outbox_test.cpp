#include "outbox/outbox_store.hpp"

#include <gtest/gtest.h>

#include <future>

#include "schema/schema.hpp"
#include "support/process.hpp"

namespace satupintu::outbox {
namespace {

TEST(PartStateTest, ProviderStatusesOnlyMoveForward) {
  using S = PartState;
  using P = ProviderStatus;
  EXPECT_EQ(ApplyProviderStatus(S::kInFlight, P::kSent), S::kSent);
  EXPECT_EQ(ApplyProviderStatus(S::kSent, P::kDelivered), S::kDelivered);
  EXPECT_EQ(ApplyProviderStatus(S::kDelivered, P::kRead), S::kRead);
  EXPECT_EQ(ApplyProviderStatus(S::kSent, P::kRead), S::kRead) << "read without delivered";
  EXPECT_EQ(ApplyProviderStatus(S::kSent, P::kFailed), S::kFailed);
  EXPECT_EQ(ApplyProviderStatus(S::kDelivered, P::kSent), std::nullopt);
  EXPECT_EQ(ApplyProviderStatus(S::kRead, P::kDelivered), std::nullopt);
  EXPECT_EQ(ApplyProviderStatus(S::kDelivered, P::kFailed), std::nullopt);
  EXPECT_EQ(ApplyProviderStatus(S::kSent, P::kSent), std::nullopt) << "duplicates change nothing";
  EXPECT_EQ(ApplyProviderStatus(S::kUnknown, P::kDelivered), S::kDelivered)
      << "a held part is resolved by its status";
  EXPECT_EQ(ApplyProviderStatus(S::kQueued, P::kSent), S::kSent)
      << "a late status for a requeued part stops a resend";
}

TEST(PartStateTest, NamesRoundTrip) {
  for (auto s : {PartState::kQueued, PartState::kInFlight, PartState::kSent, PartState::kDelivered,
                 PartState::kRead, PartState::kFailed, PartState::kUnknown}) {
    EXPECT_EQ(ParsePartState(PartStateName(s)), s);
  }
  EXPECT_EQ(ParsePartState("bogus"), std::nullopt);
}

class OutboxStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    outbox_.reset();
    store_.reset();
    storage::StoreOptions options;
    options.migrations = schema::Migrations();
    options.path = dir_.File("o.db");
    store_ = std::move(storage::Store::Open(options, &metrics_)).value();
    outbox_ = std::make_unique<OutboxStore>(store_.get(), &metrics_);
  }

  template <typename T, typename F>
  T Sync(F&& call) {
    std::promise<T> p;
    call([&p](T r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }

  std::int64_t Enqueue(const std::string& key, std::vector<std::string> parts,
                       Priority priority = Priority::kReply,
                       InFlightPolicy policy = InFlightPolicy::kResend,
                       const std::string& channel = "whatsapp:wa") {
    NewMessage m;
    m.key = key;
    m.channel = channel;
    m.address = "6281234567890";
    m.priority = priority;
    m.policy = policy;
    m.body_json = "{}";
    m.parts = std::move(parts);
    m.expires_at_ms = 1'000'000;
    auto r = Sync<core::Result<std::int64_t>>(
        [&](auto done) { outbox_->Enqueue(std::move(m), 1000, std::move(done)); });
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.value() : 0;
  }

  std::vector<DuePart> Claim(int limit, std::int64_t now_ms = 1000,
                             const std::string& channel = "whatsapp:wa") {
    auto r = Sync<core::Result<std::vector<DuePart>>>(
        [&](auto done) { outbox_->ClaimDue(channel, limit, now_ms, std::move(done)); });
    EXPECT_TRUE(r.ok());
    return r.ok() ? std::move(r).value() : std::vector<DuePart>{};
  }

  std::string StateOf(std::int64_t part_id) {
    auto db = storage::Db::Open(dir_.File("o.db"), true);
    return db.value()
        ->QueryText("SELECT state FROM outbox_part WHERE id = " + std::to_string(part_id))
        .value();
  }

  core::Status Accept(std::int64_t part_id, const std::string& provider_id) {
    return Sync<core::Status>(
        [&](auto done) { outbox_->RecordAccepted(part_id, provider_id, 2000, std::move(done)); });
  }

  bool Status(const std::string& id, ProviderStatus s) {
    auto r = Sync<core::Result<bool>>(
        [&](auto done) { outbox_->ApplyStatus("whatsapp:wa", id, s, "", 3000, std::move(done)); });
    return r.ok() && r.value();
  }

  testing::TempDir dir_;
  core::MetricsRegistry metrics_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<OutboxStore> outbox_;
};

TEST_F(OutboxStoreTest, EnqueueIsIdempotentByKey) {
  const auto first = Enqueue("reply-1", {"a", "b"});
  const auto again = Enqueue("reply-1", {"a", "b", "c"});
  EXPECT_EQ(first, again);
  EXPECT_EQ(Claim(10).size(), 1u) << "part 2 waits for part 1";
}

TEST_F(OutboxStoreTest, SentToJoinsPartsForAnyOfTheAddressesSinceATime) {
  // Three messages to 6281234567890 (one on Telegram's chat id below), one to someone else.
  Enqueue("old", {"lama"});
  Enqueue("reply-1", {"Halo ", "Bu"});
  Enqueue("tg-1", {"Tiket ADU-X"}, Priority::kReply, InFlightPolicy::kResend, "telegram:bot");
  auto db = storage::Db::Open(dir_.File("o.db"), false);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.value()
                  ->Exec("UPDATE outbox_message SET created_at_ms = 500 WHERE message_key = 'old'")
                  .ok());
  ASSERT_TRUE(db.value()
                  ->Exec("UPDATE outbox_message SET address = 'tg:42' WHERE message_key = 'tg-1'")
                  .ok());
  NewMessage other;
  other.key = "other";
  other.channel = "whatsapp:wa";
  other.address = "6289999999999";
  other.body_json = "{}";
  other.parts = {"bukan untuk Anda"};
  other.expires_at_ms = 1'000'000;
  ASSERT_TRUE(EnqueueIn(*db.value(), other, 1000).ok());

  auto sent = SentToIn(*db.value(), {"6281234567890", "tg:42"}, 1000, 10);
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  ASSERT_EQ(sent.value().size(), 2u);
  EXPECT_EQ(sent.value()[0].text, "Halo Bu");
  EXPECT_EQ(sent.value()[0].channel, "whatsapp:wa");
  EXPECT_EQ(sent.value()[0].state, "queued");
  EXPECT_EQ(sent.value()[1].text, "Tiket ADU-X");
  EXPECT_EQ(SentToIn(*db.value(), {"6281234567890", "tg:42"}, 1000, 1).value().size(), 1u);
  EXPECT_TRUE(SentToIn(*db.value(), {}, 0, 10).value().empty());
}

TEST_F(OutboxStoreTest, AClaimedPartIsNeverHandedOutTwice) {
  Enqueue("reply-1", {"only"});
  auto parts = Claim(10);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].part_key, "reply-1.1");
  EXPECT_EQ(parts[0].attempts, 1);
  EXPECT_EQ(StateOf(parts[0].part_id), "in_flight");
  EXPECT_TRUE(Claim(10).empty());
}

TEST_F(OutboxStoreTest, PartsOfAMessageGoInOrder) {
  Enqueue("reply-1", {"one", "two", "three"});
  auto first = Claim(10);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].seq, 1);
  EXPECT_EQ(first[0].total, 3);
  ASSERT_TRUE(Accept(first[0].part_id, "wamid.1").ok());
  auto second = Claim(10);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].seq, 2);
  EXPECT_EQ(second[0].text, "two");
}

// Issue 19: within a priority, recipients take turns. A number with three replies queued and
// another citizen's one after them: the citizen's goes second (ranked in the claim), and a
// recipient just served goes to the back of the line for the next claim.
TEST_F(OutboxStoreTest, RecipientsTakeTurnsWithinAPriority) {
  auto enqueue = [&](const std::string& key, const std::string& address, std::int64_t at_ms) {
    NewMessage m;
    m.key = key;
    m.channel = "kannel:k";
    m.address = address;
    m.body_json = "{}";
    m.parts = {"x"};
    m.expires_at_ms = 10'000'000;
    auto r = Sync<core::Result<std::int64_t>>(
        [&](auto done) { outbox_->Enqueue(std::move(m), at_ms, std::move(done)); });
    ASSERT_TRUE(r.ok());
  };
  for (int i = 0; i < 3; ++i) enqueue("a" + std::to_string(i), "6281", 1000 + i);
  enqueue("b0", "6282", 1010);
  enqueue("c0", "6283", 1020);
  enqueue("d0", "6284", 1500);
  auto claim = [&](int n, std::int64_t now_ms) {
    auto r = Sync<core::Result<std::vector<DuePart>>>(
        [&](auto done) { outbox_->ClaimDue("kannel:k", n, now_ms, std::move(done)); });
    EXPECT_TRUE(r.ok());
    std::vector<std::string> keys;
    for (const auto& p : r.value()) keys.push_back(p.part_key);
    return keys;
  };
  // One claim of three: the first part of each recipient before anyone's second.
  EXPECT_EQ(claim(3, 2000), (std::vector<std::string>{"a0.1", "b0.1", "c0.1"}));
  // The number just served waits behind a citizen who was waiting before it was served
  // (in the old order, a1 and a2 were due before d0)...
  EXPECT_EQ(claim(1, 3000), std::vector<std::string>{"d0.1"});
  // ... and its own parts keep their order.
  EXPECT_EQ(claim(2, 4000), (std::vector<std::string>{"a1.1", "a2.1"}));
}

TEST_F(OutboxStoreTest, RepliesGoBeforeBulk) {
  Enqueue("bulk-1", {"b1"}, Priority::kBulk);
  Enqueue("bulk-2", {"b2"}, Priority::kBulk);
  Enqueue("reply-1", {"r1"}, Priority::kReply);
  Enqueue("note-1", {"n1"}, Priority::kNotification);
  auto parts = Claim(2);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].text, "r1");
  EXPECT_EQ(parts[1].text, "n1");
}

TEST_F(OutboxStoreTest, ClaimsAreLimitedToTheirChannel) {
  Enqueue("reply-1", {"x"}, Priority::kReply, InFlightPolicy::kResend, "telegram:tg");
  EXPECT_TRUE(Claim(10).empty());
  EXPECT_EQ(Claim(10, 1000, "telegram:tg").size(), 1u);
}

TEST_F(OutboxStoreTest, RetryWaitsUntilItsTimeAndCountsAttempts) {
  Enqueue("reply-1", {"x"});
  auto parts = Claim(1);
  ASSERT_EQ(parts.size(), 1u);
  ASSERT_TRUE(Sync<core::Status>([&](auto done) {
                outbox_->RecordRetry(parts[0].part_id, 5000, "503", 1500, std::move(done));
              }).ok());
  EXPECT_TRUE(Claim(1, 4999).empty());
  auto again = Claim(1, 5000);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 2);
}

TEST_F(OutboxStoreTest, FailedKeepsTheReasonAndIsFinal) {
  Enqueue("reply-1", {"x"});
  auto parts = Claim(1);
  ASSERT_TRUE(Sync<core::Status>([&](auto done) {
                outbox_->RecordFailed(parts[0].part_id, "131026 undeliverable", 1500,
                                      std::move(done));
              }).ok());
  EXPECT_EQ(StateOf(parts[0].part_id), "failed");
  EXPECT_FALSE(Sync<core::Status>([&](auto done) {
                 outbox_->RecordRetry(parts[0].part_id, 1, "late", 1600, std::move(done));
               }).ok())
      << "a failed part is not retried";
  EXPECT_TRUE(Claim(1, 10'000).empty());
}

TEST_F(OutboxStoreTest, StatusesFindThePartAndNeverGoBackwards) {
  Enqueue("reply-1", {"x"});
  auto parts = Claim(1);
  ASSERT_TRUE(Accept(parts[0].part_id, "wamid.ABC").ok());
  EXPECT_EQ(StateOf(parts[0].part_id), "sent");
  EXPECT_TRUE(Status("wamid.ABC", ProviderStatus::kDelivered));
  EXPECT_FALSE(Status("wamid.ABC", ProviderStatus::kSent));
  EXPECT_FALSE(Status("wamid.ABC", ProviderStatus::kDelivered)) << "duplicate";
  EXPECT_TRUE(Status("wamid.ABC", ProviderStatus::kRead));
  EXPECT_EQ(StateOf(parts[0].part_id), "read");
  EXPECT_FALSE(Status("wamid.OTHER", ProviderStatus::kRead)) << "not ours";
}

TEST_F(OutboxStoreTest, AStatusBeforeTheSendAnswerIsKept) {
  Enqueue("reply-1", {"x"});
  auto parts = Claim(1);
  // Kannel-style: the DLR names our part key and may arrive before sendsms answers.
  EXPECT_TRUE(Status("reply-1.1", ProviderStatus::kDelivered));
  ASSERT_TRUE(Accept(parts[0].part_id, "").ok());
  EXPECT_EQ(StateOf(parts[0].part_id), "delivered");
}

TEST_F(OutboxStoreTest, AWhatsAppStatusThatOvertakesTheSendAnswerIsAppliedWhenItLands) {
  Enqueue("reply-1", {"x"});
  auto parts = Claim(1);
  // The status names the wamid, which the part holds only once the send's answer is recorded.
  EXPECT_FALSE(Status("wamid.EARLY", ProviderStatus::kDelivered));
  EXPECT_FALSE(Status("wamid.EARLY", ProviderStatus::kSent));
  ASSERT_TRUE(Accept(parts[0].part_id, "wamid.EARLY").ok());
  EXPECT_EQ(StateOf(parts[0].part_id), "delivered") << "the late 'sent' does not undo it";
  auto db = storage::Db::Open(dir_.File("o.db"), true);
  EXPECT_EQ(db.value()->QueryInt("SELECT COUNT(*) FROM outbox_early_status").value(), 0);
}

TEST_F(OutboxStoreTest, EarlyStatusesOfIdsThatNeverBecomeOursGoAfterADay) {
  auto apply = [&](const std::string& id, std::int64_t now_ms) {
    return Sync<core::Result<bool>>([&](auto done) {
      outbox_->ApplyStatus("whatsapp:wa", id, ProviderStatus::kRead, "", now_ms, std::move(done));
    });
  };
  ASSERT_TRUE(apply("wamid.NOT_OURS", 1'000).ok());
  ASSERT_TRUE(apply("wamid.LATER", 1'000 + std::int64_t{24} * 3600 * 1000 + 1).ok());
  auto db = storage::Db::Open(dir_.File("o.db"), true);
  EXPECT_EQ(db.value()
                ->QueryText("SELECT group_concat(provider_message_id) FROM outbox_early_status")
                .value(),
            "wamid.LATER");
}

TEST_F(OutboxStoreTest, CrashRecoveryResendsRepliesAndHoldsBulk) {
  Enqueue("reply-1", {"r"}, Priority::kReply, InFlightPolicy::kResend);
  Enqueue("bulk-1", {"b"}, Priority::kBulk, InFlightPolicy::kHold);
  Enqueue("reply-2", {"q"}, Priority::kReply, InFlightPolicy::kResend);
  auto parts = Claim(2);  // reply:1 and reply:2 in flight
  ASSERT_EQ(parts.size(), 2u);
  ASSERT_TRUE(Accept(parts[1].part_id, "wamid.2").ok());  // reply:2 got its answer
  auto bulk = Claim(1);
  ASSERT_EQ(bulk.size(), 1u);

  Open();  // the process died; nothing else ran
  auto recovery = Sync<core::Result<Recovery>>(
      [&](auto done) { outbox_->RecoverInFlight({}, 9000, std::move(done)); });
  ASSERT_TRUE(recovery.ok());
  EXPECT_EQ(recovery->accepted, 0);
  EXPECT_EQ(recovery->requeued, 1);
  EXPECT_EQ(recovery->held, 1);
  EXPECT_EQ(StateOf(parts[0].part_id), "queued");
  EXPECT_EQ(StateOf(parts[1].part_id), "sent") << "known sent: never repeated";
  EXPECT_EQ(StateOf(bulk[0].part_id), "unknown");
  auto resent = Claim(10, 9000);
  ASSERT_EQ(resent.size(), 1u);
  EXPECT_EQ(resent[0].part_key, "reply-1.1") << "same idempotency key on the resend";
  EXPECT_EQ(resent[0].attempts, 2);
  EXPECT_NE(metrics_.Render().find(R"(satupintu_outbox_in_flight_at_crash_total{action="held"} 1)"),
            std::string::npos);
}

// The acceptance log named a part the store still held in flight (the record died with the
// process): it is 'sent' with the peer's id, its early status applies, and only the part the
// log does not name is sent again. A logged part the store had recorded is left as it is.
TEST_F(OutboxStoreTest, CrashRecoveryTakesLoggedAcceptancesAsSent) {
  Enqueue("reply-1", {"a"}, Priority::kReply, InFlightPolicy::kResend);
  Enqueue("reply-2", {"b"}, Priority::kReply, InFlightPolicy::kResend);
  Enqueue("reply-3", {"c"}, Priority::kReply, InFlightPolicy::kResend);
  auto parts = Claim(3);
  ASSERT_EQ(parts.size(), 3u);
  ASSERT_TRUE(Accept(parts[2].part_id, "wamid.3").ok());
  EXPECT_FALSE(Status("wamid.1", ProviderStatus::kDelivered));  // overtook the answer: kept

  Open();
  auto recovery = Sync<core::Result<Recovery>>([&](auto done) {
    outbox_->RecoverInFlight({{parts[0].part_id, "wamid.1"}, {parts[2].part_id, "wamid.other"}},
                             9000, std::move(done));
  });
  ASSERT_TRUE(recovery.ok());
  EXPECT_EQ(recovery->accepted, 1);
  EXPECT_EQ(recovery->requeued, 1);
  EXPECT_EQ(StateOf(parts[0].part_id), "delivered") << "sent, then its early status";
  EXPECT_EQ(StateOf(parts[1].part_id), "queued");
  EXPECT_EQ(StateOf(parts[2].part_id), "sent");
  auto db = storage::Db::Open(dir_.File("o.db"), true);
  EXPECT_EQ(db.value()
                ->QueryText("SELECT provider_message_id FROM outbox_part WHERE id = " +
                            std::to_string(parts[2].part_id))
                .value(),
            "wamid.3")
      << "a recorded part keeps its recorded id";
  auto resent = Claim(10, 9000);
  ASSERT_EQ(resent.size(), 1u);
  EXPECT_EQ(resent[0].part_key, "reply-2.1");
  EXPECT_NE(
      metrics_.Render().find(R"(satupintu_outbox_in_flight_at_crash_total{action="accepted"} 1)"),
      std::string::npos);
}

TEST_F(OutboxStoreTest, CrashRecoveryQueuesAgainWhatWasNeverOffered) {
  // Bulk: a part whose fate is unknown is held, not sent twice.
  Enqueue("bc1-1", {"a"}, Priority::kBulk, InFlightPolicy::kHold);
  Enqueue("bc1-2", {"b"}, Priority::kBulk, InFlightPolicy::kHold);
  Enqueue("bc1-3", {"c"}, Priority::kBulk, InFlightPolicy::kHold);
  auto parts = Claim(3);
  ASSERT_EQ(parts.size(), 3u);
  Open();
  // Part 1 was accepted, part 2 offered and unanswered, part 3 still waited in the sender.
  auto recovery = Sync<core::Result<Recovery>>([&](auto done) {
    outbox_->RecoverInFlight({{parts[0].part_id, ""}}, 9000, std::move(done),
                             std::vector<std::int64_t>{parts[0].part_id, parts[1].part_id});
  });
  ASSERT_TRUE(recovery.ok());
  EXPECT_EQ(recovery->accepted, 1);
  EXPECT_EQ(recovery->held, 1);
  EXPECT_EQ(recovery->not_offered, 1);
  EXPECT_EQ(StateOf(parts[0].part_id), "sent");
  EXPECT_EQ(StateOf(parts[1].part_id), "unknown");
  EXPECT_EQ(StateOf(parts[2].part_id), "queued");
  auto again = Claim(10, 9000);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].part_key, "bc1-3.1");
  EXPECT_EQ(again[0].attempts, 1) << "the claim that never reached a peer does not count";
  EXPECT_NE(metrics_.Render().find(
                R"(satupintu_outbox_in_flight_at_crash_total{action="not_offered"} 1)"),
            std::string::npos);
}

TEST_F(OutboxStoreTest, EmptyMessageIsRefused) {
  NewMessage m;
  m.key = "k";
  auto r = Sync<core::Result<std::int64_t>>(
      [&](auto done) { outbox_->Enqueue(std::move(m), 1, std::move(done)); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
}

TEST_F(OutboxStoreTest, KeysThatCannotTravelInAUrlAreRefused) {
  EXPECT_TRUE(IsValidMessageKey("reply-12.a_b~c"));
  for (const char* bad : {"", "a#b", "a b", "a/b", "a%20", "a:b", "kunci\xc3\xa9"}) {
    EXPECT_FALSE(IsValidMessageKey(bad)) << bad;
  }
  EXPECT_FALSE(IsValidMessageKey(std::string(201, 'k')));
  NewMessage m;
  m.key = "a#b";
  m.parts = {"x"};
  auto r = Sync<core::Result<std::int64_t>>(
      [&](auto done) { outbox_->Enqueue(std::move(m), 1, std::move(done)); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
}

TEST_F(OutboxStoreTest, ADeferredPartComesBackLaterWithoutCountingAnAttempt) {
  Enqueue("reply-1", {"x"});
  auto parts = Claim(1, 1000);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].attempts, 1);
  auto s = Sync<core::Status>(
      [&](auto done) { outbox_->RecordDeferred(parts[0].part_id, 5000, 1000, std::move(done)); });
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(StateOf(parts[0].part_id), "queued");
  EXPECT_TRUE(Claim(1, 4999).empty()) << "not due before next_attempt";
  auto again = Claim(1, 5000);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 1) << "a deferral is not an attempt";
  auto twice = Sync<core::Status>(
      [&](auto done) { outbox_->RecordDeferred(parts[0].part_id, 6000, 5000, std::move(done)); });
  ASSERT_TRUE(twice.ok());
  auto stale = Sync<core::Status>(
      [&](auto done) { outbox_->RecordDeferred(parts[0].part_id, 7000, 5000, std::move(done)); });
  EXPECT_FALSE(stale.ok()) << "only an in-flight part can be deferred";
}

}  // namespace
}  // namespace satupintu::outbox
