#pragma once
// A streaming RFC 4180 reader for registry files (docs/registry-format.md is the contract).
//
// What it does, byte by byte:
// - A UTF-8 byte-order mark at the start is skipped. A UTF-16 mark (FF FE or FE FF, Excel's
//   "Unicode text") makes Open/FromString fail with a message asking for "CSV UTF-8".
// - Lines end with LF, CRLF or a lone CR. Empty lines (no byte between two line ends) are
//   skipped and counted (empty_lines()). A last line without a line end is read.
// - A field that starts with `"` is quoted: inside, `""` is one quote and the separator, CR and
//   LF are data (kept as they are). A quote anywhere else in an unquoted field is data (Excel
//   writes such fields). After a closing quote, bytes up to the next separator or line end are
//   appended to the field as unquoted data (quotes included): `"ab"cd,` reads as `abcd`,
//   `"ab" ,` as `ab `. So every input has exactly one reading and nothing is dropped.
// - Input that ends inside a quoted field yields a last record with error "unterminated quote".
// - Encoding is decided per record: if every field is UTF-8 text it is kept; otherwise every
//   field of the record is decoded as Windows-1252 and converted_from_cp1252 is set; a record
//   with NUL or a byte Windows-1252 leaves undefined gets error "bad encoding" (its fields are
//   then the raw bytes). Fields of a record whose error is empty are always valid UTF-8.
// - A record longer than max_record_bytes, or with more than max_fields fields, is consumed to
//   its end without storing it and reported with error "record too long" / "too many fields".
// - The number of fields is not checked: wrong column counts are the caller's business (it
//   knows the header).
//
// Reading is in blocks of block_size bytes; in the steady state (same column count) Next()
// allocates nothing: it reuses the strings of the record it is given.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace satupintu::registry_io {

struct CsvOptions {
  // '\0': detected from the first line among separator_candidates (DetectSeparator).
  char separator = ',';
  std::string separator_candidates = ",;|\t";
  std::size_t block_size = std::size_t{1} << 20;        // bytes read at once (files: >= 64)
  std::size_t max_record_bytes = std::size_t{1} << 20;  // field bytes of one record (as read)
  std::size_t max_fields = 4096;
};

struct CsvRecord {
  std::size_t line = 0;  // 1-based number of the record's first physical line
  std::vector<std::string> fields;
  std::string error;  // empty when the record is fine
  bool converted_from_cp1252 = false;
};

// The candidate that occurs most often outside double quotes in `header_line`; the first
// candidate when none occurs, the earlier one on a tie. `candidates` must not be empty.
char DetectSeparator(std::string_view header_line, std::string_view candidates = ",;|\t");

class CsvReader {
 public:
  // Errors: kNotFound (no such file), kPermissionDenied (not readable), kInvalidArgument (not
  // a regular file, UTF-16). Messages name no path; details do.
  static core::Result<CsvReader> Open(const std::string& path, CsvOptions options = {});
  // Reads `data` (for tests and fuzzing), in slices of options.block_size bytes.
  static core::Result<CsvReader> FromString(std::string data, CsvOptions options = {});

  CsvReader(CsvReader&&) noexcept;
  CsvReader& operator=(CsvReader&&) noexcept;
  ~CsvReader();

  // Fills `out` with the next record; false at the end of the input (out is then unspecified).
  bool Next(CsvRecord& out);

  char separator() const { return sep_; }
  std::uint64_t bytes_read() const {
    return block_offset_ + static_cast<std::uint64_t>(cur_ - begin_);
  }
  std::uint64_t file_size() const { return size_; }
  std::size_t empty_lines() const { return empty_lines_; }
  // True when reading the file failed midway (the last record then has error "read error").
  bool io_error() const { return io_error_; }

 private:
  enum class State : std::uint8_t { kRecordStart, kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };

  CsvReader() = default;
  void Init(std::string_view head);
  bool Refill();
  void BeginField(CsvRecord& out);
  void Append(CsvRecord& out, const char* from, const char* to);
  void AppendByte(CsvRecord& out, char c);
  void FinishRecord(CsvRecord& out);
  void FixEncoding(CsvRecord& out);

  CsvOptions options_;
  char sep_ = ',';
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_{nullptr, &std::fclose};
  std::unique_ptr<std::string> memory_;  // FromString input (on the heap: moves keep cur_ valid)
  std::size_t memory_pos_ = 0;
  std::unique_ptr<char[]> buffer_;  // file blocks
  const char* begin_ = nullptr;     // current block
  const char* cur_ = nullptr;
  const char* end_ = nullptr;
  std::uint64_t block_offset_ = 0;  // input offset of begin_
  std::uint64_t next_offset_ = 0;   // input offset of the next block
  std::uint64_t size_ = 0;
  bool eof_ = false;
  bool io_error_ = false;
  bool io_error_reported_ = false;

  State state_ = State::kRecordStart;
  bool skip_lf_ = false;  // the last byte was a CR ending a line: an LF right after belongs to it
  std::size_t line_ = 1;
  std::size_t empty_lines_ = 0;
  std::size_t field_count_ = 0;
  std::size_t record_bytes_ = 0;
  bool discard_ = false;    // record too long or too many fields: scan to its end, keep nothing
  bool quoted_cr_ = false;  // inside quotes, the last byte was a CR (an LF after it is no new line)
  std::array<bool, 256> unquoted_special_{};
  std::array<bool, 256> quoted_special_{};
  const char* error_ = nullptr;  // record error found while scanning
  std::string scratch_;          // Windows-1252 conversion
};

}  // namespace satupintu::registry_io
