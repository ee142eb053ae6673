// GammuLink and GammuTransport against a real gammu-smsd (dummy phone, SQLite backend): MO
// files become inbox rows that reach our journal exactly once and are marked processed only
// after the journal committed them; our outbox rows are sent by SMSD and their sentitems
// statuses come back keyed by our part key.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <future>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gammu_link/gammu_link.hpp"
#include "gammu_link/gammu_transport.hpp"
#include "schema/schema.hpp"
#include "storage/journal.hpp"
#include "storage/store.hpp"
#include "support/gammu_peer.hpp"
#include "support/process.hpp"

namespace satupintu::gammu_link {
namespace {

using namespace std::chrono_literals;
using testing::GammuPeer;
using testing::MoPart;
using testing::WaitUntil;

constexpr auto kSmsdWait = 15s;  // SMSD polls every second; generous for loaded machines
const std::string kNumber = "+6281234567890";

std::chrono::seconds LocalUtcOffset() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return std::chrono::seconds(tm.tm_gmtoff);
}

class GammuSmsd : public ::testing::Test {
 protected:
  void SetUp() override { SetUpPeer({}); }

  void SetUpPeer(testing::GammuPeerOptions options) {
    journal_.reset();  // a test that asks for other SMSD options sets everything up again
    store_.reset();
    peer_.reset();
    peer_ = std::make_unique<GammuPeer>(std::move(options));
    ASSERT_TRUE(peer_->setup_error().empty()) << peer_->setup_error();
    storage::StoreOptions store_options;
    store_options.migrations = schema::Migrations();
    store_options.path = dir_.File("ours.db");
    store_ = std::move(storage::Store::Open(store_options, &metrics_)).value();
    journal_ = std::make_unique<storage::Journal>(store_.get(), &metrics_);
  }

  void TearDown() override {
    if (HasFailure() && peer_) std::cerr << "--- smsd log ---\n" << peer_->Log();
  }

  // The journal mode stored in SMSD's file ("delete" as SMSD's schema creates it).
  std::string JournalMode() const {
    sqlite3* db = nullptr;
    std::string mode;
    if (sqlite3_open_v2(peer_->database().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
        SQLITE_OK) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr) == SQLITE_OK &&
          sqlite3_step(stmt) == SQLITE_ROW) {
        mode = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      }
      sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return mode;
  }

  LinkConfig Config() const {
    LinkConfig config;
    config.name = "test";
    config.database = peer_->database();
    config.poll_interval = 200ms;
    config.busy_timeout = 300ms;
    config.adapter.phone_id = peer_->phone_id();
    config.adapter.smsd_utc_offset = LocalUtcOffset();
    return config;
  }

  // What the gateway will do: journal the messages and return only after the commit.
  core::Status Journal(const std::vector<adapters::InboundMessage>& messages) {
    std::vector<storage::InboundRecord> records;
    records.reserve(messages.size());
    for (const auto& m : messages) records.push_back({"gammu:test", m.provider_id, m.text});
    std::promise<core::Result<storage::AppendOutcome>> done;
    auto future = done.get_future();
    journal_->Append(std::move(records), "gammu-poll",
                     [&](core::Result<storage::AppendOutcome> r) { done.set_value(std::move(r)); });
    if (future.wait_for(10s) != std::future_status::ready) {
      return core::MakeError(core::ErrorCode::kUnavailable, "journal timed out");
    }
    auto outcome = future.get();
    if (!outcome.ok()) return outcome.error();
    std::lock_guard lock(mutex_);
    stored_ += outcome->stored;
    duplicates_ += outcome->duplicates;
    return {};
  }

  std::int64_t JournalRows(const std::string& where = "1") {
    auto db = storage::Db::Open(dir_.File("ours.db"), true);
    return db.value()->QueryInt("SELECT COUNT(*) FROM inbound_journal WHERE " + where).value();
  }
  std::string JournalText(const std::string& provider_id) {
    auto db = storage::Db::Open(dir_.File("ours.db"), true);
    auto stmt = db.value()->Prepare("SELECT payload FROM inbound_journal WHERE provider_id = ?");
    stmt.value()->Bind(1, provider_id);
    if (stmt.value()->Step() != SQLITE_ROW) return "<none>";
    std::string out = stmt.value()->ColumnText(0);
    stmt.value()->Reset();
    return out;
  }
  std::int64_t Unprocessed() {
    return peer_->QueryInt("SELECT COUNT(*) FROM inbox WHERE Processed = 'false'");
  }
  std::int64_t InboxRows() { return peer_->QueryInt("SELECT COUNT(*) FROM inbox"); }

  static outbox::DuePart Part(std::string key, int seq = 1, int total = 1,
                              std::string text = "Halo") {
    outbox::DuePart part;
    part.part_id = seq;
    part.message_id = 42;
    part.part_key = std::move(key);
    part.channel = "gammu:test";
    part.address = "6281234567890";
    part.seq = seq;
    part.total = total;
    part.text = std::move(text);
    part.attempts = 1;
    return part;
  }

  static adapters::SendResult Send(GammuTransport& transport, const outbox::DuePart& part) {
    adapters::SendResult result;
    bool called = false;
    transport.Send(part, [&](const outbound::Attempt& a) {
      called = true;
      result = a.result;
    });
    EXPECT_TRUE(called) << "done runs before Send returns";
    return result;
  }

  testing::TempDir dir_;
  core::MetricsRegistry metrics_;
  std::unique_ptr<GammuPeer> peer_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::Journal> journal_;
  std::mutex mutex_;
  int stored_ = 0;
  int duplicates_ = 0;
};

TEST_F(GammuSmsd, SingleMoIsJournaledOnceAndMarkedOnlyAfterTheCommit) {
  ASSERT_TRUE(peer_->Start());
  std::atomic<int> calls{0};
  std::atomic<int> unprocessed_during_deliver{-1};
  std::vector<adapters::InboundMessage> seen;
  GammuLink link(
      Config(),
      [&](const std::vector<adapters::InboundMessage>& messages) {
        ++calls;
        unprocessed_during_deliver = static_cast<int>(Unprocessed());
        seen = messages;
        return Journal(messages);
      },
      nullptr);
  link.Start();
  peer_->DropMo(kNumber, "DAFTAR bansos");

  ASSERT_TRUE(WaitUntil([&] { return InboxRows() == 1 && Unprocessed() == 0; }, kSmsdWait));
  const auto polls = link.polls();
  ASSERT_TRUE(WaitUntil([&] { return link.polls() >= polls + 3; }, 5s));
  link.Stop();

  EXPECT_EQ(calls.load(), 1) << "delivered once";
  EXPECT_EQ(unprocessed_during_deliver.load(), 1) << "still unprocessed while we commit";
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_EQ(seen[0].address, "6281234567890") << "normalised";
  EXPECT_EQ(seen[0].text, "DAFTAR bansos");
  EXPECT_EQ(seen[0].provider_id.rfind("gammu:1:", 0), 0U) << seen[0].provider_id;
  EXPECT_EQ(JournalRows(), 1);
  EXPECT_EQ(JournalText(seen[0].provider_id), "DAFTAR bansos");
}

TEST_F(GammuSmsd, FailedDeliverMarksNothingAndTheNextPollDeliversTheSameMessage) {
  ASSERT_TRUE(peer_->Start());
  peer_->DropMo(kNumber, "Cek status");
  ASSERT_TRUE(WaitUntil([&] { return InboxRows() == 1; }, kSmsdWait));

  std::vector<std::string> ids;
  bool fail = true;
  GammuLink link(
      Config(),
      [&](const std::vector<adapters::InboundMessage>& messages) -> core::Status {
        for (const auto& m : messages) ids.push_back(m.provider_id);
        if (fail) return core::MakeError(core::ErrorCode::kUnavailable, "store is full");
        return Journal(messages);
      },
      nullptr);
  auto first = link.PollOnce();
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code, core::ErrorCode::kUnavailable);
  EXPECT_EQ(Unprocessed(), 1) << "nothing marked after a failed deliver";
  EXPECT_EQ(JournalRows(), 0);

  fail = false;
  auto second = link.PollOnce();
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->delivered, 1);
  EXPECT_EQ(second->marked, 1);
  EXPECT_EQ(Unprocessed(), 0);
  ASSERT_EQ(ids.size(), 2U);
  EXPECT_EQ(ids[0], ids[1]) << "same provider id on the retry";
  EXPECT_EQ(JournalRows(), 1);
}

TEST_F(GammuSmsd, CrashBetweenOurCommitAndTheMarkIsAJournalDuplicate) {
  ASSERT_TRUE(peer_->Start());
  peer_->DropMo(kNumber, "Halo");
  ASSERT_TRUE(WaitUntil([&] { return InboxRows() == 1; }, kSmsdWait));
  {
    // Committed, then "crashed" before marking: the link sees a failure and marks nothing.
    GammuLink crashed(
        Config(),
        [&](const std::vector<adapters::InboundMessage>& messages) -> core::Status {
          if (auto s = Journal(messages); !s.ok()) return s;
          return core::MakeError(core::ErrorCode::kUnavailable, "crash before mark");
        },
        nullptr);
    ASSERT_FALSE(crashed.PollOnce().ok());
  }
  EXPECT_EQ(Unprocessed(), 1);
  GammuLink restarted(
      Config(), [&](const std::vector<adapters::InboundMessage>& m) { return Journal(m); },
      nullptr);
  auto poll = restarted.PollOnce();
  ASSERT_TRUE(poll.ok()) << poll.error().message;
  EXPECT_EQ(Unprocessed(), 0);
  EXPECT_EQ(stored_, 1);
  EXPECT_EQ(duplicates_, 1);
  EXPECT_EQ(JournalRows(), 1);
}

TEST_F(GammuSmsd, ThreePartsArrivingTogetherBecomeOneMessage) {
  ASSERT_TRUE(peer_->Start());
  std::vector<adapters::InboundMessage> seen;
  GammuLink link(
      Config(),
      [&](const std::vector<adapters::InboundMessage>& messages) {
        for (const auto& m : messages) seen.push_back(m);
        return Journal(messages);
      },
      nullptr);
  link.Start();
  // Dropped out of order; SMSD links complete concatenations itself before storing them.
  peer_->DropMo(kNumber, std::vector<MoPart>{{"050003A50302", "kedua, "},
                                             {"050003A50303", "ketiga."},
                                             {"050003A50301", "pertama, "}});
  ASSERT_TRUE(WaitUntil([&] { return InboxRows() == 3 && Unprocessed() == 0; }, kSmsdWait));
  link.Stop();
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_EQ(seen[0].text, "pertama, kedua, ketiga.");
  EXPECT_EQ(JournalRows(), 1);
}

TEST_F(GammuSmsd, ThreePartsStoredSeparatelyAreReassembledInOrder) {
  testing::GammuPeerOptions options;
  options.multipart_timeout_s = 1;  // SMSD stores a lone part after 1 s
  SetUpPeer(options);
  if (IsSkipped()) return;
  ASSERT_TRUE(peer_->Start());
  std::vector<adapters::InboundMessage> seen;
  GammuLink link(
      Config(),
      [&](const std::vector<adapters::InboundMessage>& messages) {
        for (const auto& m : messages) seen.push_back(m);
        return Journal(messages);
      },
      nullptr);
  link.Start();
  // One part at a time, last part first: each lands in its own inbox row with its own text.
  peer_->DropMo(kNumber, std::vector<MoPart>{{"0500035A0303", "tiga"}});
  ASSERT_TRUE(WaitUntil([&] { return InboxRows() == 1; }, kSmsdWait));
  peer_->DropMo(kNumber, std::vector<MoPart>{{"0500035A0301", "satu "}});
  ASSERT_TRUE(WaitUntil([&] { return InboxRows() == 2; }, kSmsdWait));
  const auto polls = link.polls();
  ASSERT_TRUE(WaitUntil([&] { return link.polls() >= polls + 2; }, 5s));
  EXPECT_TRUE(seen.empty()) << "an incomplete concatenation waits";
  EXPECT_EQ(Unprocessed(), 2);

  peer_->DropMo(kNumber, std::vector<MoPart>{{"0500035A0302", "dua "}});
  ASSERT_TRUE(WaitUntil([&] { return InboxRows() == 3 && Unprocessed() == 0; }, kSmsdWait));
  link.Stop();
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_EQ(seen[0].text, "satu dua tiga");
  EXPECT_EQ(seen[0].provider_id.rfind("gammu:1:", 0), 0U) << "lowest inbox ID of its parts";
}

TEST_F(GammuSmsd, SentPartsComeBackAsStatusesKeyedByPartKey) {
  ASSERT_TRUE(peer_->Start());
  ASSERT_EQ(JournalMode(), "delete") << "SMSD's schema leaves the rollback journal";
  std::mutex m;
  std::vector<adapters::StatusUpdate> statuses;
  GammuLink link(Config(), nullptr, [&](const std::vector<adapters::StatusUpdate>& updates) {
    std::lock_guard lock(m);
    for (const auto& u : updates) statuses.push_back(u);
  });
  link.Start();
  GammuTransport transport(Config());
  const std::string first(153, 'a');
  auto r1 = Send(transport, Part("reply:7#1", 1, 2, first));
  auto r2 = Send(transport, Part("reply:7#2", 2, 2, "akhir"));
  ASSERT_EQ(r1.verdict, adapters::SendVerdict::kAccepted) << r1.reason;
  ASSERT_EQ(r2.verdict, adapters::SendVerdict::kAccepted) << r2.reason;
  EXPECT_EQ(r1.provider_message_id, "reply:7#1");
  EXPECT_EQ(r2.provider_message_id, "reply:7#2");

  ASSERT_TRUE(WaitUntil(
      [&] {
        std::lock_guard lock(m);
        return statuses.size() >= 2;
      },
      kSmsdWait));
  link.Stop();
  // SMSD writes sentitems before it deletes its outbox row, so the status can come first.
  EXPECT_TRUE(
      WaitUntil([&] { return peer_->QueryInt("SELECT COUNT(*) FROM outbox") == 0; }, kSmsdWait))
      << "SMSD took both";
  EXPECT_EQ(
      peer_->QueryInt("SELECT COUNT(*) FROM sentitems WHERE CreatorID = 'satupintu:reply:7#1'"
                      " AND DestinationNumber = '+6281234567890' AND UDH LIKE '050003__0201'"),
      1);
  EXPECT_EQ(peer_->QueryInt("SELECT COUNT(*) FROM sentitems WHERE CreatorID = 'satupintu:reply:7#2'"
                            " AND UDH LIKE '050003__0202'"),
            1);
  EXPECT_EQ(JournalMode(), "wal") << "our reads must not make SMSD's writes fail";
  std::lock_guard lock(m);
  ASSERT_EQ(statuses.size(), 2U) << "each status once";
  std::vector<std::string> keys{statuses[0].provider_message_id, statuses[1].provider_message_id};
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"reply:7#1", "reply:7#2"}));
  for (const auto& s : statuses) {
    EXPECT_EQ(s.state, adapters::DeliveryState::kSent) << "SendingOK: waiting for a report";
  }
}

TEST_F(GammuSmsd, DuplicateSendOfOnePartKeyInsertsOnce) {
  GammuTransport transport(Config());
  const auto part = Part("reply:8#1");
  ASSERT_EQ(Send(transport, part).verdict, adapters::SendVerdict::kAccepted);
  ASSERT_EQ(Send(transport, part).verdict, adapters::SendVerdict::kAccepted);
  EXPECT_EQ(peer_->QueryInt("SELECT COUNT(*) FROM outbox"), 1) << "queued once";

  ASSERT_TRUE(peer_->Start());
  ASSERT_TRUE(
      WaitUntil([&] { return peer_->QueryInt("SELECT COUNT(*) FROM sentitems") == 1; }, kSmsdWait));
  // The crash-then-retry case: the row already left outbox for sentitems.
  auto again = Send(transport, part);
  EXPECT_EQ(again.verdict, adapters::SendVerdict::kAccepted);
  EXPECT_EQ(again.provider_message_id, "reply:8#1");
  std::this_thread::sleep_for(2s);  // a wrongly inserted row would be sent by now
  EXPECT_EQ(peer_->QueryInt("SELECT COUNT(*) FROM outbox"), 0);
  EXPECT_EQ(peer_->QueryInt("SELECT COUNT(*) FROM sentitems"), 1);
}

TEST_F(GammuSmsd, MissingDatabaseIsTransientCreatesNothingAndLosesNothing) {
  LinkConfig config = Config();
  config.database = dir_.File("not-yet/smsd.db");
  GammuTransport transport(config);
  auto result = Send(transport, Part("reply:9#1"));
  EXPECT_EQ(result.verdict, adapters::SendVerdict::kTransient);
  EXPECT_NE(result.reason.find("missing"), std::string::npos) << result.reason;

  int calls = 0;
  GammuLink link(
      config,
      [&](const std::vector<adapters::InboundMessage>&) {
        ++calls;
        return core::Status{};
      },
      nullptr);
  auto poll = link.PollOnce();
  ASSERT_FALSE(poll.ok());
  EXPECT_EQ(poll.error().code, core::ErrorCode::kUnavailable);
  EXPECT_EQ(calls, 0);
  EXPECT_FALSE(std::filesystem::exists(config.database)) << "never created by us";

  // The database appears (SMSD's operator created it): the same part now goes through.
  std::filesystem::create_directories(dir_.File("not-yet"));
  std::filesystem::copy_file(peer_->database(), config.database);
  EXPECT_EQ(Send(transport, Part("reply:9#1")).verdict, adapters::SendVerdict::kAccepted);
  EXPECT_TRUE(link.PollOnce().ok());
}

TEST_F(GammuSmsd, LockedDatabaseIsTransientAndLosesNothing) {
  ASSERT_TRUE(peer_->Start());
  peer_->DropMo(kNumber, "Halo");
  ASSERT_TRUE(WaitUntil([&] { return InboxRows() == 1; }, kSmsdWait));
  peer_->Stop();  // keep SMSD out of the lock fight; it is started again below

  int calls = 0;
  GammuLink link(
      Config(),
      [&](const std::vector<adapters::InboundMessage>& m) {
        ++calls;
        return Journal(m);
      },
      nullptr);
  GammuTransport transport(Config());

  sqlite3* locker = nullptr;
  ASSERT_EQ(sqlite3_open(peer_->database().c_str(), &locker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(locker, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto sent = Send(transport, Part("reply:10#1"));
  EXPECT_EQ(sent.verdict, adapters::SendVerdict::kTransient);
  EXPECT_FALSE(sent.reason.empty());
  auto poll = link.PollOnce();
  ASSERT_FALSE(poll.ok());
  EXPECT_EQ(poll.error().code, core::ErrorCode::kUnavailable);
  EXPECT_EQ(calls, 0);
  sqlite3_exec(locker, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(locker);

  EXPECT_EQ(Unprocessed(), 1) << "the MO waited";
  EXPECT_EQ(peer_->QueryInt("SELECT COUNT(*) FROM outbox"), 0) << "nothing half-inserted";
  ASSERT_TRUE(link.PollOnce().ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(Unprocessed(), 0);
  EXPECT_EQ(JournalRows(), 1);
  ASSERT_EQ(Send(transport, Part("reply:10#1")).verdict, adapters::SendVerdict::kAccepted);
  ASSERT_TRUE(peer_->Start());
  EXPECT_TRUE(WaitUntil(
      [&] {
        return peer_->QueryInt(
                   "SELECT COUNT(*) FROM sentitems WHERE CreatorID = 'satupintu:reply:10#1'") == 1;
      },
      kSmsdWait));
}

}  // namespace
}  // namespace satupintu::gammu_link
