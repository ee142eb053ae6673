#include "core/worker.hpp"

#include <utility>

namespace satupintu::core {

Worker::Worker(Pass pass, Options options) : pass_(std::move(pass)), options_(options) {
  if (options_.clock == nullptr) options_.clock = SystemClock();
}

Worker::~Worker() { Stop(); }

void Worker::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  woken_ = woken_ || options_.run_at_start;  // a Wake before Start is kept
  thread_ = std::thread([this] { Loop(); });
}

void Worker::Wake() {
  {
    std::lock_guard lock(mutex_);
    if (woken_) return;  // a pass is already due: one notification is enough
    woken_ = true;
  }
  cv_.notify_one();
}

void Worker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t Worker::passes() const {
  std::lock_guard lock(mutex_);
  return passes_;
}

void Worker::Loop() {
  std::unique_lock lock(mutex_);
  bool due = woken_;
  for (;;) {
    if (!due) {
      auto ready = [this] { return woken_ || stopping_; };
      if (options_.interval.count() > 0) {
        options_.clock->WaitFor(lock, cv_, options_.interval, ready);
      } else {
        cv_.wait(lock, ready);
      }
    }
    if (stopping_) return;
    woken_ = false;
    lock.unlock();
    const Next next = pass_();
    lock.lock();
    ++passes_;
    due = next == Next::kAgain || woken_;
  }
}

}  // namespace satupintu::core
