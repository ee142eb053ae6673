#pragma once
// Cutting a long text into concatenated SMS parts (3GPP TS 23.040 9.2.3.24.1, 8-bit reference).
// Parts concatenate back to the text exactly: phones reassemble them, so nothing is trimmed.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/sms/analysis.hpp"

namespace satupintu::adapters::sms {

struct Part {
  std::string text;  // UTF-8; invalid input bytes appear as U+FFFD
  Encoding encoding = Encoding::kGsm7;
  std::size_t units = 0;  // septets or UTF-16 units of this part
  std::string udh_hex;    // "050003<ref><total><seq>" uppercase; empty for a single message
  int seq = 1;            // 1-based
  int total = 1;
};

// Applies no substitution: callers run SmartSubstitute first where they want it.
// Returns Analyze(utf8).segments parts (one empty part for the empty text), all in the
// encoding Analyze chose. A part ends at a line-break opportunity (ICU, after the spaces
// that follow a word) when that does not cost an extra part; otherwise, or when a word is
// longer than a part, it is cut at the last whole character that fits, never inside a GSM-7
// escape pair or a UTF-16 surrogate pair. Returns no parts if more than kMaxParts are needed.
std::vector<Part> Split(std::string_view utf8, std::uint8_t ref);

}  // namespace satupintu::adapters::sms
