#pragma once
// Where tests and benchmarks find the sources, the built binaries and the region data.
//
// Only paths.cpp knows these absolute paths (from compile definitions): every other test object
// is then the same in any clone folder, and ccache shares it between a developer's clone and
// CI's (cmake/Ccache.cmake).

#include <string>
#include <string_view>

namespace satupintu::testing {

// The repository root, and a path below it ("locales", "tests/transcripts").
const std::string& SourceDir();
std::string SourcePath(std::string_view relative);

// The built `satupintu` and `satupintu-synth` executables. The environment variable
// SATUPINTU_BINARY, when set and not empty, names another `satupintu` instead (another build's
// binary, e.g. for bench/soak_bench.cpp); it is read once, at the first call.
const std::string& SatupintuBinary();
const std::string& SynthBinary();

// idn-area-data's CSV files (deploy/regions/node_modules/idn-area-data/data).
const std::string& RegionsDataDir();

}  // namespace satupintu::testing
