#include "adapters/core/phone.hpp"

namespace satupintu::adapters {

std::optional<std::string> NormalizePhone(std::string_view input) {
  std::string digits;
  bool plus = false;
  for (char c : input) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') {
      continue;
    } else {
      return std::nullopt;
    }
  }
  if (!plus && digits.rfind("00", 0) == 0) {
    digits.erase(0, 2);  // international call prefix written instead of '+'
    plus = true;
  }
  if (!plus && digits.rfind('0', 0) == 0) {
    digits.replace(0, 1, "62");  // national trunk prefix: 08xx -> 628xx
  } else if (!plus && digits.rfind("62", 0) != 0) {
    if (digits.rfind('8', 0) != 0) return std::nullopt;
    digits.insert(0, "62");  // "812..." with the leading 0 dropped
  }
  if (digits.rfind("62", 0) == 0) {
    const std::size_t national = digits.size() - 2;
    if (national < 9 || national > 13 || digits[2] == '0') return std::nullopt;
    return digits;
  }
  // Another country, already international: E.164 allows up to 15 digits.
  if (digits.size() < 8 || digits.size() > 15 || digits[0] == '0') return std::nullopt;
  return digits;
}

}  // namespace satupintu::adapters
