#pragma once
// Who holds the store: `satupintu serve` takes an exclusive flock(2) on "<store>.lock" beside
// the store file for its whole life, and `satupintu restore` takes the same lock while it puts
// files back, so a restore never writes under a running gateway and a gateway never starts on
// a half-restored store. The kernel drops the lock when the process ends, kill -9 included.
// The command-line tools that work beside a running gateway (backup, audit, users, ...) do not
// take it.

#include <memory>
#include <string>

#include "core/result.hpp"

namespace satupintu::backup {

class StoreLock {
 public:
  // "<store_path>.lock".
  static std::string PathFor(const std::string& store_path);

  // Creates the lock file (0600) if needed and takes the lock without waiting: kConflict when
  // another process (or another StoreLock in this one) holds it.
  static core::Result<std::unique_ptr<StoreLock>> Acquire(const std::string& store_path);

  ~StoreLock();
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;

 private:
  explicit StoreLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace satupintu::backup
