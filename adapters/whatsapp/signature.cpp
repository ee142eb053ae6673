#include "adapters/whatsapp/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <climits>

namespace satupintu::adapters::whatsapp {
namespace {

constexpr std::string_view kPrefix = "sha256=";
constexpr std::size_t kDigestSize = 32;
using Digest = std::array<unsigned char, kDigestSize>;

bool Hmac(std::string_view key, std::string_view data, Digest& out) {
  if (key.size() > static_cast<std::size_t>(INT_MAX)) return false;
  unsigned int len = 0;
  const unsigned char* md =
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len);
  return md != nullptr && len == kDigestSize;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  // Meta sends lowercase; upper case is accepted because it names the same bytes.
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string SignatureHeader(std::string_view app_secret, std::string_view body) {
  Digest digest{};
  if (!Hmac(app_secret, body, digest)) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(kPrefix);
  for (const unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 0x0F];
  }
  return out;
}

SignatureCheck CheckSignature(std::string_view app_secret, std::string_view header_value,
                              std::string_view body) {
  if (header_value.empty()) return SignatureCheck::kMissing;
  if (app_secret.empty()) return SignatureCheck::kWrong;
  if (!header_value.starts_with(kPrefix)) return SignatureCheck::kWrong;
  const std::string_view hex = header_value.substr(kPrefix.size());
  if (hex.size() != 2 * kDigestSize) return SignatureCheck::kWrong;
  Digest given{};
  for (std::size_t i = 0; i < kDigestSize; ++i) {
    const int hi = HexValue(hex[2 * i]);
    const int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return SignatureCheck::kWrong;
    given[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  Digest expected{};
  if (!Hmac(app_secret, body, expected)) return SignatureCheck::kWrong;
  return CRYPTO_memcmp(given.data(), expected.data(), kDigestSize) == 0 ? SignatureCheck::kValid
                                                                        : SignatureCheck::kWrong;
}

}  // namespace satupintu::adapters::whatsapp
