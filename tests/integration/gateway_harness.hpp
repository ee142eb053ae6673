#pragma once
// Helpers for tests that run the real satupintu binary: start/stop it with a config, read its
// JSON-line log, post to its journal, and inspect its SQLite file directly.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "paths/paths.hpp"
#include "support/http_client.hpp"
#include "support/process.hpp"

namespace satupintu::testing {

using nlohmann::json;

constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(15);

// TestConfig with `patch` merged in (RFC 7386). Splicing a section that TestConfig already
// writes ("store", "diagnostics") through its `extra` argument would repeat a key, which
// satupintu rejects as a duplicate; merging keeps one object.
// This machine's offset from UTC in minutes (Gammu SMSD writes local times).
inline int LocalUtcOffsetMinutes() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return static_cast<int>(tm.tm_gmtoff / 60);
}

// A Kannel channel "dinsos" sending to `sendsms_url`, its password and shared secret from the
// environment (SATUPINTU_TEST_KANNEL_PASSWORD and _SECRET); add "send" and the rest as needed.
inline json KannelTestChannel(const std::string& sendsms_url) {
  return {{"name", "dinsos"},
          {"sendsms_url", sendsms_url},
          {"username", "satupintu"},
          {"password", {{"env", "SATUPINTU_TEST_KANNEL_PASSWORD"}}},
          {"shared_secret", {{"env", "SATUPINTU_TEST_KANNEL_SECRET"}}}};
}

// The office's process tests: the region tree with home regency 32.06, the API's limits out
// of the way, and a Kannel channel whose replies wait unsent (its secrets from
// SATUPINTU_TEST_KANNEL_PASSWORD and _SECRET).
inline json OfficeTestPatch() {
  return {{"regions", {{"data_dir", RegionsDataDir()}, {"home_regency", "32.06"}}},
          {"users",
           {{"api_requests_per_minute_per_token", 100000},
            {"api_requests_per_minute_per_ip", 100000},
            {"login_attempts_per_15_min", 1000}}},
          // Replies wait, unsent: nothing listens on port 9.
          {"channels",
           {{"kannel", json::array({KannelTestChannel("http://127.0.0.1:9/cgi-bin/sendsms")})}}}};
}

inline std::string ConfigWith(const TempDir& dir, const json& patch) {
  json doc = json::parse(TestConfig(dir), nullptr, /*allow_exceptions=*/true,
                         /*ignore_comments=*/true);
  doc.merge_patch(patch);
  return doc.dump(2);
}

struct Gateway {
  std::unique_ptr<Child> child;
  Ports ports;
  std::string log_file;
  std::string Log() const { return ReadFile(log_file); }
};

// Writes `config_text` and starts `serve`; files are named after `name` so that several
// starts in one directory keep separate logs and ports files.
inline Gateway StartGateway(const TempDir& dir, const std::string& config_text,
                            const std::string& name = "gw",
                            const std::vector<std::string>& env = {}) {
  Gateway gw;
  const std::string config_file = dir.File(name + ".json");
  const std::string ports_file = dir.File(name + ".ports");
  WriteFile(config_file, config_text);
  gw.log_file = dir.File(name + ".log");
  gw.child =
      std::make_unique<Child>(std::vector<std::string>{SatupintuBinary(), "serve", "--config",
                                                       config_file, "--ports-file", ports_file},
                              gw.log_file, env);
  gw.ports = WaitForPorts(ports_file, *gw.child, kStartTimeout);
  return gw;
}

inline int StopGateway(Gateway& gw) {
  gw.child->Signal(SIGTERM);
  return gw.child->Wait(kStopTimeout);
}

// Runs a command that is expected to exit on its own; returns {exit code, output}.
inline std::pair<int, std::string> RunToExit(const TempDir& dir,
                                             const std::vector<std::string>& args,
                                             const std::string& name) {
  const std::string log_file = dir.File(name + ".out");
  std::vector<std::string> argv{SatupintuBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  Child child(argv, log_file);
  const int code = child.Wait(kStopTimeout);
  return {code, ReadFile(log_file)};
}

// Runs `satupintu <args> --config <dir>/cli.json` with `stdin_text` on its standard input;
// its output goes to <dir>/cli.out. Returns the exit code.
inline int RunCli(const TempDir& dir, const std::string& args, const std::string& stdin_text = "") {
  WriteFile(dir.File("stdin"), stdin_text);
  Child child({"/bin/sh", "-c",
               "'" + SatupintuBinary() + "' " + args + " --config '" + dir.File("cli.json") +
                   "' < '" + dir.File("stdin") + "'"},
              dir.File("cli.out"));
  return child.Wait(std::chrono::seconds(60));
}

// `satupintu users add` of an office user with a password (display name "<username> P").
inline int AddUser(const TempDir& dir, const std::string& username, const std::string& role,
                   const std::string& region, const std::string& password) {
  std::string args = "users add --username " + username;
  args.append(" --name '").append(username).append(" P' --role ").append(role);
  args.append(" --region ").append(region).append(" --password-stdin");
  return RunCli(dir, args, password + "\n");
}

// The target smsbox's get-url fetches for an MO: `text` from `phone` (E.164 digits) with
// Kannel message id `id`, on the channel "dinsos" whose shared secret is `secret`.
inline std::string KannelMoTarget(const std::string& phone, const std::string& text, int id,
                                  const std::string& secret) {
  std::string escaped;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0) {
      escaped += ch;
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      escaped += hex;
    }
  }
  return "/kannel/dinsos/mo?from=%2B" + phone + "&to=6281100000000&text=" + escaped +
         "&coding=0&charset=UTF-8&ts=1763794800&id=" + std::to_string(id) +
         "&smsc=modem1&secret=" + secret;
}

// A request to the back-office API on the public (TLS) port, with a bearer token when given
// and a JSON body when not empty.
inline ClientResponse ApiCall(std::uint16_t public_port, const std::string& method,
                              const std::string& target, const std::string& token,
                              const std::string& body = "") {
  RequestOptions o;
  o.method = method;
  o.target = target;
  o.tls = true;
  o.body = body;
  if (!body.empty()) o.headers.emplace_back("Content-Type", "application/json");
  if (!token.empty()) o.headers.emplace_back("Authorization", "Bearer " + token);
  return Send(public_port, o);
}

// Logs `user` in through /api/v1/session; the bearer token, or "" (and a test failure).
inline std::string LoginToken(std::uint16_t public_port, const std::string& user,
                              const std::string& password) {
  auto r = ApiCall(public_port, "POST", "/api/v1/session", "",
                   json{{"username", user}, {"password", password}}.dump());
  EXPECT_EQ(r.status, 200) << r.body;
  auto doc = json::parse(r.body, nullptr, false);
  return doc.is_object() ? doc.value("token", "") : "";
}

inline std::vector<json> ParseLog(const std::string& text) {
  std::vector<json> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) {
      lines.push_back(json::parse(text.substr(start, end - start), nullptr, false));
    }
    start = end + 1;
  }
  return lines;
}

inline const json* FindEvent(const std::vector<json>& lines, std::string_view event) {
  for (const auto& line : lines) {
    if (line.is_object() && line.value("event", "") == event) return &line;
  }
  return nullptr;
}

inline bool HasEvent(const std::string& log, std::string_view event) {
  return FindEvent(ParseLog(log), event) != nullptr;
}

// True when `key` occurs as a whole key path, so "stor" is not satisfied by "store".
inline bool NamesKey(const std::string& text, const std::string& key) {
  auto is_ident = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.';
  };
  for (auto pos = text.find(key); pos != std::string::npos; pos = text.find(key, pos + 1)) {
    const bool left = pos == 0 || !is_ident(text[pos - 1]);
    const auto after = pos + key.size();
    const bool right = after >= text.size() || !is_ident(text[after]);
    if (left && right) return true;
  }
  return false;
}

inline ClientResponse PostJournal(std::uint16_t port, const std::string& channel,
                                  const std::string& body,
                                  std::vector<std::pair<std::string, std::string>> headers = {},
                                  std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  RequestOptions o;
  o.method = "POST";
  o.target = "/diag/journal/" + channel;
  o.body = body;
  o.headers = std::move(headers);
  o.headers.emplace_back("Content-Type", "application/json");
  o.timeout = timeout;
  return Send(port, o);
}

// A direct connection to the gateway's database file, for holding locks and for checking
// what really got committed.
class SqliteFile {
 public:
  explicit SqliteFile(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      error_ = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close_v2(db_);
      db_ = nullptr;
      return;
    }
    sqlite3_busy_timeout(db_, 5000);
  }
  ~SqliteFile() { sqlite3_close_v2(db_); }
  SqliteFile(const SqliteFile&) = delete;
  SqliteFile& operator=(const SqliteFile&) = delete;

  bool IsOpen() const { return db_ != nullptr; }
  const std::string& LastError() const { return error_; }

  // Returns the SQLite result code; the message is kept in LastError().
  int Exec(const std::string& sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    error_ = message ? message : "";
    sqlite3_free(message);
    return rc;
  }

  // -1 when the query fails.
  std::int64_t Int(const std::string& sql, const std::string& bind1 = {},
                   const std::string& bind2 = {}) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      error_ = sqlite3_errmsg(db_);
      return -1;
    }
    int index = 1;
    for (const std::string* b : {&bind1, &bind2}) {
      if (sqlite3_bind_parameter_count(stmt) < index) break;
      sqlite3_bind_text(stmt, index++, b->c_str(), -1, SQLITE_TRANSIENT);
    }
    std::int64_t value = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
  }

  // The first column of the first row as text; empty when there is none or the query fails.
  std::string Text(const std::string& sql, const std::string& bind1 = {}) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      error_ = sqlite3_errmsg(db_);
      return {};
    }
    if (sqlite3_bind_parameter_count(stmt) >= 1) {
      sqlite3_bind_text(stmt, 1, bind1.c_str(), -1, SQLITE_TRANSIENT);
    }
    std::string value;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(stmt, 0);
      if (text != nullptr) {
        value.assign(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt, 0)));
      }
    }
    sqlite3_finalize(stmt);
    return value;
  }

  std::int64_t Rows(const std::string& channel, const std::string& provider_id) {
    return Int("SELECT COUNT(*) FROM inbound_journal WHERE channel = ? AND provider_id = ?",
               channel, provider_id);
  }
  std::int64_t TotalRows() { return Int("SELECT COUNT(*) FROM inbound_journal"); }

 private:
  sqlite3* db_ = nullptr;
  std::string error_;
};

}  // namespace satupintu::testing
