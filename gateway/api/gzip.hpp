#pragma once
// gzip (RFC 1952) for the page's static files, compressed once at start: Boost.Beast's
// deflate (the zlib algorithm, header-only in Boost) and Boost.CRC, so no zlib library.

#include <string>
#include <string_view>

namespace satupintu::api {

// The gzip member of `data` at the best compression; empty if the deflater failed.
std::string Gzip(std::string_view data);

// The data of a single gzip member as Gzip writes it (no optional header fields), checked
// against its CRC-32 and length; empty on any mismatch. For tests and diagnostics.
std::string Gunzip(std::string_view member);

}  // namespace satupintu::api
