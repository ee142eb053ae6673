#pragma once
// Structured logging: one JSON object per line on stderr, each with a stable event name.
// Every string value passes through Redact(), so a NIK or a token that slips into a field
// is masked before it reaches the log.
//
//   log::Info("http.access").Str("request_id", id).Int("status", 200);
//
// The line is emitted when the temporary goes out of scope.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace satupintu::core::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

bool ParseLevel(std::string_view name, Level* out);
void SetLevel(Level level);
bool Enabled(Level level);

// Replaces the sink (default: write(2) to stderr). Used by tests to capture lines.
using Sink = std::function<void(std::string_view line)>;
void SetSink(Sink sink);
void ResetSink();

// Writes out buffered lines now. Info and debug lines are buffered for up to 50 ms; warnings
// and errors are written at once (with everything before them). Runs at exit too.
void Flush();

class Event {
 public:
  Event(Level level, std::string_view name);
  ~Event();
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  Event& Str(std::string_view key, std::string_view value);
  Event& Int(std::string_view key, std::int64_t value);
  Event& Num(std::string_view key, double value);
  Event& Bool(std::string_view key, bool value);

 private:
  void Key(std::string_view key);
  bool enabled_;
  Level level_;
  std::string line_;
};

inline Event Debug(std::string_view name) { return Event(Level::kDebug, name); }
inline Event Info(std::string_view name) { return Event(Level::kInfo, name); }
inline Event Warn(std::string_view name) { return Event(Level::kWarn, name); }
inline Event Error(std::string_view name) { return Event(Level::kError, name); }

// True when `journal_stream` (the value of $JOURNAL_STREAM, "DEVICE:INODE", which systemd
// sets when it connects a service's output to journald) names the file `fd` is open on.
// When it names stderr, each line written there begins with its syslog priority as
// sd-daemon(3) reads it ("<7>" debug, "<6>" info, "<4>" warn, "<3>" error), so
// `journalctl -p warning` selects by level; the JSON after it is unchanged. A sink set with
// SetSink gets lines without the prefix.
bool IsJournalStream(const char* journal_stream, int fd);
// "<7>", "<6>", "<4>" or "<3>".
std::string_view PriorityPrefix(Level level);

// Appends value to out as a JSON string literal (quotes included).
void AppendJsonString(std::string& out, std::string_view value);

}  // namespace satupintu::core::log
