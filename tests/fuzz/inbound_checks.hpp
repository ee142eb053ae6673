#pragma once
// Invariants every channel adapter's ParsedRequest keeps, whatever the provider sent: a known
// HTTP status, nothing parsed from a refused request, UTF-8 text, canonical addresses and
// contact numbers, and notes (logged) that never quote a citizen's text or number.

#include <string>
#include <string_view>

#include "adapters/core/adapter.hpp"
#include "fuzz_check.hpp"
#include "fuzz_util.hpp"

namespace satupintu::fuzz {

inline bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// `address_prefix`: "" for E.164 digits, "tg:" for a Telegram chat id.
inline void CheckParsed(const adapters::ParsedRequest& out, std::string_view address_prefix) {
  FUZZ_CHECK(out.http_status >= 200 && out.http_status <= 599);
  if (out.http_status != 200) {
    FUZZ_CHECK(out.messages.empty());
    FUZZ_CHECK(out.statuses.empty());
  }
  for (const adapters::InboundMessage& m : out.messages) {
    FUZZ_CHECK(!m.provider_id.empty());
    FUZZ_CHECK(m.address.rfind(address_prefix, 0) == 0);
    std::string_view id(m.address);
    id.remove_prefix(address_prefix.size());
    if (!id.empty() && id[0] == '-') id.remove_prefix(1);  // Telegram groups
    FUZZ_CHECK(AllDigits(id));
    FUZZ_CHECK(IsUtf8(m.text));
    FUZZ_CHECK(IsUtf8(m.choice_id));
    if (!m.contact_phone.empty()) FUZZ_CHECK(AllDigits(m.contact_phone));
    for (const std::string& note : out.notes) {
      if (m.text.size() >= 12) FUZZ_CHECK(note.find(m.text) == std::string::npos);
      if (address_prefix.empty()) FUZZ_CHECK(note.find(m.address) == std::string::npos);
    }
  }
  for (const adapters::StatusUpdate& s : out.statuses) {
    FUZZ_CHECK(!s.provider_message_id.empty());
    const int state = static_cast<int>(s.state);
    FUZZ_CHECK(state >= 1 && state <= 4);
  }
}

}  // namespace satupintu::fuzz
