#pragma once
// Base64 and randomness for the users library (internal: not part of its interface).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace satupintu::users::codec {

// RFC 4648 base64 without '=' padding; `url` uses the URL-safe alphabet ('-', '_').
std::string Base64(std::string_view bytes, bool url = false);
// Standard alphabet, padding optional; nullopt for any other character or a bad length.
std::optional<std::string> FromBase64(std::string_view text);
// `n` bytes from OpenSSL's CSPRNG; empty when it fails.
std::string RandomBytes(std::size_t n);

}  // namespace satupintu::users::codec
