// The SMS peers' configurations shipped in deploy/ (issue 19, the operator's kit) run on the real
// daemons: Kannel 1.4.5's bearerbox and smsbox on deploy/kannel/kannel.conf, Gammu SMSD 1.42
// on deploy/gammu/gammu-smsdrc. Only what cannot exist here is rewritten: ports (free ones on
// loopback), paths (a TempDir), the placeholders, and the modem (/dev/null for Kannel's AT
// driver, which then keeps retrying; Gammu's dummy phone).

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <thread>

#include "paths/paths.hpp"
#include "support/gammu_peer.hpp"
#include "support/http_client.hpp"
#include "support/kannel_peer.hpp"
#include "support/process.hpp"

namespace satupintu::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

ClientResponse GetWithTimeout(std::uint16_t port, const std::string& target) {
  RequestOptions o;
  o.target = target;
  o.timeout = 2000ms;
  return Send(port, o);
}

TEST(DeployPeersTest, KannelStartsOnTheShippedUsbModemConfig) {
  TempDir dir;
  std::string conf = ReadFile(SourcePath("deploy/kannel/kannel.conf"));
  ASSERT_FALSE(conf.empty());
  const auto ports = FreeLoopbackPorts(3);
  const std::map<std::string, std::string> rewrites = {
      {"admin-port = 13000", "admin-port = " + std::to_string(ports[0])},
      {"13001", std::to_string(ports[1])},  // bearerbox's smsbox-port, smsbox's bearerbox-port
      {"sendsms-port = 13013", "sendsms-port = " + std::to_string(ports[2])},
      {"/var/log/kannel/", dir.path() + "/"},
      {"/var/lib/kannel", dir.File("store")},
      {"/dev/ttyUSB0", "/dev/null"},
      {"<admin password>", "adm-Pw9"},
      {"<the SIM's number, +62...>", "+6281100000000"},
      {"<the SIM's number, 62...>", "6281100000000"},
      {"<sendsms password: the same secret as channels.kannel[].password>", "snd-Pw9"},
      {"<name>", "dinsos"},
      {"<shared secret>", "sekret"},
  };
  for (const auto& [from, to] : rewrites) {
    ASSERT_NE(conf.find(from), std::string::npos) << from;
    ReplaceAll(conf, from, to);
  }
  ASSERT_EQ(conf.find('<'), std::string::npos) << "a placeholder this test does not fill";
  WriteFile(dir.File("kannel.conf"), conf);
  std::filesystem::create_directory(dir.File("store"));  // the unit's StateDirectory=

  Child bearerbox({"/usr/sbin/bearerbox", dir.File("kannel.conf")}, dir.File("bearerbox.out"));
  const std::string status_target = "/status.txt?password=adm-Pw9";
  ASSERT_TRUE(WaitUntil(
      [&] { return !bearerbox.running() || GetWithTimeout(ports[0], status_target).status == 200; },
      10s));
  ASSERT_TRUE(bearerbox.running()) << ReadFile(dir.File("bearerbox.out"));
  EXPECT_NE(GetWithTimeout(ports[0], status_target).body.find("modem1"), std::string::npos)
      << "the AT modem's group is loaded";

  Child smsbox({"/usr/sbin/smsbox", dir.File("kannel.conf")}, dir.File("smsbox.out"));
  ASSERT_TRUE(WaitUntil(
      [&] {
        return !smsbox.running() ||
               GetWithTimeout(ports[0], status_target).body.find("smsbox:") != std::string::npos;
      },
      10s));
  ASSERT_TRUE(smsbox.running()) << ReadFile(dir.File("smsbox.out"));

  // The sendsms user: a wrong password is refused; the right one queues the SMS in the store
  // until the modem is there.
  ASSERT_TRUE(
      WaitUntil([&] { return GetWithTimeout(ports[2], "/cgi-bin/sendsms").status != 0; }, 10s));
  const std::string send = "/cgi-bin/sendsms?username=satupintu&to=%2B6281234567890&text=Halo";
  EXPECT_EQ(GetWithTimeout(ports[2], send + "&password=wrong").status, 403);
  const ClientResponse queued = GetWithTimeout(ports[2], send + "&password=snd-Pw9");
  EXPECT_EQ(queued.status, 202) << queued.body;
  EXPECT_NE(queued.body.find("Queued for later delivery"), std::string::npos) << queued.body;
}

TEST(DeployPeersTest, GammuSmsdReceivesOnTheShippedConfig) {
  GammuPeerOptions options;
  options.smsdrc_from = SourcePath("deploy/gammu/gammu-smsdrc");
  GammuPeer smsd(options);
  ASSERT_EQ(smsd.setup_error(), "");
  ASSERT_TRUE(smsd.Start(20s)) << smsd.Log();
  // ReceiveFrequency = 5 in the shipped file: an SMS is in the inbox within a few seconds.
  smsd.DropMo("6281234567890", "Halo, bantuan PKH saya belum cair");
  EXPECT_TRUE(WaitUntil([&] { return smsd.QueryInt("SELECT COUNT(*) FROM inbox") == 1; }, 20s))
      << smsd.Log();
  EXPECT_EQ(smsd.QueryInt("SELECT COUNT(*) FROM phones WHERE ID = 'modem1'"), 1);
}

}  // namespace
}  // namespace satupintu::testing
