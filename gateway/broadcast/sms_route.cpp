#include "broadcast/sms_route.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace satupintu::broadcast {
namespace {

// The prefix after 62 (three digits, from the operators' allocations) and its operator.
constexpr auto kPrefixes = std::to_array<std::pair<std::string_view, Operator>>({
    {"811", Operator::kTelkomsel}, {"812", Operator::kTelkomsel}, {"813", Operator::kTelkomsel},
    {"821", Operator::kTelkomsel}, {"822", Operator::kTelkomsel}, {"823", Operator::kTelkomsel},
    {"851", Operator::kTelkomsel}, {"852", Operator::kTelkomsel}, {"853", Operator::kTelkomsel},
    {"814", Operator::kIndosat},   {"815", Operator::kIndosat},   {"816", Operator::kIndosat},
    {"855", Operator::kIndosat},   {"856", Operator::kIndosat},   {"857", Operator::kIndosat},
    {"858", Operator::kIndosat},   {"817", Operator::kXl},        {"818", Operator::kXl},
    {"819", Operator::kXl},        {"859", Operator::kXl},        {"877", Operator::kXl},
    {"878", Operator::kXl},        {"831", Operator::kAxis},      {"832", Operator::kAxis},
    {"833", Operator::kAxis},      {"838", Operator::kAxis},      {"895", Operator::kTri},
    {"896", Operator::kTri},       {"897", Operator::kTri},       {"898", Operator::kTri},
    {"899", Operator::kTri},       {"881", Operator::kSmartfren}, {"882", Operator::kSmartfren},
    {"883", Operator::kSmartfren}, {"884", Operator::kSmartfren}, {"885", Operator::kSmartfren},
    {"886", Operator::kSmartfren}, {"887", Operator::kSmartfren}, {"888", Operator::kSmartfren},
    {"889", Operator::kSmartfren},
});

constexpr auto kNames = std::to_array<std::pair<Operator, std::string_view>>({
    {Operator::kTelkomsel, "telkomsel"},
    {Operator::kIndosat, "indosat"},
    {Operator::kXl, "xl"},
    {Operator::kAxis, "axis"},
    {Operator::kTri, "tri"},
    {Operator::kSmartfren, "smartfren"},
});

}  // namespace

std::optional<Operator> OperatorOf(std::string_view digits) {
  // 62 + 8xx + 6 to 9 more digits: 11 to 14 digits in all.
  if (digits.size() < 11 || digits.size() > 14 || !digits.starts_with("628")) return std::nullopt;
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const std::string_view prefix = digits.substr(2, 3);
  for (const auto& [p, op] : kPrefixes) {
    if (p == prefix) return op;
  }
  return std::nullopt;
}

const char* OperatorName(Operator op) {
  for (const auto& [o, name] : kNames) {
    if (o == op) return name.data();
  }
  return "unknown";
}

std::optional<Operator> ParseOperator(std::string_view name) {
  for (const auto& [op, n] : kNames) {
    if (n == name) return op;
  }
  return std::nullopt;
}

const SmsRoute* ChooseRoute(std::string_view digits, const std::vector<SmsRoute>& routes) {
  if (const auto op = OperatorOf(digits)) {
    for (const SmsRoute& r : routes) {
      if (std::find(r.operators.begin(), r.operators.end(), *op) != r.operators.end()) return &r;
    }
  }
  for (const SmsRoute& r : routes) {
    if (r.operators.empty()) return &r;
  }
  return nullptr;
}

}  // namespace satupintu::broadcast
