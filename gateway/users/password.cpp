#include "users/password.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <vector>

#include "users/codec.hpp"

namespace satupintu::users {
namespace {

using core::ErrorCode;
using core::MakeError;

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kKeyBytes = 32;
// A stored string may ask for at most this cost: a tampered row must not make one login
// allocate gigabytes (2^22 * 8 * 128 = 4 GiB would; 2^20 with r 8 is 1 GiB, the ceiling).
constexpr int kMaxLog2N = 20;
constexpr std::size_t kMinPasswordChars = 10;
constexpr std::size_t kMaxPasswordBytes = 256;

struct Decoded {
  ScryptParams params;
  std::string salt;
  std::string key;
};

std::optional<int> IntField(std::string_view s, int lo, int hi) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty() || s[0] == '0') {
    return std::nullopt;
  }
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

std::optional<Decoded> Decode(std::string_view encoded) {
  std::vector<std::string_view> parts;
  while (true) {
    const auto dollar = encoded.find('$');
    parts.push_back(encoded.substr(0, dollar));
    if (dollar == std::string_view::npos) break;
    encoded.remove_prefix(dollar + 1);
  }
  if (parts.size() != 6 || parts[0] != "scrypt") return std::nullopt;
  const auto log2_n = IntField(parts[1], 1, kMaxLog2N);
  const auto r = IntField(parts[2], 1, 32);
  const auto p = IntField(parts[3], 1, 16);
  auto salt = codec::FromBase64(parts[4]);
  auto key = codec::FromBase64(parts[5]);
  if (!log2_n || !r || !p || !salt || !key || salt->size() < 8 || key->size() < 16 ||
      key->size() > 64) {
    return std::nullopt;
  }
  return Decoded{{*log2_n, *r, *p}, std::move(*salt), std::move(*key)};
}

}  // namespace

core::Result<std::string> Scrypt(std::string_view password, std::string_view salt,
                                 const ScryptParams& params, std::size_t key_length) {
  if (params.log2_n < 1 || params.log2_n > 22 || params.r < 1 || params.r > 32 || params.p < 1 ||
      params.p > 16 || key_length < 1 || key_length > 1024) {
    return MakeError(ErrorCode::kInvalidArgument, "scrypt parameters out of range");
  }
  const std::uint64_t n = std::uint64_t{1} << params.log2_n;
  const auto r = static_cast<std::uint64_t>(params.r);
  const auto p = static_cast<std::uint64_t>(params.p);
  // OpenSSL needs 128 r (N + 2) bytes for V and 128 r p for B; its default cap (32 MiB) is
  // exactly the default cost's V, so the limit is given explicitly.
  const std::uint64_t max_mem = 128 * r * (n + 2) + 128 * r * p + 4096;
  std::string key(key_length, '\0');
  if (EVP_PBE_scrypt(password.data(), password.size(),
                     reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), n, r, p,
                     max_mem, reinterpret_cast<unsigned char*>(key.data()), key.size()) != 1) {
    return MakeError(ErrorCode::kInternal, "scrypt failed (out of memory?)");
  }
  return key;
}

core::Result<std::string> HashPassword(std::string_view password, const ScryptParams& params) {
  const std::string salt = codec::RandomBytes(kSaltBytes);
  if (salt.empty()) return MakeError(ErrorCode::kInternal, "no randomness for a salt");
  auto key = Scrypt(password, salt, params, kKeyBytes);
  if (!key.ok()) return key.error();
  std::string out = "scrypt$" + std::to_string(params.log2_n) + "$" + std::to_string(params.r) +
                    "$" + std::to_string(params.p) + "$" + codec::Base64(salt) + "$" +
                    codec::Base64(key.value());
  OPENSSL_cleanse(key.value().data(), key.value().size());
  return out;
}

bool VerifyPassword(std::string_view password, std::string_view encoded) {
  const auto decoded = Decode(encoded);
  if (!decoded) return false;
  auto key = Scrypt(password, decoded->salt, decoded->params, decoded->key.size());
  if (!key.ok()) return false;
  const bool same = CRYPTO_memcmp(key.value().data(), decoded->key.data(), key.value().size()) == 0;
  OPENSSL_cleanse(key.value().data(), key.value().size());
  return same;
}

bool NeedsRehash(std::string_view encoded, const ScryptParams& current) {
  const auto decoded = Decode(encoded);
  if (!decoded) return true;
  const ScryptParams& had = decoded->params;
  return had.log2_n < current.log2_n || had.r < current.r || had.p < current.p ||
         decoded->key.size() < kKeyBytes;
}

core::Status CheckPasswordPolicy(std::string_view password, std::string_view username) {
  std::size_t chars = 0;
  for (const char c : password) {
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++chars;
  }
  if (chars < kMinPasswordChars) {
    return MakeError(ErrorCode::kInvalidArgument, "the password needs at least 10 characters");
  }
  if (password.size() > kMaxPasswordBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "the password is longer than 256 bytes");
  }
  bool same = password.size() == username.size();
  for (std::size_t i = 0; same && i < password.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    same = lower(password[i]) == lower(username[i]);
  }
  if (same) {
    return MakeError(ErrorCode::kInvalidArgument, "the password must not be the username");
  }
  return {};
}

}  // namespace satupintu::users
