#include "tickets/calendar.hpp"

#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

namespace satupintu::tickets {
namespace {

using core::ErrorCode;
using core::MakeError;
using nlohmann::json;
namespace chr = std::chrono;

std::optional<chr::sys_days> ParseIso(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  auto num = [&](std::string_view part, auto& out) {
    const auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return ec == std::errc() && p == part.data() + part.size();
  };
  if (!num(s.substr(0, 4), y) || !num(s.substr(5, 2), m) || !num(s.substr(8, 2), d)) {
    return std::nullopt;
  }
  const chr::year_month_day ymd{chr::year{y}, chr::month{m}, chr::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return chr::sys_days{ymd};
}

}  // namespace

core::Result<WorkCalendar> WorkCalendar::FromDates(const std::vector<std::string>& iso_dates,
                                                   int utc_offset_minutes) {
  WorkCalendar c;
  c.offset_ = chr::minutes{utc_offset_minutes};
  for (std::size_t i = 0; i < iso_dates.size(); ++i) {
    const auto day = ParseIso(iso_dates[i]);
    if (!day.has_value()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "holidays[" + std::to_string(i) + "].date: not a real date (YYYY-MM-DD)");
    }
    c.holidays_.insert(day.value());
  }
  return c;
}

core::Result<WorkCalendar> WorkCalendar::Load(const std::string& path, int utc_offset_minutes) {
  std::ifstream in(path);
  if (!in)
    return MakeError(ErrorCode::kInvalidArgument, "holiday file " + path + " cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  const json doc = json::parse(text.str(), nullptr, false);
  if (!doc.is_object() || !doc.contains("holidays") || !doc["holidays"].is_array()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     path + ": expected an object with a \"holidays\" array");
  }
  std::vector<std::string> dates;
  const auto& list = doc["holidays"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& h = list[i];
    const std::string at = path + ": holidays[" + std::to_string(i) + "]";
    if (!h.is_object() || !h.contains("date") || !h["date"].is_string()) {
      return MakeError(ErrorCode::kInvalidArgument, at + ".date: missing");
    }
    // Not value(): it throws when "kind" is there but no string.
    const auto kind_it = h.find("kind");
    const std::string kind = kind_it == h.end()     ? "public"
                             : kind_it->is_string() ? kind_it->get<std::string>()
                                                    : "";
    if (kind != "public" && kind != "collective_leave") {
      return MakeError(ErrorCode::kInvalidArgument,
                       at + ".kind: \"public\" or \"collective_leave\"");
    }
    const std::string date = h["date"].get<std::string>();
    if (!ParseIso(date).has_value()) {
      return MakeError(ErrorCode::kInvalidArgument, at + ".date: not a real date (YYYY-MM-DD)");
    }
    dates.push_back(date);
  }
  return FromDates(dates, utc_offset_minutes);
}

chr::sys_days WorkCalendar::LocalDay(std::int64_t at_ms) const {
  const chr::sys_time<chr::milliseconds> t{chr::milliseconds{at_ms}};
  return chr::floor<chr::days>(t + offset_);
}

bool WorkCalendar::IsWorkingDay(chr::sys_days day) const {
  const chr::weekday wd{day};
  if (wd == chr::Saturday || wd == chr::Sunday) return false;
  return !holidays_.contains(day);
}

std::int64_t WorkCalendar::DeadlineMs(std::int64_t from_ms, int working_days) const {
  chr::sys_days day = LocalDay(from_ms);
  for (int counted = 0; counted < working_days;) {
    day += chr::days{1};
    if (IsWorkingDay(day)) ++counted;
  }
  // Local midnight at the end of that day, as an instant.
  const auto end_local = chr::sys_time<chr::milliseconds>{day + chr::days{1}} - offset_;
  return end_local.time_since_epoch().count();
}

int WorkCalendar::WorkingDaysBetween(std::int64_t from_ms, std::int64_t to_ms) const {
  const chr::sys_days last = LocalDay(to_ms);
  int n = 0;
  for (chr::sys_days day = LocalDay(from_ms) + chr::days{1}; day <= last; day += chr::days{1}) {
    if (IsWorkingDay(day)) ++n;
    if (n > 100'000) break;  // a decades-long span is a caller's bug, not a loop forever
  }
  return n;
}

}  // namespace satupintu::tickets
