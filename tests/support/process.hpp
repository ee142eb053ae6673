#pragma once
// Starting the real satupintu binary from tests: spawn with arguments, wait for its ports
// file, signal it, read its stderr log.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>
#include "paths/paths.hpp"

namespace satupintu::testing {

// A fresh directory under /tmp, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& text);
std::string ReadFile(const std::string& path);

// Looks at `condition` every 50 ms until it holds or `timeout` has passed (one last look then).
bool WaitUntil(const std::function<bool()>& condition,
               std::chrono::milliseconds timeout = std::chrono::seconds(10));

class Child {
 public:
  // Spawns argv[0] with argv; stdout and stderr go to `log_file` (appended). `env` entries
  // ("NAME=value") are added to the inherited environment.
  Child(const std::vector<std::string>& argv, const std::string& log_file,
        const std::vector<std::string>& env = {}, const std::string& cwd = {});
  ~Child();  // SIGKILLs a child still running
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int signo) const;
  // Waits for exit; returns the exit code, 128+signal when killed, -1 on timeout.
  int Wait(std::chrono::milliseconds timeout);
  bool running();

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  bool reaped_ = false;
};

struct Ports {
  std::uint16_t public_port = 0;
  std::uint16_t private_port = 0;
};

// Polls `ports_file` (written by `serve --ports-file`) until it parses or timeout; also gives
// up early if `child` exits. Returns zero ports on failure.
Ports WaitForPorts(const std::string& ports_file, Child& child, std::chrono::milliseconds timeout);

// A config for tests: ports 0, store and TLS files inside `dir`, journal route on.
// `extra` is spliced into the top-level object (e.g. R"("log":{"level":"debug"})"); it must
// not repeat a section written here (public, private, tls, store, diagnostics): duplicate
// keys are a config error.
std::string TestConfig(const TempDir& dir, const std::string& extra = "");

}  // namespace satupintu::testing
