#include "core/log.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <thread>

#include "core/redact.hpp"

namespace satupintu::core::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};

struct SinkHolder {
  std::mutex mutex;
  Sink sink;
  std::atomic<bool> set{false};  // lets the default path skip the mutex
};

SinkHolder& Holder() {
  static SinkHolder holder;
  return holder;
}

void WriteAll(int fd, std::string_view text) {
  const char* data = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, data, left);
    if (n <= 0) return;  // nowhere to report a failing stderr
    data += n;
    left -= static_cast<std::size_t>(n);
  }
}

// Lines are gathered in memory and written by one thread at least every kFlushInterval, so a
// busy gateway does not pay a write(2) and a contended lock per access-log line. Warnings
// and errors are written at once, together with everything before them, and Flush() runs at
// exit: a crash (kill -9) can lose at most the last interval of info lines.
class StderrWriter {
 public:
  static constexpr auto kFlushInterval = std::chrono::milliseconds(50);
  static constexpr std::size_t kMaxBuffered = std::size_t{64} * 1024;

  static StderrWriter& Get() {
    // Never destroyed: threads may still log while static destructors run.
    static auto* writer = new StderrWriter();
    return *writer;
  }

  void Append(std::string_view line, bool urgent) {
    bool flush_now = urgent;
    {
      std::lock_guard lock(mutex_);
      buffer_.append(line);
      flush_now = flush_now || buffer_.size() >= kMaxBuffered;
      if (!started_) {
        started_ = true;
        std::thread([this] { Loop(); }).detach();
        std::atexit([] { StderrWriter::Get().Flush(); });
      }
    }
    if (flush_now) Flush();
  }

  void Flush() {
    // The swap happens under write_mutex_, so batches reach stderr in the order they formed.
    std::lock_guard write_lock(write_mutex_);
    std::string out;
    {
      std::lock_guard lock(mutex_);
      out.swap(buffer_);
    }
    if (!out.empty()) WriteAll(STDERR_FILENO, out);
  }

 private:
  [[noreturn]] void Loop() {
    for (;;) {
      std::this_thread::sleep_for(kFlushInterval);
      Flush();
    }
  }

  std::mutex mutex_;
  std::mutex write_mutex_;
  std::string buffer_;
  bool started_ = false;
};

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

void AppendTimestamp(std::string& out) {
  const auto now = std::chrono::system_clock::now();
  const auto secs = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  // The "YYYY-MM-DDTHH:MM:SS" part changes once a second; format it once per second per thread.
  thread_local std::time_t cached_secs = -1;
  thread_local char cached[64];
  if (secs != cached_secs) {
    std::tm tm{};
    gmtime_r(&secs, &tm);
    std::snprintf(cached, sizeof cached, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_secs = secs;
  }
  out += cached;
  const int ms = static_cast<int>(millis);
  const char tail[6] = {'.',
                        static_cast<char>('0' + ms / 100),
                        static_cast<char>('0' + ms / 10 % 10),
                        static_cast<char>('0' + ms % 10),
                        'Z',
                        '\0'};
  out += tail;
}

// Whether stderr is the journal, decided at the first line written there.
bool StderrIsJournal() {
  static const bool journal = IsJournalStream(std::getenv("JOURNAL_STREAM"), STDERR_FILENO);
  return journal;
}

}  // namespace

bool IsJournalStream(const char* journal_stream, int fd) {
  if (journal_stream == nullptr) return false;
  const std::string_view text(journal_stream);
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  const auto number = [](std::string_view part, std::uint64_t* out) {
    const auto* end = part.data() + part.size();
    const auto [ptr, ec] = std::from_chars(part.data(), end, *out);
    return !part.empty() && ec == std::errc() && ptr == end;
  };
  if (!number(text.substr(0, colon), &device) || !number(text.substr(colon + 1), &inode)) {
    return false;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) return false;
  return static_cast<std::uint64_t>(st.st_dev) == device &&
         static_cast<std::uint64_t>(st.st_ino) == inode;
}

std::string_view PriorityPrefix(Level level) {
  switch (level) {
    case Level::kDebug:
      return "<7>";
    case Level::kInfo:
      return "<6>";
    case Level::kWarn:
      return "<4>";
    case Level::kError:
      return "<3>";
  }
  return "<6>";
}

bool ParseLevel(std::string_view name, Level* out) {
  for (Level level : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (name == LevelName(level)) {
      *out = level;
      return true;
    }
  }
  return false;
}

void SetLevel(Level level) { g_level.store(static_cast<int>(level)); }
bool Enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

void SetSink(Sink sink) {
  auto& holder = Holder();
  std::lock_guard lock(holder.mutex);
  holder.set.store(static_cast<bool>(sink), std::memory_order_release);
  holder.sink = std::move(sink);
}

void ResetSink() { SetSink(nullptr); }

void AppendJsonString(std::string& out, std::string_view value) {
  out.push_back('"');
  std::size_t run = 0;  // start of the pending run of characters that need no escaping
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto uc = static_cast<unsigned char>(value[i]);
    if (uc >= 0x20 && uc != '"' && uc != '\\') continue;
    out.append(value.substr(run, i - run));
    run = i + 1;
    switch (uc) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", uc);
        out += buf;
      }
    }
  }
  out.append(value.substr(run));
  out.push_back('"');
}

Event::Event(Level level, std::string_view name) : enabled_(Enabled(level)), level_(level) {
  if (!enabled_) return;
  line_.reserve(512);
  line_ += "{\"ts\":\"";
  AppendTimestamp(line_);
  line_ += "\",\"level\":\"";
  line_ += LevelName(level);
  line_ += "\",\"event\":";
  AppendJsonString(line_, name);
}

Event::~Event() {
  if (!enabled_) return;
  line_ += "}\n";
  auto& holder = Holder();
  if (holder.set.load(std::memory_order_acquire)) {
    std::lock_guard lock(holder.mutex);
    if (holder.sink) {
      holder.sink(line_);
      return;
    }
  }
  if (StderrIsJournal()) line_.insert(0, PriorityPrefix(level_));
  StderrWriter::Get().Append(line_, level_ >= Level::kWarn);
}

void Flush() { StderrWriter::Get().Flush(); }

void Event::Key(std::string_view key) {
  line_.push_back(',');
  AppendJsonString(line_, key);
  line_.push_back(':');
}

Event& Event::Str(std::string_view key, std::string_view value) {
  if (!enabled_) return *this;
  Key(key);
  if (satupintu::core::NeedsRedaction(value)) {
    AppendJsonString(line_, satupintu::core::Redact(value));
  } else {
    AppendJsonString(line_, value);
  }
  return *this;
}

Event& Event::Int(std::string_view key, std::int64_t value) {
  if (!enabled_) return *this;
  Key(key);
  line_ += std::to_string(value);
  return *this;
}

Event& Event::Num(std::string_view key, double value) {
  if (!enabled_) return *this;
  Key(key);
  if (!std::isfinite(value)) {
    line_ += "null";
    return *this;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", value);
  line_ += buf;
  return *this;
}

Event& Event::Bool(std::string_view key, bool value) {
  if (!enabled_) return *this;
  Key(key);
  line_ += value ? "true" : "false";
  return *this;
}

}  // namespace satupintu::core::log
