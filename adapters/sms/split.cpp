#include "adapters/sms/split.hpp"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <memory>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>

#include "adapters/sms/gsm7_table.hpp"
#include "adapters/sms/utf8.hpp"

namespace satupintu::adapters::sms {
namespace {

// The text with invalid bytes replaced, and per character its start byte and the running
// total of units, so any range's cost is one subtraction.
struct Characters {
  std::string text;
  std::vector<std::size_t> byte_begin;    // size n + 1, last = text.size()
  std::vector<std::size_t> units_before;  // size n + 1, last = total units
  std::size_t size() const { return byte_begin.size() - 1; }
};

Characters Decode(std::string_view utf8, Encoding encoding) {
  Characters chars;
  chars.text.reserve(utf8.size());
  chars.byte_begin.reserve(utf8.size() + 1);
  chars.units_before.reserve(utf8.size() + 1);
  const auto* const begin = reinterpret_cast<const unsigned char*>(utf8.data());
  std::size_t units = 0;
  std::size_t i = 0;
  while (i < utf8.size()) {
    const detail::DecodedChar decoded = detail::DecodeUtf8(begin + i, utf8.size() - i);
    chars.byte_begin.push_back(chars.text.size());
    chars.units_before.push_back(units);
    if (decoded.valid) {
      chars.text.append(utf8.substr(i, decoded.length));
    } else {
      detail::AppendUtf8(chars.text, decoded.code_point);
    }
    units += encoding == Encoding::kGsm7 ? detail::Gsm7Septets(decoded.code_point)
                                         : detail::Utf16Units(decoded.code_point);
    i += decoded.length;
  }
  chars.byte_begin.push_back(chars.text.size());
  chars.units_before.push_back(units);
  return chars;
}

// Largest end such that characters [from, end) fit in `capacity` units.
std::size_t FitEnd(const Characters& chars, std::size_t from, std::size_t capacity) {
  const auto first = chars.units_before.begin() + static_cast<std::ptrdiff_t>(from);
  const auto it = std::upper_bound(first, chars.units_before.end(), *first + capacity);
  return static_cast<std::size_t>(std::distance(chars.units_before.begin(), it)) - 1;
}

// Parts needed from `from` to the end when cutting wherever the capacity runs out.
std::size_t HardParts(const Characters& chars, std::size_t from, std::size_t capacity) {
  std::size_t parts = 0;
  while (from < chars.size()) {
    from = FitEnd(chars, from, capacity);
    ++parts;
  }
  return parts;
}

// Character indices where a line may break. Creating a line iterator loads rules and costs
// far more than using one, so each thread keeps its own.
std::vector<std::size_t> BreakOpportunities(const Characters& chars) {
  thread_local const std::unique_ptr<icu::BreakIterator> iterator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> created(
        icu::BreakIterator::createLineInstance(icu::Locale("id"), status));
    if (U_FAILURE(status)) created.reset();
    return created;
  }();
  std::vector<std::size_t> breaks;
  if (!iterator) return breaks;  // no ICU data: every cut becomes a hard cut

  UErrorCode status = U_ZERO_ERROR;
  UText* text = utext_openUTF8(nullptr, chars.text.data(),
                               static_cast<std::int64_t>(chars.text.size()), &status);
  if (U_SUCCESS(status)) iterator->setText(text, status);
  if (U_SUCCESS(status)) {
    for (std::int32_t b = iterator->first(); b != icu::BreakIterator::DONE; b = iterator->next()) {
      const auto it = std::lower_bound(chars.byte_begin.begin(), chars.byte_begin.end(),
                                       static_cast<std::size_t>(b));
      breaks.push_back(static_cast<std::size_t>(std::distance(chars.byte_begin.begin(), it)));
    }
  }
  utext_close(text);
  return breaks;
}

std::string UdhHex(std::uint8_t ref, std::size_t total, std::size_t seq) {
  constexpr char kHexDigits[] = "0123456789ABCDEF";
  std::string udh = "050003";
  for (const std::size_t byte : {static_cast<std::size_t>(ref), total, seq}) {
    udh.push_back(kHexDigits[(byte >> 4) & 0x0F]);
    udh.push_back(kHexDigits[byte & 0x0F]);
  }
  return udh;
}

}  // namespace

std::vector<Part> Split(std::string_view utf8, std::uint8_t ref) {
  const Analysis analysis = Analyze(utf8);
  const std::size_t total = analysis.segments;
  if (total > kMaxParts) return {};
  Characters chars = Decode(utf8, analysis.encoding);

  std::vector<Part> parts;
  parts.reserve(total);
  if (total == 1) {
    parts.push_back({std::move(chars.text), analysis.encoding, analysis.units, "", 1, 1});
    return parts;
  }

  const std::size_t capacity = PartUnits(analysis.encoding);
  const std::vector<std::size_t> breaks = BreakOpportunities(chars);
  std::size_t from = 0;
  for (std::size_t seq = 1; seq <= total; ++seq) {
    std::size_t end = chars.size();
    if (seq < total) {
      end = FitEnd(chars, from, capacity);
      // The latest break that fits leaves the most room for the rest; take it only if the
      // rest still fits in the parts left, so a word boundary never costs money.
      const auto after = std::upper_bound(breaks.begin(), breaks.end(), end);
      if (after != breaks.begin()) {
        const std::size_t candidate = *std::prev(after);
        if (candidate > from && HardParts(chars, candidate, capacity) <= total - seq) {
          end = candidate;
        }
      }
    }
    const std::size_t byte_from = chars.byte_begin[from];
    parts.push_back({chars.text.substr(byte_from, chars.byte_begin[end] - byte_from),
                     analysis.encoding, chars.units_before[end] - chars.units_before[from],
                     UdhHex(ref, total, seq), static_cast<int>(seq), static_cast<int>(total)});
    from = end;
  }
  return parts;
}

}  // namespace satupintu::adapters::sms
