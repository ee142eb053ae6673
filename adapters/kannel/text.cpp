#include "adapters/kannel/text.hpp"

#include "adapters/kannel/form.hpp"
#include "adapters/sms/analysis.hpp"
#include "adapters/sms/codec.hpp"

namespace satupintu::adapters::kannel::internal {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

enum class Charset { kUnknown, kUtf8, kUtf16Be, kLatin1, kBinary };

Charset FromName(std::string_view name) {
  const std::string lower = ToLower(name);
  if (lower == "utf-8" || lower == "utf8") return Charset::kUtf8;
  // Kannel says UTF-16BE; older releases and hand-written configs say UCS-2 or UTF16-BE.
  if (lower == "utf-16be" || lower == "utf16-be" || lower == "ucs-2" || lower == "ucs2" ||
      lower == "utf-16" || lower == "ucs-2be") {
    return Charset::kUtf16Be;
  }
  if (lower == "iso-8859-1" || lower == "latin1" || lower == "iso8859-1") return Charset::kLatin1;
  if (lower == "binary") return Charset::kBinary;
  return Charset::kUnknown;
}

Charset FromCoding(std::string_view coding) {
  if (coding == "1") return Charset::kBinary;
  if (coding == "2") return Charset::kUtf16Be;
  return Charset::kUtf8;
}

DecodedText FromUtf16Be(std::string_view bytes) {
  DecodedText out;
  // A lone trailing byte cannot be a UTF-16 unit: drop it and say so.
  const std::size_t even = bytes.size() & ~static_cast<std::size_t>(1);
  std::string hex;
  hex.reserve(even * 2);
  for (std::size_t i = 0; i < even; ++i) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    hex.push_back(kHexDigits[byte >> 4]);
    hex.push_back(kHexDigits[byte & 0x0F]);
  }
  out.utf8 = sms::Utf8FromUcs2Hex(hex).value_or(std::string());
  out.repaired = out.utf8.find(kReplacement) != std::string::npos;
  if (even != bytes.size()) {
    out.utf8.append(kReplacement);
    out.repaired = true;
  }
  return out;
}

DecodedText FromLatin1(std::string_view bytes) {
  DecodedText out;
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out.utf8.push_back(c);
    } else {
      out.utf8.push_back(static_cast<char>(0xC0 | (byte >> 6)));
      out.utf8.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
    }
  }
  return out;
}

DecodedText FromUtf8(std::string_view bytes) {
  DecodedText out;
  if (!sms::Analyze(bytes).had_invalid_utf8) {
    out.utf8 = std::string(bytes);
    return out;
  }
  // Round trip through the public codec, which turns each ill-formed subpart into U+FFFD.
  return {sms::Utf8FromUcs2Hex(sms::Ucs2Hex(bytes)).value_or(std::string()), false, true};
}

}  // namespace

DecodedText DecodeMoText(std::string_view bytes, std::string_view coding,
                         std::string_view charset) {
  Charset chosen = FromName(charset);
  if (chosen == Charset::kUnknown) chosen = FromCoding(coding);
  // Coding 1 is 8-bit data whatever the charset claims.
  if (coding == "1") chosen = Charset::kBinary;
  switch (chosen) {
    case Charset::kBinary:
      return {std::string(), true, false};
    case Charset::kUtf16Be:
      return FromUtf16Be(bytes);
    case Charset::kLatin1:
      return FromLatin1(bytes);
    case Charset::kUtf8:
    case Charset::kUnknown:
      break;
  }
  return FromUtf8(bytes);
}

}  // namespace satupintu::adapters::kannel::internal
