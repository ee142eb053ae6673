#pragma once
// A small strict parser for the absolute URLs the outbound client dials. It accepts only what
// our peers need: http or https, a host (name, IPv4, or [IPv6]), an optional port, and a path
// with query (a query needs a path: "http://h/?q", not "http://h?q"). No user info, no whitespace
// or control characters, no non-ASCII bytes (callers percent-encode). A fragment is dropped: it
// never goes on the wire.

#include <cstdint>
#include <optional>
#include <string_view>

namespace satupintu::http {

// Views into the parsed string: it must outlive the Url.
struct Url {
  bool tls = false;
  std::string_view host;  // as written, without the brackets of an IPv6 literal
  bool ipv6 = false;
  std::uint16_t port = 0;  // the scheme's default when the URL has none
  bool default_port = true;
  std::string_view target;  // path and query; "/" when the URL has neither
};

std::optional<Url> ParseUrl(std::string_view url);

}  // namespace satupintu::http
