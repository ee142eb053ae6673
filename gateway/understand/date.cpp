#include "understand/date.hpp"

#include <string>
#include <vector>

#include "text/edit_distance.hpp"
#include "text/fold.hpp"

namespace satupintu::understand {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

int ToInt(std::string_view s) {
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

// Folded tokens, split again where digits meet letters ("17agustus1985").
std::vector<std::string> DateTokens(std::string_view text) {
  const std::string folded = text::FoldForMatch(text);
  std::vector<std::string> tokens;
  std::string current;
  for (char c : folded) {
    if (c == ' ') {
      if (!current.empty()) tokens.push_back(std::move(current));
      current.clear();
      continue;
    }
    if (!current.empty() && IsDigit(c) != IsDigit(current.back())) {
      tokens.push_back(std::move(current));
      current.clear();
    }
    current.push_back(c);
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

std::optional<int> MonthWord(const std::string& word, const Lexicon& lexicon) {
  if (const int* m = lexicon.Month(word)) return *m;
  if (word.size() < 5) return std::nullopt;
  const int max = word.size() >= 8 ? 2 : 1;
  std::optional<int> found;
  for (const auto& [name, month] : lexicon.Months()) {
    if (name.size() < 5) continue;
    if (text::BoundedEditDistance(word, name, max) <= max) {
      if (found && *found != month) return std::nullopt;  // close to two months: do not guess
      found = month;
    }
  }
  return found;
}

struct Parts {
  int day = 0;
  int month = 0;
  int year = 0;
  bool two_digit_year = false;
};

ParsedDate Fail(DateError error) { return ParsedDate{std::nullopt, error}; }

ParsedDate Finish(const Parts& p, const registry_io::CivilDate& today) {
  int year = p.year;
  if (p.two_digit_year) {
    const registry_io::CivilDate recent{2000 + p.year, p.month, p.day};
    year = registry_io::IsRealDate(recent.year, p.month, p.day) && recent <= today ? recent.year
                                                                                   : 1900 + p.year;
  }
  if (!registry_io::IsRealDate(year, p.month, p.day)) return Fail(DateError::kInvalid);
  const registry_io::CivilDate date{year, p.month, p.day};
  if (year < 1900) return Fail(DateError::kTooOld);
  if (today < date) return Fail(DateError::kFuture);
  return ParsedDate{date, DateError::kNone};
}

}  // namespace

const char* DateErrorCode(DateError error) {
  switch (error) {
    case DateError::kNone:
      return "date.ok";
    case DateError::kEmpty:
      return "date.empty";
    case DateError::kFormat:
      return "date.format";
    case DateError::kMonth:
      return "date.month";
    case DateError::kInvalid:
      return "date.invalid";
    case DateError::kFuture:
      return "date.future";
    case DateError::kTooOld:
      return "date.too_old";
  }
  return "date.format";
}

ParsedDate ParseDayFirstDate(std::string_view text, const Lexicon& lexicon,
                             const registry_io::CivilDate& today) {
  const auto tokens = DateTokens(text);
  if (tokens.empty()) return Fail(DateError::kEmpty);
  std::vector<std::size_t> numbers;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (AllDigits(tokens[i])) numbers.push_back(i);
  }
  if (numbers.empty()) return Fail(DateError::kFormat);

  if (numbers.size() == 1) {
    const std::string& n = tokens[numbers[0]];
    // DDMMYYYY or DDMMYY typed without separators; anything else lacks a part.
    if (n.size() == 8)
      return Finish({ToInt(n.substr(0, 2)), ToInt(n.substr(2, 2)), ToInt(n.substr(4)), false},
                    today);
    if (n.size() == 6)
      return Finish({ToInt(n.substr(0, 2)), ToInt(n.substr(2, 2)), ToInt(n.substr(4)), true},
                    today);
    return Fail(DateError::kFormat);
  }
  if (numbers.size() == 2) {
    // Day, month name, year: the month word must sit right between the two numbers.
    const std::size_t d = numbers[0];
    const std::size_t y = numbers[1];
    if (y != d + 2) return Fail(DateError::kFormat);
    const auto month = MonthWord(tokens[d + 1], lexicon);
    if (!month) return Fail(DateError::kMonth);
    const std::string& day = tokens[d];
    const std::string& year = tokens[y];
    if (day.size() > 2 || (year.size() != 2 && year.size() != 4)) {
      return Fail(DateError::kFormat);
    }
    return Finish({ToInt(day), *month, ToInt(year), year.size() == 2}, today);
  }
  if (numbers.size() != 3 || numbers[1] != numbers[0] + 1 || numbers[2] != numbers[1] + 1) {
    return Fail(DateError::kFormat);
  }
  const std::string& a = tokens[numbers[0]];
  const std::string& b = tokens[numbers[1]];
  const std::string& c = tokens[numbers[2]];
  if (a.size() == 4 && b.size() <= 2 && c.size() <= 2) {  // ISO, year first
    return Finish({ToInt(c), ToInt(b), ToInt(a), false}, today);
  }
  if (a.size() > 2 || b.size() > 2 || (c.size() != 2 && c.size() != 4)) {
    return Fail(DateError::kFormat);
  }
  return Finish({ToInt(a), ToInt(b), ToInt(c), c.size() == 2}, today);
}

}  // namespace satupintu::understand
