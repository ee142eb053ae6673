#include "locale/compiled_message.hpp"

#include <unicode/fmtable.h>
#include <unicode/messagepattern.h>
#include <unicode/parseerr.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <vector>

namespace satupintu::locale::internal {
namespace {

std::string Utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

std::string Utf8(const char16_t* s) { return Utf8(icu::UnicodeString(s)); }

std::string DescribeParseError(UErrorCode status, const UParseError& where) {
  std::string out = u_errorName(status);
  if (where.offset >= 0) out += " at offset " + std::to_string(where.offset);
  const std::string before = Utf8(where.preContext);
  const std::string after = Utf8(where.postContext);
  if (!before.empty() || !after.empty()) out += " near \"" + before + "|" + after + "\"";
  return out;
}

ArgKind KindOfSimpleType(const std::string& type) {
  if (type == "date" || type == "time") return ArgKind::kDate;
  return ArgKind::kNumber;  // number, spellout, ordinal, duration
}

// Records every argument name and the kind it is used as; numbered arguments ({0}) are
// refused: a translator cannot tell what "{0}" is.
std::string CollectArguments(const icu::MessagePattern& pattern,
                             std::map<std::string, ArgKind, std::less<>>* arguments) {
  const int32_t count = pattern.countParts();
  for (int32_t i = 0; i < count; ++i) {
    const auto& part = pattern.getPart(i);
    if (part.getType() != UMSGPAT_PART_TYPE_ARG_START) continue;
    const auto& name_part = pattern.getPart(i + 1);
    if (name_part.getType() == UMSGPAT_PART_TYPE_ARG_NUMBER) {
      return "numbered argument {" + Utf8(pattern.getSubstring(name_part)) +
             "}: use a name (e.g. {nama})";
    }
    const std::string name = Utf8(pattern.getSubstring(name_part));
    ArgKind kind = ArgKind::kAny;
    switch (part.getArgType()) {
      case UMSGPAT_ARG_TYPE_NONE:
      case UMSGPAT_ARG_TYPE_SELECT:
        kind = ArgKind::kAny;
        break;
      case UMSGPAT_ARG_TYPE_SIMPLE:
        kind = KindOfSimpleType(Utf8(pattern.getSubstring(pattern.getPart(i + 2))));
        break;
      default:  // plural, selectordinal, choice
        kind = ArgKind::kNumber;
        break;
    }
    auto [it, inserted] = arguments->emplace(name, kind);
    if (inserted || kind == ArgKind::kAny || it->second == kind) continue;
    if (it->second == ArgKind::kAny) {
      it->second = kind;
    } else {
      return "argument {" + name + "} is used both as a number and as a date";
    }
  }
  return {};
}

}  // namespace

const char* ArgKindName(ArgKind kind) {
  switch (kind) {
    case ArgKind::kNumber:
      return "a number";
    case ArgKind::kDate:
      return "a date";
    case ArgKind::kAny:
      break;
  }
  return "any value";
}

std::variant<CompiledMessage, std::string> Compile(const std::string& pattern,
                                                   const icu::Locale& locale) {
  CompiledMessage out;
  out.pattern = pattern;
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(pattern);
  UParseError where{};
  UErrorCode status = U_ZERO_ERROR;
  // MessagePattern first: its errors point at the offending spot, and it tells us the
  // arguments; then MessageFormat, which also resolves the number/date styles for the locale.
  icu::MessagePattern parsed(text, &where, status);
  if (U_FAILURE(status)) return DescribeParseError(status, where);
  if (auto problem = CollectArguments(parsed, &out.arguments); !problem.empty()) return problem;
  where = UParseError{};
  out.format = std::make_unique<icu::MessageFormat>(text, locale, where, status);
  if (U_FAILURE(status)) return DescribeParseError(status, where);
  if (out.arguments.empty()) {
    icu::UnicodeString formatted;
    out.format->format(nullptr, nullptr, 0, formatted, status);
    if (U_FAILURE(status)) return std::string(u_errorName(status));
    out.plain = Utf8(formatted);
  } else {
    out.plain = pattern;
  }
  return out;
}

core::Result<std::string> Format(const CompiledMessage& message, std::string_view key,
                                 const Args& args) {
  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  names.reserve(message.arguments.size());
  values.reserve(message.arguments.size());
  for (const auto& [name, kind] : message.arguments) {
    auto arg = args.find(name);
    const std::string where = "message " + std::string(key) + ": argument {" + name + "}";
    if (arg == args.end()) {
      return core::MakeError(core::ErrorCode::kInvalidArgument, where + " is missing");
    }
    icu::Formattable value;
    if (const auto* s = std::get_if<std::string>(&arg->second)) {
      if (kind != ArgKind::kAny) {
        return core::MakeError(core::ErrorCode::kInvalidArgument,
                               where + " must be " + ArgKindName(kind));
      }
      value.setString(icu::UnicodeString::fromUTF8(*s));
    } else if (const auto* i = std::get_if<std::int64_t>(&arg->second)) {
      if (kind == ArgKind::kDate) {
        return core::MakeError(core::ErrorCode::kInvalidArgument, where + " must be a date");
      }
      value.setInt64(*i);
    } else if (const auto* d = std::get_if<double>(&arg->second)) {
      if (kind == ArgKind::kDate) {
        return core::MakeError(core::ErrorCode::kInvalidArgument, where + " must be a date");
      }
      value.setDouble(*d);
    } else {
      const auto& day = std::get<Date>(arg->second);
      if (kind == ArgKind::kNumber || !day.ok()) {
        return core::MakeError(core::ErrorCode::kInvalidArgument,
                               where + (day.ok() ? " must be a number" : " is not a valid date"));
      }
      // Noon UTC: the same calendar day in every zone from UTC-11 to UTC+11, so WIB, WITA,
      // WIT and a server on UTC all print the day that was meant. MessageFormat offers no
      // way to give its nested date formats a zone of their own.
      const auto days = std::chrono::sys_days(day).time_since_epoch().count();
      value.setDate(static_cast<UDate>(days) * U_MILLIS_PER_DAY + 12.0 * U_MILLIS_PER_HOUR);
    }
    names.push_back(icu::UnicodeString::fromUTF8(name));
    values.push_back(std::move(value));
  }
  icu::UnicodeString out;
  UErrorCode status = U_ZERO_ERROR;
  message.format->format(names.data(), values.data(), static_cast<int32_t>(names.size()), out,
                         status);
  if (U_FAILURE(status)) {
    return core::MakeError(core::ErrorCode::kInternal,
                           "message " + std::string(key) + ": " + u_errorName(status));
  }
  return Utf8(out);
}

}  // namespace satupintu::locale::internal
