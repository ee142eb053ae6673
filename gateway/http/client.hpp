#pragma once
// The gateway's outbound HTTP/1.1 client: one instance is shared by every peer the sender
// talks to (WhatsApp Graph API, Telegram Bot API, Kannel sendsms). Beast and Asio stay inside
// client.cpp; this header is cheap to include.
//
// Keep-alive pool per (scheme, host, port) with a per-host connection limit and a FIFO queue
// behind it. A request is never retried by the client: a POST that reached the peer may have
// been acted on, so the caller decides. Errors are short fixed reasons that never contain the
// URL (Kannel carries phone numbers in the query) or any other personal data.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace satupintu::http {

struct ClientRequest {
  std::string method = "POST";
  std::string url;  // absolute: http://host:port/path?query or https://...
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // The whole exchange: waiting for a pooled connection, connect, TLS, write and read.
  std::chrono::milliseconds timeout{10'000};
};

struct ClientResponse {
  int status = 0;                                            // 0 when no HTTP answer arrived
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  // Empty when an HTTP answer arrived; else a short reason safe for logs: "bad url",
  // "resolve failed", "connect refused", "connect failed", "timeout", "tls handshake failed"
  // (": certificate verify failed" appended when that was the cause), "connection closed by
  // peer", "write failed", "read failed", "bad response", "response too large",
  // "client stopped".
  std::string error;
  double elapsed_ms = 0;
  bool reused_connection = false;
  // True once writing the request began: the peer may have received it and acted on it.
  // False means it surely did not (bad url, resolve, connect, TLS, queue timeout, stopped).
  bool request_sent = false;

  // First header with this lower-case name, or empty.
  std::string_view Header(std::string_view lower_name) const;
};

struct ClientOptions {
  int threads = 1;                            // the client runs its own io_context on these threads
  std::size_t max_connections_per_host = 32;  // further requests wait in a FIFO queue
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds idle_close{20'000};  // a pooled connection idle this long is closed
  bool verify_peer = true;                   // https: verify against the system CAs (and ca_file)
  std::string ca_file;                       // extra trust anchors (self-signed test peers)
  std::size_t max_response_bytes = 1 << 20;  // body limit; headers are capped at 64 KiB
};

class Client {
 public:
  // Starts the io threads. An unreadable ca_file is logged and leaves only the system CAs.
  explicit Client(ClientOptions options = {});
  // Stop(), then joins. Must not run on a client thread (inside a `done`).
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Thread-safe. `done` runs exactly once on a client thread (never inside Send), except
  // after Stop(): then it runs at once on the caller's thread with error "client stopped".
  void Send(ClientRequest request, std::function<void(ClientResponse)> done);

  // Requests sent and not yet completed (a request counts out just before its `done` runs).
  std::size_t in_flight() const;

  // Pending and queued requests complete with "client stopped", connections are closed and
  // the io threads joined. Idempotent. Must not be called from a client thread.
  void Stop();

  struct Impl;  // public so that client.cpp's connection template can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace satupintu::http
