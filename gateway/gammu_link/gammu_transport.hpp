#pragma once
// outbound::Transport for Gammu SMSD: one outbox part becomes one row in SMSD's `outbox`
// (adapters::gammu::BuildPartRow: MultiPart 'false', the concatenation UDH when the part is
// one of several, CreatorID "<prefix><part key>"). SMSD sends it on its next poll, deletes it
// and writes a sentitems row with the same CreatorID, which GammuLink turns back into a
// status for the part key.
//
// Idempotent: inside one BEGIN IMMEDIATE transaction, a part key already present in outbox or
// sentitems (an earlier attempt reached SMSD, then we crashed before recording it) is not
// inserted again and is reported accepted.
//
// Send runs the SQL on the caller's thread and calls `done` before it returns: call it from a
// worker, never from a network thread. Thread-safe (one connection behind a mutex).

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>

#include "gammu_link/link_config.hpp"
#include "gammu_link/smsd_db.hpp"
#include "outbound/transport.hpp"

namespace satupintu::gammu_link {

class GammuTransport : public outbound::Transport {
 public:
  // rate_per_minute 0: no limit of our own (SMSD sends at the modem's pace anyway). Above 0,
  // a send beyond the rate in the last minute is kRateLimited with retry_after.
  explicit GammuTransport(LinkConfig config, int rate_per_minute = 0);

  void Send(const outbox::DuePart& part, std::function<void(outbound::Attempt)> done) override;

 private:
  adapters::SendResult Insert(const outbox::DuePart& part, outbound::Exchange& exchange);
  bool TakeToken(std::chrono::steady_clock::time_point now, std::chrono::seconds* retry_after);

  LinkConfig config_;
  int rate_per_minute_;
  std::mutex mutex_;  // guards db_ and sent_at_
  SmsdDb db_;
  std::deque<std::chrono::steady_clock::time_point> sent_at_;
};

// SMSD copies CreatorID into a fixed buffer (char[200] in 1.42): longer ones would come back
// cut in sentitems and never match, so they are refused.
inline constexpr std::size_t kMaxCreatorIdBytes = 190;

}  // namespace satupintu::gammu_link
