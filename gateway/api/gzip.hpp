#pragma once
// gzip (RFC 1952) for the page's static files, compressed once at start, and the API's larger
// answers: Boost.Beast's deflate (the zlib algorithm, header-only in Boost) and Boost.CRC, so no
// zlib library.

#include <string>
#include <string_view>

namespace satupintu::api {

// The gzip member of `data` at `level` (1 fastest - 9 best); empty if the deflater failed.
std::string Gzip(std::string_view data, int level = 9);

// Whether an Accept-Encoding header value allows gzip (present, and not with q=0).
bool AcceptsGzip(std::string_view accept_encoding);

// The data of a single gzip member as Gzip writes it (no optional header fields), checked
// against its CRC-32 and length; empty on any mismatch. For tests and diagnostics.
std::string Gunzip(std::string_view member);

}  // namespace satupintu::api
