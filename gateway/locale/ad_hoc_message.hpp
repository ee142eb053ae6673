#pragma once
// An ICU MessageFormat pattern that is not in locales/: a text an officer typed (a broadcast,
// issue 20), parsed once, its arguments listed, then rendered for each recipient. Parsed and
// checked exactly as the catalog's patterns are (named arguments only, one kind each).
// Render is not thread-safe on one object: ICU formats hold state; give each thread its own.
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "locale/message_args.hpp"

namespace satupintu::locale {

namespace internal {
struct CompiledMessage;
}

class AdHocMessage {
 public:
  // kInvalidArgument with ICU's error, its offset and the text around it when `pattern` does
  // not parse (an unclosed brace, a numbered argument, ...). `language`: "id", "en", ...
  static core::Result<AdHocMessage> Compile(std::string_view pattern, std::string_view language);
  ~AdHocMessage();
  AdHocMessage(AdHocMessage&&) noexcept;
  AdHocMessage& operator=(AdHocMessage&&) noexcept;

  // Argument name -> how the pattern uses it.
  const std::map<std::string, ArgKind, std::less<>>& arguments() const;
  // The text with `args`; the errors are Catalog::Render's (missing or mistyped argument).
  core::Result<std::string> Render(const Args& args) const;

 private:
  explicit AdHocMessage(std::unique_ptr<internal::CompiledMessage> message);
  std::unique_ptr<internal::CompiledMessage> message_;
};

}  // namespace satupintu::locale
