// The outbound client's only Beast translation unit. One Connection template serves plain and
// TLS peers alike; pools, queues and the io threads live in Client::Impl.
//
// Locking: `pools_mutex_` guards only the map of pools; each pool has its own mutex for its
// idle list, queue and counts. Neither is held during I/O (a connection's liveness probe and
// every socket operation run after unlocking); sockets are touched only on their strand.

#include "http/client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/log.hpp"
#include "http/url.hpp"

namespace satupintu::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
namespace log = core::log;

namespace {

constexpr std::uint32_t kHeaderLimit = 64 * 1024;
constexpr std::chrono::seconds kStopWait{10};

// One request from Send to done. Shared: the queue-wait timer's handler may outlive the
// queue entry.
struct Call {
  ClientRequest request;
  Url url;  // views into request.url
  std::function<void(ClientResponse)> done;
  SteadyClock::time_point started;
  SteadyClock::time_point deadline;
  bool request_sent = false;
  // Queue state, guarded by the pool's mutex.
  bool queued = false;
  std::unique_ptr<net::steady_timer> queue_timer;
};
using CallPtr = std::shared_ptr<Call>;

struct Pool;

class ConnectionBase {
 public:
  virtual ~ConnectionBase() = default;
  // Runs `call` on this connection (posted to its strand).
  virtual void Run(CallPtr call) = 0;
  // Closes the socket (posted to its strand); a pending operation fails.
  virtual void Close() = 0;
  // A cheap probe before reuse: false when the peer has closed the idle connection or sent
  // something nobody asked for. Only called on idle connections, from any thread.
  virtual bool LooksAlive() = 0;

  // Guarded by the pool's mutex.
  SteadyClock::time_point idle_since;
  std::uint64_t idle_generation = 0;
  bool idle = false;
};
using ConnectionPtr = std::shared_ptr<ConnectionBase>;

struct Pool {
  Pool(bool tls_in, std::string host_in, std::uint16_t port_in, bool default_port)
      : tls(tls_in), host(std::move(host_in)), port(port_in) {
    const bool ipv6 = host.find(':') != std::string::npos;
    host_header = ipv6 ? "[" + host + "]" : host;
    if (!default_port) host_header += ":" + std::to_string(port);
    beast::error_code ec;
    const auto address = net::ip::make_address(host, ec);
    if (!ec) endpoint = tcp::endpoint(address, port);
  }

  const bool tls;
  const std::string host;
  const std::uint16_t port;
  std::string host_header;
  std::optional<tcp::endpoint> endpoint;  // set when host is an IP literal: no resolver

  std::mutex mutex;
  std::vector<ConnectionPtr> idle;  // back() was used last
  std::vector<std::weak_ptr<ConnectionBase>> all;
  std::deque<CallPtr> queue;
  std::size_t open = 0;  // connections counted against the limit
  bool stopped = false;
};

std::string LowerCase(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsPeerClosed(const beast::error_code& ec) {
  return ec == net::error::eof || ec == net::error::connection_reset ||
         ec == net::error::broken_pipe || ec == net::error::connection_aborted ||
         ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == ssl::error::stream_truncated;
}

}  // namespace

struct Client::Impl {
  explicit Impl(ClientOptions options);

  void Send(ClientRequest request, std::function<void(ClientResponse)> done);
  void Stop();

  // Hands `call` to a pooled or new connection, or queues it.
  void Submit(Pool& pool, CallPtr call);
  // Called on the connection's strand when its exchange ended. Returns the next queued call
  // for this connection when it is reusable and the queue is not empty.
  CallPtr Release(Pool& pool, const ConnectionPtr& connection, bool reusable,
                  std::uint64_t* idle_generation);
  // The idle timer of a pooled connection fired.
  static void ExpireIdle(Pool& pool, const ConnectionPtr& connection, std::uint64_t generation);
  // Runs `done` and counts the request out; the only place a call ends.
  void Complete(const CallPtr& call, ClientResponse response);
  void CompleteWithError(const CallPtr& call, const char* error) {
    ClientResponse r;
    r.error = error;
    Complete(call, std::move(r));
  }
  void PostError(CallPtr call, const char* error) {
    net::post(ioc_, [this, call = std::move(call), error] { CompleteWithError(call, error); });
  }
  ConnectionPtr NewConnection(Pool& pool);
  // Fills free connection slots from the queue (after a connection closed).
  void Drain(Pool& pool);

  bool stopped() const { return stopped_.load(std::memory_order_acquire); }
  const ClientOptions& options() const { return options_; }
  ssl::context& tls_context() { return tls_; }

  // Declared first, destroyed last: sockets and timers in pools and pending handlers need it.
  net::io_context ioc_;
  ClientOptions options_;
  ssl::context tls_{ssl::context::tls_client};

  std::mutex pools_mutex_;
  std::unordered_map<std::string, std::unique_ptr<Pool>> pools_;

  std::atomic<bool> stopped_{false};
  std::atomic<std::size_t> in_flight_{0};
  std::mutex stop_mutex_;
  std::condition_variable all_done_;

  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
};

namespace {

template <class Stream>
class Connection : public ConnectionBase, public std::enable_shared_from_this<Connection<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  Connection(Client::Impl* client, Pool* pool)
      : client_(client),
        pool_(pool),
        strand_(net::make_strand(client->ioc_)),
        stream_(MakeStream(client, strand_)),
        resolver_(strand_),
        timer_(strand_) {}

  void Run(CallPtr call) override {
    net::post(strand_, [self = this->shared_from_this(), call = std::move(call)]() mutable {
      self->Begin(std::move(call));
    });
  }

  void Close() override {
    net::post(strand_, [self = this->shared_from_this()] { self->CloseNow(); });
  }

  bool LooksAlive() override {
    // Safe off the strand: an idle connection has no operation in progress.
    const auto fd = beast::get_lowest_layer(stream_).socket().native_handle();
    char byte = 0;
    const auto n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    // Nothing to read is the only healthy state: 0 is the peer's FIN, data on an idle
    // HTTP/1.1 connection is garbage or a TLS close_notify.
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }

 private:
  static Stream MakeStream(Client::Impl* client,
                           const net::strand<net::io_context::executor_type>& strand) {
    if constexpr (kTls) {
      return Stream(strand, client->tls_context());
    } else {
      return Stream(strand);
    }
  }

  auto& Lowest() { return beast::get_lowest_layer(stream_); }

  void Begin(CallPtr call) {
    timer_.cancel();  // the idle timer, if any
    call_ = std::move(call);
    reused_ = connected_;
    if (client_->stopped() || closed_) return Fail("client stopped");
    if (connected_) return Write();
    if (pool_->endpoint) {
      Lowest().expires_at(ConnectDeadline());
      return Lowest().async_connect(*pool_->endpoint, OnConnectHandler());
    }
    Resolve();
  }

  SteadyClock::time_point ConnectDeadline() const {
    return std::min(call_->deadline, SteadyClock::now() + client_->options().connect_timeout);
  }

  void Resolve() {
    timer_.expires_at(ConnectDeadline());
    timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (!ec) self->resolver_.cancel();
    });
    resolver_.async_resolve(
        pool_->host, std::to_string(pool_->port),
        [self = this->shared_from_this()](beast::error_code ec, tcp::resolver::results_type r) {
          self->timer_.cancel();
          if (ec) {
            return self->Fail(ec == net::error::operation_aborted ? "timeout" : "resolve failed");
          }
          self->Lowest().expires_at(self->ConnectDeadline());
          self->Lowest().async_connect(r, self->OnConnectHandler());
        });
  }

  // One handler for a single endpoint (void(ec)) and a resolved range (void(ec, endpoint)).
  auto OnConnectHandler() {
    return [self = this->shared_from_this()](beast::error_code ec, auto&&...) {
      if (ec) {
        if (ec == beast::error::timeout) return self->Fail("timeout");
        if (ec == net::error::connection_refused) return self->Fail("connect refused");
        return self->Fail("connect failed");
      }
      beast::error_code ignored;
      self->Lowest().socket().set_option(tcp::no_delay(true), ignored);
      self->Handshake();
    };
  }

  void Handshake() {
    if constexpr (kTls) {
      SSL* ssl = stream_.native_handle();
      const auto& host = pool_->host;
      if (!pool_->endpoint) SSL_set_tlsext_host_name(ssl, host.c_str());  // no SNI for IPs
      if (client_->options().verify_peer) {
        X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
        const int ok = pool_->endpoint ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                                       : SSL_set1_host(ssl, host.c_str());
        if (ok != 1) return Fail("tls handshake failed");
      }
      Lowest().expires_at(call_->deadline);
      stream_.async_handshake(ssl::stream_base::client,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->HandshakeFailed(ec);
                                self->connected_ = true;
                                self->Write();
                              });
    } else {
      connected_ = true;
      Write();
    }
  }

  void HandshakeFailed(const beast::error_code& ec) {
    if constexpr (kTls) {
      if (ec == beast::error::timeout) return Fail("timeout");
      const long verify = SSL_get_verify_result(stream_.native_handle());
      if (client_->options().verify_peer && verify != X509_V_OK) {
        // The reason is a fixed OpenSSL text ("self-signed certificate", "hostname
        // mismatch"): safe for logs.
        error_text_ = "tls handshake failed: certificate verify failed (";
        error_text_ += X509_verify_cert_error_string(verify);
        error_text_ += ")";
        return Fail(error_text_.c_str());
      }
    }
    (void)ec;
    Fail("tls handshake failed");
  }

  void Write() {
    ClientRequest& in = call_->request;
    request_.clear();
    request_.version(11);
    const auto verb = bhttp::string_to_verb(in.method);
    if (verb == bhttp::verb::unknown) {
      request_.method_string(in.method);
    } else {
      request_.method(verb);
    }
    head_ = verb == bhttp::verb::head;
    request_.target(call_->url.target);
    request_.set(bhttp::field::host, pool_->host_header);
    request_.set(bhttp::field::user_agent, "satupintu");
    for (const auto& [name, value] : in.headers) {
      // Framing is ours: a caller's Content-Length or Transfer-Encoding could desync the
      // connection for the next request.
      if (beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding")) {
        continue;
      }
      request_.set(name, value);
    }
    request_.body() = std::move(in.body);
    request_.prepare_payload();
    call_->request_sent = true;
    Lowest().expires_at(call_->deadline);
    bhttp::async_write(stream_, request_,
                       [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec) {
                           if (ec == beast::error::timeout) return self->Fail("timeout");
                           if (IsPeerClosed(ec)) return self->Fail("connection closed by peer");
                           return self->Fail("write failed");
                         }
                         self->Read();
                       });
  }

  void Read() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(client_->options().max_response_bytes);
    if (head_) parser_->skip(true);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec) {
      if (ec == beast::error::timeout) return Fail("timeout");
      if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit ||
          ec == bhttp::error::buffer_overflow) {
        return Fail("response too large");
      }
      if (IsPeerClosed(ec)) return Fail("connection closed by peer");
      if (ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category()) {
        return Fail("bad response");
      }
      return Fail("read failed");
    }
    auto& msg = parser_->get();
    ClientResponse response;
    response.status = static_cast<int>(msg.result_int());
    response.reused_connection = reused_;
    response.headers.reserve(8);
    for (const auto& field : msg) {
      response.headers.emplace_back(LowerCase(field.name_string()), std::string(field.value()));
    }
    response.body = std::move(msg.body());
    // Bytes after the response on a keep-alive connection mean the peer and we disagree on
    // framing: do not read the next answer out of them.
    // A caller's own "Connection: close" ends the connection as well.
    const bool reusable = parser_->keep_alive() && request_.keep_alive() && buffer_.size() == 0 &&
                          !client_->stopped();
    parser_.reset();
    Finish(std::move(response), reusable);
  }

  void Fail(const char* error) {
    ClientResponse response;
    response.error = client_->stopped() ? "client stopped" : error;
    Finish(std::move(response), false);
  }

  // Ends the exchange: the connection goes back to the pool (or takes the next queued call)
  // before the caller's `done` runs, so the next request does not wait for it.
  void Finish(ClientResponse response, bool reusable) {
    CallPtr call = std::move(call_);
    response.reused_connection = reused_;
    response.request_sent = call->request_sent;
    if (!reusable) CloseNow();
    std::uint64_t generation = 0;
    CallPtr next = client_->Release(*pool_, this->shared_from_this(), reusable, &generation);
    if (reusable && !next) ArmIdleTimer(generation);
    if (next) Begin(std::move(next));
    if (!reusable) client_->Drain(*pool_);
    client_->Complete(call, std::move(response));
  }

  void ArmIdleTimer(std::uint64_t generation) {
    timer_.expires_after(client_->options().idle_close);
    timer_.async_wait([self = this->shared_from_this(), generation](beast::error_code ec) {
      if (ec) return;  // reused or closed
      self->client_->ExpireIdle(*self->pool_, self, generation);
    });
  }

  void CloseNow() {
    if (closed_) return;
    closed_ = true;
    connected_ = false;
    resolver_.cancel();
    timer_.cancel();
    // No close_notify: the peer has answered (or failed); waiting for its reply would only
    // hold the strand.
    beast::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().close();
  }

  Client::Impl* client_;
  Pool* pool_;
  net::strand<net::io_context::executor_type> strand_;
  Stream stream_;
  tcp::resolver resolver_;
  net::steady_timer timer_;  // resolve deadline, then idle deadline
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> request_;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
  CallPtr call_;
  std::string error_text_;
  bool connected_ = false;
  bool closed_ = false;
  bool reused_ = false;
  bool head_ = false;
};

}  // namespace

Client::Impl::Impl(ClientOptions options) : options_(std::move(options)) {
  if (options_.threads < 1) options_.threads = 1;
  if (options_.max_connections_per_host < 1) options_.max_connections_per_host = 1;
  // Beast's tlsv12 context would also cap at 1.2; set the floor only.
  SSL_CTX_set_min_proto_version(tls_.native_handle(), TLS1_2_VERSION);
  tls_.set_options(ssl::context::default_workarounds | ssl::context::no_compression);
  if (options_.verify_peer) {
    beast::error_code ec;
    tls_.set_default_verify_paths(ec);
    if (ec) log::Warn("http_client.ca_paths").Str("reason", ec.message());
    if (!options_.ca_file.empty()) {
      tls_.load_verify_file(options_.ca_file, ec);
      if (ec) {
        log::Warn("http_client.ca_file").Str("file", options_.ca_file).Str("reason", ec.message());
      }
    }
    tls_.set_verify_mode(ssl::verify_peer);
  } else {
    tls_.set_verify_mode(ssl::verify_none);
  }
  work_.emplace(ioc_.get_executor());
  threads_.reserve(static_cast<std::size_t>(options_.threads));
  for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
}

void Client::Impl::Send(ClientRequest request, std::function<void(ClientResponse)> done) {
  auto call = std::make_shared<Call>();
  call->started = SteadyClock::now();
  call->deadline = call->started + request.timeout;
  call->request = std::move(request);
  call->done = std::move(done);
  in_flight_.fetch_add(1, std::memory_order_relaxed);

  if (stopped()) return CompleteWithError(call, "client stopped");
  const auto url = ParseUrl(call->request.url);
  if (!url) return PostError(std::move(call), "bad url");
  call->url = *url;

  // The pool key without an allocation per request.
  thread_local std::string key;
  key.assign(url->tls ? "s:" : "p:");
  for (char c : url->host) key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  key += ':';
  key += std::to_string(url->port);

  Pool* pool = nullptr;
  {
    std::lock_guard lock(pools_mutex_);
    if (stopped()) {
      // Stop() has run (or is running) through the pools; a new one would be missed.
    } else {
      auto it = pools_.find(key);
      if (it == pools_.end()) {
        it = pools_
                 .emplace(key, std::make_unique<Pool>(url->tls, LowerCase(url->host), url->port,
                                                      url->default_port))
                 .first;
      }
      pool = it->second.get();
    }
  }
  if (pool == nullptr) return CompleteWithError(call, "client stopped");
  Submit(*pool, std::move(call));
}

ConnectionPtr Client::Impl::NewConnection(Pool& pool) {
  if (pool.tls) {
    return std::make_shared<Connection<beast::ssl_stream<beast::tcp_stream>>>(this, &pool);
  }
  return std::make_shared<Connection<beast::tcp_stream>>(this, &pool);
}

void Client::Impl::Submit(Pool& pool, CallPtr call) {
  while (true) {
    ConnectionPtr connection;
    bool fresh = false;
    {
      std::unique_lock lock(pool.mutex);
      if (pool.stopped) {
        lock.unlock();
        return PostError(std::move(call), "client stopped");
      }
      if (!pool.idle.empty()) {
        connection = std::move(pool.idle.back());
        pool.idle.pop_back();
        connection->idle = false;
      } else if (pool.open < options_.max_connections_per_host) {
        connection = NewConnection(pool);
        ++pool.open;
        std::erase_if(pool.all, [](const auto& weak) { return weak.expired(); });
        pool.all.push_back(connection);
        fresh = true;
      } else {
        // Every slot is busy: wait in line, at most until the request's own deadline.
        call->queued = true;
        call->queue_timer = std::make_unique<net::steady_timer>(ioc_, call->deadline);
        call->queue_timer->async_wait([this, &pool, call](beast::error_code ec) {
          if (ec) return;
          {
            std::lock_guard timer_lock(pool.mutex);
            if (!call->queued) return;  // a connection took it meanwhile
            call->queued = false;
            std::erase(pool.queue, call);
          }
          CompleteWithError(call, "timeout");
        });
        pool.queue.push_back(std::move(call));
        return;
      }
    }
    if (fresh) return connection->Run(std::move(call));
    // A pooled connection: too old, or closed by the peer while idle, means a new one
    // rather than a write into a dead socket.
    const bool too_old = SteadyClock::now() - connection->idle_since >= options_.idle_close;
    if (!too_old && connection->LooksAlive()) return connection->Run(std::move(call));
    connection->Close();
    {
      std::lock_guard lock(pool.mutex);
      --pool.open;
    }
  }
}

CallPtr Client::Impl::Release(Pool& pool, const ConnectionPtr& connection, bool reusable,
                              std::uint64_t* idle_generation) {
  std::lock_guard lock(pool.mutex);
  if (!reusable || pool.stopped) {
    --pool.open;
    return nullptr;
  }
  while (!pool.queue.empty()) {
    CallPtr next = std::move(pool.queue.front());
    pool.queue.pop_front();
    next->queued = false;
    next->queue_timer->cancel();
    if (SteadyClock::now() < next->deadline) return next;
    PostError(std::move(next), "timeout");
  }
  connection->idle = true;
  connection->idle_since = SteadyClock::now();
  *idle_generation = ++connection->idle_generation;
  pool.idle.push_back(connection);
  return nullptr;
}

void Client::Impl::Drain(Pool& pool) {
  while (true) {
    CallPtr next;
    ConnectionPtr connection;
    {
      std::lock_guard lock(pool.mutex);
      if (pool.stopped || pool.queue.empty() || pool.open >= options_.max_connections_per_host) {
        return;
      }
      next = std::move(pool.queue.front());
      pool.queue.pop_front();
      next->queued = false;
      next->queue_timer->cancel();
      if (SteadyClock::now() >= next->deadline) {
        PostError(std::move(next), "timeout");
        continue;
      }
      connection = NewConnection(pool);
      ++pool.open;
      std::erase_if(pool.all, [](const auto& weak) { return weak.expired(); });
      pool.all.push_back(connection);
    }
    connection->Run(std::move(next));
  }
}

void Client::Impl::ExpireIdle(Pool& pool, const ConnectionPtr& connection,
                              std::uint64_t generation) {
  {
    std::lock_guard lock(pool.mutex);
    if (!connection->idle || connection->idle_generation != generation) return;
    connection->idle = false;
    std::erase(pool.idle, connection);
    --pool.open;
  }
  connection->Close();
}

void Client::Impl::Complete(const CallPtr& call, ClientResponse response) {
  response.elapsed_ms =
      std::chrono::duration<double, std::milli>(SteadyClock::now() - call->started).count();
  auto done = std::move(call->done);
  // Counted out before `done` runs, so a caller woken by its own completion sees the count
  // without it; Stop() joins the threads, so no `done` still runs when Stop returns.
  if (in_flight_.fetch_sub(1, std::memory_order_acq_rel) == 1 && stopped()) {
    std::lock_guard lock(stop_mutex_);
    all_done_.notify_all();
  }
  if (!done) return;
  try {
    done(std::move(response));
  } catch (const std::exception& e) {
    log::Error("http_client.callback_exception").Str("detail", e.what());
  }
}

void Client::Impl::Stop() {
  {
    std::lock_guard lock(pools_mutex_);
    if (stopped_.exchange(true)) return;
  }
  std::vector<Pool*> pools;
  {
    std::lock_guard lock(pools_mutex_);
    for (auto& [key, pool] : pools_) pools.push_back(pool.get());
  }
  for (Pool* pool : pools) {
    std::deque<CallPtr> queued;
    std::vector<ConnectionPtr> live;
    {
      std::lock_guard lock(pool->mutex);
      pool->stopped = true;
      queued.swap(pool->queue);
      for (auto& call : queued) {
        call->queued = false;
        call->queue_timer->cancel();
      }
      for (auto& weak : pool->all) {
        if (auto c = weak.lock()) live.push_back(std::move(c));
      }
      pool->idle.clear();
    }
    for (auto& call : queued) PostError(std::move(call), "client stopped");
    for (auto& connection : live) connection->Close();
  }
  {
    std::unique_lock lock(stop_mutex_);
    if (!all_done_.wait_for(lock, kStopWait, [this] { return in_flight_.load() == 0; })) {
      log::Error("http_client.stop_timeout")
          .Int("in_flight", static_cast<std::int64_t>(in_flight_.load()));
    }
  }
  work_.reset();
  ioc_.stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

std::string_view ClientResponse::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Client::~Client() {
  try {
    Stop();
  } catch (const std::exception& e) {  // joining or locking failed: nothing left to do
    log::Error("http_client.stop_failed").Str("detail", e.what());
  }
}

void Client::Send(ClientRequest request, std::function<void(ClientResponse)> done) {
  impl_->Send(std::move(request), std::move(done));
}

std::size_t Client::in_flight() const { return impl_->in_flight_.load(); }

void Client::Stop() { impl_->Stop(); }

}  // namespace satupintu::http
