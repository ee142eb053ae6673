#include "api/csv.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace satupintu::api {

std::string CsvRow(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    std::string f = fields[i];
    if (!f.empty() && (f[0] == '=' || f[0] == '+' || f[0] == '-' || f[0] == '@' || f[0] == '\t' ||
                       f[0] == '\r')) {
      f.insert(0, 1, '\'');
    }
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      out += f;
      continue;
    }
    out += '"';
    for (char ch : f) {
      if (ch == '"') out += '"';
      out += ch;
    }
    out += '"';
  }
  out += "\r\n";
  return out;
}

std::string IsoTimestamp(std::int64_t ms, int utc_offset_minutes) {
  namespace chr = std::chrono;
  const chr::sys_seconds local{chr::seconds(ms / 1000 + std::int64_t{utc_offset_minutes} * 60)};
  const auto day = chr::floor<chr::days>(local);
  const chr::year_month_day ymd{day};
  const chr::hh_mm_ss hms{local - day};
  const int off = std::abs(utc_offset_minutes);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%c%02d:%02d",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                utc_offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

}  // namespace satupintu::api
