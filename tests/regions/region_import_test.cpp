#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>

#include "core/metrics.hpp"
#include "region_data.hpp"
#include "regions/import.hpp"
#include "schema/schema.hpp"
#include "storage/migrations.hpp"
#include "storage/store.hpp"

namespace satupintu::regions {
namespace {

using testing::DataDir;
using testing::HaveData;
using testing::TempDir;

class RegionImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(HaveData());
    ASSERT_FALSE(dir_.path().empty());
    auto db = storage::Db::Open(dir_.path() + "/store.db", /*read_only=*/false);
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
    auto version = storage::ApplyMigrations(*db_, schema::Migrations());
    ASSERT_TRUE(version.ok()) << version.error().message;
  }

  std::int64_t Count(const std::string& where = "1") {
    auto n = db_->QueryInt("SELECT COUNT(*) FROM region WHERE " + where);
    EXPECT_TRUE(n.ok());
    return n.ok() ? n.value() : -1;
  }

  // A copy of the real files in a directory of our own, optionally with extra lines.
  std::string CopyData(const std::string& name) {
    std::string copy = dir_.path() + "/" + name;
    std::filesystem::create_directories(copy);
    for (const char* f : {"provinces.csv", "regencies.csv", "districts.csv", "villages.csv"}) {
      std::filesystem::copy_file(DataDir() + "/" + f, copy + "/" + f);
    }
    return copy;
  }

  static void Append(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::app) << text;
  }

  TempDir dir_;
  std::unique_ptr<storage::Db> db_;
};

TEST_F(RegionImportTest, ImportsTheOfficialCountsWithParentLinks) {
  const ImportSummary summary = ImportRegions(*db_, DataDir(), {.now_ms = 1000});
  ASSERT_TRUE(summary.status.ok()) << summary.status.error().message;
  EXPECT_EQ(summary.imported, (std::array<std::size_t, 4>{38, 514, 7285, 83762}));
  EXPECT_EQ(summary.skipped_count, 0u);
  EXPECT_EQ(summary.package, "idn-area-data");
  EXPECT_EQ(summary.version, "4.0.1");

  EXPECT_EQ(Count("level = 1"), 38);
  EXPECT_EQ(Count("level = 2"), 514);
  EXPECT_EQ(Count("level = 3"), 7285);
  EXPECT_EQ(Count("level = 4"), 83762);
  EXPECT_EQ(Count("level = 1 AND parent IS NULL"), 38);
  // Every other region's parent exists one level up.
  EXPECT_EQ(Count("level > 1 AND NOT EXISTS (SELECT 1 FROM region p WHERE p.code = "
                  "region.parent AND p.level = region.level - 1)"),
            0);
  auto name = db_->QueryText("SELECT name FROM region WHERE code = '35.29.22'");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(name.value(), "Ra\"as");  // quoted in the file
  auto source = db_->QueryText(
      "SELECT package || ' ' || version || ' ' || imported_at_ms || ' ' || provinces || ' ' || "
      "regencies || ' ' || districts || ' ' || villages FROM region_source");
  ASSERT_TRUE(source.ok());
  EXPECT_EQ(source.value(), "idn-area-data 4.0.1 1000 38 514 7285 83762");
}

TEST_F(RegionImportTest, ReimportIsIdempotent) {
  ASSERT_TRUE(ImportRegions(*db_, DataDir(), {.now_ms = 1000}).status.ok());
  auto digest = [this] {
    auto d = db_->QueryText(
        "SELECT COUNT(*) || ':' || SUM(length(code) + length(COALESCE(parent, '')) + level + "
        "length(name)) || ':' || MAX(code) || MIN(name) FROM region");
    EXPECT_TRUE(d.ok());
    return d.ok() ? d.value() : std::string();
  };
  const std::string first = digest();
  const ImportSummary again = ImportRegions(*db_, DataDir(), {.now_ms = 2000});
  ASSERT_TRUE(again.status.ok()) << again.status.error().message;
  EXPECT_EQ(digest(), first);
  EXPECT_EQ(Count(), 38 + 514 + 7285 + 83762);
  EXPECT_EQ(db_->QueryInt("SELECT imported_at_ms FROM region_source").value(), 2000);
}

TEST_F(RegionImportTest, UnknownParentIsReportedAndLeavesTheTreeAlone) {
  ASSERT_TRUE(ImportRegions(*db_, DataDir(), {.now_ms = 1000}).status.ok());
  const std::string broken = CopyData("broken");
  Append(broken + "/villages.csv", "99.01.01.2001,99.01.01,Desa Tanpa Induk\n");
  Append(broken + "/districts.csv", "32.99.01,32.99,Kecamatan Yatim\n");

  const ImportSummary summary = ImportRegions(*db_, broken, {.now_ms = 3000});
  EXPECT_FALSE(summary.status.ok());
  EXPECT_NE(summary.status.error().message.find("2 lines rejected"), std::string::npos)
      << summary.status.error().message;
  ASSERT_EQ(summary.skipped.size(), 2u);
  EXPECT_EQ(summary.skipped[0].file, "districts.csv");
  EXPECT_EQ(summary.skipped[0].line, 7287u);
  EXPECT_EQ(summary.skipped[0].reason, "unknown parent");
  EXPECT_EQ(summary.skipped[1].file, "villages.csv");
  EXPECT_EQ(summary.skipped[1].reason, "unknown parent");
  // The previous import is still there, untouched.
  EXPECT_EQ(Count(), 38 + 514 + 7285 + 83762);
  EXPECT_EQ(db_->QueryInt("SELECT imported_at_ms FROM region_source").value(), 1000);

  // With the lines allowed, the rest is imported and the rejects still listed.
  const ImportSummary lenient = ImportRegions(*db_, broken, {.max_skipped = 2, .now_ms = 4000});
  EXPECT_TRUE(lenient.status.ok());
  EXPECT_EQ(lenient.skipped_count, 2u);
  EXPECT_EQ(Count(), 38 + 514 + 7285 + 83762);
}

TEST_F(RegionImportTest, MissingColumnFailsBeforeWriting) {
  ASSERT_TRUE(ImportRegions(*db_, DataDir(), {.now_ms = 1000}).status.ok());
  const std::string broken = CopyData("nocolumn");
  std::ofstream(broken + "/regencies.csv", std::ios::trunc) << "code,name\n11.01,Kabupaten X\n";
  const ImportSummary summary = ImportRegions(*db_, broken);
  ASSERT_FALSE(summary.status.ok());
  EXPECT_EQ(summary.status.error().message, "regencies.csv: missing column province_code");
  EXPECT_EQ(Count(), 38 + 514 + 7285 + 83762);
}

TEST_F(RegionImportTest, BadRowsAreNamed) {
  const std::string dir = dir_.path() + "/small";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/provinces.csv") << "name,code\nAceh,11\nJawa Barat,32\n,33\nX,3\n";
  std::ofstream(dir + "/regencies.csv")
      << "code,province_code,name\n11.01,11,Kabupaten Aceh Selatan\n32.01,11,Kabupaten Bogor\n"
         "11.01,11,Kabupaten Aceh Selatan\n11.02\n";
  std::ofstream(dir + "/districts.csv") << "code,regency_code,name\n11.01.01,11.01,Bakongan\n";
  std::ofstream(dir + "/villages.csv")
      << "code,district_code,name,extra\n11.01.01.2001,11.01.01,\"Keude \"\"Bakongan\"\"\",x\n"
         "11.01.01.2002,11.01.01,\"unterminated\n";
  const ImportSummary summary = ImportRegions(*db_, dir, {.max_skipped = 10});
  ASSERT_TRUE(summary.status.ok()) << summary.status.error().message;
  EXPECT_EQ(summary.imported, (std::array<std::size_t, 4>{2, 1, 1, 1}));
  std::vector<std::string> reasons;
  for (const auto& s : summary.skipped) {
    reasons.push_back(s.file + ":" + std::to_string(s.line) + " " + s.reason);
  }
  EXPECT_EQ(reasons, (std::vector<std::string>{
                         "provinces.csv:4 empty name",
                         "provinces.csv:5 bad code for a province",
                         "regencies.csv:3 parent does not match the code",
                         "regencies.csv:4 duplicate code",
                         "regencies.csv:5 missing fields",
                         "villages.csv:3 unterminated quote",
                     }));
  EXPECT_EQ(db_->QueryText("SELECT name FROM region WHERE code = '11.01.01.2001'").value(),
            "Keude \"Bakongan\"");
  EXPECT_EQ(summary.package, "unknown");  // no package.json above this directory
}

TEST_F(RegionImportTest, MissingDataDirectoryNamesTheInstallCommand) {
  const ImportSummary summary = ImportRegions(*db_, dir_.path() + "/nowhere");
  ASSERT_FALSE(summary.status.ok());
  EXPECT_EQ(summary.status.error().code, core::ErrorCode::kNotFound);
  EXPECT_NE(summary.status.error().message.find(kRegionsInstallCommand), std::string::npos);
  EXPECT_EQ(Count(), 0);
}

// The way the gateway runs it: files read outside the store, the write as one store job, the
// index loaded on the reader connection.
TEST_F(RegionImportTest, ThroughTheStore) {
  db_.reset();
  core::MetricsRegistry metrics;
  auto store = storage::Store::Open(
      {.path = dir_.path() + "/store.db", .migrations = schema::Migrations()}, &metrics);
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto files = std::make_shared<RegionFiles>(ReadRegionFiles(DataDir()));
  ASSERT_TRUE(files->summary.status.ok());
  auto summary = std::make_shared<ImportSummary>();
  std::promise<core::Status> written;
  store.value()->Write(
      [files, summary](storage::Db& db) {
        *summary = ReplaceRegions(db, std::move(*files));
        return summary->status;
      },
      [&written](core::Status s) { written.set_value(std::move(s)); });
  auto done = written.get_future();
  ASSERT_EQ(done.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  ASSERT_TRUE(done.get().ok());

  std::promise<std::shared_ptr<const RegionIndex>> loaded;
  store.value()->Read([&loaded](storage::Db* db, const core::Error*) {
    auto index = db != nullptr ? RegionIndex::Load(*db)
                               : core::Result<std::shared_ptr<const RegionIndex>>(
                                     core::MakeError(core::ErrorCode::kUnavailable, "closed"));
    loaded.set_value(index.ok() ? index.value() : nullptr);
  });
  auto index_future = loaded.get_future();
  ASSERT_EQ(index_future.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  const auto index = index_future.get();
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->count(Level::kProvince), 38u);
  EXPECT_EQ(index->count(Level::kRegency), 514u);
  EXPECT_EQ(index->count(Level::kDistrict), 7285u);
  EXPECT_EQ(index->count(Level::kVillage), 83762u);
  ASSERT_NE(index->Find("3202111001"), nullptr);
  EXPECT_EQ(index->Find("3202111001")->name, "Cibadak");
  store.value()->Close();
}

}  // namespace
}  // namespace satupintu::regions
