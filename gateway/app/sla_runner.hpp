#pragma once
// Runs the tickets' SLA pass (tickets/sla.hpp) every tickets.sla_interval_seconds on the
// store's writer, until stopped. Logs only counts: no ticket code, no personal data.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "config/config.hpp"
#include "core/result.hpp"
#include "storage/store.hpp"
#include "tickets/calendar.hpp"
#include "tickets/sla.hpp"

namespace satupintu::app {

class SlaRunner {
 public:
  // Fails when the holiday file cannot be read: deadlines without the holidays would be wrong.
  static core::Result<std::unique_ptr<SlaRunner>> Create(const config::TicketsConfig& config,
                                                         storage::Store* store);
  ~SlaRunner();
  SlaRunner(const SlaRunner&) = delete;
  SlaRunner& operator=(const SlaRunner&) = delete;

  void Start();
  void Stop();

 private:
  SlaRunner(tickets::WorkCalendar calendar, tickets::SlaTargets targets, int interval_seconds,
            storage::Store* store);
  void Loop();

  tickets::WorkCalendar calendar_;
  tickets::SlaTargets targets_;
  int interval_seconds_;
  storage::Store* store_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace satupintu::app
