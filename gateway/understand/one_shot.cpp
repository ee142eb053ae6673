#include "understand/one_shot.hpp"

namespace satupintu::understand {
namespace {

bool IsSeparatorChar(char c) { return c == '#' || c == '*' || c == '/'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A NIK typed in groups ("3201 0112 8500 0001") is one field in the space style: while the
// field is digits, the next space-separated group of digits joins it as long as the field
// keeps at most 16 digits (so "REG <NIK> <KK>" still gives two fields).
std::size_t ExtendDigitGroups(std::string_view rest, std::size_t stop) {
  auto digits_in = [](std::string_view s) {
    std::size_t n = 0;
    for (char c : s) {
      if (!IsDigit(c) && c != '.' && c != '-') return std::string_view::npos;
      n += IsDigit(c) ? 1 : 0;
    }
    return n;
  };
  std::size_t count = digits_in(rest.substr(0, stop));
  if (count == std::string_view::npos || count == 0) return stop;
  while (stop < rest.size() && rest[stop] == ' ') {
    std::size_t next = stop + 1;
    while (next < rest.size() && rest[next] != ' ' && !IsSeparatorChar(rest[next])) ++next;
    const std::size_t group = digits_in(rest.substr(stop + 1, next - stop - 1));
    if (group == std::string_view::npos || group == 0 || count + group > 16) break;
    count += group;
    stop = next;
  }
  return stop;
}

char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

std::span<const OneShotForm> DefaultOneShotForms() {
  static const OneShotForm kForms[] = {
      {"ADU", 2, true},  {"CEK", 1, true},     {"DTKS", 2, true},
      {"REG", 2, false}, {"DAFTAR", 2, false},
  };
  return kForms;
}

const char* OneShotErrorCode(OneShotError error) {
  switch (error) {
    case OneShotError::kNone:
      return "oneshot.ok";
    case OneShotError::kMissingFields:
      return "oneshot.missing_fields";
    case OneShotError::kTooManyFields:
      return "oneshot.too_many_fields";
  }
  return "oneshot.missing_fields";
}

std::optional<OneShot> SplitOneShot(std::string_view text, std::span<const OneShotForm> forms) {
  text = Trim(text);
  std::size_t end = 0;
  while (end < text.size() &&
         ((text[end] >= 'a' && text[end] <= 'z') || (text[end] >= 'A' && text[end] <= 'Z'))) {
    ++end;
  }
  if (end == 0 || (end < text.size() && !IsSpace(text[end]) && !IsSeparatorChar(text[end]))) {
    return std::nullopt;
  }
  std::string keyword;
  for (char c : text.substr(0, end)) keyword.push_back(Upper(c));
  const OneShotForm* form = nullptr;
  for (const auto& f : forms) {
    if (f.keyword == keyword) form = &f;
  }
  if (form == nullptr) return std::nullopt;

  OneShot out;
  out.keyword = keyword;
  std::string_view rest = Trim(text.substr(end));
  const bool hash_style = !rest.empty() && IsSeparatorChar(rest.front());
  const char separator = hash_style ? rest.front() : ' ';
  auto is_separator = [&](char c) {
    return hash_style ? c == separator : IsSpace(c) || IsSeparatorChar(c);
  };

  while (!rest.empty()) {
    // Skip one separator (hash style: empty fields between two separators are kept as gaps and
    // dropped below) or a run of them (space style).
    while (!rest.empty() && IsSpace(rest.front())) rest.remove_prefix(1);
    if (!rest.empty() && is_separator(rest.front())) {
      rest.remove_prefix(1);
      if (!hash_style) continue;
    }
    rest = Trim(rest);
    if (rest.empty()) break;
    if (form->last_is_text && out.fields.size() + 1 == form->fields) {
      out.fields.emplace_back(rest);
      break;
    }
    std::size_t stop = 0;
    while (stop < rest.size() && !is_separator(rest[stop])) ++stop;
    if (!hash_style) stop = ExtendDigitGroups(rest, stop);
    const std::string_view field = Trim(rest.substr(0, stop));
    if (!field.empty()) out.fields.emplace_back(field);
    rest = rest.substr(stop);
  }
  if (out.fields.size() < form->fields) out.error = OneShotError::kMissingFields;
  if (out.fields.size() > form->fields) out.error = OneShotError::kTooManyFields;
  return out;
}

}  // namespace satupintu::understand
