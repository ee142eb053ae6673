#pragma once
// Dates as citizens type them: day first, month as a number or an Indonesian, Javanese or
// Sundanese name or short form.

#include <cstdint>
#include <optional>
#include <string_view>

#include "registry_io/dates.hpp"
#include "understand/lexicon.hpp"

namespace satupintu::understand {

enum class DateError : std::uint8_t {
  kNone,
  kEmpty,    // nothing typed
  kFormat,   // no day, month and year in that order, a year missing, or other numbers around
  kMonth,    // a word where the month belongs that is no month name ("17 agusts 2025" passes)
  kInvalid,  // not a real date: 31-04-2020, 29-02-2023, month 13, day 0
  kFuture,   // after `today`
  kTooOld,   // before 1900
};

// Stable codes for the locale catalog: "date.ok", "date.empty", "date.format", "date.month",
// "date.invalid", "date.future", "date.too_old".
const char* DateErrorCode(DateError error);

struct ParsedDate {
  std::optional<registry_io::CivilDate> date;  // set when error is kNone
  DateError error = DateError::kNone;
  bool ok() const { return date.has_value(); }
};

// Accepts, with any of - / . , spaces (or nothing between digits and letters) as separators
// and words around the date ignored ("tgl lahir 17 agustus 1985"):
//   17-08-2025  17/8/25  17.08.2025  17 8 2025  17 Agustus 2025  17 agt 2025  17-Agu-1985
//   17agustus1985  17081985 (DDMMYYYY)  170885 (DDMMYY)  2025-08-17 (ISO, year first)
// The month is a number or a lexicon month (exact, or for names of 5 letters or more at most
// one edit away, two from 8 letters: "agustsu", "sepetember"). A two-digit year is 20YY unless
// that date is after `today`, then 19YY. Exactly one date may be present: any other number in
// the message is kFormat (so "17 agustus jam 10" is refused, not guessed). Dates after `today`
// are refused (citizens are asked for birth dates and for when something happened).
ParsedDate ParseDayFirstDate(std::string_view text, const Lexicon& lexicon,
                             const registry_io::CivilDate& today);

}  // namespace satupintu::understand
