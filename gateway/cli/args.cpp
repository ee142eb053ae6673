#include "cli/args.hpp"

#include <cstdio>

namespace satupintu::cli {
namespace {

// The number of words of `words` ("registry import": 2) when they begin `argv_words`, else 0.
std::size_t Matches(std::string_view words, std::span<const std::string> argv_words) {
  std::size_t n = 0;
  while (!words.empty()) {
    const auto space = words.find(' ');
    const auto word = words.substr(0, space);
    if (n >= argv_words.size() || argv_words[n] != word) return 0;
    ++n;
    words = space == std::string_view::npos ? std::string_view() : words.substr(space + 1);
  }
  return n;
}

void AppendIndented(std::string* out, std::string_view text, std::string_view indent) {
  while (!text.empty()) {
    const auto end = text.find('\n');
    out->append(indent).append(text.substr(0, end)).push_back('\n');
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
}

}  // namespace

std::string Args::Get(std::string_view name) const {
  auto it = flags.find(name);
  return it == flags.end() ? std::string() : it->second;
}

core::Result<Args> ParseArgs(std::span<const std::string> words, std::span<const Flag> accepted) {
  Args args;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word.size() <= 2 || word.rfind("--", 0) != 0) {
      args.positional.push_back(word);
      continue;
    }
    const std::string_view name = std::string_view(word).substr(2);
    const Flag* flag = nullptr;
    for (const auto& f : accepted) {
      if (f.name == name) flag = &f;
    }
    if (flag == nullptr) {
      return core::MakeError(core::ErrorCode::kInvalidArgument, "unknown option " + word);
    }
    if (!flag->takes_value) {
      args.flags[std::string(name)] = "on";
    } else if (i + 1 >= words.size()) {
      return core::MakeError(core::ErrorCode::kInvalidArgument, word + " needs a value");
    } else {
      args.flags[std::string(name)] = words[++i];
    }
  }
  return args;
}

std::string Usage(std::span<const Command> table) {
  std::string out = "usage: satupintu <command> [options]\n\ncommands:\n";
  for (const auto& command : table) {
    std::string line(command.words);
    if (!command.synopsis.empty()) line.append(" ").append(command.synopsis);
    AppendIndented(&out, line, "  ");
    AppendIndented(&out, command.help, "      ");
  }
  return out;
}

int Dispatch(std::span<const Command> table, std::span<const std::string> argv_words) {
  if (argv_words.empty()) {
    std::fprintf(stderr, "satupintu: missing command\n\n%s", Usage(table).c_str());
    return 2;
  }
  const std::string& first = argv_words[0];
  if (first == "help" || first == "--help" || first == "-h") {
    std::printf("%s", Usage(table).c_str());
    return 0;
  }
  const Command* found = nullptr;
  std::size_t used = 0;
  for (const auto& command : table) {
    const std::size_t n = Matches(command.words, argv_words);
    if (n > used) {
      found = &command;
      used = n;
    }
  }
  if (found == nullptr) {
    // "users frobnicate": name the words given, as far as they looked like a command.
    std::string given = first;
    if (argv_words.size() > 1 && argv_words[1].rfind("--", 0) != 0) given += " " + argv_words[1];
    std::fprintf(stderr, "satupintu: unknown command \"%s\"\n\n%s", given.c_str(),
                 Usage(table).c_str());
    return 2;
  }
  auto args = ParseArgs(argv_words.subspan(used), found->flags);
  if (!args.ok()) {
    std::fprintf(stderr, "satupintu: %.*s: %s\n\n%s", static_cast<int>(found->words.size()),
                 found->words.data(), args.error().message.c_str(), Usage(table).c_str());
    return 2;
  }
  return found->run(args.value());
}

}  // namespace satupintu::cli
