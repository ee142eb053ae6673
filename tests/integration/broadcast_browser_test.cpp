// The broadcasts page in headless Chromium against the real binary (issue 20):
// tests/browser/broadcast.mjs has a broadcaster compose a broadcast to the citizens with
// tickets in the regency (first with a link the content check refuses, then fixed), save and
// preview it, and a manager approve it and follow it to the end through the page only. Two
// citizens filed their complaints on Telegram through the real webhook and dialogs; this test
// then checks that each received the broadcast exactly once, greeted by their own first name
// and village, and that the store says who composed and who approved.

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

constexpr char kPassword[] = "teh-manis-2025";
constexpr char kTgSecret[] = "tg-secret";
constexpr char kOffice[] = "Dinas Sosial Kabupaten Tasikmalaya";
// What the broadcaster types: first with a link outside the official domains (go.id), then
// the same text with the office's own site.
const std::string kBadText = std::string("Yth. {nama} di Desa {desa}: pencairan PKH tahap 4 ") +
                             "mulai 10 Desember. Cek jadwal di https://pkh-cair.com/jadwal. " +
                             kOffice;
const std::string kText = std::string("Yth. {nama} di Desa {desa}: pencairan PKH tahap 4 ") +
                          "mulai 10 Desember. Cek jadwal di dinsos.tasikmalayakab.go.id. " +
                          kOffice;
const std::string kRegions = ::satupintu::testing::RegionsDataDir();

struct Person {
  std::int64_t chat;
  std::string first_name;
  std::string nik;
  std::string full_name;
  std::string village;  // as typed and as the region tree names it
};

const std::vector<Person> kCitizens = {
    {777101, "Siti", "3206014508850003", "Siti Aminah", "Cilumba"},
    {777102, "Budi", "3206011203800004", "Budi Santoso", "Cipatujah"},
};

// The JSON line the script printed (the last line with "ok").
json ScriptResult(const std::string& output) {
  json result;
  for (std::size_t start = 0, end; start < output.size(); start = end + 1) {
    end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    auto line = json::parse(output.substr(start, end - start), nullptr, false);
    if (line.is_object() && line.contains("ok")) result = line;
  }
  return result;
}

TEST(BroadcastBrowserTest, TheManagerApprovesWhatTheBroadcasterComposedAndEachCitizenGetsItOnce) {
  TempDir dir;
  // Like browser_tests: a missing tool fails the test (a skipped test passes unnoticed).
  const std::string missing = MissingBrowserTools(dir);
  ASSERT_TRUE(missing.empty()) << missing;

  fakes::BotApiConfig bot_config;
  bot_config.per_chat_per_second = 1000;  // every message accepted at the first try
  bot_config.per_chat_burst = 1000;
  fakes::FakeBotApi bot(bot_config);
  const json patch = {
      {"regions", {{"data_dir", kRegions}, {"home_regency", "32.06"}}},
      {"channels",
       {{"telegram",
         {{{"name", "tg"},
           {"base_url", bot.BaseUrl()},
           {"bot_token", {{"env", "SATUPINTU_TEST_TG_TOKEN"}}},
           {"secret_token", {{"env", "SATUPINTU_TEST_TG_SECRET"}}}}}}}},
      {"broadcast", {{"office_names", json::array({kOffice})}, {"interval_ms", 200}}}};
  const std::string config = ConfigWith(dir, patch);
  WriteFile(dir.File("cli.json"), config);
  const std::vector<std::string> env = {"SATUPINTU_TEST_TG_TOKEN=" + bot.config().token,
                                        std::string("SATUPINTU_TEST_TG_SECRET=") + kTgSecret};
  ASSERT_EQ(RunCli(dir, "regions import"), 0) << ReadFile(dir.File("cli.out"));
  ASSERT_EQ(AddUser(dir, "wulan", "broadcaster", "32.06", kPassword), 0)
      << ReadFile(dir.File("cli.out"));
  ASSERT_EQ(AddUser(dir, "hendra", "manager", "32.06", kPassword), 0)
      << ReadFile(dir.File("cli.out"));
  Gateway gw = StartGateway(dir, config, "gw", env);
  ASSERT_NE(gw.ports.public_port, 0) << gw.Log();

  // Each citizen files a complaint through the dialogs: a ticket in their village.
  std::vector<std::size_t> dialog_sizes;
  for (std::size_t i = 0; i < kCitizens.size(); ++i) {
    const Person& p = kCitizens[i];
    TelegramCitizen citizen(gw, bot, p.chat, p.first_name, kTgSecret,
                            9001 + 100 * static_cast<std::int64_t>(i));
    for (const auto& [says, reply] : std::vector<std::pair<std::string, std::string>>{
             {"halo", "Layanan SLRT"},
             {"1", "Soal apa?"},
             {"1", "Kirim NIK Anda"},
             {p.nik, "Tulis nama lengkap"},
             {p.full_name, "Tulis nama desa"},
             {p.village, "Ceritakan masalah"},
             {"PKH saya belum cair sejak Maret", "Pengaduan PKH, " + p.village},
             {"ya", "Pengaduan diterima. Nomor tiket: ADU-"}}) {
      const std::string got = citizen.Say(says);
      ASSERT_NE(got.find(reply), std::string::npos) << p.first_name << ": " << says << " ->" << got;
    }
    dialog_sizes.push_back(SentTo(bot, citizen.Chat()).size());
  }

  Child node({"/usr/bin/env",
              "node",
              ::satupintu::testing::SourcePath("tests/browser/broadcast.mjs"),
              "--base-url",
              "https://127.0.0.1:" + std::to_string(gw.ports.public_port),
              "--username",
              "wulan",
              "--password",
              kPassword,
              "--manager",
              std::string("hendra:") + kPassword,
              "--title",
              "Jadwal pencairan PKH",
              "--bad-text",
              kBadText,
              "--text",
              kText,
              "--region",
              "32.06",
              "--chromium",
              "/usr/bin/chromium",
              "--artifacts",
              dir.File("artifacts")},
             dir.File("broadcast.out"));
  const int exit_code = node.Wait(200s);
  const std::string output = ReadFile(dir.File("broadcast.out"));
  ASSERT_EQ(exit_code, 0) << output << "\n--- gateway log ---\n" << gw.Log();
  const json result = ScriptResult(output);
  ASSERT_TRUE(result.is_object()) << output;
  std::printf("broadcast.mjs: %s\n", result.dump().c_str());

  // The page explained the refused link and counted the SMS as the broadcaster typed.
  const json& bad = result["bad"];
  ASSERT_FALSE(bad["problems"].empty()) << bad;
  EXPECT_EQ(bad["problems"][0].value("kind", ""), "link_not_official") << bad;
  EXPECT_NE(bad["problems"][0].value("text", "").find("pkh-cair.com"), std::string::npos) << bad;
  EXPECT_EQ(bad["problems"].size(), 1u) << bad;
  EXPECT_GE(bad.value("segments", 0), 1) << bad;
  EXPECT_NE(bad.value("segments_text", "").find("SMS"), std::string::npos) << bad;
  const json& good = result["good"];
  EXPECT_TRUE(good.value("ok", false)) << good;
  EXPECT_TRUE(good["problems"].empty()) << good;
  EXPECT_EQ(good.value("segments", 0), 2) << good;  // about 170 characters after the samples
  EXPECT_FALSE(good.value("ucs2", true)) << good;
  EXPECT_NE(good.value("sample", "").find("Sriwahyuningsih"), std::string::npos) << good;
  // Typed key by key, the text was checked after pauses, not at every key.
  EXPECT_GE(result["typed"].value("checks", 0), 1) << result["typed"];
  EXPECT_LT(result["typed"].value("checks", 0) * 10, result["typed"].value("keys", 0))
      << result["typed"];

  // The preview before the approval; the author had no approve button; the bar filled.
  EXPECT_EQ(result["preview"].value("households", 0), 2) << result["preview"];
  EXPECT_EQ(result["preview"].value("reached", 0), 2) << result["preview"];
  EXPECT_TRUE(result["preview"]["blockers"].empty()) << result["preview"];
  EXPECT_FALSE(result.value("author_can_approve", true));
  EXPECT_EQ(result.value("approved_by", ""), "hendra");
  const json& progress = result["progress"];
  EXPECT_EQ(progress.value("households", 0), 2) << progress;
  EXPECT_EQ(progress.value("sent", 0), 2) << progress;
  EXPECT_EQ(progress.value("failed", -1), 0) << progress;
  EXPECT_EQ(progress.value("value", 0), progress.value("max", -1)) << progress;
  EXPECT_GE(result.value("polls", 0), 1) << "the page followed the sending";
  ASSERT_EQ(result["recipients"].size(), 2u) << result["recipients"];
  for (const auto& r : result["recipients"]) {
    EXPECT_EQ(r.value("state", ""), "sent") << r;
    EXPECT_EQ(r.value("channel", ""), "telegram:tg") << r;
    EXPECT_EQ(r.value("address", "").find("7771"), std::string::npos) << "masked: " << r;
  }
  EXPECT_EQ(result["report"].value("rows", 0), 2) << result["report"];

  // Each citizen received the broadcast once, greeted by name and village, after the dialog.
  for (std::size_t i = 0; i < kCitizens.size(); ++i) {
    const Person& p = kCitizens[i];
    const std::string chat = std::to_string(p.chat);
    std::vector<std::string> got;
    for (const auto until = std::chrono::steady_clock::now() + 10s;
         std::chrono::steady_clock::now() < until && got.size() <= dialog_sizes[i];) {
      got = SentTo(bot, chat);
      std::this_thread::sleep_for(100ms);
    }
    std::this_thread::sleep_for(1s);  // a second copy would have arrived by now
    got = SentTo(bot, chat);
    ASSERT_EQ(got.size(), dialog_sizes[i] + 1) << p.first_name << ":" << Joined(got);
    EXPECT_EQ(got.back(), "Yth. " + p.first_name + " di Desa " + p.village +
                              ": pencairan PKH tahap 4 mulai 10 Desember. Cek jadwal di "
                              "dinsos.tasikmalayakab.go.id. " +
                              kOffice)
        << p.first_name;
  }

  // The store: composed by the broadcaster, approved by the manager, both audited.
  SqliteFile store(dir.File("satupintu.db"));
  ASSERT_TRUE(store.IsOpen()) << store.LastError();
  const std::string id = result.value("id", "");
  const std::int64_t wulan = store.Int("SELECT id FROM app_user WHERE username = 'wulan'");
  const std::int64_t hendra = store.Int("SELECT id FROM app_user WHERE username = 'hendra'");
  EXPECT_EQ(store.Int("SELECT author FROM broadcast WHERE id = ?", id), wulan);
  EXPECT_EQ(store.Int("SELECT approver FROM broadcast WHERE id = ?", id), hendra);
  EXPECT_EQ(store.Text("SELECT state FROM broadcast WHERE id = ?", id), "done");
  EXPECT_EQ(store.Int("SELECT COUNT(*) FROM audit_log WHERE action = 'broadcast.approve' AND "
                      "object = ? AND outcome = 'ok' AND actor = 'user:' || ?",
                      "broadcast:" + id, std::to_string(hendra)),
            1)
      << store.LastError();
  EXPECT_EQ(store.Int("SELECT COUNT(*) FROM audit_log WHERE action = 'broadcast.recipients' AND "
                      "object = ?",
                      "broadcast:" + id),
            1)
      << "the recipients list is read once, when asked for";

  EXPECT_EQ(StopGateway(gw), 0);
  for (const auto& p : kCitizens) {
    EXPECT_EQ(gw.Log().find(std::to_string(p.chat)), std::string::npos) << "no chat id in the log";
    EXPECT_EQ(gw.Log().find(p.full_name), std::string::npos) << "no name in the log";
  }
}

}  // namespace
}  // namespace satupintu::testing
