#pragma once
// What the channel log does to text before it is stored. core::Redact masks registered
// secrets and digit runs (NIK, KK, phone numbers); on top of it the log removes what an HTTP
// exchange carries and core::Redact cannot know about:
//  - Telegram bot tokens in paths: "/bot123456:AA.../sendMessage" -> "/bot[redacted]/sendMessage"
//  - credentials as parameters or JSON members: password=, access_token=, client_secret=,
//    secret_token=, "password":"...", ...
//  - Authorization-style values anywhere: "Bearer <token>", "Basic <token>"
//  - and it caps every field, so a peer's 1 MB error page does not fill the disk.
// Redaction runs before the cap, so a cut never leaves half a number unmasked.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace satupintu::channel_log {

inline constexpr std::size_t kMaxBodyBytes = 4096;
inline constexpr std::size_t kMaxUrlBytes = 2048;
inline constexpr std::size_t kMaxHeadersBytes = 2048;
inline constexpr std::size_t kMaxErrorBytes = 1024;
inline constexpr std::size_t kMaxShortBytes = 256;  // channel, method, part key

// Everything above, then at most `cap` bytes (cut on a UTF-8 boundary, "...[truncated]"
// appended when something was cut).
std::string ScrubText(std::string_view text, std::size_t cap);

// "name: value" lines; credential headers (Authorization, Proxy-Authorization, Cookie,
// X-Api-Key, X-Telegram-Bot-Api-Secret-Token, X-Hub-Signature*) keep only their scheme word.
std::string ScrubHeaders(const std::vector<std::pair<std::string, std::string>>& headers);

}  // namespace satupintu::channel_log
