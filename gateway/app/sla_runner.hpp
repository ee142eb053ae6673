#pragma once
// Runs the tickets' SLA pass (tickets/sla.hpp) every tickets.sla_interval_seconds on the
// store's writer, until stopped. Logs only counts: no ticket code, no personal data.

#include <memory>

#include "config/config.hpp"
#include "core/result.hpp"
#include "core/worker.hpp"
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
  core::Worker::Next Pass();

  tickets::WorkCalendar calendar_;
  tickets::SlaTargets targets_;
  storage::Store* store_;
  core::Worker worker_;
};

}  // namespace satupintu::app
