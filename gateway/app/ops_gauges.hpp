#pragma once
// The operator's state gauges (docs/metrics.md), read once a minute on the store's reader
// thread: the outbox backlog and its oldest queued age per channel, open and overdue tickets,
// tickets whose SLA was breached, and the days until the TLS certificate expires. Counts only;
// no rows leave this file.

#include <cstdint>
#include <set>
#include <string>

#include "core/metrics.hpp"
#include "core/worker.hpp"
#include "storage/store.hpp"

namespace satupintu::app {

class OpsGauges {
 public:
  // `cert_file`: the public listener's certificate ("" when none is served); `store_path`: the
  // store file, whose size and file system's free space are read too.
  OpsGauges(storage::Store* store, core::MetricsRegistry* metrics, std::string cert_file,
            std::string store_path);
  ~OpsGauges();
  OpsGauges(const OpsGauges&) = delete;
  OpsGauges& operator=(const OpsGauges&) = delete;

  void Start();
  void Stop();
  void Wake() { worker_.Wake(); }  // a fresh reading soon (a scrape of /metrics)
  std::uint64_t passes() const { return worker_.passes(); }

 private:
  core::Worker::Next Pass();

  storage::Store* store_;
  core::MetricsRegistry* metrics_;
  std::string cert_file_;
  std::string store_path_;
  core::Gauge* free_disk_;
  core::Gauge* store_size_;
  core::Gauge* tickets_open_;
  core::Gauge* tickets_overdue_;
  core::Gauge* tickets_breached_;
  core::Gauge* cert_expiry_;
  std::set<std::string> seen_;  // channels that had a backlog (worker thread only)
  core::Worker worker_;
};

// Seconds from now until the certificate in `pem_file` expires (negative once expired);
// false when the file cannot be read as a PEM certificate.
bool CertificateSecondsLeft(const std::string& pem_file, std::int64_t* seconds);

}  // namespace satupintu::app
