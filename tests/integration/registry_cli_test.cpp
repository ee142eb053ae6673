// The data officer's commands on the real binary: `regions import`, `registry import` of
// files made by satupintu-synth (exact reject lines against the generator's truth file, both
// formats), `registry lookup` and `audit verify`, an import killed halfway and one that runs
// out of disk: the previous snapshot stays in force.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "paths/paths.hpp"
#include "storage/sqlite.hpp"
#include "support/process.hpp"

namespace satupintu::testing {
namespace {

using namespace std::chrono_literals;

const std::string kRegions = ::satupintu::testing::RegionsDataDir();

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

class RegistryCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(std::string(kRegions) + "/villages.csv"))
        << "the region tree is missing: run `npm ci --prefix deploy/regions --ignore-scripts`"
           " (tools/dev.sh test does)";
    config_ = dir_.File("satupintu.json");
    WriteFile(config_,
              TestConfig(dir_, std::string(R"("registry": {"dir": ")") + dir_.File("registry") +
                                   R"(", "hash_key_file": ")" + dir_.File("registry/hash.key") +
                                   R"("}, "regions": {"data_dir": ")" + kRegions + R"("})"));
    ASSERT_EQ(Run({"regions", "import"}), 0) << Output();
  }

  // Runs satupintu with the test config; returns the exit code; output in Output().
  int Run(std::vector<std::string> args, std::chrono::milliseconds timeout = 120s) {
    std::vector<std::string> argv{SatupintuBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.emplace_back("--config");
    argv.push_back(config_);
    log_ = dir_.File("run-" + std::to_string(++runs_) + ".log");
    Child child(argv, log_);
    return child.Wait(timeout);
  }
  std::string Output() const { return ReadFile(log_); }

  std::string Synth(const std::string& name, std::vector<std::string> args) {
    std::string out = dir_.File(name);
    std::vector<std::string> argv{::satupintu::testing::SynthBinary(),
                                  "--regions-dir",
                                  kRegions,
                                  "--out",
                                  out,
                                  "--snapshot-date",
                                  "2025-10-01"};
    argv.insert(argv.end(), args.begin(), args.end());
    Child child(argv, dir_.File(name + ".synth.log"));
    EXPECT_EQ(child.Wait(120s), 0) << ReadFile(dir_.File(name + ".synth.log"));
    return out;
  }

  // truth: line -> (kind, expected)
  static std::map<long, std::pair<std::string, std::string>> Truth(const std::string& path) {
    std::map<long, std::pair<std::string, std::string>> out;
    const auto lines = Lines(ReadFile(path));
    for (std::size_t i = 1; i < lines.size(); ++i) {
      std::vector<std::string> f;
      std::stringstream ss(lines[i]);
      for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
      if (f.size() >= 3) out[std::stol(f[0])] = {f[1], f[2]};
    }
    return out;
  }

  // rejects: line -> reason
  static std::map<long, std::string> Rejects(const std::string& path) {
    std::map<long, std::string> out;
    const auto lines = Lines(ReadFile(path));
    for (std::size_t i = 1; i < lines.size(); ++i) {
      const auto comma = lines[i].find(',');
      out[std::stol(lines[i].substr(0, comma))] = lines[i].substr(comma + 1);
    }
    return out;
  }

  std::string CurrentSnapshotLine() {
    EXPECT_EQ(Run({"registry", "status"}), 0) << Output();
    for (const auto& l : Lines(Output())) {
      if (l.find(" current ") != std::string::npos) return l;
    }
    return {};
  }

  std::size_t SnapshotFiles() {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir_.File("registry"))) {
      if (e.path().extension() == ".db") ++n;
    }
    return n;
  }

  TempDir dir_;
  std::string config_;
  std::string log_;
  int runs_ = 0;
};

TEST_F(RegistryCliTest, CanonicalFileRejectsExactlyTheInjectedRowsAndLookupsAreAudited) {
  const std::string file =
      Synth("reg.csv", {"--regency", "32.01", "--rows", "20000", "--seed", "7", "--dirty", "0.01",
                        "--crlf", "--bom", "--truth", dir_.File("truth.csv")});
  ASSERT_EQ(Run({"registry", "import", file, "--today", "2025-11-01"}), 0) << Output();
  const std::string summary = Output();
  EXPECT_NE(summary.find("is now in force"), std::string::npos) << summary;

  const auto truth = Truth(dir_.File("truth.csv"));
  const auto rejects = Rejects(file + ".rejects.csv");
  std::size_t expected_rejects = 0;
  for (const auto& [line, t] : truth) {
    const auto& [kind, expected] = t;
    if (expected == "rejected" || expected == "superseded") {
      ++expected_rejects;
      ASSERT_TRUE(rejects.count(line)) << "line " << line << " (" << kind << ") not rejected";
      if (expected == "superseded") {
        EXPECT_NE(rejects.at(line).find("duplicate NIK"), std::string::npos) << line;
      }
      if (kind == "bad_encoding") {
        EXPECT_NE(rejects.at(line).find("bad encoding"), std::string::npos);
      }
      if (kind == "unknown_village") {
        EXPECT_NE(rejects.at(line).find("unknown region"), std::string::npos);
      }
      if (kind.rfind("bad_nik_", 0) == 0) {
        EXPECT_NE(rejects.at(line).find("bad NIK: nik."), std::string::npos) << rejects.at(line);
      }
    } else if (expected == "accepted") {
      EXPECT_FALSE(rejects.count(line))
          << "line " << line << " (" << kind << ") rejected: " << rejects.at(line);
    }
  }
  EXPECT_EQ(rejects.size(), expected_rejects) << "no row rejected that the generator made good";
  EXPECT_GE(expected_rejects, 14u);

  // An officer's lookup of a NIK from the file: found, masked, audited.
  const auto rows = Lines(ReadFile(file));
  std::string nik;
  for (std::size_t i = 1; i < rows.size() && nik.empty(); ++i) {
    const std::string& r = rows[i];
    if (r.size() > 16 && std::all_of(r.begin(), r.begin() + 16, ::isdigit) && r[16] == ',' &&
        !rejects.contains(static_cast<long>(i + 1))) {
      nik = r.substr(0, 16);
    }
  }
  ASSERT_EQ(nik.size(), 16u);
  ASSERT_EQ(Run({"registry", "lookup", "--nik", nik, "--purpose", "test of the lookup"}), 0)
      << Output();
  EXPECT_NE(Output().find("1 found"), std::string::npos) << Output();
  EXPECT_NE(Output().find(nik.substr(0, 4) + "********" + nik.substr(12)), std::string::npos);
  EXPECT_EQ(Output().find(nik), std::string::npos) << "the NIK is shown masked";
  ASSERT_EQ(Run({"registry", "lookup", "--nik", nik}), 2) << "a lookup needs a purpose";
  ASSERT_EQ(Run({"audit", "verify"}), 0) << Output();
  EXPECT_NE(Output().find("intact: 2 entries"), std::string::npos)
      << "the import and the lookup: " << Output();
}

TEST_F(RegistryCliTest, PipeExportResolvesRegionNamesIncludingTypos) {
  const std::string file = Synth(
      "dtks.txt", {"--format", "dtks-pipe", "--regency", "32.72", "--rows", "5000", "--seed", "11",
                   "--dirty", "0.005", "--typo-rate", "0.01", "--truth", dir_.File("truth.csv")});
  ASSERT_EQ(Run({"registry", "import", file, "--format", "dtks-pipe"}), 2)
      << "the pipe export has no snapshot date: it must be given";
  EXPECT_NE(Output().find("--snapshot-date"), std::string::npos) << Output();
  ASSERT_EQ(Run({"registry", "import", file, "--format", "dtks-pipe", "--snapshot-date",
                 "2025-10-01", "--today", "2025-11-01"}),
            0)
      << Output();
  const auto truth = Truth(dir_.File("truth.csv"));
  const auto rejects = Rejects(file + ".rejects.csv");
  std::size_t typos = 0;
  for (const auto& [line, t] : truth) {
    if (t.second == "rejected" || t.second == "superseded") {
      EXPECT_TRUE(rejects.count(line)) << line << " " << t.first;
    } else {
      EXPECT_FALSE(rejects.count(line)) << line << " " << t.first << ": " << rejects.at(line);
    }
    if (t.first == "region_typo") ++typos;
  }
  ASSERT_GT(typos, 0u);
  EXPECT_NE(Output().find("regions by a typo   " + std::to_string(typos)), std::string::npos)
      << Output();
}

// Whatever the umask, everything satupintu writes (the store, its WAL and SHM, registry
// snapshots, keys, the users key) is the owner's only; a store left readable by others (by an
// older version, or copied in) is made private at its next open.
TEST_F(RegistryCliTest, EverythingItWritesIsTheOwnersOnlyWhateverTheUmask) {
  const mode_t umask_before = ::umask(022);  // as a default login shell has it
  std::filesystem::permissions(dir_.File("satupintu.db"), std::filesystem::perms::owner_read |
                                                              std::filesystem::perms::owner_write |
                                                              std::filesystem::perms::group_read |
                                                              std::filesystem::perms::others_read);
  const std::string small = Synth("small.csv", {"--rows", "200", "--seed", "1"});
  const int imported = Run({"registry", "import", small});
  const int added = Run({"users", "add", "--username", "siti", "--name", "Siti", "--role",
                         "facilitator", "--region", "32.06.05.2002", "--phone", "081234567890"});
  ::umask(umask_before);
  ASSERT_EQ(imported, 0) << Output();
  ASSERT_EQ(added, 0) << Output();
  std::set<std::string> checked;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir_.path())) {
    const std::string name = e.path().filename().string();
    // What the test itself wrote: the config, the runs' output, the generator's files.
    if (name == "satupintu.json" || name.ends_with(".log") || name.starts_with("small.csv")) {
      continue;
    }
    struct stat st {};
    ASSERT_EQ(::stat(e.path().c_str(), &st), 0) << e.path();
    EXPECT_EQ(st.st_mode & 077, 0u)
        << e.path() << " is readable by others: " << std::oct << (st.st_mode & 0777);
    checked.insert(e.path().lexically_relative(dir_.path()).string());
  }
  for (const char* must : {"satupintu.db", "users.key", "registry/hash.key"}) {
    EXPECT_TRUE(checked.contains(must)) << must;
  }
  EXPECT_GE(SnapshotFiles(), 1u);
}

// The import is an audit entry, and the audit log's head is anchored outside the store: a cut
// tail (the last rows deleted, triggers dropped - what someone with the file could do) leaves
// a valid chain but fails `audit verify`.
TEST_F(RegistryCliTest, ImportsAreAuditedAndACutAuditTailIsDetected) {
  const std::string small = Synth("small.csv", {"--rows", "200", "--seed", "1"});
  ASSERT_EQ(Run({"registry", "import", small}), 0) << Output();
  ASSERT_EQ(Run({"users", "add", "--username", "siti", "--name", "Siti", "--role", "viewer",
                 "--region", "32.06"}),
            0)
      << Output();
  ASSERT_EQ(Run({"audit", "verify"}), 0) << Output();
  struct stat st {};
  ASSERT_EQ(::stat(dir_.File("audit.head").c_str(), &st), 0) << "no anchor beside the store";
  EXPECT_EQ(st.st_mode & 077, 0u);
  {
    auto db = storage::Db::Open(dir_.File("satupintu.db"), false);
    ASSERT_TRUE(db.ok());
    auto& d = *db.value();
    EXPECT_EQ(d.QueryInt("SELECT COUNT(*) FROM audit_log WHERE action = 'registry.import'"
                         " AND object LIKE 'snapshot:%'")
                  .value(),
              1);
    ASSERT_TRUE(d.Exec("DROP TRIGGER audit_log_no_delete").ok());
    ASSERT_TRUE(d.Exec("DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)").ok());
  }
  EXPECT_EQ(Run({"audit", "verify"}), 1) << Output();
  EXPECT_NE(Output().find("last entries were removed"), std::string::npos) << Output();
}

TEST_F(RegistryCliTest, AnImportKilledHalfwayLeavesThePreviousSnapshotInForce) {
  const std::string small = Synth("small.csv", {"--rows", "200", "--seed", "1"});
  ASSERT_EQ(Run({"registry", "import", small}), 0) << Output();
  const std::string before = CurrentSnapshotLine();
  ASSERT_FALSE(before.empty());

  const std::string big = Synth("big.csv", {"--rows", "400000", "--seed", "2"});
  {
    Child child({SatupintuBinary(), "registry", "import", big, "--config", config_},
                dir_.File("killed.log"));
    // Kill it once its snapshot file is being written.
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (SnapshotFiles() < 2 && std::chrono::steady_clock::now() < deadline && child.running()) {
      std::this_thread::sleep_for(20ms);
    }
    std::this_thread::sleep_for(300ms);
    ASSERT_TRUE(child.running()) << "the import finished before it could be killed";
    child.Signal(SIGKILL);
    EXPECT_EQ(child.Wait(10s), 128 + SIGKILL);
  }
  EXPECT_EQ(CurrentSnapshotLine(), before);

  // The next import succeeds and removes what the killed one left.
  const std::string next = Synth("next.csv", {"--rows", "300", "--seed", "3"});
  ASSERT_EQ(Run({"registry", "import", next}), 0) << Output();
  EXPECT_NE(CurrentSnapshotLine(), before);
  EXPECT_EQ(SnapshotFiles(), 1u);
}

TEST_F(RegistryCliTest, AFullDiskFailsTheImportClearlyAndKeepsThePreviousSnapshot) {
  const std::string small = Synth("small.csv", {"--rows", "200", "--seed", "1"});
  ASSERT_EQ(Run({"registry", "import", small}), 0) << Output();
  const std::string before = CurrentSnapshotLine();
  const std::string big = Synth("big.csv", {"--rows", "100000", "--seed", "2"});
  // A file-size limit of 8 MB stands in for a full disk: writes beyond it fail with EFBIG
  // (SIGXFSZ ignored, as a full disk gives no signal either).
  const std::string cmd = "trap '' XFSZ; ulimit -f 8192; exec '" + SatupintuBinary() +
                          "' registry import '" + big + "' --config '" + config_ + "'";
  Child child({"/bin/sh", "-c", cmd}, dir_.File("full.log"));
  EXPECT_EQ(child.Wait(120s), 1);
  const std::string out = ReadFile(dir_.File("full.log"));
  EXPECT_NE(out.find("registry import failed"), std::string::npos) << out;
  EXPECT_NE(out.find("has not changed"), std::string::npos) << out;
  EXPECT_EQ(CurrentSnapshotLine(), before);
  EXPECT_EQ(SnapshotFiles(), 1u) << "the failed build's file is removed";
}

}  // namespace
}  // namespace satupintu::testing
