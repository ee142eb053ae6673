#pragma once
// A real gammu-smsd for tests: in a TempDir, SMSD's SQLite database created from the schema
// Debian ships, the dummy phone's folders, an smsdrc with short poll intervals, and
// `gammu-smsd -c smsdrc` as a Child. Incoming SMS are Gammu SMS backup files dropped into the
// dummy phone's sms/1/ folder; SMSD moves them into `inbox` within a second or two.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace satupintu::testing {

struct MoPart {
  std::string udh_hex;  // "050003<ref><total><seq>", or "" for a single SMS
  std::string text;     // UTF-8
};

struct GammuPeerOptions {
  std::string phone_id = "modem1";
  // SMSD holds back an incomplete concatenation this long before storing its parts.
  int multipart_timeout_s = 600;
  // When set, SMSD runs on this smsdrc (deploy/gammu/gammu-smsdrc) with only the phone
  // (`device`, `connection`, and `model = dummy`), `dbdir`, `database` and `LogFile`
  // rewritten for the TempDir; its intervals are then the file's, not the short ones above.
  std::string smsdrc_from;
};

class GammuPeer {
 public:
  // Prepares the directory and the database; does not start SMSD.
  explicit GammuPeer(GammuPeerOptions options = {});
  ~GammuPeer();  // stops SMSD
  GammuPeer(const GammuPeer&) = delete;
  GammuPeer& operator=(const GammuPeer&) = delete;

  // Empty when the directory and database are ready, else what went wrong.
  const std::string& setup_error() const { return setup_error_; }
  const std::string& database() const { return database_; }
  const std::string& phone_id() const { return options_.phone_id; }

  // Starts gammu-smsd and waits (bounded) until it registered in `phones`. False on failure.
  bool Start(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // SIGTERM, then SIGKILL if it does not exit within 5 s.
  void Stop();
  bool running();

  // Writes one backup file per part into sms/1/ (named by a counter: the dummy driver only
  // reads numeric names), each with PDU = Deliver and DateTime = now (local time).
  void DropMo(const std::string& number, const std::string& text);
  void DropMo(const std::string& number, const std::vector<MoPart>& parts);

  // A one-integer query on SMSD's database from a separate connection (-1 on error).
  std::int64_t QueryInt(const std::string& sql) const;

  // SMSD's own log (its LogFile) and its stdout/stderr, for failure messages.
  std::string Log() const;

 private:
  std::string RewriteForDummy(const std::string& shipped) const;

  GammuPeerOptions options_;
  TempDir dir_;
  std::string database_;
  std::string config_;
  std::string setup_error_;
  int next_file_ = 1;
  std::unique_ptr<Child> smsd_;
};

// Path of Debian's SMSD SQLite schema, "" when gammu-smsd is not installed.
std::string GammuSchemaPath();

}  // namespace satupintu::testing
