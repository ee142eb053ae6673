// The real satupintu binary as a child process: start-up, the ops routes, TLS files,
// check-config, start-up failures and graceful shutdown. Every wait is bounded; every server
// binds 127.0.0.1 port 0.

#include <gtest/gtest.h>

#include "gateway_harness.hpp"

namespace satupintu::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

TEST(ProcessTest, StartsServesOpsRoutesAndStopsCleanlyOnSigterm) {
  TempDir dir;
  Gateway gw = StartGateway(dir, TestConfig(dir));
  ASSERT_NE(gw.ports.private_port, 0) << "no ports file within 10 s\n" << gw.Log();
  ASSERT_NE(gw.ports.public_port, 0) << gw.Log();

  auto health = Get(gw.ports.private_port, "/healthz");
  EXPECT_EQ(health.status, 200) << health.error << health.body;

  RequestOptions tls;
  tls.target = "/healthz";
  tls.tls = true;
  auto public_health = Send(gw.ports.public_port, tls);
  EXPECT_EQ(public_health.status, 200) << public_health.error << public_health.body;

  auto ready = Get(gw.ports.private_port, "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.error << ready.body;
  const json ready_doc = json::parse(ready.body, nullptr, false);
  ASSERT_TRUE(ready_doc.is_object()) << ready.body;
  ASSERT_TRUE(ready_doc.contains("schema_version")) << ready.body;
  EXPECT_TRUE(ready_doc["schema_version"].is_number_integer()) << ready.body;
  EXPECT_GE(ready_doc.value("schema_version", 0), 1) << ready.body;

  auto metrics = Get(gw.ports.private_port, "/metrics");
  EXPECT_EQ(metrics.status, 200) << metrics.error;
  for (const char* name :
       {"satupintu_http_requests_total", "satupintu_http_request_duration_seconds_bucket",
        "satupintu_store_queue_depth", "satupintu_store_commit_batch_size_bucket",
        "satupintu_build_info"}) {
    EXPECT_NE(metrics.body.find(name), std::string::npos) << name << " missing from\n"
                                                          << metrics.body;
  }

  EXPECT_EQ(StopGateway(gw), 0) << gw.Log();
  const auto lines = ParseLog(gw.Log());
  for (const char* event : {"app.stopping", "store.closed", "app.stopped"}) {
    EXPECT_NE(FindEvent(lines, event), nullptr) << event << " not logged\n" << gw.Log();
  }
}

// Supervisors and tests treat the ports file as "ready": a SIGTERM sent the moment it
// appears must already find the graceful handler, and an idle server must stop promptly.
TEST(ProcessTest, SigtermRightAfterThePortsFileStopsGracefully) {
  TempDir dir;
  const std::string config = TestConfig(dir);
  WriteFile(dir.File("gw.json"), config);
  for (int i = 0; i < 10; ++i) {
    Gateway gw;
    gw.log_file = dir.File("start" + std::to_string(i) + ".log");
    const std::string ports_file = dir.File("start" + std::to_string(i) + ".ports");
    gw.child = std::make_unique<Child>(
        std::vector<std::string>{SatupintuBinary(), "serve", "--config", dir.File("gw.json"),
                                 "--ports-file", ports_file},
        gw.log_file);
    // Spin rather than poll every 10 ms like WaitForPorts: a slow poll hides a window in
    // which the file exists but SIGTERM still has its default action.
    const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    while (!std::filesystem::exists(ports_file) && gw.child->running() &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(50us);
    }
    ASSERT_TRUE(std::filesystem::exists(ports_file)) << gw.Log();
    gw.child->Signal(SIGTERM);
    const int code = gw.child->Wait(5s);
    ASSERT_EQ(code, 0) << "start " << i << ": "
                       << (code == 128 + SIGTERM ? "killed by SIGTERM"
                           : code == -1          ? "still running after 5 s"
                                                 : "unexpected exit")
                       << "\n"
                       << gw.Log();
  }
}

TEST(ProcessTest, SelfSignedCertificateIsCreatedOnceAndReused) {
  TempDir dir;
  const std::string cert = dir.File("tls/cert.pem");
  const std::string key = dir.File("tls/key.pem");
  ASSERT_FALSE(std::filesystem::exists(cert));

  Gateway first = StartGateway(dir, TestConfig(dir), "first");
  ASSERT_NE(first.ports.public_port, 0) << first.Log();
  ASSERT_TRUE(std::filesystem::exists(cert)) << first.Log();
  ASSERT_TRUE(std::filesystem::exists(key)) << first.Log();
  struct stat key_stat {};
  ASSERT_EQ(::stat(key.c_str(), &key_stat), 0);
  EXPECT_EQ(key_stat.st_mode & 0777, 0600u) << std::oct << (key_stat.st_mode & 0777);
  const std::string cert_bytes = ReadFile(cert);
  const std::string key_bytes = ReadFile(key);
  EXPECT_NE(cert_bytes.find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_NE(key_bytes.find("PRIVATE KEY"), std::string::npos);
  EXPECT_TRUE(HasEvent(first.Log(), "tls.self_signed_created")) << first.Log();
  ASSERT_EQ(StopGateway(first), 0) << first.Log();

  Gateway second = StartGateway(dir, TestConfig(dir), "second");
  ASSERT_NE(second.ports.public_port, 0) << second.Log();
  RequestOptions tls;
  tls.target = "/healthz";
  tls.tls = true;
  auto r = Send(second.ports.public_port, tls);
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(ReadFile(cert), cert_bytes);
  EXPECT_EQ(ReadFile(key), key_bytes);
  EXPECT_FALSE(HasEvent(second.Log(), "tls.self_signed_created")) << second.Log();
  EXPECT_EQ(StopGateway(second), 0) << second.Log();
}

TEST(ProcessTest, SigtermLetsAnInFlightJournalWriteFinish) {
  TempDir dir;
  Gateway gw = StartGateway(dir, ConfigWith(dir, {{"store", {{"busy_timeout_ms", 3000}}},
                                                  {"http", {{"shutdown_grace_ms", 10000}}}}));
  ASSERT_NE(gw.ports.private_port, 0) << gw.Log();

  SqliteFile db(dir.File("satupintu.db"));
  ASSERT_TRUE(db.IsOpen()) << db.LastError();
  // The gateway's writer now waits in its busy handler: the request stays in flight.
  ASSERT_EQ(db.Exec("BEGIN EXCLUSIVE"), SQLITE_OK) << db.LastError();

  ClientResponse in_flight;
  std::atomic<bool> answered{false};
  const std::uint16_t port = gw.ports.private_port;
  std::thread client([&] {
    in_flight =
        PostJournal(port, "telegram", R"({"update_id":"inflight-1","text":"halo"})", {}, 10s);
    answered = true;
  });

  // SIGTERM only once the request has been read: before that the server may drop it as an
  // idle connection, which would be correct but would prove nothing. Two open connections =
  // the POST and this /metrics probe.
  bool seen = false;
  for (auto deadline = std::chrono::steady_clock::now() + 5s;
       !seen && std::chrono::steady_clock::now() < deadline;) {
    auto m = Get(port, "/metrics");
    for (const char* want :
         {"satupintu_http_open_connections 2", "satupintu_http_open_connections 3"}) {
      if (m.body.find(want) != std::string::npos) seen = true;
    }
    if (!seen) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(seen) << "the POST never showed up as an open connection";
  std::this_thread::sleep_for(200ms);  // let the server finish reading the small body
  EXPECT_FALSE(answered.load()) << "answered while the database was locked: " << in_flight.status;

  gw.child->Signal(SIGTERM);
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(gw.child->running()) << "exited with a request in flight\n" << gw.Log();
  EXPECT_FALSE(answered.load());
  ASSERT_EQ(db.Exec("ROLLBACK"), SQLITE_OK) << db.LastError();

  client.join();
  EXPECT_EQ(in_flight.status, 200) << in_flight.error << in_flight.body << "\n" << gw.Log();
  EXPECT_EQ(gw.child->Wait(kStopTimeout), 0) << gw.Log();
  EXPECT_EQ(db.Rows("telegram", "inflight-1"), 1);
  const auto lines = ParseLog(gw.Log());
  EXPECT_NE(FindEvent(lines, "http.draining"), nullptr) << gw.Log();
  EXPECT_EQ(FindEvent(lines, "http.shutdown_forced"), nullptr) << gw.Log();
  EXPECT_NE(FindEvent(lines, "app.stopped"), nullptr) << gw.Log();
}

TEST(ProcessTest, CheckConfigAcceptsValidAndRejectsInvalidFiles) {
  TempDir dir;
  auto check = [&](const std::string& name, const std::string& text) {
    const std::string file = dir.File(name + ".json");
    WriteFile(file, text);
    return RunToExit(dir, {"check-config", "--config", file}, name);
  };

  {
    auto [code, out] = check("valid", TestConfig(dir));
    EXPECT_EQ(code, 0) << out;
  }
  {
    auto [code, out] = check("unknown", TestConfig(dir, R"("stor": {})"));
    EXPECT_EQ(code, 2) << out;
    EXPECT_TRUE(NamesKey(out, "stor")) << out;
  }
  {
    auto [code, out] = check("range", ConfigWith(dir, {{"http", {{"threads", 0}}}}));
    EXPECT_EQ(code, 2) << out;
    EXPECT_TRUE(NamesKey(out, "http.threads")) << out;
  }
  {
    auto [code, out] =
        check("secret", ConfigWith(dir, {{"diagnostics", {{"token", "abc123secret"}}}}));
    EXPECT_EQ(code, 2) << out;
    EXPECT_TRUE(NamesKey(out, "diagnostics.token")) << out;
    EXPECT_EQ(out.find("abc123secret"), std::string::npos) << out;
  }
  {
    auto [code, out] = check("broken", R"({"public": {"port": 0},)");
    EXPECT_EQ(code, 2) << out;
    EXPECT_NE(out.find("JSON"), std::string::npos) << out;
  }
}

TEST(ProcessTest, ServeFailsWhenItsPortIsTaken) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int taken = ntohs(addr.sin_port);

  TempDir dir;
  Gateway gw = StartGateway(dir, ConfigWith(dir, {{"private", {{"port", taken}}}}));
  const int code = gw.child->Wait(kStopTimeout);
  ::close(fd);
  EXPECT_EQ(code, 1) << gw.Log();
  const auto lines = ParseLog(gw.Log());
  const json* failed = FindEvent(lines, "app.start_failed");
  ASSERT_NE(failed, nullptr) << gw.Log();
  EXPECT_NE(failed->dump().find(":" + std::to_string(taken)), std::string::npos) << gw.Log();
}

TEST(ProcessTest, ServeFailsWithCertificateButNoKey) {
  TempDir dir;
  std::filesystem::create_directories(dir.File("tls"));
  WriteFile(dir.File("tls/cert.pem"), "-----BEGIN CERTIFICATE-----\nnot used\n");
  Gateway gw = StartGateway(dir, TestConfig(dir));
  EXPECT_EQ(gw.child->Wait(kStopTimeout), 1) << gw.Log();
  const auto lines = ParseLog(gw.Log());
  const json* failed = FindEvent(lines, "app.start_failed");
  ASSERT_NE(failed, nullptr) << gw.Log();
  EXPECT_NE(failed->dump().find("key.pem"), std::string::npos) << gw.Log();
  // A half-present pair is an operator's mistake: it must not be papered over.
  EXPECT_FALSE(std::filesystem::exists(dir.File("tls/key.pem")));
}

// `satupintu chat` reads a citizen's lines from stdin. On the configured store the ticket it
// opens is real (and it says so); with --scratch nothing is left behind.
std::pair<int, std::string> Chat(const TempDir& dir, const std::string& config_file,
                                 const std::string& lines, const std::string& extra,
                                 const std::string& name) {
  const std::string out = dir.File(name + ".out");
  Child child({"/bin/sh", "-c",
               "printf '" + lines + "' | '" + SatupintuBinary() + "' chat --config '" +
                   config_file + "' " + extra},
              out);
  const int code = child.Wait(kStopTimeout);
  return {code, ReadFile(out)};
}

TEST(ProcessTest, ChatTalksToTheDialogsOnTheStoreOrAScratchOne) {
  TempDir dir;
  const std::string config_file = dir.File("chat.json");
  WriteFile(config_file, TestConfig(dir));
  // No registry: the form asks the place once ("tidak tahu": the regency's queue).
  const std::string oneshot =
      "ADU#3206014508850003#PKH belum cair tiga bulan\\ntidak tahu\\n/quit\\n";

  auto [code, out] = Chat(dir, config_file, oneshot, "", "real");
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("Pengaduan diterima. Nomor tiket: ADU-"), std::string::npos) << out;
  EXPECT_NE(out.find("tickets opened here are real"), std::string::npos) << out;
  {
    SqliteFile db(dir.File("satupintu.db"));
    EXPECT_EQ(db.Int("SELECT COUNT(*) FROM ticket"), 1);
  }

  auto [scratch_code, scratch_out] = Chat(dir, config_file, oneshot, "--scratch", "scratch");
  EXPECT_EQ(scratch_code, 0) << scratch_out;
  EXPECT_NE(scratch_out.find("Nomor tiket: ADU-"), std::string::npos) << scratch_out;
  EXPECT_NE(scratch_out.find("Scratch store"), std::string::npos) << scratch_out;
  SqliteFile db(dir.File("satupintu.db"));
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM ticket"), 1) << "the scratch ticket is not in the store";
  // The NIK typed is never echoed (stdin is not): neither the replies nor the log have it.
  EXPECT_EQ(out.find("3206014508850003"), std::string::npos) << out;
}

// The SLA pass runs in the gateway: a ticket received 30 days ago, never verified, is marked
// breached and escalated to the kecamatan by the system, with its history; the log says how
// many and never which. A holiday file that cannot be read stops the start, naming the key.
TEST(ProcessTest, TheSlaPassEscalatesAnOverdueTicketAndNeedsItsHolidayFile) {
  TempDir dir;
  const std::string config = ConfigWith(dir, {{"tickets", {{"sla_interval_seconds", 1}}}});
  Gateway first = StartGateway(dir, config, "first");
  ASSERT_NE(first.ports.private_port, 0) << first.Log();
  EXPECT_EQ(StopGateway(first), 0);

  const std::int64_t old_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(
          (std::chrono::system_clock::now() - std::chrono::hours(24 * 30)).time_since_epoch())
          .count();
  {
    SqliteFile db(dir.File("satupintu.db"));
    ASSERT_TRUE(db.IsOpen());
    const std::string at = std::to_string(old_ms);
    ASSERT_EQ(db.Exec("INSERT INTO ticket (code, type, status, citizen_id, channel, village_code,"
                      " created_at_ms, updated_at_ms, stage_at_ms) VALUES ('ADU-0LD0A1',"
                      " 'complaint', 'received', 1, 'kannel:dinsos', '32.06.05.2002', " +
                      at + ", " + at + ", " + at + ")"),
              SQLITE_OK);
  }
  Gateway gw = StartGateway(dir, config, "gw");
  ASSERT_NE(gw.ports.private_port, 0) << gw.Log();
  SqliteFile db(dir.File("satupintu.db"));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (db.Int("SELECT COUNT(*) FROM ticket WHERE sla = 'breached' AND level = 'kecamatan'") !=
             1 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(db.Int("SELECT COUNT(*) FROM ticket WHERE sla = 'breached' AND level = 'kecamatan'"), 1)
      << gw.Log();
  EXPECT_EQ(db.Text("SELECT group_concat(action, ',') FROM (SELECT action FROM ticket_event"
                    " WHERE actor_id = 0 ORDER BY id)"),
            "sla_breach,escalate");
  EXPECT_EQ(StopGateway(gw), 0);
  const std::string log = gw.Log();
  EXPECT_TRUE(HasEvent(log, "tickets.sla")) << log;
  EXPECT_EQ(log.find("ADU-0LD0A1"), std::string::npos);

  const std::string broken =
      ConfigWith(dir, {{"tickets", {{"holidays_file", dir.File("no-such-holidays.json")}}}});
  WriteFile(dir.File("broken.json"), broken);
  auto [code, out] = RunToExit(dir, {"serve", "--config", dir.File("broken.json")}, "broken");
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("tickets.holidays_file"), std::string::npos) << out;
}

}  // namespace
}  // namespace satupintu::testing
