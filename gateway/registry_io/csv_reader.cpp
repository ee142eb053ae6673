#include "registry_io/csv_reader.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "registry_io/encoding.hpp"

namespace satupintu::registry_io {
namespace {

using core::ErrorCode;
using core::MakeError;

constexpr const char* kUnterminatedQuote = "unterminated quote";
constexpr const char* kBadEncoding = "bad encoding";
constexpr const char* kRecordTooLong = "record too long";
constexpr const char* kTooManyFields = "too many fields";
constexpr const char* kReadError = "read error";

constexpr std::size_t kMinFileBlock = 64;

bool IsLineEnd(char c) { return c == '\n' || c == '\r'; }

// UTF-16 is refused as a whole: Excel's "Unicode text" export. FF FE also starts UTF-32 LE.
bool HasUtf16Bom(std::string_view head) {
  return head.size() >= 2 &&
         ((head[0] == '\xFF' && head[1] == '\xFE') || (head[0] == '\xFE' && head[1] == '\xFF'));
}

bool HasUtf8Bom(std::string_view head) { return head.substr(0, 3) == "\xEF\xBB\xBF"; }

core::Error Utf16Error(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument,
                   "the file is UTF-16 (Excel \"Unicode text\"); save it as \"CSV UTF-8\" and "
                   "import that file",
                   std::move(detail));
}

std::string_view FirstLine(std::string_view text) {
  return text.substr(0, text.find_first_of("\r\n"));
}

}  // namespace

char DetectSeparator(std::string_view header_line, std::string_view candidates) {
  if (candidates.empty()) return ',';
  std::size_t counts[256] = {};
  bool quoted = false;
  for (char c : header_line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted) {
      ++counts[static_cast<unsigned char>(c)];
    }
  }
  char best = candidates.front();
  for (char c : candidates) {
    if (counts[static_cast<unsigned char>(c)] > counts[static_cast<unsigned char>(best)]) best = c;
  }
  return best;
}

CsvReader::CsvReader(CsvReader&&) noexcept = default;
CsvReader& CsvReader::operator=(CsvReader&&) noexcept = default;
CsvReader::~CsvReader() = default;

core::Result<CsvReader> CsvReader::Open(const std::string& path, CsvOptions options) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      return MakeError(ErrorCode::kNotFound, "file not found", path);
    }
    return MakeError(ErrorCode::kPermissionDenied, "file not readable",
                     path + ": " + std::strerror(err));
  }
  if (!S_ISREG(st.st_mode)) {
    return MakeError(ErrorCode::kInvalidArgument, "not a regular file", path);
  }
  CsvReader reader;
  reader.file_.reset(std::fopen(path.c_str(), "rb"));
  if (!reader.file_) {
    const int err = errno;
    return MakeError(ErrorCode::kPermissionDenied, "file not readable",
                     path + ": " + std::strerror(err));
  }
  options.block_size = std::max(options.block_size, kMinFileBlock);
  reader.options_ = std::move(options);
  reader.size_ = static_cast<std::uint64_t>(st.st_size);
  reader.buffer_ = std::make_unique<char[]>(reader.options_.block_size);
  reader.Refill();
  if (reader.io_error_) {
    return MakeError(ErrorCode::kPermissionDenied, "file not readable", path + ": read failed");
  }
  std::string_view head(reader.cur_, static_cast<std::size_t>(reader.end_ - reader.cur_));
  if (HasUtf16Bom(head)) return Utf16Error(path);
  if (HasUtf8Bom(head)) {
    reader.cur_ += 3;
    head.remove_prefix(3);
  }
  reader.Init(head);
  return reader;
}

core::Result<CsvReader> CsvReader::FromString(std::string data, CsvOptions options) {
  if (HasUtf16Bom(data)) return Utf16Error("in-memory input");
  CsvReader reader;
  options.block_size = std::max<std::size_t>(options.block_size, 1);
  reader.options_ = std::move(options);
  reader.memory_ = std::make_unique<std::string>(std::move(data));
  reader.size_ = reader.memory_->size();
  std::string_view head(*reader.memory_);
  if (HasUtf8Bom(head)) {
    reader.memory_pos_ = 3;
    reader.block_offset_ = 3;
    head.remove_prefix(3);
  }
  reader.Init(head);
  return reader;
}

void CsvReader::Init(std::string_view head) {
  sep_ = options_.separator != '\0'
             ? options_.separator
             : DetectSeparator(FirstLine(head), options_.separator_candidates);
  unquoted_special_.fill(false);
  unquoted_special_[static_cast<unsigned char>(sep_)] = true;
  unquoted_special_['\n'] = true;
  unquoted_special_['\r'] = true;
  quoted_special_.fill(false);
  quoted_special_['"'] = true;
  quoted_special_['\n'] = true;
  quoted_special_['\r'] = true;
}

bool CsvReader::Refill() {
  if (memory_) {
    if (memory_pos_ >= memory_->size()) return false;
    const std::size_t n = std::min(options_.block_size, memory_->size() - memory_pos_);
    begin_ = cur_ = memory_->data() + memory_pos_;
    end_ = begin_ + n;
    block_offset_ = memory_pos_;
    memory_pos_ += n;
    return true;
  }
  if (!file_ || eof_) return false;
  const std::size_t n = std::fread(buffer_.get(), 1, options_.block_size, file_.get());
  if (n == 0) {
    if (std::ferror(file_.get()) != 0) io_error_ = true;
    eof_ = true;
    return false;
  }
  begin_ = cur_ = buffer_.get();
  end_ = begin_ + n;
  block_offset_ = next_offset_;
  next_offset_ += n;
  return true;
}

void CsvReader::BeginField(CsvRecord& out) {
  if (discard_) return;
  if (field_count_ == options_.max_fields) {
    error_ = kTooManyFields;
    discard_ = true;
    return;
  }
  if (field_count_ < out.fields.size()) {
    out.fields[field_count_].clear();
  } else {
    out.fields.emplace_back();
  }
  ++field_count_;
}

void CsvReader::Append(CsvRecord& out, const char* from, const char* to) {
  if (discard_ || from == to) return;
  const auto n = static_cast<std::size_t>(to - from);
  record_bytes_ += n;
  if (record_bytes_ > options_.max_record_bytes) {
    error_ = kRecordTooLong;
    discard_ = true;
    return;
  }
  out.fields[field_count_ - 1].append(from, n);
}

void CsvReader::AppendByte(CsvRecord& out, char c) { Append(out, &c, &c + 1); }

void CsvReader::FinishRecord(CsvRecord& out) {
  state_ = State::kRecordStart;
  if (discard_) {
    out.fields.clear();
  } else {
    out.fields.resize(field_count_);
    if (error_ == nullptr) FixEncoding(out);
  }
  if (error_ != nullptr) out.error.assign(error_);
}

void CsvReader::FixEncoding(CsvRecord& out) {
  const bool all_utf8 = std::all_of(out.fields.begin(), out.fields.end(),
                                    [](const std::string& f) { return IsValidUtf8(f); });
  if (all_utf8) return;
  for (const std::string& field : out.fields) {
    for (char c : field) {
      if (IsUndefinedInCp1252(static_cast<unsigned char>(c))) {
        error_ = kBadEncoding;
        return;
      }
    }
  }
  for (std::string& field : out.fields) {
    scratch_.clear();
    AppendCp1252AsUtf8(field, scratch_);
    field.swap(scratch_);
  }
  out.converted_from_cp1252 = true;
}

bool CsvReader::Next(CsvRecord& out) {
  out.error.clear();
  out.converted_from_cp1252 = false;
  error_ = nullptr;
  discard_ = false;
  field_count_ = 0;
  record_bytes_ = 0;
  state_ = State::kRecordStart;

  for (;;) {
    if (cur_ == end_ && !Refill()) {
      if (state_ == State::kRecordStart) {
        if (!io_error_ || io_error_reported_) return false;
        io_error_reported_ = true;
        out.line = line_;
        out.fields.clear();
        out.error.assign(kReadError);
        return true;
      }
      if (state_ == State::kQuoted) error_ = kUnterminatedQuote;
      if (io_error_) {
        io_error_reported_ = true;
        error_ = kReadError;
      }
      FinishRecord(out);
      return true;
    }

    switch (state_) {
      case State::kRecordStart: {
        const char c = *cur_;
        if (c == '\n') {
          ++cur_;
          if (skip_lf_) {
            skip_lf_ = false;
          } else {
            ++empty_lines_;
            ++line_;
          }
          continue;
        }
        skip_lf_ = false;
        if (c == '\r') {
          ++cur_;
          ++empty_lines_;
          ++line_;
          skip_lf_ = true;
          continue;
        }
        out.line = line_;
        BeginField(out);
        state_ = State::kFieldStart;
        continue;
      }

      case State::kFieldStart: {
        const char c = *cur_;
        if (c == '"') {
          ++cur_;
          quoted_cr_ = false;
          state_ = State::kQuoted;
        } else if (c == sep_) {
          ++cur_;
          BeginField(out);
        } else if (IsLineEnd(c)) {
          break;  // the record ends below
        } else {
          state_ = State::kUnquoted;
        }
        continue;
      }

      case State::kUnquoted: {
        const char* p = cur_;
        while (p != end_ && !unquoted_special_[static_cast<unsigned char>(*p)]) ++p;
        Append(out, cur_, p);
        cur_ = p;
        if (p == end_) continue;
        if (*p == sep_) {
          ++cur_;
          BeginField(out);
          state_ = State::kFieldStart;
          continue;
        }
        break;  // line end
      }

      case State::kQuoted: {
        const char* p = cur_;
        while (p != end_ && !quoted_special_[static_cast<unsigned char>(*p)]) ++p;
        if (p != cur_) {
          Append(out, cur_, p);
          quoted_cr_ = false;
        }
        cur_ = p;
        if (p == end_) continue;
        const char c = *cur_++;
        if (c == '"') {
          state_ = State::kQuoteInQuoted;
        } else {
          // A line break inside quotes is data; CRLF counts as one physical line.
          AppendByte(out, c);
          if (c == '\r' || !quoted_cr_) ++line_;
          quoted_cr_ = c == '\r';
        }
        continue;
      }

      case State::kQuoteInQuoted: {
        const char c = *cur_;
        if (c == '"') {
          ++cur_;
          AppendByte(out, '"');
          quoted_cr_ = false;
          state_ = State::kQuoted;
        } else if (c == sep_) {
          ++cur_;
          BeginField(out);
          state_ = State::kFieldStart;
        } else if (IsLineEnd(c)) {
          break;
        } else {
          state_ = State::kUnquoted;  // bytes after the closing quote: unquoted data
        }
        continue;
      }
    }

    // Here *cur_ is CR or LF outside quotes: the record ends.
    const char c = *cur_++;
    ++line_;
    skip_lf_ = c == '\r';
    FinishRecord(out);
    return true;
  }
}

}  // namespace satupintu::registry_io
