#pragma once
// The text checks Telegram applies to what we send, done before a request exists: a request
// Telegram would refuse with 400 is better never built.

#include <cstddef>
#include <optional>
#include <string_view>

namespace satupintu::adapters::telegram {

// Unicode code points in well-formed UTF-8 (no overlongs, no surrogates, nothing past
// U+10FFFF), or nullopt. Telegram's server (TDLib) measures text limits in code points.
std::optional<std::size_t> CountCodePoints(std::string_view text);

// Telegram trims whitespace and refuses what is left empty ("message text is empty").
bool IsBlank(std::string_view text);

}  // namespace satupintu::adapters::telegram
