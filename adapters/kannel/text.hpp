#pragma once
// MO text as Kannel hands it over -> UTF-8. Internal to the adapter.

#include <string>
#include <string_view>

namespace satupintu::adapters::kannel::internal {

struct DecodedText {
  std::string utf8;       // always valid UTF-8; undecodable bytes are U+FFFD
  bool binary = false;    // an 8-bit data SMS (ringtone, WAP push, ...): no text at all
  bool repaired = false;  // some bytes did not fit the charset and became U+FFFD
};

// `bytes` is %b after URL-decoding (get-url) or the POST body (post-url). The charset wins when
// Kannel names one we know (%C / Content-Type: UTF-8, UTF-16BE, UCS-2, ISO-8859-1); otherwise
// the coding decides (%c / X-Kannel-Coding: 0 GSM-7 as UTF-8, 1 binary, 2 UCS-2 as UTF-16BE).
DecodedText DecodeMoText(std::string_view bytes, std::string_view coding, std::string_view charset);

}  // namespace satupintu::adapters::kannel::internal
