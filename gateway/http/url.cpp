#include "http/url.hpp"

#include <charconv>

namespace satupintu::http {

namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Registered names and IPv4 literals: letters, digits, '-', '.', '_'.
bool IsHostChar(char c) { return IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_'; }

bool IsIpv6Char(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
}

// Visible ASCII only: no spaces, controls, DEL or raw UTF-8 on the request line.
bool IsVisibleAscii(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7f;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<Url> ParseUrl(std::string_view url) {
  Url out;
  if (StartsWithNoCase(url, "https://")) {
    out.tls = true;
    out.port = 443;
    url.remove_prefix(8);
  } else if (StartsWithNoCase(url, "http://")) {
    out.port = 80;
    url.remove_prefix(7);
  } else {
    return std::nullopt;
  }
  if (const auto hash = url.find('#'); hash != std::string_view::npos) url = url.substr(0, hash);
  for (char c : url) {
    if (!IsVisibleAscii(c)) return std::nullopt;
  }

  const auto path_start = url.find_first_of("/?");
  std::string_view authority = url.substr(0, path_start);
  const std::string_view rest =
      path_start == std::string_view::npos ? std::string_view() : url.substr(path_start);
  if (!rest.empty() && rest.front() != '/') return std::nullopt;
  out.target = rest.empty() ? std::string_view("/") : rest;

  if (authority.empty()) return std::nullopt;
  std::string_view port_text;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos || close < 2) return std::nullopt;
    out.host = authority.substr(1, close - 1);
    out.ipv6 = true;
    for (char c : out.host) {
      if (!IsIpv6Char(c)) return std::nullopt;
    }
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port_text = after.substr(1);
      if (port_text.empty()) return std::nullopt;
    }
  } else {
    const auto colon = authority.find(':');
    out.host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return std::nullopt;
    }
    if (out.host.empty() || out.host.front() == '.' || out.host.front() == '-') {
      return std::nullopt;
    }
    for (char c : out.host) {
      if (!IsHostChar(c)) return std::nullopt;  // '@' (user info) ends up here too
    }
  }
  if (!port_text.empty()) {
    if (port_text.size() > 5) return std::nullopt;
    for (char c : port_text) {
      if (!IsDigit(c)) return std::nullopt;
    }
    unsigned value = 0;
    std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (value == 0 || value > 65535) return std::nullopt;
    out.default_port = static_cast<std::uint16_t>(value) == out.port;
    out.port = static_cast<std::uint16_t>(value);
  }
  return out;
}

}  // namespace satupintu::http
