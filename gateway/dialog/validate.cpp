#include "dialog/validate.hpp"

#include <algorithm>
#include <cctype>

#include "core/redact.hpp"
#include "registry_io/nik.hpp"
#include "text/fold.hpp"
#include "understand/choice.hpp"
#include "understand/date.hpp"
#include "understand/identity.hpp"
#include "understand/normalize.hpp"

namespace satupintu::dialog {
namespace {

Validated Fail(std::string key, std::map<std::string, std::string> args = {}) {
  Validated v;
  v.error_key = std::move(key);
  v.error_args = std::move(args);
  return v;
}

Validated Ok(std::string outcome, std::string value) {
  Validated v;
  v.ok = true;
  v.outcome = std::move(outcome);
  v.values[""] = std::move(value);
  return v;
}

// The first number of the message: digits, or a lexicon number word ("tiga", "telu").
std::optional<std::int64_t> FirstNumber(std::string_view text, const understand::Lexicon& lex) {
  const auto msg = understand::NormalizeMessage(text, lex);
  for (const auto& token : msg.tokens) {
    if (!token.empty() && token.size() <= 6 &&
        std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::stoll(token);
    }
    if (const int* n = lex.Number(token)) return *n;
  }
  return std::nullopt;
}

std::size_t CodePoints(std::string_view s) { return text::DecodeUtf8(s).size(); }

// "tidak tahu", "gak tau desanya", "lupa": a free-text answer meaning "I don't know". A phrase
// of one word counts only as the whole answer: villages are called "Wih Ilang" and "Ojo Lali".
bool IsUnknownAnswer(std::string_view text, const understand::Lexicon& lexicon) {
  const auto msg = understand::NormalizeMessage(text, lexicon);
  for (const auto& phrase : lexicon.UnknownAnswers()) {
    if (phrase.size() == 1 ? msg.tokens == phrase
                           : understand::ContainsPhrase(msg.tokens, {phrase})) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::optional<std::string> CleanName(std::string_view text) {
  std::string out;
  int letters = 0;
  bool space = false;
  for (const char ch : Trim(text)) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isspace(c)) {
      space = !out.empty();
      continue;
    }
    if (std::isdigit(c)) return std::nullopt;
    const bool letter = std::isalpha(c) || c >= 0x80;
    if (!letter && c != '.' && c != '\'' && c != '-' && c != ',') return std::nullopt;
    if (std::isalpha(c) || (c >= 0xC0)) ++letters;  // a multibyte letter counts once
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(c);
  }
  const std::size_t n = CodePoints(out);
  if (letters < 2 || n < 2 || n > 80) return std::nullopt;
  return out;
}

std::optional<std::string> CleanText(std::string_view text) {
  std::string out = Trim(text);
  int meaningful = 0;
  for (const char ch : out) {
    const auto c = static_cast<unsigned char>(ch);
    meaningful += std::isalnum(c) || c >= 0xC0 ? 1 : 0;
  }
  if (meaningful < 3 || CodePoints(out) > 1000) return std::nullopt;
  return out;
}

std::optional<std::string> NormalizeTicketCode(std::string_view text) {
  std::string raw;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) raw += static_cast<char>(std::toupper(c));
  }
  if (raw.size() != 9) return std::nullopt;
  for (std::size_t i = 0; i < 3; ++i) {
    if (!std::isalpha(static_cast<unsigned char>(raw[i]))) return std::nullopt;
  }
  for (std::size_t i = 3; i < 9; ++i) {
    char& c = raw[i];
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (c == 'U') return std::nullopt;  // not in Crockford's alphabet
  }
  return raw.substr(0, 3) + "-" + raw.substr(3);
}

std::string Shorten(std::string_view text, std::size_t max_chars) {
  if (CodePoints(text) <= max_chars) return std::string(text);
  std::size_t bytes = 0;
  std::size_t n = 0;
  while (bytes < text.size() && n < max_chars) {
    ++bytes;
    while (bytes < text.size() && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) {
      ++bytes;
    }
    ++n;
  }
  std::string_view cut = text.substr(0, bytes);
  if (const auto sp = cut.find_last_of(' '); sp != std::string_view::npos && sp > bytes / 2) {
    cut = cut.substr(0, sp);
  }
  return Trim(cut) + "...";
}

Validated Validate(const Step& step, const Answer& answer,
                   const std::vector<std::pair<std::string, std::string>>& options,
                   const understand::Lexicon& lexicon, const registry_io::CivilDate& today) {
  const std::string& text = answer.text;
  switch (step.input) {
    case InputType::kChoice: {
      // A tapped button, or the option id itself (a prefilled category), decides at once.
      for (const auto& [id, label] : options) {
        if (id == answer.choice_id || (answer.choice_id.empty() && id == text)) {
          Validated v = Ok(id, id);
          v.values["label"] = label;
          return v;
        }
      }
      std::vector<std::string> labels;
      labels.reserve(options.size());
      for (const auto& o : options) labels.push_back(o.second);
      const auto c = understand::ParseChoice(answer.choice_id.empty() ? text : answer.choice_id,
                                             labels, lexicon);
      if (c.ok()) {
        const auto& [id, label] = options[*c.index];
        Validated v = Ok(id, id);
        v.values["label"] = label;
        return v;
      }
      if (c.failure == understand::ChoiceFailure::kAmbiguous && c.candidates.size() >= 2) {
        std::string list;
        for (auto i : c.candidates) list += (list.empty() ? "" : ", ") + std::to_string(i + 1);
        return Fail("input.choice_ambiguous", {{"nomor", list}});
      }
      return Fail("input.choice", {{"max", std::to_string(options.size())}});
    }
    case InputType::kYesNo: {
      if (answer.choice_id == "yes" || answer.choice_id == "no") {
        return Ok(answer.choice_id, answer.choice_id);
      }
      // The buttons are shown as "1. Ya / 2. Tidak" on SMS.
      const auto msg = understand::NormalizeMessage(text, lexicon);
      if (msg.tokens.size() == 1 && (msg.tokens[0] == "1" || msg.tokens[0] == "2")) {
        const std::string o = msg.tokens[0] == "1" ? "yes" : "no";
        return Ok(o, o);
      }
      switch (understand::ParseYesNo(text, lexicon)) {
        case understand::YesNo::kYes:
          return Ok("yes", "yes");
        case understand::YesNo::kNo:
          return Ok("no", "no");
        case understand::YesNo::kUnknown:
          break;
      }
      return Fail("input.yesno");
    }
    case InputType::kNik: {
      const auto a = understand::ParseNikInput(text, lexicon, today);
      if (a.ok()) {
        Validated v = Ok("ok", a.nik.digits);
        v.values["masked"] = registry_io::MaskId(a.nik.digits);
        return v;
      }
      if (a.kind == understand::NikAnswer::Kind::kUnknown && step.allow_unknown) {
        return Ok("unknown", "");
      }
      // Without a number: where "tidak tahu" is an answer, say so; where the NIK is required,
      // say that instead of suggesting an answer the step refuses.
      if (a.kind == understand::NikAnswer::Kind::kUnknown ||
          a.kind == understand::NikAnswer::Kind::kNoNumber) {
        return Fail(step.allow_unknown ? "input.nik.missing" : "input.nik.required");
      }
      return Fail(std::string("input.") + a.Code());
    }
    case InputType::kKk: {
      const auto msg = understand::NormalizeMessage(text, lexicon);
      if (step.allow_unknown && understand::ContainsPhrase(msg.tokens, lexicon.UnknownAnswers())) {
        return Ok("unknown", "");
      }
      const auto kk = registry_io::ParseKk(text);
      if (!kk.ok()) return Fail("input.kk");
      Validated v = Ok("ok", kk.digits);
      v.values["masked"] = registry_io::MaskId(kk.digits);
      return v;
    }
    case InputType::kName: {
      auto name = CleanName(text);
      if (!name) return Fail("input.name");
      return Ok("ok", *name);
    }
    case InputType::kText: {
      if (step.allow_unknown && IsUnknownAnswer(text, lexicon)) return Ok("unknown", "");
      auto clean = CleanText(text);
      if (!clean) return Fail("input.text");
      // Minimised at the door: a NIK, KK or phone number typed into free text is kept, shown
      // and sent on only masked. Where a flow needs the NIK it asks for it (InputType::kNik).
      const std::string masked = core::MaskPersonalNumbers(*clean);
      Validated v = Ok("ok", masked);
      v.values["short"] = Shorten(masked, 40);
      return v;
    }
    case InputType::kDate: {
      const auto d = understand::ParseDayFirstDate(text, lexicon, today);
      if (d.ok()) return Ok("ok", d.date->ToIso());
      if (d.error == understand::DateError::kFuture) return Fail("input.date_future");
      return Fail("input.date");
    }
    case InputType::kNumber:
    case InputType::kRating: {
      const std::int64_t lo = step.input == InputType::kRating ? 1 : step.min;
      const std::int64_t hi = step.input == InputType::kRating ? 5 : step.max;
      const auto n = FirstNumber(answer.choice_id.empty() ? text : answer.choice_id, lexicon);
      if (!n || *n < lo || *n > hi) {
        return Fail(step.input == InputType::kRating ? "input.rating" : "input.number",
                    {{"min", std::to_string(lo)}, {"max", std::to_string(hi)}});
      }
      return Ok("ok", std::to_string(*n));
    }
    case InputType::kTicketCode: {
      auto code = NormalizeTicketCode(text);
      if (!code) return Fail("input.ticket_code");
      return Ok("ok", *code);
    }
    case InputType::kPhone: {
      const auto p = understand::ParsePhone(text);
      if (!p.ok()) return Fail("input.phone");
      return Ok("ok", p.e164);
    }
  }
  return Fail("dialog.not_understood");
}

}  // namespace satupintu::dialog
