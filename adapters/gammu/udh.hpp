#pragma once
// Concatenation information in a user data header (3GPP TS 23.040 9.2.3.24.1 and .8), as SMSD
// stores it in inbox.UDH: uppercase or lowercase hex, length octet first.

#include <cstdint>
#include <optional>
#include <string_view>

namespace satupintu::adapters::gammu {

struct ConcatInfo {
  std::uint16_t ref = 0;
  std::uint8_t total = 1;
  std::uint8_t seq = 1;
  bool wide_ref = false;  // IEI 08 (16-bit reference) rather than IEI 00
};

// Walks every information element, so headers that also carry ports or language shift
// tables are understood. nullopt when there is no concatenation element, or it is malformed
// (total 0, seq 0 or above total, bad hex, an element running past the header): such a part
// is treated as a message on its own rather than waiting for partners that cannot exist.
std::optional<ConcatInfo> ParseConcat(std::string_view udh_hex);

}  // namespace satupintu::adapters::gammu
