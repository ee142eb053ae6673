// The citizen's own data (issue 18 item 5) on a real SQLite file migrated to the whole schema:
// finding a person by phone and by NIK, the export (with the audit rows of who read their
// data), erasure (held while a ticket is open, forced with a legal basis, report figures
// unchanged) and restriction (the dialogs answer only privacy.restricted, no notice is routed,
// queued messages stop), with the real locales, dialogs and lexicon.

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "backoffice/notify.hpp"
#include "citizens/citizens.hpp"
#include "compose/compose.hpp"
#include "conversation/conversations.hpp"
#include "conversation/services.hpp"
#include "dialog/definition.hpp"
#include "dialog/engine.hpp"
#include "locale/catalog.hpp"
#include "paths/paths.hpp"
#include "schema/schema.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"
#include "subject/restriction.hpp"
#include "subject/subject.hpp"
#include "support/process.hpp"
#include "tickets/reports.hpp"
#include "tickets/tickets.hpp"
#include "understand/lexicon.hpp"
#include "unit/migrated_store.hpp"

namespace satupintu::subject {
namespace {

using nlohmann::json;

constexpr std::int64_t kNow = 1'780'000'000'000;  // 2026-05-28
constexpr char kSms[] = "kannel:dinsos";
constexpr char kTg[] = "telegram:bot";
constexpr char kAni[] = "6281234567001";
constexpr char kAniTg[] = "tg:555";
constexpr char kOther[] = "6281234567002";
// Valid NIKs (a woman born 1961-07-01, and her husband born 1958-02-03).
constexpr char kAniNik[] = "3206054107610003";
constexpr char kHusbandNik[] = "3206050302580001";

// Stands in for the registry's keyed hash: Find only compares what it returns.
core::Result<std::string> TestHash(std::string_view digits) {
  return "h" + std::string(digits.rbegin(), digits.rend());
}

class SubjectStore : public testing::MigratedStoreTest {
 protected:
  void SetUp() override {
    MigratedStoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(tickets::PrepareReports(*db_, 7 * 60).ok());
    ani_ = Citizen(kAni, kSms);
    other_ = Citizen(kOther, kSms);
  }

  std::int64_t Citizen(const std::string& address, const std::string& channel) {
    auto id = citizens::TouchInbound(*db_, address, channel, kNow - 10'000);
    EXPECT_TRUE(id.ok());
    return id.ok() ? id.value() : 0;
  }

  std::string Ticket(std::int64_t citizen, const std::string& nik, const std::string& channel,
                     const std::string& name) {
    tickets::NewTicket t;
    t.citizen_id = citizen;
    t.channel = channel;
    t.category = "pkh";
    t.nik_hash = TestHash(nik).value();
    t.nik_masked = "3206********" + nik.substr(12);
    t.name = name;
    t.birth_date = "1961-07-01";
    t.village_code = "32.06.05.2002";
    t.description = "PKH belum cair";
    tickets::RegistrySnapshot snap;
    snap.snapshot_date = "2026-04-01";
    snap.found = true;
    snap.desil = 2;
    snap.village_code = "32.06.05.2002";
    t.registry_snapshot = snap;
    auto code = tickets::Open(*db_, t, kNow - 5'000);
    EXPECT_TRUE(code.ok());
    return code.ok() ? code.value() : "";
  }

  Subject FindBy(const std::string& nik, const std::string& phone) {
    auto key = MakeKey(nik, phone, TestHash);
    EXPECT_TRUE(key.ok()) << (key.ok() ? "" : key.error().message);
    if (!key.ok()) return {};
    auto s = Find(*db_, key.value());
    EXPECT_TRUE(s.ok());
    return s.ok() ? s.value() : Subject{};
  }

  void Audit(const std::string& actor, const std::string& action, const std::string& object) {
    audit::Entry e;
    e.at_ms = kNow - 1'000;
    e.actor = actor;
    e.action = action;
    e.object = object;
    e.purpose = "back office";
    e.outcome = "ok";
    ASSERT_TRUE(audit::Append(*db_, e).ok());
  }

  void Queue(const std::string& key, const std::string& address, const std::string& text) {
    compose::Outgoing o;
    o.key = key;
    o.channel = kSms;
    o.address = address;
    o.text = text;
    ASSERT_TRUE(compose::ComposeIn(*db_, o, kNow - 2'000).ok());
  }

  static Request Officer() { return {"cli:dpo", "Rina (DPO)", "citizen's request 2026-05-27", ""}; }

  std::int64_t ani_ = 0;
  std::int64_t other_ = 0;
};

TEST_F(SubjectStore, KeysAreValidatedAndMasked) {
  EXPECT_FALSE(MakeKey("", "", TestHash).ok());
  EXPECT_FALSE(MakeKey(kAniNik, kAni, TestHash).ok());
  EXPECT_EQ(MakeKey("3206050000000000", "", TestHash).error().code,
            core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(MakeKey(kAniNik, "", {}).error().code, core::ErrorCode::kUnavailable);
  auto by_nik = MakeKey("3206.0541.0761.0003", "", TestHash);
  ASSERT_TRUE(by_nik.ok());
  EXPECT_EQ(by_nik.value().reference, "nik:3206********0003");
  EXPECT_EQ(by_nik.value().nik_hash, TestHash(kAniNik).value());
  auto by_phone = MakeKey("", "0812-3456-7001", TestHash);
  ASSERT_TRUE(by_phone.ok());
  EXPECT_EQ(by_phone.value().address, kAni);
  EXPECT_EQ(by_phone.value().reference.find("34567"), std::string::npos);
}

TEST_F(SubjectStore, FindsByPhoneWithLinkedChatsAndByNikOneHop) {
  const std::int64_t chat = Citizen(kAniTg, kTg);
  const std::string own_sms = Ticket(ani_, kAniNik, kSms, "Ani");
  const std::string own_tg = Ticket(chat, kAniNik, kTg, "Ani");
  const std::string husband = Ticket(ani_, kHusbandNik, kSms, "Budi");
  Ticket(other_, kHusbandNik, kSms, "Budi");

  // By phone: Ani's citizen and her tickets, whatever NIK they carry; not the chat (unlinked).
  Subject by_phone = FindBy("", kAni);
  EXPECT_EQ(by_phone.citizen_ids, std::vector<std::int64_t>{ani_});
  ASSERT_EQ(by_phone.tickets.size(), 2u);
  EXPECT_EQ(by_phone.tickets[0].code, own_sms);
  EXPECT_EQ(by_phone.tickets[1].code, husband);
  EXPECT_EQ(by_phone.addresses, std::vector<std::string>{kAni});

  // By NIK: the tickets of that NIK from both channels, and the citizens who opened them.
  Subject by_nik = FindBy(kAniNik, "");
  EXPECT_EQ(by_nik.citizen_ids, (std::vector<std::int64_t>{ani_, chat}));
  ASSERT_EQ(by_nik.tickets.size(), 2u);
  EXPECT_EQ(by_nik.tickets[0].code, own_sms);
  EXPECT_EQ(by_nik.tickets[1].code, own_tg);
  EXPECT_EQ(by_nik.addresses, (std::vector<std::string>{kAni, kAniTg}));
  EXPECT_EQ(by_nik.OpenTickets(), 2);

  // Once the chat shared Ani's number it is her: found by phone as well.
  ASSERT_TRUE(citizens::LinkPhone(*db_, kAniTg, kAni, kNow).ok());
  by_phone = FindBy("", kAni);
  EXPECT_EQ(by_phone.citizen_ids, (std::vector<std::int64_t>{ani_, chat}));
  EXPECT_EQ(by_phone.tickets.size(), 3u);

  EXPECT_TRUE(FindBy("", "081299998888").Empty());
}

TEST_F(SubjectStore, ExportHoldsTheirDataAndWhoReadIt) {
  const std::string code = Ticket(ani_, kAniNik, kSms, "Ani Suryani");
  const std::string husband = Ticket(ani_, kHusbandNik, kSms, "Budi");
  const std::string unrelated = Ticket(other_, kHusbandNik, kSms, "Budi");
  const std::int64_t id = Int("SELECT id FROM ticket WHERE code = '" + code + "'");
  Exec(
      "INSERT INTO ticket_message (ticket_id, citizen_id, direction, user_id, channel, text,"
      " at_ms) VALUES (" +
      std::to_string(id) + ", " + std::to_string(ani_) +
      ", 'out', 7, 'kannel:dinsos', 'Mohon bawa KK hari Kamis', " + std::to_string(kNow) + ")");
  Queue("tn-1", kAni, "Pengaduan " + code + " sedang diproses.");
  Queue("tn-2", kOther, "Pesan untuk orang lain");
  Audit("user:7", "ticket.read", "ticket:" + code);
  Audit("user:8", "ticket.read", "ticket:" + unrelated);
  Audit("citizen:" + std::to_string(ani_), "registry.check", "nik:3206********0003");
  Audit("cli:root", "registry.lookup.nik", "nik:3206********0003");

  Subject s = FindBy(kAniNik, "");
  auto doc = Export(*db_, s, Officer(), kNow);
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  const json j = json::parse(doc.value());
  EXPECT_EQ(j["subject"], "nik:3206********0003");
  EXPECT_TRUE(j["found"].get<bool>());
  ASSERT_EQ(j["citizens"].size(), 1u);
  EXPECT_EQ(j["citizens"][0]["addresses"][0]["address"], kAni);
  ASSERT_EQ(j["tickets"].size(), 1u);  // by NIK: not the husband's ticket of the same phone
  EXPECT_EQ(j["tickets"][0]["code"], code);
  EXPECT_EQ(j["tickets"][0]["name"], "Ani Suryani");
  EXPECT_EQ(j["tickets"][0]["registry_at_opening"]["desil"], 2);
  EXPECT_EQ(j["tickets"][0]["history"][0]["action"], "open");
  ASSERT_EQ(j["ticket_messages"].size(), 1u);
  EXPECT_EQ(j["ticket_messages"][0]["text"], "Mohon bawa KK hari Kamis");
  ASSERT_EQ(j["sent_messages"].size(), 1u);
  EXPECT_NE(j["sent_messages"][0]["text"].get<std::string>().find(code), std::string::npos);

  // Who read their data: the officer's read of the ticket, their own check, the lookup by the
  // masked NIK, and this export itself; never the read of someone else's ticket.
  std::vector<std::string> seen;
  for (const auto& row : j["audit"]) {
    seen.push_back(row["actor"].get<std::string>() + " " + row["action"].get<std::string>() + " " +
                   row["by"].get<std::string>());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "user:7 ticket.read exact",
                      "citizen:" + std::to_string(ani_) + " registry.check exact",
                      "cli:root registry.lookup.nik exact", "cli:dpo subject.export exact"}));
  EXPECT_EQ(doc.value().find(unrelated), std::string::npos);
  EXPECT_EQ(doc.value().find(husband), std::string::npos);
  EXPECT_EQ(Text("SELECT purpose || '|' || outcome FROM audit_log ORDER BY id DESC LIMIT 1"),
            "citizen's request 2026-05-27 (by Rina (DPO))|exported");

  // By phone the husband's ticket is hers too (she opened it), and its masked NIK's rows are
  // marked as possibly someone else's.
  Audit("cli:root", "registry.lookup.nik", "nik:3206********0001");
  auto by_phone = Export(*db_, FindBy("", kAni), Officer(), kNow);
  ASSERT_TRUE(by_phone.ok());
  const json p = json::parse(by_phone.value());
  EXPECT_EQ(p["tickets"].size(), 2u);
  bool masked = false;
  for (const auto& row : p["audit"]) masked |= row["by"] == "masked_nik";
  EXPECT_TRUE(masked);

  // Nobody: an empty document, and the attempt is audited.
  auto none = Export(*db_, FindBy("", "081299998888"), Officer(), kNow);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(json::parse(none.value())["found"].get<bool>());
  EXPECT_EQ(Text("SELECT outcome FROM audit_log ORDER BY id DESC LIMIT 1"), "not_found");
  EXPECT_FALSE(Export(*db_, s, Request{"cli:dpo", "", "x", ""}, kNow).ok());
}

TEST_F(SubjectStore, EraseWaitsForOpenTicketsUnlessForcedWithALegalBasis) {
  const std::string code = Ticket(ani_, kAniNik, kSms, "Ani Suryani");
  const std::int64_t id = Int("SELECT id FROM ticket WHERE code = '" + code + "'");
  Exec(
      "INSERT INTO ticket_message (ticket_id, citizen_id, direction, user_id, channel, text,"
      " at_ms) VALUES (" +
      std::to_string(id) + ", " + std::to_string(ani_) +
      ", 'in', 0, 'kannel:dinsos', 'rumah saya dekat masjid', " + std::to_string(kNow) + ")");
  Exec("INSERT INTO conversation (citizen_id, channel, address, state, updated_at_ms) VALUES (" +
       std::to_string(ani_) + ", 'kannel:dinsos', '" + kAni + "', 'sealed', 1)");
  Queue("tn-1", kAni, "Pengaduan " + code + " diterima.");
  Queue("tn-2", kOther, "Pesan untuk orang lain");
  const std::string counts = "SELECT group_concat(received || open || closed, ';') FROM report_day";
  const std::string before = Text(counts);

  Subject s = FindBy(kAniNik, "");
  auto held = Erase(*db_, s, Officer(), {}, kNow);
  ASSERT_TRUE(held.ok());
  EXPECT_TRUE(held.value().refused);
  EXPECT_EQ(held.value().open_tickets, 1);
  EXPECT_EQ(Text("SELECT name FROM ticket WHERE id = " + std::to_string(id)), "Ani Suryani");
  EXPECT_EQ(Int("SELECT COUNT(*) FROM citizen_address WHERE address = '" + std::string(kAni) + "'"),
            1);
  EXPECT_EQ(Text("SELECT outcome FROM audit_log ORDER BY id DESC LIMIT 1"), "refused:open_tickets");

  EXPECT_EQ(Erase(*db_, s, Officer(), {true, ""}, kNow).error().code,
            core::ErrorCode::kInvalidArgument);

  auto erased = Erase(*db_, s, Officer(), {true, "court order 12/2026"}, kNow);
  ASSERT_TRUE(erased.ok()) << erased.error().message;
  EXPECT_FALSE(erased.value().refused);
  EXPECT_EQ(erased.value().tickets_anonymised, 1);
  EXPECT_EQ(erased.value().citizens_deleted, 1);
  EXPECT_EQ(erased.value().messages_forgotten, 1);
  EXPECT_EQ(Text("SELECT name || nik_hash || description || citizen_id FROM ticket WHERE id = " +
                 std::to_string(id)),
            "0");
  EXPECT_EQ(Int("SELECT COUNT(*) FROM ticket_message"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM conversation"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM citizen WHERE id = " + std::to_string(ani_)), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM citizen_address WHERE address = '" + std::string(kAni) + "'"),
            0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM address_channel WHERE address = '" + std::string(kAni) + "'"),
            0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM outbox_message WHERE address = '" + std::string(kAni) + "'"),
            0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM outbox_part WHERE text LIKE '%" + code + "%'"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM outbox_part WHERE state = 'queued'"), 1);  // the other's
  EXPECT_EQ(Text(counts), before);
  EXPECT_EQ(Text("SELECT purpose || '|' || outcome FROM audit_log ORDER BY id DESC LIMIT 1"),
            "citizen's request 2026-05-27 (by Rina (DPO); legal basis: court order "
            "12/2026)|erased:tickets=1,citizens=1,forced");
  EXPECT_TRUE(audit::Verify(*db_).value().ok);
  EXPECT_TRUE(FindBy("", kAni).Empty());
}

TEST_F(SubjectStore, EraseOfClosedTicketsByNikKeepsACitizenWhoFiledForAnotherNik) {
  const std::string own = Ticket(ani_, kAniNik, kSms, "Ani");
  const std::string husband = Ticket(ani_, kHusbandNik, kSms, "Budi");
  const std::int64_t chat = Citizen(kAniTg, kTg);
  Ticket(chat, kAniNik, kTg, "Ani");
  Exec("UPDATE ticket SET status = 'closed' WHERE nik_hash = '" + TestHash(kAniNik).value() + "'");

  auto erased = Erase(*db_, FindBy(kAniNik, ""), Officer(), {}, kNow);
  ASSERT_TRUE(erased.ok()) << erased.error().message;
  EXPECT_EQ(erased.value().tickets_anonymised, 2);
  EXPECT_EQ(erased.value().citizens_deleted, 1);  // the chat
  EXPECT_EQ(erased.value().citizens_kept, 1);     // Ani's phone: her husband's ticket is open
  EXPECT_EQ(Int("SELECT COUNT(*) FROM citizen WHERE id = " + std::to_string(chat)), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM citizen_address WHERE address = '" + std::string(kAni) + "'"),
            1);
  EXPECT_EQ(Text("SELECT name FROM ticket WHERE code = '" + husband + "'"), "Budi");
  EXPECT_EQ(Text("SELECT name FROM ticket WHERE code = '" + own + "'"), "");
}

TEST_F(SubjectStore, RestrictionFollowsThePersonStopsQueuedMessagesAndIsLifted) {
  const std::int64_t chat = Citizen(kAniTg, kTg);
  Queue("tn-1", kAni, "Pengaduan diterima.");
  Queue("tn-2", kOther, "Pesan untuk orang lain");
  Subject s = FindBy("", kAni);
  auto n = Restrict(*db_, s, Officer(), "request by letter 2026-05-27", kNow);
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(n.value(), 1);
  EXPECT_TRUE(IsRestricted(*db_, ani_).value());
  EXPECT_FALSE(IsRestricted(*db_, other_).value());
  EXPECT_FALSE(IsRestricted(*db_, chat).value());
  EXPECT_FALSE(IsRestricted(*db_, 999).value());
  EXPECT_EQ(Text("SELECT group_concat(state || ':' || COALESCE(last_error, ''), ' ') FROM"
                 " outbox_part ORDER BY id"),
            "failed:restricted queued:");
  EXPECT_EQ(Text("SELECT restricted_by || '|' || reason FROM subject_restriction"),
            "cli:dpo by Rina (DPO)|request by letter 2026-05-27");
  EXPECT_EQ(Restrict(*db_, s, Officer(), "", kNow).value(), 0);  // the first one stays
  EXPECT_EQ(Text("SELECT outcome FROM audit_log ORDER BY id DESC LIMIT 1"), "already_restricted");

  // The chat shares her number: it is her, restricted as well.
  ASSERT_TRUE(citizens::LinkPhone(*db_, kAniTg, kAni, kNow).ok());
  EXPECT_TRUE(IsRestricted(*db_, chat).value());

  EXPECT_EQ(Lift(*db_, FindBy("", kAni), Officer(), kNow).value(), 1);
  EXPECT_FALSE(IsRestricted(*db_, ani_).value());
  EXPECT_FALSE(IsRestricted(*db_, chat).value());
  EXPECT_EQ(Text("SELECT group_concat(outcome, ' ') FROM audit_log WHERE action LIKE 'subject.%'"),
            "restricted already_restricted lifted");
  EXPECT_EQ(Restrict(*db_, FindBy("", "081299998888"), Officer(), "", kNow).value(), 0);
  EXPECT_EQ(Text("SELECT outcome FROM audit_log ORDER BY id DESC LIMIT 1"), "not_found");
}

// The dialogs and the notices with the real locales, dialogs and lexicon.
class RestrictedCitizen : public SubjectStore {
 protected:
  void SetUp() override {
    SubjectStore::SetUp();
    const std::string& src = ::satupintu::testing::SourceDir();
    auto catalog = locale::Catalog::Load(src + "/locales");
    ASSERT_TRUE(catalog.ok()) << catalog.error().message;
    catalog_ = std::move(catalog).value();
    auto lexicon = understand::Lexicon::Load(src + "/locales/lexicon");
    ASSERT_TRUE(lexicon.ok());
    lexicon_ = std::move(lexicon).value();
    auto dialogs =
        dialog::DialogSet::Load(src + "/dialogs", catalog_, conversation::ServiceOutcomes());
    ASSERT_TRUE(dialogs.ok()) << dialogs.error().message;
    dialogs_ = std::move(dialogs).value();
    engine_ = std::make_unique<dialog::Engine>(dialogs_, catalog_, lexicon_);
    conversations_ =
        std::make_unique<conversation::Conversations>(*engine_, catalog_, conversation::Services{});
  }

  std::vector<compose::Outgoing> Say(const std::string& text, std::int64_t journal_id) {
    conversation::Message m;
    m.journal_id = journal_id;
    m.citizen_id = ani_;
    m.channel = kSms;
    m.address = kAni;
    m.text = text;
    auto out = conversations_->OnMessage(*db_, m, kNow);
    EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().message);
    return out.ok() ? out.value() : std::vector<compose::Outgoing>{};
  }

  locale::Catalog catalog_;
  understand::Lexicon lexicon_;
  dialog::DialogSet dialogs_;
  std::unique_ptr<dialog::Engine> engine_;
  std::unique_ptr<conversation::Conversations> conversations_;
};

TEST_F(RestrictedCitizen, DialogsAnswerOnlyTheRestrictionAndNothingIsRouted) {
  const std::string code = Ticket(ani_, kAniNik, kSms, "Ani");
  const std::int64_t id = Int("SELECT id FROM ticket WHERE code = '" + code + "'");
  const std::string restricted = catalog_.Text("id", "privacy.restricted");
  ASSERT_NE(restricted, "privacy.restricted");
  auto before = Say("menu", 1);
  ASSERT_FALSE(before.empty());
  EXPECT_NE(before[0].text, restricted);
  auto route = backoffice::RouteToCitizen(*db_, {}, id, ani_, kNow);
  ASSERT_TRUE(route.ok());
  EXPECT_TRUE(route.value().has_value());

  ASSERT_TRUE(Restrict(*db_, FindBy("", kAni), Officer(), "", kNow).ok());
  for (const std::string text : {"menu", "1", "STATUS", "BERHENTI"}) {
    auto out = Say(text, 2);
    ASSERT_EQ(out.size(), 1u) << text;
    EXPECT_EQ(out[0].text, restricted);
    EXPECT_EQ(out[0].address, kAni);
    EXPECT_EQ(out[0].channel, kSms);
  }
  EXPECT_FALSE(citizens::IsOptedOut(*db_, kAni).value());  // BERHENTI was not processed
  route = backoffice::RouteToCitizen(*db_, {}, id, ani_, kNow);
  ASSERT_TRUE(route.ok());
  EXPECT_FALSE(route.value().has_value());
  auto survey = conversations_->Start(*db_, ani_, "survey", {{"ticket_code", code}}, kNow);
  ASSERT_TRUE(survey.ok());
  EXPECT_TRUE(survey.value().empty());
  // A dialog's timer waits instead of reminding her.
  Exec("UPDATE conversation SET timer_at_ms = " + std::to_string(kNow - 1));
  auto timers = conversations_->OnTimers(*db_, kNow, 10);
  ASSERT_TRUE(timers.ok());
  EXPECT_TRUE(timers.value().empty());
  EXPECT_GT(Int("SELECT timer_at_ms FROM conversation"), kNow);

  // Lifted: the dialogs answer again.
  ASSERT_TRUE(Lift(*db_, FindBy("", kAni), Officer(), kNow).ok());
  auto after = Say("menu", 3);
  ASSERT_FALSE(after.empty());
  EXPECT_NE(after[0].text, restricted);
  EXPECT_TRUE(backoffice::RouteToCitizen(*db_, {}, id, ani_, kNow).value().has_value());
}

}  // namespace
}  // namespace satupintu::subject
