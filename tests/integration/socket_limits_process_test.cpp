// The real binary against the process's file limit: the soft limit is raised at start to fit
// both listeners' connections, and a hard limit too low for them refuses the start naming the
// settings. The limits are set by a shell's ulimit just before exec, so this process keeps its
// own.

#include <gtest/gtest.h>

#include <fstream>

#include "gateway_harness.hpp"

namespace satupintu::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kUlimitFailed = 99;

// "Max open files  <soft>  <hard>  files" of /proc/<pid>/limits; 0 when unreadable.
std::uint64_t SoftFileLimitOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/limits");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Max open files", 0) != 0) continue;
    return std::strtoull(line.c_str() + std::string("Max open files").size(), nullptr, 10);
  }
  return 0;
}

TEST(SocketLimitsProcessTest, RefusesToStartWhenTheHardFileLimitCannotHoldTheConnections) {
  TempDir dir;
  WriteFile(dir.File("gw.json"), TestConfig(dir));  // public 4096 + private 256 connections
  Child child({"/bin/sh", "-c",
               "ulimit -n 1024 || exit " + std::to_string(kUlimitFailed) +
                   "; exec \"$0\" serve --config \"$1\"",
               SatupintuBinary(), dir.File("gw.json")},
              dir.File("gw.log"));
  const int code = child.Wait(15s);
  if (code == kUlimitFailed) GTEST_SKIP() << "this process's hard file limit is below 1024";
  const std::string log = ReadFile(dir.File("gw.log"));
  EXPECT_EQ(code, 1) << log;
  const auto lines = ParseLog(log);
  const auto* failed = FindEvent(lines, "app.start_failed");
  ASSERT_NE(failed, nullptr) << log;
  const std::string reason = failed->value("reason", "");
  EXPECT_NE(reason.find("public.max_connections (4096) + private.max_connections (256)"),
            std::string::npos)
      << reason;
  EXPECT_NE(reason.find("hard limit (RLIMIT_NOFILE) is 1024"), std::string::npos) << reason;
  EXPECT_EQ(FindEvent(lines, "app.ready"), nullptr) << log;
}

TEST(SocketLimitsProcessTest, RaisesTheSoftFileLimitToFitTheConnections) {
  TempDir dir;
  WriteFile(dir.File("gw.json"), ConfigWith(dir, {{"public", {{"max_connections", 1000}}},
                                                  {"private", {{"max_connections", 200}}}}));
  Child child({"/bin/sh", "-c",
               "{ ulimit -Sn 256 && ulimit -Hn 4096; } || exit " + std::to_string(kUlimitFailed) +
                   "; exec \"$0\" serve --config \"$1\" --ports-file \"$2\"",
               SatupintuBinary(), dir.File("gw.json"), dir.File("gw.ports")},
              dir.File("gw.log"));
  const Ports ports = WaitForPorts(dir.File("gw.ports"), child, 15s);
  if (!child.running() && child.Wait(1s) == kUlimitFailed) {
    GTEST_SKIP() << "this process's hard file limit is below 4096";
  }
  ASSERT_NE(ports.private_port, 0) << ReadFile(dir.File("gw.log"));
  // 1000 + 200 connections and the margin for the store, the peers and files.
  const std::uint64_t soft = SoftFileLimitOf(child.pid());
  EXPECT_GE(soft, 1200u + 128u);
  EXPECT_LE(soft, 4096u);
  EXPECT_EQ(Get(ports.private_port, "/healthz").status, 200);

  child.Signal(SIGTERM);
  EXPECT_EQ(child.Wait(15s), 0);
  const auto lines = ParseLog(ReadFile(dir.File("gw.log")));
  const auto* raised = FindEvent(lines, "app.file_limit_raised");
  ASSERT_NE(raised, nullptr) << ReadFile(dir.File("gw.log"));
  EXPECT_EQ(raised->value("from", 0), 256);
  EXPECT_EQ(raised->value("to", 0), static_cast<std::int64_t>(soft));
}

}  // namespace
}  // namespace satupintu::testing
