#pragma once
// The bytes of a text in each SMS coding, for adapters and test peers that speak them: Kannel's
// fakesmsc and `coding=2` payloads carry UTF-16BE, Gammu's SMS backup files `Text00 = <hex>`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace satupintu::adapters::sms {

// One septet per byte (not packed), 0x1B before each extension character. nullopt if any
// character is not GSM-7, invalid UTF-8 included: we never send Kannel's silent '?'.
std::optional<std::vector<std::uint8_t>> EncodeGsm7(std::string_view utf8);

// UTF-16 big-endian, surrogate pairs for characters outside the BMP (what phones send as
// "UCS-2"). Bytes that are not UTF-8 become U+FFFD.
std::vector<std::uint8_t> EncodeUcs2(std::string_view utf8);

// EncodeUcs2 as uppercase hex, four digits per UTF-16 unit: "Hai" -> "004800610069".
std::string Ucs2Hex(std::string_view utf8);

// The inverse of Ucs2Hex (either case). nullopt unless the length is a multiple of four and
// every character is a hex digit; an unpaired surrogate becomes U+FFFD.
std::optional<std::string> Utf8FromUcs2Hex(std::string_view hex);

}  // namespace satupintu::adapters::sms
