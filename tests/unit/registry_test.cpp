// The registry: keyed hashes, snapshot import (canonical and DTKS pipe), the atomic switch,
// lookups, the citizen check's rules and the audit log, on real SQLite files.
#include <gtest/gtest.h>
#include <openssl/hmac.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "regions/region_index.hpp"
#include "registry/citizen_check.hpp"
#include "registry/identity_hash.hpp"
#include "registry/importer.hpp"
#include "registry/registry.hpp"
#include "registry/snapshot_catalog.hpp"
#include "schema/schema.hpp"
#include "storage/store.hpp"
#include "support/process.hpp"

namespace satupintu::registry {
namespace {

using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

constexpr char kKey[] = "test-registry-key-0123456789abcdef";
constexpr char kToday[] = "2025-11-01";

// People of the tests (made up). Siti is a woman born 2 March 1985 (day 02 + 40 = 42).
constexpr char kNikSiti[] = "3201014203850003";
constexpr char kNikAhmad[] = "3201011502800001";
constexpr char kNikBudi[] = "3201010107100002";
constexpr char kKk[] = "3201011203120007";

std::shared_ptr<const regions::RegionIndex> MiniTree() {
  using regions::Level;
  using regions::Region;
  return regions::RegionIndex::Build({
      Region{"32", "", Level::kProvince, "Jawa Barat"},
      Region{"32.01", "32", Level::kRegency, "Kabupaten Bogor"},
      Region{"32.01.01", "32.01", Level::kDistrict, "Cibinong"},
      Region{"32.01.01.1001", "32.01.01", Level::kVillage, "Cibinong"},
      Region{"32.01.01.2001", "32.01.01", Level::kVillage, "Sukamaju"},
      Region{"32.01.02", "32.01", Level::kDistrict, "Gunung Putri"},
      Region{"32.01.02.2003", "32.01.02", Level::kVillage, "Wanaherang"},
  });
}

constexpr char kHeader[] =
    "nik,kk,name,sex,birth_date,village_code,address,relationship,desil,programmes,status,"
    "snapshot_date\n";

std::string Row(const std::string& nik, const std::string& name, const std::string& sex,
                const std::string& birth, const std::string& village = "32.01.01.2001",
                const std::string& desil = "2",
                const std::string& programmes = "PKH:2025-01..2025-12 PBI-JK:2025-01..",
                const std::string& status = "aktif", const std::string& date = "2025-10-01") {
  return nik + "," + kKk + "," + name + "," + sex + "," + birth + "," + village +
         ",\"Kp. Cibeureum RT 01/02\",istri," + desil + "," + programmes + "," + status + "," +
         date + "\n";
}

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions o;
    o.migrations = schema::Migrations();
    o.path = dir_.File("main.db");
    core::MetricsRegistry metrics;
    auto store = storage::Store::Open(o, &metrics);
    ASSERT_TRUE(store.ok()) << store.error().message;
    store.value()->Close();
    tree_ = MiniTree();
  }

  ImportOptions Options(const std::string& file) {
    ImportOptions o;
    o.input_path = file;
    o.store_path = dir_.File("main.db");
    o.registry_dir = dir_.File("registry");
    o.key = kKey;
    o.regions = tree_.get();
    o.today = kToday;
    return o;
  }

  core::Result<ImportSummary> Import(const std::string& name, const std::string& content,
                                     ImportOptions* override = nullptr) {
    const std::string path = dir_.File(name);
    WriteFile(path, content);
    ImportOptions o = override ? *override : Options(path);
    o.input_path = path;
    return ImportRegistry(o);
  }

  std::unique_ptr<Registry> OpenRegistry() {
    RegistryOptions o;
    o.store_path = dir_.File("main.db");
    o.dir = dir_.File("registry");
    o.key = kKey;
    o.recheck = std::chrono::milliseconds(0);
    auto r = Registry::Open(o);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return std::move(r).value();
  }

  std::unique_ptr<storage::Db> MainDb() {
    auto db = storage::Db::Open(dir_.File("main.db"), false, false);
    EXPECT_TRUE(db.ok());
    return std::move(db).value();
  }

  std::vector<std::string> RejectLines(const std::string& input_name) {
    std::istringstream in(ReadFile(dir_.File(input_name) + ".rejects.csv"));
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
  }

  TempDir dir_;
  std::shared_ptr<const regions::RegionIndex> tree_;
};

TEST(IdentityHashTest, IsHmacSha256OfKindAndDigitsTruncated) {
  auto h = IdentityHasher::Create(kKey);
  ASSERT_TRUE(h.ok());
  const std::string message = std::string("nik:") + kNikSiti;
  unsigned char full[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), kKey, static_cast<int>(sizeof(kKey) - 1),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), full, &n);
  const IdHash got = h.value().Hash("nik", kNikSiti);
  EXPECT_EQ(std::vector<unsigned char>(got.begin(), got.end()),
            std::vector<unsigned char>(full, full + 16));
  EXPECT_NE(h.value().Hash("kk", kNikSiti), got) << "NIK and KK spaces are apart";
  auto other = IdentityHasher::Create("another-key-0123456789abcdefghij");
  EXPECT_NE(other.value().Hash("nik", kNikSiti), got);
  EXPECT_NE(other.value().Fingerprint(), h.value().Fingerprint());
  EXPECT_EQ(h.value().Fingerprint().size(), 16u);
  EXPECT_FALSE(IdentityHasher::Create("short").ok());
}

TEST(IdentityHashTest, KeyFileIsCreatedOnceWithMode0600) {
  TempDir dir;
  const std::string path = dir.File("sub/hash.key");
  EXPECT_FALSE(LoadOrCreateKey(path, false).ok());
  auto first = LoadOrCreateKey(path, true);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first.value().size(), 64u);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = LoadOrCreateKey(path, true);
  EXPECT_EQ(again.value(), first.value());
}

TEST_F(RegistryTest, CanonicalImportStoresNoIdentityNumberInClearAndLooksUp) {
  const std::string file =
      std::string(kHeader) + Row(kNikSiti, "Siti Aminah", "P", "1985-03-02") +
      Row(kNikAhmad, "Ahmad Subarjo", "L", "15-02-1980", "32.01.01.2001", "", "", "aktif") +
      Row(kNikBudi, "Budi", "L", "01/07/2010", "3201012001", "3", "PIP:2025-07", "nonaktif");
  auto s = Import("a.csv", file);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s.value().records, 3);
  EXPECT_EQ(s.value().stored, 3);
  EXPECT_EQ(s.value().rejected, 0);
  EXPECT_EQ(s.value().snapshot_date, "2025-10-01");

  // Neither the snapshot file nor the main store holds a NIK or KK in clear.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path())) {
    if (!entry.is_regular_file() || entry.path().extension() == ".csv") continue;
    const std::string bytes = ReadFile(entry.path().string());
    for (const char* id : {kNikSiti, kNikAhmad, kNikBudi, kKk}) {
      EXPECT_EQ(bytes.find(id), std::string::npos) << id << " in " << entry.path();
    }
  }

  auto reg = OpenRegistry();
  auto siti = reg->ByNik(kNikSiti);
  ASSERT_TRUE(siti.ok()) << siti.error().message;
  ASSERT_TRUE(siti.value().has_value());
  EXPECT_EQ(siti.value()->name, "Siti Aminah");
  EXPECT_EQ(siti.value()->nik_masked, "3201********0003");
  EXPECT_EQ(siti.value()->sex, 'P');
  EXPECT_EQ(siti.value()->birth_date, "1985-03-02");
  EXPECT_EQ(siti.value()->village_code, "32.01.01.2001");
  EXPECT_EQ(siti.value()->desil, 2);
  EXPECT_TRUE(siti.value()->listed());
  ASSERT_EQ(siti.value()->programmes.size(), 2u);
  EXPECT_EQ(siti.value()->programmes[0].code, "PKH");
  EXPECT_EQ(siti.value()->programmes[0].to, "2025-12");
  EXPECT_EQ(siti.value()->programmes[1].to, "");

  auto budi = reg->ByNik(kNikBudi);
  ASSERT_TRUE(budi.value().has_value());
  EXPECT_FALSE(budi.value()->listed());
  EXPECT_EQ(budi.value()->birth_date, "2010-07-01");

  EXPECT_FALSE(reg->ByNik("3201014203850004").value().has_value());

  auto family = reg->ByKk(kKk);
  ASSERT_TRUE(family.ok());
  EXPECT_EQ(family.value().size(), 3u);

  auto byname = reg->ByVillageAndName(3201012001, "SITI  aminah", 0.85, 5);
  ASSERT_TRUE(byname.ok());
  ASSERT_EQ(byname.value().size(), 1u);
  EXPECT_EQ(byname.value()[0].score, 1.0);
  // Old spelling (dj) is the same name; a typo scores below 1 but above the threshold.
  EXPECT_EQ(reg->ByVillageAndName(3201012001, "Achmad Soebardjo", 0.85, 5).value().at(0).score,
            1.0);
  auto fuzzy = reg->ByVillageAndName(3201012001, "Ahmad Subarno", 0.85, 5);
  ASSERT_EQ(fuzzy.value().size(), 1u);
  EXPECT_EQ(fuzzy.value()[0].person.name, "Ahmad Subarjo");
  EXPECT_LT(fuzzy.value()[0].score, 1.0);
  EXPECT_TRUE(reg->ByVillageAndName(3201011001, "Siti Aminah", 0.85, 5).value().empty());
}

TEST_F(RegistryTest, BadRowsGoToTheRejectFileWithLineAndReasonAndNeverStopTheImport) {
  std::string file = "\xEF\xBB\xBF" + std::string(kHeader);                   // line 1, with BOM
  file += Row(kNikSiti, "Siti Aminah", "P", "1985-03-02");                    // 2 ok
  file += Row("320101420385000", "X", "P", "1985-03-02");                     // 3 NIK length
  file += Row("9901014203850003", "X", "P", "1985-03-02");                    // 4 NIK province
  file += Row("3201013102850003", "X", "L", "1985-02-31");                    // 5 NIK date
  file += Row("3201011502800000", "X", "L", "1980-02-15");                    // 6 NIK serial
  file += Row(kNikAhmad, "Ahmad", "L", "1980-02-30");                         // 7 birth date
  file += Row(kNikAhmad, "Ahmad", "L", "1980-02-15", "32.01.09.2001");        // 8 region
  file += "\r\n";                                                             // 9 empty line
  file += "1,2,3\n";                                                          // 10 column count
  file += Row(kNikAhmad, "Ahmad", "L", "1980-02-15", "32.01.01.2001", "11");  // 11 desil
  file += Row(kNikAhmad, "Ahmad", "L", "1980-02-15", "32.01.01.2001", "2", "PKH:2025-13");  // 12
  file += Row(kNikAhmad, "Ahmad", "L", "1980-02-15", "32.01.01.2001", "2", "", "hilang");   // 13
  file += Row(kNikAhmad, "Ahmad", "X", "1980-02-15");  // 14 sex
  file += Row(kNikAhmad, "Ahmad", "L", "1980-02-15", "32.01.01.2001", "2", "", "aktif",
              "2025-09-01");                                   // 15 snapshot date
  file += Row(kNikAhmad, "Jos\xE9 Rizal", "L", "1980-02-15");  // 16 cp1252, ok
  file += Row(kNikBudi, "Bad \x81 byte", "L", "2010-07-01");   // 17 encoding
  file +=
      kNikBudi + std::string(",") + kKk +
      ",\"Budi, anak\nkedua\",L,2010-07-01,32.01.01.2001,,anak,,,aktif,2025-10-01\r\n";  // 18-19
  file += Row(kNikSiti, "Siti Aminah", "P", "1985-03-02", "32.01.01.2001", "1");  // 20 dup wins
  file += kNikAhmad + std::string(",") + kKk + ",\"Ahmad";                        // 21 truncated
  auto s = Import("bad.csv", file);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s.value().stored, 3) << "Siti (line 20), Jose (16), Budi (18)";
  EXPECT_EQ(s.value().duplicates, 1);
  EXPECT_EQ(s.value().converted_cp1252, 1);
  EXPECT_EQ(s.value().empty_lines, 1);

  const auto lines = RejectLines("bad.csv");
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "line,reason,column");
  auto has = [&](const std::string& prefix) {
    for (const auto& l : lines) {
      if (l.rfind(prefix, 0) == 0) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("3,bad NIK: nik.length,nik"));
  EXPECT_TRUE(has("4,bad NIK: nik.province,nik"));
  EXPECT_TRUE(has("5,bad NIK: nik.date,nik"));
  EXPECT_TRUE(has("6,bad NIK: nik.serial,nik"));
  EXPECT_TRUE(has("7,bad birth date,birth_date"));
  EXPECT_TRUE(has("8,unknown region: village_code,village_code"));
  EXPECT_TRUE(has("10,\"wrong column count: expected 12, got 3\""));
  EXPECT_TRUE(has("11,bad desil,desil"));
  EXPECT_TRUE(has("12,bad programmes,programmes"));
  EXPECT_TRUE(has("13,bad status,status"));
  EXPECT_TRUE(has("14,bad sex,sex"));
  EXPECT_TRUE(has("15,snapshot date differs"));
  EXPECT_TRUE(has("17,bad encoding"));
  EXPECT_TRUE(has("21,unterminated quote"));
  EXPECT_TRUE(has("2,\"duplicate NIK, superseded by line 20\",nik"));
  EXPECT_EQ(s.value().rejected, 14);
  EXPECT_EQ(static_cast<std::int64_t>(lines.size()), 1 + s.value().rejected + s.value().duplicates);
  // The reject file names lines, not people.
  const std::string rejects = ReadFile(dir_.File("bad.csv") + ".rejects.csv");
  for (const char* id : {kNikSiti, kNikAhmad, kNikBudi, kKk, "Ahmad", "Siti"}) {
    EXPECT_EQ(rejects.find(id), std::string::npos) << id;
  }

  auto reg = OpenRegistry();
  EXPECT_EQ(reg->ByNik(kNikSiti).value()->desil, 1) << "the last row of a NIK wins";
  EXPECT_EQ(reg->ByNik(kNikAhmad).value()->name, "Jos\xC3\xA9 Rizal");
  EXPECT_EQ(reg->ByNik(kNikBudi).value()->name, "Budi, anak kedua");
}

TEST_F(RegistryTest, SemicolonSeparatorAndSnapshotDateFromTheCommandLine) {
  std::string file = "NIK;KK;Name;Sex;Birth_Date;Village_Code;Status;Kolom_Lain\n";
  file += std::string(kNikSiti) + ";" + kKk +
          ";Siti Aminah;perempuan;02-03-1985;32.01.01.2001;aktif;x\n";
  ImportOptions o = Options("");
  o.snapshot_date = "01/10/2025";
  auto s = Import("semi.csv", file, &o);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s.value().stored, 1);
  EXPECT_EQ(s.value().snapshot_date, "2025-10-01");
  ASSERT_EQ(s.value().ignored_columns.size(), 1u);
  EXPECT_EQ(s.value().ignored_columns[0], "kolom_lain");
}

TEST_F(RegistryTest, FileLevelProblemsFailTheImportAndKeepTheSnapshotInForce) {
  ASSERT_TRUE(
      Import("a.csv", std::string(kHeader) + Row(kNikSiti, "Siti Aminah", "P", "1985-03-02")).ok());
  auto reg = OpenRegistry();
  const auto first = reg->Current();
  ASSERT_TRUE(first.ok());

  auto missing = Import("m.csv", "nik,name\n" + std::string(kNikAhmad) + ",Ahmad\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("kk"), std::string::npos) << missing.error().message;

  auto none = Import("n.csv", std::string(kHeader) + Row("123", "X", "L", "1980-02-15"));
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("no valid row"), std::string::npos);

  const std::string utf16("\xFF\xFEn\0i\0k\0", 8);
  auto wide = Import("w.csv", utf16);
  ASSERT_FALSE(wide.ok());

  ImportOptions o = Options("");
  o.format = "dtks-pipe";
  auto nodate = Import("p.txt", "IDDTKS|provinsi\n", &o);
  ASSERT_FALSE(nodate.ok());
  EXPECT_NE(nodate.error().message.find("--snapshot-date"), std::string::npos);

  EXPECT_EQ(reg->Current().value().id, first.value().id);
  EXPECT_EQ(reg->ByNik(kNikSiti).value()->name, "Siti Aminah");
  // Failed builds leave no file behind.
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_.File("registry"))) {
    if (e.path().extension() == ".db") ++files;
  }
  EXPECT_EQ(files, 1u);
}

TEST_F(RegistryTest, ANewSnapshotReplacesTheOldOneWholeAndTheOldFileGoes) {
  ASSERT_TRUE(Import("a.csv", std::string(kHeader) +
                                  Row(kNikSiti, "Siti Aminah", "P", "1985-03-02") +
                                  Row(kNikAhmad, "Ahmad Subarjo", "L", "1980-02-15"))
                  .ok());
  auto reg = OpenRegistry();
  ASSERT_TRUE(reg->ByNik(kNikAhmad).value().has_value());
  const std::int64_t old_id = reg->Current().value().id;

  auto second =
      Import("b.csv", std::string(kHeader) + Row(kNikSiti, "Siti Aminah", "P", "1985-03-02",
                                                 "32.01.01.2001", "4", "", "aktif", "2025-11-01"));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second.value().retired_files_removed, 1);
  EXPECT_NE(reg->Current().value().id, old_id);
  EXPECT_EQ(reg->Current().value().snapshot_date, "2025-11-01");
  EXPECT_FALSE(reg->ByNik(kNikAhmad).value().has_value()) << "never a mix of two snapshots";
  EXPECT_EQ(reg->ByNik(kNikSiti).value()->desil, 4);

  auto db = MainDb();
  auto list = ListSnapshots(*db, 10);
  ASSERT_EQ(list.value().size(), 2u);
  EXPECT_EQ(list.value()[0].state, "current");
  EXPECT_EQ(list.value()[1].state, "retired");
}

TEST_F(RegistryTest, AnAbandonedBuildIsIgnoredThenCleanedUp) {
  ASSERT_TRUE(
      Import("a.csv", std::string(kHeader) + Row(kNikSiti, "Siti Aminah", "P", "1985-03-02")).ok());
  // An import killed halfway: its row says building and its file is half written.
  auto db = MainDb();
  auto building = BeginSnapshot(*db, "canonical", "big.csv", "2025-10-01", "x", 1);
  ASSERT_TRUE(building.ok());
  WriteFile(dir_.File("registry/" + building.value().file), "half a file");
  auto reg = OpenRegistry();
  EXPECT_EQ(reg->ByNik(kNikSiti).value()->name, "Siti Aminah");

  ASSERT_TRUE(
      Import("b.csv", std::string(kHeader) + Row(kNikAhmad, "Ahmad", "L", "1980-02-15")).ok());
  EXPECT_FALSE(std::filesystem::exists(dir_.File("registry/" + building.value().file)));
  EXPECT_TRUE(reg->ByNik(kNikAhmad).value().has_value());
}

TEST_F(RegistryTest, ASnapshotBuiltWithAnotherKeyIsRefused) {
  ASSERT_TRUE(
      Import("a.csv", std::string(kHeader) + Row(kNikSiti, "Siti Aminah", "P", "1985-03-02")).ok());
  RegistryOptions o;
  o.store_path = dir_.File("main.db");
  o.dir = dir_.File("registry");
  o.key = "a-different-key-0123456789abcdefgh";
  auto reg = Registry::Open(o);
  ASSERT_TRUE(reg.ok());
  auto r = reg.value()->ByNik(kNikSiti);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("another registry key"), std::string::npos);
}

class CitizenCheckTest : public RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    ASSERT_TRUE(Import("a.csv", std::string(kHeader) +
                                    Row(kNikSiti, "Siti Aminah", "P", "1985-03-02") +
                                    Row(kNikBudi, "Budi Santoso", "L", "2010-07-01",
                                        "32.01.01.2001", "", "", "nonaktif"))
                    .ok());
    reg_ = OpenRegistry();
    db_ = MainDb();
  }
  // 3 an hour and 5 a day per address; the NIK's own limit out of the way unless `limits` says.
  CitizenCheckAnswer Check(std::int64_t citizen, const std::string& nik, const std::string& name,
                           const std::string& phone = "", std::int64_t at = 1'000'000'000'000,
                           CitizenCheckLimits limits = {3, 5, 0.85, 1'000},
                           CheckPurpose purpose = CheckPurpose::kStatus) {
    CitizenCheck check(*reg_, limits, &metrics_);
    auto a = check.Run(*db_, {citizen, phone, nik, name, "sms", purpose}, at, kToday);
    EXPECT_TRUE(a.ok()) << a.error().message;
    return a.ok() ? a.value() : CitizenCheckAnswer{};
  }
  std::uint64_t Tries(const std::string& purpose, const std::string& outcome) {
    return metrics_
        .GetCounter("satupintu_registry_citizen_tries_total", "",
                    {{"purpose", purpose}, {"outcome", outcome}})
        .Value();
  }
  core::MetricsRegistry metrics_;
  std::unique_ptr<Registry> reg_;
  std::unique_ptr<storage::Db> db_;
};

TEST_F(CitizenCheckTest, StatusOnlyWhenNikAndNameMatchAndTheSameAnswerOtherwise) {
  const auto ok = Check(1, "3201-0142-0385-0003", "siti aminah");
  EXPECT_EQ(ok.outcome, CheckOutcome::kMatch);
  EXPECT_TRUE(ok.listed);
  EXPECT_EQ(ok.desil, 2);
  EXPECT_EQ(ok.programmes.size(), 2u);
  EXPECT_EQ(ok.snapshot_date, "2025-10-01");

  const auto not_listed = Check(2, kNikBudi, "Budi Santoso");
  EXPECT_EQ(not_listed.outcome, CheckOutcome::kMatch);
  EXPECT_FALSE(not_listed.listed);

  const auto wrong_name = Check(3, kNikSiti, "Rina Wati");
  const auto absent = Check(4, "3201014203850009", "Siti Aminah");
  for (const auto& a : {wrong_name, absent}) {
    EXPECT_EQ(a.outcome, CheckOutcome::kNoMatch);
    EXPECT_FALSE(a.listed);
    EXPECT_EQ(a.desil, 0);
    EXPECT_TRUE(a.programmes.empty());
    EXPECT_EQ(a.snapshot_date, "2025-10-01");
  }

  const auto bad = Check(5, "32010142038500", "Siti");
  EXPECT_EQ(bad.outcome, CheckOutcome::kInvalidNik);
  EXPECT_EQ(bad.nik_error, "nik.length");
}

TEST_F(CitizenCheckTest, LimitsPerCitizenAndPerPhoneAndEveryCheckIsAudited) {
  const std::int64_t t0 = 1'000'000'000'000;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Check(7, kNikSiti, "Siti Aminah", "", t0 + i).outcome, CheckOutcome::kMatch);
  }
  EXPECT_EQ(Check(7, kNikSiti, "Siti Aminah", "", t0 + 10).outcome, CheckOutcome::kRateLimited);
  // An hour later the hourly window has room again; the daily one (5) runs out after two more.
  const std::int64_t t1 = t0 + 3'600'001;
  EXPECT_EQ(Check(7, kNikSiti, "Siti Aminah", "", t1).outcome, CheckOutcome::kMatch);
  EXPECT_EQ(Check(7, kNikSiti, "Siti Aminah", "", t1 + 1).outcome, CheckOutcome::kMatch);
  EXPECT_EQ(Check(7, kNikSiti, "Siti Aminah", "", t1 + 2).outcome, CheckOutcome::kRateLimited);

  // One phone number, several "citizens" (new Telegram accounts sharing it): the phone limit.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Check(100 + i, kNikSiti, "x", "+6281234567890", t0).outcome, CheckOutcome::kNoMatch);
  }
  EXPECT_EQ(Check(200, kNikSiti, "Siti Aminah", "+6281234567890", t0).outcome,
            CheckOutcome::kRateLimited);

  auto count =
      db_->QueryInt("SELECT COUNT(*) FROM audit_log WHERE action = 'registry.check.citizen'");
  EXPECT_EQ(count.value(), 11);
  auto limited = db_->QueryInt("SELECT COUNT(*) FROM audit_log WHERE outcome = 'rate_limited'");
  EXPECT_EQ(limited.value(), 3);
  auto dump =
      db_->QueryText("SELECT group_concat(actor || object || purpose || outcome) FROM audit_log");
  EXPECT_NE(dump.value().find("nik:3201********0003"), std::string::npos);
  EXPECT_EQ(dump.value().find(kNikSiti), std::string::npos);
  EXPECT_EQ(dump.value().find("81234567890"), std::string::npos);
  auto verify = audit::Verify(*db_);
  EXPECT_TRUE(verify.value().ok) << verify.value().problem;
}

// Many addresses guessing one person's name: the NIK's own daily limit, from any address,
// counted the same for a NIK that is not in the snapshot (a limit only listed NIKs had would
// tell them apart). Refused tries are counted in the metric by the limit that refused them.
TEST_F(CitizenCheckTest, ANikIsLimitedWhateverTheAddressListedOrNot) {
  const std::int64_t t0 = 1'000'000'000'000;
  const CitizenCheckLimits limits{3, 5, 0.85, 2};
  constexpr char kAbsent[] = "3201014203850009";
  for (const char* nik : {kNikSiti, kAbsent}) {
    EXPECT_EQ(Check(10, nik, "Rina Wati", "", t0, limits).outcome, CheckOutcome::kNoMatch);
    EXPECT_EQ(Check(11, nik, "Rina Wati", "+6281200000011", t0, limits).outcome,
              CheckOutcome::kNoMatch);
    const auto third = Check(12, nik, "Siti Aminah", "+6281200000012", t0, limits);
    EXPECT_EQ(third.outcome, CheckOutcome::kRateLimited) << nik;
    EXPECT_EQ(third.limit, LimitHit::kNik);
    EXPECT_TRUE(third.village_code.empty());
    EXPECT_FALSE(third.listed);
  }
  // The right name from a fresh address is refused too, until the day is over.
  EXPECT_EQ(Check(13, kNikSiti, "Siti Aminah", "", t0 + 1, limits).outcome,
            CheckOutcome::kRateLimited);
  EXPECT_EQ(Check(13, kNikSiti, "Siti Aminah", "", t0 + 86'400'001, limits).outcome,
            CheckOutcome::kMatch);
  // The address limit is named as such; another NIK is not held back by Siti's.
  EXPECT_EQ(Check(14, kNikBudi, "Budi Santoso", "", t0, limits).outcome, CheckOutcome::kMatch);
  EXPECT_EQ(Tries("status", "limited_nik"), 3u);
  EXPECT_EQ(Tries("status", "no_match"), 4u);
  EXPECT_EQ(Tries("status", "match"), 2u);
  EXPECT_EQ(Tries("status", "limited_address"), 0u);
  auto nik_limited =
      db_->QueryInt("SELECT COUNT(*) FROM audit_log WHERE outcome = 'rate_limited:nik'");
  EXPECT_EQ(nik_limited.value(), 3);
  // The NIK's key is a keyed hash of its own kind: no NIK in clear in the quota table, and
  // not the hash tickets and records carry (no join between them).
  auto keys = db_->QueryText("SELECT group_concat(key, ' ') FROM lookup_quota");
  EXPECT_EQ(keys.value().find(kNikSiti), std::string::npos);
  EXPECT_EQ(keys.value().find("3201"), std::string::npos);
  EXPECT_NE(keys.value().find("nik:"), std::string::npos);
  auto record_hash = reg_->Hash("nik", kNikSiti);
  ASSERT_TRUE(record_hash.ok());
  EXPECT_EQ(keys.value().find(HexOf(record_hash.value())), std::string::npos);
  // Kept two days: any later try removes every older row, of whatever NIK or address.
  EXPECT_EQ(Check(15, kNikBudi, "Budi Santoso", "", t0 + 4 * 86'400'000, limits).outcome,
            CheckOutcome::kMatch);
  auto left = db_->QueryInt("SELECT COUNT(*) FROM lookup_quota");
  EXPECT_EQ(left.value(), 2) << "the last try's citizen and NIK keys only";
}

// A complainant's identity: the same rule and the same limits as the status check (they share
// them: alternating the two flows buys no more tries), its own audit action, and the record's
// village only on a match.
TEST_F(CitizenCheckTest, IdentifyMatchesLikeTheCheckSharesItsLimitsAndIsAuditedApart) {
  const std::int64_t t0 = 1'000'000'000'000;
  const CitizenCheckLimits limits{3, 5, 0.85, 1'000};
  const auto ok = Check(20, kNikSiti, "siti aminah", "", t0, limits, CheckPurpose::kIdentify);
  EXPECT_EQ(ok.outcome, CheckOutcome::kMatch);
  EXPECT_EQ(ok.village_code, "32.01.01.2001");
  const auto wrong = Check(20, kNikSiti, "Rina Wati", "", t0, limits, CheckPurpose::kIdentify);
  EXPECT_EQ(wrong.outcome, CheckOutcome::kNoMatch);
  EXPECT_TRUE(wrong.village_code.empty());
  EXPECT_EQ(Check(20, kNikSiti, "Siti Aminah", "", t0, limits).outcome, CheckOutcome::kMatch);
  const auto limited = Check(20, kNikSiti, "Siti Aminah", "", t0, limits, CheckPurpose::kIdentify);
  EXPECT_EQ(limited.outcome, CheckOutcome::kRateLimited) << "3 an hour, whatever the purpose";
  EXPECT_EQ(limited.limit, LimitHit::kAddress);
  EXPECT_TRUE(limited.village_code.empty());
  EXPECT_EQ(Tries("identify", "match"), 1u);
  EXPECT_EQ(Tries("identify", "no_match"), 1u);
  EXPECT_EQ(Tries("identify", "limited_address"), 1u);
  EXPECT_EQ(Tries("status", "match"), 1u);
  auto identify = db_->QueryText(
      "SELECT group_concat(outcome || '|' || purpose, ';') FROM audit_log"
      " WHERE action = 'registry.identify.citizen'");
  EXPECT_EQ(identify.value(),
            "match:listed|complaint intake: identity of the complainant (NIK + name) via sms;"
            "no_match|complaint intake: identity of the complainant (NIK + name) via sms;"
            "rate_limited|complaint intake: identity of the complainant (NIK + name) via sms");
  CitizenCheck check(*reg_, limits);
  EXPECT_TRUE(check.NameMatches("Siti Aminah", "SITI AMINAH"));
  EXPECT_FALSE(check.NameMatches("Rina Wati", "Siti Aminah"));
  EXPECT_FALSE(check.NameMatches("", "Siti Aminah"));
}

// A migrated store's file, opened directly (the audit log's triggers and chain as the gateway
// leaves them).
std::unique_ptr<storage::Db> MigratedDb(const TempDir& dir) {
  storage::StoreOptions o;
  o.migrations = schema::Migrations();
  o.path = dir.File("main.db");
  core::MetricsRegistry metrics;
  auto store = storage::Store::Open(o, &metrics);
  EXPECT_TRUE(store.ok());
  if (!store.ok()) return nullptr;
  store.value()->Close();
  auto db = storage::Db::Open(o.path, false, false);
  EXPECT_TRUE(db.ok());
  return db.ok() ? std::move(db).value() : nullptr;
}

TEST(AuditLogTest, TheChainDetectsChangedAndMissingEntries) {
  TempDir dir;
  auto db = MigratedDb(dir);
  ASSERT_NE(db, nullptr);
  for (int i = 0; i < 4; ++i) {
    audit::Entry e{1000 + i,      "user:" + std::to_string(i),
                   "ticket.read", "ticket:K7P2QX",
                   "triage",      "127.0.0.1",
                   "ok"};
    ASSERT_TRUE(audit::Append(*db, e).ok());
  }
  EXPECT_TRUE(audit::Verify(*db).value().ok);
  EXPECT_EQ(audit::Verify(*db).value().entries, 4);

  // The triggers refuse edits through SQL...
  EXPECT_FALSE(db->Exec("UPDATE audit_log SET actor = 'user:9' WHERE id = 2").ok());
  EXPECT_FALSE(db->Exec("DELETE FROM audit_log WHERE id = 3").ok());
  // ...and the chain catches whoever drops them first.
  ASSERT_TRUE(db->Exec("DROP TRIGGER audit_log_no_update").ok());
  ASSERT_TRUE(db->Exec("UPDATE audit_log SET purpose = 'curiosity' WHERE id = 2").ok());
  auto changed = audit::Verify(*db).value();
  EXPECT_FALSE(changed.ok);
  EXPECT_EQ(changed.first_bad_id, 2);
  EXPECT_NE(changed.problem.find("changed"), std::string::npos);
  ASSERT_TRUE(db->Exec("UPDATE audit_log SET purpose = 'triage' WHERE id = 2").ok());
  EXPECT_TRUE(audit::Verify(*db).value().ok);
  ASSERT_TRUE(db->Exec("DROP TRIGGER audit_log_no_delete").ok());
  ASSERT_TRUE(db->Exec("DELETE FROM audit_log WHERE id = 3").ok());
  auto missing = audit::Verify(*db).value();
  EXPECT_FALSE(missing.ok);
  EXPECT_EQ(missing.first_bad_id, 4);
  EXPECT_NE(missing.problem.find("missing"), std::string::npos);
}

TEST(AuditLogTest, TheAnchorCatchesACutOrRewrittenTail) {
  TempDir dir;
  auto db = MigratedDb(dir);
  ASSERT_NE(db, nullptr);
  auto& d = *db;
  EXPECT_EQ(audit::HeadOf(d).value(), audit::Head{});
  // The anchor of an empty log reads back and verifies.
  const std::string empty_anchor = dir.File("empty.head");
  ASSERT_TRUE(audit::WriteAnchor(empty_anchor, audit::HeadOf(d).value()).ok());
  ASSERT_TRUE(audit::ReadAnchor(empty_anchor).ok()) << ReadFile(empty_anchor);
  EXPECT_EQ(audit::ReadAnchor(empty_anchor).value(), audit::Head{});
  EXPECT_TRUE(audit::Verify(d, audit::Head{}).value().ok);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        audit::Append(d, {1000 + i, "user:1", "ticket.read", "ticket:K7P2QX", "triage", "", "ok"})
            .ok());
  }
  const audit::Head head = audit::HeadOf(d).value();
  EXPECT_EQ(head.id, 5);
  const std::string anchor = dir.File("audit.head");
  EXPECT_FALSE(audit::ReadAnchor(anchor).value().has_value()) << "none written yet";
  ASSERT_TRUE(audit::WriteAnchor(anchor, head).ok());
  EXPECT_EQ(audit::ReadAnchor(anchor).value(), head);
  EXPECT_TRUE(audit::Verify(d, head).value().ok);
  // Rows after the anchor are fine; cutting below it is not, though the chain itself is valid.
  ASSERT_TRUE(
      audit::Append(d, {2000, "user:1", "ticket.read", "ticket:K7P2QX", "triage", "", "ok"}).ok());
  EXPECT_TRUE(audit::Verify(d, head).value().ok);
  ASSERT_TRUE(d.Exec("DROP TRIGGER audit_log_no_delete").ok());
  ASSERT_TRUE(d.Exec("DELETE FROM audit_log WHERE id >= 5").ok());
  EXPECT_TRUE(audit::Verify(d).value().ok) << "without the anchor the cut is invisible";
  auto cut = audit::Verify(d, head).value();
  EXPECT_FALSE(cut.ok);
  EXPECT_EQ(cut.first_bad_id, 5);
  EXPECT_NE(cut.problem.find("removed"), std::string::npos) << cut.problem;
  // A different entry at the anchored id: the log was rewritten.
  audit::Head other = head;
  other.id = 4;
  EXPECT_NE(audit::Verify(d, other).value().problem.find("rewritten"), std::string::npos);
  WriteFile(anchor, "garbage\n");
  EXPECT_FALSE(audit::ReadAnchor(anchor).ok());
}

}  // namespace
}  // namespace satupintu::registry
