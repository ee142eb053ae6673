#include "adapters/core/secret_compare.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <array>

namespace satupintu::adapters {

bool SecretEquals(std::string_view given, std::string_view ours) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> a{};
  std::array<unsigned char, SHA256_DIGEST_LENGTH> b{};
  SHA256(reinterpret_cast<const unsigned char*>(given.data()), given.size(), a.data());
  SHA256(reinterpret_cast<const unsigned char*>(ours.data()), ours.size(), b.data());
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace satupintu::adapters
