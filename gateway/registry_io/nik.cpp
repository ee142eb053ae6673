#include "registry_io/nik.hpp"

#include <algorithm>
#include <array>

namespace satupintu::registry_io {
namespace {

// Kemendagri province codes (Kepmendagri 300.2.2-2138/2025, as in idn-area-data 4.0.1).
constexpr std::array<int, 38> kProvinceCodes = {
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
    61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96,
};

constexpr std::size_t kIdLength = 16;

bool IsStripped(char c) { return c == ' ' || c == '\t' || c == '.' || c == '-'; }

int Number(std::string_view digits, std::size_t pos, std::size_t n) {
  int value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) value = value * 10 + (digits[i] - '0');
  return value;
}

// Strips separators into `digits`; kLength / kCharacters / kNone.
IdError Normalize(std::string_view text, std::string& digits) {
  digits.clear();
  bool bad_character = false;
  for (char c : text) {
    if (IsStripped(c)) continue;
    if (c < '0' || c > '9') {
      bad_character = true;
      continue;
    }
    if (digits.size() <= kIdLength) digits.push_back(c);  // enough to tell "too long"
  }
  if (bad_character) return IdError::kCharacters;
  if (digits.size() != kIdLength) return IdError::kLength;
  return IdError::kNone;
}

const char* ErrorCode(IdError error, bool nik) {
  switch (error) {
    case IdError::kNone:
      return nik ? "nik.ok" : "kk.ok";
    case IdError::kLength:
      return nik ? "nik.length" : "kk.length";
    case IdError::kCharacters:
      return nik ? "nik.characters" : "kk.characters";
    case IdError::kProvince:
      return nik ? "nik.province" : "kk.province";
    case IdError::kRegency:
      return nik ? "nik.regency" : "kk.regency";
    case IdError::kDate:
      return nik ? "nik.date" : "kk.date";
    case IdError::kSerial:
      return nik ? "nik.serial" : "kk.serial";
  }
  return nik ? "nik.invalid" : "kk.invalid";
}

}  // namespace

const char* NikErrorCode(IdError error) { return ErrorCode(error, true); }
const char* KkErrorCode(IdError error) { return ErrorCode(error, false); }

bool IsProvinceCode(int code) {
  return std::binary_search(kProvinceCodes.begin(), kProvinceCodes.end(), code);
}
const int* ProvinceCodesBegin() { return kProvinceCodes.data(); }
const int* ProvinceCodesEnd() { return kProvinceCodes.data() + kProvinceCodes.size(); }

std::string NormalizeIdDigits(std::string_view text) {
  std::string out;
  out.reserve(std::min(text.size(), kIdLength));
  for (char c : text) {
    if (!IsStripped(c)) out.push_back(c);
  }
  return out;
}

Nik ParseNik(std::string_view text, const CivilDate& today) {
  Nik nik;
  nik.error = Normalize(text, nik.digits);
  if (nik.error != IdError::kNone) {
    nik.digits.clear();
    return nik;
  }
  const std::string_view d = nik.digits;
  nik.province = Number(d, 0, 2);
  nik.regency = Number(d, 2, 2);
  nik.kecamatan = Number(d, 4, 2);
  nik.serial = Number(d, 12, 4);
  if (!IsProvinceCode(nik.province)) {
    nik.error = IdError::kProvince;
    return nik;
  }
  if (nik.regency == 0 || nik.regency == 70) {
    nik.error = IdError::kRegency;
    return nik;
  }
  int day = Number(d, 6, 2);
  const int month = Number(d, 8, 2);
  const int yy = Number(d, 10, 2);
  if (day > 40) {
    nik.sex = Sex::kFemale;
    day -= 40;
  }
  // The century that is not in the future; 19YY when 20YY is impossible (29 Feb 2100 cannot
  // occur before 2100 anyway) or still to come.
  const CivilDate in_2000s{2000 + yy, month, day};
  const CivilDate in_1900s{1900 + yy, month, day};
  if (IsRealDate(in_2000s.year, month, day) && in_2000s <= today) {
    nik.birth_date = in_2000s;
  } else if (IsRealDate(in_1900s.year, month, day) && in_1900s <= today) {
    nik.birth_date = in_1900s;
  } else {
    nik.error = IdError::kDate;
    return nik;
  }
  if (nik.serial == 0) {
    nik.error = IdError::kSerial;
    return nik;
  }
  return nik;
}

Kk ParseKk(std::string_view text) {
  Kk kk;
  kk.error = Normalize(text, kk.digits);
  if (kk.error != IdError::kNone) {
    kk.digits.clear();
    return kk;
  }
  kk.province = Number(kk.digits, 0, 2);
  if (!IsProvinceCode(kk.province)) {
    kk.error = IdError::kProvince;
  } else if (Number(kk.digits, 12, 4) == 0) {
    kk.error = IdError::kSerial;
  }
  return kk;
}

std::string MaskId(std::string_view digits) {
  std::string out(digits.size(), '*');
  if (digits.size() >= 9) {
    std::copy_n(digits.begin(), 4, out.begin());
    std::copy_n(digits.end() - 4, 4, out.end() - 4);
  }
  return out;
}

}  // namespace satupintu::registry_io
