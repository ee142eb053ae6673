#pragma once
// CSV for the API's exports (RFC 4180: comma, CRLF, quotes doubled) and the timestamps in it.

#include <cstdint>
#include <string>
#include <vector>

namespace satupintu::api {

// One record with its CRLF. Fields with a comma, quote or line break are quoted; a field that
// a spreadsheet would run as a formula (starting with = + - @, a tab or CR) gets a leading
// apostrophe, so an exported description cannot become a formula on an officer's computer.
std::string CsvRow(const std::vector<std::string>& fields);

// "2026-11-22T09:30:00+07:00": `ms` since the epoch in the zone `utc_offset_minutes` east.
std::string IsoTimestamp(std::int64_t ms, int utc_offset_minutes);

}  // namespace satupintu::api
