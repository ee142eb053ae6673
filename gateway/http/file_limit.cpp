#include "http/file_limit.hpp"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace satupintu::http {

core::Result<FileLimit> EnsureFileLimit(std::uint64_t needed) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return core::MakeError(core::ErrorCode::kInternal,
                           std::string("getrlimit(RLIMIT_NOFILE): ") + std::strerror(errno));
  }
  FileLimit out;
  out.soft_before = limit.rlim_cur;
  out.soft = limit.rlim_cur;
  out.hard = limit.rlim_max;
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= needed) return out;
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < needed) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "needs " + std::to_string(needed) +
                               " open files but the hard limit (RLIMIT_NOFILE) is " +
                               std::to_string(limit.rlim_max));
  }
  limit.rlim_cur = static_cast<rlim_t>(needed);
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return core::MakeError(core::ErrorCode::kInternal,
                           std::string("setrlimit(RLIMIT_NOFILE): ") + std::strerror(errno));
  }
  out.soft = needed;
  return out;
}

}  // namespace satupintu::http
