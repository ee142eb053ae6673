#include "fakes/webhook_poster.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace satupintu::testing::fakes {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr auto kDeliveryTimeout = std::chrono::seconds(5);

struct ParsedUrl {
  std::string host;
  std::uint16_t port = 80;
  std::string target = "/";
};

// Only what the fakes need: http://host[:port][/path]. Returns an error text or empty.
std::string ParseUrl(const std::string& url, ParsedUrl* out) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0) return "only http:// URLs are supported";
  const std::string rest = url.substr(kScheme.size());
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) out->target = rest.substr(slash);
  const auto colon = authority.rfind(':');
  out->host = authority.substr(0, colon);
  if (colon != std::string::npos) {
    try {
      const int port = std::stoi(authority.substr(colon + 1));
      if (port <= 0 || port > 65535) return "bad port";
      out->port = static_cast<std::uint16_t>(port);
    } catch (const std::exception&) {
      return "bad port";
    }
  }
  // Tests must stay hermetic: a fake never reaches beyond this machine.
  if (out->host == "localhost") out->host = "127.0.0.1";
  if (out->host != "127.0.0.1") return "refused: not a loopback host: " + out->host;
  return {};
}

}  // namespace

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(std::size_t{length} * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0x0f]);
  }
  return out;
}

WebhookDelivery PostOnce(const std::string& url, const std::string& body, const Headers& headers,
                         std::chrono::milliseconds timeout) {
  WebhookDelivery result{url, body, headers, 0, {}};
  ParsedUrl parsed;
  if (auto error = ParseUrl(url, &parsed); !error.empty()) {
    result.error = std::move(error);
    return result;
  }
  bhttp::request<bhttp::string_body> request{bhttp::verb::post, parsed.target, 11};
  request.set(bhttp::field::host, parsed.host + ":" + std::to_string(parsed.port));
  request.set(bhttp::field::content_type, "application/json");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.keep_alive(false);
  request.prepare_payload();

  // Asynchronous on a private io_context because tcp_stream deadlines only apply to
  // asynchronous operations: a receiver that never answers must not hang the worker.
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  beast::error_code failure;
  stream.expires_after(timeout);  // one deadline for connect, write and read together
  const tcp::endpoint endpoint(net::ip::make_address(parsed.host), parsed.port);
  stream.async_connect(endpoint, [&](beast::error_code connect_ec) {
    if (connect_ec) {
      failure = connect_ec;
      return;
    }
    bhttp::async_write(stream, request, [&](beast::error_code write_ec, std::size_t) {
      if (write_ec) {
        failure = write_ec;
        return;
      }
      bhttp::async_read(stream, buffer, response,
                        [&](beast::error_code read_ec, std::size_t) { failure = read_ec; });
    });
  });
  ioc.run();
  if (failure) {
    result.error = failure.message();
    return result;
  }
  result.status = static_cast<int>(response.result_int());
  return result;
}

WebhookPoster::WebhookPoster() : worker_([this] { Run(); }) {}

WebhookPoster::~WebhookPoster() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

void WebhookPoster::Post(std::string url, std::string body, Headers headers) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Job{std::move(url), std::move(body), std::move(headers)});
  }
  changed_.notify_all();
}

std::vector<WebhookDelivery> WebhookPoster::Deliveries() const {
  std::lock_guard lock(mutex_);
  return done_;
}

bool WebhookPoster::WaitForDeliveries(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return done_.size() >= count; });
}

void WebhookPoster::Run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    auto delivery = PostOnce(job.url, job.body, job.headers, kDeliveryTimeout);
    {
      std::lock_guard lock(mutex_);
      done_.push_back(std::move(delivery));
    }
    changed_.notify_all();
  }
}

}  // namespace satupintu::testing::fakes
