#pragma once
// Keeps personal data and secrets out of everything we write to logs and error messages, and
// out of everything the gateway keeps of a citizen's free text. Two rules: registered secret
// values are replaced, and numbers of 10 or more digits (NIK, KK, phone numbers, card numbers)
// are masked to their first and last digits.
//
// A number is found however it is written: ASCII or full-width digits, in groups joined by up
// to three separators (spaces, . - / _ ( ) +, line breaks, their full-width and Unicode forms):
// "3201 0141 0190 0003", "３２０１...", "(0265) 331-234", "+62 812-3456-7890". A date written
// with one separator twice ("12/05/2024", "2024-05-12") is never part of one, so a complaint's
// dates survive ("12/05/2024 10.30" is kept).

#include <string>
#include <string_view>

namespace satupintu::core {

// Registers a secret (token, app secret, key) so that Redact() replaces it. Thread-safe.
// Values shorter than 4 characters are ignored: masking them would shred ordinary text.
void RegisterSecret(std::string_view secret);
void ClearSecretsForTest();

// Returns text with secrets replaced by "[redacted]" and every number of 10 or more digits
// masked, e.g. 3201********0003.
std::string Redact(std::string_view input);

// Only the second rule: what a citizen's free text is kept as ("at the door").
std::string MaskPersonalNumbers(std::string_view text);

// True when `text` holds a number MaskPersonalNumbers would mask.
bool ContainsPersonalNumber(std::string_view text);

// False when Redact(text) would return text unchanged; cheap, allocation-free.
bool NeedsRedaction(std::string_view text);

// Masks one identifier for display: keeps 4 leading and 4 trailing digits when it has at least
// 14, else 2 and 2; separators are dropped, full-width digits read as ASCII.
std::string MaskDigits(std::string_view digits);

}  // namespace satupintu::core
