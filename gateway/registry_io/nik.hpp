#pragma once
// NIK (Nomor Induk Kependudukan) and No. KK (family card number) parsing, per DOMAIN.md
// "Identity numbers". NIK: PP RR SS DDMMYY NNNN = province, regency/city, kecamatan of issue,
// birth date with 40 added to the day for women, serial; no checksum.
//
// Region codes are those of issue and may predate splits: a kecamatan code that is not in
// today's region list is never a rejection here (the importer may warn). Nothing in this file
// logs; error codes never carry the number.

#include <cstdint>
#include <string>
#include <string_view>

#include "registry_io/dates.hpp"

namespace satupintu::registry_io {

enum class IdError : std::uint8_t {
  kNone,
  kLength,      // not 16 digits after stripping spaces, dots and dashes
  kCharacters,  // something other than digits, spaces, dots and dashes
  kProvince,    // first two digits not one of the 38 official province codes
  kRegency,     // regency/city code not 01-69 (kabupaten) or 71-99 (kota)  [NIK only]
  kDate,        // birth date not a real date, or in the future               [NIK only]
  kSerial,      // last four digits 0000
};

// Stable English codes for the locale catalog: "nik.length", "nik.characters", "nik.province",
// "nik.regency", "nik.date", "nik.serial" (and "nik.ok" for kNone); KkErrorCode the same with
// "kk.".
const char* NikErrorCode(IdError error);
const char* KkErrorCode(IdError error);

enum class Sex : std::uint8_t { kMale, kFemale };

struct Nik {
  IdError error = IdError::kNone;
  // Filled when error is kNone (digits also for kProvince and later errors).
  std::string digits;  // the 16 digits
  int province = 0;    // 11..96
  int regency = 0;     // 1..99, within the province
  int kecamatan = 0;   // 0..99, within the regency
  CivilDate birth_date;
  Sex sex = Sex::kMale;
  int serial = 0;  // 1..9999

  bool ok() const { return error == IdError::kNone; }
};

struct Kk {
  IdError error = IdError::kNone;  // kNone, kLength, kCharacters, kProvince or kSerial
  std::string digits;
  int province = 0;
  bool ok() const { return error == IdError::kNone; }
};

// `text` with spaces, tabs, dots and dashes removed; nothing else is changed or checked.
std::string NormalizeIdDigits(std::string_view text);

// Validates a NIK. `today` decides the century of the two-digit birth year: 20YY unless that
// date is after today, then 19YY; a birth date after today is kDate.
Nik ParseNik(std::string_view text, const CivilDate& today);

// Validates a No. KK: 16 digits, a province code, serial not 0000. The embedded DDMMYY is the
// date the card data was entered, and is deliberately not checked: family cards issued before
// SIAK (the civil registry system) and cards re-issued after a data migration carry placeholder
// or inconsistent dates that Dukcapil still recognises, so rejecting them would drop real
// households from the registry.
Kk ParseKk(std::string_view text);

// For display: the first four and last four characters kept, the rest as '*'
// ("3201********0003"). Inputs shorter than 9 characters are masked entirely, so no more than
// 8 characters of any input ever show, and never the middle of a 16-digit number.
std::string MaskId(std::string_view digits);

// True when `code` is one of the 38 official province codes (Kepmendagri 300.2.2-2138/2025).
bool IsProvinceCode(int code);
// The 38 codes in ascending order, for tests and region checks.
const int* ProvinceCodesBegin();
const int* ProvinceCodesEnd();

}  // namespace satupintu::registry_io
