#include "conversation/state_seal.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>

namespace satupintu::conversation {
namespace {

constexpr std::string_view kMagic = "SPS1";
constexpr std::size_t kNonce = 12;
constexpr std::size_t kTag = 16;

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

std::array<unsigned char, 8> Aad(std::int64_t citizen_id) {
  std::array<unsigned char, 8> aad{};
  auto v = static_cast<std::uint64_t>(citizen_id);
  for (int i = 7; i >= 0; --i) {
    aad[static_cast<std::size_t>(i)] = static_cast<unsigned char>(v & 0xff);
    v >>= 8;
  }
  return aad;
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

StateSeal::StateSeal(std::string_view key, std::string_view label) {
  std::array<unsigned char, 32> random{};
  std::string_view material = key;
  if (material.empty()) {
    // Without randomness there is no safe key at all; the all-zero key stays, and the state is
    // still never stored in clear.
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) == 1) {
      material = {reinterpret_cast<const char*>(random.data()), random.size()};
    }
  }
  unsigned int length = 0;
  HMAC(EVP_sha256(), material.data(), static_cast<int>(material.size()), Bytes(label), label.size(),
       key_.data(), &length);
  OPENSSL_cleanse(random.data(), random.size());
}

StateSeal::~StateSeal() { OPENSSL_cleanse(key_.data(), key_.size()); }

bool StateSeal::LooksSealed(std::string_view stored) {
  return stored.size() >= kMagic.size() + kNonce + kTag && stored.starts_with(kMagic);
}

std::string StateSeal::Seal(std::string_view plain, std::int64_t citizen_id) const {
  std::string out(kMagic.size() + kNonce + plain.size() + kTag, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data() + kMagic.size());
  auto* body = nonce + kNonce;
  out.replace(0, kMagic.size(), kMagic);
  const auto aad = Aad(citizen_id);
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int n = 0;
  int tail = 0;
  const bool ok =
      ctx && RAND_bytes(nonce, static_cast<int>(kNonce)) == 1 &&
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) == 1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &n, aad.data(), static_cast<int>(aad.size())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), body, &n, Bytes(plain), static_cast<int>(plain.size())) == 1 &&
      EVP_EncryptFinal_ex(ctx.get(), body + n, &tail) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTag),
                          body + plain.size()) == 1;
  // A sealing failure (no randomness, OpenSSL out of memory) stores an empty state: the
  // citizen starts at the menu, and nothing they typed is ever written in clear.
  return ok ? out : std::string();
}

std::optional<std::string> StateSeal::Open(std::string_view sealed, std::int64_t citizen_id) const {
  if (!LooksSealed(sealed)) return std::nullopt;
  const auto* nonce = Bytes(sealed.substr(kMagic.size()));
  const std::size_t body_size = sealed.size() - kMagic.size() - kNonce - kTag;
  const auto* body = nonce + kNonce;
  std::array<unsigned char, kTag> tag{};
  std::copy_n(body + body_size, kTag, tag.begin());
  std::string plain(body_size, '\0');
  auto* out = reinterpret_cast<unsigned char*>(plain.data());
  const auto aad = Aad(citizen_id);
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int n = 0;
  int tail = 0;
  const bool ok =
      ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &n, aad.data(), static_cast<int>(aad.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), out, &n, body, static_cast<int>(body_size)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTag), tag.data()) ==
          1 &&
      EVP_DecryptFinal_ex(ctx.get(), out + n, &tail) == 1;
  if (!ok) {
    OPENSSL_cleanse(plain.data(), plain.size());
    return std::nullopt;
  }
  return plain;
}

}  // namespace satupintu::conversation
