#pragma once
// Which SMS route (modem, SIM or aggregator channel) a broadcast part goes by, and what it
// costs (issue 20). An SMS to a number on the SIM's own operator is cheaper (on-net), so a
// regency with one SIM per operator routes each number to the SIM of its operator, and the
// rest to a shared route. Indonesian mobile numbers tell their operator by the prefix after 62.
// Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace satupintu::broadcast {

enum class Operator { kTelkomsel, kIndosat, kXl, kAxis, kTri, kSmartfren };

// The operator of an E.164 number in digits ("6281234567890"), by its first three digits
// after 62 (the prefixes operators were allocated; a number ported to another operator keeps
// its prefix, so this is the likely operator, not a certain one). nullopt: not an Indonesian
// mobile number or an unknown prefix.
std::optional<Operator> OperatorOf(std::string_view e164_digits);
const char* OperatorName(Operator op);  // "telkomsel", "indosat", ...
std::optional<Operator> ParseOperator(std::string_view name);

struct SmsRoute {
  std::string channel;              // "kannel:modem-tsel", "gammu:sim2"
  std::vector<Operator> operators;  // numbers of these operators; empty: any number
  std::int64_t price_per_part = 0;  // rupiah
};

// The route for `e164_digits`: the first route listing its operator, else the first route
// listing none (shared); nullptr when no route takes it.
const SmsRoute* ChooseRoute(std::string_view e164_digits, const std::vector<SmsRoute>& routes);

}  // namespace satupintu::broadcast
