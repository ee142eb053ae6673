#pragma once
// Office users' passwords: scrypt (RFC 7914) through OpenSSL's EVP_PBE_scrypt, the memory-hard
// KDF Debian 12's OpenSSL 3.0 has (no Argon2 there). A stored hash describes itself:
//
//   scrypt$<log2 N>$<r>$<p>$<salt, base64>$<key, base64>     (base64 without '=' padding)
//
// so the cost can be raised later: NeedsRehash says when a stored hash is weaker than the
// current parameters, and Login stores a fresh one. Default cost N=2^15, r=8, p=1: 32 MiB and
// about 0.2 s of one core per hash on the 2-core test machine (docs/BENCHMARKS.md), which is
// what makes a stolen table expensive to guess at - and why callers keep it off the store's
// writer thread.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace satupintu::users {

struct ScryptParams {
  int log2_n = 15;  // N = 2^15
  int r = 8;
  int p = 1;
};

// The raw KDF: `key_length` bytes derived from `password` and `salt`. kInvalidArgument for
// parameters out of range (log2_n 1-22, r 1-32, p 1-16, key 1-1024 bytes).
core::Result<std::string> Scrypt(std::string_view password, std::string_view salt,
                                 const ScryptParams& params, std::size_t key_length);

// A new encoded hash with a 16-byte random salt and a 32-byte key.
core::Result<std::string> HashPassword(std::string_view password, const ScryptParams& params = {});

// True when `encoded` is a well-formed hash of `password` (constant-time comparison). A
// malformed or tampered string, or one asking for more than the maximum cost, is false.
bool VerifyPassword(std::string_view password, std::string_view encoded);

// True when `encoded` was made with a cost below `current` (or cannot be read).
bool NeedsRehash(std::string_view encoded, const ScryptParams& current = {});

// The minimum policy: at least 10 characters (UTF-8 code points), at most 256 bytes, not the
// username (ignoring case). The message is safe to show and never repeats the password.
core::Status CheckPasswordPolicy(std::string_view password, std::string_view username);

}  // namespace satupintu::users
