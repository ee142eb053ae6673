#include "registry/identity_hash.hpp"

#include <cstring>

#include "core/hex.hpp"
#include "core/key_file.hpp"
#include "core/redact.hpp"

namespace satupintu::registry {
namespace {

using core::ErrorCode;
using core::MakeError;

constexpr std::size_t kBlock = 64;  // SHA-256 block size

void FreeCtx(EVP_MD_CTX*& ctx) {
  if (ctx != nullptr) EVP_MD_CTX_free(ctx);
  ctx = nullptr;
}

}  // namespace

core::Result<IdentityHasher> IdentityHasher::Create(std::string_view key) {
  if (key.size() < 16) {
    return MakeError(ErrorCode::kInvalidArgument, "registry key: shorter than 16 bytes");
  }
  IdentityHasher h;
  // RFC 2104: K' = H(K) if longer than a block, padded with zeros to the block size.
  std::array<unsigned char, kBlock> k{};
  if (key.size() > kBlock) {
    unsigned int n = 0;
    EVP_Digest(key.data(), key.size(), k.data(), &n, EVP_sha256(), nullptr);
  } else {
    std::memcpy(k.data(), key.data(), key.size());
  }
  std::array<unsigned char, kBlock> ipad{};
  std::array<unsigned char, kBlock> opad{};
  for (std::size_t i = 0; i < kBlock; ++i) {
    ipad[i] = static_cast<unsigned char>(k[i] ^ 0x36);
    opad[i] = static_cast<unsigned char>(k[i] ^ 0x5c);
  }
  h.inner_ = EVP_MD_CTX_new();
  h.outer_ = EVP_MD_CTX_new();
  h.scratch_ = EVP_MD_CTX_new();
  if (h.inner_ == nullptr || h.outer_ == nullptr || h.scratch_ == nullptr ||
      EVP_DigestInit_ex(h.inner_, EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(h.inner_, ipad.data(), ipad.size()) != 1 ||
      EVP_DigestInit_ex(h.outer_, EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(h.outer_, opad.data(), opad.size()) != 1) {
    return MakeError(ErrorCode::kInternal, "registry key: digest setup failed");
  }
  OPENSSL_cleanse(k.data(), k.size());
  OPENSSL_cleanse(ipad.data(), ipad.size());
  OPENSSL_cleanse(opad.data(), opad.size());
  return h;
}

IdentityHasher::~IdentityHasher() {
  FreeCtx(inner_);
  FreeCtx(outer_);
  FreeCtx(scratch_);
}

IdentityHasher::IdentityHasher(IdentityHasher&& other) noexcept
    : inner_(other.inner_), outer_(other.outer_), scratch_(other.scratch_) {
  other.inner_ = other.outer_ = other.scratch_ = nullptr;
}

IdentityHasher& IdentityHasher::operator=(IdentityHasher&& other) noexcept {
  if (this != &other) {
    FreeCtx(inner_);
    FreeCtx(outer_);
    FreeCtx(scratch_);
    inner_ = other.inner_;
    outer_ = other.outer_;
    scratch_ = other.scratch_;
    other.inner_ = other.outer_ = other.scratch_ = nullptr;
  }
  return *this;
}

IdHash IdentityHasher::Hash(std::string_view kind, std::string_view digits) {
  unsigned char inner[EVP_MAX_MD_SIZE];
  unsigned char full[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  const unsigned char sep = ':';
  EVP_MD_CTX_copy_ex(scratch_, inner_);
  EVP_DigestUpdate(scratch_, kind.data(), kind.size());
  EVP_DigestUpdate(scratch_, &sep, 1);
  EVP_DigestUpdate(scratch_, digits.data(), digits.size());
  EVP_DigestFinal_ex(scratch_, inner, &n);
  EVP_MD_CTX_copy_ex(scratch_, outer_);
  EVP_DigestUpdate(scratch_, inner, n);
  EVP_DigestFinal_ex(scratch_, full, &n);
  IdHash out{};
  std::memcpy(out.data(), full, out.size());
  return out;
}

std::string IdentityHasher::Fingerprint() {
  return HexOf(Hash("fingerprint", "satupintu-registry-key")).substr(0, 16);
}

std::string HexOf(const IdHash& hash) {
  return core::HexLower({reinterpret_cast<const char*>(hash.data()), hash.size()});
}

core::Result<std::string> LoadOrCreateKey(const std::string& path, bool create) {
  return core::LoadOrCreateKeyFile(path, create, "registry key");
}

}  // namespace satupintu::registry
