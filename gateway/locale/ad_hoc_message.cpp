#include "locale/ad_hoc_message.hpp"

#include "locale/compiled_message.hpp"

namespace satupintu::locale {

core::Result<AdHocMessage> AdHocMessage::Compile(std::string_view pattern,
                                                 std::string_view language) {
  const std::string code(language.empty() ? std::string_view("id") : language);
  const icu::Locale icu_locale(code.c_str(), "ID");
  auto compiled = internal::Compile(std::string(pattern), icu_locale);
  if (auto* error = std::get_if<std::string>(&compiled)) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "not a valid message: " + *error);
  }
  return AdHocMessage(std::make_unique<internal::CompiledMessage>(
      std::move(std::get<internal::CompiledMessage>(compiled))));
}

AdHocMessage::AdHocMessage(std::unique_ptr<internal::CompiledMessage> message)
    : message_(std::move(message)) {}
AdHocMessage::~AdHocMessage() = default;
AdHocMessage::AdHocMessage(AdHocMessage&&) noexcept = default;
AdHocMessage& AdHocMessage::operator=(AdHocMessage&&) noexcept = default;

const std::map<std::string, ArgKind, std::less<>>& AdHocMessage::arguments() const {
  return message_->arguments;
}

core::Result<std::string> AdHocMessage::Render(const Args& args) const {
  return internal::Format(*message_, "text", args);
}

}  // namespace satupintu::locale
