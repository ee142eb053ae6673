#pragma once
// The HTTP/1.1 server: any number of listeners, each plain or TLS, each with its own router.
// Beast and Asio stay inside server.cpp; this header is cheap to include.
//
// Every handshake, request and write has a deadline; headers and bodies have size limits
// (431 / 413). Shutdown stops accepting, closes idle connections, lets in-flight requests
// finish within a grace period, then closes whatever is left.
//
// Each listener has its own connection limit and, optionally, a cap per remote address:
// a flood on the public listener leaves the private one (Kannel, health checks) its room.
// When the process runs out of file descriptors, accepting pauses with a backoff instead of
// spinning, and the errors are logged once per interval with a count.
//
// Every answer carries X-Content-Type-Options: nosniff and, unless its handler set its own,
// Cache-Control: no-store; answers over TLS also carry Strict-Transport-Security. TLS 1.2 is
// limited to ECDHE with AEAD suites (docs/ARCHITECTURE.md, "Response headers and TLS").

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/metrics.hpp"
#include "core/result.hpp"
#include "http/router.hpp"

namespace boost::asio {
class io_context;
}

namespace satupintu::http {

struct TlsSettings {
  std::string cert_file;
  std::string key_file;
  bool min_tls13 = false;  // default minimum is TLS 1.2; 1.3 is always allowed
};

struct ListenerSpec {
  std::string name;  // "public", "private": appears in logs and metrics
  std::string address;
  std::uint16_t port = 0;  // 0 = any free port; see Server::BoundPort
  bool tls = false;
  TlsSettings tls_settings;
  const Router* router = nullptr;
  // Connections this listener holds at once; a new one beyond is closed at once. Each
  // listener counts only its own.
  std::size_t max_connections = 1024;
  // Connections one remote address (an IPv6 /64) may hold on this listener; 0 = no cap.
  std::size_t max_connections_per_address = 0;
};

struct Limits {
  std::uint32_t header_limit_bytes = 8 * 1024;
  std::uint64_t body_limit_bytes = std::uint64_t{1024} * 1024;
  std::chrono::milliseconds handshake_timeout{5000};
  // One deadline for a whole request, headers and body: from the end of the handshake for
  // a connection's first request, from its first byte for a later one on a kept-alive
  // connection (the wait before that byte is the idle timeout's).
  std::chrono::milliseconds request_timeout{10000};
  std::chrono::milliseconds write_timeout{10000};
  std::chrono::milliseconds idle_timeout{30000};
  // Accepting fails for want of file descriptors (EMFILE, ENFILE, ENOBUFS, ENOMEM): the
  // listener pauses, first for accept_backoff_min, doubling up to accept_backoff_max.
  std::chrono::milliseconds accept_backoff_min{10};
  std::chrono::milliseconds accept_backoff_max{1000};
  // Refused connections and accept errors: at most one log line per listener and reason in
  // this interval, with the count since the last one.
  std::chrono::milliseconds refusal_log_interval{10000};
};

class Server {
 public:
  Server(boost::asio::io_context& ioc, Limits limits, core::MetricsRegistry* metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts accepting. Fails with a clear message (port in use, bad certificate).
  core::Status Listen(const ListenerSpec& spec);
  std::uint16_t BoundPort(const std::string& listener_name) const;

  // Starts a graceful shutdown; `done` runs (on an io thread) when every connection is gone,
  // at the latest after `grace`, with the number of connections that had to be cut.
  void Shutdown(std::chrono::milliseconds grace, std::function<void(std::size_t forced)> done);

  std::size_t open_connections() const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace satupintu::http
