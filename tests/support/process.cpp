#include "support/process.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

#include <fcntl.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

namespace satupintu::testing {

TempDir::TempDir() {
  std::string pattern = "/tmp/satupintu-test-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

Child::Child(const std::vector<std::string>& argv, const std::string& log_file,
             const std::vector<std::string>& env, const std::string& cwd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_file.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());

  std::vector<char*> args;
  args.reserve(argv.size());
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  for (const auto& e : env) env_strings.push_back(e);
  std::vector<char*> envp;
  envp.reserve(env_strings.size());
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  if (posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), envp.data()) != 0) pid_ = -1;
  posix_spawn_file_actions_destroy(&actions);
  if (pid_ < 0) throw std::runtime_error("cannot spawn " + argv[0]);
}

Child::~Child() {
  if (pid_ > 0 && !reaped_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
  }
}

void Child::Signal(int signo) const {
  if (pid_ > 0 && !reaped_) ::kill(pid_, signo);
}

bool Child::running() {
  if (reaped_) return false;
  const pid_t r = ::waitpid(pid_, &status_, WNOHANG);
  if (r == pid_) reaped_ = true;
  return !reaped_;
}

int Child::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() > deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (WIFEXITED(status_)) return WEXITSTATUS(status_);
  if (WIFSIGNALED(status_)) return 128 + WTERMSIG(status_);
  return -1;
}

Ports WaitForPorts(const std::string& ports_file, Child& child, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline && child.running()) {
    const std::string text = ReadFile(ports_file);
    if (!text.empty()) {
      auto doc = nlohmann::json::parse(text, nullptr, false);
      if (!doc.is_discarded()) {
        return {doc.value("public", std::uint16_t{0}), doc.value("private", std::uint16_t{0})};
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return {};
}

std::string TestConfig(const TempDir& dir, const std::string& extra) {
  std::string config = R"({
  // written by the test suite
  "public": {"port": 0},
  "private": {"port": 0},
  "tls": {"cert_file": ")" +
                       dir.File("tls/cert.pem") + R"(", "key_file": ")" + dir.File("tls/key.pem") +
                       R"("},
  "store": {"path": ")" +
                       dir.File("satupintu.db") +
                       R"("},
  "locales": {"dir": ")" +
                       SourcePath("locales") + R"("},
  "tickets": {"holidays_file": ")" +
                       SourcePath("deploy/holidays/holidays-id.json") + R"("},
  "web": {"dir": ")" + SourcePath("web/ui") +
                       R"(", "locales_dir": ")" + SourcePath("locales/ui") +
                       R"("},
  "diagnostics": {"journal_route": true, "outbox_route": true})";
  if (!extra.empty()) config += ",\n  " + extra;
  config += "\n}\n";
  return config;
}

}  // namespace satupintu::testing
