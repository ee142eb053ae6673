#pragma once
// The process's limit of open files (RLIMIT_NOFILE) against the connections it may hold.
// systemd's default soft limit (1024) is below one listener's default max_connections
// (4096), and a server at its file limit can neither accept nor open its store's files.

#include <cstdint>

#include "core/result.hpp"

namespace satupintu::http {

struct FileLimit {
  std::uint64_t soft_before = 0;
  std::uint64_t soft = 0;  // after: at least `needed` when the call succeeded
  std::uint64_t hard = 0;  // never changed
};

// Raises the soft limit to `needed` when it is lower (never lowers it, never touches the
// hard limit). Fails when the hard limit is below `needed` (kInvalidArgument): nothing is changed
// then, and the caller names the setting that asks for too much.
core::Result<FileLimit> EnsureFileLimit(std::uint64_t needed);

}  // namespace satupintu::http
