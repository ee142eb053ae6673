#pragma once
// The service manager's notification protocol (sd_notify(3)) without libsystemd: each state
// change is one datagram of "KEY=VALUE" lines sent to the unix datagram socket named by
// $NOTIFY_SOCKET (a file system path, or an abstract name written with a leading '@').
// Without NOTIFY_SOCKET every call does nothing, so the gateway runs the same under systemd
// (Type=notify), in a shell and in tests.
//
//   READY=1     the listeners listen and the store is open (app::Serve)
//   WATCHDOG=1  the store's heartbeat committed (app::StoreWatchdog), every half WatchdogSec=
//   STOPPING=1  the first SIGTERM/SIGINT: shutdown has begun

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace satupintu::core {

class SdNotifier {
 public:
  // $NOTIFY_SOCKET, and the watchdog interval of $WATCHDOG_USEC when $WATCHDOG_PID is unset
  // or names this process.
  static SdNotifier FromEnvironment();
  // `socket`: a path, "@abstract", or "" (disabled). `watchdog`: 0 when there is none.
  explicit SdNotifier(std::string socket = {},
                      std::chrono::microseconds watchdog = std::chrono::microseconds(0));

  bool enabled() const { return !socket_.empty(); }
  const std::string& socket() const { return socket_; }
  // How often the service manager wants WATCHDOG=1 at the latest; 0: no watchdog.
  std::chrono::microseconds watchdog_interval() const { return watchdog_; }

  // Sends `state` ("READY=1", "STATUS=...", several lines allowed) as one datagram. Ok without
  // a socket. A failure is returned for the caller to log, never fatal: the service manager
  // that does not hear READY=1 stops the start after TimeoutStartSec= by itself.
  Status Notify(std::string_view state) const;

 private:
  std::string socket_;
  std::chrono::microseconds watchdog_;
};

}  // namespace satupintu::core
