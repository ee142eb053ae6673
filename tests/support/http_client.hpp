#pragma once
// Test clients on loopback: a plain and a TLS HTTP client (one request per connection, with
// timeouts) and raw-socket helpers for sending broken bytes.

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace satupintu::testing {

struct ClientResponse {
  int status = 0;  // 0 when no response was read
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string error;  // transport error, empty on success
  std::string Header(const std::string& name) const;
};

struct RequestOptions {
  std::string method = "GET";
  std::string target = "/";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds timeout{5000};
  bool tls = false;
  // TLS only: cap or floor the client's protocol version ("1.1", "1.2", "1.3"; empty = any).
  std::string tls_max_version;
};

ClientResponse Send(std::uint16_t port, const RequestOptions& options);

inline ClientResponse Get(std::uint16_t port, const std::string& target) {
  RequestOptions o;
  o.target = target;
  return Send(port, o);
}

inline ClientResponse Post(std::uint16_t port, const std::string& target, const std::string& body) {
  RequestOptions o;
  o.method = "POST";
  o.target = target;
  o.body = body;
  o.headers.emplace_back("Content-Type", "application/json");
  return Send(port, o);
}

// The negotiated TLS version of a handshake ("TLSv1.3"), or empty with `error` set.
std::string TlsHandshakeVersion(std::uint16_t port, const std::string& max_version,
                                std::string* error);

// Raw TCP: connects, writes `bytes`, then reads until the peer closes or `timeout` passes.
struct RawResult {
  std::string received;
  bool closed_by_peer = false;  // false: our timeout ended the wait
  std::chrono::milliseconds elapsed{0};
};
RawResult SendRaw(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout);

// Opens a connection and keeps it open (returns the fd; close with CloseFd).
int OpenConnection(std::uint16_t port);
bool WriteAll(int fd, const std::string& bytes);
// Waits until the peer closes `fd`; returns whatever was read before.
RawResult WaitForClose(int fd, std::chrono::milliseconds timeout);
void CloseFd(int fd);

}  // namespace satupintu::testing
