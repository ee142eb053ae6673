// Retention and purge (issue 18 item 4) on real SQLite files migrated to the whole schema:
// tickets::Anonymise (personal fields gone, every report figure and daily count the same) and
// the purge pass of gateway/privacy, class by class, at a fixed "now".

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "adapters/core/adapter.hpp"
#include "audit/audit_log.hpp"
#include "inbound/journal_record.hpp"
#include "privacy/purge.hpp"
#include "schema/schema.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"
#include "support/process.hpp"
#include "tickets/anonymise.hpp"
#include "tickets/cases.hpp"
#include "tickets/reports.hpp"
#include "tickets/tickets.hpp"
#include "unit/migrated_store.hpp"

namespace satupintu {
namespace {

constexpr std::int64_t kDayMs = 24 * 3'600'000LL;
constexpr int kWib = 7 * 60;
// 2025-06-02 00:00 WIB, a Monday.
constexpr std::int64_t kStart = 1'748'797'200'000;

class PrivacyStore : public testing::MigratedStoreTest {
 protected:
  void SetUp() override {
    MigratedStoreTest::SetUp();
    if (HasFatalFailure()) return;
  }

  // A ticket with every personal field filled, a note, a message each way, a survey with a
  // comment and a pending survey. Returns its id.
  std::int64_t FullTicket(std::int64_t citizen_id, std::int64_t at_ms,
                          const std::string& village = "32.06.05.2002") {
    tickets::NewTicket t;
    t.type = tickets::Type::kComplaint;
    t.citizen_id = citizen_id;
    t.channel = "telegram:bot";
    t.category = "pkh";
    t.nik_hash = "ab12";
    t.nik_masked = "3206********0003";
    t.kk_hash = "cd34";
    t.kk_masked = "3206********0009";
    t.name = "Siti Aminah";
    t.birth_date = "1961-04-03";
    t.village_code = village;
    t.household = 5;
    t.description = "Anak saya sakit, PKH tidak cair sejak Maret";
    t.priority = "elderly";
    tickets::RegistrySnapshot snap;
    snap.snapshot_date = "2025-05-01";
    snap.found = true;
    snap.status = "aktif";
    snap.desil = 2;
    snap.village_code = village;
    snap.programmes.push_back({"pkh", "2023-01", ""});
    t.registry_snapshot = snap;
    auto code = tickets::Open(*db_, t, at_ms);
    EXPECT_TRUE(code.ok());
    const std::int64_t id = Int("SELECT id FROM ticket WHERE code = '" + code.value() + "'");
    EXPECT_TRUE(tickets::AppendEvent(*db_, id, at_ms + 1, 7, "note", "received", "received",
                                     R"({"note":"Ibu Siti, rumah dekat masjid"})")
                    .ok());
    EXPECT_TRUE(tickets::AppendEvent(*db_, id, at_ms + 2, 7, "refer", "received", "referred",
                                     R"({"programmes":["pkh"],"note":"telp 081234567890"})")
                    .ok());
    const std::string sid = std::to_string(id);
    const std::string cid = std::to_string(citizen_id);
    Exec(
        "INSERT INTO ticket_message (ticket_id, citizen_id, direction, user_id, channel, text,"
        " at_ms) VALUES (" +
        sid + ", " + cid +
        ", 'out', 7, 'telegram:bot', 'Kapan bisa"
        " dikunjungi?', " +
        std::to_string(at_ms + 3) + "), (" + sid + ", " + cid +
        ", 'in', 0, 'telegram:bot', 'Besok pagi di rumah', " + std::to_string(at_ms + 4) + ")");
    EXPECT_TRUE(
        tickets::SaveSurvey(*db_, code.value(), 4, "petugas ramah, Pak Budi", at_ms + 5).ok());
    Exec(
        "INSERT INTO pending_survey (ticket_id, citizen_id, created_at_ms, next_try_ms,"
        " expires_at_ms) VALUES (" +
        sid + ", " + cid + ", 1, 1, 1)");
    return id;
  }
};

TEST_F(PrivacyStore, AnonymiseClearsThePersonalFieldsAndKeepsTheFacts) {
  const std::int64_t id = FullTicket(42, kStart);
  Exec("UPDATE ticket SET status = 'closed', sla_breaches = 1 WHERE id = " + std::to_string(id));
  const std::string facts =
      "SELECT code || type || status || category || village_code || created_at_ms ||"
      " updated_at_ms || priority || sla || sla_breaches || channel || close_reason ||"
      " COALESCE(referred_at_ms, '-') FROM ticket WHERE id = " +
      std::to_string(id);
  const std::string before = Text(facts);
  const std::string history = Text(
      "SELECT group_concat(at_ms || action || from_status || to_status || actor_id, ';')"
      " FROM ticket_event WHERE ticket_id = " +
      std::to_string(id));
  EXPECT_FALSE(tickets::IsAnonymised(*db_, id).value());

  ASSERT_TRUE(tickets::Anonymise(*db_, id, kStart + kDayMs).ok());

  const std::string w = " WHERE id = " + std::to_string(id);
  EXPECT_EQ(Text(facts), before);
  EXPECT_EQ(Text("SELECT name || birth_date || nik_hash || nik_masked || kk_hash || kk_masked ||"
                 " description FROM ticket" +
                 w),
            "");
  EXPECT_EQ(Int("SELECT household FROM ticket" + w), 0);
  EXPECT_EQ(Int("SELECT citizen_id FROM ticket" + w), 0);
  EXPECT_EQ(Int("SELECT anonymised_at_ms FROM ticket" + w), kStart + kDayMs);
  EXPECT_EQ(Text("SELECT registry_snapshot FROM ticket" + w),
            R"({"snapshot_date":"2025-05-01","found":true})");
  const std::string t = " WHERE ticket_id = " + std::to_string(id);
  EXPECT_EQ(Text("SELECT group_concat(at_ms || action || from_status || to_status || actor_id,"
                 " ';') FROM ticket_event" +
                 t),
            history);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM ticket_event" + t + " AND detail LIKE '%note%'"), 0);
  EXPECT_EQ(Text("SELECT detail FROM ticket_event" + t + " AND action = 'refer'"),
            R"({"programmes":["pkh"]})");
  EXPECT_EQ(Int("SELECT COUNT(*) FROM ticket_message" + t), 2) << "kept, without their text";
  EXPECT_EQ(Int("SELECT COUNT(*) FROM ticket_message" + t + " AND (text <> '' OR citizen_id <> 0)"),
            0);
  EXPECT_EQ(Int("SELECT rating FROM survey_response" + t), 4);
  EXPECT_EQ(Text("SELECT comment FROM survey_response" + t), "");
  EXPECT_EQ(Int("SELECT COUNT(*) FROM pending_survey" + t), 0);
  EXPECT_TRUE(tickets::IsAnonymised(*db_, id).value());

  // Once: a second call changes nothing, not even the time.
  ASSERT_TRUE(tickets::Anonymise(*db_, id, kStart + 2 * kDayMs).ok());
  EXPECT_EQ(Int("SELECT anonymised_at_ms FROM ticket" + w), kStart + kDayMs);
  EXPECT_EQ(tickets::Anonymise(*db_, id + 1000, kStart).error().code, core::ErrorCode::kNotFound);
}

TEST_F(PrivacyStore, TheHistoryStaysAppendOnlyButForAnAnonymisedTicketsNotes) {
  const std::int64_t live = FullTicket(1, kStart);
  const std::int64_t gone = FullTicket(2, kStart);
  ASSERT_TRUE(tickets::Anonymise(*db_, gone, kStart + kDayMs).ok());
  // The note of a ticket that is not anonymised cannot go.
  EXPECT_FALSE(db_->Exec("UPDATE ticket_event SET detail = json_remove(detail, '$.note')"
                         " WHERE ticket_id = " +
                         std::to_string(live))
                   .ok());
  // Nothing else of an anonymised ticket's history can change.
  for (const std::string set : {"action = 'close'", "at_ms = 1", "actor_id = 9",
                                "to_status = 'closed'", "detail = '{\"programmes\":[\"pip\"]}'"}) {
    EXPECT_FALSE(
        db_->Exec("UPDATE ticket_event SET " + set + " WHERE ticket_id = " + std::to_string(gone))
            .ok())
        << set;
  }
  EXPECT_FALSE(
      db_->Exec("DELETE FROM ticket_event WHERE ticket_id = " + std::to_string(gone)).ok());
}

// Every report of tickets/reports.hpp, both ways (daily counts and tickets), over regions and
// periods, with the daily count tables themselves.
std::string Figures(storage::Db& db) {
  std::string out;
  const std::vector<tickets::Period> periods = {{},
                                                {kStart, kStart + 7 * kDayMs},
                                                {kStart + 10 * kDayMs, kStart + 40 * kDayMs},
                                                {kStart + 3'600'000, kStart + 30 * kDayMs}};
  for (const std::string region : {"32", "32.06", "32.06.05", "32.06.05.2002", "32.07"}) {
    for (const auto& p : periods) {
      for (auto source : {tickets::Source::kAuto, tickets::Source::kTickets}) {
        const auto weeks = tickets::TicketsPerWeek(db, region, p, kWib, source).value();
        const auto sla = tickets::SlaByKecamatan(db, region, p, source).value();
        const auto recap = tickets::RecapByType(db, region, p, source).value();
        for (const auto& w : weeks) {
          out += std::to_string(w.week_start_ms);
          for (const auto& [k, v] : w.by_category) out += k + "=" + std::to_string(v) + ",";
        }
        for (const auto& s : sla) {
          out += s.kecamatan_code + std::to_string(s.tickets) + "/" + std::to_string(s.finished) +
                 "/" + std::to_string(s.on_time) + "/" + std::to_string(s.breached) + ";";
        }
        const auto ikm = tickets::Satisfaction(db, region, p, source).value();
        out += std::to_string(ikm.responses) + ":" + std::to_string(ikm.index) + ";";
        for (const auto& r : recap) {
          out += r.type + std::to_string(r.received) + "/" + std::to_string(r.referred) + "/" +
                 std::to_string(r.resolved) + "/" + std::to_string(r.closed) + "/" +
                 std::to_string(r.open) + ";";
        }
        out += "\n";
      }
    }
  }
  for (const char* table : {"report_day", "report_sla", "report_rating"}) {
    out += db.QueryText(std::string("SELECT group_concat(r, '|') FROM (SELECT json_array(*) AS r"
                                    " FROM ") +
                        table + " ORDER BY 1)")
               .value();
  }
  return out;
}

TEST_F(PrivacyStore, ReportsAndDailyCountsAreTheSameAfterAnonymising) {
  std::mt19937 rng(18);
  static const std::vector<std::string> villages = {"32.06.05.2002", "32.06.05.2010",
                                                    "32.06.01.2001", "32.07.03.2004"};
  static const std::vector<std::string> statuses = {"received", "verified", "referred", "resolved",
                                                    "closed"};
  ASSERT_TRUE(tickets::PrepareReports(*db_, kWib).ok());
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 200; ++i) {
    const std::int64_t at = kStart + static_cast<std::int64_t>(rng() % (60 * kDayMs));
    ids.push_back(FullTicket(1 + static_cast<std::int64_t>(rng() % 30), at,
                             villages[rng() % villages.size()]));
    const std::string id = std::to_string(ids.back());
    Exec("UPDATE ticket SET status = '" + statuses[rng() % statuses.size()] +
         "', sla_breaches = " + std::to_string(rng() % 2) + " WHERE id = " + id);
    if (rng() % 3 == 0) {
      ASSERT_TRUE(
          tickets::AppendEvent(*db_, ids.back(), at + 9, 7, "resolve", "referred", "resolved")
              .ok());
    }
  }
  const std::string before = Figures(*db_);
  ASSERT_GT(Int("SELECT COUNT(*) FROM report_day"), 0);
  ASSERT_GT(Int("SELECT COUNT(*) FROM report_rating"), 0);
  for (std::int64_t id : ids) ASSERT_TRUE(tickets::Anonymise(*db_, id, kStart + 400 * kDayMs).ok());
  EXPECT_EQ(Int("SELECT COUNT(*) FROM ticket WHERE name <> '' OR description <> ''"), 0);
  EXPECT_EQ(Figures(*db_), before);
}

// The purge pass at a fixed now, ~3 years after kStart, with the default periods.
constexpr std::int64_t kNow = kStart + 1000 * kDayMs;

class PurgeTest : public PrivacyStore {
 protected:
  privacy::PassResult Pass(const privacy::Retention& r = {}) {
    auto result = privacy::Purge(privacy::OnConnection(*db_), r, kNow, "test");
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().detail);
    return result.ok() ? result.value() : privacy::PassResult{};
  }
  std::int64_t Done(const privacy::PassResult& p, privacy::DataClass c) { return p.done[c]; }

  // One journaled text message from `address` received `days_ago` before kNow.
  void Journal(const std::string& id, const std::string& address, int days_ago) {
    adapters::ParsedRequest parsed;
    adapters::InboundMessage m;
    m.provider_id = id;
    m.address = address;
    m.text = "NIK saya 3206054304610003 tolong";
    m.raw = R"({"text":"NIK saya 3206054304610003 tolong"})";
    parsed.messages.push_back(m);
    for (const auto& rec : inbound::JournalRecords("telegram:bot", parsed)) {
      auto q = db_->Prepare(
          "INSERT INTO inbound_journal (channel, provider_id, received_at_ms, request_id,"
          " payload) VALUES (?, ?, ?, 'r', ?)");
      ASSERT_TRUE(q.ok());
      ASSERT_TRUE(q.value()
                      ->Bind(1, rec.channel)
                      .Bind(2, rec.provider_id)
                      .Bind(3, kNow - days_ago * kDayMs)
                      .BindBlob(4, rec.payload)
                      .Run()
                      .ok());
    }
  }
  void Processed(std::int64_t last_id) {
    Exec("INSERT INTO journal_cursor (consumer, last_id) VALUES ('channels', " +
         std::to_string(last_id) +
         ") ON CONFLICT (consumer) DO UPDATE SET last_id = " + std::to_string(last_id));
  }

  // A citizen created `days_ago` before kNow with one address that last wrote then.
  std::int64_t Citizen(const std::string& address, int days_ago) {
    const std::string at = std::to_string(kNow - days_ago * kDayMs);
    Exec("INSERT INTO citizen (created_at_ms) VALUES (" + at + ")");
    const std::int64_t id = db_->LastInsertId();
    Exec("INSERT INTO citizen_address (address, citizen_id, kind, created_at_ms) VALUES ('" +
         address + "', " + std::to_string(id) + ", 'telegram', " + at + ")");
    Exec("INSERT INTO address_channel (address, channel, last_inbound_at_ms) VALUES ('" + address +
         "', 'telegram:bot', " + at + ")");
    return id;
  }

  std::int64_t Message(const std::string& key, int days_ago, const std::string& state,
                       int expires_in_days = 1) {
    const std::int64_t at = kNow - days_ago * kDayMs;
    Exec(
        "INSERT INTO outbox_message (message_key, channel, address, priority, in_flight_policy,"
        " body, created_at_ms, expires_at_ms) VALUES ('" +
        key +
        "', 'telegram:bot',"
        " 'tg:77', 0, 'resend', '{\"text\":\"Halo Ibu Siti\"}', " +
        std::to_string(at) + ", " + std::to_string(at + expires_in_days * kDayMs) + ")");
    const std::int64_t id = db_->LastInsertId();
    Exec(
        "INSERT INTO outbox_part (message_id, seq, total, part_key, text, state,"
        " next_attempt_at_ms, updated_at_ms) VALUES (" +
        std::to_string(id) + ", 1, 1, '" + key + ".1', 'Halo Ibu Siti', '" + state + "', 0, 0)");
    return id;
  }
};

TEST_F(PurgeTest, TheJournalIsRedactedAfterAWeekAndDeletedAfterAMonthOnceProcessed) {
  Journal("1", "tg:1", 40);  // past both
  Journal("2", "tg:2", 10);  // past redaction only
  Journal("3", "tg:3", 2);   // young
  Journal("4", "tg:4", 40);  // old, not processed yet
  Processed(3);
  const auto pass = Pass();
  EXPECT_EQ(Done(pass, privacy::DataClass::kJournalRedacted), 2);
  EXPECT_EQ(Done(pass, privacy::DataClass::kJournal), 1);
  EXPECT_EQ(Text("SELECT group_concat(provider_id) FROM (SELECT provider_id FROM inbound_journal"
                 " ORDER BY id)"),
            "2,3,4");
  EXPECT_EQ(Int("SELECT COUNT(*) FROM inbound_journal WHERE CAST(payload AS TEXT) LIKE"
                " '%3206054304610003%'"),
            2)
      << "the young row and the unprocessed one keep their text";
  EXPECT_EQ(Int("SELECT COUNT(*) FROM inbound_journal WHERE provider_id = '2' AND"
                " CAST(payload AS TEXT) LIKE '%3206054304610003%'"),
            0);
  // Nothing is due any more: a second pass changes nothing and writes no audit row.
  const std::int64_t audited = Int("SELECT COUNT(*) FROM audit_log");
  EXPECT_EQ(Pass().done.Total(), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM audit_log"), audited);
}

TEST_F(PurgeTest, ConversationsUntouchedForAMonthAreDeleted) {
  Exec(
      "INSERT INTO conversation (citizen_id, channel, address, state, updated_at_ms) VALUES"
      " (1, 'telegram:bot', 'tg:1', 'x', " +
      std::to_string(kNow - 31 * kDayMs) +
      "),"
      " (2, 'telegram:bot', 'tg:2', 'x', " +
      std::to_string(kNow - 29 * kDayMs) + ")");
  EXPECT_EQ(Done(Pass(), privacy::DataClass::kConversation), 1);
  EXPECT_EQ(Int("SELECT group_concat(citizen_id) FROM conversation"), 2);
}

TEST_F(PurgeTest, FinishedOutboxMessagesLoseTheirTextsAfterNinetyDays) {
  const std::int64_t sent = Message("a", 100, "delivered");
  const std::int64_t stuck = Message("b", 100, "queued");  // past its expiry: will not go
  // Still being sent (not expired): holds the walk, in id order, until it is done.
  const std::int64_t sending = Message("d", 95, "in_flight", 200);
  const std::int64_t young = Message("c", 80, "delivered");
  const auto pass = Pass();
  EXPECT_EQ(Done(pass, privacy::DataClass::kOutboxText), 2);
  for (std::int64_t id : {sent, stuck}) {
    const std::string w = " WHERE id = " + std::to_string(id);
    EXPECT_EQ(Text("SELECT body || '|' || address FROM outbox_message" + w), "{}|");
    EXPECT_EQ(Text("SELECT text FROM outbox_part WHERE message_id = " + std::to_string(id)), "");
  }
  EXPECT_EQ(Text("SELECT state FROM outbox_part WHERE message_id = " + std::to_string(sent)),
            "delivered");
  EXPECT_EQ(Text("SELECT state || ' ' || last_error FROM outbox_part WHERE message_id = " +
                 std::to_string(stuck)),
            "failed retention");
  EXPECT_EQ(Text("SELECT text FROM outbox_part WHERE message_id = " + std::to_string(young)),
            "Halo Ibu Siti");
  EXPECT_EQ(Text("SELECT text FROM outbox_part WHERE message_id = " + std::to_string(sending)),
            "Halo Ibu Siti");
  EXPECT_EQ(Done(Pass(), privacy::DataClass::kOutboxText), 0);
  Exec("UPDATE outbox_part SET state = 'sent' WHERE message_id = " + std::to_string(sending));
  EXPECT_EQ(Done(Pass(), privacy::DataClass::kOutboxText), 1);
}

TEST_F(PurgeTest, TheChannelLogKeepsItsFourteenDaysEvenWithRetentionOff) {
  for (int days : {20, 15, 13}) {
    Exec(
        "INSERT INTO channel_log (at_ms, channel, part_key, direction, method, url,"
        " request_headers, request_body, response_body, elapsed_ms, error) VALUES (" +
        std::to_string(kNow - days * kDayMs) +
        ", 'telegram:bot', '', 'out', 'POST', 'u',"
        " '', '', '', 1, '')");
  }
  Journal("1", "tg:1", 40);
  Processed(1);
  privacy::Retention off;
  off.enabled = false;
  const auto pass = Pass(off);
  EXPECT_EQ(Done(pass, privacy::DataClass::kChannelLog), 2);
  EXPECT_EQ(pass.done.Total(), 2) << "nothing else with retention off";
  EXPECT_EQ(Int("SELECT COUNT(*) FROM channel_log"), 1);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM inbound_journal"), 1);
}

TEST_F(PurgeTest, ClosedTicketsAreAnonymisedTwoYearsAfterTheirLastChange) {
  const std::int64_t old_closed = FullTicket(1, kNow - 800 * kDayMs);
  const std::int64_t recent_closed = FullTicket(2, kNow - 800 * kDayMs);
  const std::int64_t old_open = FullTicket(3, kNow - 800 * kDayMs);
  Exec("UPDATE ticket SET status = 'closed', updated_at_ms = " +
       std::to_string(kNow - 731 * kDayMs) + " WHERE id = " + std::to_string(old_closed));
  Exec("UPDATE ticket SET status = 'closed', updated_at_ms = " +
       std::to_string(kNow - 700 * kDayMs) + " WHERE id = " + std::to_string(recent_closed));
  Exec("UPDATE ticket SET updated_at_ms = " + std::to_string(kNow - 731 * kDayMs) +
       " WHERE id = " + std::to_string(old_open));
  EXPECT_EQ(Done(Pass(), privacy::DataClass::kClosedTicket), 1);
  EXPECT_TRUE(tickets::IsAnonymised(*db_, old_closed).value());
  EXPECT_FALSE(tickets::IsAnonymised(*db_, recent_closed).value());
  EXPECT_FALSE(tickets::IsAnonymised(*db_, old_open).value());
  EXPECT_EQ(Done(Pass(), privacy::DataClass::kClosedTicket), 0) << "done once";
}

TEST_F(PurgeTest, CitizensWithNothingOpenAndNoContactForTwoYearsAreDeleted) {
  const std::int64_t gone = Citizen("tg:1", 800);
  const std::int64_t merged = Citizen("tg:9", 800);  // merged into `gone`: goes with it
  Exec("DELETE FROM address_channel WHERE address = 'tg:9'");
  Exec("DELETE FROM citizen_address WHERE address = 'tg:9'");
  Exec("UPDATE citizen SET merged_into = " + std::to_string(gone) +
       " WHERE id = " + std::to_string(merged));
  const std::int64_t wrote_lately = Citizen("tg:2", 800);
  Exec("UPDATE address_channel SET last_inbound_at_ms = " + std::to_string(kNow - 100 * kDayMs) +
       " WHERE address = 'tg:2'");
  const std::int64_t open_ticket = Citizen("tg:3", 800);
  const std::int64_t t = FullTicket(open_ticket, kNow - 800 * kDayMs);
  Exec("UPDATE ticket SET updated_at_ms = " + std::to_string(kNow - 790 * kDayMs) +
       " WHERE id = " + std::to_string(t));
  const std::int64_t opted_out = Citizen("tg:4", 800);
  Exec("UPDATE citizen_address SET opted_out_at_ms = 1 WHERE address = 'tg:4'");
  const std::int64_t closed_ticket = Citizen("tg:5", 800);
  const std::int64_t ct = FullTicket(closed_ticket, kNow - 800 * kDayMs);
  Exec("UPDATE ticket SET status = 'closed', updated_at_ms = " +
       std::to_string(kNow - 740 * kDayMs) + " WHERE id = " + std::to_string(ct));
  const std::int64_t young = Citizen("tg:6", 100);
  Exec("INSERT INTO conversation (citizen_id, channel, address, state, updated_at_ms) VALUES (" +
       std::to_string(gone) + ", 'telegram:bot', 'tg:1', 'x', " +
       std::to_string(kNow - 800 * kDayMs) + ")");
  Exec("INSERT INTO lookup_quota (key, at_ms) VALUES ('citizen:" + std::to_string(gone) + "', 1)");

  privacy::Retention r;
  r.batch_rows = 2;  // the sweep over several batches
  const auto due = privacy::Due(*db_, r, kNow);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due.value()[privacy::DataClass::kCitizen], 2);
  const auto pass = Pass(r);
  EXPECT_EQ(Done(pass, privacy::DataClass::kCitizen), 2);
  auto exists = [&](std::int64_t id) {
    return Int("SELECT COUNT(*) FROM citizen WHERE id = " + std::to_string(id)) == 1;
  };
  EXPECT_FALSE(exists(gone));
  EXPECT_FALSE(exists(merged));
  EXPECT_FALSE(exists(closed_ticket));
  EXPECT_TRUE(exists(wrote_lately));
  EXPECT_TRUE(exists(open_ticket));
  EXPECT_TRUE(exists(opted_out));
  EXPECT_TRUE(exists(young));
  EXPECT_EQ(Int("SELECT COUNT(*) FROM citizen_address WHERE address IN ('tg:1', 'tg:5')"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM address_channel WHERE address IN ('tg:1', 'tg:5')"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM lookup_quota"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM conversation"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
  // The closed ticket, 740 days after its last change, was anonymised in the same pass.
  EXPECT_TRUE(tickets::IsAnonymised(*db_, ct).value());
}

TEST_F(PurgeTest, APassThatChangedSomethingIsOneAuditRowAndTheChainHolds) {
  Exec(
      "INSERT INTO conversation (citizen_id, channel, address, state, updated_at_ms) VALUES"
      " (1, 'telegram:bot', 'tg:1', 'x', 0)");
  Message("a", 100, "sent");
  const auto pass = Pass();
  EXPECT_EQ(pass.done.Total(), 2);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM audit_log"), 1);
  EXPECT_EQ(Text("SELECT actor || ' ' || action || ' ' || outcome FROM audit_log"),
            "test privacy.purge conversation=1 outbox_text=1");
  auto verified = audit::Verify(*db_);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified.value().ok);
}

TEST_F(PurgeTest, DueCountsWithoutChangingAndZeroKeepsAClassForever) {
  Exec(
      "INSERT INTO conversation (citizen_id, channel, address, state, updated_at_ms) VALUES"
      " (1, 'telegram:bot', 'tg:1', 'x', 0)");
  audit::Entry e;
  e.at_ms = kNow - 2000 * kDayMs;
  e.actor = "cli";
  e.action = "x";
  ASSERT_TRUE(audit::Append(*db_, e).ok());
  const auto due = privacy::Due(*db_, {}, kNow);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due.value()[privacy::DataClass::kConversation], 1);
  EXPECT_EQ(due.value()[privacy::DataClass::kAuditLog], 1) << "past its horizon, counted";
  EXPECT_EQ(Int("SELECT COUNT(*) FROM conversation"), 1);
  privacy::Retention forever;
  forever.conversation_days = 0;
  EXPECT_EQ(Pass(forever).done.Total(), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM conversation"), 1);
  Pass();
  EXPECT_EQ(Int("SELECT COUNT(*) FROM conversation"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM audit_log WHERE action = 'x'"), 1) << "the audit log stays";
}

}  // namespace
}  // namespace satupintu
