#include "fakes/fake_graph_api.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>

#include "fakes/graph_payload.hpp"

namespace satupintu::testing::fakes {

namespace {

constexpr auto kWindow = std::chrono::hours(24);

FakeResponse GraphError(int http_status, int code, std::string_view message,
                        std::string_view details = {}, int subcode = 0) {
  return FakeResponse{http_status, graph::ErrorBody(code, message, details, subcode), {}};
}

std::int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// wamid.<base64>, like Meta's: a per-instance random part keeps two fakes from colliding.
std::string Base64(const std::string& raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(raw.data()),
                                static_cast<int>(raw.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "/v<major>.<minor>/<phone_number_id>/messages[?query]" -> the id; empty for any other path.
// Hand-written: std::regex trips GCC 12's -Wmaybe-uninitialized in the sanitizer build.
std::string PhoneNumberIdFromPath(std::string_view target) {
  target = target.substr(0, target.find('?'));
  if (target.substr(0, 2) != "/v") return {};
  const auto version_end = target.find('/', 1);
  if (version_end == std::string_view::npos) return {};
  const auto version = target.substr(2, version_end - 2);
  const auto dot = version.find('.');
  if (dot == std::string_view::npos || !AllDigits(version.substr(0, dot)) ||
      !AllDigits(version.substr(dot + 1)))
    return {};
  const auto rest = target.substr(version_end + 1);
  const auto slash = rest.find('/');
  if (slash == 0 || slash == std::string_view::npos || rest.substr(slash) != "/messages") return {};
  return std::string(rest.substr(0, slash));
}

}  // namespace

FakeGraphApi::FakeGraphApi(GraphApiConfig config)
    : config_(std::move(config)),
      clock_([] { return std::chrono::steady_clock::now(); }),
      callback_url_(config_.callback_url),
      auto_status_(config_.auto_status),
      window_failure_(config_.window_failure),
      throughput_(config_.throughput_per_second, config_.throughput_burst) {
  unsigned char random[6];
  RAND_bytes(random, sizeof random);
  wamid_prefix_.assign(reinterpret_cast<const char*>(random), sizeof random);
  server_ = std::make_unique<FakeServer>(
      [this](const RecordedRequest& request) { return Handle(request); });
}

FakeGraphApi::~FakeGraphApi() { server_->Stop(); }

std::string FakeGraphApi::MessagesPath(const std::string& version) const {
  return "/" + version + "/" + config_.phone_number_id + "/messages";
}

void FakeGraphApi::SetCallbackUrl(std::string url) {
  std::lock_guard lock(mutex_);
  callback_url_ = std::move(url);
}

void FakeGraphApi::SetAutoStatus(AutoStatus mode) {
  std::lock_guard lock(mutex_);
  auto_status_ = mode;
}

void FakeGraphApi::SetWindowFailure(WindowFailure mode) {
  std::lock_guard lock(mutex_);
  window_failure_ = mode;
}

void FakeGraphApi::SetClock(Clock clock) {
  std::lock_guard lock(mutex_);
  clock_ = std::move(clock);
}

void FakeGraphApi::OpenWindow(const std::string& wa_id) {
  std::lock_guard lock(mutex_);
  window_opened_[wa_id] = clock_();
}

void FakeGraphApi::CloseWindow(const std::string& wa_id) {
  std::lock_guard lock(mutex_);
  window_opened_.erase(wa_id);
}

void FakeGraphApi::ScriptHttpStatus(int status, int times) {
  // Graph's transient errors: code 1 (unknown) for 500, code 2 (service unavailable) otherwise.
  const int code = status == 500 ? 1 : 2;
  const char* message =
      status == 500 ? "An unknown error has occurred." : "Service temporarily unavailable";
  server_->Script(GraphError(status, code, message), times);
}

void FakeGraphApi::ScriptTooManyRequests(int retry_after_seconds, int times) {
  auto response = GraphError(429, 4, "(#4) Application request limit reached");
  response.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
  server_->Script(response, times);
}

void FakeGraphApi::ScriptError(int code, int http_status, int times) {
  server_->Script(
      GraphError(http_status, code, "(#" + std::to_string(code) + ") " + graph::ErrorTitle(code),
                 graph::ErrorDetails(code)),
      times);
}

FakeCounters FakeGraphApi::Counters() const {
  std::lock_guard lock(mutex_);
  auto out = counters_;
  out.scripted = static_cast<int>(server_->ScriptedAnswers());
  return out;
}

std::vector<std::string> FakeGraphApi::IssuedWamids() const {
  std::lock_guard lock(mutex_);
  return wamids_;
}

bool FakeGraphApi::PostStatus(const std::string& wamid, const std::string& status,
                              std::optional<int> error_code) {
  std::lock_guard lock(mutex_);
  const auto it = wamid_recipient_.find(wamid);
  if (it == wamid_recipient_.end() || callback_url_.empty()) return false;
  QueueStatusLocked(wamid, it->second, status, error_code);
  return true;
}

void FakeGraphApi::QueueStatusLocked(const std::string& wamid, const std::string& to,
                                     const std::string& status, std::optional<int> error_code) {
  if (callback_url_.empty()) return;
  graph::StatusEvent event{config_.waba_id,
                           config_.phone_number_id,
                           config_.display_phone_number,
                           wamid,
                           to,
                           status,
                           UnixNow(),
                           error_code};
  auto body = graph::StatusEnvelope(event);
  Headers headers{{"X-Hub-Signature-256", "sha256=" + HmacSha256Hex(config_.app_secret, body)}};
  poster_.Post(callback_url_, std::move(body), std::move(headers));
}

TokenBucket& FakeGraphApi::PairBucketLocked(const std::string& to) {
  auto it = pair_buckets_.find(to);
  if (it == pair_buckets_.end()) {
    const double seconds = std::chrono::duration<double>(config_.pair_interval).count();
    const double rate = seconds > 0 ? 1.0 / seconds : 0.0;
    it = pair_buckets_.emplace(to, TokenBucket(rate, config_.pair_burst)).first;
  }
  return it->second;
}

std::string FakeGraphApi::NewWamid() {
  return "wamid." + Base64("fake:" + wamid_prefix_ + ":" + std::to_string(next_wamid_++));
}

FakeResponse FakeGraphApi::Handle(const RecordedRequest& request) {
  if (request.method != "POST") {
    return GraphError(400, 100, "Unsupported get request.");
  }
  const auto auth = request.Header("Authorization");
  if (auth != "Bearer " + config_.access_token) {
    std::lock_guard lock(mutex_);
    ++counters_.unauthorized;
    return GraphError(401, kGraphAuthError,
                      "Invalid OAuth access token - Cannot parse access token");
  }
  const auto phone_number_id = PhoneNumberIdFromPath(request.target);
  if (phone_number_id.empty()) {
    return GraphError(400, 2500, "Unknown path components: " + request.target);
  }
  if (phone_number_id != config_.phone_number_id) {
    return GraphError(400, 100,
                      "Unsupported post request. Object with ID '" + phone_number_id +
                          "' does not exist, cannot be loaded due to missing permissions, or "
                          "does not support this operation.",
                      {}, 33);
  }
  return HandleSend(request);
}

FakeResponse FakeGraphApi::HandleSend(const RecordedRequest& request) {
  std::string problem;
  const auto send = graph::ParseSend(request.body, &problem);
  std::lock_guard lock(mutex_);
  if (!send) {
    ++counters_.rejected;
    return GraphError(400, kGraphInvalidParameter, problem);
  }
  auto& per = counters_.per_recipient[send->to];
  const auto now = clock_();
  // Both limits are checked before either is charged, so a refused send costs no token.
  auto& pair = PairBucketLocked(send->to);
  const bool over_throughput = !throughput_.Available(now);
  if (over_throughput || !pair.Available(now)) {
    ++counters_.rate_limited;
    ++per.rate_limited;
    const int code = over_throughput ? kGraphThroughput : kGraphPairLimit;
    return GraphError(400, code, "(#" + std::to_string(code) + ") " + graph::ErrorTitle(code),
                      graph::ErrorDetails(code));
  }
  throughput_.TryTake(now);
  pair.TryTake(now);

  const auto window = window_opened_.find(send->to);
  const bool in_window = window != window_opened_.end() && now - window->second < kWindow;
  const bool outside = config_.enforce_window && send->type != "template" && !in_window;
  if (outside && window_failure_ == WindowFailure::kSync) {
    ++counters_.rejected;
    ++per.rejected;
    return GraphError(400, kGraphReEngagement, "(#131047) Re-engagement message",
                      graph::ErrorDetails(kGraphReEngagement));
  }
  const auto wamid = NewWamid();
  wamids_.push_back(wamid);
  wamid_recipient_[wamid] = send->to;
  if (outside) {
    // Meta accepted the call; the failure only shows up as a status webhook.
    ++counters_.rejected;
    ++per.rejected;
    QueueStatusLocked(wamid, send->to, "failed", kGraphReEngagement);
  } else {
    ++counters_.accepted;
    ++per.accepted;
    if (auto_status_ != AutoStatus::kNone) QueueStatusLocked(wamid, send->to, "sent", {});
    if (auto_status_ == AutoStatus::kSentDelivered)
      QueueStatusLocked(wamid, send->to, "delivered", {});
  }
  return FakeResponse{200, graph::SuccessBody(send->to, wamid), {}};
}

}  // namespace satupintu::testing::fakes
