#include "core/sd_notify.hpp"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace satupintu::core {
namespace {

std::string EnvOr(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

// A decimal number in the whole of `text`; 0 when it is not one.
std::uint64_t ParseUnsigned(std::string_view text) {
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end ? value : 0;
}

}  // namespace

SdNotifier SdNotifier::FromEnvironment() {
  std::chrono::microseconds watchdog(0);
  const std::string pid = EnvOr("WATCHDOG_PID");
  if (pid.empty() || ParseUnsigned(pid) == static_cast<std::uint64_t>(::getpid())) {
    watchdog = std::chrono::microseconds(
        static_cast<std::chrono::microseconds::rep>(ParseUnsigned(EnvOr("WATCHDOG_USEC"))));
  }
  return SdNotifier(EnvOr("NOTIFY_SOCKET"), watchdog);
}

SdNotifier::SdNotifier(std::string socket, std::chrono::microseconds watchdog)
    : socket_(std::move(socket)), watchdog_(watchdog) {}

Status SdNotifier::Notify(std::string_view state) const {
  if (socket_.empty()) return {};
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  // A path is sent with its terminating NUL; an abstract name ('@' becomes the leading NUL)
  // is exactly its bytes, as systemd binds it.
  const bool abstract = socket_.front() == '@';
  if ((!abstract && socket_.front() != '/') || socket_.size() >= sizeof address.sun_path) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "NOTIFY_SOCKET is neither an absolute path nor an abstract name (@...) "
                     "of at most 107 bytes",
                     socket_);
  }
  std::memcpy(address.sun_path, socket_.data(), socket_.size());
  if (abstract) address.sun_path[0] = '\0';
  const auto length =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_.size() + (abstract ? 0 : 1));

  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return MakeError(ErrorCode::kUnavailable, "cannot create the notification socket",
                     std::strerror(errno));
  }
  // A service manager that does not read its queue must not stall a watchdog or a shutdown.
  timeval timeout{2, 0};
  (void)::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  const ssize_t sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                                reinterpret_cast<const sockaddr*>(&address), length);
  const int error = errno;
  ::close(fd);
  if (sent != static_cast<ssize_t>(state.size())) {
    return MakeError(ErrorCode::kUnavailable, "cannot notify the service manager",
                     socket_ + ": " + (sent < 0 ? std::strerror(error) : "short send"));
  }
  return {};
}

}  // namespace satupintu::core
