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

struct SecretList {
  std::shared_mutex mutex;
  std::vector<std::string> values;
  std::atomic<bool> any{false};  // lets the common case skip the lock
};

SecretList& Secrets() {
  static SecretList list;
  return list;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSeparator(char c) { return c == ' ' || c == '.' || c == '-'; }

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

bool NeedsRedaction(std::string_view text) {
  if (Secrets().any.load(std::memory_order_relaxed)) return true;
  std::size_t digits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (IsDigit(text[i])) {
      if (++digits >= kMinMaskedDigits) return true;
    } else if (!(IsSeparator(text[i]) && digits > 0 && i + 1 < text.size() &&
                 IsDigit(text[i + 1]))) {
      digits = 0;
    }
  }
  return false;
}

std::string MaskDigits(std::string_view digits) {
  std::string only;
  for (char c : digits) {
    if (IsDigit(c)) only.push_back(c);
  }
  const std::size_t keep = only.size() >= 14 ? 4 : 2;
  if (only.size() <= keep * 2) return std::string(only.size(), '*');
  for (std::size_t i = keep; i < only.size() - keep; ++i) only[i] = '*';
  return only;
}

std::string Redact(std::string_view input) {
  std::string text(input);
  ReplaceSecrets(text);

  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!IsDigit(text[i])) {
      out.push_back(text[i++]);
      continue;
    }
    // Extend over digits with single separators between them.
    std::size_t end = i;
    std::size_t digit_count = 0;
    std::size_t j = i;
    while (j < text.size()) {
      if (IsDigit(text[j])) {
        ++digit_count;
        end = ++j;
      } else if (IsSeparator(text[j]) && j + 1 < text.size() && IsDigit(text[j + 1])) {
        ++j;
      } else {
        break;
      }
    }
    const std::string_view run(text.data() + i, end - i);
    if (digit_count >= kMinMaskedDigits) {
      out += MaskDigits(run);
    } else {
      out.append(run);
    }
    i = end;
  }
  return out;
}

}  // namespace satupintu::core
