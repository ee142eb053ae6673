// Fuzz target for officers' SMS commands (gateway/backoffice/sms_commands): ParseCommand on
// any text. Invariants: a recognised code is normalised (three letters, '-', six characters
// of the code alphabet: "ADU-7K3M9Q") and parses back to itself; RUJUK's programmes are
// trimmed and not empty; pages start at 1; notes are UTF-8 when the text is.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "backoffice/sms_commands.hpp"
#include "fuzz_check.hpp"
#include "fuzz_util.hpp"

namespace {

using satupintu::backoffice::Command;
using satupintu::backoffice::ParseCommand;

bool CodeChar(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::optional<Command> command = ParseCommand(text);
  if (!command) return 0;
  FUZZ_CHECK(command->page >= 1);
  if (!command->code.empty()) {
    FUZZ_CHECK(command->code.size() == 10 && command->code[3] == '-');
    for (char c : command->code.substr(0, 3)) FUZZ_CHECK(c >= 'A' && c <= 'Z');
    for (char c : command->code.substr(4)) FUZZ_CHECK(CodeChar(c));
    const std::optional<Command> again = ParseCommand("LIHAT " + command->code);
    FUZZ_CHECK(again.has_value() && again->code == command->code);
  }
  for (const std::string& programme : command->programmes) {
    FUZZ_CHECK(!programme.empty());
    FUZZ_CHECK(programme.front() != ' ' && programme.back() != ' ');
  }
  FUZZ_CHECK(satupintu::fuzz::IsUtf8(command->note) || !satupintu::fuzz::IsUtf8(text));
  return 0;
}
