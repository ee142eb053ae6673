#include "registry_io/csv_reader.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "registry_io/encoding.hpp"

namespace satupintu::registry_io {
namespace {

namespace fs = std::filesystem;

struct Row {
  std::size_t line;
  std::vector<std::string> fields;
  std::string error;
  bool converted;
};

std::vector<Row> ReadAll(CsvReader& reader) {
  std::vector<Row> rows;
  CsvRecord record;
  while (reader.Next(record)) {
    rows.push_back({record.line, record.fields, record.error, record.converted_from_cp1252});
  }
  return rows;
}

std::vector<Row> ReadString(std::string data, CsvOptions options = {}) {
  auto reader = CsvReader::FromString(std::move(data), std::move(options));
  EXPECT_TRUE(reader.ok()) << (reader.ok() ? "" : reader.error().message);
  if (!reader.ok()) return {};
  return ReadAll(*reader);
}

using Fields = std::vector<std::string>;

// A private directory under the system temp dir, removed at the end of the test.
class TempFiles {
 public:
  TempFiles() {
    std::string pattern = (fs::temp_directory_path() / "csv_reader_test.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    dir_ = pattern;
  }
  ~TempFiles() {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, ec);
    fs::remove_all(dir_, ec);
  }
  TempFiles(const TempFiles&) = delete;
  TempFiles& operator=(const TempFiles&) = delete;

  std::string Write(const std::string& name, const std::string& bytes) const {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }
  fs::path dir() const { return dir_; }

 private:
  fs::path dir_;
};

TEST(CsvReaderTest, CanonicalFileWithHeader) {
  const auto rows = ReadString(
      "nik,kk,name,sex\n"
      "3201014203850003,3201011203120007,Siti Aminah,P\n"
      "3201011502800001,3201011203120007,Ahmad Subarjo,L\n");
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0].fields, (Fields{"nik", "kk", "name", "sex"}));
  EXPECT_EQ(rows[1].fields, (Fields{"3201014203850003", "3201011203120007", "Siti Aminah", "P"}));
  EXPECT_EQ(rows[2].line, 3U);
  for (const Row& row : rows) {
    EXPECT_EQ(row.error, "");
    EXPECT_FALSE(row.converted);
  }
}

TEST(CsvReaderTest, Utf8BomIsStrippedAndCrlfHandled) {
  const auto rows = ReadString("\xEF\xBB\xBFnik;name\r\n3201;\"Nyoman \xC3\x89ka\"\r\n");
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0].fields, (Fields{"nik;name"}));  // default separator is ','
  EXPECT_EQ(rows[1].line, 2U);

  CsvOptions options;
  options.separator = ';';
  const auto semi = ReadString("\xEF\xBB\xBFnik;name\r\n3201;\"Nyoman \xC3\x89ka\"\r\n", options);
  ASSERT_EQ(semi.size(), 2U);
  EXPECT_EQ(semi[0].fields, (Fields{"nik", "name"}));
  EXPECT_EQ(semi[1].fields, (Fields{"3201", "Nyoman \xC3\x89ka"}));
  EXPECT_FALSE(semi[1].converted);
}

TEST(CsvReaderTest, LoneCrEndsALine) {
  const auto rows = ReadString("a,b\rc,d\r\re,f\r");
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b"}));
  EXPECT_EQ(rows[1].fields, (Fields{"c", "d"}));
  EXPECT_EQ(rows[2].fields, (Fields{"e", "f"}));
  EXPECT_EQ(rows[2].line, 4U);
}

TEST(CsvReaderTest, EmptyLinesAreSkippedCountedAndKeepLineNumbers) {
  auto reader = CsvReader::FromString("h1,h2\n\n\r\na,b\n\n\nc,d\n\n");
  ASSERT_TRUE(reader.ok());
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[1].line, 4U);
  EXPECT_EQ(rows[2].line, 7U);
  EXPECT_EQ(reader->empty_lines(), 5U);
}

TEST(CsvReaderTest, LastLineWithoutNewlineIsRead) {
  const auto rows = ReadString("a,b\nc,\"d e\"");
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[1].fields, (Fields{"c", "d e"}));
  EXPECT_EQ(rows[1].error, "");

  const auto trailing = ReadString("a,b,");
  ASSERT_EQ(trailing.size(), 1U);
  EXPECT_EQ(trailing[0].fields, (Fields{"a", "b", ""}));
}

TEST(CsvReaderTest, QuotedFieldsWithSeparatorQuotesAndNewlines) {
  const auto rows = ReadString(
      "name,address,note\n"
      "\"Soka\"\"an\",\"Kp. Cibeureum RT 01/02, Desa Sukamaju\",\"line one\r\nline two\nthree\"\n"
      "Ahmad,,\"\"\n");
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[1].fields, (Fields{"Soka\"an", "Kp. Cibeureum RT 01/02, Desa Sukamaju",
                                    "line one\r\nline two\nthree"}));
  EXPECT_EQ(rows[1].line, 2U);
  EXPECT_EQ(rows[2].line, 5U);  // the quoted field spans lines 2-4
  EXPECT_EQ(rows[2].fields, (Fields{"Ahmad", "", ""}));
}

TEST(CsvReaderTest, QuoteInsideAnUnquotedFieldIsData) {
  const auto rows = ReadString("pipa 5\" besi,Soka\"an,x\"\"y\n");
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].fields, (Fields{"pipa 5\" besi", "Soka\"an", "x\"\"y"}));
  EXPECT_EQ(rows[0].error, "");
}

TEST(CsvReaderTest, BytesAfterAClosingQuoteAreAppendedAsUnquotedData) {
  const auto rows = ReadString("\"ab\"cd,\"ef\" ,\"g\"h\"i\",\"\"x\n");
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].fields, (Fields{"abcd", "ef ", "gh\"i\"", "x"}));
  EXPECT_EQ(rows[0].error, "");
}

TEST(CsvReaderTest, FileEndingInsideAQuotedFieldIsAnErrorRecord) {
  const auto rows = ReadString("a,b\nc,\"never closed\nmore text");
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0].error, "");
  EXPECT_EQ(rows[1].line, 2U);
  EXPECT_EQ(rows[1].error, "unterminated quote");
}

TEST(CsvReaderTest, WrongColumnCountsAreTheCallersBusiness) {
  const auto rows = ReadString("a,b,c\n1,2\n1,2,3,4\n");
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[1].fields.size(), 2U);
  EXPECT_EQ(rows[2].fields.size(), 4U);
  EXPECT_EQ(rows[1].error, "");
  EXPECT_EQ(rows[2].error, "");
}

TEST(CsvReaderTest, Windows1252RecordsAreConvertedOneByOne) {
  // A file saved by an old Excel: most rows ASCII, one name with e-acute (0xE9) and a
  // right single quote (0x92); a later row in real UTF-8 stays as it is.
  const auto rows = ReadString(
      "name,kk\n"
      "Ni Luh Putu Ayu Sriyan\xE9,3201\n"
      "Ma\x92ruf,3202\n"
      "Ren\xC3\xA9,3203\n");
  ASSERT_EQ(rows.size(), 4U);
  EXPECT_EQ(rows[1].fields[0], "Ni Luh Putu Ayu Sriyan\xC3\xA9");
  EXPECT_TRUE(rows[1].converted);
  EXPECT_EQ(rows[2].fields[0], "Ma\xE2\x80\x99ruf");
  EXPECT_TRUE(rows[2].converted);
  EXPECT_EQ(rows[3].fields[0], "Ren\xC3\xA9");
  EXPECT_FALSE(rows[3].converted);
  EXPECT_FALSE(rows[0].converted);
}

TEST(CsvReaderTest, InvalidUtf8InOneFieldConvertsTheWholeRecord) {
  // 0xC3 0x28 is not UTF-8; the other field's valid UTF-8 is read as 1252 too (per record).
  const auto rows = ReadString("\xC3\x28,\xC3\xA9\n");
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_TRUE(rows[0].converted);
  EXPECT_EQ(rows[0].fields, (Fields{"\xC3\x83(", "\xC3\x83\xC2\xA9"}));
}

TEST(CsvReaderTest, BytesUndefinedInWindows1252AndNulAreBadEncoding) {
  for (const char* bad : {"\x81", "\x8D", "\x8F", "\x90", "\x9D"}) {
    const auto rows = ReadString(std::string("ok,1\nx") + bad + "y,2\nok,3\n");
    ASSERT_EQ(rows.size(), 3U);
    EXPECT_EQ(rows[1].error, "bad encoding");
    EXPECT_EQ(rows[1].line, 2U);
    EXPECT_EQ(rows[2].error, "");
  }
  const auto nul = ReadString(std::string("a,b\nx\0y,2\n", 10));
  ASSERT_EQ(nul.size(), 2U);
  EXPECT_EQ(nul[1].error, "bad encoding");
}

TEST(CsvReaderTest, RecordTooLongAndTooManyFieldsAreErrorsNotMemory) {
  CsvOptions options;
  options.max_record_bytes = 100;
  options.max_fields = 5;
  const auto rows =
      ReadString("a,b\n\"" + std::string(1000, 'x') + "\n\",y\n1,2,3,4,5,6,7\nc,d\n", options);
  ASSERT_EQ(rows.size(), 4U);
  EXPECT_EQ(rows[1].error, "record too long");
  EXPECT_EQ(rows[1].line, 2U);
  EXPECT_TRUE(rows[1].fields.empty());
  EXPECT_EQ(rows[2].error, "too many fields");
  EXPECT_EQ(rows[2].line, 4U);
  EXPECT_EQ(rows[3].fields, (Fields{"c", "d"}));
  EXPECT_EQ(rows[3].line, 5U);
}

TEST(CsvReaderTest, DetectSeparatorCountsOutsideQuotes) {
  EXPECT_EQ(DetectSeparator("nik,kk,name,sex"), ',');
  EXPECT_EQ(DetectSeparator("nik;kk;name;sex"), ';');
  EXPECT_EQ(DetectSeparator("IDDTKS|provinsi|kabupaten_kota|kecamatan"), '|');
  EXPECT_EQ(DetectSeparator("nik\tkk\tname"), '\t');
  EXPECT_EQ(DetectSeparator("\"a,b,c,d\";x;y"), ';');
  EXPECT_EQ(DetectSeparator("single"), ',');
  EXPECT_EQ(DetectSeparator("a;b,c"), ',');  // tie: the earlier candidate
  EXPECT_EQ(DetectSeparator("a;b,c", ";,"), ';');
}

TEST(CsvReaderTest, SeparatorDetectedFromTheFirstLine) {
  CsvOptions options;
  options.separator = '\0';
  auto reader =
      CsvReader::FromString("\xEF\xBB\xBFnik;name;address\n3201;Siti;\"Jl. A, 3\"\n", options);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->separator(), ';');
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[1].fields, (Fields{"3201", "Siti", "Jl. A, 3"}));
}

TEST(CsvReaderTest, EveryBlockSizeGivesTheSameRecords) {
  const std::string input =
      "\xEF\xBB\xBFh1,h2,h3\r\n\r\n\"a\"\"b\",\"c\r\nd\",e\rf,\"g\"h,Sriyan\xE9\n\n"
      "x\"y,\"\",\"unterminated\r\n";
  const auto whole = ReadString(input);
  ASSERT_EQ(whole.size(), 4U);
  EXPECT_EQ(whole[3].error, "unterminated quote");
  for (std::size_t block = 1; block <= input.size(); ++block) {
    CsvOptions options;
    options.block_size = block;
    const auto sliced = ReadString(input, options);
    ASSERT_EQ(sliced.size(), whole.size()) << "block " << block;
    for (std::size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(sliced[i].line, whole[i].line) << "block " << block;
      EXPECT_EQ(sliced[i].fields, whole[i].fields) << "block " << block;
      EXPECT_EQ(sliced[i].error, whole[i].error) << "block " << block;
      EXPECT_EQ(sliced[i].converted, whole[i].converted) << "block " << block;
    }
  }
}

TEST(CsvReaderTest, FileReadInBlocksMatchesTheStringAndReportsProgress) {
  std::string content = "\xEF\xBB\xBFnik,name,address\r\n";
  for (int i = 0; i < 500; ++i) {
    content += "32010142038500" + std::to_string(10 + i % 90) + ",\"Warga " + std::to_string(i) +
               "\",\"RT 0" + std::to_string(i % 9) + ",\nDusun\"\r\n";
  }
  TempFiles files;
  const std::string path = files.Write("registry.csv", content);
  CsvOptions options;
  options.block_size = 100;
  auto reader = CsvReader::Open(path, options);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_EQ(reader->file_size(), content.size());
  CsvRecord record;
  std::size_t count = 0;
  std::uint64_t last_progress = 0;
  const auto expected = ReadString(content);
  while (reader->Next(record)) {
    ASSERT_LT(count, expected.size());
    EXPECT_EQ(record.fields, expected[count].fields);
    EXPECT_EQ(record.line, expected[count].line);
    EXPECT_GE(reader->bytes_read(), last_progress);
    last_progress = reader->bytes_read();
    ++count;
  }
  EXPECT_EQ(count, 501U);
  EXPECT_EQ(reader->bytes_read(), content.size());
  EXPECT_FALSE(reader->io_error());
}

TEST(CsvReaderTest, OpenErrorsAreClearAndNameNoPath) {
  TempFiles files;
  auto missing = CsvReader::Open((files.dir() / "nope.csv").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message.find("nope"), std::string::npos);

  auto directory = CsvReader::Open(files.dir().string());
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().code, core::ErrorCode::kInvalidArgument);

  // Excel's "Unicode text": UTF-16 LE with its byte-order mark.
  const std::string utf16("\xFF\xFEn\0i\0k\0\r\0\n\0", 12);
  auto wide = CsvReader::Open(files.Write("unicode.txt", utf16));
  ASSERT_FALSE(wide.ok());
  EXPECT_NE(wide.error().message.find("CSV UTF-8"), std::string::npos);
  EXPECT_FALSE(CsvReader::FromString(std::string("\xFE\xFF\0n", 4)).ok());

  if (::geteuid() != 0) {  // root reads anything
    const std::string locked = files.Write("locked.csv", "a,b\n");
    ::chmod(locked.c_str(), 0);
    auto unreadable = CsvReader::Open(locked);
    ASSERT_FALSE(unreadable.ok());
    EXPECT_EQ(unreadable.error().code, core::ErrorCode::kPermissionDenied);
  }

  auto empty = CsvReader::Open(files.Write("empty.csv", ""));
  ASSERT_TRUE(empty.ok());
  CsvRecord record;
  EXPECT_FALSE(empty->Next(record));
}

TEST(CsvReaderTest, SteadyStateReusesFieldStrings) {
  const std::string long_value(64, 'x');  // beyond the small-string buffer
  std::string input;
  for (int i = 0; i < 10; ++i) {
    input.append(long_value).append(",").append(long_value).append("\n");
  }
  auto reader = CsvReader::FromString(input);
  ASSERT_TRUE(reader.ok());
  CsvRecord record;
  ASSERT_TRUE(reader->Next(record));
  const char* first = record.fields[0].data();
  const char* second = record.fields[1].data();
  while (reader->Next(record)) {
    EXPECT_EQ(record.fields[0].data(), first);
    EXPECT_EQ(record.fields[1].data(), second);
  }
}

// Not a benchmark: a floor far below the target (1.5 M rows/s on a free core) that still
// catches an accidental per-byte allocation. The measured rate is printed.
TEST(CsvReaderTest, ReadsManyRowsQuickly) {
  const std::string row =
      "3201014203850003,3201011203120007,Siti Aminah binti Ahmad,P,1985-03-02,32.01.01.2001,"
      "\"Kp. Cibeureum RT 01/02\",istri,2,PKH:2025-01..2025-12,aktif,2025-10-01\n";
  std::string input;
  constexpr std::size_t kRows = 200000;
  input.reserve(row.size() * kRows);
  for (std::size_t i = 0; i < kRows; ++i) input += row;
  auto reader = CsvReader::FromString(std::move(input));
  ASSERT_TRUE(reader.ok());
  CsvRecord record;
  std::size_t count = 0;
  const auto start = std::chrono::steady_clock::now();
  while (reader->Next(record)) ++count;
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(count, kRows);
  const double rate = static_cast<double>(kRows) / elapsed.count();
  std::printf("csv reader: %.0f rows/s (%zu-byte rows)\n", rate, row.size());
  EXPECT_GT(rate, 200000.0);
}

TEST(EncodingTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Siti Aminah, Jl. Merdeka No. 17"));
  EXPECT_TRUE(IsValidUtf8("Ren\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("Ren\xE9"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));                    // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));                // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));                // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));            // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));                    // truncated
  EXPECT_FALSE(IsValidUtf8(std::string("abcdefgh\0", 9)));  // NUL is not text
  EXPECT_FALSE(IsValidUtf8(std::string("abcdefghijklmnop\x80", 17)));
}

TEST(EncodingTest, Windows1252Table) {
  std::string out;
  ASSERT_TRUE(AppendCp1252AsUtf8("\x80\x8A\x93\x94\x9F\xA0\xE9\xFF", out));
  EXPECT_EQ(out, "\xE2\x82\xAC\xC5\xA0\xE2\x80\x9C\xE2\x80\x9D\xC5\xB8\xC2\xA0\xC3\xA9\xC3\xBF");
  for (int b = 0; b < 256; ++b) {
    const auto byte = static_cast<unsigned char>(b);
    const bool undefined = b == 0 || b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D;
    EXPECT_EQ(IsUndefinedInCp1252(byte), undefined) << b;
    std::string one;
    EXPECT_EQ(AppendCp1252AsUtf8(std::string(1, static_cast<char>(byte)), one), !undefined) << b;
    if (!undefined) {
      EXPECT_TRUE(IsValidUtf8(one)) << b;
    }
  }
}

}  // namespace
}  // namespace satupintu::registry_io
