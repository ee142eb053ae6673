// Fuzz target for registry_io::CsvReader. Each input is read three ways:
//  1. separator detected, whole input in one block;
//  2. the same with blocks of 1-7 bytes: records, lines, errors and flags must be identical
//     (the state machine must not depend on where a block ends);
//  3. separator ';' with tiny limits (64 bytes, 8 fields): the limits must hold.
// For every record: a record without error has valid UTF-8 fields (no NUL), line numbers
// grow, are at least 1 and stay within the input's line count.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "registry_io/csv_reader.hpp"
#include "registry_io/encoding.hpp"

namespace {

using satupintu::registry_io::CsvOptions;
using satupintu::registry_io::CsvReader;
using satupintu::registry_io::CsvRecord;
using satupintu::registry_io::IsValidUtf8;

struct Seen {
  std::size_t line;
  std::vector<std::string> fields;
  std::string error;
  bool converted;
  bool operator==(const Seen&) const = default;
};

std::size_t PhysicalLines(const std::string& input) {
  std::size_t lines = 1;
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (input[i] == '\n' || (input[i] == '\r' && (i + 1 == input.size() || input[i + 1] != '\n'))) {
      ++lines;
    }
  }
  return lines;
}

std::vector<Seen> ReadAll(const std::string& input, const CsvOptions& options) {
  std::vector<Seen> seen;
  auto reader = CsvReader::FromString(input, options);
  if (!reader.ok()) {
    // Only a UTF-16 byte-order mark refuses an input.
    FUZZ_CHECK(input.rfind("\xFF\xFE", 0) == 0 || input.rfind("\xFE\xFF", 0) == 0);
    return seen;
  }
  const std::size_t max_line = PhysicalLines(input);
  CsvRecord record;
  std::size_t last_line = 0;
  while (reader->Next(record)) {
    FUZZ_CHECK(record.line >= 1);
    FUZZ_CHECK(record.line > last_line);
    FUZZ_CHECK(record.line <= max_line);
    last_line = record.line;
    FUZZ_CHECK(record.fields.size() <= options.max_fields);
    std::size_t bytes = 0;
    for (const std::string& field : record.fields) bytes += field.size();
    if (!record.converted_from_cp1252) FUZZ_CHECK(bytes <= options.max_record_bytes);
    if (record.error.empty()) {
      FUZZ_CHECK(!record.fields.empty());
      for (const std::string& field : record.fields) FUZZ_CHECK(IsValidUtf8(field));
    } else {
      FUZZ_CHECK(!record.converted_from_cp1252);
    }
    seen.push_back({record.line, record.fields, record.error, record.converted_from_cp1252});
    FUZZ_CHECK(seen.size() <= input.size());
  }
  FUZZ_CHECK(reader->bytes_read() == input.size());
  FUZZ_CHECK(!reader->io_error());
  return seen;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);

  CsvOptions whole;
  whole.separator = '\0';
  const std::vector<Seen> reference = ReadAll(input, whole);

  CsvOptions sliced = whole;
  sliced.block_size = 1 + size % 7;
  FUZZ_CHECK(ReadAll(input, sliced) == reference);

  CsvOptions tight;
  tight.separator = ';';
  tight.max_record_bytes = 64;
  tight.max_fields = 8;
  tight.block_size = 16;
  ReadAll(input, tight);
  return 0;
}
