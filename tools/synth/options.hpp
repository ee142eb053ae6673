#pragma once
// Command line of satupintu-synth.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace satupintu::synth {

enum class Format : std::uint8_t { kCanonical, kDtksPipe };

struct Options {
  std::string regions_dir = "deploy/regions/node_modules/idn-area-data/data";
  std::string regency = "32.01";  // Kabupaten Bogor
  std::uint64_t rows = 0;         // data records; 0: use households
  std::uint64_t households = 0;   // families; rows and households 0: 1,000 rows
  Format format = Format::kCanonical;
  std::string snapshot_date = "2025-10-01";
  std::string out = "-";
  char separator = ',';  // canonical only: ',' or ';'
  std::uint64_t seed = 1;
  double dirty = 0;      // share of records made into an anomaly
  double typo_rate = 0;  // dtks-pipe: share of records with a typo in a region name
  double moved_share = 0.05;
  bool bom = false;
  bool crlf = false;
  bool truncate = false;
  std::string truth;  // empty: no truth file
  bool help = false;
};

// `args` without the program name.
core::Result<Options> ParseArgs(std::span<const std::string_view> args);
std::string_view Usage();

}  // namespace satupintu::synth
