#pragma once
// One-shot SMS forms for citizens who know them: ADU#<NIK>#<text>, CEK <code>,
// DTKS <NIK> <name>, REG#NIK#KK#. Splitting only: the fields are not validated here (the
// dialog checks the NIK with ParseNikInput and the code against the tickets).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace satupintu::understand {

struct OneShotForm {
  std::string keyword;        // upper case ASCII: "ADU"
  std::size_t fields = 0;     // how many fields follow the keyword
  bool last_is_text = false;  // the last field takes the rest of the message, inner spaces and
                              // separators kept (free text, a name)
};

// ADU (NIK, text), CEK (ticket code, the rest of the message: "CEK adu hph855"), DTKS (NIK,
// name), REG (NIK, KK), DAFTAR (NIK, KK).
std::span<const OneShotForm> DefaultOneShotForms();

enum class OneShotError : std::uint8_t {
  kNone,
  kMissingFields,  // fewer fields than the form has ("ADU#3201..." without text)
  kTooManyFields,  // more than the form has ("CEK status dtks saya")
};

// "oneshot.ok", "oneshot.missing_fields", "oneshot.too_many_fields".
const char* OneShotErrorCode(OneShotError error);

struct OneShot {
  std::string keyword;              // the form's keyword
  std::vector<std::string> fields;  // trimmed, never empty strings; as many as were found
  OneShotError error = OneShotError::kNone;
  bool ok() const { return error == OneShotError::kNone; }
};

// nullopt when the message does not start (after leading spaces) with a form's keyword, in any
// case, followed by a separator or the end. Then:
// - when a '#', '*' or '/' follows the keyword (spaces around allowed), that character alone
//   separates the fields, each trimmed: "REG#3201 0112 8500 0001#3201...#" keeps the spaces of
//   a NIK; empty fields are dropped ("REG#NIK#KK#" has two);
// - otherwise fields are separated by runs of spaces, '#', '*' and '/', except that groups of
//   digits separated by single spaces stay one field while it has at most 16 digits
//   ("DTKS 3201 0112 8500 0001 Siti Aminah" -> NIK "3201 0112 8500 0001", name "Siti Aminah").
// With last_is_text, the last field is everything after the previous separator, trimmed
// ("ADU#3201...#Bantuan PKH blm cair / sdh 3 bln" -> text "Bantuan PKH blm cair / sdh 3 bln").
std::optional<OneShot> SplitOneShot(std::string_view text,
                                    std::span<const OneShotForm> forms = DefaultOneShotForms());

}  // namespace satupintu::understand
