#pragma once
// Recoverable failures travel as values. An Error carries a message that is safe to show to
// the caller (no personal data, no secrets) and a detail meant only for the log.

#include <string>
#include <utility>
#include <variant>

namespace satupintu::core {

enum class ErrorCode {
  kInvalidArgument,   // the caller sent something we cannot accept (HTTP 400)
  kUnauthenticated,   // missing or wrong credentials (HTTP 401)
  kPermissionDenied,  // credentials fine, action not allowed (HTTP 403)
  kNotFound,          // (HTTP 404)
  kConflict,          // not allowed in the resource's present state (HTTP 409)
  kUnavailable,       // try again later: store cannot commit, peer down (HTTP 503)
  kInternal,          // a bug or an unexpected state (HTTP 500)
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // safe for clients and logs
  std::string detail;   // for the log only; may name files, SQL errors
};

inline Error MakeError(ErrorCode code, std::string message, std::string detail = {}) {
  return Error{code, std::move(message), std::move(detail)};
}

const char* ErrorCodeName(ErrorCode code);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void> spelled as a status.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error)
      : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace satupintu::core
