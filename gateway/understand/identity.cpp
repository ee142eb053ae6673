#include "understand/identity.hpp"

#include "understand/normalize.hpp"

namespace satupintu::understand {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// [first digit, one past the last digit); npos when there is no digit.
std::pair<std::size_t, std::size_t> DigitSpan(std::string_view text) {
  std::size_t first = std::string_view::npos;
  std::size_t last = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!IsDigit(text[i])) continue;
    if (first == std::string_view::npos) first = i;
    last = i + 1;
  }
  return {first, last};
}

}  // namespace

const char* NikAnswer::Code() const {
  switch (kind) {
    case Kind::kNik:
      return "nik.ok";
    case Kind::kUnknown:
      return "nik.unknown";
    case Kind::kNoNumber:
      return "nik.missing";
    case Kind::kInvalid:
      return registry_io::NikErrorCode(nik.error);
  }
  return "nik.missing";
}

NikAnswer ParseNikInput(std::string_view text, const Lexicon& lexicon,
                        const registry_io::CivilDate& today) {
  NikAnswer answer;
  const auto [first, last] = DigitSpan(text);
  if (first == std::string_view::npos) {
    const auto tokens = NormalizeMessage(text, lexicon).tokens;
    answer.kind = ContainsPhrase(tokens, lexicon.UnknownAnswers()) ? NikAnswer::Kind::kUnknown
                                                                   : NikAnswer::Kind::kNoNumber;
    return answer;
  }
  answer.nik = registry_io::ParseNik(text.substr(first, last - first), today);
  answer.kind = answer.nik.ok() ? NikAnswer::Kind::kNik : NikAnswer::Kind::kInvalid;
  return answer;
}

const char* PhoneErrorCode(PhoneError error) {
  switch (error) {
    case PhoneError::kNone:
      return "phone.ok";
    case PhoneError::kMissing:
      return "phone.missing";
    case PhoneError::kFormat:
      return "phone.format";
    case PhoneError::kNotIndonesian:
      return "phone.not_indonesian";
  }
  return "phone.format";
}

ParsedPhone ParsePhone(std::string_view text) {
  auto [first, last] = DigitSpan(text);
  if (first == std::string_view::npos) return {{}, PhoneError::kMissing};
  std::size_t start = first;
  while (start > 0 && text[start - 1] == ' ') --start;
  const bool plus = start > 0 && text[start - 1] == '+';
  // Digits only; the separators people type are skipped, anything else (a second number
  // joined by a word) refuses the whole span.
  std::string digits;
  for (char c : text.substr(first, last - first)) {
    if (IsDigit(c)) {
      digits.push_back(c);
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return {{}, PhoneError::kFormat};
    }
  }
  bool international = plus;
  if (!plus && digits.rfind("00", 0) == 0) {
    digits.erase(0, 2);  // international call prefix written instead of '+'
    international = true;
  }
  std::string national;  // the digits after 62
  if (international || digits.rfind("62", 0) == 0) {
    if (digits.rfind("62", 0) != 0) {
      // Another country: say so when it looks like a real international number.
      const bool plausible = digits.size() >= 8 && digits.size() <= 15 && digits[0] != '0';
      return {{}, plausible ? PhoneError::kNotIndonesian : PhoneError::kFormat};
    }
    national = digits.substr(2);
  } else if (digits.rfind('0', 0) == 0) {
    national = digits.substr(1);  // national trunk prefix: 08xx
  } else if (digits.rfind('8', 0) == 0) {
    national = digits;  // "812..." with the leading 0 dropped
  } else {
    return {{}, PhoneError::kFormat};
  }
  if (national.size() < 9 || national.size() > 13 || national[0] == '0') {
    return {{}, PhoneError::kFormat};
  }
  return {"+62" + national, PhoneError::kNone};
}

}  // namespace satupintu::understand
