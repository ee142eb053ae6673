#include "core/disk.hpp"

#include <sys/statvfs.h>

#include <filesystem>

namespace satupintu::core {

std::optional<std::int64_t> FreeDiskBytesFor(const std::string& file) {
  const std::filesystem::path parent = std::filesystem::path(file).parent_path();
  const std::string dir = parent.empty() ? "." : parent.string();
  struct statvfs fs {};
  if (::statvfs(dir.c_str(), &fs) != 0) return std::nullopt;
  return static_cast<std::int64_t>(fs.f_bavail) * static_cast<std::int64_t>(fs.f_frsize);
}

}  // namespace satupintu::core
