#pragma once
// Query-string and byte helpers shared by the Kannel adapter's parts. Internal: not part of
// the adapter's interface and free to change.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace satupintu::adapters::kannel::internal {

using Params = std::vector<std::pair<std::string, std::string>>;

// application/x-www-form-urlencoded decoding to raw bytes ('+' is a space). Kannel escapes %b
// byte by byte, so the result may be UTF-16BE; a broken escape is kept literally rather than
// losing a citizen's message over one stray '%'.
std::string FormDecode(std::string_view in);

// Every name=value pair of a raw query, decoded, in order.
Params ParseQuery(std::string_view query);

// The first value of `name`, or nullopt when absent.
std::optional<std::string> Find(const Params& params, std::string_view name);

// The raw query without the pairs named `name`: what we store must not carry the secret.
std::string QueryWithout(std::string_view query, std::string_view name);

// Percent-encodes everything but RFC 3986 unreserved characters (so '+' becomes %2B).
std::string PercentEncode(std::string_view in);

// First 16 bytes of SHA-256 as lowercase hex.
std::string ShortSha256Hex(std::string_view data);

// Seconds since the epoch from Kannel's %T (decimal) or X-Kannel-Time ("YYYY-MM-DD HH:MM:SS",
// read as UTC); nullopt for anything else.
std::optional<std::int64_t> ParseTime(std::string_view s);

// A non-negative decimal that fits int; nullopt otherwise.
std::optional<int> ParseSmallInt(std::string_view s);

std::string ToLower(std::string_view s);

}  // namespace satupintu::adapters::kannel::internal
