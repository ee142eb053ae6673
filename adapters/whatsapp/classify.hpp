#pragma once
// Reads the Graph API's answer to a send and tells the shared sender what to do next.

#include <string_view>

#include "adapters/core/adapter.hpp"

namespace satupintu::adapters::whatsapp {

// Decided on error.code first, because Meta reuses HTTP 400 for rate limits and permanent
// failures alike; the HTTP status decides only when the code is unknown or the body unreadable
// (a proxy's HTML page, a truncated answer). See README.md for the table.
SendResult ClassifySend(int http_status, std::string_view body, const Headers& headers);

}  // namespace satupintu::adapters::whatsapp
