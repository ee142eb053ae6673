#pragma once
// Internal to satupintu_locale: one pattern parsed by ICU for one locale, with what the
// catalog needs to know about it. Only catalog.cpp includes this (it brings ICU headers).

#include <unicode/locid.h>
#include <unicode/msgfmt.h>

#include <map>
#include <memory>
#include <string>
#include <variant>

#include "core/result.hpp"
#include "locale/message_args.hpp"

namespace satupintu::locale::internal {

struct CompiledMessage {
  std::string pattern;
  // The formatted text when the pattern has no arguments (quotes resolved), else the pattern.
  std::string plain;
  std::map<std::string, ArgKind, std::less<>> arguments;
  std::unique_ptr<icu::MessageFormat> format;
};

// Parses `pattern` for `locale`. On failure the error's message is ICU's error name with the
// offset and the text around it, ready to follow "file: key: ".
std::variant<CompiledMessage, std::string> Compile(const std::string& pattern,
                                                   const icu::Locale& locale);

// Formats `message` with `args`. The caller serialises calls on one message (see catalog.cpp).
core::Result<std::string> Format(const CompiledMessage& message, std::string_view key,
                                 const Args& args);

const char* ArgKindName(ArgKind kind);

}  // namespace satupintu::locale::internal
