// Issue 18 item 8, on the server in-process: the headers every answer carries on each kind of
// listener, and the TLS 1.2 cipher suites the TLS listener agrees to. The client side of the
// cipher tests is OpenSSL itself, so the test decides exactly which suites are offered.

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cstdio>
#include <memory>

#include "server_fixture.hpp"
#include "support/http_client.hpp"

namespace satupintu::testing {
namespace {

using std::chrono::milliseconds;

constexpr char kHsts[] = "max-age=31536000";

int CountHeader(const ClientResponse& r, const std::string& lower_name) {
  int n = 0;
  for (const auto& [k, v] : r.headers) {
    std::string key = k;
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (key == lower_name) ++n;
  }
  return n;
}

class SecurityHeadersTest : public ServerFixture {
 protected:
  void SetUp() override {
    // A handler with its own caching rule, like the page's static files.
    router_.Add("GET", "/page", [](const http::Request&, const http::Respond& respond) {
      http::Response r = http::TextResponse(200, "<p>hi</p>", "text/html; charset=utf-8");
      r.headers.emplace_back("Cache-Control", "no-cache");
      respond(std::move(r));
    });
    Start(DefaultLimits(), false);
  }

  ClientResponse Call(bool tls, const std::string& method, const std::string& target,
                      const std::string& body = "") {
    RequestOptions o;
    o.tls = tls;
    o.method = method;
    o.target = target;
    o.body = body;
    return Send(tls ? tls_ : plain_, o);
  }
};

TEST_F(SecurityHeadersTest, EveryTlsAnswerCarriesHstsNosniffAndNoStore) {
  const std::vector<std::pair<int, ClientResponse>> answers = {
      {200, Call(true, "GET", "/hello")},
      {404, Call(true, "GET", "/api/v1/nope")},
      {405, Call(true, "POST", "/hello", "{}")},
      {500, Call(true, "GET", "/throw")},
      {413, Call(true, "POST", "/echo", std::string(10000, 'x'))},
  };
  for (const auto& [status, r] : answers) {
    SCOPED_TRACE(status);
    EXPECT_EQ(r.status, status) << r.error;
    EXPECT_EQ(r.Header("Strict-Transport-Security"), kHsts);
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.Header("Cache-Control"), "no-store");
    EXPECT_EQ(CountHeader(r, "strict-transport-security"), 1);
    EXPECT_EQ(CountHeader(r, "x-content-type-options"), 1);
  }
}

TEST_F(SecurityHeadersTest, PlainAnswersCarryNosniffAndNoStoreButNeverHsts) {
  const std::vector<std::pair<int, ClientResponse>> answers = {
      {200, Call(false, "GET", "/hello")},
      {404, Call(false, "GET", "/api/v1/nope")},
      {405, Call(false, "POST", "/hello", "{}")},
      {500, Call(false, "GET", "/throw")},
      {413, Call(false, "POST", "/echo", std::string(10000, 'x'))},
  };
  for (const auto& [status, r] : answers) {
    SCOPED_TRACE(status);
    EXPECT_EQ(r.status, status) << r.error;
    EXPECT_EQ(CountHeader(r, "strict-transport-security"), 0);
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  }
}

TEST_F(SecurityHeadersTest, RequestsRejectedBeforeRoutingCarryNosniff) {
  auto r = SendRaw(
      plain_, "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n",
      milliseconds(3000));
  EXPECT_NE(r.received.find("HTTP/1.1 431"), std::string::npos) << r.received;
  EXPECT_NE(r.received.find("X-Content-Type-Options: nosniff\r\n"), std::string::npos);
  EXPECT_NE(r.received.find("Cache-Control: no-store\r\n"), std::string::npos);
  EXPECT_EQ(r.received.find("Strict-Transport-Security"), std::string::npos);
}

TEST_F(SecurityHeadersTest, AHandlersOwnCacheControlIsKeptOnce) {
  for (const bool tls : {true, false}) {
    SCOPED_TRACE(tls ? "tls" : "plain");
    auto r = Call(tls, "GET", "/page");
    EXPECT_EQ(r.status, 200) << r.error;
    EXPECT_EQ(r.Header("Cache-Control"), "no-cache");
    EXPECT_EQ(CountHeader(r, "cache-control"), 1);
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(CountHeader(r, "strict-transport-security"), tls ? 1 : 0);
  }
}

// --- TLS 1.2 cipher suites --------------------------------------------------------------------

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using CtxPtr = std::unique_ptr<SSL_CTX, Deleter<SSL_CTX, SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, Deleter<SSL, SSL_free>>;

struct Handshake {
  std::string cipher;  // negotiated suite, empty when the handshake failed
  std::string error;
};

// A TLS 1.2 handshake offering exactly `ciphers` (OpenSSL names). The client runs at security
// level 0 so that it really offers what a weak client would; only the server may say no.
Handshake HandshakeTls12(std::uint16_t port, const std::string& ciphers) {
  Handshake out;
  CtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx.get(), TLS1_2_VERSION);
  if (SSL_CTX_set_cipher_list(ctx.get(), ciphers.c_str()) != 1) {
    out.error = "the client's OpenSSL does not know " + ciphers;
    return out;
  }
  const int fd = OpenConnection(port);
  if (fd < 0) {
    out.error = "connect failed";
    return out;
  }
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  SslPtr ssl(SSL_new(ctx.get()));
  SSL_set_fd(ssl.get(), fd);
  SSL_set_tlsext_host_name(ssl.get(), "localhost");
  ERR_clear_error();
  if (SSL_connect(ssl.get()) == 1) {
    out.cipher = SSL_get_cipher_name(ssl.get());
    SSL_shutdown(ssl.get());
  } else {
    char buf[256];
    ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
    out.error = buf;
  }
  ssl.reset();
  CloseFd(fd);
  return out;
}

// The fixture's certificate is ECDSA (P-256), like the gateway's self-signed one.
using EcdsaCipherTest = ServerFixture;

TEST_F(EcdsaCipherTest, Tls12AgreesToEcdheWithAeadOnly) {
  for (const char* suite : {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
                            "ECDHE-ECDSA-CHACHA20-POLY1305"}) {
    const auto h = HandshakeTls12(tls_, suite);
    EXPECT_EQ(h.cipher, suite) << h.error;
  }
  for (const char* suite : {"ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA",
                            "ECDHE-ECDSA-AES128-SHA256", "ECDHE-ECDSA-AES256-SHA384"}) {
    const auto h = HandshakeTls12(tls_, suite);
    EXPECT_EQ(h.cipher, "") << suite << " (CBC) was accepted";
    EXPECT_EQ(h.error.find("does not know"), std::string::npos) << h.error;
  }
  // The listener survives the refusals.
  RequestOptions o;
  o.tls = true;
  o.target = "/hello";
  EXPECT_EQ(Send(tls_, o).status, 200);
}

// A TLS listener with an RSA certificate: the RSA suites, including static RSA key exchange.
class RsaCipherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteRsaCertificate(dir_.File("rsa-cert.pem"), dir_.File("rsa-key.pem")));
    router_.Add("GET", "/hello", [](const http::Request&, const http::Respond& respond) {
      respond(http::TextResponse(200, "hi"));
    });
    server_ = std::make_unique<http::Server>(ioc_, http::Limits{}, &metrics_);
    ASSERT_TRUE(server_
                    ->Listen({"tls",
                              "127.0.0.1",
                              0,
                              true,
                              {dir_.File("rsa-cert.pem"), dir_.File("rsa-key.pem"), false},
                              &router_})
                    .ok());
    port_ = server_->BoundPort("tls");
    thread_ = std::thread([this] { ioc_.run(); });
  }

  void TearDown() override {
    if (!thread_.joinable()) return;
    std::promise<void> done;
    server_->Shutdown(milliseconds(500), [&](std::size_t) { done.set_value(); });
    done.get_future().wait_for(std::chrono::seconds(5));
    work_.reset();
    ioc_.stop();
    thread_.join();
  }

  static bool WriteRsaCertificate(const std::string& cert_file, const std::string& key_file) {
    std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>> key(EVP_RSA_gen(2048));
    std::unique_ptr<X509, Deleter<X509, X509_free>> cert(X509_new());
    if (!key || !cert) return false;
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return false;
    FILE* k = std::fopen(key_file.c_str(), "wb");
    FILE* c = std::fopen(cert_file.c_str(), "wb");
    const bool ok =
        k != nullptr && c != nullptr &&
        PEM_write_PrivateKey(k, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1 &&
        PEM_write_X509(c, cert.get()) == 1;
    if (k != nullptr) std::fclose(k);
    if (c != nullptr) std::fclose(c);
    return ok;
  }

  TempDir dir_;
  core::MetricsRegistry metrics_;
  boost::asio::io_context ioc_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      ioc_.get_executor()};
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  std::uint16_t port_ = 0;
};

TEST_F(RsaCipherTest, Tls12AgreesToEcdheWithAeadOnly) {
  for (const char* suite : {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384",
                            "ECDHE-RSA-CHACHA20-POLY1305"}) {
    const auto h = HandshakeTls12(port_, suite);
    EXPECT_EQ(h.cipher, suite) << h.error;
  }
  // CBC with SHA-1 or SHA-2, static RSA key exchange (no forward secrecy, even with GCM), and
  // finite-field DHE.
  for (const char* suite :
       {"ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA384", "AES128-GCM-SHA256", "AES256-GCM-SHA384",
        "AES128-SHA", "AES128-SHA256", "DHE-RSA-AES128-GCM-SHA256"}) {
    const auto h = HandshakeTls12(port_, suite);
    EXPECT_EQ(h.cipher, "") << suite << " was accepted";
    EXPECT_EQ(h.error.find("does not know"), std::string::npos) << h.error;
  }
  std::string error;
  EXPECT_EQ(TlsHandshakeVersion(port_, "", &error), "TLSv1.3") << error;
}

}  // namespace
}  // namespace satupintu::testing
