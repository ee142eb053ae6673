#pragma once
// Rate limits of the shared sender. Time is passed in, never read, so tests can drive them
// exactly. Both limits are token buckets: a channel bucket (WhatsApp 80 msg/s per number,
// Telegram ~30 msg/s per bot, an SMS route its configured rate) and one small bucket per
// recipient (Telegram 1 msg/s per chat, WhatsApp's pair limit). A peer's "slow down" answer
// pauses the bucket it names until the time the peer asked for. The bucket itself is
// core::TokenBucket (core/token_bucket.hpp), shared with the API's rate limiter.

#include <chrono>
#include <cstddef>
#include <string>
#include <unordered_map>

#include "core/token_bucket.hpp"

namespace satupintu::outbound {

using TimePoint = std::chrono::steady_clock::time_point;
using Duration = std::chrono::steady_clock::duration;

using core::TokenBucket;

class RecipientPacer {
 public:
  RecipientPacer() = default;  // no per-recipient limit
  // One message per `interval` per recipient, with `burst` allowed back to back.
  RecipientPacer(Duration interval, double burst);

  bool unlimited() const { return interval_ <= Duration::zero(); }
  bool TryTake(const std::string& address, TimePoint now);
  Duration Wait(const std::string& address, TimePoint now);
  void PauseUntil(const std::string& address, TimePoint until);
  // Drops recipients whose buckets are full again, so the map holds only recent ones.
  void Forget(TimePoint now);
  std::size_t tracked() const { return buckets_.size(); }

 private:
  TokenBucket& BucketOf(const std::string& address);

  Duration interval_{};
  double burst_ = 1;
  std::unordered_map<std::string, TokenBucket> buckets_;
  TimePoint last_forget_{};
};

}  // namespace satupintu::outbound
