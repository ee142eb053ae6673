#include "fakes/fake_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

namespace satupintu::testing::fakes {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

// A sender under test may keep a pooled connection idle between sends; this only bounds a
// client that vanished without closing.
constexpr auto kIdleTimeout = std::chrono::seconds(30);
constexpr std::uint64_t kBodyLimit = std::uint64_t{1024} * 1024;

class Session;

}  // namespace

class FakeServer::Impl {
 public:
  explicit Impl(Handler handler) : handler_(std::move(handler)), acceptor_(ioc_) {
    const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), 0);
    beast::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("fake server: cannot listen: " + ec.message());
    port_ = acceptor_.local_endpoint().port();
    Accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }

  ~Impl() { Stop(); }

  void Stop();
  void Accept();
  FakeResponse Dispatch(const RecordedRequest& request);

  std::uint16_t port() const { return port_; }

  void Script(const FakeResponse& response, int times) {
    std::lock_guard lock(mutex_);
    for (int i = 0; i < times; ++i) scripts_.push_back(response);
  }

  std::size_t ScriptsLeft() const {
    std::lock_guard lock(mutex_);
    return scripts_.size();
  }

  std::size_t ScriptedAnswers() const {
    std::lock_guard lock(mutex_);
    return scripted_answers_;
  }

  std::vector<RecordedRequest> Requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  bool WaitForRequests(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
  }

  std::mutex sessions_mutex_;
  std::list<std::weak_ptr<Session>> sessions_;

 private:
  Handler handler_;
  // Declared before everything that holds sockets: destroyed last.
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::thread thread_;

  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<RecordedRequest> requests_;
  std::deque<FakeResponse> scripts_;
  std::size_t scripted_answers_ = 0;
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, FakeServer::Impl* owner)
      : stream_(std::move(socket)), owner_(owner) {}

  void Start() { Read(); }

  // Only called once the io thread is joined, so no handler races with it.
  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    stream_.expires_after(kIdleTimeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) {
      // Closed by the client, timed out, or a malformed request: none matter to a fake.
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    auto request = parser_->release();
    RecordedRequest recorded;
    recorded.method = std::string(request.method_string());
    recorded.target = std::string(request.target());
    for (const auto& field : request)
      recorded.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    recorded.body = std::move(request.body());
    recorded.arrived = std::chrono::steady_clock::now();

    FakeResponse answer = owner_->Dispatch(recorded);
    response_ = {};
    response_.version(11);
    response_.result(static_cast<unsigned>(answer.status));
    bool has_type = false;
    for (const auto& [name, value] : answer.headers) {
      if (beast::iequals(name, "content-type")) has_type = true;
      response_.set(name, value);
    }
    if (!has_type) response_.set(bhttp::field::content_type, "application/json");
    response_.body() = std::move(answer.body);
    response_.keep_alive(request.keep_alive());
    response_.prepare_payload();
    bhttp::async_write(stream_, response_,
                       beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) return;
    if (!response_.keep_alive()) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    Read();
  }

  beast::tcp_stream stream_;
  FakeServer::Impl* owner_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> response_;
};

}  // namespace

void FakeServer::Impl::Accept() {
  // One io thread runs everything, so sessions need no strand.
  acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec) return;  // the acceptor was closed by Stop()
    auto session = std::make_shared<Session>(std::move(socket), this);
    {
      std::lock_guard lock(sessions_mutex_);
      sessions_.remove_if([](const auto& weak) { return weak.expired(); });
      sessions_.push_back(session);
    }
    session->Start();
    Accept();
  });
}

void FakeServer::Impl::Stop() {
  if (!thread_.joinable()) return;
  ioc_.stop();
  thread_.join();
  beast::error_code ignored;
  acceptor_.close(ignored);
  // Pending handlers still own the sessions; closing the sockets tells clients at once
  // instead of when the io_context is destroyed.
  std::lock_guard lock(sessions_mutex_);
  for (auto& weak : sessions_) {
    if (auto session = weak.lock()) session->Close();
  }
  sessions_.clear();
}

FakeResponse FakeServer::Impl::Dispatch(const RecordedRequest& request) {
  std::optional<FakeResponse> scripted;
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    if (!scripts_.empty()) {
      scripted = std::move(scripts_.front());
      scripts_.pop_front();
      ++scripted_answers_;
    }
  }
  arrived_.notify_all();
  if (scripted) return std::move(*scripted);
  try {
    return handler_(request);
  } catch (const std::exception& e) {
    // A bug in a fake should fail the test loudly, not hang the client.
    return FakeResponse{500, std::string("fake handler threw: ") + e.what(), {}};
  }
}

std::string RecordedRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (beast::iequals(key, name)) return value;
  }
  return {};
}

FakeServer::FakeServer(Handler handler) : impl_(std::make_shared<Impl>(std::move(handler))) {}
FakeServer::~FakeServer() { Stop(); }
std::uint16_t FakeServer::port() const { return impl_->port(); }
std::string FakeServer::BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port()); }
void FakeServer::Stop() { impl_->Stop(); }
void FakeServer::Script(const FakeResponse& response, int times) { impl_->Script(response, times); }
std::size_t FakeServer::ScriptsLeft() const { return impl_->ScriptsLeft(); }
std::size_t FakeServer::ScriptedAnswers() const { return impl_->ScriptedAnswers(); }
std::vector<RecordedRequest> FakeServer::Requests() const { return impl_->Requests(); }
std::size_t FakeServer::RequestCount() const { return impl_->Requests().size(); }
bool FakeServer::WaitForRequests(std::size_t count, std::chrono::milliseconds timeout) const {
  return impl_->WaitForRequests(count, timeout);
}

}  // namespace satupintu::testing::fakes
