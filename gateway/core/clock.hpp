#pragma once
// The wall clock in milliseconds since the Unix epoch: what the store's *_at_ms columns hold.
// Code that tests must control takes a clock parameter instead and defaults to this.
#include <chrono>
#include <cstdint>

namespace satupintu::core {

inline std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace satupintu::core
