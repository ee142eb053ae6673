#pragma once
// A citizen on Telegram for tests that run the real binary with the fake Bot API: writes
// through the gateway's real webhook and reads what the gateway sent back to their chat.

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "fakes/fake_bot_api.hpp"
#include "gateway_harness.hpp"

namespace satupintu::testing {

// The texts of the messages the fake Bot API accepted for `chat`, in arrival order.
inline std::vector<std::string> SentTo(const fakes::FakeBotApi& bot, const std::string& chat) {
  std::vector<std::string> texts;
  for (const auto& r : bot.Requests()) {
    if (r.target.find("/sendMessage") == std::string::npos) continue;
    auto body = json::parse(r.body, nullptr, false);
    if (!body.is_object() || !body.contains("chat_id")) continue;
    const json& id = body["chat_id"];
    const std::string to = id.is_string() ? id.get<std::string>() : id.dump();
    if (to == chat) texts.push_back(body.value("text", ""));
  }
  return texts;
}

inline std::string Joined(const std::vector<std::string>& texts, std::size_t from = 0) {
  std::string out;
  for (std::size_t i = from; i < texts.size(); ++i) out += "\n  " + texts[i];
  return out;
}

class TelegramCitizen {
 public:
  // `secret`: the channel's webhook secret token; the channel is "tg".
  TelegramCitizen(const Gateway& gw, const fakes::FakeBotApi& bot, std::int64_t chat_id,
                  std::string first_name, std::string secret, std::int64_t first_update = 9001)
      : gw_(gw),
        bot_(bot),
        chat_id_(chat_id),
        first_name_(std::move(first_name)),
        secret_(std::move(secret)),
        next_id_(first_update) {}

  std::string Chat() const { return std::to_string(chat_id_); }

  // Sends `text`; returns the replies it got, joined ("" when none came within 10 s).
  std::string Say(const std::string& text) {
    using namespace std::chrono_literals;
    const std::size_t before = SentTo(bot_, Chat()).size();
    const json from = {
        {"id", chat_id_}, {"is_bot", false}, {"first_name", first_name_}, {"language_code", "id"}};
    const json message = {{"message_id", next_id_},
                          {"from", from},
                          {"chat", {{"id", chat_id_}, {"type", "private"}}},
                          {"date", core::NowMs() / 1000},
                          {"text", text}};
    const json update = {{"update_id", next_id_++}, {"message", message}};
    RequestOptions o;
    o.tls = true;
    o.method = "POST";
    o.target = "/webhooks/telegram/tg";
    o.body = update.dump();
    o.headers = {{"Content-Type", "application/json"},
                 {"X-Telegram-Bot-Api-Secret-Token", secret_}};
    const ClientResponse r = Send(gw_.ports.public_port, o);
    if (r.status != 200) return "HTTP " + std::to_string(r.status);
    for (const auto until = std::chrono::steady_clock::now() + 10s;
         std::chrono::steady_clock::now() < until;) {
      if (SentTo(bot_, Chat()).size() > before) {
        std::this_thread::sleep_for(300ms);  // the rest of a reply in several messages
        return Joined(SentTo(bot_, Chat()), before);
      }
      std::this_thread::sleep_for(50ms);
    }
    return "";
  }

 private:
  const Gateway& gw_;
  const fakes::FakeBotApi& bot_;
  std::int64_t chat_id_;
  std::string first_name_;
  std::string secret_;
  std::int64_t next_id_;
};

}  // namespace satupintu::testing
