#pragma once
// GSM 03.38 default alphabet and its extension table (3GPP TS 23.038 section 6.2.1), as a
// lookup from Unicode code point to septet built at compile time. Every character the
// alphabet knows lies below U+0400 except the euro sign, so a 1 KiB array plus one comparison
// answers "is this GSM-7, and is it 1 or 2 septets" without searching.

#include <array>
#include <cstddef>
#include <cstdint>

namespace satupintu::adapters::sms::detail {

inline constexpr std::uint8_t kGsm7Escape = 0x1B;
inline constexpr std::uint8_t kNotGsm7 = 0xFF;
// Septets are 7 bits, so the top bit of a table entry is free to mark extension characters.
inline constexpr std::uint8_t kGsm7ExtensionFlag = 0x80;
inline constexpr char32_t kGsm7TableSize = 0x400;
inline constexpr char32_t kEuroSign = 0x20AC;
inline constexpr std::uint8_t kGsm7EuroCode = 0x65;

// Septet -> code point for the basic table; 0x1B is the escape, not a character.
inline constexpr std::array<char32_t, 128> kGsm7Basic = {
    U'@',   0x00A3, U'$',   0x00A5, 0x00E8, 0x00E9, 0x00F9, 0x00EC,  // 0x00
    0x00F2, 0x00C7, U'\n',  0x00D8, 0x00F8, U'\r',  0x00C5, 0x00E5,  // 0x08
    0x0394, U'_',   0x03A6, 0x0393, 0x039B, 0x03A9, 0x03A0, 0x03A8,  // 0x10
    0x03A3, 0x0398, 0x039E, 0,      0x00C6, 0x00E6, 0x00DF, 0x00C9,  // 0x18
    U' ',   U'!',   U'"',   U'#',   0x00A4, U'%',   U'&',   U'\'',   // 0x20
    U'(',   U')',   U'*',   U'+',   U',',   U'-',   U'.',   U'/',    // 0x28
    U'0',   U'1',   U'2',   U'3',   U'4',   U'5',   U'6',   U'7',    // 0x30
    U'8',   U'9',   U':',   U';',   U'<',   U'=',   U'>',   U'?',    // 0x38
    0x00A1, U'A',   U'B',   U'C',   U'D',   U'E',   U'F',   U'G',    // 0x40
    U'H',   U'I',   U'J',   U'K',   U'L',   U'M',   U'N',   U'O',    // 0x48
    U'P',   U'Q',   U'R',   U'S',   U'T',   U'U',   U'V',   U'W',    // 0x50
    U'X',   U'Y',   U'Z',   0x00C4, 0x00D6, 0x00D1, 0x00DC, 0x00A7,  // 0x58
    0x00BF, U'a',   U'b',   U'c',   U'd',   U'e',   U'f',   U'g',    // 0x60
    U'h',   U'i',   U'j',   U'k',   U'l',   U'm',   U'n',   U'o',    // 0x68
    U'p',   U'q',   U'r',   U's',   U't',   U'u',   U'v',   U'w',    // 0x70
    U'x',   U'y',   U'z',   0x00E4, 0x00F6, 0x00F1, 0x00FC, 0x00E0,  // 0x78
};

struct Gsm7Extension {
  char32_t code_point;
  std::uint8_t code;  // sent after the 0x1B escape
};

inline constexpr std::array<Gsm7Extension, 10> kGsm7Extensions = {{
    {U'\f', 0x0A},
    {U'^', 0x14},
    {U'{', 0x28},
    {U'}', 0x29},
    {U'\\', 0x2F},
    {U'[', 0x3C},
    {U'~', 0x3D},
    {U']', 0x3E},
    {U'|', 0x40},
    {kEuroSign, kGsm7EuroCode},
}};

constexpr std::array<std::uint8_t, kGsm7TableSize> MakeGsm7Table() {
  std::array<std::uint8_t, kGsm7TableSize> table{};
  for (auto& entry : table) entry = kNotGsm7;
  for (std::size_t septet = 0; septet < kGsm7Basic.size(); ++septet) {
    if (septet == kGsm7Escape) continue;
    table[kGsm7Basic[septet]] = static_cast<std::uint8_t>(septet);
  }
  for (const auto& extension : kGsm7Extensions) {
    if (extension.code_point < kGsm7TableSize) {
      table[extension.code_point] = static_cast<std::uint8_t>(kGsm7ExtensionFlag | extension.code);
    }
  }
  return table;
}

inline constexpr std::array<std::uint8_t, kGsm7TableSize> kGsm7Table = MakeGsm7Table();

// kNotGsm7, a basic septet, or kGsm7ExtensionFlag | extension code.
inline constexpr std::uint8_t Gsm7Lookup(char32_t code_point) noexcept {
  if (code_point < kGsm7TableSize) return kGsm7Table[code_point];
  if (code_point == kEuroSign) return kGsm7ExtensionFlag | kGsm7EuroCode;
  return kNotGsm7;
}

// Septets a code point costs in GSM-7, or 0 if the alphabet lacks it.
inline constexpr std::size_t Gsm7Septets(char32_t code_point) noexcept {
  const std::uint8_t entry = Gsm7Lookup(code_point);
  if (entry == kNotGsm7) return 0;
  return (entry & kGsm7ExtensionFlag) != 0 ? 2 : 1;
}

}  // namespace satupintu::adapters::sms::detail
