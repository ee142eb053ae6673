// The only translation unit that instantiates Beast's HTTP and SSL stream templates.
// One Session template serves plain and TLS connections alike.

#include "http/server.hpp"

#include <openssl/ssl.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <unordered_map>

#include "core/log.hpp"

namespace satupintu::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
namespace log = core::log;

namespace {

// Disconnects that are part of normal life and not worth a warning.
bool IsBenign(const beast::error_code& ec) {
  return ec == net::error::operation_aborted || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == net::error::not_connected || ec == beast::error::timeout ||
         ec == ssl::error::stream_truncated || ec == bhttp::error::end_of_stream;
}

void Fail(const beast::error_code& ec, const char* what, const std::string& listener) {
  if (IsBenign(ec)) {
    log::Debug("http.disconnect")
        .Str("listener", listener)
        .Str("during", what)
        .Str("reason", ec.message());
    return;
  }
  log::Warn("http.connection_error")
      .Str("listener", listener)
      .Str("during", what)
      .Str("reason", ec.message());
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const auto bits = rng();
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(bits));
  // A letter every 8 characters: the log redactor masks runs of 10+ digits as a possible
  // NIK or phone number, and a masked id no longer matches the X-Request-Id we sent back.
  buf[0] = static_cast<char>('a' + (bits >> 60) % 6);
  buf[8] = static_cast<char>('a' + (bits >> 28) % 6);
  return buf;
}

bool IsSafeRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

constexpr char kHsts[] = "max-age=31536000";

// What the per-address cap counts: the address, or an IPv6 client's /64 (one host usually
// owns a whole /64 and could otherwise step around the cap).
std::string AddressKey(const net::ip::address& address) {
  if (!address.is_v6()) return address.to_string();
  const auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) return net::ip::make_address_v4(net::ip::v4_mapped, v6).to_string();
  auto bytes = v6.to_bytes();
  for (std::size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
  return net::ip::address_v6(bytes).to_string() + "/64";
}

// Out of file descriptors or kernel memory: retrying at once fails again (the pending
// connection stays in the backlog and keeps the acceptor readable), so accepting pauses.
bool IsResourceShortage(const beast::error_code& ec) {
  return ec == net::error::no_descriptors ||
         ec == boost::system::errc::too_many_files_open_in_system ||
         ec == net::error::no_buffer_space || ec == net::error::no_memory;
}

// At most one log line per interval for a repeating event, with the count since the last.
class Throttle {
 public:
  // Counts one event; true when a line is due, with `count` the events it reports.
  bool Due(std::chrono::milliseconds interval, std::int64_t* count) {
    ++pending_;
    const auto now = std::chrono::steady_clock::now();
    if (logged_ && now - last_ < interval) return false;
    logged_ = true;
    last_ = now;
    *count = pending_;
    pending_ = 0;
    return true;
  }

 private:
  std::chrono::steady_clock::time_point last_{};
  bool logged_ = false;
  std::int64_t pending_ = 0;
};

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // Posted to the session's strand. force=false: close if idle, otherwise after the current
  // response. force=true: close now.
  virtual void Stop(bool force) = 0;
};

}  // namespace

class Server::Impl : public std::enable_shared_from_this<Server::Impl> {
 public:
  Impl(net::io_context& ioc, Limits limits, core::MetricsRegistry* metrics)
      : ioc_(ioc),
        limits_(limits),
        metrics_(metrics),
        strand_(net::make_strand(ioc)),
        shutdown_timer_(strand_) {
    connections_gauge_ =
        &metrics_->GetGauge("satupintu_http_open_connections", "Open connections.");
  }

  struct Listener {
    ListenerSpec spec;
    std::unique_ptr<tcp::acceptor> acceptor;
    std::unique_ptr<ssl::context> tls;
    std::uint16_t bound_port = 0;
    // Guarded by Impl::mutex_: this listener's connections, in all and per address key.
    std::size_t open = 0;
    std::unordered_map<std::string, std::size_t> per_address;
    core::Gauge* open_gauge = nullptr;
    // Used on the acceptor's strand only.
    std::unique_ptr<net::steady_timer> pause_timer;
    std::chrono::milliseconds backoff{0};
    Throttle full_log, per_address_log, accept_log;
    core::Counter* refused_full = nullptr;
    core::Counter* refused_per_address = nullptr;
    core::Counter* accept_errors_resources = nullptr;
    core::Counter* accept_errors_other = nullptr;
  };

  core::Status Listen(const ListenerSpec& spec);
  void Accept(Listener* listener);
  void OnAcceptError(Listener* listener, const beast::error_code& ec);
  void Admit(Listener* listener, tcp::socket socket);
  void Shutdown(std::chrono::milliseconds grace, std::function<void(std::size_t)> done);

  // Session::Start: the connection admitted under `id` (Admit) is this session.
  void Attach(std::uint64_t id, std::weak_ptr<SessionBase> session) {
    std::lock_guard lock(mutex_);
    if (auto it = sessions_.find(id); it != sessions_.end())
      it->second.session = std::move(session);
  }

  // Idempotent: an id unknown or gone already is ignored.
  void Unregister(std::uint64_t id) {
    std::function<void(std::size_t)> done;
    {
      std::lock_guard lock(mutex_);
      auto it = sessions_.find(id);
      if (it == sessions_.end()) return;
      Listener* listener = it->second.listener;
      --listener->open;
      listener->open_gauge->Set(static_cast<std::int64_t>(listener->open));
      if (auto a = listener->per_address.find(it->second.address_key);
          a != listener->per_address.end() && --a->second == 0) {
        listener->per_address.erase(a);
      }
      sessions_.erase(it);
      connections_gauge_->Set(static_cast<std::int64_t>(sessions_.size()));
      if (draining_ && sessions_.empty() && shutdown_done_) done = std::move(shutdown_done_);
    }
    if (done) FinishShutdown(std::move(done), 0);
  }

  std::size_t open_connections() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
  }

  bool draining() const { return draining_.load(); }
  const Limits& limits() const { return limits_; }

  // Access log and metrics for one finished request.
  // What the access log and the request metrics need about one exchange. The metric
  // handles are cached per connection: keep-alive clients mostly repeat one route, and a
  // registry lookup builds label strings under a lock.
  struct Exchange {
    std::string method;
    std::string path;
    std::string route;
    std::string request_id;
    std::chrono::steady_clock::time_point started;
    std::string cached_route;
    int cached_status = 0;
    core::Counter* requests = nullptr;
    core::Histogram* latency = nullptr;
  };

  void Record(const std::string& listener, const std::string& remote, Exchange& x, int status,
              std::size_t bytes) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - x.started).count();
    if (x.requests == nullptr || x.cached_status != status || x.cached_route != x.route) {
      x.requests = &metrics_->GetCounter(
          "satupintu_http_requests_total", "HTTP requests by listener, route and status.",
          {{"listener", listener}, {"route", x.route}, {"status", std::to_string(status)}});
      x.latency = &metrics_->GetHistogram(
          "satupintu_http_request_duration_seconds",
          "Request latency from the last header byte to the response handed to the socket.",
          core::LatencyBuckets(), {{"listener", listener}, {"route", x.route}});
      x.cached_route = x.route;
      x.cached_status = status;
    }
    x.requests->Inc();
    x.latency->Observe(seconds);
    log::Info("http.access")
        .Str("request_id", x.request_id)
        .Str("listener", listener)
        .Str("remote", remote)
        .Str("method", x.method)
        .Str("route", x.route)
        .Str("path", x.path)  // redacted by the logger: paths may carry numbers
        .Int("status", status)
        .Int("bytes", static_cast<std::int64_t>(bytes))
        .Num("ms", seconds * 1000.0);
  }

  net::io_context& ioc() { return ioc_; }

  std::map<std::string, std::unique_ptr<Listener>> listeners_;

 private:
  void ArmShutdownTimer(std::chrono::milliseconds grace);

  // Timer operations stay on strand_: sessions unregister from any io thread.
  void FinishShutdown(std::function<void(std::size_t)> done, std::size_t forced) {
    net::post(strand_, [self = shared_from_this(), done = std::move(done), forced] {
      self->shutdown_timer_.cancel();
      done(forced);
    });
  }

  net::io_context& ioc_;
  Limits limits_;
  core::MetricsRegistry* metrics_;
  core::Gauge* connections_gauge_;
  net::strand<net::io_context::executor_type> strand_;
  net::steady_timer shutdown_timer_;
  mutable std::mutex mutex_;
  struct Entry {
    std::weak_ptr<SessionBase> session;  // empty until the session's Start
    Listener* listener;
    std::string address_key;
  };
  std::unordered_map<std::uint64_t, Entry> sessions_;
  std::uint64_t next_id_ = 1;
  std::atomic<bool> draining_{false};
  std::function<void(std::size_t)> shutdown_done_;
};

namespace {

template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  // `id`: the connection as Server::Impl::Admit counted it; the destructor gives it back.
  template <class... Args>
  Session(std::shared_ptr<Server::Impl> server, std::uint64_t id, const Router* router,
          std::string listener, std::string remote, tcp::socket&& socket, Args&&... args)
      : server_(std::move(server)),
        router_(router),
        listener_(std::move(listener)),
        remote_(std::move(remote)),
        stream_(std::move(socket), std::forward<Args>(args)...),
        id_(id) {}

  // Unregister throws only when the system fails under it (no memory to post the shutdown's
  // completion, a mutex that cannot lock); a destructor must not throw, so that is logged.
  ~Session() override {
    try {
      server_->Unregister(id_);
    } catch (const std::exception& e) {
      log::Error("http.unregister_failed").Str("detail", e.what());
    }
  }

  void Start() {
    server_->Attach(id_, this->weak_from_this());
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->Begin(); });
  }

  void Stop(bool force) override {
    net::post(stream_.get_executor(), [self = this->shared_from_this(), force] {
      if (force || !self->busy_) self->Close();
      // Otherwise the response in progress goes out with Connection: close.
    });
  }

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;
  static constexpr std::size_t kFirstRead = 1024;

  auto& Lowest() { return beast::get_lowest_layer(stream_); }

  void Begin() {
    if constexpr (kTls) {
      Lowest().expires_after(server_->limits().handshake_timeout);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) {
                                  // TLS garbage, plain HTTP on the TLS port, old protocol
                                  // versions, timeouts: all end here with a closed connection.
                                  Fail(ec, "handshake", self->listener_);
                                  self->Close();
                                  return;
                                }
                                self->Read();
                              });
    } else {
      Read();
    }
  }

  void Read() {
    if (server_->draining() || closed_) {
      Close();
      return;
    }
    parser_.emplace();
    parser_->header_limit(server_->limits().header_limit_bytes);
    parser_->body_limit(server_->limits().body_limit_bytes);
    if (first_request_ || buffer_.size() > 0) return ReadRequest();
    // Kept alive: the wait for the next request's first byte is the idle timeout's; the
    // request itself then gets the same whole-request deadline as a first one.
    Lowest().expires_after(server_->limits().idle_timeout);
    reading_ = true;
    stream_.async_read_some(buffer_.prepare(kFirstRead),
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->reading_ = false;
                              if (ec) {
                                Fail(ec, "idle", self->listener_);
                                return self->Close();
                              }
                              self->buffer_.commit(n);
                              if (self->closed_) return;
                              self->ReadRequest();
                            });
  }

  void ReadRequest() {
    // One deadline for the whole request: a client trickling bytes (slowloris) runs into it.
    Lowest().expires_after(server_->limits().request_timeout);
    reading_ = true;
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                        self->reading_ = false;
                        self->OnRead(ec);
                      });
  }

  void OnRead(beast::error_code ec) {
    if (ec) {
      if (ec == bhttp::error::header_limit) return Reject(431, "header fields too large");
      if (ec == bhttp::error::body_limit) return Reject(413, "body too large");
      if (ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category() &&
          ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
        return Reject(400, "malformed HTTP request");
      }
      Fail(ec, "read", listener_);
      return Close();
    }
    first_request_ = false;
    busy_ = true;
    exchange_.started = std::chrono::steady_clock::now();
    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    version_ = msg.version();

    Request req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    const auto q = req.target.find('?');
    req.path = req.target.substr(0, q);
    if (q != std::string::npos) req.query = req.target.substr(q + 1);
    req.headers.reserve(16);
    for (const auto& field : msg) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    req.body = std::move(msg.body());
    req.remote_address = remote_;
    req.listener = listener_;
    const auto given_id = req.Header("x-request-id");
    req.request_id = IsSafeRequestId(given_id) ? std::string(given_id) : NewRequestId();
    head_only_ = req.method == "HEAD";

    auto match = router_->Find(req.method, req.path, &req.params);
    exchange_.route = match.route;
    exchange_.method = req.method;
    exchange_.path = req.path;
    exchange_.request_id = req.request_id;
    recording_ = true;
    if (match.handler == nullptr) {
      Response r = ErrorResponse(
          core::MakeError(core::ErrorCode::kNotFound,
                          match.status == 405 ? "method not allowed" : "no such route"));
      r.status = match.status;
      if (match.status == 405) r.headers.emplace_back("Allow", match.allow);
      return Write(std::move(r));
    }

    // The handler may answer from another thread (the store's): hop back to our strand.
    auto respond = [self = this->shared_from_this(),
                    answered = std::make_shared<std::atomic<bool>>(false)](Response r) {
      if (answered->exchange(true)) return;  // exactly once
      net::post(self->stream_.get_executor(),
                [self, r = std::move(r)]() mutable { self->Write(std::move(r)); });
    };
    try {
      (*match.handler)(std::move(req), std::move(respond));
    } catch (const std::exception& e) {
      log::Error("http.handler_exception")
          .Str("request_id", exchange_.request_id)
          .Str("detail", e.what());
      Write(ErrorResponse(core::MakeError(core::ErrorCode::kInternal, "internal error")));
    }
  }

  // Answers a request we could not parse, then closes.
  void Reject(int status, const char* message) {
    log::Info("http.rejected")
        .Str("listener", listener_)
        .Str("remote", remote_)
        .Int("status", status)
        .Str("reason", message);
    keep_alive_ = false;
    busy_ = true;
    exchange_.route = "rejected";
    exchange_.method.clear();
    exchange_.path.clear();
    exchange_.request_id = NewRequestId();
    exchange_.started = std::chrono::steady_clock::now();
    recording_ = true;
    Response r = ErrorResponse(core::MakeError(core::ErrorCode::kInvalidArgument, message));
    r.status = status;
    Write(std::move(r));
  }

  void Write(Response r) {
    if (closed_) return;
    if (server_->draining()) keep_alive_ = false;
    response_.emplace();
    response_->version(version_ == 10 ? 10 : 11);
    response_->result(static_cast<unsigned>(r.status));
    response_->set(bhttp::field::server, "satupintu");
    response_->set(bhttp::field::content_type, r.content_type.empty()
                                                   ? std::string_view("application/json")
                                                   : std::string_view(r.content_type));
    if (recording_) response_->set("X-Request-Id", exchange_.request_id);
    SetSecurityHeaders();
    for (auto& [k, v] : r.headers) response_->set(k, v);
    response_->keep_alive(keep_alive_);
    const std::size_t bytes = r.body.size();
    response_->body() = std::move(r.body);
    response_->prepare_payload();
    if (head_only_) response_->body().clear();
    if (recording_) server_->Record(listener_, remote_, exchange_, r.status, bytes);
    recording_ = false;
    Lowest().expires_after(server_->limits().write_timeout);
    bhttp::async_write(stream_, *response_,
                       [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                         self->OnWrite(ec);
                       });
  }

  // Set on every answer here, before the handler's own headers (which may override them), so
  // that no route, error or rejection can forget them. See docs/ARCHITECTURE.md.
  void SetSecurityHeaders() {
    // The verify challenge echoes a query parameter and errors echo parts of requests: no
    // browser may read any answer as another type than the one declared.
    response_->set("X-Content-Type-Options", "nosniff");
    // Answers carry personal data (API, webhook challenge) unless a handler says otherwise:
    // the page's static files set their own Cache-Control.
    response_->set(bhttp::field::cache_control, "no-store");
    // Only over TLS (RFC 6797 7.2: ignored over plain HTTP, and the private listener must stay
    // reachable without TLS). One year; no includeSubDomains or preload: other services of
    // the regency's domain are not ours to force onto HTTPS.
    if constexpr (kTls) response_->set(bhttp::field::strict_transport_security, kHsts);
  }

  void OnWrite(beast::error_code ec) {
    busy_ = false;
    response_.reset();
    if (ec) {
      Fail(ec, "write", listener_);
      return Close();
    }
    if (!keep_alive_) return Close();
    Read();
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    if constexpr (kTls) {
      if (reading_) {
        // A read is pending on the TLS stream; close_notify would need a second reader.
        Lowest().close();
        return;
      }
      // Best-effort close_notify, bounded by a short deadline.
      Lowest().expires_after(std::chrono::seconds(1));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        beast::error_code ignored;
        self->Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
        self->Lowest().close();
      });
    } else {
      beast::error_code ignored;
      Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
      Lowest().close();
    }
  }

  std::shared_ptr<Server::Impl> server_;
  const Router* router_;
  std::string listener_;
  std::string remote_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  Server::Impl::Exchange exchange_;
  bool recording_ = false;
  const std::uint64_t id_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_only_ = false;
  bool busy_ = false;
  bool closed_ = false;
  bool first_request_ = true;
  bool reading_ = false;
};

// TLS 1.2: forward secrecy (ECDHE) and AEAD only, as Mozilla's "intermediate" profile without
// finite-field DHE: no CBC (padding oracles, Lucky13), no SHA-1 MAC, no static RSA key exchange.
// ECDSA first for the self-signed P-256 certificate; the client's order decides among these,
// so phones without AES hardware can pick ChaCha20. TLS 1.3 keeps OpenSSL's own suites, which
// are all AEAD with forward secrecy.
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

std::unique_ptr<ssl::context> MakeTlsContext(const TlsSettings& settings, core::Status* status) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  // Beast's tlsv12 context would also cap at 1.2; set the floor only.
  SSL_CTX_set_min_proto_version(ctx->native_handle(),
                                settings.min_tls13 ? TLS1_3_VERSION : TLS1_2_VERSION);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                   ssl::context::single_dh_use);
  // No TLS 1.2 renegotiation: nothing here needs it, and client-initiated renegotiation is a
  // cheap way to make the server do handshake work.
  SSL_CTX_set_options(ctx->native_handle(), SSL_OP_NO_RENEGOTIATION);
  // Security level 2 whatever the system's openssl.cnf says: keys of 112 bits and more, no
  // SHA-1 signatures.
  SSL_CTX_set_security_level(ctx->native_handle(), 2);
  if (SSL_CTX_set_cipher_list(ctx->native_handle(), kTls12Ciphers) != 1) {
    *status = core::MakeError(core::ErrorCode::kInternal,
                              "this OpenSSL offers none of the TLS 1.2 cipher suites");
    return nullptr;
  }
  beast::error_code ec;
  ctx->use_certificate_chain_file(settings.cert_file, ec);
  if (!ec) ctx->use_private_key_file(settings.key_file, ssl::context::pem, ec);
  if (ec) {
    *status = core::MakeError(core::ErrorCode::kInvalidArgument,
                              "cannot load TLS certificate or key (" + settings.cert_file + ", " +
                                  settings.key_file + "): " + ec.message());
    return nullptr;
  }
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
    *status = core::MakeError(
        core::ErrorCode::kInvalidArgument,
        "TLS key " + settings.key_file + " does not match certificate " + settings.cert_file);
    return nullptr;
  }
  return ctx;
}

}  // namespace

core::Status Server::Impl::Listen(const ListenerSpec& spec) {
  auto listener = std::make_unique<Listener>();
  listener->spec = spec;
  if (spec.tls) {
    core::Status status;
    listener->tls = MakeTlsContext(spec.tls_settings, &status);
    if (!listener->tls) return status;
  }
  beast::error_code ec;
  const auto address = net::ip::make_address(spec.address, ec);
  if (ec) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           spec.name + ".address: \"" + spec.address + "\" is not an IP address");
  }
  auto acceptor = std::make_unique<tcp::acceptor>(net::make_strand(ioc_));
  const tcp::endpoint endpoint(address, spec.port);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return core::MakeError(core::ErrorCode::kUnavailable, "cannot listen on " + spec.address + ":" +
                                                              std::to_string(spec.port) + " (" +
                                                              spec.name + "): " + ec.message());
  }
  listener->bound_port = acceptor->local_endpoint().port();
  listener->pause_timer = std::make_unique<net::steady_timer>(acceptor->get_executor());
  listener->acceptor = std::move(acceptor);
  const auto refused = [&](const char* reason) {
    return &metrics_->GetCounter("satupintu_http_connections_refused_total",
                                 "Connections closed at once, by listener and reason.",
                                 {{"listener", spec.name}, {"reason", reason}});
  };
  listener->refused_full = refused("listener_full");
  listener->refused_per_address = refused("per_address");
  const auto accept_errors = [&](const char* reason) {
    return &metrics_->GetCounter(
        "satupintu_http_accept_errors_total",
        "Failed accepts, by listener and reason (out_of_files: accepting pauses).",
        {{"listener", spec.name}, {"reason", reason}});
  };
  listener->accept_errors_resources = accept_errors("out_of_files");
  listener->accept_errors_other = accept_errors("other");
  listener->open_gauge =
      &metrics_->GetGauge("satupintu_http_listener_connections", "Open connections by listener.",
                          {{"listener", spec.name}});
  log::Info("http.listening")
      .Str("listener", spec.name)
      .Str("address", spec.address)
      .Int("port", listener->bound_port)
      .Bool("tls", spec.tls)
      .Int("max_connections", static_cast<std::int64_t>(spec.max_connections))
      .Int("max_connections_per_address",
           static_cast<std::int64_t>(spec.max_connections_per_address));
  Listener* raw = listener.get();
  listeners_[spec.name] = std::move(listener);
  Accept(raw);
  return {};
}

void Server::Impl::Accept(Listener* listener) {
  listener->acceptor->async_accept(
      net::make_strand(ioc_),
      [self = shared_from_this(), listener](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted) return;  // shutting down
        if (ec) return self->OnAcceptError(listener, ec);
        listener->backoff = std::chrono::milliseconds(0);
        if (self->draining()) return;
        self->Admit(listener, std::move(socket));
        if (!self->draining()) self->Accept(listener);
      });
}

// On the acceptor's strand. Retrying at once after EMFILE would spin: the connection stays
// in the backlog, so the acceptor is readable again at once, and each turn logs a line.
void Server::Impl::OnAcceptError(Listener* listener, const beast::error_code& ec) {
  if (draining()) return;  // the acceptor is closing
  const bool shortage = IsResourceShortage(ec);
  (shortage ? listener->accept_errors_resources : listener->accept_errors_other)->Inc();
  if (ec == net::error::connection_aborted) {
    // The client gave up while in the backlog: nothing wrong here.
    if (!draining()) Accept(listener);
    return;
  }
  // Any other error pauses too: an unknown one may repeat as fast as EMFILE does.
  listener->backoff = listener->backoff.count() == 0
                          ? limits_.accept_backoff_min
                          : std::min(listener->backoff * 2, limits_.accept_backoff_max);
  std::int64_t count = 0;
  if (listener->accept_log.Due(limits_.refusal_log_interval, &count)) {
    log::Warn("http.accept_error")
        .Str("listener", listener->spec.name)
        .Str("reason", ec.message())
        .Int("errors", count)  // since the last line
        .Int("paused_ms", listener->backoff.count());
  }
  listener->pause_timer->expires_after(listener->backoff);
  listener->pause_timer->async_wait(
      [self = shared_from_this(), listener](beast::error_code waited) {
        if (waited || self->draining()) return;
        self->Accept(listener);
      });
}

// On the acceptor's strand: counts the connection against its listener's limits, or closes it.
void Server::Impl::Admit(Listener* listener, tcp::socket socket) {
  beast::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) {
    // Reset while in the backlog.
    Fail(ec, "accept", listener->spec.name);
    socket.close(ec);
    return;
  }
  std::string key = AddressKey(endpoint.address());
  const std::size_t per_address_cap = listener->spec.max_connections_per_address;
  Throttle* refusal_log = nullptr;
  core::Counter* refusal_counter = nullptr;
  const char* reason = nullptr;
  std::uint64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    const auto same = listener->per_address.find(key);
    if (listener->open >= listener->spec.max_connections) {
      reason = "listener_full";
      refusal_log = &listener->full_log;
      refusal_counter = listener->refused_full;
    } else if (per_address_cap != 0 && same != listener->per_address.end() &&
               same->second >= per_address_cap) {
      reason = "per_address";
      refusal_log = &listener->per_address_log;
      refusal_counter = listener->refused_per_address;
    } else {
      id = next_id_++;
      sessions_.emplace(id, Entry{{}, listener, key});
      ++listener->open;
      ++listener->per_address[key];
      listener->open_gauge->Set(static_cast<std::int64_t>(listener->open));
      connections_gauge_->Set(static_cast<std::int64_t>(sessions_.size()));
    }
  }
  if (reason != nullptr) {
    refusal_counter->Inc();
    std::int64_t count = 0;
    if (refusal_log->Due(limits_.refusal_log_interval, &count)) {
      log::Warn("http.connection_refused")
          .Str("listener", listener->spec.name)
          .Str("reason", reason)
          .Str("remote", key)      // the latest; others may differ
          .Int("refused", count);  // since the last line
    }
    socket.close(ec);
    return;
  }
  socket.set_option(tcp::no_delay(true), ec);
  std::string remote = endpoint.address().to_string();
  try {
    if (listener->tls) {
      std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
          shared_from_this(), id, listener->spec.router, listener->spec.name, std::move(remote),
          std::move(socket), *listener->tls)
          ->Start();
    } else {
      std::make_shared<Session<beast::tcp_stream>>(shared_from_this(), id, listener->spec.router,
                                                   listener->spec.name, std::move(remote),
                                                   std::move(socket))
          ->Start();
    }
  } catch (const std::exception& e) {
    // No memory for the session or its TLS state: the connection is dropped, its room freed.
    log::Error("http.session_failed").Str("listener", listener->spec.name).Str("detail", e.what());
    Unregister(id);
  }
}

void Server::Impl::Shutdown(std::chrono::milliseconds grace,
                            std::function<void(std::size_t)> done) {
  draining_ = true;
  for (auto& [name, listener] : listeners_) {
    net::post(listener->acceptor->get_executor(), [l = listener.get()] {
      beast::error_code ignored;
      l->acceptor->close(ignored);
      l->pause_timer->cancel();
    });
  }
  std::vector<std::shared_ptr<SessionBase>> live;
  bool finish_now = false;
  std::function<void(std::size_t)> finish_with;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, entry] : sessions_) {
      if (auto session = entry.session.lock()) live.push_back(std::move(session));
    }
    // Nothing open: `done` runs at once; otherwise it waits for the sessions to leave (or for
    // the grace timer).
    finish_now = sessions_.empty();
    if (finish_now) {
      finish_with = std::move(done);
    } else {
      shutdown_done_ = std::move(done);
    }
  }
  if (finish_now) {
    FinishShutdown(std::move(finish_with), 0);
    return;
  }
  log::Info("http.draining")
      .Int("connections", static_cast<std::int64_t>(live.size()))
      .Int("grace_ms", grace.count());
  for (auto& s : live) s->Stop(false);
  live.clear();
  net::post(strand_, [self = shared_from_this(), grace] { self->ArmShutdownTimer(grace); });
}

void Server::Impl::ArmShutdownTimer(std::chrono::milliseconds grace) {
  shutdown_timer_.expires_after(grace);
  shutdown_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec) return;  // everyone left in time
    std::vector<std::shared_ptr<SessionBase>> left;
    std::function<void(std::size_t)> done;
    {
      std::lock_guard lock(self->mutex_);
      for (auto& [id, entry] : self->sessions_) {
        if (auto s = entry.session.lock()) left.push_back(std::move(s));
      }
      done = std::move(self->shutdown_done_);
    }
    log::Warn("http.shutdown_forced").Int("connections", static_cast<std::int64_t>(left.size()));
    for (auto& s : left) s->Stop(true);
    if (done) self->FinishShutdown(std::move(done), left.size());
  });
}

Server::Server(net::io_context& ioc, Limits limits, core::MetricsRegistry* metrics)
    : impl_(std::make_shared<Impl>(ioc, limits, metrics)) {}

Server::~Server() = default;

core::Status Server::Listen(const ListenerSpec& spec) { return impl_->Listen(spec); }

std::uint16_t Server::BoundPort(const std::string& listener_name) const {
  auto it = impl_->listeners_.find(listener_name);
  return it == impl_->listeners_.end() ? 0 : it->second->bound_port;
}

void Server::Shutdown(std::chrono::milliseconds grace, std::function<void(std::size_t)> done) {
  net::post(impl_->ioc(), [impl = impl_, grace, done = std::move(done)]() mutable {
    impl->Shutdown(grace, std::move(done));
  });
}

std::size_t Server::open_connections() const { return impl_->open_connections(); }

}  // namespace satupintu::http
