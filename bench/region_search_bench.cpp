// bench_region_search: RegionIndex::Search over the real idn-area-data tree (91,599 regions).
// Loads the package files, builds the index, then runs realistic queries by kind and prints
// p50 / p99 / max latency per kind (one thread; the index is immutable, readers scale).
//   bench_region_search [queries_per_kind=2000] [data_dir]
// Target: p99 <= 5 ms over all 83,762 villages on the 2-core development machine.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "paths/paths.hpp"
#include "regions/import.hpp"
#include "regions/region_index.hpp"

namespace {

using satupintu::regions::Level;
using satupintu::regions::Region;
using satupintu::regions::RegionIndex;
using satupintu::regions::SearchOptions;

struct Query {
  std::string text;
  SearchOptions options;
};

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// One or two edits (two for names of 8 letters or more), as a citizen would make them.
std::string WithTypo(std::string s, std::mt19937& rng) {
  const int edits = s.size() >= 8 ? 2 : 1;
  for (int e = 0; e < edits && s.size() > 3; ++e) {
    std::uniform_int_distribution<std::size_t> pos(1, s.size() - 2);
    const std::size_t p = pos(rng);
    switch (rng() % 3) {
      case 0:
        std::swap(s[p], s[p + 1]);
        break;
      case 1:
        s.erase(p, 1);
        break;
      default:
        s[p] = static_cast<char>('a' + rng() % 26);
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t per_kind = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 2000;
  const std::string data_dir = argc > 2 ? argv[2] : ::satupintu::testing::RegionsDataDir();

  auto t0 = std::chrono::steady_clock::now();
  auto files = satupintu::regions::ReadRegionFiles(data_dir);
  if (!files.summary.status.ok()) {
    std::fprintf(stderr, "%s\n", files.summary.status.error().message.c_str());
    return 1;
  }
  auto t1 = std::chrono::steady_clock::now();
  const auto index = RegionIndex::Build(std::move(files.regions));
  auto t2 = std::chrono::steady_clock::now();
  std::printf("read files %.0f ms, build index %.0f ms, %zu regions\n",
              std::chrono::duration<double, std::milli>(t1 - t0).count(),
              std::chrono::duration<double, std::milli>(t2 - t1).count(), index->size());

  // Sample villages (with their regency) deterministically.
  std::mt19937 rng(20251122);
  std::vector<const Region*> villages;
  for (const char* province : {"11", "12", "32", "33", "35", "53", "63", "73", "91", "94"}) {
    for (const Region& regency : index->Children(province)) {
      for (const Region& kecamatan : index->Children(regency.code)) {
        for (const Region& village : index->Children(kecamatan.code)) villages.push_back(&village);
      }
    }
  }
  std::shuffle(villages.begin(), villages.end(), rng);
  auto regency_of = [](const Region& v) { return v.code.substr(0, 5); };
  const char* kPrefixes[] = {"desa ", "Ds. ", "kel. ", "Kelurahan ", "DESA "};

  struct Kind {
    const char* name;
    std::vector<Query> queries;
  };
  std::vector<Kind> kinds = {{"exact nationwide", {}},    {"prefixed nationwide", {}},
                             {"typo nationwide", {}},     {"typo village level", {}},
                             {"start of name", {}},       {"exact within regency", {}},
                             {"typo within regency", {}}, {"typo within province", {}}};
  for (std::size_t i = 0; i < per_kind; ++i) {
    const Region& v = *villages[i % villages.size()];
    const std::string name = Lower(v.name);
    kinds[0].queries.push_back({v.name, {}});
    kinds[1].queries.push_back({kPrefixes[i % 5] + v.name, {}});
    kinds[2].queries.push_back({WithTypo(name, rng), {}});
    kinds[3].queries.push_back({WithTypo(name, rng), {.level = Level::kVillage}});
    kinds[4].queries.push_back({name.substr(0, std::min<std::size_t>(name.size(), 4)), {}});
    kinds[5].queries.push_back({v.name, {.within = regency_of(v)}});
    kinds[6].queries.push_back({WithTypo(name, rng), {.within = regency_of(v)}});
    kinds[7].queries.push_back({WithTypo(name, rng), {.within = v.code.substr(0, 2)}});
  }

  std::vector<double> all;
  std::vector<std::pair<double, std::string>> slowest;  // (us, "kind: query")
  std::size_t results = 0;
  std::printf("%-24s %8s %10s %10s %10s\n", "kind", "queries", "p50 us", "p99 us", "max us");
  for (const auto& kind : kinds) {
    std::vector<double> micros;
    micros.reserve(kind.queries.size());
    for (const auto& q : kind.queries) {
      const auto start = std::chrono::steady_clock::now();
      const auto hits = index->Search(q.text, q.options);
      const auto end = std::chrono::steady_clock::now();
      results += hits.size();
      micros.push_back(std::chrono::duration<double, std::micro>(end - start).count());
      slowest.emplace_back(micros.back(), std::string(kind.name) + ": " + q.text);
      if (slowest.size() > 64) {
        std::sort(slowest.begin(), slowest.end(), std::greater<>());
        slowest.resize(8);
      }
    }
    all.insert(all.end(), micros.begin(), micros.end());
    std::sort(micros.begin(), micros.end());
    auto at = [&micros](double p) {
      return micros[std::min(micros.size() - 1,
                             static_cast<std::size_t>(p * static_cast<double>(micros.size())))];
    };
    std::printf("%-24s %8zu %10.0f %10.0f %10.0f\n", kind.name, micros.size(), at(0.50), at(0.99),
                micros.back());
  }
  std::sort(all.begin(), all.end());
  std::printf("%-24s %8zu %10.0f %10.0f %10.0f   (%zu results)\n", "all", all.size(),
              all[all.size() / 2], all[std::min(all.size() - 1, all.size() * 99 / 100)], all.back(),
              results);
  std::sort(slowest.begin(), slowest.end(), std::greater<>());
  slowest.resize(std::min<std::size_t>(slowest.size(), 8));
  std::printf("slowest:\n");
  for (const auto& [us, what] : slowest) std::printf("  %8.0f us  %s\n", us, what.c_str());
  return 0;
}
