#pragma once
// Which SMS coding a text needs and what it costs, decided before anything is sent: Kannel
// never switches to UCS-2 by itself (it sends '?' instead), and operators bill per part.

#include <cstddef>
#include <string_view>

namespace satupintu::adapters::sms {

enum class Encoding { kGsm7, kUcs2 };

// Units per message: septets for GSM-7, UTF-16 code units for UCS-2. A concatenated part
// loses 6 bytes to its UDH (7 septets, 3 UTF-16 units).
inline constexpr std::size_t kGsm7SingleUnits = 160;
inline constexpr std::size_t kGsm7PartUnits = 153;
inline constexpr std::size_t kUcs2SingleUnits = 70;
inline constexpr std::size_t kUcs2PartUnits = 67;
// The concatenation UDH counts parts in one byte.
inline constexpr std::size_t kMaxParts = 255;

constexpr std::size_t SingleUnits(Encoding encoding) noexcept {
  return encoding == Encoding::kGsm7 ? kGsm7SingleUnits : kUcs2SingleUnits;
}
constexpr std::size_t PartUnits(Encoding encoding) noexcept {
  return encoding == Encoding::kGsm7 ? kGsm7PartUnits : kUcs2PartUnits;
}

struct Analysis {
  Encoding encoding = Encoding::kGsm7;
  // Septets (an extension character counts 2) or UTF-16 units (outside the BMP counts 2).
  std::size_t units = 0;
  // Exactly the number of parts Split() returns (it may exceed kMaxParts, where Split refuses).
  // Not always ceil(units / 153): an escape or surrogate pair never straddles two parts.
  // The empty text is one (empty) segment: sending it would still cost one SMS.
  std::size_t segments = 1;
  // Bytes that are not UTF-8 were counted as U+FFFD, which forces UCS-2.
  bool had_invalid_utf8 = false;
};

// No allocation, no ICU: called for every outbound message.
Analysis Analyze(std::string_view utf8) noexcept;

}  // namespace satupintu::adapters::sms
