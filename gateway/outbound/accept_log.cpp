#include "outbound/accept_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace satupintu::outbound {
namespace {

constexpr const char* kSuffixes[2] = {".a", ".b"};

// FNV-1a, 32 bits: enough to tell a damaged line from a written one.
std::uint32_t Checksum(std::string_view text) {
  std::uint32_t h = 2166136261u;
  for (const unsigned char c : text) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

bool PlainId(std::string_view id) {
  for (const unsigned char c : id) {
    if (c <= ' ' || c >= 0x7f) return false;
  }
  return true;
}

core::Error SystemError(const std::string& what, const std::string& path) {
  return core::MakeError(core::ErrorCode::kUnavailable, what, path + ": " + std::strerror(errno));
}

std::string Hex8(std::uint32_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(8, '0');
  for (int i = 7; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = kDigits[v & 0xf];
  return out;
}

}  // namespace

// "<part id> <peer id or -> <checksum of what precedes>\n"
std::string AcceptLine(std::int64_t part_id, std::string_view provider_message_id) {
  std::string body = std::to_string(part_id);
  body += ' ';
  body += provider_message_id.empty() ? std::string_view("-") : provider_message_id;
  const std::string sum = Hex8(Checksum(body));
  return body + ' ' + sum + '\n';
}

namespace {

std::string Summed(std::string body) {
  const std::string sum = Hex8(Checksum(body));
  return body + ' ' + sum + '\n';
}

constexpr std::string_view kMarker = "offers";

// The checked body of a line, nullopt when damaged.
std::optional<std::string_view> BodyOf(std::string_view line) {
  const auto last = line.rfind(' ');
  if (last == std::string_view::npos || line.size() - last - 1 != 8) return std::nullopt;
  const std::string_view body = line.substr(0, last);
  if (Hex8(Checksum(body)) != line.substr(last + 1)) return std::nullopt;
  return body;
}

}  // namespace

// "<part id> <checksum>\n"
std::string OfferLine(std::int64_t part_id) { return Summed(std::to_string(part_id)); }

std::optional<AcceptLog::Entry> ParseAcceptLine(std::string_view line) {
  const auto last = line.rfind(' ');
  if (last == std::string_view::npos || line.size() - last - 1 != 8) return std::nullopt;
  const std::string_view body = line.substr(0, last);
  if (Hex8(Checksum(body)) != line.substr(last + 1)) return std::nullopt;
  const auto space = body.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  AcceptLog::Entry e;
  const auto* begin = body.data();
  const auto [end, ec] = std::from_chars(begin, begin + space, e.part_id);
  if (ec != std::errc() || end != begin + space || e.part_id <= 0) return std::nullopt;
  const std::string_view id = body.substr(space + 1);
  if (id.empty() || !PlainId(id)) return std::nullopt;
  if (id != "-") e.provider_message_id = std::string(id);
  return e;
}

core::Result<std::unique_ptr<AcceptLog>> AcceptLog::Open(const std::string& base,
                                                         std::size_t rotate_bytes) {
  int fds[2] = {-1, -1};
  for (int i = 0; i < 2; ++i) {
    const std::string path = base + kSuffixes[i];
    fds[i] = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fds[i] < 0) {
      auto error = SystemError("cannot open the acceptance log", path);
      if (i == 1) ::close(fds[0]);
      return error;
    }
  }
  std::unique_ptr<AcceptLog> log(new AcceptLog(base, fds[0], fds[1], rotate_bytes));
  for (int i = 0; i < 2; ++i) {
    struct stat st {};
    if (::fstat(fds[i], &st) == 0) log->sizes_[i] = static_cast<std::size_t>(st.st_size);
  }
  return log;
}

core::Result<std::vector<AcceptLog::Entry>> AcceptLog::Read(const std::string& base) {
  auto all = ReadAll(base);
  if (!all.ok()) return all.error();
  return std::move(all.value().accepted);
}

core::Result<AcceptLog::Contents> AcceptLog::ReadAll(const std::string& base) {
  Contents out;
  for (const char* suffix : kSuffixes) {
    const std::string path = base + suffix;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) continue;
    std::ifstream in(path, std::ios::binary);
    if (!in) return SystemError("cannot read the acceptance log", path);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::size_t at = 0;
    while (at < text.size()) {
      const auto nl = text.find('\n', at);
      if (nl == std::string::npos) break;  // cut short: never finished, so never relied on
      const std::string_view line = std::string_view(text).substr(at, nl - at);
      if (auto e = ParseAcceptLine(line)) {
        out.accepted.push_back(std::move(*e));
      } else if (auto body = BodyOf(line); body.has_value() && *body == kMarker) {
        out.offers_logged = true;
      } else if (body.has_value() && body->find(' ') == std::string_view::npos) {
        std::int64_t id = 0;
        const auto parsed = std::from_chars(body->data(), body->data() + body->size(), id);
        if (parsed.ec == std::errc() && parsed.ptr == body->data() + body->size() && id > 0) {
          out.offered.push_back(id);
        }
      }
      at = nl + 1;
    }
  }
  return out;
}

AcceptLog::AcceptLog(std::string base, int fd_a, int fd_b, std::size_t rotate_bytes)
    : base_(std::move(base)), fds_{fd_a, fd_b}, rotate_bytes_(rotate_bytes) {}

AcceptLog::~AcceptLog() {
  for (const int fd : fds_) ::close(fd);
}

core::Result<AcceptLog::Ticket> AcceptLog::Append(std::int64_t part_id,
                                                  std::string_view provider_message_id) {
  if (!PlainId(provider_message_id)) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "peer id not loggable");
  }
  const std::string line = AcceptLine(part_id, provider_message_id);
  std::lock_guard lock(mutex_);
  return Write(line);
}

core::Result<AcceptLog::Ticket> AcceptLog::Offer(std::int64_t part_id) {
  const std::string line = OfferLine(part_id);
  std::lock_guard lock(mutex_);
  return Write(line);
}

core::Result<AcceptLog::Ticket> AcceptLog::Write(const std::string& line) {
  MaybeRotate();
  const int i = current_;
  if (sizes_[i] == 0) {
    const std::string marker = Summed(std::string(kMarker));
    const ssize_t m = ::write(fds_[i], marker.data(), marker.size());
    if (m != static_cast<ssize_t>(marker.size())) {
      if (m > 0) sizes_[i] += static_cast<std::size_t>(m);
      return SystemError("cannot append to the acceptance log", base_ + kSuffixes[i]);
    }
    sizes_[i] += marker.size();
  }
  const ssize_t n = ::write(fds_[i], line.data(), line.size());
  if (n != static_cast<ssize_t>(line.size())) {
    const int saved = errno;
    // A short write leaves a line without its end, skipped when read; nothing else to undo.
    if (n > 0) sizes_[i] += static_cast<std::size_t>(n);
    errno = n < 0 ? saved : ENOSPC;
    return SystemError("cannot append to the acceptance log", base_ + kSuffixes[i]);
  }
  sizes_[i] += line.size();
  ++outstanding_[i];
  return i;
}

void AcceptLog::MaybeRotate() {
  const int other = 1 - current_;
  if (sizes_[current_] < rotate_bytes_ || outstanding_[other] > 0) return;
  if (sizes_[other] > 0) {
    if (::ftruncate(fds_[other], 0) != 0) return;  // stay on the current file
    sizes_[other] = 0;
  }
  current_ = other;
}

void AcceptLog::Recorded(Ticket ticket) {
  if (ticket < 0 || ticket > 1) return;
  std::lock_guard lock(mutex_);
  if (outstanding_[ticket] > 0) --outstanding_[ticket];
  // The file not written to any more is emptied as soon as all its lines are in the store.
  if (ticket != current_ && outstanding_[ticket] == 0 && sizes_[ticket] > 0 &&
      ::ftruncate(fds_[ticket], 0) == 0) {
    sizes_[ticket] = 0;
  }
}

core::Status AcceptLog::Clear() {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < 2; ++i) {
    if (::ftruncate(fds_[i], 0) != 0) {
      return SystemError("cannot empty the acceptance log", base_ + kSuffixes[i]);
    }
    sizes_[i] = 0;
    outstanding_[i] = 0;
  }
  return {};
}

int AcceptLog::outstanding() const {
  std::lock_guard lock(mutex_);
  return outstanding_[0] + outstanding_[1];
}

std::size_t AcceptLog::bytes() const {
  std::lock_guard lock(mutex_);
  return sizes_[0] + sizes_[1];
}

}  // namespace satupintu::outbound
