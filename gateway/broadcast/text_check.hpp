#pragma once
// A broadcast's text in one language, checked as the officer types it (issue 20): it must be
// a valid ICU message whose only placeholders are the recipient's first name {nama}, village
// {desa} and ticket code {kode_tiket}; rendered with long sample values it must pass the
// content check (content.hpp); and the SMS it makes is counted (segments, GSM-7 or UCS-2) after
// the substitution the SMS channels apply (curly quotes, dashes, ...).
#include <string>
#include <string_view>
#include <vector>

#include "broadcast/content.hpp"

namespace satupintu::broadcast {

// The placeholders a broadcast may use, and the samples a text is measured with: long enough
// that a real recipient's text is rarely longer (a first name of 15 letters, a village name of
// 24).
inline constexpr std::string_view kPlaceholderName = "nama";
inline constexpr std::string_view kPlaceholderVillage = "desa";
inline constexpr std::string_view kPlaceholderTicket = "kode_tiket";

struct TextCheck {
  std::string error;  // the pattern does not parse (ICU's error); nothing else was checked
  std::vector<std::string> unknown_placeholders;  // e.g. "nik", "nama_lengkap"
  std::vector<ContentProblem> problems;           // of the text rendered with the samples
  std::string sample;                             // that text
  int sms_segments = 0;
  bool sms_ucs2 = false;
  bool ok() const { return error.empty() && unknown_placeholders.empty() && problems.empty(); }
};

TextCheck CheckText(std::string_view pattern, std::string_view language,
                    const ContentPolicy& policy);

}  // namespace satupintu::broadcast
