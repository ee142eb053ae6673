#include "backup/store_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace satupintu::backup {

std::string StoreLock::PathFor(const std::string& store_path) { return store_path + ".lock"; }

core::Result<std::unique_ptr<StoreLock>> StoreLock::Acquire(const std::string& store_path) {
  const std::string path = PathFor(store_path);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return core::MakeError(core::ErrorCode::kUnavailable, "cannot open the store's lock file",
                           path + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) {
      return core::MakeError(core::ErrorCode::kConflict,
                             "the store " + store_path +
                                 " is in use: a running gateway (satupintu serve) or restore "
                                 "holds " +
                                 path,
                             "stop it first");
    }
    return core::MakeError(core::ErrorCode::kUnavailable, "cannot lock the store",
                           path + ": " + std::strerror(error));
  }
  return std::unique_ptr<StoreLock>(new StoreLock(fd));
}

StoreLock::~StoreLock() { ::close(fd_); }  // closing the descriptor releases the lock

}  // namespace satupintu::backup
