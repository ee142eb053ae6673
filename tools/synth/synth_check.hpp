#pragma once
// Helpers of synth_tests: the region data, running the generator in-process, reading its output
// back with the project's CSV reader.

#include <cstdint>
#include <string>
#include <vector>

#include "generator.hpp"
#include "options.hpp"
#include "regions.hpp"
#include "registry_io/csv_reader.hpp"

namespace satupintu::synth::testing {

// SATUPINTU_REGIONS_DIR from the environment, else deploy/regions (tests/paths).
std::string RegionsDir();
// The region tree, loaded once; nullptr (and `error` set) when the data is missing.
const RegionTree* Regions(std::string* error);

struct Generated {
  std::string data;
  std::string truth;
  GenerateStats stats;
};
// Runs the generator; `options.regions_dir` is ignored (the tree is passed in).
Generated Generate(const RegionTree& tree, const Options& options);

struct Read {
  std::vector<registry_io::CsvRecord> records;  // header included
  std::size_t empty_lines = 0;
};
Read ReadCsv(const std::string& data, char separator);

struct TruthRow {
  std::uint64_t line = 0;
  std::string kind;
  std::string expected;
  std::string detail;
};
std::vector<TruthRow> ReadTruth(const std::string& truth);

// Region name as the import compares it: prefixes (KAB., KEC., DESA, ...) removed, then only
// lower-case letters and digits.
std::string RegionKey(const std::string& name);

}  // namespace satupintu::synth::testing
