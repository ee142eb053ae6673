#pragma once
// Keyed hashes of identity numbers (NIK, No. KK): the registry never stores them in clear.
// HMAC-SHA-256 (RFC 2104) with the server's registry key, truncated to 128 bits: enough that
// two of Indonesia's ~280 million numbers never collide, half the index of a full digest.
// The key's inner and outer digest states are computed once, so hashing one 16-digit number
// costs two SHA-256 compressions - the import hashes two per row.
#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace satupintu::registry {

using IdHash = std::array<std::uint8_t, 16>;

class IdentityHasher {
 public:
  // `key` is the raw secret (at least 16 bytes).
  static core::Result<IdentityHasher> Create(std::string_view key);
  ~IdentityHasher();
  IdentityHasher(IdentityHasher&& other) noexcept;
  IdentityHasher& operator=(IdentityHasher&& other) noexcept;
  IdentityHasher(const IdentityHasher&) = delete;
  IdentityHasher& operator=(const IdentityHasher&) = delete;

  // `kind` separates the NIK and KK spaces ("nik", "kk"): the same 16 digits hash differently.
  // Not thread-safe (scratch context): one hasher per thread.
  IdHash Hash(std::string_view kind, std::string_view digits);

  // Identifies the key without revealing it: stored with each snapshot so one built with
  // another key is refused instead of silently never matching.
  std::string Fingerprint();

 private:
  IdentityHasher() = default;
  EVP_MD_CTX* inner_ = nullptr;
  EVP_MD_CTX* outer_ = nullptr;
  EVP_MD_CTX* scratch_ = nullptr;
};

std::string HexOf(const IdHash& hash);

// Reads the registry key file; when it does not exist and `create` is set, writes a new random
// 32-byte key (hex) with mode 0600 first. The key is registered for log redaction.
core::Result<std::string> LoadOrCreateKey(const std::string& path, bool create);

}  // namespace satupintu::registry
