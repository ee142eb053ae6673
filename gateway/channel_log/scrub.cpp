#include "channel_log/scrub.hpp"

#include <algorithm>
#include <array>

#include "core/redact.hpp"

namespace satupintu::channel_log {
namespace {

constexpr std::string_view kRedacted = "[redacted]";
constexpr std::string_view kTruncated = "...[truncated]";
// Redaction looks at no more than this many times the cap: enough for everything it can
// shorten, and a bounded cost for a huge body.
constexpr std::size_t kScanFactor = 16;

// Parameters and JSON members whose values are credentials (compared case-insensitively).
constexpr std::array<std::string_view, 6> kCredentialKeys = {
    "password", "passwd", "access_token", "client_secret", "secret_token", "api_key"};
constexpr std::array<std::string_view, 2> kAuthSchemes = {"bearer ", "basic "};

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// `word` is lower case.
bool MatchesAt(std::string_view text, std::size_t pos, std::string_view word) {
  if (pos + word.size() > text.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (Lower(text[pos + i]) != word[i]) return false;
  }
  return true;
}

bool StartsWord(std::string_view text, std::size_t pos) {
  return pos == 0 || !(IsAlnum(text[pos - 1]) || text[pos - 1] == '_');
}

bool EndsValue(char c) {
  switch (c) {
    case '&':
    case ';':
    case ',':
    case ' ':
    case '\t':
    case '\r':
    case '\n':
    case '"':
    case '\'':
    case '#':
    case '<':
    case '>':
    case '}':
      return true;
    default:
      return false;
  }
}

// "/bot<id>:<secret>" as Telegram puts it in every API path (also "/file/bot<token>/...").
std::string ScrubBotTokens(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t at = text.find("/bot", i);
    if (at == std::string_view::npos) break;
    const std::size_t start = at + 4;
    std::size_t end = start;
    bool colon = false;
    while (end < text.size() &&
           (IsAlnum(text[end]) || text[end] == '_' || text[end] == '-' || text[end] == ':')) {
      colon = colon || text[end] == ':';
      ++end;
    }
    out.append(text.substr(i, start - i));
    if (colon) {
      out.append(kRedacted);
      i = end;
    } else {
      i = start;
    }
  }
  out.append(text.substr(i));
  return out;
}

// key=value and "key": "value" (or a bare JSON scalar) for the credential keys.
std::string ScrubCredentialValues(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    bool replaced = false;
    if (StartsWord(text, i)) {
      for (std::string_view key : kCredentialKeys) {
        if (!MatchesAt(text, i, key)) continue;
        std::size_t j = i + key.size();
        const bool quoted = i > 0 && text[i - 1] == '"' && j < text.size() && text[j] == '"';
        if (quoted) {
          ++j;
          while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
          if (j >= text.size() || text[j] != ':') break;
          ++j;
          while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
          std::size_t end = j;
          if (j < text.size() && text[j] == '"') {
            ++j;
            end = j;
            while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
            end = std::min(end, text.size());
          } else {
            while (end < text.size() && !EndsValue(text[end])) ++end;
          }
          out.append(text.substr(i, j - i));
          out.append(kRedacted);
          i = end;
          replaced = true;
        } else if (j < text.size() && text[j] == '=') {
          std::size_t end = j + 1;
          while (end < text.size() && !EndsValue(text[end])) ++end;
          out.append(text.substr(i, j + 1 - i));
          if (end > j + 1) out.append(kRedacted);
          i = end;
          replaced = true;
        }
        break;
      }
    }
    if (!replaced) out.push_back(text[i++]);
  }
  return out;
}

// "Bearer <token>" / "Basic <token>" wherever they appear (an error string quoting a header).
std::string ScrubAuthSchemes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    bool replaced = false;
    if (StartsWord(text, i)) {
      for (std::string_view scheme : kAuthSchemes) {
        if (!MatchesAt(text, i, scheme)) continue;
        std::size_t start = i + scheme.size();
        while (start < text.size() && text[start] == ' ') ++start;
        std::size_t end = start;
        while (end < text.size() && !EndsValue(text[end])) ++end;
        if (end > start) {
          out.append(text.substr(i, start - i));
          out.append(kRedacted);
          i = end;
          replaced = true;
        }
        break;
      }
    }
    if (!replaced) out.push_back(text[i++]);
  }
  return out;
}

std::string Cap(std::string text, std::size_t cap) {
  if (text.size() <= cap) return text;
  std::size_t cut = cap > kTruncated.size() ? cap - kTruncated.size() : 0;
  // Never split a UTF-8 sequence: back up over continuation bytes.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  text.append(kTruncated);
  return text;
}

bool IsCredentialHeader(std::string_view lower_name) {
  return lower_name == "authorization" || lower_name == "proxy-authorization" ||
         lower_name == "cookie" || lower_name == "set-cookie" || lower_name == "x-api-key" ||
         lower_name == "x-telegram-bot-api-secret-token" ||
         lower_name.substr(0, 16) == "x-hub-signature";
}

}  // namespace

std::string ScrubText(std::string_view text, std::size_t cap) {
  const std::string_view scanned = text.substr(0, cap * kScanFactor);
  std::string out = ScrubBotTokens(scanned);
  out = ScrubCredentialValues(out);
  out = ScrubAuthSchemes(out);
  out = core::Redact(out);
  if (scanned.size() < text.size() && out.size() <= cap) {
    // Only reachable when redaction shrank a huge text a lot; still say it was cut.
    out.append(kTruncated);
  }
  return Cap(std::move(out), cap);
}

std::string ScrubHeaders(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out;
  for (const auto& [name, value] : headers) {
    std::string lower;
    for (char c : name) lower.push_back(Lower(c));
    out.append(ScrubText(name, kMaxShortBytes));
    out.append(": ");
    if (IsCredentialHeader(lower)) {
      // Keep the scheme ("Bearer") so a missing or wrong scheme can still be diagnosed.
      const auto space = value.find(' ');
      if (space != std::string::npos && space > 0 && space <= 16 &&
          std::all_of(value.begin(), value.begin() + static_cast<std::ptrdiff_t>(space), IsAlnum)) {
        out.append(value.substr(0, space) + " ");
      }
      out.append(kRedacted);
    } else {
      out.append(ScrubText(value, kMaxHeadersBytes));
    }
    out.push_back('\n');
  }
  return Cap(std::move(out), kMaxHeadersBytes);
}

}  // namespace satupintu::channel_log
