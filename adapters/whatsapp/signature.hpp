#pragma once
// X-Hub-Signature-256: Meta signs every webhook POST with HMAC-SHA256 over the raw body bytes,
// keyed with the app secret. The bytes matter: Meta escapes non-ASCII as \uXXXX, so JSON
// re-serialised by us would hash differently.

#include <string>
#include <string_view>

namespace satupintu::adapters::whatsapp {

enum class SignatureCheck {
  kValid,
  kMissing,  // no header at all: answered 401
  kWrong,    // present but malformed or not matching: answered 403
};

// The header value Meta would send for `body`: "sha256=" and 64 lowercase hex digits. Used by
// tests and fake peers, so fixtures carry no hard-coded signatures.
std::string SignatureHeader(std::string_view app_secret, std::string_view body);

// Compares in constant time. An empty app secret never validates: anyone can compute that HMAC.
SignatureCheck CheckSignature(std::string_view app_secret, std::string_view header_value,
                              std::string_view body);

}  // namespace satupintu::adapters::whatsapp
