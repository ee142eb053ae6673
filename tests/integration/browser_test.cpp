// The triage page in headless Chromium against the real binary: tests/browser/triage.mjs
// (playwright-core driving Debian's chromium) logs in as each office role and takes one
// ticket from received to closed through the page only. The citizen filed it on Telegram
// through the real webhook and dialogs; this test then checks what they received through the
// fake Bot API: one notice per citizen-visible change, in Indonesian, in order, then the
// survey - and never a note's text.

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "browser_tools.hpp"
#include "fakes/fake_bot_api.hpp"
#include "gateway_harness.hpp"
#include "paths/paths.hpp"
#include "telegram_citizen.hpp"

namespace satupintu::testing {
namespace {

using namespace std::chrono_literals;

constexpr char kVillage[] = "32.06.05.2002";  // Cilumba, Kec. Cikatomas
constexpr char kPassword[] = "kopi-tubruk-2025";
constexpr char kChat[] = "777001";
constexpr std::int64_t kChatId = 777001;
constexpr char kTgSecret[] = "tg-secret";
// Typed into the note field of every action the page takes: recorded in the history, never
// sent to the citizen.
constexpr char kNote[] = "catatan-internal-rumah-kosong";
// Sent to the citizen from the ticket view after the verification.
constexpr char kMessage[] = "Bu, mohon siapkan KK asli untuk kunjungan hari Kamis.";
const std::string kRegions = ::satupintu::testing::RegionsDataDir();

TEST(BrowserTest, TheTriagePageTakesATicketToClosedAndTheCitizenIsToldEachStep) {
  TempDir dir;
  const std::string missing = MissingBrowserTools(dir);
  ASSERT_TRUE(missing.empty()) << missing;

  fakes::BotApiConfig bot_config;
  bot_config.per_chat_per_second = 1000;  // every notice accepted at the first try
  bot_config.per_chat_burst = 1000;
  fakes::FakeBotApi bot(bot_config);
  // The region tree from the npm package (the dialogs find the citizen's village in it).
  const json patch = {{"regions", {{"data_dir", kRegions}, {"home_regency", "32.06"}}},
                      {"channels",
                       {{"telegram",
                         {{{"name", "tg"},
                           {"base_url", bot.BaseUrl()},
                           {"bot_token", {{"env", "SATUPINTU_TEST_TG_TOKEN"}}},
                           {"secret_token", {{"env", "SATUPINTU_TEST_TG_SECRET"}}}}}}}}};
  const std::string config = ConfigWith(dir, patch);
  WriteFile(dir.File("cli.json"), config);
  const std::vector<std::string> env = {"SATUPINTU_TEST_TG_TOKEN=" + bot.config().token,
                                        "SATUPINTU_TEST_TG_SECRET=tg-secret"};
  // Imported before the start (the gateway would import it at its first start, within the
  // start timeout).
  ASSERT_EQ(RunCli(dir, "regions import"), 0) << ReadFile(dir.File("cli.out"));
  for (const auto& [user, role, region] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"siti", "facilitator", kVillage},
           {"sari", "supervisor", "32.06.05"},
           {"fajar", "front_office", "32.06"},
           {"bayu", "back_office", "32.06"}}) {
    ASSERT_EQ(AddUser(dir, user, role, region, kPassword), 0) << ReadFile(dir.File("cli.out"));
  }
  Gateway gw = StartGateway(dir, config, "gw", env);
  ASSERT_NE(gw.ports.public_port, 0) << gw.Log();

  // The citizen files the complaint through the dialogs (no registry here: 8 messages).
  TelegramCitizen citizen(gw, bot, kChatId, "Siti", kTgSecret);
  for (const auto& [says, reply] : std::vector<std::pair<std::string, std::string>>{
           {"halo", "Layanan SLRT"},
           {"1", "Soal apa?"},
           {"1", "Kirim NIK Anda"},
           {"3206014508850003", "Tulis nama lengkap"},
           {"Siti Aminah", "Tulis nama desa"},
           {"cilumba", "Ceritakan masalah"},
           {"PKH saya belum cair sejak Maret", "Pengaduan PKH, Cilumba"},
           {"ya", "Pengaduan diterima. Nomor tiket: ADU-"}}) {
    const std::string got = citizen.Say(says);
    ASSERT_NE(got.find(reply), std::string::npos) << says << " ->" << got;
  }
  const std::vector<std::string> dialog = SentTo(bot, kChat);
  const std::string& filed = dialog.back();
  const std::size_t at = filed.find("ADU-");
  const std::string code = filed.substr(at, filed.find('.', at) - at);
  ASSERT_EQ(code.size(), 10u) << filed;

  const std::string who = std::string(":") + kPassword;
  Child node({"/usr/bin/env",
              "node",
              ::satupintu::testing::SourcePath("tests/browser/triage.mjs"),
              "--base-url",
              "https://127.0.0.1:" + std::to_string(gw.ports.public_port),
              "--username",
              "siti",
              "--password",
              kPassword,
              "--code",
              code,
              "--supervisor",
              "sari" + who,
              "--frontoffice",
              "fajar" + who,
              "--backoffice",
              "bayu" + who,
              "--programmes",
              "pkh,pbi_jk",
              "--note",
              kNote,
              "--message",
              kMessage,
              "--chromium",
              "/usr/bin/chromium",
              "--artifacts",
              dir.File("artifacts")},
             dir.File("triage.out"));
  const int exit_code = node.Wait(180s);
  const std::string output = ReadFile(dir.File("triage.out"));
  ASSERT_EQ(exit_code, 0) << output << "\n--- gateway log ---\n" << gw.Log();

  // The script's own account: each step by its role, the status after it.
  json result;
  for (std::size_t start = 0, end; start < output.size(); start = end + 1) {
    end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    auto line = json::parse(output.substr(start, end - start), nullptr, false);
    if (line.is_object() && line.contains("steps")) result = line;
  }
  ASSERT_TRUE(result.is_object()) << output;
  std::printf("triage.mjs: %s\n", result.dump().c_str());  // codes, steps and times only
  std::vector<std::string> statuses;
  for (const auto& s : result["steps"]) {
    statuses.push_back(s.value("who", "") + " " + s.value("action", "") + " -> " +
                       s.value("status", ""));
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{
                          "facilitator claim -> received", "facilitator prioritize -> received",
                          "facilitator verify -> verified", "facilitator message -> verified",
                          "supervisor forward -> forwarded", "frontoffice review -> reviewed",
                          "backoffice refer -> referred", "backoffice answer -> referred",
                          "backoffice answer -> referred", "backoffice resolve -> resolved",
                          "facilitator close -> closed"}))
      << output;

  // What the citizen received, in order: one notice per change they can see, then the survey.
  const std::string t = "Tiket " + code;
  const std::vector<std::string> want = {
      t + ": status sekarang Diproses.",
      "Pesan petugas ttg pengaduan " + code + ":\n" + kMessage + "\nBalas pesan ini",
      t + ": status sekarang Dirujuk.",
      t + ": rujukan Anda ke program PKH DITERIMA.",
      t + ": rujukan Anda ke program PBI-JK DITERIMA.",
      t + ": status sekarang Selesai ditangani.",
      t + " ditutup: masalah sudah diselesaikan. Terima kasih.",
      t + " sudah selesai. Seberapa puas Anda?",
  };
  std::vector<std::string> got;
  for (const auto until = std::chrono::steady_clock::now() + 30s;
       std::chrono::steady_clock::now() < until;) {
    got = SentTo(bot, kChat);
    got.erase(got.begin(), got.begin() + static_cast<std::ptrdiff_t>(dialog.size()));
    if (got.size() >= want.size()) break;
    std::this_thread::sleep_for(100ms);
  }
  std::this_thread::sleep_for(1s);  // anything more would have arrived by now
  got = SentTo(bot, kChat);
  got.erase(got.begin(), got.begin() + static_cast<std::ptrdiff_t>(dialog.size()));
  ASSERT_EQ(got.size(), want.size()) << Joined(got);
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].rfind(want[i], 0), 0u) << "message " << i << ":" << Joined(got);
  }
  EXPECT_EQ(bot.Counters().per_recipient[kChat].accepted,
            static_cast<int>(dialog.size() + want.size()));
  for (const auto& text : got) EXPECT_EQ(text.find(kNote), std::string::npos) << text;

  // The notes were really written: in the ticket's history, with their actions; and the fast
  // track chosen on the page (which the citizen is not told of) is the ticket's.
  SqliteFile store(dir.File("satupintu.db"));
  ASSERT_TRUE(store.IsOpen()) << store.LastError();
  EXPECT_EQ(store.Text("SELECT priority FROM ticket WHERE code = ?", code), "elderly");
  EXPECT_GE(store.Int("SELECT COUNT(*) FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id"
                      " WHERE t.code = ? AND e.detail LIKE '%' || ? || '%'",
                      code, kNote),
            10)
      << store.LastError();

  EXPECT_EQ(StopGateway(gw), 0);
  EXPECT_EQ(gw.Log().find(kChat), std::string::npos) << "no chat id in the log";
  EXPECT_EQ(gw.Log().find("Siti Aminah"), std::string::npos) << "no name in the log";
}

}  // namespace
}  // namespace satupintu::testing
