// Fuzz target for the SMS codec and splitter (adapters/sms). Invariants on any bytes:
// - Analyze and EncodeGsm7 agree: GSM-7 exactly when EncodeGsm7 succeeds, one byte per
//   septet; in UCS-2 the units are EncodeUcs2's UTF-16 units;
// - Utf8FromUcs2Hex(Ucs2Hex(text)) == text for valid UTF-8, and whatever Utf8FromUcs2Hex
//   returns is valid UTF-8;
// - Split returns Analyze's number of parts (none past kMaxParts) in Analyze's encoding, each
//   within its unit budget, numbered 1..n with a UDH only when there are several, and for
//   valid UTF-8 the parts concatenated are the text;
// - SmartSubstitute keeps UTF-8 valid, Gsm7Only's result always encodes in GSM-7.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/sms/analysis.hpp"
#include "adapters/sms/codec.hpp"
#include "adapters/sms/split.hpp"
#include "adapters/sms/substitute.hpp"
#include "fuzz_check.hpp"
#include "fuzz_util.hpp"

namespace {

using namespace satupintu::adapters::sms;  // NOLINT(google-build-using-namespace): a fuzz target
using satupintu::fuzz::IsUtf8;

void CheckCodec(std::string_view text) {
  const Analysis analysis = Analyze(text);
  const bool valid = IsUtf8(text);
  FUZZ_CHECK(analysis.had_invalid_utf8 == !valid);
  const std::optional<std::vector<std::uint8_t>> gsm7 = EncodeGsm7(text);
  FUZZ_CHECK(gsm7.has_value() == (analysis.encoding == Encoding::kGsm7));
  const std::vector<std::uint8_t> ucs2 = EncodeUcs2(text);
  FUZZ_CHECK(ucs2.size() % 2 == 0);
  if (gsm7) {
    FUZZ_CHECK(gsm7->size() == analysis.units);
    for (std::uint8_t septet : *gsm7) FUZZ_CHECK(septet < 0x80);
  } else {
    FUZZ_CHECK(ucs2.size() == 2 * analysis.units);
  }
  const std::string hex = Ucs2Hex(text);
  FUZZ_CHECK(hex.size() == 2 * ucs2.size());
  const std::optional<std::string> back = Utf8FromUcs2Hex(hex);
  FUZZ_CHECK(back.has_value());
  FUZZ_CHECK(IsUtf8(*back));
  if (valid) FUZZ_CHECK(*back == text);
}

void CheckSplit(std::string_view text, std::uint8_t ref) {
  const Analysis analysis = Analyze(text);
  const std::vector<Part> parts = Split(text, ref);
  if (analysis.segments > kMaxParts) {
    FUZZ_CHECK(parts.empty());
    return;
  }
  FUZZ_CHECK(parts.size() == analysis.segments);
  const bool single = parts.size() == 1;
  std::string joined;
  std::size_t units = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Part& part = parts[i];
    FUZZ_CHECK(part.encoding == analysis.encoding);
    FUZZ_CHECK(part.seq == static_cast<int>(i + 1));
    FUZZ_CHECK(part.total == static_cast<int>(parts.size()));
    FUZZ_CHECK(part.units <= (single ? SingleUnits(part.encoding) : PartUnits(part.encoding)));
    FUZZ_CHECK(part.udh_hex.empty() == single);
    if (!single) FUZZ_CHECK(part.udh_hex.size() == 12 && part.udh_hex.rfind("050003", 0) == 0);
    FUZZ_CHECK(IsUtf8(part.text));
    if (part.encoding == Encoding::kGsm7) {
      const auto septets = EncodeGsm7(part.text);
      FUZZ_CHECK(septets.has_value() && septets->size() == part.units);
    } else {
      FUZZ_CHECK(EncodeUcs2(part.text).size() == 2 * part.units);
    }
    joined += part.text;
    units += part.units;
  }
  FUZZ_CHECK(units == analysis.units);
  if (IsUtf8(text)) FUZZ_CHECK(joined == text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckCodec(text);
  CheckSplit(text, static_cast<std::uint8_t>(size));

  const std::optional<std::string> decoded = Utf8FromUcs2Hex(text);
  if (decoded) FUZZ_CHECK(IsUtf8(*decoded));

  const std::string substituted = SmartSubstitute(text);
  if (IsUtf8(text)) FUZZ_CHECK(IsUtf8(substituted));
  const std::string quoted = Gsm7Only(text);
  FUZZ_CHECK(EncodeGsm7(quoted).has_value());
  return 0;
}
