#pragma once
// The content check of a broadcast (issue 20): what the social office must never send to a
// household. Kemensos tells citizens it never sends registration links and never asks for NIK,
// OTP or PIN by WhatsApp or SMS, so an official broadcast that does either teaches them to
// trust scams. A text is refused when it
//   - links anywhere but the configured official domains (web addresses and e-mail domains;
//     default: anything under go.id),
//   - asks the reader to send, type or enter a NIK, KK, KTP, PIN, OTP, password, verification
//     code or bank account number ("Balas dengan NIK Anda", "Masukkan kode OTP"); naming them
//     otherwise is fine ("Bawa KTP dan KK asli", "Jangan berikan PIN kepada siapa pun"),
//   - does not name the sending office (any of its configured names),
//   - is empty.
// Pure: no I/O. What an officer reads about a problem comes from locales/ by its kind.
#include <string>
#include <string_view>
#include <vector>

namespace satupintu::broadcast {

struct ContentPolicy {
  // Hosts links may point to: the domain itself and everything under it.
  std::vector<std::string> official_domains = {"go.id"};
  // The sending office as the text must name it, e.g. "Dinas Sosial Kabupaten Tasikmalaya" and
  // "Dinsos Kab. Tasikmalaya"; matched without regard to case, accents or punctuation. Empty:
  // not checked (a configuration without an office name is refused elsewhere).
  std::vector<std::string> office_names;
};

enum class ContentProblemKind {
  kEmpty,
  kLinkNotOfficial,  // detail: the host
  kAsksForSecret,    // detail: the words, e.g. "kirim ... nik"
  kNoOfficeName,
};

struct ContentProblem {
  ContentProblemKind kind;
  std::string detail;
};

const char* ContentProblemName(ContentProblemKind kind);

// Every problem of `text` (UTF-8), in the order above; empty when it may be sent.
std::vector<ContentProblem> CheckContent(std::string_view text, const ContentPolicy& policy);

// The hosts `text` links to (lower case, without scheme, "www." or path): web addresses with a
// scheme, "www." or a known top-level domain, and the domains of e-mail addresses.
std::vector<std::string> LinkedHosts(std::string_view text);

}  // namespace satupintu::broadcast
