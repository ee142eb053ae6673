#pragma once
// Text encoding checks for registry files: strict UTF-8 validation and a Windows-1252 decoder
// (our own static table, no iconv). Windows-1252 is a superset of the printable Latin-1 range,
// so it also covers files saved as "ISO-8859-1" by older tools.

#include <cstdint>
#include <string>
#include <string_view>

namespace satupintu::registry_io {

// True when `text` is well-formed UTF-8 (shortest forms only, no surrogates, at most U+10FFFF)
// and holds no NUL byte: NUL is valid UTF-8 but never text in a registry file.
bool IsValidUtf8(std::string_view text);

// True when `byte` has no character in Windows-1252 (0x81 0x8D 0x8F 0x90 0x9D) or is NUL.
bool IsUndefinedInCp1252(unsigned char byte);

// Appends `text` decoded as Windows-1252 to `out` as UTF-8. Returns false, leaving `out` with
// an unspecified tail, when `text` holds a byte for which IsUndefinedInCp1252 is true.
bool AppendCp1252AsUtf8(std::string_view text, std::string& out);

// Appends the UTF-8 form of `code_point` (must be a scalar value) to `out`.
void AppendUtf8(char32_t code_point, std::string& out);

}  // namespace satupintu::registry_io
