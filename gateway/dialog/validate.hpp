#pragma once
// The validators of ask steps: a citizen's answer -> an outcome and the values to store, or
// the message key that says what was wrong (each key is a whole message that also says what
// to send instead). Pure; built on gateway/understand.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dialog/definition.hpp"
#include "registry_io/dates.hpp"
#include "understand/lexicon.hpp"

namespace satupintu::dialog {

struct Answer {
  std::string text;       // as typed (or a prefilled value)
  std::string choice_id;  // a tapped button, when any
};

struct Validated {
  bool ok = false;
  std::string outcome;  // "ok", "unknown", "yes", "no", or the chosen option id
  // Values to store: "" -> the step's slot; "<suffix>" -> slot + "_" + suffix (nik "masked",
  // choice "label", date "iso").
  std::map<std::string, std::string> values;
  std::string error_key;  // when !ok
  std::map<std::string, std::string> error_args;
};

// `options`: the choices shown, {id, rendered label}, in order.
Validated Validate(const Step& step, const Answer& answer,
                   const std::vector<std::pair<std::string, std::string>>& options,
                   const understand::Lexicon& lexicon, const registry_io::CivilDate& today);

// Without leading and trailing white space.
std::string Trim(std::string_view s);
// A person's name as typed: trimmed, inner runs of spaces made one; letters (any script),
// spaces, '.', '\'', '-', ','; 2-80 characters, at least two letters, no digits.
std::optional<std::string> CleanName(std::string_view text);
// Free text: trimmed; 3-1000 characters with at least 3 letters or digits.
std::optional<std::string> CleanText(std::string_view text);
// A ticket code as typed ("adu 7k3m9q", "ADU-7K3M9Q", "adu7k3m9q") -> "ADU-7K3M9Q", with
// Crockford's reading of look-alikes (O -> 0, I and L -> 1); nullopt when not of the form
// 3 letters + 6 characters.
std::optional<std::string> NormalizeTicketCode(std::string_view text);
// The first `max_chars` code points of `text`, cut at a word end, with "..." when cut.
std::string Shorten(std::string_view text, std::size_t max_chars);

}  // namespace satupintu::dialog
