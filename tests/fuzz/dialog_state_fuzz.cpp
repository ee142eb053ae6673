// Fuzz target for the conversation state's JSON (gateway/dialog/state): what the conversation
// table holds, read back after every turn. Invariants: ParseState never throws (it promises
// nullopt for anything it did not write); a parsed state serializes to text that parses again,
// and that text is a fixed point (serialize(parse(t)) == t).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dialog/state.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using satupintu::dialog::ParseState;
  using satupintu::dialog::SerializeState;
  using satupintu::dialog::State;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::optional<State> state = ParseState(text);
  if (!state) return 0;
  const std::string written = SerializeState(*state);
  const std::optional<State> again = ParseState(written);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(SerializeState(*again) == written);
  return 0;
}
