// Channels independent, citizens fair (issue 19 item 1), on the real binary: a Kannel channel
// paced at 8 SMS a minute with a backlog, or whose smsbox hangs, next to a Telegram channel
// whose replies must not wait for it; and a number with many replies queued on the paced SMS
// channel that must not hold back another citizen's first reply. The Kannel peer is faked at
// HTTP level (sendsms answers "0: Accepted for delivery"); Telegram is the fake Bot API.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include "fakes/fake_bot_api.hpp"
#include "fakes/fake_smsbox.hpp"
#include "gateway_harness.hpp"

namespace satupintu::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kTgSecret = "tg-secret_42";

std::string Config(const TempDir& dir, const fakes::FakeBotApi& bot,
                   const fakes::FakeSmsbox& smsbox, int sms_timeout_ms = 10'000) {
  json patch = {{"channels",
                 {{"telegram",
                   {{{"name", "tg"},
                     {"base_url", bot.BaseUrl()},
                     {"bot_token", {{"env", "SATUPINTU_TEST_TG_TOKEN"}}},
                     {"secret_token", {{"env", "SATUPINTU_TEST_TG_SECRET"}}},
                     {"send", {{"timeout_ms", 2000}}}}}},
                  {"kannel", json::array({KannelTestChannel(smsbox.SendsmsUrl())})}}}};
  patch["channels"]["kannel"][0]["send"] = {
      {"rate_per_minute", 8}, {"burst", 2}, {"timeout_ms", sms_timeout_ms}};
  return ConfigWith(dir, patch);
}

std::vector<std::string> Env(const fakes::FakeBotApi& bot) {
  return {"SATUPINTU_TEST_TG_TOKEN=" + bot.config().token,
          std::string("SATUPINTU_TEST_TG_SECRET=") + kTgSecret,
          "SATUPINTU_TEST_KANNEL_PASSWORD=kannel-pass",
          "SATUPINTU_TEST_KANNEL_SECRET=kannelsecret"};
}

ClientResponse Enqueue(std::uint16_t port, const std::string& key, const std::string& channel,
                       const std::string& address, const std::string& text) {
  return Post(
      port, "/diag/outbox",
      json{{"key", key}, {"channel", channel}, {"address", address}, {"text", text}}.dump());
}

// When the fake Bot API got a sendMessage for `chat` (nullopt: not yet).
std::optional<Clock::time_point> ArrivedFor(const fakes::FakeBotApi& bot, std::int64_t chat) {
  const std::string needle = "\"chat_id\":" + std::to_string(chat);
  for (const auto& r : bot.Requests()) {
    if (r.body.find(needle) != std::string::npos) return r.arrived;
  }
  return std::nullopt;
}

int CountFor(const fakes::FakeBotApi& bot, std::int64_t chat) {
  const std::string needle = "\"chat_id\":" + std::to_string(chat);
  int n = 0;
  for (const auto& r : bot.Requests()) n += r.body.find(needle) != std::string::npos;
  return n;
}

// 20 Telegram replies to distinct chats, one every 150 ms, while the SMS channel is busy; each
// reply's latency from its enqueue's answer to the fake Bot API. Every one must arrive within
// `bound`, exactly once.
void ExpectTelegramUnaffected(const Gateway& gw, const fakes::FakeBotApi& bot,
                              std::chrono::milliseconds bound) {
  constexpr int kReplies = 20;
  std::vector<Clock::time_point> enqueued;
  for (int i = 0; i < kReplies; ++i) {
    ASSERT_EQ(Enqueue(gw.ports.private_port, "tg-" + std::to_string(i), "telegram:tg",
                      "tg:" + std::to_string(880000 + i), "Pengaduan Anda diterima.")
                  .status,
              202);
    enqueued.push_back(Clock::now());
    std::this_thread::sleep_for(150ms);
  }
  std::vector<double> latency_ms;
  const auto deadline = Clock::now() + bound + 10s;
  for (int i = 0; i < kReplies; ++i) {
    std::optional<Clock::time_point> at;
    while (!(at = ArrivedFor(bot, 880000 + i)) && Clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
    }
    ASSERT_TRUE(at.has_value()) << "reply " << i << " never reached the Bot API";
    latency_ms.push_back(std::chrono::duration<double, std::milli>(*at - enqueued[i]).count());
    EXPECT_LE(latency_ms.back(), static_cast<double>(bound.count())) << "reply " << i;
  }
  for (int i = 0; i < kReplies; ++i) EXPECT_EQ(CountFor(bot, 880000 + i), 1) << "reply " << i;
  std::sort(latency_ms.begin(), latency_ms.end());
  std::printf("telegram reply latency ms: p50 %.0f max %.0f\n", latency_ms[kReplies / 2],
              latency_ms.back());
}

TEST(ChannelIndependenceTest, PacedSmsBacklogDoesNotDelayTelegramReplies) {
  fakes::BotApiConfig tg;
  tg.global_per_second = 0;  // limits lifted: only our sender's pacing counts
  tg.per_chat_per_second = 0;
  fakes::FakeBotApi bot(tg);
  fakes::FakeSmsbox smsbox;
  TempDir dir;
  Gateway gw = StartGateway(dir, Config(dir, bot, smsbox), "gw", Env(bot));
  ASSERT_NE(gw.ports.private_port, 0) << gw.Log();

  // A backlog of 100 SMS replies on a channel paced at 8 a minute (over 12 minutes' worth).
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(Enqueue(gw.ports.private_port, "sms-" + std::to_string(i), "kannel:dinsos",
                      std::to_string(6281200000000 + i % 10), "Balasan " + std::to_string(i))
                  .status,
              202);
  }
  ASSERT_TRUE(smsbox.server().WaitForRequests(2, 10s));
  ExpectTelegramUnaffected(gw, bot, 3s);
  // The pacer holds: at most the burst and what 8 a minute adds in this short run.
  EXPECT_LE(smsbox.server().RequestCount(), 6u);
  EXPECT_EQ(StopGateway(gw), 0);
}

TEST(ChannelIndependenceTest, HangingSmsboxDoesNotDelayTelegramReplies) {
  fakes::BotApiConfig tg;
  tg.global_per_second = 0;
  tg.per_chat_per_second = 0;
  fakes::FakeBotApi bot(tg);
  // smsbox accepts the connection and answers only after 4 s, one request at a time: the
  // SMS channel's attempts time out (2 s) and back off while Telegram goes on.
  fakes::FakeSmsbox smsbox(4000ms);
  TempDir dir;
  Gateway gw = StartGateway(dir, Config(dir, bot, smsbox, 2000), "gw", Env(bot));
  ASSERT_NE(gw.ports.private_port, 0) << gw.Log();
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(Enqueue(gw.ports.private_port, "sms-" + std::to_string(i), "kannel:dinsos",
                      std::to_string(6281200000000 + i), "Balasan " + std::to_string(i))
                  .status,
              202);
  }
  ASSERT_TRUE(smsbox.server().WaitForRequests(1, 10s));
  ExpectTelegramUnaffected(gw, bot, 3s);
  smsbox.SetDelay(0ms);
  EXPECT_EQ(StopGateway(gw), 0);
}

// 24 replies queued for one number on the paced SMS channel, then one for another citizen:
// the second citizen's reply goes within one send slot of the flooding number's next one,
// not after all 24.
TEST(ChannelIndependenceTest, FloodingNumberDoesNotHoldBackAnotherCitizensReply) {
  fakes::FakeBotApi bot;
  fakes::FakeSmsbox smsbox;
  TempDir dir;
  Gateway gw = StartGateway(dir, Config(dir, bot, smsbox), "gw", Env(bot));
  ASSERT_NE(gw.ports.private_port, 0) << gw.Log();
  const std::string flooder = "6281211110000";
  const std::string other = "6281222220000";
  for (int i = 0; i < 24; ++i) {
    ASSERT_EQ(Enqueue(gw.ports.private_port, "flood-" + std::to_string(i), "kannel:dinsos", flooder,
                      "Balasan " + std::to_string(i))
                  .status,
              202);
  }
  ASSERT_EQ(Enqueue(gw.ports.private_port, "other-1", "kannel:dinsos", other, "Halo").status, 202);
  // Sends already made (or claimed for the next slot) when the other citizen's reply was
  // queued do not count: on a busy machine the 24 enqueues may span a slot or two.
  const auto sent_before = static_cast<long>(smsbox.Recipients().size());
  // 8 a minute with a burst of 2: a slot every 7.5 s. From when it was queued, the other
  // citizen's reply waits for at most the flooding number's part already claimed and one
  // more slot, not for all 24.
  const bool arrived = [&] {
    const auto until = Clock::now() + 40s;
    while (Clock::now() < until) {
      const auto r = smsbox.Recipients();
      if (std::find(r.begin(), r.end(), other) != r.end()) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }();
  const auto order = smsbox.Recipients();
  ASSERT_TRUE(arrived) << "after " << order.size() << " sends to the flooding number";
  const long position = std::find(order.begin(), order.end(), other) - order.begin();
  std::printf("second citizen's reply was send number %ld (%ld sends before it was queued)\n",
              position + 1, sent_before);
  EXPECT_LE(position - sent_before, 2);
  EXPECT_EQ(StopGateway(gw), 0);
}

}  // namespace
}  // namespace satupintu::testing
