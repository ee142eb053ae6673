// Broadcasts on a real SQLite store (gateway/broadcast/broadcast_store.hpp, audience.hpp): the
// audience from the registry snapshot, the tickets and an upload, one row per household, the
// exclusions counted; the approval rules; the send steps with an injected clock across WIB,
// WITA and WIT; pause, resume, cancel, resend to the failed; the progress counts.

#include <gtest/gtest.h>

#include <filesystem>

#include "broadcast/broadcast_store.hpp"
#include "citizens/citizens.hpp"
#include "migrated_store.hpp"
#include "privacy/purge.hpp"
#include "registry/identity_hash.hpp"
#include "registry/snapshot_catalog.hpp"
#include "registry/snapshot_file.hpp"

namespace satupintu::testing {
namespace {

using broadcast::Exclusion;
using broadcast::State;
using json = nlohmann::json;
using tickets::Actor;
using tickets::Role;

constexpr char kOffice[] = "Dinas Sosial Kabupaten Tasikmalaya";
constexpr char kText[] =
    "Yth. {nama} di {desa}: pencairan PKH tahap 3 mulai 15 Agustus di kantor pos. Info: "
    "dinsos.tasikmalayakab.go.id - Dinas Sosial Kabupaten Tasikmalaya";
// 2026-12-07 05:00 UTC: 12:00 WIB, 13:00 WITA, 14:00 WIT - every window open.
constexpr std::int64_t kNoon = 1'796'619'600'000;
constexpr std::int64_t kHour = 3'600'000;

const Actor kBroadcaster{1, Role::kBroadcaster, "32.06"};
const Actor kManager{2, Role::kManager, "32.06"};
const Actor kOtherManager{3, Role::kManager, "32.06"};
const Actor kManagerElsewhere{4, Role::kManager, "32.07"};
const Actor kFacilitator{5, Role::kFacilitator, "32.06.05.2002"};

registry::IdHash HashOf(int n) {
  registry::IdHash h{};
  h[0] = static_cast<std::uint8_t>(0x10 + n);
  h[7] = static_cast<std::uint8_t>(n);
  h[15] = 0x5a;
  return h;
}

class BroadcastStoreTest : public MigratedStoreTest {
 protected:
  void SetUp() override {
    MigratedStoreTest::SetUp();
    policy_.content.office_names = {kOffice};
    policy_.delivery.registry_dir = dir_.File("registry");
    policy_.delivery.channels = {
        {"whatsapp:wa", 4'800}, {"telegram:bot", 1'800}, {"kannel:tsel", 8}, {"kannel:shared", 8}};
    policy_.delivery.sms_routes = {{"kannel:tsel", {broadcast::Operator::kTelkomsel}, 150},
                                   {"kannel:shared", {}, 300}};
    policy_.delivery.whatsapp["whatsapp:wa"] = {"", "id", 250, 500};
    policy_.batch = 100;
    std::filesystem::create_directories(dir_.File("registry"));
  }

  // A snapshot in force with these rows: {kk n, nik n*10+m, village, desil, status, name,
  // relationship}.
  struct Person {
    int kk;
    int nik;
    std::int64_t village;
    int desil;
    std::string status;
    std::string name;
    std::string relationship;
    std::string programmes = "PKH:2025-01..";
  };
  void Snapshot(const std::vector<Person>& people) {
    auto entry = registry::BeginSnapshot(*db_, "canonical", "t.csv", "2026-10-01", "fp", kNoon);
    ASSERT_TRUE(entry.ok());
    auto writer = registry::SnapshotWriter::Create(dir_.File("registry/" + entry.value().file));
    ASSERT_TRUE(writer.ok());
    std::int64_t line = 0;
    for (const auto& p : people) {
      registry::PersonRow row;
      row.line = ++line;
      row.nik_hash = HashOf(100 + p.nik);
      row.kk_hash = HashOf(p.kk);
      row.name = p.name;
      row.name_key = p.name;
      row.birth_date = "1980-01-01";
      row.village_code = p.village;
      row.address = "Jl. Mawar";
      row.relationship = p.relationship;
      row.desil = p.desil;
      row.programmes = p.programmes;
      row.status = p.status;
      ASSERT_TRUE(writer.value()->Add(row).ok());
    }
    auto done = writer.value()->Finish({"canonical", "t.csv", "2026-10-01", "fp", kNoon},
                                       [](std::int64_t, std::int64_t) {});
    ASSERT_TRUE(done.ok()) << done.error().message;
    ASSERT_TRUE(
        registry::ActivateSnapshot(*db_, entry.value().id, done.value().rows, 0, 0, kNoon).ok());
  }

  // A citizen who wrote on `channel` from `address` `ago_ms` before noon.
  std::int64_t Citizen(const std::string& address, const std::string& channel,
                       std::int64_t ago_ms = kHour) {
    auto id = citizens::TouchInbound(*db_, address, channel, kNoon - ago_ms);
    EXPECT_TRUE(id.ok());
    return id.ok() ? id.value() : 0;
  }

  void Ticket(const std::string& code, std::int64_t citizen, int kk, int nik,
              const std::string& village, const std::string& status = "open",
              const std::string& category = "pkh", const std::string& name = "SITI AMINAH") {
    auto q = db_->Prepare(
        "INSERT INTO ticket (code, type, status, citizen_id, channel, category, nik_hash, "
        "kk_hash, name, village_code, created_at_ms, updated_at_ms) "
        "VALUES (?, 'complaint', ?, ?, 'telegram:bot', ?, ?, ?, ?, ?, ?, ?)");
    ASSERT_TRUE(q.ok());
    auto& st = *q.value();
    st.Bind(1, code).Bind(2, status).Bind(3, citizen).Bind(4, category);
    st.Bind(5, nik > 0 ? registry::HexOf(HashOf(100 + nik)) : std::string());
    st.Bind(6, kk > 0 ? registry::HexOf(HashOf(kk)) : std::string());
    st.Bind(7, name).Bind(8, village).Bind(9, kNoon - 2 * kHour).Bind(10, kNoon - 2 * kHour);
    ASSERT_TRUE(st.Run().ok());
  }

  broadcast::Broadcast Draft(const json& audience, const Actor& author = kBroadcaster,
                             const std::string& text = kText) {
    broadcast::Draft d;
    d.title = "Pencairan PKH tahap 3";
    d.texts = {{"id", text}};
    d.audience = audience;
    auto b = broadcast::Create(*db_, author, d, policy_, kNoon);
    EXPECT_TRUE(b.ok()) << b.error().message;
    return b.ok() ? b.value() : broadcast::Broadcast{};
  }

  // Preview, approve by the manager, plan: the broadcast ready to send.
  broadcast::Broadcast Planned(const json& audience, std::int64_t now = kNoon) {
    auto b = Draft(audience);
    auto preview = broadcast::Preview(*db_, kBroadcaster, b.id, policy_, now);
    EXPECT_TRUE(preview.ok());
    auto approved = broadcast::Approve(*db_, kManager, b.id, b.revision, true, now);
    EXPECT_TRUE(approved.ok()) << approved.error().message;
    EXPECT_TRUE(broadcast::BeginPlanning(*db_, b.id, now).value());
    auto audience_now = broadcast::ResolveAudience(*db_, b.audience, b.id, policy_.delivery, now);
    EXPECT_TRUE(audience_now.ok());
    EXPECT_TRUE(
        broadcast::WritePlan(*db_, b.id, audience_now.value(), 0, 1'000'000, true, now).ok());
    return broadcast::Load(*db_, kManager, b.id).value();
  }

  broadcast::SendStep Send(const broadcast::Broadcast& b, std::int64_t now) {
    const broadcast::Renderer render =
        [](const broadcast::Broadcast&,
           const broadcast::Recipient& r) -> core::Result<std::string> {
      return "Halo " + r.first_name + " - " + kOffice;
    };
    auto step = broadcast::SendSome(*db_, b, policy_, render, now);
    EXPECT_TRUE(step.ok()) << step.error().message;
    return step.ok() ? step.value() : broadcast::SendStep{};
  }

  std::map<std::string, std::string> Rows(std::int64_t id) {
    std::map<std::string, std::string> out;
    auto q = db_->Prepare(
        "SELECT household, state || ' ' || reason || ' ' || channel || ' ' || first_name "
        "FROM broadcast_recipient WHERE broadcast_id = ?");
    q.value()->Bind(1, id);
    while (q.value()->Step() == SQLITE_ROW) {
      out[q.value()->ColumnText(0)] = q.value()->ColumnText(1);
    }
    q.value()->Reset();
    return out;
  }

  broadcast::Policy policy_;
};

std::string Kk(int n) {
  const auto h = HashOf(n);
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | h[static_cast<std::size_t>(i)];
  return "kk:" + std::to_string(static_cast<std::int64_t>(v));
}

TEST_F(BroadcastStoreTest, RegistryAudienceIsOneRowPerHouseholdWithEveryExclusionCounted) {
  Snapshot({
      {1, 11, 3206052002, 2, "aktif", "SITI AMINAH", "Istri"},
      {1, 12, 3206052002, 2, "aktif", "AHMAD DAHLAN", "Kepala Keluarga"},
      {1, 13, 3206052002, 2, "aktif", "RINA", "Anak"},
      {2, 21, 3206052002, 3, "aktif", "BUDI", "Kepala Keluarga"},
      {3, 31, 3206052003, 4, "aktif", "WATI", "Kepala Keluarga"},
      {4, 41, 3206060001, 1, "aktif", "JOKO", "Kepala Keluarga"},
      {5, 51, 3206060001, 9, "aktif", "KAYA", "Kepala Keluarga"},     // desil out of range
      {6, 61, 3207010001, 1, "aktif", "LAIN", "Kepala Keluarga"},     // another regency
      {7, 71, 3206060001, 2, "meninggal", "ALM", "Kepala Keluarga"},  // status out
  });
  // Family 1 wrote twice, from two members' phones: one household, the later ticket's citizen.
  const std::int64_t siti = Citizen("6281234500011", "whatsapp:wa", kHour);
  const std::int64_t ahmad = Citizen("6285712300012", "kannel:shared", 2 * kHour);
  Ticket("ADU-1", ahmad, 1, 12, "32.06.05.2002");
  Ticket("ADU-2", siti, 1, 11, "32.06.05.2002");
  const std::int64_t budi = Citizen("6281234500021", "kannel:shared");
  Ticket("ADU-3", budi, 2, 21, "32.06.05.2002");
  ASSERT_TRUE(citizens::MarkOptedOut(*db_, "6281234500021", kNoon).ok());
  const std::int64_t wati = Citizen("tg:31", "telegram:bot");
  Ticket("ADU-4", wati, 3, 31, "32.06.05.2003");
  Exec("INSERT INTO subject_restriction (citizen_id, restricted_at_ms, restricted_by) VALUES (" +
       std::to_string(wati) + ", 1, 'dpo')");
  // Family 4: nobody ever wrote to us.

  auto audience = broadcast::ParseAudience(
      {{"region", "32.06"}, {"desil_min", 1}, {"desil_max", 4}, {"statuses", {"aktif"}}});
  ASSERT_TRUE(audience.ok());
  auto a = broadcast::ResolveAudience(*db_, audience.value(), 0, policy_.delivery, kNoon);
  ASSERT_TRUE(a.ok()) << a.error().message;
  std::map<std::string, broadcast::Recipient> rows;
  for (std::size_t i = 0; i < a.value().size(); ++i) {
    const auto r = a.value().Row(i);
    rows[r.household] = r;
  }
  std::map<std::string, const broadcast::Recipient*> by;
  for (const auto& [household, r] : rows) by[household] = &r;
  ASSERT_EQ(by.size(), 4u);
  EXPECT_EQ(a.value().unreached.size(), 1u);  // kept small: family 4
  EXPECT_EQ(a.value().reached, 1);
  ASSERT_TRUE(by.contains(Kk(1)));
  EXPECT_EQ(by[Kk(1)]->excluded, Exclusion::kNone);
  EXPECT_EQ(by[Kk(1)]->citizen_id, siti);
  EXPECT_EQ(by[Kk(1)]->channel, "whatsapp:wa");  // inside the 24-hour window: text
  EXPECT_FALSE(by[Kk(1)]->by_template);
  EXPECT_EQ(by[Kk(1)]->first_name, "Siti");  // the contact's own name, first word only
  EXPECT_EQ(by[Kk(2)]->excluded, Exclusion::kOptedOut);
  EXPECT_EQ(by[Kk(3)]->excluded, Exclusion::kRestricted);
  EXPECT_EQ(by[Kk(4)]->excluded, Exclusion::kUnreachable);
  EXPECT_TRUE(by[Kk(4)]->address.empty());

  // Planned twice (a crash between the batches and the state change): no row twice.
  auto b =
      Draft({{"region", "32.06"}, {"desil_min", 1}, {"desil_max", 4}, {"statuses", {"aktif"}}});
  ASSERT_TRUE(broadcast::Preview(*db_, kBroadcaster, b.id, policy_, kNoon).ok());
  ASSERT_TRUE(broadcast::Approve(*db_, kManager, b.id, b.revision, true, kNoon).ok());
  ASSERT_TRUE(broadcast::BeginPlanning(*db_, b.id, kNoon).value());
  ASSERT_TRUE(broadcast::WritePlan(*db_, b.id, a.value(), 0, 2, false, kNoon).ok());
  ASSERT_TRUE(broadcast::WritePlan(*db_, b.id, a.value(), 0, 4, true, kNoon).ok());
  EXPECT_EQ(
      Int("SELECT count(*) FROM broadcast_recipient WHERE broadcast_id = " + std::to_string(b.id)),
      4);
  EXPECT_EQ(Text("SELECT state FROM broadcast WHERE id = " + std::to_string(b.id)), "sending");
  const auto written = Rows(b.id);
  EXPECT_EQ(written.at(Kk(2)), "excluded opted_out  ");
  EXPECT_EQ(written.at(Kk(4)), "excluded unreachable  ");
}

TEST_F(BroadcastStoreTest, ChannelIsTheOneLastUsedElseSmsByOperatorPrefix) {
  Snapshot({{1, 11, 3206052002, 2, "aktif", "A", "Kepala Keluarga"},
            {2, 21, 3206052002, 2, "aktif", "B", "Kepala Keluarga"},
            {3, 31, 3206052002, 2, "aktif", "C", "Kepala Keluarga"},
            {4, 41, 3206052002, 2, "aktif", "D", "Kepala Keluarga"}});
  // WhatsApp three days ago, no broadcast template: by SMS, Telkomsel's on-net route.
  Ticket("ADU-1", Citizen("6281234500011", "whatsapp:wa", 72 * kHour), 1, 11, "32.06.05.2002");
  // An Indosat number: the shared route.
  Ticket("ADU-2", Citizen("6285612300021", "kannel:tsel"), 2, 21, "32.06.05.2002");
  // Telegram only.
  Ticket("ADU-3", Citizen("tg:31", "telegram:bot"), 3, 31, "32.06.05.2002");
  // Two families, one phone (a neighbour's): the message goes once.
  const std::int64_t shared = Citizen("6281399900041", "kannel:shared");
  Ticket("ADU-4", shared, 4, 41, "32.06.05.2002");
  Ticket("ADU-5", shared, 2, 21, "32.06.05.2002");  // family 2 now reached through it
  auto audience = broadcast::ParseAudience({{"region", "32.06.05"}}).value();
  auto a = broadcast::ResolveAudience(*db_, audience, 0, policy_.delivery, kNoon).value();
  std::map<std::string, broadcast::Recipient> by;
  for (const auto& r : a.recipients) by[r.household] = r;
  EXPECT_EQ(by[Kk(1)].channel, "kannel:tsel");
  EXPECT_EQ(by[Kk(1)].address, "6281234500011");
  EXPECT_EQ(by[Kk(3)].channel, "telegram:bot");
  const int same = (by[Kk(2)].excluded == Exclusion::kSameAddress) +
                   (by[Kk(4)].excluded == Exclusion::kSameAddress);
  EXPECT_EQ(same, 1);
  EXPECT_EQ(a.reached, 3);

  // With a broadcast template the WhatsApp household stays on WhatsApp, by the template.
  policy_.delivery.whatsapp["whatsapp:wa"].broadcast_template = "pengumuman_dinsos";
  a = broadcast::ResolveAudience(*db_, audience, 0, policy_.delivery, kNoon).value();
  for (const auto& r : a.recipients) by[r.household] = r;
  EXPECT_EQ(by[Kk(1)].channel, "whatsapp:wa");
  EXPECT_TRUE(by[Kk(1)].by_template);
  // Neither a template nor an SMS route: the household is counted as a blocker.
  policy_.delivery.whatsapp["whatsapp:wa"].broadcast_template = "";
  policy_.delivery.sms_routes = {{"kannel:tsel", {broadcast::Operator::kIndosat}, 150}};
  a = broadcast::ResolveAudience(*db_, audience, 0, policy_.delivery, kNoon).value();
  for (const auto& r : a.recipients) by[r.household] = r;
  EXPECT_EQ(by[Kk(1)].excluded, Exclusion::kNoTemplate);
  auto b = Draft({{"region", "32.06.05"}});
  auto preview = broadcast::Preview(*db_, kBroadcaster, b.id, policy_, kNoon);
  ASSERT_TRUE(preview.ok());
  EXPECT_EQ(preview.value()["blockers"][0]["kind"], "no_template");
  EXPECT_EQ(preview.value()["excluded"]["no_template"], 1);
}

TEST_F(BroadcastStoreTest, ApprovalIsBySecondManagerOfTheRegionOfThePreviewedRevision) {
  Ticket("ADU-1", Citizen("tg:1", "telegram:bot"), 0, 0, "32.06.05.2002");
  const json tickets = {{"source", "tickets"}, {"region", "32.06"}};
  EXPECT_FALSE(broadcast::MayCompose(kFacilitator).ok());
  auto b = Draft(tickets);
  EXPECT_EQ(b.state, State::kDraft);
  // Not before a preview of this revision.
  auto r = broadcast::Approve(*db_, kManager, b.id, b.revision, false, kNoon);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kConflict);
  ASSERT_TRUE(broadcast::Preview(*db_, kBroadcaster, b.id, policy_, kNoon).ok());
  // The broadcaster cannot approve; the manager of another regency does not see it.
  r = broadcast::Approve(*db_, kBroadcaster, b.id, b.revision, false, kNoon);
  EXPECT_EQ(r.error().code, core::ErrorCode::kPermissionDenied);
  r = broadcast::Approve(*db_, kManagerElsewhere, b.id, b.revision, false, kNoon);
  EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound);
  // A manager's own broadcast needs another manager.
  auto own = Draft(tickets, kManager);
  ASSERT_TRUE(broadcast::Preview(*db_, kManager, own.id, policy_, kNoon).ok());
  r = broadcast::Approve(*db_, kManager, own.id, own.revision, false, kNoon);
  EXPECT_EQ(r.error().code, core::ErrorCode::kPermissionDenied);
  EXPECT_TRUE(broadcast::Approve(*db_, kOtherManager, own.id, own.revision, false, kNoon).ok());
  // An edit after the preview: the approver must look again.
  broadcast::Draft d;
  d.title = "Pencairan PKH tahap 3 (ralat)";
  d.texts = {{"id", kText}};
  d.audience = tickets;
  auto edited = broadcast::Update(*db_, kBroadcaster, b.id, d, policy_, kNoon);
  ASSERT_TRUE(edited.ok());
  r = broadcast::Approve(*db_, kManager, b.id, b.revision, false, kNoon);
  EXPECT_EQ(r.error().code, core::ErrorCode::kConflict);
  r = broadcast::Approve(*db_, kManager, b.id, edited.value().revision, false, kNoon);
  EXPECT_EQ(r.error().code, core::ErrorCode::kConflict);  // not previewed
  ASSERT_TRUE(broadcast::Preview(*db_, kBroadcaster, b.id, policy_, kNoon).ok());
  r = broadcast::Approve(*db_, kManager, b.id, edited.value().revision, false, kNoon);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().state, State::kApproved);
  EXPECT_EQ(r.value().approver, kManager.user_id);
  // A manager who rewrites someone's draft becomes its author: another manager approves it.
  auto rewritten = Draft(tickets);
  auto changed = broadcast::Update(*db_, kManager, rewritten.id, d, policy_, kNoon);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed.value().author, kManager.user_id);
  ASSERT_TRUE(broadcast::Preview(*db_, kManager, rewritten.id, policy_, kNoon).ok());
  EXPECT_EQ(broadcast::Approve(*db_, kManager, rewritten.id, changed.value().revision, false, kNoon)
                .error()
                .code,
            core::ErrorCode::kPermissionDenied);
  // Nothing was queued by composing, previewing or approving.
  EXPECT_EQ(Int("SELECT count(*) FROM outbox_message"), 0);
  // An approved broadcast is not edited any more.
  EXPECT_EQ(broadcast::Update(*db_, kBroadcaster, b.id, d, policy_, kNoon).error().code,
            core::ErrorCode::kConflict);
}

TEST_F(BroadcastStoreTest, ADraftWithoutAWindowTakesTheConfiguredOne) {
  policy_.default_window = {7 * 60, 19 * 60};
  auto b = Draft({{"source", "tickets"}});
  EXPECT_EQ(b.window.start_minute, 7 * 60);
  EXPECT_EQ(b.window.end_minute, 19 * 60);
  EXPECT_EQ(broadcast::BroadcastJson(b)["window_end"], "19:00");
}

TEST_F(BroadcastStoreTest, TheTextIsCheckedWhenSaved) {
  broadcast::Draft d;
  d.title = "x";
  d.audience = {{"source", "tickets"}};
  d.texts = {{"id", "Daftar ulang di bansos-daftar.com - Dinas Sosial Kabupaten Tasikmalaya"}};
  auto r = broadcast::Create(*db_, kBroadcaster, d, policy_, kNoon);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("link_not_official"), std::string::npos);
  d.texts = {{"id", "Balas dengan NIK dan nama Anda. Dinas Sosial Kabupaten Tasikmalaya"}};
  EXPECT_NE(broadcast::Create(*db_, kBroadcaster, d, policy_, kNoon)
                .error()
                .message.find("asks_for_secret"),
            std::string::npos);
  d.texts = {{"id", "Pencairan PKH mulai 15 Agustus."}};
  EXPECT_NE(broadcast::Create(*db_, kBroadcaster, d, policy_, kNoon)
                .error()
                .message.find("no_office_name"),
            std::string::npos);
  d.texts = {{"id", "Tiket {kode_tiket} - Dinas Sosial Kabupaten Tasikmalaya"}};
  d.audience = {{"source", "registry"}};
  EXPECT_NE(
      broadcast::Create(*db_, kBroadcaster, d, policy_, kNoon).error().message.find("kode_tiket"),
      std::string::npos);
  d.texts = {{"id", "Halo {nik} - Dinas Sosial Kabupaten Tasikmalaya"}};
  EXPECT_NE(broadcast::Create(*db_, kBroadcaster, d, policy_, kNoon)
                .error()
                .message.find("unknown placeholder"),
            std::string::npos);
  // Outside the author's region.
  d.texts = {{"id", kText}};
  d.audience = {{"region", "32.07"}};
  EXPECT_EQ(broadcast::Create(*db_, kBroadcaster, d, policy_, kNoon).error().code,
            core::ErrorCode::kPermissionDenied);
  EXPECT_EQ(Int("SELECT count(*) FROM broadcast"), 0);
}

TEST_F(BroadcastStoreTest, SendsOnlyInsideEachRecipientsWindowAndAheadOfNothing) {
  // One household in each time zone, by Telegram.
  Ticket("ADU-1", Citizen("tg:1", "telegram:bot"), 0, 0, "32.06.05.2002");  // Jawa Barat: WIB
  Ticket("ADU-2", Citizen("tg:2", "telegram:bot"), 0, 0, "51.71.01.1001");  // Bali: WITA
  Ticket("ADU-3", Citizen("tg:3", "telegram:bot"), 0, 0, "91.01.01.1001");  // Papua: WIT
  // One broadcast reaching three provinces: the test adds the other provinces' households to
  // the plan of the regency's by hand.
  auto b = Planned({{"source", "tickets"}, {"region", "32.06"}});
  auto audience = broadcast::ParseAudience({{"source", "tickets"}, {"region", "51"}}).value();
  auto bali = broadcast::ResolveAudience(*db_, audience, 0, policy_.delivery, kNoon).value();
  audience = broadcast::ParseAudience({{"source", "tickets"}, {"region", "91"}}).value();
  auto papua = broadcast::ResolveAudience(*db_, audience, 0, policy_.delivery, kNoon).value();
  Exec("UPDATE broadcast SET state = 'planning' WHERE id = " + std::to_string(b.id));
  ASSERT_TRUE(broadcast::WritePlan(*db_, b.id, bali, 0, 10, false, kNoon).ok());
  ASSERT_TRUE(broadcast::WritePlan(*db_, b.id, papua, 0, 10, true, kNoon).ok());
  EXPECT_EQ(Text("SELECT group_concat(zone, ',') FROM (SELECT zone FROM broadcast_recipient "
                 "ORDER BY zone)"),
            "0,1,2");
  // 12:30 UTC: 19:30 WIB (open), 20:30 WITA and 21:30 WIT (closed).
  const std::int64_t evening = kNoon + 7 * kHour + kHour / 2;
  auto step = Send(b, evening);
  EXPECT_EQ(step.queued, 1);
  EXPECT_EQ(Text("SELECT address FROM outbox_message"), "tg:1");
  EXPECT_EQ(Int("SELECT priority FROM outbox_message"), 2);  // bulk: behind replies and alerts
  EXPECT_EQ(Text("SELECT message_key FROM outbox_message"),
            "bc" + std::to_string(b.id) + "-" +
                std::to_string(Int("SELECT id FROM broadcast_recipient WHERE address = 'tg:1'")));
  core::Status error;
  auto progress = broadcast::Progress(*db_, b, policy_, evening, &error);
  ASSERT_TRUE(error.ok());
  EXPECT_EQ(progress["total"]["queued"], 1);
  EXPECT_EQ(progress["total"]["outside_window"], 2);
  // 20:05 WIB: the queued message nobody claimed yet is taken back until the morning.
  step = Send(b, kNoon + 8 * kHour + 5 * 60'000);
  EXPECT_EQ(step.queued, 0);
  EXPECT_EQ(Int("SELECT count(*) FROM outbox_message"), 0);
  EXPECT_EQ(Int("SELECT count(*) FROM broadcast_recipient WHERE state = 'planned'"), 3);
  // 00:30 UTC next day: 07:30 WIB (closed), 08:30 WITA and 09:30 WIT (open).
  step = Send(b, kNoon + 19 * kHour + kHour / 2);
  EXPECT_EQ(step.queued, 2);
  EXPECT_EQ(Text("SELECT group_concat(address, ',') FROM (SELECT address FROM outbox_message "
                 "ORDER BY address)"),
            "tg:2,tg:3");
  // Sent, then the WIB household in its morning, then done.
  Exec("UPDATE outbox_part SET state = 'sent', attempts = 1");
  step = Send(b, kNoon + 21 * kHour);
  EXPECT_EQ(step.queued, 1);
  EXPECT_FALSE(step.done);
  Exec("UPDATE outbox_part SET state = 'delivered', attempts = 1");
  step = Send(b, kNoon + 21 * kHour + 1);
  EXPECT_TRUE(step.done);
  EXPECT_EQ(Text("SELECT state FROM broadcast WHERE id = " + std::to_string(b.id)), "done");
  progress = broadcast::Progress(*db_, broadcast::Load(*db_, kManager, b.id).value(), policy_,
                                 kNoon + 21 * kHour, &error);
  EXPECT_EQ(progress["total"]["sent"], 3);
  EXPECT_EQ(progress["total"]["delivered"], 3);
  EXPECT_EQ(progress["channels"]["telegram:bot"]["sent"], 3);
}

TEST_F(BroadcastStoreTest, PauseTakesBackWhatWasNotClaimedAndCancelStopsTheRest) {
  for (int i = 0; i < 30; ++i) {
    Ticket("ADU-" + std::to_string(i),
           Citizen("62812345000" + std::to_string(10 + i), "kannel:shared"), 0, 0, "32.06.05.2002");
  }
  auto b = Planned({{"source", "tickets"}, {"region", "32.06"}});
  // A modem at 8 a minute keeps a backlog of 8 per minute of backlog_seconds (60): 8 queued.
  auto step = Send(b, kNoon);
  EXPECT_EQ(step.queued, 8);
  EXPECT_EQ(Send(b, kNoon + 1).queued, 0);  // the backlog is full
  // The sender took two; one is with the peer, one was answered.
  Exec(
      "UPDATE outbox_part SET state = 'in_flight', attempts = 1 WHERE id IN (SELECT id FROM "
      "outbox_part ORDER BY id LIMIT 1)");
  Exec(
      "UPDATE outbox_part SET state = 'sent', attempts = 1 WHERE id IN (SELECT id FROM "
      "outbox_part ORDER BY id LIMIT 1 OFFSET 1)");
  auto paused = broadcast::Pause(*db_, kBroadcaster, b.id, kNoon + 2);
  ASSERT_TRUE(paused.ok());
  EXPECT_EQ(paused.value().state, State::kPaused);
  EXPECT_EQ(Int("SELECT count(*) FROM outbox_message"), 2);  // the claimed ones stay
  EXPECT_EQ(Int("SELECT count(*) FROM broadcast_recipient WHERE state = 'planned'"), 28);
  EXPECT_EQ(Send(b, kNoon + 3).queued, 0);  // paused: nothing goes
  // Resuming is a manager's decision, like the approval.
  EXPECT_EQ(broadcast::Resume(*db_, kBroadcaster, b.id, kNoon + 4).error().code,
            core::ErrorCode::kPermissionDenied);
  ASSERT_TRUE(broadcast::Resume(*db_, kManager, b.id, kNoon + 4).ok());
  b = broadcast::Load(*db_, kManager, b.id).value();
  EXPECT_EQ(b.state, State::kSending);
  EXPECT_EQ(Send(b, kNoon + 5).queued, 8);  // a full backlog again (in flight is not queued)
  auto cancelled = broadcast::Cancel(*db_, kManager, b.id, kNoon + 6);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(Int("SELECT count(*) FROM outbox_message"), 2);
  EXPECT_EQ(Int("SELECT count(*) FROM broadcast_recipient WHERE state = 'cancelled'"), 28);
  EXPECT_EQ(broadcast::Resume(*db_, kManager, b.id, kNoon + 7).error().code,
            core::ErrorCode::kConflict);
}

TEST_F(BroadcastStoreTest, ResendGoesOnlyToTheFailedUnderANewKey) {
  Ticket("ADU-1", Citizen("tg:1", "telegram:bot"), 0, 0, "32.06.05.2002");
  Ticket("ADU-2", Citizen("tg:2", "telegram:bot"), 0, 0, "32.06.05.2002");
  auto b = Planned({{"source", "tickets"}, {"region", "32.06"}});
  EXPECT_EQ(Send(b, kNoon).queued, 2);
  Exec(
      "UPDATE outbox_part SET state = 'sent', attempts = 1 WHERE id = (SELECT min(id) FROM "
      "outbox_part)");
  Exec(
      "UPDATE outbox_part SET state = 'failed', attempts = 1 WHERE id = (SELECT max(id) FROM "
      "outbox_part)");
  EXPECT_TRUE(Send(b, kNoon + 1).done);
  // Only a manager.
  EXPECT_EQ(broadcast::ResendFailed(*db_, kBroadcaster, b.id, kNoon + 2).error().code,
            core::ErrorCode::kPermissionDenied);
  auto again = broadcast::ResendFailed(*db_, kManager, b.id, kNoon + 2);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again.value().state, State::kSending);
  EXPECT_EQ(Send(again.value(), kNoon + 3).queued, 1);
  EXPECT_EQ(Int("SELECT count(*) FROM outbox_message WHERE message_key LIKE '%-r1'"), 1);
  EXPECT_EQ(Text("SELECT address FROM outbox_message WHERE message_key LIKE '%-r1'"), "tg:2");
}

TEST_F(BroadcastStoreTest, AnUploadIsValidatedWithARejectReport) {
  auto b = Draft({{"source", "upload"}, {"region", "32.06"}});
  const std::string csv =
      "nama,telepon\n"
      "Siti,0812-3456-7001\n"
      "Budi,+62 812 3456 7002\n"
      "Siti lagi,6281234567001\n"
      "Salah,12ab\n"
      "\n"
      "Indosat,085612345678\n";
  auto r = broadcast::Upload(*db_, kBroadcaster, b.id, csv, kNoon);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().accepted, 3);
  EXPECT_EQ(r.value().duplicates, 1);
  ASSERT_EQ(r.value().rejected.size(), 1u);
  EXPECT_EQ(r.value().rejected[0].line, 5);
  EXPECT_EQ(r.value().rejected[0].reason, "not_a_phone_number");
  // A known citizen who opted out is excluded; unknown numbers go by SMS on their route.
  Citizen("6281234567002", "kannel:shared");
  ASSERT_TRUE(citizens::MarkOptedOut(*db_, "6281234567002", kNoon).ok());
  auto preview = broadcast::Preview(*db_, kBroadcaster, b.id, policy_, kNoon);
  ASSERT_TRUE(preview.ok()) << preview.error().message;
  EXPECT_EQ(preview.value()["households"], 3);
  EXPECT_EQ(preview.value()["reached"], 2);
  EXPECT_EQ(preview.value()["excluded"]["opted_out"], 1);
  std::map<std::string, std::int64_t> parts;
  for (const auto& c : preview.value()["channels"]) parts[c["channel"]] = c["households"];
  EXPECT_EQ(parts["kannel:tsel"], 1);    // 0812: Telkomsel, on-net
  EXPECT_EQ(parts["kannel:shared"], 1);  // 0856: Indosat, shared
  EXPECT_GT(preview.value()["cost"].get<std::int64_t>(), 0);
  EXPECT_GT(preview.value()["finish_at_ms"].get<std::int64_t>(), kNoon);
}

TEST_F(BroadcastStoreTest, RetentionKeepsTheOutcomesWithoutTheNumbers) {
  auto b = Draft({{"source", "upload"}, {"region", "32.06"}});
  ASSERT_TRUE(
      broadcast::Upload(*db_, kBroadcaster, b.id, "081234567001\n085612345678\n", kNoon).ok());
  ASSERT_TRUE(broadcast::Preview(*db_, kBroadcaster, b.id, policy_, kNoon).ok());
  b = broadcast::Load(*db_, kBroadcaster, b.id).value();
  ASSERT_TRUE(broadcast::Approve(*db_, kManager, b.id, b.revision, false, kNoon).ok());
  ASSERT_TRUE(broadcast::BeginPlanning(*db_, b.id, kNoon).value());
  auto a = broadcast::ResolveAudience(*db_, b.audience, b.id, policy_.delivery, kNoon).value();
  ASSERT_TRUE(broadcast::WritePlan(*db_, b.id, a, 0, 10, true, kNoon).ok());
  b = broadcast::Load(*db_, kBroadcaster, b.id).value();
  EXPECT_EQ(Send(b, kNoon).queued, 2);
  Exec("UPDATE outbox_part SET state = 'sent', attempts = 1");
  EXPECT_EQ(Int("SELECT count(*) FROM broadcast_recipient WHERE household LIKE 'phone:62%'"), 2);
  // 91 days later the outbox texts and addresses go (retention.outbox_text_days = 90), and
  // with them the numbers in the broadcast's rows.
  privacy::Retention retention;
  const privacy::RunBatch run = [&](const privacy::Batch& batch) { return batch(*db_); };
  ASSERT_TRUE(privacy::Purge(run, retention, kNoon + 91 * 24 * kHour, "test").ok());
  EXPECT_EQ(Int("SELECT count(*) FROM broadcast_recipient WHERE address <> '' OR household LIKE "
                "'phone:62%'"),
            0);
  core::Status error;
  const json progress = broadcast::Progress(*db_, b, policy_, kNoon + 91 * 24 * kHour, &error);
  EXPECT_EQ(progress["total"]["sent"], 2);
}

}  // namespace
}  // namespace satupintu::testing
