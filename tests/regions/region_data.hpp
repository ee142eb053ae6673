#pragma once
// The real idn-area-data files for the regions tests, and a temporary directory.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "paths/paths.hpp"
#include "regions/import.hpp"
#include "regions/region_index.hpp"

namespace satupintu::regions::testing {

inline std::string DataDir() { return ::satupintu::testing::RegionsDataDir(); }

// Fails (never skips) when the package was not installed.
inline ::testing::AssertionResult HaveData() {
  if (std::filesystem::exists(DataDir() + "/villages.csv")) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "region data missing at " << DataDir()
         << "; from the repository root run: " << kRegionsInstallCommand;
}

// The real tree, read once for the whole test binary.
inline std::shared_ptr<const RegionIndex> RealIndex() {
  static const std::shared_ptr<const RegionIndex> index = [] {
    RegionFiles files = ReadRegionFiles(DataDir());
    return RegionIndex::Build(std::move(files.regions));
  }();
  return index;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "satupintu-regions-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace satupintu::regions::testing
