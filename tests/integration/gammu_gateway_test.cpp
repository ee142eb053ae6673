// The Gammu SMSD channel end to end: the real satupintu binary (channels.gammu[]) and a real
// gammu-smsd (dummy phone, SQLite backend, tests/support/gammu_peer.hpp) sharing SMSD's
// database file. MO: SMSD inbox -> GammuLink -> inbound_journal -> dispatcher (citizens), the
// inbox row marked only after our commit. MT: POST /diag/outbox -> outbox parts -> one SMSD
// outbox row per part -> sentitems -> statuses through the journal back to the outbox.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "gateway_harness.hpp"
#include "support/gammu_peer.hpp"

namespace satupintu::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr auto kWait = 20s;  // SMSD polls every second; generous for a loaded machine
const std::string kChannel = "gammu:modem";
const std::string kNumber = "+6281234567890";
const std::string kAddress = "6281234567890";  // as the gateway normalises it
// What must never appear in the gateway's log (the number without its country prefix also
// catches "0812...", "+62812..." and "62812...").
const std::string kNumberCore = "81234567890";

bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout = kWait) {
  return WaitUntil(condition, timeout);
}

// One text value from an SQLite file ("<error>" when the query fails, "<none>" without a row).
std::string QueryText(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out = "<error>";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 2000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) {
        const auto* text = sqlite3_column_text(stmt, 0);
        out = text ? reinterpret_cast<const char*>(text) : "";
      } else if (rc == SQLITE_DONE) {
        out = "<none>";
      }
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

// Words of GSM-7 text, `length` characters long: 153 characters per part once concatenated.
std::string LongText(std::size_t length) {
  std::string out;
  for (int i = 0; out.size() < length; ++i) {
    out += "bantuan" + std::to_string(i) + " ";
  }
  out.resize(length);
  if (out.back() == ' ') out.back() = 'x';
  return out;
}

class GammuGateway : public ::testing::Test {
 protected:
  void SetUp() override {
    peer_ = std::make_unique<GammuPeer>();
    ASSERT_TRUE(peer_->setup_error().empty()) << peer_->setup_error();
    database_ = peer_->database();
  }

  void TearDown() override {
    if (!HasFailure()) return;
    if (peer_) std::cerr << "--- smsd log ---\n" << peer_->Log();
    for (const auto* gw : {&gw_, &gw2_}) {
      if (gw->child) std::cerr << "--- gateway log ---\n" << gw->Log();
    }
  }

  json Channel(int rate_per_minute = 600, int burst = 2) const {
    return {{"name", "modem"},
            {"database", database_},
            {"phone_id", peer_->phone_id()},
            {"poll_interval_ms", 200},
            {"smsd_utc_offset_minutes", LocalUtcOffsetMinutes()},
            {"send",
             {{"rate_per_minute", rate_per_minute},
              {"burst", burst},
              {"backoff_base_ms", 200},
              {"backoff_max_ms", 1000}}}};
  }

  std::string Config(const json& channel) const {
    return ConfigWith(dir_, {{"channels", {{"gammu", json::array({channel})}}}});
  }

  Gateway Start(const std::string& name = "gw") {
    return StartGateway(dir_, Config(Channel()), name);
  }

  std::string Ours() const { return dir_.File("satupintu.db"); }

  std::int64_t Ours(const std::string& sql) {
    SqliteFile db(Ours());
    return db.Int(sql);
  }

  std::int64_t MessageRows() {
    return Ours("SELECT COUNT(*) FROM inbound_journal WHERE channel = '" + kChannel +
                "' AND provider_id LIKE 'gammu:%'");
  }
  std::int64_t MessageRowsWithText(const std::string& text) {
    SqliteFile db(Ours());
    return db.Int(
        "SELECT COUNT(*) FROM inbound_journal WHERE channel = ? AND provider_id LIKE 'gammu:%'"
        " AND json_extract(CAST(payload AS TEXT), '$.text') = ?",
        kChannel, text);
  }
  std::int64_t Unprocessed() {
    return peer_->QueryInt("SELECT COUNT(*) FROM inbox WHERE Processed = 'false'");
  }
  std::int64_t InboxRows() { return peer_->QueryInt("SELECT COUNT(*) FROM inbox"); }

  ClientResponse PostOutbox(const json& body) const {
    RequestOptions o;
    o.method = "POST";
    o.target = "/diag/outbox";
    o.body = body.dump();
    o.headers = {{"Content-Type", "application/json"}};
    return Send(gw_.ports.private_port, o);
  }

  TempDir dir_;
  std::unique_ptr<GammuPeer> peer_;
  std::string database_;
  Gateway gw_;
  Gateway gw2_;
};

TEST_F(GammuGateway, SingleAndConcatenatedMoAreJournaledOnceAndMarkedProcessed) {
  ASSERT_TRUE(peer_->Start());
  gw_ = Start();
  ASSERT_NE(gw_.ports.private_port, 0) << gw_.Log();

  peer_->DropMo(kNumber, "DAFTAR bansos");
  ASSERT_TRUE(WaitFor([&] { return InboxRows() == 1 && Unprocessed() == 0; }));
  EXPECT_EQ(MessageRowsWithText("DAFTAR bansos"), 1);

  // Dropped out of order; SMSD links the parts, the link joins their text in order.
  peer_->DropMo(kNumber, std::vector<MoPart>{{"050003B70302", "kedua, "},
                                             {"050003B70303", "ketiga."},
                                             {"050003B70301", "pertama, "}});
  ASSERT_TRUE(WaitFor([&] { return InboxRows() == 4 && Unprocessed() == 0; }));
  EXPECT_EQ(MessageRowsWithText("pertama, kedua, ketiga."), 1);

  // The dispatcher made the citizen from the normalised number and noted the channel.
  SqliteFile db(Ours());
  ASSERT_TRUE(WaitFor([&] {
    return db.Int("SELECT COUNT(*) FROM address_channel WHERE address = ? AND channel = ?",
                  kAddress, kChannel) == 1;
  }));
  EXPECT_EQ(
      db.Int("SELECT COUNT(*) FROM citizen_address WHERE address = ? AND kind = 'phone'", kAddress),
      1);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM citizen"), 1) << "one number, one citizen";

  // The dialogs answered each message once, through SMSD: "DAFTAR" opens the registration
  // proposal, which asks for the NIK; the joined text is no NIK, so the same step asks again.
  ASSERT_TRUE(WaitFor([&] {
    return peer_->QueryInt("SELECT COUNT(*) FROM sentitems WHERE DestinationNumber = '" + kNumber +
                           "'") == 2;
  })) << gw_.Log();
  EXPECT_EQ(peer_->QueryInt("SELECT COUNT(*) FROM sentitems WHERE TextDecoded LIKE '%NIK%'"), 2);

  // Several more polls: nothing is delivered twice, no reply is sent twice. (The other journal
  // rows are SMSD's delivery reports of the two replies.)
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(MessageRows(), 2);
  EXPECT_EQ(peer_->QueryInt("SELECT COUNT(*) FROM inbox WHERE Processed = 'true'"), 4);
  EXPECT_EQ(peer_->QueryInt("SELECT COUNT(*) FROM sentitems"), 2);

  EXPECT_EQ(StopGateway(gw_), 0);
  const std::string log = gw_.Log();
  EXPECT_TRUE(HasEvent(log, "channel.mounted")) << log;
  EXPECT_EQ(log.find(kNumberCore), std::string::npos) << "no phone number in the log";
  EXPECT_EQ(log.find("DAFTAR"), std::string::npos) << "no message text in the log";
  EXPECT_EQ(log.find("pertama"), std::string::npos);
}

TEST_F(GammuGateway, OutboxMessageIsSentOneSmsdRowPerPartAndEndsSent) {
  ASSERT_TRUE(peer_->Start());
  gw_ = Start();
  ASSERT_NE(gw_.ports.private_port, 0) << gw_.Log();

  const std::string text = LongText(400);  // GSM-7: 153 + 153 + 94
  auto answer = PostOutbox({{"key", "mt-gammu-1"},
                            {"channel", kChannel},
                            {"address", kAddress},
                            {"text", text},
                            {"priority", "notification"}});
  ASSERT_EQ(answer.status, 202) << answer.body << answer.error;
  const json body = json::parse(answer.body);
  EXPECT_EQ(body.value("parts", 0), 3);
  EXPECT_GT(body.value("message_id", std::int64_t{0}), 0);

  ASSERT_TRUE(WaitFor([&] {
    return peer_->QueryInt(
               "SELECT COUNT(*) FROM sentitems WHERE CreatorID LIKE 'satupintu:mt-gammu-1.%'") == 3;
  }));
  // SMSD writes the sentitems row, then deletes the outbox row; when its database is locked in
  // between (it has no busy timeout) it reconnects a second later and deletes it then.
  EXPECT_TRUE(WaitFor([&] { return peer_->QueryInt("SELECT COUNT(*) FROM outbox") == 0; }))
      << "SMSD took every part";
  for (int seq = 1; seq <= 3; ++seq) {
    const std::string part = std::to_string(seq);
    std::string sql = "SELECT COUNT(*) FROM sentitems WHERE CreatorID = 'satupintu:mt-gammu-1.";
    sql.append(part).append("' AND DestinationNumber = '").append(kNumber);
    sql.append("' AND UDH LIKE '050003__030").append(part).append("'");
    EXPECT_EQ(peer_->QueryInt(sql), 1) << "part " << seq;
  }
  EXPECT_EQ(peer_->QueryInt("SELECT COUNT(DISTINCT substr(UDH, 7, 2)) FROM sentitems"), 1)
      << "one concatenation reference for all parts";
  // Handed to SMSD in order: each part's outbox ID (kept in sentitems) above the previous.
  EXPECT_EQ(QueryText(database_,
                      "SELECT group_concat(CreatorID, ' ') FROM (SELECT CreatorID FROM sentitems"
                      " ORDER BY ID)"),
            "satupintu:mt-gammu-1.1 satupintu:mt-gammu-1.2 satupintu:mt-gammu-1.3");
  EXPECT_EQ(QueryText(database_,
                      "SELECT group_concat(TextDecoded, '') FROM (SELECT TextDecoded FROM"
                      " sentitems ORDER BY ID)"),
            text)
      << "the parts concatenate back to the text";

  // SMSD's SendingOK (the dummy phone never sends a delivery report) maps to "sent": the
  // statuses come back through the journal, and the parts stay sent.
  SqliteFile db(Ours());
  ASSERT_TRUE(WaitFor([&] {
    return db.Int(
               "SELECT COUNT(*) FROM inbound_journal WHERE channel = ? AND provider_id"
               " LIKE 'status:mt-gammu-1.%:sent'",
               kChannel) == 3;
  }));
  EXPECT_EQ(QueryText(database_, "SELECT group_concat(DISTINCT Status) FROM sentitems"),
            "SendingOK");
  ASSERT_TRUE(WaitFor([&] {
    return db.Int("SELECT last_id FROM journal_cursor WHERE consumer = 'channels'") >=
           db.Int("SELECT MAX(id) FROM inbound_journal");
  })) << "the dispatcher read the statuses";
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM outbox_part WHERE part_key LIKE 'mt-gammu-1.%'"
                   " AND state = 'sent' AND provider_message_id = part_key"
                   " AND last_error IS NULL"),
            3);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM outbox_part"), 3);

  // Several more polls: each status once, no part sent twice.
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM inbound_journal"), 3);
  EXPECT_EQ(peer_->QueryInt("SELECT COUNT(*) FROM sentitems"), 3);

  EXPECT_EQ(StopGateway(gw_), 0);
  const std::string log = gw_.Log();
  EXPECT_EQ(log.find(kNumberCore), std::string::npos) << "no phone number in the log";
  EXPECT_EQ(log.find("bantuan"), std::string::npos) << "no message text in the log";
}

TEST_F(GammuGateway, SenderPacesTheModemAtRatePerMinute) {
  ASSERT_TRUE(peer_->Start());
  gw_ = StartGateway(dir_, Config(Channel(/*rate_per_minute=*/60, /*burst=*/1)));
  ASSERT_NE(gw_.ports.private_port, 0) << gw_.Log();
  auto answer = PostOutbox({{"key", "mt-paced"},
                            {"channel", kChannel},
                            {"address", kAddress},
                            {"text", LongText(400)},
                            {"priority", "bulk"}});
  ASSERT_EQ(answer.status, 202) << answer.body << answer.error;

  SqliteFile db(Ours());
  ASSERT_TRUE(WaitFor([&] {
    return db.Int("SELECT COUNT(*) FROM channel_log WHERE part_key LIKE 'mt-paced.%'") == 3;
  }));
  // One token a second and a burst of one: the three inserts span two seconds at least.
  const std::int64_t span =
      db.Int("SELECT MAX(at_ms) - MIN(at_ms) FROM channel_log WHERE part_key LIKE 'mt-paced.%'");
  EXPECT_GE(span, 1800) << "three parts at 60 a minute";
  EXPECT_LE(span, 6000);
  EXPECT_TRUE(WaitFor([&] {
    return peer_->QueryInt(
               "SELECT COUNT(*) FROM sentitems WHERE CreatorID LIKE"
               " 'satupintu:mt-paced.%'") == 3;
  }));
  EXPECT_EQ(StopGateway(gw_), 0);
}

// The window the link guarantees: our journal committed, SMSD's row not yet marked. A lock
// held on SMSD's database keeps the gateway inside it (the mark needs the write lock, reading
// does not) until it is killed; the restarted gateway delivers the row again, the journal
// takes it as a duplicate, and only then is it marked.
TEST_F(GammuGateway, KillBetweenJournalCommitAndMarkYieldsOneJournalRow) {
  ASSERT_TRUE(peer_->Start());
  peer_->DropMo(kNumber, "Cek status PKH");
  ASSERT_TRUE(WaitFor([&] { return InboxRows() == 1; }));
  peer_->Stop();  // SMSD would fight for the lock below; it is started again later

  sqlite3* locker = nullptr;
  ASSERT_EQ(sqlite3_open(database_.c_str(), &locker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(locker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);

  gw_ = Start();
  ASSERT_NE(gw_.ports.private_port, 0) << gw_.Log();
  ASSERT_TRUE(WaitFor([&] { return MessageRowsWithText("Cek status PKH") == 1; }));
  std::this_thread::sleep_for(1s);  // several polls: each delivers again, none can mark
  EXPECT_EQ(Unprocessed(), 1) << "not marked while the mark cannot commit";
  EXPECT_EQ(MessageRows(), 1);
  gw_.child->Signal(SIGKILL);
  EXPECT_EQ(gw_.child->Wait(5s), 128 + SIGKILL);

  sqlite3_exec(locker, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(locker);
  EXPECT_EQ(Unprocessed(), 1);

  gw2_ = Start("gw2");
  ASSERT_NE(gw2_.ports.private_port, 0) << gw2_.Log();
  ASSERT_TRUE(WaitFor([&] { return Unprocessed() == 0; }));
  EXPECT_EQ(MessageRows(), 1) << "delivered again after the restart: a journal duplicate";
  EXPECT_EQ(MessageRowsWithText("Cek status PKH"), 1);

  // SMSD back: the next MO goes through as usual.
  ASSERT_TRUE(peer_->Start());
  peer_->DropMo(kNumber, "Terima kasih");
  ASSERT_TRUE(WaitFor([&] { return InboxRows() == 2 && Unprocessed() == 0; }));
  EXPECT_EQ(MessageRowsWithText("Terima kasih"), 1);
  EXPECT_EQ(MessageRows(), 2);
  EXPECT_EQ(StopGateway(gw2_), 0);
  EXPECT_EQ(gw_.Log().find(kNumberCore), std::string::npos);
  EXPECT_EQ(gw2_.Log().find(kNumberCore), std::string::npos);
}

// kill -9 at whatever point SMSD and the link happen to be when the MO lands: before the
// link read it, during the journal write, or between the commit and the mark. Each MO ends
// journaled exactly once after the restart.
TEST_F(GammuGateway, KillRightAfterMoLandsLosesNothingAndRepeatsNothing) {
  ASSERT_TRUE(peer_->Start());
  const std::vector<std::string> texts{"satu", "dua", "tiga"};
  for (std::size_t i = 0; i < texts.size(); ++i) {
    Gateway gw = StartGateway(dir_, Config(Channel()), "run" + std::to_string(i));
    ASSERT_NE(gw.ports.private_port, 0) << gw.Log();
    peer_->DropMo(kNumber, "Pesan " + texts[i]);
    // Poll SMSD's inbox tightly and kill as soon as the row exists (a little later each
    // round, so the kill falls into different phases of the link's poll).
    ASSERT_TRUE(WaitFor([&] { return InboxRows() == static_cast<std::int64_t>(i + 1); }));
    std::this_thread::sleep_for(std::chrono::milliseconds(100 * i));
    gw.child->Signal(SIGKILL);
    EXPECT_EQ(gw.child->Wait(5s), 128 + SIGKILL);
    EXPECT_EQ(gw.Log().find(kNumberCore), std::string::npos);
  }
  gw_ = Start("final");
  ASSERT_NE(gw_.ports.private_port, 0) << gw_.Log();
  ASSERT_TRUE(WaitFor([&] { return Unprocessed() == 0; }));
  for (const auto& t : texts) EXPECT_EQ(MessageRowsWithText("Pesan " + t), 1) << t;
  EXPECT_EQ(MessageRows(), 3);
  EXPECT_EQ(StopGateway(gw_), 0);
}

// An unplugged modem (SMSD's database not there yet) must not stop the other channels: the
// gateway starts, warns without any citizen data, keeps MT parts queued and picks everything
// up once the database appears.
TEST_F(GammuGateway, MissingDatabaseAtStartIsRetriedUntilItAppears) {
  const std::string hidden = database_ + ".away";
  std::filesystem::rename(database_, hidden);

  gw_ = Start();
  ASSERT_NE(gw_.ports.private_port, 0) << "starts without SMSD's database\n" << gw_.Log();
  EXPECT_EQ(Get(gw_.ports.private_port, "/healthz").status, 200);
  ASSERT_TRUE(WaitFor([&] { return HasEvent(gw_.Log(), "gammu.poll_failed"); }, 5s)) << gw_.Log();
  auto answer = PostOutbox({{"key", "mt-late"},
                            {"channel", kChannel},
                            {"address", kAddress},
                            {"text", "Jadwal pencairan besok"},
                            {"priority", "reply"}});
  ASSERT_EQ(answer.status, 202) << answer.body << answer.error;
  std::this_thread::sleep_for(2s);  // ten polls and several send attempts without a database
  EXPECT_FALSE(std::filesystem::exists(database_)) << "the gateway never creates SMSD's file";
  EXPECT_EQ(Ours("SELECT COUNT(*) FROM outbox_part WHERE state IN ('queued', 'in_flight')"), 1)
      << "the part waits";

  const auto lines = ParseLog(gw_.Log());
  int warnings = 0;
  for (const auto& line : lines) {
    if (line.is_object() && line.value("event", "") == "gammu.poll_failed") {
      ++warnings;
      EXPECT_EQ(line.value("level", ""), "warn") << line.dump();
    }
  }
  EXPECT_LE(warnings, 2) << "one warning for an outage, not one per poll";

  std::filesystem::rename(hidden, database_);
  ASSERT_TRUE(peer_->Start());
  peer_->DropMo(kNumber, "Sudah ada modem");
  ASSERT_TRUE(WaitFor([&] { return InboxRows() == 1 && Unprocessed() == 0; }));
  EXPECT_EQ(MessageRowsWithText("Sudah ada modem"), 1);
  ASSERT_TRUE(WaitFor([&] {
    return peer_->QueryInt(
               "SELECT COUNT(*) FROM sentitems WHERE CreatorID = 'satupintu:mt-late.1'") == 1;
  }));
  ASSERT_TRUE(WaitFor([&] {
    return Ours(
               "SELECT COUNT(*) FROM outbox_part WHERE part_key = 'mt-late.1' AND state = "
               "'sent'") == 1;
  }));
  EXPECT_TRUE(WaitFor([&] { return HasEvent(gw_.Log(), "gammu.poll_recovered"); }, 5s));

  EXPECT_EQ(StopGateway(gw_), 0);
  const std::string log = gw_.Log();
  EXPECT_EQ(log.find(kNumberCore), std::string::npos) << "no phone number in the log";
  EXPECT_EQ(log.find("pencairan"), std::string::npos) << "no message text in the log";
}

}  // namespace
}  // namespace satupintu::testing
