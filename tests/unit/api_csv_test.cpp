// The CSV export's record rules: RFC 4180 quoting, no spreadsheet formulas, local timestamps.

#include "api/csv.hpp"

#include <gtest/gtest.h>

namespace satupintu::api {
namespace {

TEST(ApiCsv, FieldsAreQuotedOnlyWhenNeededAndQuotesDoubled) {
  EXPECT_EQ(CsvRow({"ADU-7K3M9Q", "pkh", ""}), "ADU-7K3M9Q,pkh,\r\n");
  EXPECT_EQ(CsvRow({"a,b", "say \"hi\"", "two\nlines"}),
            "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
}

TEST(ApiCsv, ACellCannotBecomeAFormula) {
  EXPECT_EQ(CsvRow({"=HYPERLINK(\"x\")"}), "\"'=HYPERLINK(\"\"x\"\")\"\r\n");
  EXPECT_EQ(CsvRow({"+62812", "-1", "@SUM(A1)"}), "'+62812,'-1,'@SUM(A1)\r\n");
  EXPECT_EQ(CsvRow({"1+1"}), "1+1\r\n") << "only a leading sign matters";
}

TEST(ApiCsv, TimestampsAreInTheOfficesZone) {
  // 2026-11-22 02:30:00 UTC.
  EXPECT_EQ(IsoTimestamp(1'795'314'600'000, 7 * 60), "2026-11-22T09:30:00+07:00");
  EXPECT_EQ(IsoTimestamp(1'795'314'600'000, 9 * 60), "2026-11-22T11:30:00+09:00");
  EXPECT_EQ(IsoTimestamp(1'795'314'600'000, 0), "2026-11-22T02:30:00+00:00");
  EXPECT_EQ(IsoTimestamp(1'795'300'000'000, 7 * 60), "2026-11-22T05:26:40+07:00");
  EXPECT_EQ(IsoTimestamp(1'795'290'000'000, 7 * 60), "2026-11-22T02:40:00+07:00");
  EXPECT_EQ(IsoTimestamp(1'795'280'000'000, 7 * 60), "2026-11-21T23:53:20+07:00")
      << "the day before in WIB";
}

}  // namespace
}  // namespace satupintu::api
