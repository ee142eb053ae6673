#pragma once
// Everything that makes the configured channels live, in both directions:
//   inbound:  webhook routes (WhatsApp, Telegram on the public listener; Kannel MO and DLR on
//             the private one) and the Gammu SMSD pollers, all into the journal; the
//             dispatcher that reads the journal for statuses, citizens and automatic replies;
//   outbound: per channel its own HTTP client (threads, connections), Transport and Sender, the
//   channel
//             log and its retention, crash recovery of parts left in flight, and the SMS
//             fallback of WhatsApp messages outside the 24-hour window;
//   and the diagnostic POST /diag/outbox route that enqueues a message (tests, operators).

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "core/metrics.hpp"
#include "core/result.hpp"
#include "http/router.hpp"
#include "inbound/dispatcher.hpp"
#include "locale/catalog.hpp"
#include "storage/journal.hpp"
#include "storage/store.hpp"

namespace satupintu::conversation {
class Conversations;
}

namespace satupintu::app {

class ChannelRuntime {
 public:
  // Resolves secrets, validates every channel and mounts its routes. Nothing runs yet.
  static core::Result<std::unique_ptr<ChannelRuntime>> Create(
      const config::Config& config, storage::Store* store, storage::Journal* journal,
      const locale::Catalog* catalog, core::MetricsRegistry* metrics, http::Router& public_router,
      http::Router& private_router, const std::string& diag_token,
      conversation::Conversations* conversations = nullptr);
  ~ChannelRuntime();

  // The dispatcher's hooks (officers' SMS commands, pending surveys); before Start.
  void SetDispatcherHooks(inbound::DispatcherHooks hooks);
  // Wakes the sender of `channel` (after a commit that gave it outbox rows).
  void WakeSender(const std::string& channel);
  // The channels whose sender loop has not turned for `threshold` (hung), for /readyz.
  std::vector<std::string> StuckSenders(std::chrono::milliseconds threshold) const;

  // Resolves parts a crash left in flight, then starts senders, pollers and the dispatcher.
  core::Status Start();
  // Stops taking new work and gives attempts with peers up to `grace` to be recorded.
  void Stop(std::chrono::milliseconds grace);

  struct Impl;

 private:
  explicit ChannelRuntime(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace satupintu::app
