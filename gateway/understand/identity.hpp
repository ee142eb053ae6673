#pragma once
// Identity answers typed by a citizen: the NIK (with "I don't know" as a valid answer) and a
// phone number. Nothing here logs; codes never carry the number.

#include <cstdint>
#include <string>
#include <string_view>

#include "registry_io/nik.hpp"
#include "understand/lexicon.hpp"

namespace satupintu::understand {

struct NikAnswer {
  enum class Kind : std::uint8_t {
    kNik,       // a valid NIK in `nik`
    kUnknown,   // the citizen does not know or does not have it ("tidak tahu", "gak punya",
                // "lupa", "KTP hilang", "ora ngerti", "teu terang"): continue without it
    kNoNumber,  // no digit and no such phrase (a name typed instead, "???")
    kInvalid,   // digits that are not a NIK: `nik.error` says why
  };
  Kind kind = Kind::kNoNumber;
  registry_io::Nik nik;  // from registry_io::ParseNik when digits were typed

  bool ok() const { return kind == Kind::kNik; }
  // For the locale catalog: "nik.ok", "nik.unknown", "nik.missing", or one of
  // registry_io::NikErrorCode: "nik.length", "nik.characters", "nik.province", "nik.regency",
  // "nik.date", "nik.serial".
  const char* Code() const;
};

// Words around the number are ignored ("NIK sy 3201-0112-8500-0001 pak"): the NIK is the text
// from the first digit to the last, checked by registry_io::ParseNik (spaces, dots and dashes
// inside are fine; anything else inside is "nik.characters", so two numbers in one message are
// refused rather than guessed). A message without digits is kUnknown when it contains one of
// the lexicon's unknown_answers, else kNoNumber. `today` decides the century of the birth year.
NikAnswer ParseNikInput(std::string_view text, const Lexicon& lexicon,
                        const registry_io::CivilDate& today);

enum class PhoneError : std::uint8_t {
  kNone,
  kMissing,        // no digit at all
  kFormat,         // not a plausible Indonesian number
  kNotIndonesian,  // a valid international number outside +62
};

// "phone.ok", "phone.missing", "phone.format", "phone.not_indonesian".
const char* PhoneErrorCode(PhoneError error);

struct ParsedPhone {
  std::string e164;  // "+6281234567890" when error is kNone
  PhoneError error = PhoneError::kNone;
  bool ok() const { return error == PhoneError::kNone; }
};

// A phone number in local forms, words around it ignored ("no hp sy 0812-3456-7890"):
// 08xx, 8xx, 62 8xx, +62 8xx, 0062 8xx with spaces, dashes, dots or brackets between the
// first digit (or a '+' just before it) and the last digit. Only Indonesian numbers (+62, 9-13
// digits after it not starting with 0, mobile or landline) are accepted. Self-contained (this
// library must not depend on adapters), but the result is by construction the channels'
// canonical sender form (adapters::NormalizePhone) with '+' in front, so a number typed here
// equals the one an SMS from that phone carries; understand_tests checks the two agree.
ParsedPhone ParsePhone(std::string_view text);

}  // namespace satupintu::understand
