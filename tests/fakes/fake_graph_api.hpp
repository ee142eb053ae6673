#pragma once
// A fake WhatsApp Cloud API (Meta Graph API) send endpoint for outbound sender tests:
//   POST /{version}/{phone_number_id}/messages, Authorization: Bearer <token>
// with Graph-shaped errors, per-number throughput and per-recipient pair limits, the 24-hour
// customer-service window, scripted failures and signed status webhooks.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "fakes/fake_server.hpp"
#include "fakes/token_bucket.hpp"
#include "fakes/webhook_poster.hpp"

namespace satupintu::testing::fakes {

// Graph error codes the fake produces.
inline constexpr int kGraphAuthError = 190;
inline constexpr int kGraphInvalidParameter = 100;
inline constexpr int kGraphThroughput = 130429;
inline constexpr int kGraphPairLimit = 131056;
inline constexpr int kGraphReEngagement = 131047;

enum class AutoStatus { kNone, kSent, kSentDelivered };
// How free-form messages outside the 24-hour window fail: at once (400) or, as Meta often does,
// with 200 and a wamid followed by a `failed` status webhook.
enum class WindowFailure { kSync, kAsync };

struct GraphApiConfig {
  std::string phone_number_id = "106540352242922";
  std::string display_phone_number = "6281100000000";
  std::string waba_id = "102290129340398";
  std::string access_token = "fake-access-token";
  std::string app_secret = "fake-app-secret";
  // Per business number, all recipients together. Meta's default is 80/s.
  double throughput_per_second = 80;
  double throughput_burst = 80;
  // Per recipient: about one message per 6 s with short bursts. Zero interval: no pair limit.
  std::chrono::milliseconds pair_interval{6000};
  double pair_burst = 3;
  bool enforce_window = true;
  WindowFailure window_failure = WindowFailure::kSync;
  AutoStatus auto_status = AutoStatus::kNone;
  std::string callback_url;  // where status webhooks go; empty: none are sent
};

class FakeGraphApi {
 public:
  explicit FakeGraphApi(GraphApiConfig config = {});
  ~FakeGraphApi();

  std::uint16_t port() const { return server_->port(); }
  std::string BaseUrl() const { return server_->BaseUrl(); }
  // The path a sender should POST to, with the configured phone number id.
  std::string MessagesPath(const std::string& version = "v19.0") const;
  const GraphApiConfig& config() const { return config_; }

  // Runtime settings; safe to call while requests are in flight.
  void SetCallbackUrl(std::string url);
  void SetAutoStatus(AutoStatus mode);
  void SetWindowFailure(WindowFailure mode);
  void SetClock(Clock clock);
  // The recipient wrote to us just now: free-form messages are allowed for the next 24 h.
  void OpenWindow(const std::string& wa_id);
  void CloseWindow(const std::string& wa_id);

  // Scripts for the next `times` requests, whatever they carry.
  void ScriptHttpStatus(int status, int times = 1);  // 500, 503, ... with a Graph error body
  void ScriptTooManyRequests(int retry_after_seconds, int times = 1);  // 429 + Retry-After
  void ScriptError(int code, int http_status = 400, int times = 1);
  void Script(const FakeResponse& response, int times = 1) { server_->Script(response, times); }
  bool AllScriptsUsed() const { return server_->AllScriptsUsed(); }

  // Queues a status webhook for a wamid this fake issued ("sent", "delivered", "read",
  // "failed"); `error_code` adds an errors[] entry. False if the wamid is unknown or no
  // callback URL is set.
  bool PostStatus(const std::string& wamid, const std::string& status,
                  std::optional<int> error_code = std::nullopt);
  std::vector<WebhookDelivery> Webhooks() const { return poster_.Deliveries(); }
  bool WaitForWebhooks(std::size_t count, std::chrono::milliseconds timeout) const {
    return poster_.WaitForDeliveries(count, timeout);
  }

  FakeCounters Counters() const;
  std::vector<std::string> IssuedWamids() const;
  std::vector<RecordedRequest> Requests() const { return server_->Requests(); }
  bool WaitForRequests(std::size_t count, std::chrono::milliseconds timeout) const {
    return server_->WaitForRequests(count, timeout);
  }
  void Stop() { server_->Stop(); }

 private:
  FakeResponse Handle(const RecordedRequest& request);
  FakeResponse HandleSend(const RecordedRequest& request);
  std::string NewWamid();
  // Both expect mutex_ held.
  void QueueStatusLocked(const std::string& wamid, const std::string& to, const std::string& status,
                         std::optional<int> error_code);
  TokenBucket& PairBucketLocked(const std::string& to);

  const GraphApiConfig config_;
  mutable std::mutex mutex_;
  Clock clock_;
  std::string callback_url_;
  AutoStatus auto_status_;
  WindowFailure window_failure_;
  TokenBucket throughput_;
  std::map<std::string, TokenBucket> pair_buckets_;
  std::map<std::string, TimePoint> window_opened_;
  std::map<std::string, std::string> wamid_recipient_;
  std::vector<std::string> wamids_;
  std::uint64_t next_wamid_ = 1;
  std::string wamid_prefix_;
  FakeCounters counters_;
  WebhookPoster poster_;
  std::unique_ptr<FakeServer> server_;  // last: destroyed (stopped) before the state it uses
};

}  // namespace satupintu::testing::fakes
