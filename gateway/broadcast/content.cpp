#include "broadcast/content.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "text/fold.hpp"

namespace satupintu::broadcast {
namespace {

// Top-level domains a bare "name.tld" is taken as a link for (with a scheme or "www." any host
// counts). Words joined by a dot in Indonesian text ("Kab.Tasikmalaya", "Rp.300.000", "a.n.")
// end in no such label.
constexpr auto kLinkTlds = std::to_array<std::string_view>(
    {"id",   "com",  "net",  "org",   "info", "biz",  "co",   "io",     "me",   "ly",  "gl",
     "gd",   "to",   "cc",   "ws",    "xyz",  "link", "site", "online", "top",  "app", "dev",
     "page", "club", "shop", "store", "live", "tk",   "ml",   "ga",     "cf",   "gq",  "us",
     "my",   "sg",   "tv",   "pw",    "icu",  "vip",  "asia", "click",  "mobi", "web", "lol"});

// What a text may not ask the reader to send, type or enter (folded words).
constexpr auto kSecrets = std::to_array<std::string_view>(
    {"nik", "nkk", "kk", "ktp", "pin", "otp", "password", "kata sandi", "sandi", "kode verifikasi",
     "kode rahasia", "rekening", "nomor induk kependudukan", "kartu keluarga", "cvv"});

// Asking for something: imperatives and the active forms a text uses ("dengan membalas").
constexpr auto kRequestVerbs = std::to_array<std::string_view>(
    {"kirim",       "kirimkan",   "kirimlah",   "mengirim",      "mengirimkan", "balas",
     "balaslah",    "membalas",   "ketik",      "ketikkan",      "mengetik",    "sebutkan",
     "menyebutkan", "berikan",    "beri",       "memberikan",    "masukkan",    "masukan",
     "memasukkan",  "isi",        "isikan",     "mengisi",       "input",       "inputkan",
     "daftarkan",   "verifikasi", "konfirmasi", "konfirmasikan", "perbarui",    "update",
     "bagikan",     "share",      "send",       "reply",         "enter",       "type",
     "lampirkan",   "upload",     "unggah",     "mengunggah",    "tulis",       "tuliskan",
     "cantumkan",   "serahkan",   "login",      "masuk",         "klik",        "tekan"});

constexpr auto kNegations =
    std::to_array<std::string_view>({"tidak", "jangan", "bukan", "tak", "never", "dont"});

// How far before a secret a request may stand, and a negation before the request, in words.
constexpr std::size_t kRequestReach = 6;
constexpr std::size_t kNegationReach = 3;

template <std::size_t N>
bool OneOf(const std::array<std::string_view, N>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

std::vector<std::string_view> Words(std::string_view folded) {
  std::vector<std::string_view> words;
  std::size_t at = 0;
  while (at < folded.size()) {
    const auto end = std::min(folded.find(' ', at), folded.size());
    if (end > at) words.push_back(folded.substr(at, end - at));
    at = end + 1;
  }
  return words;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool HostLabelsValid(std::string_view host) {
  if (host.empty() || host.front() == '.' || host.back() == '.') return false;
  if (host.find("..") != std::string_view::npos) return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
  });
}

std::string_view LastLabel(std::string_view host) {
  const auto dot = host.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : host.substr(dot + 1);
}

// The host of one whitespace-separated token, or empty when it is no link.
std::string HostOf(std::string_view raw) {
  static constexpr std::string_view kLead = "(<[\"'";
  static constexpr std::string_view kTrail = ".,;:!?)>]\"'";
  while (!raw.empty() && kLead.find(raw.front()) != std::string_view::npos) raw.remove_prefix(1);
  while (!raw.empty() && kTrail.find(raw.back()) != std::string_view::npos) raw.remove_suffix(1);
  const std::string token = Lower(raw);
  std::string_view rest = token;
  bool explicit_link = false;
  if (const auto scheme = rest.find("://"); scheme != std::string_view::npos) {
    rest.remove_prefix(scheme + 3);
    explicit_link = true;
  } else if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    rest.remove_prefix(at + 1);  // an e-mail address: its domain
  }
  if (const auto at = rest.find('@'); explicit_link && at != std::string_view::npos) {
    rest.remove_prefix(at + 1);  // user@host in a URL
  }
  rest = rest.substr(0, rest.find_first_of("/?#:"));
  if (rest.starts_with("www.")) {
    rest.remove_prefix(4);
    explicit_link = true;
  }
  if (!HostLabelsValid(rest) || rest.find('.') == std::string_view::npos) return {};
  const std::string_view tld = LastLabel(rest);
  const bool alpha_tld = !tld.empty() && std::all_of(tld.begin(), tld.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c));
  });
  if (!alpha_tld) return {};
  if (!explicit_link && !OneOf(kLinkTlds, tld)) return {};
  return std::string(rest);
}

bool Official(std::string_view host, const ContentPolicy& policy) {
  return std::any_of(policy.official_domains.begin(), policy.official_domains.end(),
                     [&](const std::string& domain) {
                       const std::string d = Lower(domain);
                       return host == d || (host.size() > d.size() && host.ends_with(d) &&
                                            host[host.size() - d.size() - 1] == '.');
                     });
}

// "kirim ... nik" for the first request of a secret, or empty.
std::string SecretRequest(const std::vector<std::string_view>& words) {
  for (std::size_t i = 0; i < words.size(); ++i) {
    for (const std::string_view secret : kSecrets) {
      const auto secret_words = Words(secret);
      if (i + secret_words.size() > words.size() ||
          !std::equal(secret_words.begin(), secret_words.end(), words.begin() + i)) {
        continue;
      }
      const std::size_t from = i >= kRequestReach ? i - kRequestReach : 0;
      for (std::size_t j = i; j-- > from;) {
        if (!OneOf(kRequestVerbs, words[j])) continue;
        const std::size_t neg_from = j >= kNegationReach ? j - kNegationReach : 0;
        const bool negated = std::any_of(words.begin() + neg_from, words.begin() + j,
                                         [](std::string_view w) { return OneOf(kNegations, w); });
        if (!negated) return std::string(words[j]) + " ... " + std::string(secret);
        break;  // the nearest request is negated: "jangan berikan PIN"
      }
    }
  }
  return {};
}

bool NamesOffice(const std::string& folded_text, const ContentPolicy& policy) {
  const std::string padded = " " + folded_text + " ";
  return std::any_of(
      policy.office_names.begin(), policy.office_names.end(), [&](const std::string& name) {
        const std::string folded = text::FoldForMatch(name);
        return !folded.empty() && padded.find(" " + folded + " ") != std::string::npos;
      });
}

}  // namespace

const char* ContentProblemName(ContentProblemKind kind) {
  switch (kind) {
    case ContentProblemKind::kEmpty:
      return "empty";
    case ContentProblemKind::kLinkNotOfficial:
      return "link_not_official";
    case ContentProblemKind::kAsksForSecret:
      return "asks_for_secret";
    case ContentProblemKind::kNoOfficeName:
      return "no_office_name";
  }
  return "unknown";
}

std::vector<std::string> LinkedHosts(std::string_view text) {
  std::vector<std::string> hosts;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto end = std::min(text.find_first_of(" \t\r\n", at), text.size());
    if (end > at) {
      std::string host = HostOf(text.substr(at, end - at));
      if (!host.empty()) hosts.push_back(std::move(host));
    }
    at = end + 1;
  }
  return hosts;
}

std::vector<ContentProblem> CheckContent(std::string_view text, const ContentPolicy& policy) {
  std::vector<ContentProblem> problems;
  const std::string folded = text::FoldForMatch(text);
  if (folded.empty()) {
    problems.push_back({ContentProblemKind::kEmpty, {}});
    return problems;
  }
  for (const std::string& host : LinkedHosts(text)) {
    if (!Official(host, policy)) problems.push_back({ContentProblemKind::kLinkNotOfficial, host});
  }
  if (std::string request = SecretRequest(Words(folded)); !request.empty()) {
    problems.push_back({ContentProblemKind::kAsksForSecret, std::move(request)});
  }
  if (!policy.office_names.empty() && !NamesOffice(folded, policy)) {
    problems.push_back({ContentProblemKind::kNoOfficeName, {}});
  }
  return problems;
}

}  // namespace satupintu::broadcast
