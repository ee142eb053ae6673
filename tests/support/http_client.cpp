#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace satupintu::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

namespace {

int TlsVersion(const std::string& v) {
  if (v == "1.1") return TLS1_1_VERSION;
  if (v == "1.2") return TLS1_2_VERSION;
  if (v == "1.3") return TLS1_3_VERSION;
  return 0;
}

std::unique_ptr<ssl::context> ClientContext(const std::string& max_version) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
  ctx->set_verify_mode(ssl::verify_none);  // the server's certificate is self-signed
  if (const int v = TlsVersion(max_version)) {
    // TLS 1.1 needs the security level lowered to be offered at all by OpenSSL 3.
    if (v < TLS1_2_VERSION) SSL_CTX_set_security_level(ctx->native_handle(), 0);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), v == TLS1_3_VERSION ? v : TLS1_VERSION);
    SSL_CTX_set_max_proto_version(ctx->native_handle(), v);
  }
  return ctx;
}

void SetSocketTimeouts(int fd, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

template <class Stream>
ClientResponse Exchange(Stream& stream, const RequestOptions& o) {
  ClientResponse out;
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(o.method), o.target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  for (const auto& [k, v] : o.headers) req.set(k, v);
  req.body() = o.body;
  req.keep_alive(false);
  req.prepare_payload();
  beast::error_code ec;
  bhttp::write(stream, req, ec);
  if (ec) {
    out.error = "write: " + ec.message();
    return out;
  }
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(std::uint64_t{64} * 1024 * 1024);
  bhttp::read(stream, buffer, parser, ec);
  if (ec) {
    out.error = "read: " + ec.message();
    return out;
  }
  auto& res = parser.get();
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  for (const auto& f : res)
    out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  return out;
}

}  // namespace

std::string ClientResponse::Header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (beast::iequals(k, name)) return v;
  }
  return {};
}

ClientResponse Send(std::uint16_t port, const RequestOptions& o) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  beast::error_code ec;
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  if (ec) {
    ClientResponse r;
    r.error = "connect: " + ec.message();
    return r;
  }
  SetSocketTimeouts(socket.native_handle(), o.timeout);
  if (!o.tls) return Exchange(socket, o);
  auto ctx = ClientContext(o.tls_max_version);
  ssl::stream<tcp::socket> stream(std::move(socket), *ctx);
  stream.handshake(ssl::stream_base::client, ec);
  if (ec) {
    ClientResponse r;
    r.error = "handshake: " + ec.message();
    return r;
  }
  return Exchange(stream, o);
}

std::string TlsHandshakeVersion(std::uint16_t port, const std::string& max_version,
                                std::string* error) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  beast::error_code ec;
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
  if (ec) {
    *error = "connect: " + ec.message();
    return {};
  }
  SetSocketTimeouts(socket.native_handle(), std::chrono::milliseconds(5000));
  auto ctx = ClientContext(max_version);
  ssl::stream<tcp::socket> stream(std::move(socket), *ctx);
  stream.handshake(ssl::stream_base::client, ec);
  if (ec) {
    *error = "handshake: " + ec.message();
    return {};
  }
  return SSL_get_version(stream.native_handle());
}

int OpenConnection(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool WriteAll(int fd, const std::string& bytes) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

RawResult WaitForClose(int fd, std::chrono::milliseconds timeout) {
  RawResult result;
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + timeout;
  char buf[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      result.closed_by_peer = true;
      break;
    }
    result.received.append(buf, static_cast<std::size_t>(n));
  }
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  return result;
}

RawResult SendRaw(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout) {
  const int fd = OpenConnection(port);
  if (fd < 0) return {};
  WriteAll(fd, bytes);
  auto r = WaitForClose(fd, timeout);
  ::close(fd);
  return r;
}

void CloseFd(int fd) { ::close(fd); }

}  // namespace satupintu::testing
