// The back office on a real SQLite store with the real migrations, locales, dialogs and
// lexicon: office actions with their audit rows and citizen notices in one transaction, the
// routes of a notice (channel of origin, WhatsApp window, template, SMS fallback, opt-out),
// the survey after closing, and the facilitators' SMS commands.

#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <string>

#include "adapters/sms/analysis.hpp"
#include "backoffice/alerts.hpp"
#include "backoffice/case_service.hpp"
#include "backoffice/sms_commands.hpp"
#include "backoffice/sms_fit.hpp"
#include "citizens/citizens.hpp"
#include "conversation/conversations.hpp"
#include "conversation/services.hpp"
#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "dialog/definition.hpp"
#include "dialog/engine.hpp"
#include "inbound/dispatcher.hpp"
#include "locale/catalog.hpp"
#include "paths/paths.hpp"
#include "schema/schema.hpp"
#include "storage/journal.hpp"
#include "storage/store.hpp"
#include "support/process.hpp"
#include "tickets/tickets.hpp"
#include "understand/lexicon.hpp"
#include "users/users.hpp"

namespace satupintu::backoffice {
namespace {

using tickets::Action;
using tickets::Actor;
using tickets::Role;

constexpr char kCilumba[] = "32.06.05.2002";
constexpr char kCiawi[] = "32.06.36.2001";
constexpr char kSms[] = "kannel:dinsos";
constexpr char kWa[] = "whatsapp:wa-main";
constexpr char kTg[] = "telegram:bot";
constexpr char kAniPhone[] = "6281234567001";
constexpr char kOfficerPhone[] = "6281299990011";
constexpr std::int64_t kHour = std::int64_t{3600} * 1000;

template <typename T>
T Or(core::Result<T> r, T fallback) {
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : fallback;
}

class BackofficeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string& src = ::satupintu::testing::SourceDir();
    auto catalog = locale::Catalog::Load(src + "/locales");
    ASSERT_TRUE(catalog.ok()) << catalog.error().message;
    catalog_ = std::move(catalog).value();
    auto lexicon = understand::Lexicon::Load(src + "/locales/lexicon");
    ASSERT_TRUE(lexicon.ok()) << lexicon.error().message;
    lexicon_ = std::move(lexicon).value();
    auto dialogs =
        dialog::DialogSet::Load(src + "/dialogs", catalog_, conversation::ServiceOutcomes());
    ASSERT_TRUE(dialogs.ok()) << dialogs.error().message;
    dialogs_ = std::move(dialogs).value();
    engine_ = std::make_unique<dialog::Engine>(dialogs_, catalog_, lexicon_);
    conversations_ =
        std::make_unique<conversation::Conversations>(*engine_, catalog_, conversation::Services{});

    storage::StoreOptions options;

    options.migrations = schema::Migrations();
    options.path = dir_.File("b.db");
    options.synchronous_full = false;
    auto store = storage::Store::Open(options, &metrics_);
    ASSERT_TRUE(store.ok()) << store.error().message << " " << store.error().detail;
    store_ = std::move(store).value();
    NotifyOptions notify;
    notify.whatsapp[kWa].sms_fallback = kSms;
    service_ = std::make_unique<CaseService>(&catalog_, conversations_.get(), notify);
    service_->SetOnEnqueued([this](const std::string& c) { woken_.push_back(c); });
    // The officer is a real user with a phone (gateway/users), found by its keyed hash.
    ASSERT_TRUE(Write([this](storage::Db& db) -> core::Status {
                  users::NewUser u;
                  u.username = "siti";
                  u.display_name = "Siti";
                  u.role = "facilitator";
                  u.region = kCilumba;
                  u.phone = kOfficerPhone;
                  auto created = users::Create(db, u, users_key_, core::NowMs());
                  if (!created.ok()) return created.error();
                  return {};
                }).ok());
    routes_ = std::make_unique<AlertRoutes>(users_key_);
    commands_ = std::make_unique<SmsCommands>(service_.get(), &catalog_, &lexicon_,
                                              OfficersByPhone(users_key_), routes_.get());
  }
  void TearDown() override {
    if (store_) store_->Close();
  }

  // Runs `f` in a store write job and returns its status.
  core::Status Write(std::function<core::Status(storage::Db&)> f) {
    std::promise<core::Status> p;
    store_->Write(std::move(f), [&p](const core::Status& s) { p.set_value(s); });
    return p.get_future().get();
  }
  template <typename F>
  auto Get(F f) {
    std::optional<decltype(f(std::declval<storage::Db&>()))> out;
    EXPECT_TRUE(Write([&](storage::Db& db) {
                  out.emplace(f(db));
                  return core::Status{};
                }).ok());
    return std::move(out).value();
  }
  std::int64_t Count(const std::string& sql) {
    return Get([&](storage::Db& db) { return Or(db.QueryInt(sql), std::int64_t{-1}); });
  }
  std::string Text(const std::string& sql) {
    return Get([&](storage::Db& db) {
      auto q = db.Prepare(sql);
      std::string out;
      while (q.value()->Step() == SQLITE_ROW) {
        out += (out.empty() ? "" : "\n") + q.value()->ColumnText(0);
      }
      q.value()->Reset();
      return out;
    });
  }
  // "channel|address|text" of the notices of a ticket event key prefix.
  std::string Outbox(const std::string& key) {
    return Text(
        "SELECT m.channel || '|' || m.address || '|' || p.text || '|' || m.body FROM outbox_part p"
        " JOIN outbox_message m ON m.id = p.message_id WHERE m.message_key = '" +
        key + "' ORDER BY p.seq");
  }

  std::int64_t Citizen(const std::string& address, const std::string& channel, std::int64_t at_ms) {
    return Get([&](storage::Db& db) {
      return Or(citizens::TouchInbound(db, address, channel, at_ms), std::int64_t{0});
    });
  }
  std::string OpenTicket(std::int64_t citizen, const std::string& channel,
                         const std::string& suffix, const std::string& village = kCilumba) {
    return Get([&](storage::Db& db) {
      tickets::NewTicket t;
      t.citizen_id = citizen;
      t.channel = channel;
      t.category = "pkh";
      t.village_code = village;
      t.description = "PKH belum cair";
      return Or(tickets::Open(db, t, core::NowMs(), [&] { return suffix; }), std::string());
    });
  }
  core::Result<ActionResult> Act(const std::string& code, tickets::Request r, const Actor& a,
                                 const std::string& note = "") {
    std::promise<core::Result<ActionResult>> p;
    service_->Act(*store_, code, std::move(r), Caller{a, "test", "127.0.0.1"}, note,
                  [&p](core::Result<ActionResult> res) { p.set_value(std::move(res)); });
    return p.get_future().get();
  }
  core::Result<ActionResult> Act(const std::string& code, Action action, const Actor& a) {
    tickets::Request r;
    r.action = action;
    return Act(code, r, a);
  }
  core::Result<ActionResult> Answer(const std::string& code, const std::string& programme,
                                    tickets::ReferralStatus answer) {
    tickets::Request r;
    r.action = Action::kAnswer;
    r.programme = programme;
    r.answer = answer;
    return Act(code, r, back_);
  }
  core::Result<ActionResult> Close(const std::string& code, tickets::CloseReason reason) {
    tickets::Request r;
    r.action = Action::kClose;
    r.reason = reason;
    return Act(code, r, siti_);
  }
  static std::string Key(const ActionResult& r) {
    return "tn-" + std::to_string(r.outcome.event_id);
  }
  // A message from a citizen through the dialogs (so a conversation exists).
  void Say(std::int64_t citizen, const std::string& channel, const std::string& address,
           const std::string& text) {
    ASSERT_TRUE(Write([&](storage::Db& db) -> core::Status {
                  conversation::Message m;
                  m.journal_id = ++journal_;
                  m.citizen_id = citizen;
                  m.channel = channel;
                  m.address = address;
                  m.text = text;
                  auto r = conversations_->OnMessage(db, m, core::NowMs());
                  if (!r.ok()) return r.error();
                  return {};
                }).ok());
  }
  core::Result<std::optional<std::vector<compose::Outgoing>>> Command(
      const std::string& text, const std::string& from = kOfficerPhone,
      const std::string& channel = kSms) {
    std::optional<core::Result<std::optional<std::vector<compose::Outgoing>>>> out;
    EXPECT_TRUE(Write([&](storage::Db& db) -> core::Status {
                  Enqueued enqueued;
                  out.emplace(commands_->Handle(db, ++journal_, channel, from, text, core::NowMs(),
                                                &enqueued));
                  return {};
                }).ok());
    return std::move(out).value();
  }
  // The officer's reply text to a command (fails the test when the command was not taken).
  std::string Reply(const std::string& text) {
    auto r = Command(text);
    EXPECT_TRUE(r.ok()) << text;
    if (!r.ok() || !r.value().has_value() || r.value().value().size() != 1) return "<not taken>";
    return r.value().value()[0].text;
  }

  satupintu::testing::TempDir dir_;
  core::MetricsRegistry metrics_;
  locale::Catalog catalog_;
  understand::Lexicon lexicon_;
  dialog::DialogSet dialogs_;
  std::unique_ptr<dialog::Engine> engine_;
  std::unique_ptr<conversation::Conversations> conversations_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<CaseService> service_;
  std::unique_ptr<AlertRoutes> routes_;
  std::unique_ptr<SmsCommands> commands_;
  std::vector<std::string> woken_;
  std::int64_t journal_ = 0;
  const std::string users_key_ = std::string(32, 'k');
  const Actor siti_{11, Role::kFacilitator, kCilumba};
  const Actor budi_{12, Role::kFacilitator, kCilumba};
  const Actor supervisor_{21, Role::kSupervisor, "32.06.05"};
  const Actor front_{31, Role::kFrontOffice, "32.06"};
  const Actor back_{41, Role::kBackOffice, "32.06"};
};

TEST_F(BackofficeTest, EveryCitizenVisibleChangeIsNoticedOnTheChannelOfOriginWithTheCode) {
  const std::int64_t ani = Citizen(kAniPhone, kSms, core::NowMs());
  const std::string code = OpenTicket(ani, kSms, "AAAAAA");

  auto claimed = Act(code, Action::kClaim, siti_);
  ASSERT_TRUE(claimed.ok());
  EXPECT_EQ(claimed.value().notices, 0) << "a claim is the office's business";
  auto verified = Act(code, Action::kVerify, siti_);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified.value().notices, 1);
  EXPECT_EQ(Outbox(Key(verified.value())), std::string(kSms) + "|" + kAniPhone + "|Tiket " + code +
                                               ": status sekarang Diproses. Ketik CEK " + code +
                                               " untuk rinciannya.|{}");
  EXPECT_EQ(woken_, std::vector<std::string>{kSms}) << "the SMS sender is woken after commit";

  // Forwarded and reviewed stay "Diproses" for the citizen: nothing to say.
  auto forwarded = Act(code, Action::kForward, supervisor_);
  ASSERT_TRUE(forwarded.ok());
  EXPECT_EQ(forwarded.value().notices, 0);
  ASSERT_TRUE(Act(code, Action::kReview, front_).ok());
  tickets::Request refer;
  refer.action = Action::kRefer;
  refer.programmes = {"pkh", "pbi_jk"};
  auto referred = Act(code, refer, back_);
  ASSERT_TRUE(referred.ok());
  EXPECT_NE(Outbox(Key(referred.value())).find("status sekarang Dirujuk"), std::string::npos);

  auto accepted = Answer(code, "pbi_jk", tickets::ReferralStatus::kAccepted);
  ASSERT_TRUE(accepted.ok());
  EXPECT_NE(Outbox(Key(accepted.value())).find(": rujukan Anda ke program PBI-JK DITERIMA"),
            std::string::npos)
      << "the programme by its short name from the catalogue";
  auto needs = Answer(code, "pkh", tickets::ReferralStatus::kNeedsInfo);
  ASSERT_TRUE(needs.ok());
  EXPECT_NE(Outbox(Key(needs.value())).find("program PKH perlu data tambahan"), std::string::npos);
  auto rejected = Answer(code, "pkh", tickets::ReferralStatus::kRejected);
  ASSERT_TRUE(rejected.ok());
  EXPECT_NE(Outbox(Key(rejected.value())).find("program PKH tidak diterima"), std::string::npos);

  // A note is never sent; resolving is ("Selesai ditangani"); closing says why.
  tickets::Request note;
  note.action = Action::kNote;
  auto noted = Act(code, note, back_, "warga sulit dihubungi, alamat pindah");
  ASSERT_TRUE(noted.ok());
  EXPECT_EQ(noted.value().notices, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox_part WHERE text LIKE '%alamat pindah%'"), 0);
  auto resolved = Act(code, Action::kResolve, back_);
  ASSERT_TRUE(resolved.ok());
  EXPECT_NE(Outbox(Key(resolved.value())).find("status sekarang Selesai ditangani"),
            std::string::npos);
  auto closed = Close(code, tickets::CloseReason::kSolved);
  ASSERT_TRUE(closed.ok());
  EXPECT_NE(
      Outbox(Key(closed.value())).find("Tiket " + code + " ditutup: masalah sudah diselesaikan."),
      std::string::npos);

  // Every notice fits one SMS.
  const std::string texts = Text(
      "SELECT p.text FROM outbox_part p JOIN outbox_message m ON m.id = p.message_id"
      " WHERE m.message_key LIKE 'tn-%'");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox_message WHERE message_key LIKE 'tn-%'"), 7);
  std::size_t b = 0;
  while (b < texts.size()) {
    const std::size_t e = std::min(texts.find('\n', b), texts.size());
    EXPECT_EQ(adapters::sms::Analyze(texts.substr(b, e - b)).segments, 1u)
        << texts.substr(b, e - b);
    b = e + 1;
  }
}

TEST_F(BackofficeTest, NoticesAreInTheCitizensLanguage) {
  const std::int64_t ani = Citizen(kAniPhone, kSms, core::NowMs());
  ASSERT_TRUE(Write([&](storage::Db& db) { return citizens::SetLanguage(db, ani, "en"); }).ok());
  const std::string code = OpenTicket(ani, kSms, "AAAAAB");
  ASSERT_TRUE(Act(code, Action::kClaim, siti_).ok());
  auto verified = Act(code, Action::kVerify, siti_);
  ASSERT_TRUE(verified.ok());
  EXPECT_NE(
      Outbox(Key(verified.value())).find("Ticket " + code + ": the status is now In progress."),
      std::string::npos);
  auto closed = Close(code, tickets::CloseReason::kDuplicate);
  ASSERT_TRUE(closed.ok());
  EXPECT_NE(Outbox(Key(closed.value()))
                .find("Ticket " + code + " is closed: it repeats another complaint of yours."),
            std::string::npos);
}

TEST_F(BackofficeTest, WhatsAppInWindowGetsTextOutsideTheTemplateElseTheSmsFallback) {
  const std::int64_t now = core::NowMs();
  const std::string wa_in = "6281234567002";
  const std::string wa_out = "6281234567003";
  const std::int64_t in = Citizen(wa_in, kWa, now - kHour);
  const std::int64_t out = Citizen(wa_out, kWa, now - 30 * kHour);
  const std::string code_in = OpenTicket(in, kWa, "BBBBBA");
  const std::string code_out = OpenTicket(out, kWa, "BBBBBB");
  ASSERT_TRUE(Act(code_in, Action::kClaim, siti_).ok());
  ASSERT_TRUE(Act(code_out, Action::kClaim, siti_).ok());
  auto v_in = Act(code_in, Action::kVerify, siti_);
  auto v_out = Act(code_out, Action::kVerify, siti_);
  ASSERT_TRUE(v_in.ok() && v_out.ok());
  EXPECT_EQ(Outbox(Key(v_in.value())).substr(0, std::string(kWa).size() + 1 + wa_in.size()),
            std::string(kWa) + "|" + wa_in);
  EXPECT_EQ(Outbox(Key(v_out.value())).substr(0, std::string(kSms).size() + 1 + wa_out.size()),
            std::string(kSms) + "|" + wa_out)
      << "outside the window without a template: by SMS to the phone";

  // With a template configured the notice stays on WhatsApp and carries it.
  NotifyOptions with_template;
  with_template.whatsapp[kWa] = {"status_tiket", "id", kSms};
  service_ = std::make_unique<CaseService>(&catalog_, conversations_.get(), with_template);
  ASSERT_TRUE(Act(code_out, Action::kForward, supervisor_).ok());
  ASSERT_TRUE(Act(code_out, Action::kReview, front_).ok());
  tickets::Request refer;
  refer.action = Action::kRefer;
  refer.programmes = {"pkh"};
  auto referred = Act(code_out, refer, back_);
  ASSERT_TRUE(referred.ok());
  const std::string row = Outbox(Key(referred.value()));
  EXPECT_EQ(row.substr(0, std::string(kWa).size() + 1 + wa_out.size()),
            std::string(kWa) + "|" + wa_out);
  EXPECT_NE(row.find(R"("template":{"language":"id","name":"status_tiket","params":[")" + code_out +
                     R"(","Dirujuk"]})"),
            std::string::npos)
      << row;

  // No fallback channel and no template: nothing can reach the citizen, nothing is queued.
  service_ = std::make_unique<CaseService>(&catalog_, conversations_.get(), NotifyOptions{});
  auto accepted = Answer(code_out, "pkh", tickets::ReferralStatus::kAccepted);
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted.value().notices, 0);
}

TEST_F(BackofficeTest, TelegramAlwaysGetsTextAndAnOptedOutAddressNothing) {
  const std::int64_t tg = Citizen("tg:5550001", kTg, core::NowMs() - 100 * kHour);
  const std::string code = OpenTicket(tg, kTg, "CCCCCA");
  ASSERT_TRUE(Act(code, Action::kClaim, siti_).ok());
  auto verified = Act(code, Action::kVerify, siti_);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(Outbox(Key(verified.value())).substr(0, 25), std::string(kTg) + "|tg:5550001|T");

  const std::int64_t ani = Citizen(kAniPhone, kSms, core::NowMs());
  const std::string code2 = OpenTicket(ani, kSms, "CCCCCB");
  ASSERT_TRUE(Write([](storage::Db& db) {
                return citizens::MarkOptedOut(db, kAniPhone, core::NowMs());
              }).ok());
  ASSERT_TRUE(Act(code2, Action::kClaim, siti_).ok());
  auto v2 = Act(code2, Action::kVerify, siti_);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2.value().notices, 0);
  EXPECT_EQ(Outbox(Key(v2.value())), "");
}

TEST_F(BackofficeTest, OneEventNeverMakesTwoNotices) {
  const std::int64_t ani = Citizen(kAniPhone, kSms, core::NowMs());
  const std::string code = OpenTicket(ani, kSms, "DDDDDA");
  ASSERT_TRUE(Act(code, Action::kClaim, siti_).ok());
  tickets::Request verify;
  verify.action = Action::kVerify;
  auto verified = Act(code, verify, siti_);
  ASSERT_TRUE(verified.ok());
  // The same outcome composed and inserted again (a repeated job) finds its key taken.
  ASSERT_TRUE(Write([&](storage::Db& db) -> core::Status {
                auto again =
                    Notices(db, catalog_, {}, verify, verified.value().outcome, core::NowMs());
                if (!again.ok()) return again.error();
                EXPECT_EQ(again.value().size(), 1u);
                for (const auto& o : again.value()) {
                  auto id = compose::ComposeIn(db, o, core::NowMs());
                  if (!id.ok()) return id.error();
                }
                return {};
              }).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox_message WHERE message_key = '" +
                  Key(verified.value()) + "'"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox_message WHERE message_key LIKE 'tn-%'"), 1);
  // The verify repeated is refused by the workflow: no second event, no second notice.
  auto again = Act(code, verify, siti_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox_message WHERE message_key LIKE 'tn-%'"), 1);
}

TEST_F(BackofficeTest, TheChangeItsAuditRowAndItsNoticeCommitTogether) {
  const std::int64_t ani = Citizen(kAniPhone, kSms, core::NowMs());
  const std::string code = OpenTicket(ani, kSms, "EEEEEA");
  ASSERT_TRUE(Act(code, Action::kClaim, siti_).ok());
  EXPECT_EQ(Text("SELECT actor || ' ' || action || ' ' || object || ' ' || purpose || ' ' || ip"
                 " || ' ' || outcome FROM audit_log"),
            "user:11 ticket.claim ticket:" + code + " test 127.0.0.1 ok");
  // The outbox refuses the notice: the verification is rolled back with it.
  ASSERT_TRUE(Write([](storage::Db& db) {
                return db.Exec(
                    "CREATE TRIGGER refuse BEFORE INSERT ON outbox_message"
                    " BEGIN SELECT RAISE(ABORT, 'outbox full'); END");
              }).ok());
  auto verified = Act(code, Action::kVerify, siti_);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(Text("SELECT status FROM ticket WHERE code = '" + code + "'"), "received");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ticket_event WHERE action = 'verify'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log"), 1);
  EXPECT_TRUE(woken_.empty());
  ASSERT_TRUE(Write([](storage::Db& db) { return db.Exec("DROP TRIGGER refuse"); }).ok());
  ASSERT_TRUE(Act(code, Action::kVerify, siti_).ok());
  EXPECT_EQ(Text("SELECT status FROM ticket WHERE code = '" + code + "'"), "verified");

  // A refusal is audited (a probe of codes leaves a trace) and changes nothing.
  auto probe = Act(code, Action::kClaim, Actor{99, Role::kFacilitator, kCiawi});
  ASSERT_FALSE(probe.ok());
  EXPECT_EQ(probe.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(Text("SELECT outcome FROM audit_log WHERE actor = 'user:99'"), "not_found");
}

TEST_F(BackofficeTest, ReadsAreAudited) {
  const std::int64_t ani = Citizen(kAniPhone, kSms, core::NowMs());
  const std::string code = OpenTicket(ani, kSms, "FFFFFA");
  const Caller caller{siti_, "triage", "10.0.0.5"};
  const Caller stranger{Actor{99, Role::kFacilitator, kCiawi}, "triage", "10.0.0.6"};
  ASSERT_TRUE(Write([&](storage::Db& db) -> core::Status {
                EXPECT_TRUE(CaseService::ReadIn(db, code, caller, core::NowMs()).ok());
                EXPECT_TRUE(CaseService::HistoryIn(db, code, caller, core::NowMs()).ok());
                EXPECT_FALSE(CaseService::ReadIn(db, code, stranger, core::NowMs()).ok());
                return {};
              }).ok());
  EXPECT_EQ(Text("SELECT actor || ' ' || action || ' ' || purpose || ' ' || ip || ' ' || outcome"
                 " FROM audit_log ORDER BY id"),
            "user:11 ticket.read triage 10.0.0.5 ok\n"
            "user:11 ticket.history triage 10.0.0.5 ok\n"
            "user:99 ticket.read triage 10.0.0.6 not_found");
}

TEST_F(BackofficeTest, ClosingStartsTheSurveyForAnIdleCitizenAndLaterForABusyOne) {
  const std::int64_t ani = Citizen(kAniPhone, kSms, core::NowMs());
  Say(ani, kSms, kAniPhone, "terima kasih");  // a conversation exists, idle
  const std::string code = OpenTicket(ani, kSms, "GGGGGA");
  auto closed = Close(code, tickets::CloseReason::kSolved);
  ASSERT_TRUE(closed.ok()) << closed.error().message;
  EXPECT_TRUE(closed.value().survey_started);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox_part WHERE text LIKE 'Tiket " + code +
                  " sudah selesai. Seberapa puas%'"),
            1);

  // Busy in the menu: the survey waits, then starts once the citizen is idle.
  const std::string code2 = OpenTicket(ani, kSms, "GGGGGB");
  Say(ani, kSms, kAniPhone, "BATAL");
  Say(ani, kSms, kAniPhone, "MENU");
  auto closed2 = Close(code2, tickets::CloseReason::kSolved);
  ASSERT_TRUE(closed2.ok());
  EXPECT_FALSE(closed2.value().survey_started);
  EXPECT_TRUE(closed2.value().survey_pending);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pending_survey"), 1);
  auto early = Get([&](storage::Db& db) {
    return service_->RetryPendingSurveys(db, core::NowMs() + std::int64_t{2} * 60'000, 16)
        .value()
        .size();
  });
  EXPECT_EQ(early, 0u) << "still in the menu";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pending_survey"), 1);
  Say(ani, kSms, kAniPhone, "BATAL");
  auto later = Get([&](storage::Db& db) {
    auto r = service_->RetryPendingSurveys(db, core::NowMs() + std::int64_t{4} * 60'000, 16);
    EXPECT_TRUE(r.ok());
    return r.ok() && r.value().size() == 1 ? r.value()[0].text : std::string();
  });
  EXPECT_NE(later.find("Tiket " + code2 + " sudah selesai."), std::string::npos) << later;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pending_survey"), 0);
}

TEST_F(BackofficeTest, SmsCommandsFollowTheWorkflowAndAnswerInOneSms) {
  const std::int64_t ani = Citizen(kAniPhone, kSms, core::NowMs());
  const std::string code = OpenTicket(ani, kSms, "HHHHHA");
  const std::string bare = code.substr(0, 3) + code.substr(4);  // without the dash

  EXPECT_EQ(Reply("klaim  " + bare),
            "Tiket " + code + " sudah Anda klaim. Berikutnya: VERIF " + code);
  EXPECT_EQ(Reply("VERIF#" + code), "Tiket " + code + " sudah diverifikasi.");
  EXPECT_EQ(Text("SELECT status FROM ticket WHERE code = '" + code + "'"), "verified");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox_message WHERE message_key LIKE 'tn-%'"), 1)
      << "the citizen hears of the verification as from the web";
  EXPECT_EQ(Text("SELECT purpose FROM audit_log WHERE action = 'ticket.verify'"), "sms command");
  EXPECT_EQ(Reply("VERIF " + code),
            "Tiket " + code +
                " (terverifikasi) tidak bisa diproses dengan perintah ini, atau sedang dipegang "
                "petugas lain.");
  EXPECT_EQ(Reply("RUJUK " + code + " pkh"),
            "Peran Anda tidak boleh menjalankan perintah ini untuk tiket " + code + ".")
      << "a facilitator may not refer (the workflow's rule)";
  EXPECT_EQ(Reply("RUJUK " + code + " zakat"),
            "Program tidak dikenal: zakat. Pakai nama seperti PKH, SEMBAKO, PBI_JK, PIP.");
  EXPECT_EQ(Reply("KLAIM ADU-ZZZZZZ"), "Tiket ADU-ZZZZZZ tidak ditemukan.");
  EXPECT_EQ(Reply("KLAIM 12345"), "Kode tiket tidak dikenali. Contoh: KLAIM ADU-7K3M9Q");
  const std::string help = Reply("bantuan");
  EXPECT_EQ(help.substr(0, 15), "Perintah: TIKET");
  EXPECT_EQ(Reply("SELESAI " + code), help) << "a close needs its note";
  EXPECT_EQ(Reply("KLAIM"), help);

  // Out of the officer's region: the very answer an unknown code gets.
  const std::int64_t other = Citizen("6281234567009", kSms, core::NowMs());
  const std::string far = OpenTicket(other, kSms, "HHHHHB", kCiawi);
  EXPECT_EQ(Reply("KLAIM " + far), "Tiket " + far + " tidak ditemukan.");

  EXPECT_EQ(Reply("SELESAI " + code + "  Bantuan sudah cair bulan ini"),
            "Tiket " + code + " ditutup (selesai di desa). Catatan disimpan.");
  EXPECT_EQ(Text("SELECT close_reason FROM ticket WHERE code = '" + code + "'"), "solved");
  EXPECT_NE(Text("SELECT detail FROM ticket_event WHERE action = 'close'")
                .find("Bantuan sudah cair bulan ini"),
            std::string::npos);
}

TEST_F(BackofficeTest, RujukResolvesProgrammesByIdNameOrAlias) {
  const Actor back{41, Role::kBackOffice, "32.06"};
  auto resolve = [&](const std::string& typed) {
    return Get([&](storage::Db& db) {
      return Or(commands_->ResolveProgramme(db, typed), std::optional<std::string>{}).value_or("-");
    });
  };
  EXPECT_EQ(resolve("PKH"), "pkh");
  EXPECT_EQ(resolve("pbi-jk"), "pbi_jk");
  EXPECT_EQ(resolve("Program Sembako (BPNT)"), "sembako");
  EXPECT_EQ(resolve("bpnt"), "sembako") << "the lexicon's name of the category";
  EXPECT_EQ(resolve("beras"), "sembako");
  EXPECT_EQ(resolve("zakat"), "-");
  auto parsed = ParseCommand("rujuk adu 7k3m9q pkh, pbi jk ,rutilahu");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->code, "ADU-7K3M9Q");
  EXPECT_EQ(parsed->programmes, (std::vector<std::string>{"pkh", "pbi jk", "rutilahu"}));
  EXPECT_FALSE(ParseCommand("halo pak").has_value());
  // Command words in an officer's ordinary messages.
  EXPECT_FALSE(ParseCommand("bantuan PKH saya belum cair").has_value());
  EXPECT_FALSE(ParseCommand("tiket saya kapan selesai").has_value());
  EXPECT_FALSE(ParseCommand("Selesai pak, terima kasih").has_value());
  ASSERT_TRUE(ParseCommand("tiket 2").has_value());
  EXPECT_EQ(ParseCommand("tiket 2")->page, 2);
  EXPECT_EQ(ParseCommand("SELESAI 12345 sudah")->kind, CommandKind::kSolve)
      << "a mistyped code is still a command (answered: bad code)";
  EXPECT_FALSE(ParseCommand("ADU#3201010101010003#PKH belum cair").has_value());
}

TEST_F(BackofficeTest, TiketPagesFitOneSmsEach) {
  const std::int64_t ani = Citizen(kAniPhone, kSms, core::NowMs());
  std::vector<std::string> codes;
  const std::string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  codes.reserve(30);
  for (std::size_t i = 0; i < 30; ++i) {
    codes.push_back(
        OpenTicket(ani, kSms, std::string("JJJJ") + alphabet[i / 10] + alphabet[i % 10]));
  }
  // Claimed by someone else: no longer in this officer's queue.
  ASSERT_TRUE(Act(codes[0], Action::kClaim, budi_).ok());
  std::string all;
  int pages = 0;
  for (int page = 1; page < 20; ++page) {
    const std::string text = Reply("TIKET " + std::to_string(page));
    const auto a = adapters::sms::Analyze(text);
    EXPECT_EQ(a.encoding, adapters::sms::Encoding::kGsm7);
    EXPECT_LE(a.units, 160u) << text;
    all += text + "\n";
    ++pages;
    if (text.find("Balas TIKET") == std::string::npos) break;
    EXPECT_NE(text.find("Balas TIKET " + std::to_string(page + 1)), std::string::npos);
  }
  EXPECT_GT(pages, 1);
  EXPECT_EQ(all.find(codes[0]), std::string::npos);
  for (std::size_t i = 1; i < codes.size(); ++i) {
    EXPECT_NE(all.find(codes[i] + " PKH"), std::string::npos) << codes[i];
  }
  EXPECT_EQ(Reply("TIKET"), Reply("TIKET 1"));
}

TEST_F(BackofficeTest, OnlyAnOfficersSmsIsTakenAsACommand) {
  auto from_citizen = Command("KLAIM ADU-7K3M9Q", kAniPhone);
  ASSERT_TRUE(from_citizen.ok());
  EXPECT_FALSE(from_citizen.value().has_value()) << "an unknown phone goes to the dialogs";
  auto by_whatsapp = Command("KLAIM ADU-7K3M9Q", kOfficerPhone, kWa);
  ASSERT_TRUE(by_whatsapp.ok());
  EXPECT_FALSE(by_whatsapp.value().has_value()) << "commands are SMS only";
  auto chat = Command("halo, mau tanya PKH", kOfficerPhone);
  ASSERT_TRUE(chat.ok());
  EXPECT_FALSE(chat.value().has_value()) << "an officer's other messages go to the dialogs";
}

TEST_F(BackofficeTest, TheDispatcherHandsOfficersCommandsOverAndCitizensToTheDialogs) {
  storage::Journal journal(store_.get(), &metrics_);
  inbound::Dispatcher dispatcher(
      store_.get(), &catalog_, &metrics_, [](const std::string&) {}, {}, conversations_.get());
  inbound::DispatcherHooks hooks;
  hooks.intercept = [this](storage::Db& db, const inbound::TextMessage& m, std::int64_t now_ms,
                           std::set<std::string>* enqueued) {
    return commands_->Handle(db, m.journal_id, m.channel, m.address, m.text, now_ms, enqueued);
  };
  dispatcher.SetHooks(std::move(hooks));
  auto append = [&](const std::string& from, const std::string& text) {
    storage::InboundRecord r;
    r.channel = kSms;
    r.provider_id = from + text;
    r.payload =
        R"({"type":"message","kind":"text","address":")" + from + R"(","text":")" + text + R"("})";
    std::promise<core::Result<storage::AppendOutcome>> p;
    journal.Append({r}, "req", [&p](auto res) { p.set_value(std::move(res)); });
    ASSERT_TRUE(p.get_future().get().ok());
  };
  append(kOfficerPhone, "BANTUAN");
  append(kAniPhone, "BANTUAN");
  ASSERT_TRUE(dispatcher.RunOnce().ok());
  const std::string officer = Text(
      "SELECT p.text FROM outbox_part p JOIN outbox_message m ON m.id = p.message_id"
      " WHERE m.address = '" +
      std::string(kOfficerPhone) + "'");
  EXPECT_EQ(officer.substr(0, 15), "Perintah: TIKET");
  const std::string citizen = Text(
      "SELECT p.text FROM outbox_part p JOIN outbox_message m ON m.id = p.message_id"
      " WHERE m.address = '" +
      std::string(kAniPhone) + "'");
  EXPECT_FALSE(citizen.empty());
  EXPECT_EQ(citizen.find("KLAIM"), std::string::npos) << "a citizen never learns of commands";
}

// --- Officer alerts, messages between office and citizen, the officer commands that go with
// them ---------------------------------------------------------------------------------------

class AlertsTest : public BackofficeTest {
 protected:
  // 2026-12-07 10:00 WIB (03:00 UTC): office hours.
  static constexpr std::int64_t kTen = 1796612400000;
  static constexpr std::int64_t kMinute = 60'000;

  void SetUp() override {
    BackofficeTest::SetUp();
    AlertOptions options;
    options.interval_ms = kHour;
    options.quiet_from_minute = 21 * 60;
    options.quiet_until_minute = 6 * 60;
    options.utc_offset_minutes = 420;
    options.sms_channel = kSms;
    options.channels = {kSms, kTg};
    options.users_key = users_key_;
    alerts_ = std::make_unique<Alerts>(&catalog_, options);
    dewi_ = AddUser("dewi", "facilitator", kCilumba, "6281299990021");
    agus_ = AddUser("agus", "supervisor", "32.06.05", "6281299990022");
    eko_ = AddUser("eko", "facilitator", kCiawi, "6281299990023");
    fani_ = AddUser("fani", "front_office", "32.06", "tg:5550001", kTg);
    AddUser("gita", "manager", "32.06", "6281299990025");
  }

  std::int64_t AddUser(const std::string& name, const std::string& role, const std::string& region,
                       const std::string& address, const std::string& channel = "") {
    return Get([&](storage::Db& db) -> std::int64_t {
      users::NewUser u;
      u.username = name;
      u.display_name = name;
      u.role = role;
      u.region = region;
      auto created = users::Create(db, u, users_key_, kTen);
      EXPECT_TRUE(created.ok());
      if (!created.ok()) return 0;
      EXPECT_TRUE(
          AlertRoutes(users_key_).Set(db, created.value().id, AlertRoute{channel, address}).ok());
      return created.value().id;
    });
  }

  // One pass at `now`: "address|text" of each message.
  std::vector<std::string> Pass(std::int64_t now) {
    return Get([&](storage::Db& db) {
      std::vector<std::string> out;
      auto r = alerts_->PassIn(db, now, 64);
      EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
      if (!r.ok()) return out;
      for (const auto& o : r.value()) {
        EXPECT_TRUE(FitsOneSms(o.text)) << o.text;
        out.push_back(o.address + "|" + o.text);
      }
      return out;
    });
  }

  std::unique_ptr<Alerts> alerts_;
  std::int64_t dewi_ = 0, agus_ = 0, eko_ = 0, fani_ = 0;
};

TEST_F(AlertsTest, ANewTicketTellsItsVillagesFacilitatorOnceThenDigestsEachInterval) {
  const std::int64_t ani = Citizen(kAniPhone, kSms, kTen);
  const std::string code = OpenTicket(ani, kSms, "HHHHHA");
  auto first = Pass(kTen);
  ASSERT_EQ(first.size(), 1u) << "only the village's facilitator with a route: not the "
                                 "supervisor (a facilitator answers), not another village";
  EXPECT_EQ(first[0], "6281299990021|Tiket " + code + " baru: PKH, " + kCilumba + ". Balas LIHAT " +
                          code + " utk rincian.");
  EXPECT_TRUE(Pass(kTen + kMinute).empty()) << "sent once";

  const std::string second = OpenTicket(ani, kSms, "HHHHHB");
  const std::string third = OpenTicket(ani, kSms, "HHHHHC");
  EXPECT_TRUE(Pass(kTen + 10 * kMinute).empty()) << "at most one message per interval";
  auto digest = Pass(kTen + 61 * kMinute);
  ASSERT_EQ(digest.size(), 1u);
  EXPECT_EQ(digest[0], "6281299990021|2 kabar tiket:\n" + second + " baru\n" + third +
                           " baru\nBalas LIHAT kode utk rincian.");
  // Never a NIK, a name or the citizen's words.
  EXPECT_EQ(digest[0].find("PKH belum cair"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM officer_alert WHERE sent_at_ms = 0"), 0);
}

TEST_F(AlertsTest, QuietHoursHoldAlertsUntilMorningAndADigestFitsOneSms) {
  const std::int64_t ani = Citizen(kAniPhone, kSms, kTen);
  const std::int64_t night = kTen + 11 * kHour + 30 * kMinute;  // 21:30 WIB
  std::vector<std::string> codes;
  for (char c = 'A'; c <= 'P'; ++c)
    codes.push_back(OpenTicket(ani, kSms, std::string("JJJJJ") + c));
  EXPECT_TRUE(Pass(night).empty()) << "21:30: quiet";
  EXPECT_TRUE(Pass(night + 8 * kHour).empty()) << "05:30: still quiet";
  auto morning = Pass(night + 8 * kHour + 31 * kMinute);  // 06:01
  ASSERT_EQ(morning.size(), 1u);
  EXPECT_NE(morning[0].find("16 kabar tiket"), std::string::npos) << morning[0];
  EXPECT_NE(morning[0].find("lainnya"), std::string::npos) << "what does not fit is counted";
}

TEST_F(AlertsTest, EachChangeReachesTheOfficersItConcerns) {
  const std::int64_t ani = Citizen(kAniPhone, kSms, kTen);
  // Without a village: the regency's front office and manager must place it.
  const std::string unplaced = OpenTicket(ani, kSms, "KKKKKA", "32.06");
  auto placed = Pass(kTen);
  ASSERT_EQ(placed.size(), 2u);
  EXPECT_EQ(placed[0].substr(0, placed[0].find('|')), "tg:5550001");
  EXPECT_NE(placed[0].find("desa belum diketahui"), std::string::npos) << placed[0];
  EXPECT_EQ(placed[1].substr(0, placed[1].find('|')), "6281299990025");

  const std::string code = OpenTicket(ani, kSms, "KKKKKB");
  const std::int64_t id = Count("SELECT id FROM ticket WHERE code = '" + code + "'");
  auto who = [&](std::string_view kind) {
    return Get([&](storage::Db& db) {
      return Or(Alerts::RecipientsOf(db, id, kind), std::vector<std::int64_t>{});
    });
  };
  EXPECT_EQ(who("new"), std::vector<std::int64_t>{dewi_});
  EXPECT_EQ(who("sla_warning"), std::vector<std::int64_t>{dewi_});
  EXPECT_EQ(who("sla_breach"), (std::vector<std::int64_t>{dewi_, agus_}))
      << "a breach reaches the next level too";
  // Claimed: the holder alone is warned.
  ASSERT_TRUE(Write([&](storage::Db& db) {
                return db.Run("UPDATE ticket SET claimed_by = " + std::to_string(eko_) +
                              " WHERE id = " + std::to_string(id));
              }).ok());
  EXPECT_EQ(who(kAlertReply), std::vector<std::int64_t>{eko_});
  // Escalated to the kecamatan (the trigger notes it): its supervisor.
  ASSERT_TRUE(Write([&](storage::Db& db) {
                return db.Run("UPDATE ticket SET level = 'kecamatan', claimed_by = 0 WHERE id = " +
                              std::to_string(id));
              }).ok());
  EXPECT_EQ(who("escalated"), std::vector<std::int64_t>{agus_});
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alert_event WHERE kind = 'escalated'"), 1);
  // A disabled officer and one who turned alerts off get nothing.
  ASSERT_TRUE(Write([&](storage::Db& db) { return SetAlertsEnabled(db, agus_, false); }).ok());
  EXPECT_TRUE(who("escalated").empty());
  // With alerts turned off for the gateway, what the triggers note does not pile up.
  ASSERT_GT(Count("SELECT COUNT(*) FROM alert_event"), 0);
  ASSERT_TRUE(Write([](storage::Db& db) { return Alerts::DiscardNoted(db); }).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alert_event"), 0);
}

TEST_F(AlertsTest, OfficerAndCitizenWriteToEachOtherOnTheTicket) {
  const std::int64_t ani = Citizen(kAniPhone, kSms, core::NowMs());
  const std::string code = OpenTicket(ani, kSms, "MMMMMA");
  EXPECT_EQ(Reply("BALAS " + code + " Bu, mohon bawa KK asli ke kantor desa hari Kamis."),
            "Pesan utk warga tiket " + code + " dikirim. Jawabannya akan kami teruskan ke Anda.");
  const std::string sent = Outbox("tm-1");
  EXPECT_EQ(sent.substr(0, sent.find("|{")),
            std::string(kSms) + "|" + kAniPhone + "|Pesan petugas ttg pengaduan " + code +
                ":\nBu, mohon bawa KK asli ke kantor desa hari Kamis.\nBalas pesan ini utk "
                "menjawab.");
  EXPECT_EQ(Text("SELECT purpose || ' ' || outcome FROM audit_log WHERE action = 'ticket.message'"),
            "sms command ok");
  // The citizen's answer lands on the ticket, is acknowledged, and alerts its officers.
  auto answer = Get([&](storage::Db& db) {
    return Or(service_->CitizenAnswerIn(db, 900, kSms, kAniPhone, "Baik pak, Kamis saya datang",
                                        core::NowMs()),
              std::optional<std::vector<compose::Outgoing>>{});
  });
  ASSERT_TRUE(answer.has_value());
  ASSERT_EQ(answer->size(), 1u);
  EXPECT_EQ((*answer)[0].text,
            "Pesan Anda ttg " + code + " sudah diteruskan ke petugas. Terima kasih.");
  EXPECT_EQ(Text("SELECT text FROM ticket_message WHERE direction = 'in'"),
            "Baik pak, Kamis saya datang");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alert_event WHERE kind = 'reply'"), 1);
  auto conversation = Get([&](storage::Db& db) {
    return Or(CaseService::ConversationIn(db, code, Caller{siti_, "test", ""}, core::NowMs()),
              std::vector<ConversationMessage>{});
  });
  ASSERT_FALSE(conversation.empty());
  EXPECT_EQ(conversation.back().direction, "in");
  EXPECT_EQ(conversation.back().text, "Baik pak, Kamis saya datang");
  // Keywords stay the dialogs'; so does everything once the thread is old.
  auto menu = Get([&](storage::Db& db) {
    return Or(service_->CitizenAnswerIn(db, 901, kSms, kAniPhone, "MENU", core::NowMs()),
              std::optional<std::vector<compose::Outgoing>>{});
  });
  EXPECT_FALSE(menu.has_value());
  auto late = Get([&](storage::Db& db) {
    return Or(service_->CitizenAnswerIn(db, 902, kSms, kAniPhone, "halo pak",
                                        core::NowMs() + CaseService::kThreadMs + kHour),
              std::optional<std::vector<compose::Outgoing>>{});
  });
  EXPECT_FALSE(late.has_value());
}

TEST_F(AlertsTest, OfficerCommandsReadForwardEscalateListOverdueAndMuteInOneSmsEach) {
  const std::int64_t ani = Citizen(kAniPhone, kSms, core::NowMs());
  const std::string code = OpenTicket(ani, kSms, "NNNNNA");
  ASSERT_TRUE(Write([&](storage::Db& db) {
                return db.Run(
                    "INSERT INTO ticket_message (ticket_id, citizen_id, direction, channel, text,"
                    " at_ms) SELECT id, citizen_id, 'in', channel, 'Terima kasih pak 🙏 "
                    "sudah saya siapkan semua berkasnya: KK, KTP, surat keterangan tidak mampu "
                    "dari desa, dan foto rumah', 1 FROM ticket WHERE code = '" +
                    code + "'");
              }).ok());
  const std::string read = Reply("LIHAT " + code);
  EXPECT_EQ(read.substr(0, read.find("Pesan:")),
            code + " PKH, " + kCilumba + ". diterima. NIK tidak ada. ");
  EXPECT_TRUE(FitsOneSms(read)) << read;
  EXPECT_NE(read.find("Terima kasih pak sudah"), std::string::npos) << "the emoji dropped";
  EXPECT_EQ(Text("SELECT purpose FROM audit_log WHERE action = 'ticket.read'"), "sms command");

  EXPECT_EQ(Reply("NAIK " + code + " warga minta ditangani kecamatan"),
            "Tiket " + code + " dinaikkan ke tingkat berikutnya. Alasan disimpan.");
  EXPECT_EQ(Text("SELECT level FROM ticket WHERE code = '" + code + "'"), "kecamatan");
  EXPECT_EQ(Reply("TERUS " + code + " sudah diverifikasi"),
            "Peran Anda tidak boleh menjalankan perintah ini untuk tiket " + code + ".")
      << "forwarding is the supervisor's";
  EXPECT_EQ(Reply("TELAT"), "Tidak ada tiket lewat batas waktu di wilayah Anda.");
  ASSERT_TRUE(Write([&](storage::Db& db) {
                return db.Run("UPDATE ticket SET sla = 'breached' WHERE code = '" + code + "'");
              }).ok());
  EXPECT_EQ(Reply("TELAT"), "Lewat batas hal 1/1:\n" + code + " PKH");
  EXPECT_EQ(Reply("NOTIF OFF"),
            "Pemberitahuan tiket DIMATIKAN. Balas NOTIF ON utk menyalakan lagi.");
  const std::int64_t siti = Count("SELECT id FROM app_user WHERE username = 'siti'");
  auto route =
      Get([&](storage::Db& db) { return Or(routes_->Of(db, siti), std::optional<AlertRoute>{}); });
  ASSERT_TRUE(route.has_value()) << "the phone a command came from became the route";
  EXPECT_EQ(route->address, kOfficerPhone);
  EXPECT_FALSE(route->enabled) << "then it was muted";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM officer_alert_route WHERE instr(address, '" +
                  std::string(kOfficerPhone) + "') > 0"),
            0)
      << "sealed at rest";
  EXPECT_EQ(Reply("NOTIF ON"),
            "Pemberitahuan tiket AKTIF di nomor ini. Balas NOTIF OFF utk berhenti.");
  // Everyday words stay a citizen's message.
  for (const char* text : {"lihat dong", "balas ya", "naik haji", "terus gimana", "notif apa"}) {
    auto r = Command(text);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r.value().has_value()) << text;
  }
}

}  // namespace
}  // namespace satupintu::backoffice
