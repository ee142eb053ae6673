#include "app/ops_gauges.hpp"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <map>

#include "core/disk.hpp"
#include "core/log.hpp"

namespace satupintu::app {
namespace {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Snapshot {
  bool ok = false;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> outbox;  // parts, oldest ms
  std::int64_t open = 0;
  std::int64_t overdue = 0;
  std::int64_t breached = 0;
};

void ReadSnapshot(storage::Db& db, Snapshot* out) {
  auto parts = db.Prepare(
      "SELECT p.channel, COUNT(*), MIN(m.created_at_ms) FROM outbox_part p"
      " JOIN outbox_message m ON m.id = p.message_id"
      " WHERE p.state IN ('queued', 'in_flight') GROUP BY p.channel");
  if (!parts.ok()) return;
  auto read = storage::ForEachRow(db, *parts.value(), "outbox backlog", [&](storage::Stmt& r) {
    out->outbox[r.ColumnText(0)] = {r.ColumnInt(1), r.ColumnInt(2)};
  });
  if (!read.ok()) return;
  // The open tickets' partial index (status <> 'closed') holds every column asked here.
  auto tickets = db.Prepare(
      "SELECT COUNT(*), COALESCE(SUM(sla = 'breached'), 0) FROM ticket"
      " WHERE status <> 'closed' AND status <> 'resolved'");
  if (!tickets.ok()) return;
  auto counted = storage::FirstRow(db, *tickets.value(), "open tickets", [&](storage::Stmt& r) {
    out->open = r.ColumnInt(0);
    out->overdue = r.ColumnInt(1);
  });
  if (!counted.ok()) return;
  auto breached =
      db.QueryInt("SELECT COUNT(*) FROM ticket WHERE status <> 'closed' AND sla_breaches > 0");
  if (!breached.ok()) return;
  out->breached = breached.value();
  out->ok = true;
}

}  // namespace

bool CertificateSecondsLeft(const std::string& pem_file, std::int64_t* seconds) {
  FILE* f = std::fopen(pem_file.c_str(), "rb");
  if (f == nullptr) return false;
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (cert == nullptr) return false;
  int days = 0;
  int secs = 0;
  const bool ok = ASN1_TIME_diff(&days, &secs, nullptr, X509_get0_notAfter(cert)) == 1;
  X509_free(cert);
  if (!ok) return false;
  *seconds = std::int64_t{days} * 86'400 + secs;
  return true;
}

OpsGauges::OpsGauges(storage::Store* store, core::MetricsRegistry* metrics, std::string cert_file,
                     std::string store_path)
    : store_(store),
      metrics_(metrics),
      cert_file_(std::move(cert_file)),
      store_path_(std::move(store_path)),
      // The same gauges /readyz sets (diag/ops_routes.cpp): kept fresh without it as well.
      free_disk_(&metrics->GetGauge("satupintu_store_free_disk_bytes",
                                    "Free space on the store's file system.")),
      store_size_(&metrics->GetGauge("satupintu_store_size_bytes",
                                     "The store file's size (its WAL not counted).")),
      tickets_open_(&metrics->GetGauge("satupintu_tickets_open",
                                       "Tickets not resolved or closed, at the last reading.")),
      tickets_overdue_(&metrics->GetGauge(
          "satupintu_tickets_overdue", "Open tickets past their SLA stage's target (breached).")),
      tickets_breached_(&metrics->GetGauge(
          "satupintu_tickets_sla_breached_open",
          "Tickets not closed whose SLA was breached at least once (escalated).")),
      cert_expiry_(&metrics->GetGauge("satupintu_tls_certificate_expiry_seconds",
                                      "Seconds until the public listener's certificate expires.")),
      worker_([this] { return Pass(); },
              {.interval = std::chrono::minutes(1), .run_at_start = true}) {}

OpsGauges::~OpsGauges() { Stop(); }

void OpsGauges::Start() { worker_.Start(); }
void OpsGauges::Stop() { worker_.Stop(); }

core::Worker::Next OpsGauges::Pass() {
  if (const auto free = core::FreeDiskBytesFor(store_path_)) free_disk_->Set(*free);
  std::error_code ec;
  if (const auto bytes = std::filesystem::file_size(store_path_, ec); !ec) {
    store_size_->Set(static_cast<std::int64_t>(bytes));
  }
  if (!cert_file_.empty()) {
    std::int64_t left = 0;
    if (CertificateSecondsLeft(cert_file_, &left)) cert_expiry_->Set(left);
  }
  auto snapshot = std::make_shared<Snapshot>();
  std::promise<void> done;
  store_->Read([snapshot, &done](storage::Db* db, const core::Error*) {
    if (db != nullptr) ReadSnapshot(*db, snapshot.get());
    done.set_value();
  });
  done.get_future().wait();
  if (!snapshot->ok) return core::Worker::Next::kWait;
  const std::int64_t now = NowMs();
  for (const auto& [channel, backlog] : snapshot->outbox) {
    metrics_
        ->GetGauge("satupintu_outbox_backlog_parts", "Parts queued or in flight, per channel.",
                   {{"channel", channel}})
        .Set(backlog.first);
    metrics_
        ->GetGauge("satupintu_outbox_oldest_queued_seconds",
                   "Age of the oldest message with a part queued or in flight, per channel.",
                   {{"channel", channel}})
        .Set((now - backlog.second) / 1000);
  }
  // A channel whose backlog emptied reads 0, not its last figure.
  for (const auto& channel : seen_) {
    if (snapshot->outbox.contains(channel)) continue;
    metrics_->GetGauge("satupintu_outbox_backlog_parts", "", {{"channel", channel}}).Set(0);
    metrics_->GetGauge("satupintu_outbox_oldest_queued_seconds", "", {{"channel", channel}}).Set(0);
  }
  for (const auto& [channel, backlog] : snapshot->outbox) seen_.insert(channel);
  tickets_open_->Set(snapshot->open);
  tickets_overdue_->Set(snapshot->overdue);
  tickets_breached_->Set(snapshot->breached);
  return core::Worker::Next::kWait;
}

}  // namespace satupintu::app
