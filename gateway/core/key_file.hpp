#pragma once
// Secret key files: 32 random bytes written as hex, mode 0600, created once (O_EXCL, so two
// processes starting together never end with different keys) and registered for log
// redaction when read.

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace satupintu::core {

// Reads the key in `path` (trailing whitespace dropped; at least 16 characters). When the file
// does not exist and `create` is set, writes a new key first. `what` names the key in errors
// ("registry key").
Result<std::string> LoadOrCreateKeyFile(const std::string& path, bool create,
                                        std::string_view what);

}  // namespace satupintu::core
