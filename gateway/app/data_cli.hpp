#pragma once
// The data officer's commands (no network, no Beast): `satupintu regions ...`,
// `satupintu registry ...`, `satupintu audit ...`, `satupintu users ...` (users_cli.hpp).
// See kDataUsage in data_cli.cpp.
#include <string>
#include <vector>

namespace satupintu::app {

// `words`: everything after the command word ("regions", "registry" or "audit"): the
// subcommand, positional arguments and --flags. Returns the process exit code
// (0 done, 1 failed, 2 usage or configuration error).
int RunDataCommand(const std::string& command, const std::vector<std::string>& words);

extern const char* const kDataUsage;

}  // namespace satupintu::app
