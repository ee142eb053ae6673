#include "core/redact.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <shared_mutex>
#include <vector>

namespace satupintu::core {
namespace {

constexpr std::size_t kMinSecretLength = 4;
constexpr std::size_t kMinMaskedDigits = 10;
constexpr std::size_t kMaxGapChars = 3;  // ") - " between two groups is the widest we join

struct SecretList {
  std::shared_mutex mutex;
  std::vector<std::string> values;
  std::atomic<bool> any{false};  // lets the common case skip the lock
};

SecretList& Secrets() {
  static SecretList list;
  return list;
}

// The digit at `i` as '0'..'9' with its length in bytes: ASCII, or full-width (U+FF10..U+FF19,
// EF BC 90..99 in UTF-8), which phones with a CJK keyboard produce. {0, 0} when none.
struct Char {
  char digit = 0;
  std::size_t size = 0;
};

Char DigitAt(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c >= '0' && c <= '9') return {static_cast<char>(c), 1};
  if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC) {
    const auto d = static_cast<unsigned char>(s[i + 2]);
    if (d >= 0x90 && d <= 0x99) return {static_cast<char>('0' + (d - 0x90)), 3};
  }
  return {};
}

// The length in bytes of a separator people put between digit groups at `i`, or 0: spaces,
// dots, dashes, slashes, underscores, brackets, a plus, line breaks; and their non-ASCII forms
// (no-break space, ideographic space, full-width - . /, Unicode hyphens and dashes).
std::size_t SeparatorAt(std::string_view s, std::size_t i) {
  switch (s[i]) {
    case ' ':
    case '.':
    case '-':
    case '/':
    case '_':
    case '(':
    case ')':
    case '+':
    case '\t':
    case '\r':
    case '\n':
      return 1;
    default:
      break;
  }
  const auto at = [&](std::size_t k) {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0;
  };
  if (at(0) == 0xC2 && at(1) == 0xA0) return 2;                                    // U+00A0
  if (at(0) == 0xE3 && at(1) == 0x80 && at(2) == 0x80) return 3;                   // U+3000
  if (at(0) == 0xEF && at(1) == 0xBC && at(2) >= 0x8D && at(2) <= 0x8F) return 3;  // U+FF0D-F
  if (at(0) == 0xE2 && at(1) == 0x80 && at(2) >= 0x90 && at(2) <= 0x95) return 3;  // U+2010-5
  return 0;
}

// A day-first or ISO date at `i` ("12/05/2024", "1-2-24", "2024-05-12"), with one separator
// used twice and plausible day and month: kept as written, so a complaint's dates survive
// while a NIK written "32/01/01/2345..." (day 32) does not pass for one. Its length, or 0.
std::size_t DateAt(std::string_view s, std::size_t i) {
  int groups[3] = {0, 0, 0};
  std::size_t widths[3] = {0, 0, 0};
  char sep = 0;
  std::size_t j = i;
  for (int g = 0; g < 3; ++g) {
    while (j < s.size() && s[j] >= '0' && s[j] <= '9' && widths[g] < 5) {
      groups[g] = groups[g] * 10 + (s[j] - '0');
      ++widths[g];
      ++j;
    }
    if (widths[g] == 0) return 0;
    if (g == 2) break;
    if (j >= s.size() || (s[j] != '/' && s[j] != '-' && s[j] != '.')) return 0;
    if (sep != 0 && s[j] != sep) return 0;
    sep = s[j++];
  }
  // The same separator going on with a digit is a longer number, not a date.
  if (j + 1 < s.size() && s[j] == sep && s[j + 1] >= '0' && s[j + 1] <= '9') return 0;
  if (j < s.size() && s[j] >= '0' && s[j] <= '9') return 0;
  const bool iso = widths[0] == 4 && widths[1] <= 2 && widths[2] <= 2;
  const bool day_first = widths[0] <= 2 && widths[1] <= 2 && (widths[2] == 2 || widths[2] == 4);
  const int day = iso ? groups[2] : groups[0];
  const int month = groups[1];
  if (!(iso || day_first) || day < 1 || day > 31 || month < 1 || month > 12) return 0;
  return j - i;
}

// A run of digit groups starting at `i` (a digit): where it ends, and its digits as ASCII.
struct Run {
  std::size_t end = 0;
  std::string digits;
};

Run RunAt(std::string_view s, std::size_t i) {
  Run run;
  std::size_t j = i;
  while (j < s.size()) {
    if (const Char d = DigitAt(s, j); d.size != 0) {
      run.digits.push_back(d.digit);
      j += d.size;
      run.end = j;
      continue;
    }
    // A gap of up to three separators joins the next group when a digit follows it.
    std::size_t k = j;
    std::size_t gap = 0;
    while (k < s.size() && gap < kMaxGapChars) {
      const std::size_t n = SeparatorAt(s, k);
      if (n == 0) break;
      k += n;
      ++gap;
    }
    if (gap == 0 || k >= s.size() || DigitAt(s, k).size == 0 || DateAt(s, k) != 0) break;
    j = k;
  }
  return run;
}

// Calls emit(kept_text) and mask(run) over `s` in order; returns whether anything was masked.
template <typename Keep, typename Mask>
bool Scan(std::string_view s, Keep keep, Mask mask) {
  bool masked = false;
  std::size_t i = 0;
  std::size_t kept_from = 0;
  while (i < s.size()) {
    if (DigitAt(s, i).size == 0) {
      ++i;
      continue;
    }
    if (const std::size_t date = DateAt(s, i); date != 0) {
      i += date;
      continue;
    }
    Run run = RunAt(s, i);
    if (run.digits.size() >= kMinMaskedDigits) {
      keep(s.substr(kept_from, i - kept_from));
      mask(run.digits);
      masked = true;
      kept_from = run.end;
    }
    i = run.end;
  }
  keep(s.substr(kept_from));
  return masked;
}

// Replaces each registered secret in place.
void ReplaceSecrets(std::string& text) {
  auto& list = Secrets();
  std::shared_lock lock(list.mutex);
  for (const auto& secret : list.values) {
    std::size_t pos = 0;
    while ((pos = text.find(secret, pos)) != std::string::npos) {
      text.replace(pos, secret.size(), "[redacted]");
      pos += 10;
    }
  }
}

}  // namespace

void RegisterSecret(std::string_view secret) {
  if (secret.size() < kMinSecretLength) return;
  auto& list = Secrets();
  std::unique_lock lock(list.mutex);
  if (std::find(list.values.begin(), list.values.end(), secret) == list.values.end()) {
    list.values.emplace_back(secret);
    list.any = true;
    // Longest first, so a secret containing another is replaced whole.
    std::sort(list.values.begin(), list.values.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  }
}

void ClearSecretsForTest() {
  auto& list = Secrets();
  std::unique_lock lock(list.mutex);
  list.values.clear();
  list.any = false;
}

bool ContainsPersonalNumber(std::string_view text) {
  return Scan(
      text, [](std::string_view) {}, [](const std::string&) {});
}

bool NeedsRedaction(std::string_view text) {
  return Secrets().any.load(std::memory_order_relaxed) || ContainsPersonalNumber(text);
}

std::string MaskDigits(std::string_view digits) {
  std::string only;
  for (std::size_t i = 0; i < digits.size();) {
    const Char d = DigitAt(digits, i);
    if (d.size == 0) {
      ++i;
      continue;
    }
    only.push_back(d.digit);
    i += d.size;
  }
  const std::size_t keep = only.size() >= 14 ? 4 : 2;
  if (only.size() <= keep * 2) return std::string(only.size(), '*');
  for (std::size_t i = keep; i < only.size() - keep; ++i) only[i] = '*';
  return only;
}

std::string MaskPersonalNumbers(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  Scan(
      text, [&](std::string_view kept) { out.append(kept); },
      [&](const std::string& digits) { out += MaskDigits(digits); });
  return out;
}

std::string Redact(std::string_view input) {
  if (!Secrets().any.load(std::memory_order_relaxed)) return MaskPersonalNumbers(input);
  std::string text(input);
  ReplaceSecrets(text);
  return MaskPersonalNumbers(text);
}

}  // namespace satupintu::core
