#pragma once
// Keeps personal data and secrets out of everything we write to logs and error messages.
// Two rules: registered secret values are replaced, and long digit runs (NIK, KK, phone
// numbers, card numbers) are masked to their first and last digits.

#include <string>
#include <string_view>

namespace satupintu::core {

// Registers a secret (token, app secret, key) so that Redact() replaces it. Thread-safe.
// Values shorter than 4 characters are ignored: masking them would shred ordinary text.
void RegisterSecret(std::string_view secret);
void ClearSecretsForTest();

// Returns text with secrets replaced by "[redacted]" and every run of 10 or more digits
// (single spaces, dots or dashes allowed between digits) masked, e.g. 3201********0003.
std::string Redact(std::string_view input);

// False when Redact(text) would return text unchanged; cheap, allocation-free.
bool NeedsRedaction(std::string_view text);

// Masks one identifier for display: keeps 4 leading and 4 trailing digits when it has at least
// 14, else 2 and 2; separators are dropped.
std::string MaskDigits(std::string_view digits);

}  // namespace satupintu::core
