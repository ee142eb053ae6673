// The back office end to end on the real binary: a facilitator's SMS command arrives as a
// Kannel MO, the ticket moves, and the citizen who wrote on Telegram receives the notice
// through the fake Bot API.

#include <gtest/gtest.h>

#include <thread>

#include "citizens/citizens.hpp"
#include "core/clock.hpp"
#include "core/key_file.hpp"
#include "fakes/fake_bot_api.hpp"
#include "gateway_harness.hpp"
#include "schema/schema.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"
#include "tickets/tickets.hpp"
#include "users/users.hpp"

namespace satupintu::testing {
namespace {

using namespace std::chrono_literals;

constexpr char kOfficer[] = "6281299990011";
constexpr char kSecret[] = "mo-secret";

// The store as the office left it before the gateway starts: an officer with a phone, a
// citizen on Telegram and their ticket. Returns the ticket code.
std::string Prepare(const TempDir& dir) {
  auto db = storage::Db::Open(dir.File("satupintu.db"), false);
  EXPECT_TRUE(db.ok());
  if (!db.ok()) return "";
  auto& d = *db.value();
  EXPECT_TRUE(storage::ApplyMigrations(d, schema::Migrations()).ok());
  auto key = core::LoadOrCreateKeyFile(dir.File("users.key"), true, "users key");
  EXPECT_TRUE(key.ok());
  users::NewUser u;
  u.username = "siti";
  u.display_name = "Siti";
  u.role = "facilitator";
  u.region = "32.06.05.2002";
  u.phone = kOfficer;
  EXPECT_TRUE(users::Create(d, u, key.value(), core::NowMs()).ok());
  auto citizen = citizens::TouchInbound(d, "tg:777001", "telegram:tg", core::NowMs());
  EXPECT_TRUE(citizen.ok());
  tickets::NewTicket t;
  t.citizen_id = citizen.value();
  t.channel = "telegram:tg";
  t.category = "pkh";
  t.village_code = "32.06.05.2002";
  t.description = "PKH belum cair";
  auto code = tickets::Open(d, t, core::NowMs(), [] { return std::string("7K3M9Q"); });
  EXPECT_TRUE(code.ok());
  return code.ok() ? code.value() : "";
}

std::string Mo(const std::string& text, int id) {
  std::string escaped;
  for (char c : text) escaped += c == ' ' ? std::string("+") : std::string(1, c);
  return "/kannel/dinsos/mo?from=%2B" + std::string(kOfficer) +
         "&to=6281100000000&text=" + escaped +
         "&coding=0&charset=UTF-8&ts=1763794800&id=" + std::to_string(id) +
         "&smsc=modem1&secret=" + kSecret;
}

TEST(BackofficeProcessTest, AnOfficersSmsCommandReachesTheCitizenOnTelegram) {
  fakes::FakeBotApi bot;
  TempDir dir;
  const std::string code = Prepare(dir);
  ASSERT_FALSE(code.empty());
  json patch = {
      {"channels",
       {{"telegram",
         {{{"name", "tg"},
           {"base_url", bot.BaseUrl()},
           {"bot_token", {{"env", "SATUPINTU_TEST_TG_TOKEN"}}},
           {"secret_token", {{"env", "SATUPINTU_TEST_TG_SECRET"}}}}}},
        // The officer's reply fails: nothing listens on port 9.
        {"kannel", json::array({KannelTestChannel("http://127.0.0.1:9/cgi-bin/sendsms")})}}}};
  Gateway gw =
      StartGateway(dir, ConfigWith(dir, patch), "gw",
                   {"SATUPINTU_TEST_TG_TOKEN=" + bot.config().token,
                    "SATUPINTU_TEST_TG_SECRET=tg-secret", "SATUPINTU_TEST_KANNEL_PASSWORD=pw",
                    std::string("SATUPINTU_TEST_KANNEL_SECRET=") + kSecret});
  ASSERT_EQ(Get(gw.ports.private_port, Mo("KLAIM " + code, 1)).status, 200);
  ASSERT_EQ(Get(gw.ports.private_port, Mo("verif#" + code.substr(0, 3) + code.substr(4), 2)).status,
            200);
  const std::string want = "Tiket " + code + ": status sekarang Diproses.";
  bool received = false;
  const auto until = std::chrono::steady_clock::now() + 15s;
  while (!received && std::chrono::steady_clock::now() < until) {
    for (const auto& r : bot.Requests()) {
      if (r.target.find("/sendMessage") == std::string::npos) continue;
      auto body = json::parse(r.body, nullptr, false);
      if (body.is_object() && body.value("text", "").rfind(want, 0) == 0 &&
          body.dump().find("777001") != std::string::npos) {
        received = true;
      }
    }
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(received) << gw.Log();
  EXPECT_EQ(StopGateway(gw), 0);
  // The log says nothing of the officer's or the citizen's number.
  EXPECT_EQ(gw.Log().find(kOfficer), std::string::npos);
}

}  // namespace
}  // namespace satupintu::testing
