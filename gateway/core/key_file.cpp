#include "core/key_file.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/hex.hpp"
#include "core/redact.hpp"

namespace satupintu::core {

Result<std::string> LoadOrCreateKeyFile(const std::string& path, bool create,
                                        std::string_view what) {
  const std::string name(what);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (!create) {
      return MakeError(ErrorCode::kInvalidArgument, name + " file " + path + " does not exist");
    }
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    std::array<unsigned char, 32> raw{};
    if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
      return MakeError(ErrorCode::kInternal, name + ": no randomness");
    }
    std::string hex = HexLower({reinterpret_cast<const char*>(raw.data()), raw.size()});
    OPENSSL_cleanse(raw.data(), raw.size());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      hex.push_back('\n');
      const bool ok = ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size()) &&
                      ::fsync(fd) == 0;
      ::close(fd);
      OPENSSL_cleanse(hex.data(), hex.size());
      if (!ok) {
        std::filesystem::remove(path, ec);
        return MakeError(ErrorCode::kUnavailable, name + ": cannot write " + path);
      }
    } else if (errno != EEXIST) {
      return MakeError(ErrorCode::kUnavailable,
                       name + ": cannot create " + path + ": " + std::strerror(errno));
    }
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kUnavailable, name + ": cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  std::string key = text.str();
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r' || key.back() == ' ')) {
    key.pop_back();
  }
  if (key.size() < 16) {
    return MakeError(ErrorCode::kInvalidArgument,
                     name + " file " + path + ": shorter than 16 characters");
  }
  RegisterSecret(key);
  return key;
}

}  // namespace satupintu::core
