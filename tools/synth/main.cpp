// satupintu-synth: see tools/README.md.

#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "generator.hpp"
#include "options.hpp"
#include "output.hpp"
#include "regions.hpp"

namespace {

int Fail(const satupintu::core::Error& error) {
  std::fprintf(stderr, "satupintu-synth: %s\n", error.message.c_str());
  if (!error.detail.empty()) std::fprintf(stderr, "  (%s)\n", error.detail.c_str());
  return 1;
}

int Run(int argc, char** argv) {
  using namespace satupintu::synth;
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  auto options = ParseArgs(args);
  if (!options.ok()) return Fail(options.error());
  if (options->help) {
    std::fputs(std::string(Usage()).c_str(), stdout);
    return 0;
  }
  const auto start = std::chrono::steady_clock::now();
  auto tree = RegionTree::Load(options->regions_dir);
  if (!tree.ok()) return Fail(tree.error());
  auto out = Output::OpenFile(options->out);
  if (!out.ok()) return Fail(out.error());
  std::optional<Output> truth;
  if (!options->truth.empty()) {
    auto file = Output::OpenFile(options->truth);
    if (!file.ok()) return Fail(file.error());
    truth.emplace(std::move(file.value()));
  }
  auto stats = Generate(*options, *tree, *out, truth ? &*truth : nullptr);
  if (!stats.ok()) return Fail(stats.error());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr,
               "satupintu-synth: %llu rows, %llu households, %llu lines, %llu anomalies in %.2f s "
               "(%.0f rows/s)\n",
               static_cast<unsigned long long>(stats->rows),
               static_cast<unsigned long long>(stats->households),
               static_cast<unsigned long long>(stats->lines),
               static_cast<unsigned long long>(stats->anomalies), seconds,
               static_cast<double>(stats->rows) / (seconds > 0 ? seconds : 1));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Errors come back as Results; an exception (out of memory, a library's throw) is reported
  // the same way instead of ending in std::terminate.
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "satupintu-synth: %s\n", e.what());
    return 1;
  }
}
