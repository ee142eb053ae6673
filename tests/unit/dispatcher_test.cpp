#include "inbound/dispatcher.hpp"

#include <gtest/gtest.h>

#include <future>

#include "citizens/citizens.hpp"
#include "inbound/journal_record.hpp"
#include "outbox/outbox_store.hpp"
#include "paths/paths.hpp"
#include "schema/schema.hpp"
#include "storage/journal.hpp"
#include "subject/subject.hpp"
#include "support/process.hpp"

namespace satupintu::inbound {
namespace {

using adapters::InboundMessage;
using adapters::MessageKind;

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto catalog = locale::Catalog::Load(::satupintu::testing::SourceDir() + "/locales");
    ASSERT_TRUE(catalog.ok()) << catalog.error().message;
    catalog_ = std::move(catalog).value();
    storage::StoreOptions options;
    options.migrations = schema::Migrations();
    options.path = dir_.File("d.db");
    options.synchronous_full = false;
    store_ = std::move(storage::Store::Open(options, &metrics_)).value();
    journal_ = std::make_unique<storage::Journal>(store_.get(), &metrics_);
    dispatcher_ =
        std::make_unique<Dispatcher>(store_.get(), &catalog_, &metrics_, [](const std::string&) {});
  }
  void TearDown() override { store_->Close(); }

  void Journal(const std::string& channel, const adapters::ParsedRequest& parsed) {
    std::promise<core::Result<storage::AppendOutcome>> p;
    journal_->Append(inbound::JournalRecords(channel, parsed), "req",
                     [&p](auto r) { p.set_value(std::move(r)); });
    ASSERT_TRUE(p.get_future().get().ok());
  }
  void Message(const std::string& channel, InboundMessage m) {
    adapters::ParsedRequest parsed;
    parsed.messages.push_back(std::move(m));
    Journal(channel, parsed);
  }
  static InboundMessage Msg(std::string id, std::string address, MessageKind kind,
                            std::string text = "halo") {
    InboundMessage m;
    m.provider_id = std::move(id);
    m.address = std::move(address);
    m.kind = kind;
    m.text = std::move(text);
    m.sent_at_s = 1'700'000'000;
    return m;
  }

  template <typename F>
  auto Read(F f) {
    std::promise<decltype(f(std::declval<storage::Db&>()))> p;
    store_->Write(
        [&](storage::Db& db) {
          p.set_value(f(db));
          return core::Status{};
        },
        [](const core::Status&) {});
    return p.get_future().get();
  }
  std::string OutboxText(const std::string& key) {
    return Read([&](storage::Db& db) {
      auto q = db.Prepare(
          "SELECT m.channel || '|' || m.address || '|' || p.text FROM outbox_part p"
          " JOIN outbox_message m ON m.id = p.message_id WHERE m.message_key = ?");
      q.value()->Bind(1, key);
      std::string out = q.value()->Step() == SQLITE_ROW ? q.value()->ColumnText(0) : "";
      q.value()->Reset();
      return out;
    });
  }

  satupintu::testing::TempDir dir_;
  core::MetricsRegistry metrics_;
  locale::Catalog catalog_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::Journal> journal_;
  std::unique_ptr<Dispatcher> dispatcher_;
};

TEST_F(DispatcherTest, AMessageMakesTheCitizenAndOpensTheWindowOnce) {
  Message("whatsapp:wa", Msg("wamid.1", "6281234567890", MessageKind::kText));
  Message("kannel:modem", Msg("k1", "6281234567890", MessageKind::kText));
  auto pass = dispatcher_->RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->rows, 2);
  EXPECT_TRUE(pass->channels_enqueued.empty()) << "plain text needs no automatic answer";
  auto last = Read([](storage::Db& db) {
    return citizens::LastInbound(db, "6281234567890", "whatsapp:wa").value();
  });
  EXPECT_EQ(last, 1'700'000'000'000) << "the window runs from the citizen's own timestamp";
  auto one = Read([](storage::Db& db) {
    return citizens::AddressesOf(db, citizens::CitizenOf(db, "6281234567890").value().value())
        .value()
        .size();
  });
  EXPECT_EQ(one, 1u) << "WhatsApp and SMS of one number: one citizen, one address";
  EXPECT_EQ(dispatcher_->RunOnce()->rows, 0) << "the cursor moved: nothing is seen twice";
}

TEST_F(DispatcherTest, MediaGetsTextOnlyInTheCitizensLanguage) {
  Message("whatsapp:wa", Msg("wamid.img", "6281111111111", MessageKind::kMedia, ""));
  auto en = Msg("wamid.voice", "6282222222222", MessageKind::kMedia, "");
  en.language = "en-GB";
  Message("whatsapp:wa", en);
  auto pass = dispatcher_->RunOnce();
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->channels_enqueued, std::set<std::string>{"whatsapp:wa"});
  EXPECT_EQ(OutboxText("textonly-1"),
            "whatsapp:wa|6281111111111|" + catalog_.Text("id", "channel.text_only"));
  EXPECT_EQ(OutboxText("textonly-2"),
            "whatsapp:wa|6282222222222|" + catalog_.Text("en", "channel.text_only"));
}

// Issue 19: one address writing faster than the limit is throttled. Its messages stay in the
// journal; those over the limit get nothing but one polite "slow down" for the first of them;
// another citizen in the same pass is answered as usual; the next window starts afresh.
TEST_F(DispatcherTest, AFloodingAddressIsThrottledWithOnePoliteAnswer) {
  DispatcherOptions options;
  options.max_messages_per_address_per_minute = 3;
  dispatcher_ = std::make_unique<Dispatcher>(
      store_.get(), &catalog_, &metrics_, [](const std::string&) {}, options);
  // Media messages: each one the dispatcher handles gets "text only, please".
  for (int i = 1; i <= 6; ++i) {
    Message("kannel:modem", Msg("f" + std::to_string(i), "6281111111111", MessageKind::kMedia, ""));
  }
  Message("kannel:modem", Msg("other", "6282222222222", MessageKind::kMedia, ""));
  auto pass = dispatcher_->RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->rows, 7);
  EXPECT_EQ(pass->throttled, (std::map<std::string, int>{{"kannel:modem", 3}}));
  for (int id = 1; id <= 3; ++id) {
    EXPECT_NE(OutboxText("textonly-" + std::to_string(id)), "") << "within the limit: " << id;
  }
  EXPECT_EQ(OutboxText("slowdown-4"),
            "kannel:modem|6281111111111|" + catalog_.Text("id", "channel.slow_down"));
  for (int id = 4; id <= 6; ++id) {
    EXPECT_EQ(OutboxText("textonly-" + std::to_string(id)), "") << "throttled: " << id;
  }
  EXPECT_EQ(OutboxText("slowdown-5"), "") << "one polite answer per window";
  EXPECT_EQ(OutboxText("slowdown-6"), "");
  EXPECT_NE(OutboxText("textonly-7"), "") << "another citizen is not held back";
  auto journaled = Read(
      [](storage::Db& db) { return db.QueryInt("SELECT COUNT(*) FROM inbound_journal").value(); });
  EXPECT_EQ(journaled, 7) << "throttled messages are kept, never lost";
  EXPECT_NE(metrics_.Render().find("satupintu_inbound_throttled_total{channel=\"kannel:modem\"} 3"),
            std::string::npos)
      << metrics_.Render();

  // A minute after the window began (by the journal's received time), the address is heard.
  Message("kannel:modem", Msg("f7", "6281111111111", MessageKind::kMedia, ""));
  Read([](storage::Db& db) {
    return db
        .Exec("UPDATE inbound_journal SET received_at_ms = received_at_ms + 61000 WHERE id = 8")
        .ok();
  });
  pass = dispatcher_->RunOnce();
  ASSERT_TRUE(pass.ok());
  EXPECT_TRUE(pass->throttled.empty());
  EXPECT_NE(OutboxText("textonly-8"), "");
}

TEST_F(DispatcherTest, TelegramButtonTapsAreAnsweredAndContactsLinkThePhone) {
  auto tap = Msg("1001", "tg:42", MessageKind::kButton, "Pengaduan");
  tap.callback_query_id = "cbq-9";
  Message("telegram:bot", tap);
  auto contact = Msg("1002", "tg:42", MessageKind::kContact, "");
  contact.contact_phone = "6281234567890";
  Message("telegram:bot", contact);
  Message("whatsapp:wa", Msg("wamid.2", "6281234567890", MessageKind::kText));
  ASSERT_TRUE(dispatcher_->RunOnce().ok());
  EXPECT_EQ(OutboxText("cb-1"), "telegram:bot|tg:42|");
  auto same = Read([](storage::Db& db) {
    return citizens::CitizenOf(db, "tg:42").value() ==
           citizens::CitizenOf(db, "6281234567890").value();
  });
  EXPECT_TRUE(same);
}

TEST_F(DispatcherTest, StatusesMoveOutboxPartsForwardOnly) {
  outbox::OutboxStore outbox(store_.get(), &metrics_);
  outbox::NewMessage m;
  m.key = "r-1";
  m.channel = "whatsapp:wa";
  m.address = "6281234567890";
  m.body_json = "{}";
  m.parts = {"x"};
  m.expires_at_ms = 1LL << 50;
  std::promise<void> done;
  outbox.Enqueue(m, 1, [&](auto) { done.set_value(); });
  done.get_future().wait();
  std::promise<std::vector<outbox::DuePart>> claimed;
  outbox.ClaimDue("whatsapp:wa", 1, 2, [&](auto r) { claimed.set_value(std::move(r).value()); });
  const auto part = claimed.get_future().get().at(0);
  std::promise<void> accepted;
  outbox.RecordAccepted(part.part_id, "wamid.OUT", 3, [&](auto) { accepted.set_value(); });
  accepted.get_future().wait();

  adapters::ParsedRequest statuses;
  statuses.statuses.push_back({"wamid.OUT", adapters::DeliveryState::kRead, "", "", 10});
  statuses.statuses.push_back({"wamid.OUT", adapters::DeliveryState::kDelivered, "", "", 9});
  Journal("whatsapp:wa", statuses);
  ASSERT_TRUE(dispatcher_->RunOnce().ok());
  auto state = Read([&](storage::Db& db) {
    auto q = db.Prepare("SELECT state FROM outbox_part WHERE id = ?");
    q.value()->Bind(1, part.part_id);
    q.value()->Step();
    std::string s = q.value()->ColumnText(0);
    q.value()->Reset();
    return s;
  });
  EXPECT_EQ(state, "read") << "a late 'delivered' does not undo 'read'";
  EXPECT_NE(metrics_.Render().find("satupintu_dispatch_statuses_applied_total 1"),
            std::string::npos);
}

TEST_F(DispatcherTest, AnUnusableRowIsSkippedAndTheRestGoOn) {
  Message("whatsapp:wa", Msg("bad", "0812-not-canonical", MessageKind::kText));
  Message("whatsapp:wa", Msg("good", "6281234567890", MessageKind::kMedia, ""));
  auto pass = dispatcher_->RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->rows, 2);
  EXPECT_NE(OutboxText("textonly-2"), "");
  EXPECT_NE(metrics_.Render().find("satupintu_dispatch_rows_skipped_total 1"), std::string::npos);
}

}  // namespace
}  // namespace satupintu::inbound

namespace satupintu::inbound {
namespace {

// Issue 18 item 1: once processed and past the window, a message's payload keeps nothing of
// what the citizen wrote or where from; unprocessed and young rows are left alone.
TEST_F(DispatcherTest, ProcessedMessagesPastTheWindowAreRedactedOnceAndYoungOnesKept) {
  auto m = Msg("wamid.1", "6281234567890", MessageKind::kText, "NIK 3201014101900003 Siti");
  m.contact_phone = "6285700000001";
  m.raw = R"({"from":"6281234567890"})";
  Message("whatsapp:wa", m);
  Message("telegram:tg", Msg("tg-2", "tg:555000111", MessageKind::kText, "nama saya Budi"));
  adapters::ParsedRequest status;
  adapters::StatusUpdate read;
  read.provider_message_id = "wamid.out";
  read.state = adapters::DeliveryState::kRead;
  status.statuses.push_back(read);
  Journal("whatsapp:wa", status);
  const auto at = [this](const char* sql) {
    return Read([sql](storage::Db& db) { return db.QueryInt(sql).value(); });
  };
  const auto first = at("SELECT min(received_at_ms) FROM inbound_journal");
  const auto received = at("SELECT max(received_at_ms) FROM inbound_journal");

  // Nothing processed yet: nothing redacted, however old.
  auto none = Read([&](storage::Db& db) { return RedactProcessedJournal(db, received + 1, 100); });
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_EQ(none.value(), 0);

  ASSERT_TRUE(dispatcher_->RunOnce().ok());
  // Processed but younger than the window: kept.
  EXPECT_EQ(Read([&](storage::Db& db) { return RedactProcessedJournal(db, first, 100); }).value(),
            0);
  // Old enough: the two messages are rewritten, the status row needs nothing.
  auto done = Read([&](storage::Db& db) { return RedactProcessedJournal(db, received + 1, 100); });
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(done.value(), 2);
  EXPECT_EQ(
      Read([&](storage::Db& db) { return RedactProcessedJournal(db, received + 1, 100); }).value(),
      0)
      << "each row once";

  const std::string all = Read([](storage::Db& db) {
    auto q = db.Prepare(
        "SELECT group_concat(channel || ' ' || provider_id || ' ' || payload, '\n')"
        " FROM inbound_journal");
    q.value()->Step();
    std::string out = q.value()->ColumnText(0);
    q.value()->Reset();
    return out;
  });
  for (const char* gone : {"3201014101900003", "Siti", "Budi", "6281234567890", "555000111",
                           "6285700000001", "from"}) {
    EXPECT_EQ(all.find(gone), std::string::npos) << gone << " in\n" << all;
  }
  EXPECT_NE(all.find("wamid.1"), std::string::npos) << "dedupe keeps the provider id";
  EXPECT_NE(all.find("\"redacted\":true"), std::string::npos);
  EXPECT_NE(all.find("wamid.out"), std::string::npos) << "statuses carry no personal data";
  // The same message from the provider again is still a duplicate.
  Message("whatsapp:wa", m);
  EXPECT_EQ(dispatcher_->RunOnce()->rows, 0);
}

}  // namespace
}  // namespace satupintu::inbound

namespace satupintu::inbound {
namespace {

// Issue 18 item 5: a restricted citizen's photo is journaled, but nothing answers it.
TEST_F(DispatcherTest, ARestrictedCitizensPhotoGetsNoAnswer) {
  Message("whatsapp:wa", Msg("wamid.t", "6283333333333", MessageKind::kMedia, ""));
  ASSERT_TRUE(dispatcher_->RunOnce().ok());
  ASSERT_FALSE(OutboxText("textonly-1").empty()) << "before the restriction it is answered";
  auto restricted = Read([](storage::Db& db) -> core::Result<int> {
    auto key = subject::MakeKey("", "6283333333333", {});
    if (!key.ok()) return key.error();
    auto who = subject::Find(db, key.value());
    if (!who.ok()) return who.error();
    return subject::Restrict(db, who.value(), {"cli:test", "dpo", "request 1", ""}, "asked", 1);
  });
  ASSERT_TRUE(restricted.ok()) << restricted.error().message;
  ASSERT_EQ(restricted.value(), 1);
  Message("whatsapp:wa", Msg("wamid.t2", "6283333333333", MessageKind::kMedia, ""));
  auto pass = dispatcher_->RunOnce();
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->rows, 1) << "journaled and read";
  EXPECT_EQ(OutboxText("textonly-2"), "");
}

}  // namespace
}  // namespace satupintu::inbound
