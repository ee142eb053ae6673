// Fuzz target for input understanding (gateway/understand) on the real lexicon
// (locales/lexicon): every function that reads what a citizen typed. Invariants: normalising
// leaves no empty token; a choice is in range, ambiguity lists at
// least two candidates in range; a date is real and not after today; a NIK answer of kind kNik
// holds a valid NIK; a phone is "+62" and 9-13 digits; one-shot fields are trimmed and never
// empty; intents round-trip through their names and category ids are lower-case [a-z_] as the
// lexicon's.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "paths/paths.hpp"
#include "registry_io/dates.hpp"
#include "understand/choice.hpp"
#include "understand/date.hpp"
#include "understand/identity.hpp"
#include "understand/intent.hpp"
#include "understand/lexicon.hpp"
#include "understand/normalize.hpp"
#include "understand/one_shot.hpp"

namespace {

using namespace satupintu::understand;  // NOLINT(google-build-using-namespace): a fuzz target
using satupintu::registry_io::CivilDate;

constexpr CivilDate kToday{2025, 10, 1};

const Lexicon& TheLexicon() {
  static const Lexicon lexicon = [] {
    auto loaded = Lexicon::Load(satupintu::testing::SourcePath("locales/lexicon"));
    if (!loaded.ok()) {
      std::fprintf(stderr, "lexicon: %s\n", loaded.error().message.c_str());
      std::abort();
    }
    return std::move(loaded).value();
  }();
  return lexicon;
}

bool Trimmed(std::string_view s) {
  return !s.empty() && s.front() != ' ' && s.back() != ' ' && s.front() != '\t' && s.back() != '\t';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Lexicon& lexicon = TheLexicon();
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const NormalizedMessage normalized = NormalizeMessage(text, lexicon);
  for (const std::string& token : normalized.tokens) FUZZ_CHECK(!token.empty());

  static const std::vector<std::string> kOptions = {"Bantuan sosial (PKH, BPNT)",
                                                    "Kesehatan (PBI JK)", "Pendidikan (PIP)",
                                                    "Lainnya", "Kesehatan"};
  const Choice choice = ParseChoice(text, kOptions, lexicon);
  if (choice.ok()) {
    FUZZ_CHECK(*choice.index < kOptions.size());
  } else {
    FUZZ_CHECK(choice.failure != ChoiceFailure::kNone);
    for (std::size_t c : choice.candidates) FUZZ_CHECK(c < kOptions.size());
    if (choice.failure == ChoiceFailure::kAmbiguous) FUZZ_CHECK(choice.candidates.size() >= 2);
  }
  (void)ParseYesNo(text, lexicon);

  const ParsedDate date = ParseDayFirstDate(text, lexicon, kToday);
  if (date.ok()) {
    FUZZ_CHECK(
        satupintu::registry_io::IsRealDate(date.date->year, date.date->month, date.date->day));
    FUZZ_CHECK(*date.date <= kToday);
  }

  const NikAnswer nik = ParseNikInput(text, lexicon, kToday);
  if (nik.kind == NikAnswer::Kind::kNik) {
    FUZZ_CHECK(nik.nik.ok() && nik.nik.digits.size() == 16);
  }
  if (nik.kind == NikAnswer::Kind::kInvalid) FUZZ_CHECK(!nik.nik.ok());

  const ParsedPhone phone = ParsePhone(text);
  if (phone.ok()) {
    FUZZ_CHECK(phone.e164.rfind("+62", 0) == 0);
    FUZZ_CHECK(phone.e164.size() >= 3 + 9 && phone.e164.size() <= 3 + 13);
    FUZZ_CHECK(phone.e164[3] != '0');
    for (std::size_t i = 1; i < phone.e164.size(); ++i) {
      FUZZ_CHECK(phone.e164[i] >= '0' && phone.e164[i] <= '9');
    }
    FUZZ_CHECK(ParsePhone(phone.e164).e164 == phone.e164);
  }

  if (const std::optional<OneShot> form = SplitOneShot(text)) {
    FUZZ_CHECK(!form->keyword.empty());
    for (const std::string& field : form->fields) FUZZ_CHECK(Trimmed(field));
    (void)OneShotErrorCode(form->error);
  }

  const IntentGuess guess = RecognizeIntent(text, lexicon);
  FUZZ_CHECK(IntentFromName(IntentName(guess.intent)) == guess.intent);
  const std::string category = RecognizeCategory(text, lexicon);
  for (char c : guess.category + category) FUZZ_CHECK((c >= 'a' && c <= 'z') || c == '_');
  return 0;
}
