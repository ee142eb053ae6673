#pragma once
// Free space on the file system holding a path, for /readyz and the state gauges.

#include <cstdint>
#include <optional>
#include <string>

namespace satupintu::core {

// Bytes available to this process on the file system of the directory holding `file` ("." when
// it names none); nullopt when statvfs fails.
std::optional<std::int64_t> FreeDiskBytesFor(const std::string& file);

}  // namespace satupintu::core
