#pragma once
// A stand-in for Kannel's smsbox at HTTP level, for process tests that need a Kannel channel
// whose peer answers late or not at all (the real Kannel is in tests/support/kannel_peer.hpp).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "fakes/fake_server.hpp"

namespace satupintu::testing::fakes {

// A stand-in for Kannel's smsbox: every sendsms is accepted after `delay` (one request at a
// time, like FakeServer); the recipients in the order they arrived.
class FakeSmsbox {
 public:
  explicit FakeSmsbox(std::chrono::milliseconds delay = std::chrono::milliseconds(0))
      : delay_(delay.count()), server_([this](const RecordedRequest& r) { return Answer(r); }) {}

  std::string SendsmsUrl() const { return server_.BaseUrl() + "/cgi-bin/sendsms"; }
  FakeServer& server() { return server_; }
  // The `to=` of every sendsms, in order of arrival.
  std::vector<std::string> Recipients() const {
    std::vector<std::string> out;
    for (const auto& r : server_.Requests()) {
      const auto at = r.target.find("to=");
      if (at == std::string::npos) continue;
      auto end = r.target.find('&', at);
      std::string to = r.target.substr(at + 3, end == std::string::npos ? end : end - at - 3);
      if (to.starts_with("%2B")) to.erase(0, 3);  // "+" when the channel sends it
      if (to.starts_with("+")) to.erase(0, 1);
      out.push_back(std::move(to));
    }
    return out;
  }
  void SetDelay(std::chrono::milliseconds d) { delay_.store(d.count()); }

 private:
  FakeResponse Answer(const RecordedRequest&) {
    const auto d = delay_.load();
    if (d > 0) std::this_thread::sleep_for(std::chrono::milliseconds(d));
    return {202, "0: Accepted for delivery", {{"Content-Type", "text/plain"}}};
  }

  std::atomic<std::int64_t> delay_;
  FakeServer server_;  // last: its thread calls Answer
};

}  // namespace satupintu::testing::fakes
