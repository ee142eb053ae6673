#pragma once
// Buffered output to a file, stdout or a string: rows are appended to a 1 MiB buffer that is
// written with one fwrite when full (no stream formatting per field).

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace satupintu::synth {

class Output {
 public:
  // "-" is stdout.
  static core::Result<Output> OpenFile(const std::string& path);
  // Everything appended ends up in *target (which must outlive the Output).
  static Output ToString(std::string* target);

  Output(Output&& other) noexcept;
  Output& operator=(Output&&) = delete;
  ~Output();

  void Append(std::string_view data) {
    buffer_.append(data);
    if (buffer_.size() >= kFlushAt) Flush();
  }
  void Append(char c) { buffer_.push_back(c); }
  // Writes what is buffered and closes the file; fails when any write failed.
  core::Status Finish();

 private:
  static constexpr std::size_t kFlushAt = std::size_t{1} << 20;
  Output() = default;
  void Flush();

  std::string buffer_;
  std::string* target_ = nullptr;
  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  bool failed_ = false;
  std::string path_;
};

}  // namespace satupintu::synth
