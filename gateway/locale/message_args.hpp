#pragma once
// The values a message is rendered with: a small map of argument name -> value.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace satupintu::locale {

// A calendar day (birth date, ticket date), not an instant: rendered as the same day in any
// server time zone (see catalog.cpp).
using Date = std::chrono::year_month_day;

using Arg = std::variant<std::string, std::int64_t, double, Date>;
using Args = std::map<std::string, Arg, std::less<>>;

// How a pattern uses an argument: plain `{x}` and `{x, select, ...}` take any value (a
// number is formatted as `{x, number}` would); plural, selectordinal, number and spellout
// need a number; date and time need a Date.
enum class ArgKind { kAny, kNumber, kDate };

// Sample values per argument name, for the SMS-length check: realistic worst cases (long
// names, long village names, six-digit numbers) and the plural cases (1 and many).
using SampleArgs = std::map<std::string, std::vector<Arg>, std::less<>>;

}  // namespace satupintu::locale
