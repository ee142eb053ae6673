#pragma once
// Byte and text helpers shared by the WhatsApp adapter's parts. Internal: not part of the
// adapter's interface and free to change.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace satupintu::adapters::whatsapp::internal {

// application/x-www-form-urlencoded decoding ('+' is a space). Nullopt on a broken escape, so
// a mangled token never compares equal by accident.
std::optional<std::string> PercentDecode(std::string_view in);

// The decoded value of the first `key` in a raw query string; nullopt when absent or broken.
std::optional<std::string> QueryValue(std::string_view query, std::string_view key);

// Length as WhatsApp limits count it, in UTF-16 code units: an emoji outside the BMP counts
// twice. Counting code points instead could let through a text Meta then rejects. Nullopt
// for invalid UTF-8, which nlohmann::json would refuse to serialise anyway.
std::optional<std::size_t> Utf16Length(std::string_view utf8);

bool IsDigits(std::string_view s);

// Parses a non-negative decimal integer that fits int64; nullopt otherwise.
std::optional<std::int64_t> ParseInt(std::string_view s);

// Provider text made fit for a log line: control characters become spaces, anything that looks
// like a phone number (7 or more digits, separators allowed) becomes "[number]", the result is
// trimmed and cut to `max_bytes` on a UTF-8 boundary. Meta's error texts sometimes echo
// request parameters, and the recipient's number is one of them.
std::string SafeText(std::string_view in, std::size_t max_bytes = 160);

}  // namespace satupintu::adapters::whatsapp::internal
