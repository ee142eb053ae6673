#include "text/name_similarity.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "text/edit_distance.hpp"
#include "text/fold.hpp"

namespace satupintu::text {
namespace {

struct Alias {
  std::string_view from;
  std::string_view to;
};

// Looked up after the spelling rules and doubled letters, so "mochammad" arrives as
// "mohamad" and "abdullah" as "abdulah".
constexpr std::array kAliases = {
    Alias{"muhamad", "muhamad"}, Alias{"mohamad", "muhamad"}, Alias{"muhamed", "muhamad"},
    Alias{"mohamed", "muhamad"}, Alias{"muhamat", "muhamad"}, Alias{"mohamat", "muhamad"},
    Alias{"moh", "muhamad"},     Alias{"muh", "muhamad"},     Alias{"mhd", "muhamad"},
    Alias{"mohd", "muhamad"},    Alias{"muhd", "muhamad"},    Alias{"md", "muhamad"},
    Alias{"st", "siti"},         Alias{"nurul", "nur"},       Alias{"abd", "abdul"},
};

struct Rule {
  std::string_view from;
  std::string_view to;
};

// Old spelling; longest patterns first so "tj" is not read as "t" + "j".
constexpr std::array kSpelling = {
    Rule{"oe", "u"},  Rule{"dj", "j"}, Rule{"tj", "c"}, Rule{"sj", "sy"},
    Rule{"nj", "ny"}, Rule{"ch", "h"}, Rule{"kh", "h"},
};

std::string ApplySpelling(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (std::size_t i = 0; i < token.size();) {
    bool replaced = false;
    for (const auto& rule : kSpelling) {
      if (token.substr(i, rule.from.size()) == rule.from) {
        out.append(rule.to);
        i += rule.from.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(token[i++]);
  }
  // Final y after a consonant is i (Rudy / Rudi, Hendry / Hendri); "Aay" or "Ray" keep it.
  if (out.size() >= 2 && out.back() == 'y' &&
      std::string_view("aeiouy").find(out[out.size() - 2]) == std::string_view::npos) {
    out.back() = 'i';
  }
  return out;
}

std::string CollapseDoubles(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    // Bytes >= 0x80 belong to multi-byte sequences; collapsing those could cut one.
    if (!out.empty() && out.back() == c && static_cast<unsigned char>(c) < 0x80) continue;
    out.push_back(c);
  }
  return out;
}

std::vector<std::string> Split(const std::string& folded) {
  std::vector<std::string> tokens;
  std::size_t start = 0;
  while (start < folded.size()) {
    std::size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    if (end > start) tokens.emplace_back(folded.substr(start, end - start));
    start = end + 1;
  }
  return tokens;
}

struct Token {
  std::u32string text;
  double weight = 0;
};

std::vector<Token> Tokens(std::string_view name) {
  std::vector<Token> out;
  for (const auto& raw : Split(FoldForMatch(name))) {
    Token t;
    t.text = DecodeUtf8(CanonicalNameToken(raw));
    t.weight = static_cast<double>(std::max<std::size_t>(t.text.size(), 2));
    out.push_back(std::move(t));
  }
  return out;
}

double PairScore(const std::u32string& a, const std::u32string& b) {
  if (a == b) return 1.0;
  if ((a.size() == 1 && !b.empty() && b.front() == a.front()) ||
      (b.size() == 1 && !a.empty() && a.front() == b.front())) {
    return 0.8;
  }
  const int longer = static_cast<int>(std::max(a.size(), b.size()));
  const int max_distance = longer / 3;
  if (max_distance == 0) return 0.0;
  const int d = BoundedEditDistance(a, b, max_distance);
  if (d > max_distance) return 0.0;
  return 1.0 - static_cast<double>(d) / longer;
}

double TokenScore(const std::vector<Token>& a, const std::vector<Token>& b) {
  struct Candidate {
    double score;
    std::size_t i;
    std::size_t j;
  };
  std::vector<Candidate> candidates;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = 0; j < b.size(); ++j) {
      const double s = PairScore(a[i].text, b[j].text);
      if (s > 0) candidates.push_back({s, i, j});
    }
  }
  // Best pairs first; on equal scores keep the original order (fewer crossings).
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& x, const Candidate& y) { return x.score > y.score; });
  std::vector<bool> used_a(a.size(), false);
  std::vector<bool> used_b(b.size(), false);
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  double matched = 0;
  double total = 0;
  for (const auto& c : candidates) {
    if (used_a[c.i] || used_b[c.j]) continue;
    used_a[c.i] = used_b[c.j] = true;
    pairs.emplace_back(c.i, c.j);
    const double w = a[c.i].weight + b[c.j].weight;
    matched += c.score * w;
    total += w;
  }
  std::vector<double> left_a;
  std::vector<double> left_b;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!used_a[i]) left_a.push_back(a[i].weight);
  }
  for (std::size_t j = 0; j < b.size(); ++j) {
    if (!used_b[j]) left_b.push_back(b[j].weight);
  }
  std::sort(left_a.rbegin(), left_a.rend());
  std::sort(left_b.rbegin(), left_b.rend());
  const std::size_t wrong = std::min(left_a.size(), left_b.size());
  for (std::size_t k = 0; k < left_a.size(); ++k) total += left_a[k] * (k < wrong ? 1.0 : 0.5);
  for (std::size_t k = 0; k < left_b.size(); ++k) total += left_b[k] * (k < wrong ? 1.0 : 0.5);
  if (total <= 0) return 0.0;

  std::sort(pairs.begin(), pairs.end());
  bool crossed = false;
  for (std::size_t k = 1; k < pairs.size(); ++k) {
    if (pairs[k].second < pairs[k - 1].second) crossed = true;
  }
  return matched / total * (crossed ? 0.95 : 1.0);
}

double CompactScore(const std::vector<Token>& a, const std::vector<Token>& b) {
  std::u32string ja;
  std::u32string jb;
  for (const auto& t : a) ja += t.text;
  for (const auto& t : b) jb += t.text;
  const int longer = static_cast<int>(std::max(ja.size(), jb.size()));
  if (longer == 0) return 0.0;
  const int d = BoundedEditDistance(ja, jb, 2);
  if (d > 2) return 0.0;
  return 1.0 - static_cast<double>(d) / longer;
}

}  // namespace

std::string CanonicalNameToken(std::string_view folded_token) {
  std::string t = CollapseDoubles(ApplySpelling(folded_token));
  for (const auto& alias : kAliases) {
    if (t == alias.from) return std::string(alias.to);
  }
  return t;
}

double NameSimilarity(std::string_view a, std::string_view b) {
  const std::vector<Token> ta = Tokens(a);
  const std::vector<Token> tb = Tokens(b);
  if (ta.empty() || tb.empty()) return 0.0;
  return std::max(TokenScore(ta, tb), CompactScore(ta, tb));
}

}  // namespace satupintu::text
