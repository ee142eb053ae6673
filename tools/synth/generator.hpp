#pragma once
// The whole run: households spread over the villages of one regency, each member written as a
// row, anomalies injected on request, the truth file written alongside.

#include <cstdint>

#include "core/result.hpp"
#include "options.hpp"
#include "output.hpp"
#include "regions.hpp"

namespace satupintu::synth {

struct GenerateStats {
  std::uint64_t rows = 0;  // data records (anomalies included, empty lines not)
  std::uint64_t households = 0;
  std::uint64_t lines = 0;      // physical lines, header included
  std::uint64_t anomalies = 0;  // truth entries
};

// Writes the registry file to `out` and, when `truth` is not null, the truth file.
core::Result<GenerateStats> Generate(const Options& options, const RegionTree& tree, Output& out,
                                     Output* truth);

}  // namespace satupintu::synth
