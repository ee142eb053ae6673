#pragma once
// The command line's one flag parser and one command table. A command is the words that name
// it ("registry import"), the flags it accepts, its help, and the function that runs it; the
// usage text is made from the table, so a command cannot be runnable yet missing from `help`.

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace satupintu::cli {

struct Flag {
  std::string_view name;    // without the dashes: "config" for --config
  bool takes_value = true;  // false: a switch (--scratch)
};

// What followed a command's words: `--name value` flags, switches (value "on") and the
// positional words, in order.
struct Args {
  std::map<std::string, std::string, std::less<>> flags;
  std::vector<std::string> positional;

  bool Has(std::string_view name) const { return flags.find(name) != flags.end(); }
  // The flag's value, "" when it was not given.
  std::string Get(std::string_view name) const;
};

// Parses `words` against the flags a command accepts: an unknown flag, or one that needs a value
// and has none, is an error naming it.
core::Result<Args> ParseArgs(std::span<const std::string> words, std::span<const Flag> accepted);

struct Command {
  std::string_view words;     // "registry import", "version"
  std::string_view synopsis;  // after the words, e.g. "FILE [--config FILE] [--format F]"
  std::string_view help;      // one or more lines, without indentation
  std::vector<Flag> flags;
  int (*run)(const Args&) = nullptr;  // returns the exit code
};

// The usage text of a table: "usage: ..." and every command with its synopsis and help.
std::string Usage(std::span<const Command> table);

// Finds the command whose words begin `argv_words` (the longest match), parses the rest
// against its flags and runs it. Returns the exit code: the command's own, or 2 for an unknown
// command or a bad flag (with the usage on stderr). `help`, `--help` and `-h` print the usage.
int Dispatch(std::span<const Command> table, std::span<const std::string> argv_words);

}  // namespace satupintu::cli
