// Fuzz target for the NIK/KK parsers, MaskId and ParseDate. Invariants:
// - ParseNik accepts only text that is 16 digits once spaces, tabs, dots and dashes are gone,
//   and what it accepts is consistent: the parts rebuild the digits, the province is official,
//   the regency is 01-69 or 71-99, the birth date is real and not after today, the serial is
//   not 0000;
// - ParseKk accepts only 16 digits with an official province and a serial;
// - MaskId never shows more than 8 characters, and for 16 digits never any of the middle 8;
// - ParseDate returns only real dates, which print and parse back to themselves.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "registry_io/dates.hpp"
#include "registry_io/nik.hpp"

namespace {

using namespace satupintu::registry_io;  // NOLINT(google-build-using-namespace): a fuzz target

constexpr CivilDate kToday{2025, 10, 1};

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string TwoDigits(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", v % 100);
  return buf;
}

void CheckNik(std::string_view text, const CivilDate& today) {
  const Nik nik = ParseNik(text, today);
  const std::string normalized = NormalizeIdDigits(text);
  std::string_view code = NikErrorCode(nik.error);
  FUZZ_CHECK(code.substr(0, 4) == "nik.");
  if (!nik.ok()) {
    if (nik.error == IdError::kLength || nik.error == IdError::kCharacters) {
      FUZZ_CHECK(nik.digits.empty());
      FUZZ_CHECK(normalized.size() != 16 || !AllDigits(normalized));
    }
    return;
  }
  FUZZ_CHECK(normalized.size() == 16 && AllDigits(normalized));
  FUZZ_CHECK(nik.digits == normalized);
  FUZZ_CHECK(IsProvinceCode(nik.province));
  FUZZ_CHECK(nik.regency >= 1 && nik.regency <= 99 && nik.regency != 70);
  FUZZ_CHECK(IsRealDate(nik.birth_date.year, nik.birth_date.month, nik.birth_date.day));
  FUZZ_CHECK(nik.birth_date <= today);
  FUZZ_CHECK(nik.serial >= 1 && nik.serial <= 9999);
  const int day = nik.birth_date.day + (nik.sex == Sex::kFemale ? 40 : 0);
  char serial[8];
  std::snprintf(serial, sizeof serial, "%04d", nik.serial);
  const std::string rebuilt =
      TwoDigits(nik.province) + TwoDigits(nik.regency) + TwoDigits(nik.kecamatan) + TwoDigits(day) +
      TwoDigits(nik.birth_date.month) + TwoDigits(nik.birth_date.year) + serial;
  FUZZ_CHECK(rebuilt == nik.digits);
  // The other century would have been in the future (or is not a real date).
  const int other =
      nik.birth_date.year >= 2000 ? nik.birth_date.year - 100 : nik.birth_date.year + 100;
  if (other > nik.birth_date.year) {
    const CivilDate later{other, nik.birth_date.month, nik.birth_date.day};
    FUZZ_CHECK(!IsRealDate(later.year, later.month, later.day) || later > today);
  }
}

void CheckKk(std::string_view text) {
  const Kk kk = ParseKk(text);
  std::string_view code = KkErrorCode(kk.error);
  FUZZ_CHECK(code.substr(0, 3) == "kk.");
  FUZZ_CHECK(kk.error != IdError::kRegency && kk.error != IdError::kDate);
  if (!kk.ok()) return;
  FUZZ_CHECK(kk.digits == NormalizeIdDigits(text));
  FUZZ_CHECK(kk.digits.size() == 16 && AllDigits(kk.digits));
  FUZZ_CHECK(IsProvinceCode(kk.province));
  FUZZ_CHECK(kk.digits.substr(12) != "0000");
}

void CheckMask(std::string_view text) {
  const std::string masked = MaskId(text);
  FUZZ_CHECK(masked.size() == text.size());
  std::size_t shown = 0;
  for (std::size_t i = 0; i < masked.size(); ++i) {
    if (masked[i] != '*') {
      ++shown;
      FUZZ_CHECK(masked[i] == text[i]);
    }
  }
  FUZZ_CHECK(shown <= 8);
  if (text.size() == 16) FUZZ_CHECK(masked.substr(4, 8) == "********");
}

void CheckDate(std::string_view text) {
  const auto date = ParseDate(text);
  if (!date) return;
  FUZZ_CHECK(IsRealDate(date->year, date->month, date->day));
  FUZZ_CHECK(ParseDate(date->ToIso()) == date);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckNik(text, kToday);
  // A "today" from the input's length, so the century rule meets other days.
  CheckNik(text, CivilDate{1990 + static_cast<int>(size % 60), 1 + static_cast<int>(size % 12),
                           1 + static_cast<int>(size % 28)});
  CheckKk(text);
  CheckMask(text);
  CheckMask(NormalizeIdDigits(text));
  CheckDate(text);
  return 0;
}
