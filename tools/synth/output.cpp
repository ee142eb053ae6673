#include "output.hpp"

#include <cerrno>
#include <cstring>
#include <utility>

namespace satupintu::synth {

core::Result<Output> Output::OpenFile(const std::string& path) {
  Output out;
  out.path_ = path;
  if (path == "-") {
    out.file_ = stdout;
  } else {
    out.file_ = std::fopen(path.c_str(), "wb");
    if (out.file_ == nullptr) {
      return core::MakeError(core::ErrorCode::kUnavailable, "cannot create the output file",
                             path + ": " + std::strerror(errno));
    }
    out.owns_file_ = true;
  }
  out.buffer_.reserve(kFlushAt + 4096);
  return out;
}

Output Output::ToString(std::string* target) {
  Output out;
  out.target_ = target;
  return out;
}

Output::Output(Output&& other) noexcept
    : buffer_(std::move(other.buffer_)),
      target_(std::exchange(other.target_, nullptr)),
      file_(std::exchange(other.file_, nullptr)),
      owns_file_(std::exchange(other.owns_file_, false)),
      failed_(other.failed_),
      path_(std::move(other.path_)) {}

Output::~Output() {
  if (owns_file_ && file_ != nullptr) std::fclose(file_);
}

void Output::Flush() {
  if (target_ != nullptr) {
    target_->append(buffer_);
  } else if (file_ != nullptr && !failed_ && !buffer_.empty()) {
    failed_ = std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size();
  }
  buffer_.clear();
}

core::Status Output::Finish() {
  Flush();
  if (file_ != nullptr) {
    if (std::fflush(file_) != 0) failed_ = true;
    if (owns_file_) {
      if (std::fclose(file_) != 0) failed_ = true;
      owns_file_ = false;
    }
    file_ = nullptr;
  }
  if (failed_) {
    return core::MakeError(core::ErrorCode::kUnavailable, "writing the output failed", path_);
  }
  return {};
}

}  // namespace satupintu::synth
