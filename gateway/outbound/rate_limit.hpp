#pragma once
// Rate limits of the shared sender. Time is passed in, never read, so tests can drive them
// exactly. Both limits are token buckets: a channel bucket (WhatsApp 80 msg/s per number,
// Telegram ~30 msg/s per bot, an SMS route its configured rate) and one small bucket per
// recipient (Telegram 1 msg/s per chat, WhatsApp's pair limit). A peer's "slow down" answer
// pauses the bucket it names until the time the peer asked for.

#include <chrono>
#include <cstddef>
#include <string>
#include <unordered_map>

namespace satupintu::outbound {

using TimePoint = std::chrono::steady_clock::time_point;
using Duration = std::chrono::steady_clock::duration;

class TokenBucket {
 public:
  TokenBucket() = default;  // unlimited
  // `burst` tokens at the start, refilled at `rate_per_second`; a rate <= 0 means no limit.
  TokenBucket(double rate_per_second, double burst);

  bool unlimited() const { return rate_ <= 0; }
  // Takes `cost` tokens if they are there now; otherwise takes nothing.
  bool TryTake(double cost, TimePoint now);
  // How long until `cost` tokens are there (zero when they are now). A cost above the burst
  // is treated as the burst, so an expensive item is never blocked forever.
  Duration Wait(double cost, TimePoint now);
  // Tokens available now (large when unlimited).
  double Available(TimePoint now);
  // Nothing is taken before `until`; the bucket then starts empty-but-refilling.
  void PauseUntil(TimePoint until);

 private:
  void Refill(TimePoint now);

  double rate_ = 0;
  double burst_ = 0;
  double tokens_ = 0;
  TimePoint last_{};
  TimePoint paused_until_{};
};

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
