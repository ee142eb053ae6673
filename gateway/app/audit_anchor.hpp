#pragma once
// Writes the audit log's head out of the store (audit::WriteAnchor) once a minute and at the
// stop, so that `satupintu audit verify` detects a cut tail: rows deleted after the anchor was
// written leave a valid chain but lose the anchored entry. Logs only failures, never rows.

#include <memory>
#include <string>

#include "core/worker.hpp"
#include "storage/store.hpp"

namespace satupintu::app {

class AuditAnchor {
 public:
  AuditAnchor(storage::Store* store, std::string path);
  ~AuditAnchor();
  AuditAnchor(const AuditAnchor&) = delete;
  AuditAnchor& operator=(const AuditAnchor&) = delete;

  void Start();
  // Stops the worker and anchors the head one last time.
  void Stop();

 private:
  core::Worker::Next Pass();

  storage::Store* store_;
  std::string path_;
  core::Worker worker_;
};

}  // namespace satupintu::app
