#include <gtest/gtest.h>

#include "server_fixture.hpp"
#include "support/http_client.hpp"

namespace satupintu::testing {
namespace {

using std::chrono::milliseconds;
using TlsTest = ServerFixture;

TEST_F(TlsTest, ServesHttpsWithTls13ByDefault) {
  std::string error;
  EXPECT_EQ(TlsHandshakeVersion(tls_, "", &error), "TLSv1.3") << error;
  RequestOptions o;
  o.tls = true;
  o.target = "/hello";
  auto r = Send(tls_, o);
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body, "hi");
}

TEST_F(TlsTest, AcceptsTls12) {
  std::string error;
  EXPECT_EQ(TlsHandshakeVersion(tls_, "1.2", &error), "TLSv1.2") << error;
}

TEST_F(TlsTest, RefusesTls11) {
  std::string error;
  EXPECT_EQ(TlsHandshakeVersion(tls_, "1.1", &error), "");
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(Get(plain_, "/hello").status, 200);
}

TEST_F(TlsTest, GarbageOnTheTlsPortClosesTheConnection) {
  auto r = SendRaw(
      tls_, std::string("\x16\x03\x01\x00\x05garbage-not-a-hello", 24) + std::string(200, '\xff'),
      milliseconds(3000));
  EXPECT_TRUE(r.closed_by_peer);
  EXPECT_EQ(r.received.find("HTTP/1.1 200"), std::string::npos);
  RequestOptions o;
  o.tls = true;
  o.target = "/hello";
  EXPECT_EQ(Send(tls_, o).status, 200) << "the listener survives";
}

TEST_F(TlsTest, PlainHttpOnTheTlsPortIsClosed) {
  auto r = SendRaw(tls_, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", milliseconds(3000));
  EXPECT_TRUE(r.closed_by_peer);
  EXPECT_EQ(r.received.find("200 OK"), std::string::npos);
}

TEST_F(TlsTest, SilentClientIsCutAtTheHandshakeDeadline) {
  const int fd = OpenConnection(tls_);
  auto r = WaitForClose(fd, milliseconds(5000));
  CloseFd(fd);
  EXPECT_TRUE(r.closed_by_peer);
  EXPECT_GE(r.elapsed.count(), 400);
  EXPECT_LT(r.elapsed.count(), 3000);
}

TEST_F(TlsTest, LimitsApplyInsideTls) {
  RequestOptions o;
  o.tls = true;
  o.method = "POST";
  o.target = "/echo";
  o.body = std::string(10000, 'x');
  EXPECT_EQ(Send(tls_, o).status, 413);
}

class Tls13OnlyTest : public ServerFixture {
 protected:
  void SetUp() override { Start(DefaultLimits(), true); }
};

TEST_F(Tls13OnlyTest, MinimumVersionIsConfigurable) {
  std::string error;
  EXPECT_EQ(TlsHandshakeVersion(tls_, "1.2", &error), "");
  EXPECT_EQ(TlsHandshakeVersion(tls_, "1.3", &error), "TLSv1.3") << error;
}

}  // namespace
}  // namespace satupintu::testing
