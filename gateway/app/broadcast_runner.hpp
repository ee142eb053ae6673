#pragma once
// Carries approved broadcasts to the outbox (gateway/broadcast): plans each one when its start
// time comes (the audience read on a connection of its own, the rows written in batches on the
// store's writer) and then, every broadcast.interval_ms or when woken, queues the next recipients
// whose send window is open, keeping each channel's backlog short, and wakes those channels'
// senders. Everything it does is a step of broadcast_store.hpp in one write job, so a restart
// or a kill -9 resumes exactly where the store says: a broadcast left "planning" is planned
// again (rows already written are kept), one left "sending" goes on.
// A second `serve` on the same store cannot start (backup::StoreLock), so no broadcast is ever
// carried by two runners.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "broadcast/broadcast_store.hpp"
#include "config/config.hpp"
#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "core/worker.hpp"
#include "locale/ad_hoc_message.hpp"
#include "locale/catalog.hpp"
#include "storage/store.hpp"

namespace satupintu::regions {
class RegionIndex;
}

namespace satupintu::app {

// The broadcast rules and limits from the configuration.
broadcast::Policy BroadcastPolicy(const config::Config& config);

class BroadcastRunner {
 public:
  // `wake_sender(channel)`: something was queued on `channel`. `clock` nullptr: the system's.
  // `store_path`: the store's file, which the runner reads a plan's audience from on a
  // connection of its own (a million households take seconds: the store's reader thread, which
  // every officer's page reads through, is not held that long).
  BroadcastRunner(broadcast::Policy policy, int interval_ms, storage::Store* store,
                  std::string store_path, const locale::Catalog* catalog,
                  std::shared_ptr<const regions::RegionIndex> regions,
                  std::function<void(const std::string&)> wake_sender,
                  core::MetricsRegistry* metrics, core::Clock* clock = nullptr);
  ~BroadcastRunner();
  BroadcastRunner(const BroadcastRunner&) = delete;
  BroadcastRunner& operator=(const BroadcastRunner&) = delete;

  void Start();
  void Stop();
  void Wake() { worker_.Wake(); }

 private:
  core::Worker::Next Pass();
  core::Status Plan(const broadcast::Broadcast& b);
  core::Result<bool> Send(const broadcast::Broadcast& b);

  broadcast::Policy policy_;
  storage::Store* store_;
  std::string store_path_;
  std::unique_ptr<storage::Db> reader_;  // opened on the runner's thread when first needed
  const locale::Catalog* catalog_;
  std::shared_ptr<const regions::RegionIndex> regions_;
  std::function<void(const std::string&)> wake_sender_;
  core::Clock* clock_;
  core::Counter* queued_;
  core::Counter* planned_;
  core::Counter* errors_;
  core::Worker worker_;
};

}  // namespace satupintu::app
