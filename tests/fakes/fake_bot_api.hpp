#pragma once
// A fake Telegram Bot API for outbound sender tests: POST /bot<token>/sendMessage,
// /answerCallbackQuery and /setWebhook with JSON bodies, Telegram-shaped errors, the overall and
// per-chat flood limits (429 with retry_after), blocked chats (403) and scripted failures.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "fakes/fake_server.hpp"
#include "fakes/token_bucket.hpp"

namespace satupintu::testing::fakes {

struct BotApiConfig {
  std::string token = "123456789:AAFakeTokenForTests_only-x";
  std::int64_t bot_id = 123456789;
  std::string bot_username = "satupintu_fake_bot";
  // Soft limits Telegram documents: about 30 messages/s overall, 1/s per chat.
  double global_per_second = 30;
  double global_burst = 30;
  double per_chat_per_second = 1;
  double per_chat_burst = 1;
};

struct WebhookRegistration {
  std::string url;
  std::string secret_token;
};

class FakeBotApi {
 public:
  explicit FakeBotApi(BotApiConfig config = {});
  ~FakeBotApi();

  std::uint16_t port() const { return server_->port(); }
  std::string BaseUrl() const { return server_->BaseUrl(); }
  // "/bot<token>/<method>" with the configured token.
  std::string MethodPath(const std::string& method) const;
  const BotApiConfig& config() const { return config_; }

  void SetClock(Clock clock);
  // chat_id as Telegram has it: a number, or "@channelname" for channels.
  void Block(const std::string& chat_id);
  void Block(std::int64_t chat_id) { Block(std::to_string(chat_id)); }
  void Unblock(const std::string& chat_id);

  // Scripts for the next `times` requests: 500/502/... with a Telegram error body.
  void ScriptHttpStatus(int status, int times = 1);
  void Script(const FakeResponse& response, int times = 1) { server_->Script(response, times); }
  bool AllScriptsUsed() const { return server_->AllScriptsUsed(); }

  FakeCounters Counters() const;  // per_recipient is keyed by chat_id
  std::vector<WebhookRegistration> WebhookRegistrations() const;
  std::vector<std::string> AnsweredCallbackQueries() const;
  std::vector<RecordedRequest> Requests() const { return server_->Requests(); }
  bool WaitForRequests(std::size_t count, std::chrono::milliseconds timeout) const {
    return server_->WaitForRequests(count, timeout);
  }
  void Stop() { server_->Stop(); }

 private:
  FakeResponse Handle(const RecordedRequest& request);
  // These expect mutex_ held.
  FakeResponse SendMessageLocked(const std::string& body);
  FakeResponse AnswerCallbackQueryLocked(const std::string& body);
  FakeResponse SetWebhookLocked(const std::string& body);

  const BotApiConfig config_;
  mutable std::mutex mutex_;
  Clock clock_;
  TokenBucket global_;
  std::map<std::string, TokenBucket> per_chat_;
  std::map<std::string, std::int64_t> next_message_id_;
  std::set<std::string> blocked_;
  std::vector<WebhookRegistration> webhooks_;
  std::vector<std::string> answered_;
  FakeCounters counters_;
  std::unique_ptr<FakeServer> server_;  // last: destroyed (stopped) before the state it uses
};

}  // namespace satupintu::testing::fakes
