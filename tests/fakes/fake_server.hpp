#pragma once
// A small HTTP/1.1 server on 127.0.0.1 (port 0) that plays a remote API in tests. It records
// every request and answers either from a queue of scripted responses or from a handler; the
// fake peers (FakeGraphApi, FakeBotApi) put their protocol logic in that handler.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace satupintu::testing::fakes {

using Headers = std::vector<std::pair<std::string, std::string>>;
using TimePoint = std::chrono::steady_clock::time_point;
// Rate limits read time through this, so tests can step a manual clock instead of sleeping.
using Clock = std::function<TimePoint()>;

struct RecordedRequest {
  std::string method;
  std::string target;
  Headers headers;
  std::string body;
  TimePoint arrived;
  // Case-insensitive; empty when absent.
  std::string Header(std::string_view name) const;
};

struct FakeResponse {
  int status = 200;
  std::string body;
  Headers headers;  // Content-Type defaults to application/json when not given here
};

// What the fake peers count. int rather than size_t so tests compare against literals cleanly.
struct RecipientCounters {
  int accepted = 0;
  int rate_limited = 0;
  int rejected = 0;  // validation, window, blocked, ...
};

struct FakeCounters {
  int accepted = 0;
  int rate_limited = 0;
  int rejected = 0;
  int unauthorized = 0;
  int scripted = 0;  // answered from the script queue
  std::map<std::string, RecipientCounters> per_recipient;
};

class FakeServer {
 public:
  using Handler = std::function<FakeResponse(const RecordedRequest&)>;

  // Listens at once; throws std::runtime_error if it cannot bind. The handler runs on the
  // server's own thread, one request at a time.
  explicit FakeServer(Handler handler);
  ~FakeServer();
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  std::uint16_t port() const;
  std::string BaseUrl() const;  // "http://127.0.0.1:<port>"

  // Closes the listener and every connection and joins the thread. Idempotent.
  void Stop();

  // The next `times` requests get `response` instead of reaching the handler; queued scripts
  // are used in the order they were added.
  void Script(const FakeResponse& response, int times = 1);
  std::size_t ScriptsLeft() const;
  bool AllScriptsUsed() const { return ScriptsLeft() == 0; }
  std::size_t ScriptedAnswers() const;

  std::vector<RecordedRequest> Requests() const;
  std::size_t RequestCount() const;
  // True once at least `count` requests have arrived; false when `timeout` passed first.
  bool WaitForRequests(std::size_t count, std::chrono::milliseconds timeout) const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace satupintu::testing::fakes
