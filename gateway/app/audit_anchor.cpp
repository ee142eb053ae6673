#include "app/audit_anchor.hpp"

#include <chrono>
#include <future>

#include "audit/audit_log.hpp"
#include "core/log.hpp"

namespace satupintu::app {

AuditAnchor::AuditAnchor(storage::Store* store, std::string path)
    : store_(store),
      path_(std::move(path)),
      worker_([this] { return Pass(); },
              {.interval = std::chrono::seconds(60), .run_at_start = true}) {}

AuditAnchor::~AuditAnchor() { Stop(); }

void AuditAnchor::Start() { worker_.Start(); }

void AuditAnchor::Stop() {
  worker_.Stop();
  if (store_ != nullptr && store_->healthy()) Pass();
}

core::Worker::Next AuditAnchor::Pass() {
  std::promise<core::Result<audit::Head>> read;
  store_->Read([&read](storage::Db* db, const core::Error* error) {
    if (db == nullptr) {
      read.set_value(*error);
      return;
    }
    read.set_value(audit::HeadOf(*db));
  });
  auto head = read.get_future().get();
  const core::Status s =
      head.ok() ? audit::WriteAnchor(path_, head.value()) : core::Status(head.error());
  if (!s.ok()) {
    core::log::Warn("audit.anchor_failed").Str("reason", s.error().message);
  }
  return core::Worker::Next::kWait;
}

}  // namespace satupintu::app
