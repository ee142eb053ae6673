// bench_registry: the Registry issue's figures.
//
//   bench_registry import --config FILE --file CSV
//       runs `satupintu registry import` as a child process and reports rows/s from its
//       summary, the child's peak RSS (wait4 rusage) and the snapshot file's bytes per row.
//   bench_registry lookup --config FILE --file CSV [--samples N]
//       samples NIKs from the file (every k-th row), then times Registry::ByNik for hits and
//       for well-formed NIKs that are not there (keyed hash included): p50/p99/max.
//
// Output is key=value words, one figure per line.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "paths/paths.hpp"
#include "registry/identity_hash.hpp"
#include "registry/registry.hpp"
#include "registry_io/csv_reader.hpp"

namespace {

using namespace satupintu;
using Clock = std::chrono::steady_clock;

std::map<std::string, std::string> Flags(int argc, char** argv) {
  std::map<std::string, std::string> f;
  for (int i = 2; i + 1 < argc; i += 2) f[std::string(argv[i]).substr(2)] = argv[i + 1];
  return f;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  return v[i];
}

int Import(const std::map<std::string, std::string>& f) {
  const std::string out_path = "/tmp/bench_registry_import.out";
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::freopen(out_path.c_str(), "w", stdout);
    const char* bin = ::satupintu::testing::SatupintuBinary().c_str();
    ::execl(bin, bin, "registry", "import", f.at("file").c_str(), "--config",
            f.at("config").c_str(), static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  const auto started = Clock::now();
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::ifstream in(out_path);
  std::string line;
  long long records = 0;
  long long stored = 0;
  while (std::getline(in, line)) {
    std::printf("  | %s\n", line.c_str());
    if (line.find("records read") != std::string::npos ||
        line.find("stored") != std::string::npos) {
      std::string digits;
      for (const char c : line) {
        if (c >= '0' && c <= '9') digits.push_back(c);
      }
      (line.find("records read") != std::string::npos ? records : stored) =
          std::atoll(digits.c_str());
    }
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::printf("import_failed exit=%d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 1;
  }
  auto cfg = config::LoadConfigFile(f.at("config"));
  std::uintmax_t bytes = 0;
  for (const auto& e : std::filesystem::directory_iterator(cfg.value().registry.dir)) {
    if (e.path().extension() == ".db") bytes = std::max(bytes, e.file_size());
  }
  std::printf("records=%lld stored=%lld wall_s=%.2f rows_per_s=%.0f peak_rss_mb=%.1f\n", records,
              stored, seconds, static_cast<double>(records) / seconds,
              static_cast<double>(usage.ru_maxrss) / 1024.0);
  std::printf("snapshot_bytes=%ju bytes_per_row=%.1f\n", bytes,
              stored > 0 ? static_cast<double>(bytes) / static_cast<double>(stored) : 0.0);
  return 0;
}

int Lookup(const std::map<std::string, std::string>& f) {
  auto cfg = config::LoadConfigFile(f.at("config"));
  if (!cfg.ok()) {
    std::fprintf(stderr, "%s\n", cfg.error().message.c_str());
    return 2;
  }
  const std::size_t samples = f.count("samples") ? std::stoul(f.at("samples")) : 20000;
  // Sample NIKs: every row's first field is read (streaming); keep a reservoir.
  auto reader = registry_io::CsvReader::Open(f.at("file"), {});
  if (!reader.ok()) {
    std::fprintf(stderr, "%s\n", reader.error().message.c_str());
    return 2;
  }
  std::mt19937_64 rng(42);
  std::vector<std::string> niks;
  registry_io::CsvRecord rec;
  reader.value().Next(rec);  // header
  std::size_t seen = 0;
  while (reader.value().Next(rec)) {
    if (!rec.error.empty() || rec.fields.empty()) continue;
    ++seen;
    if (niks.size() < samples) {
      niks.push_back(rec.fields[0]);
    } else {
      std::uniform_int_distribution<std::size_t> d(0, seen - 1);
      const std::size_t j = d(rng);
      if (j < samples) niks[j] = rec.fields[0];
    }
  }
  auto key = registry::LoadOrCreateKey(cfg.value().registry.hash_key_file, false);
  registry::RegistryOptions o;
  o.store_path = cfg.value().store.path;
  o.dir = cfg.value().registry.dir;
  o.key = key.value();
  auto reg = registry::Registry::Open(o);
  if (!reg.ok()) {
    std::fprintf(stderr, "%s\n", reg.error().message.c_str());
    return 2;
  }
  // Warm the session pool and the page cache the way a running gateway would be.
  for (std::size_t i = 0; i < std::min<std::size_t>(niks.size(), 1000); ++i) {
    (void)reg.value()->ByNik(niks[i]);
  }
  std::vector<double> hit_us;
  std::vector<double> miss_us;
  std::size_t found = 0;
  for (const auto& nik : niks) {
    const auto t0 = Clock::now();
    auto r = reg.value()->ByNik(nik);
    hit_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    if (r.ok() && r.value()) ++found;
    // A NIK of the same shape that is not in the file: another serial.
    std::string other = nik;
    other[12] = '9';
    other[13] = '9';
    const auto t1 = Clock::now();
    (void)reg.value()->ByNik(other);
    miss_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t1).count());
  }
  std::printf("samples=%zu found=%zu (rows sampled from %zu)\n", niks.size(), found, seen);
  std::printf("nik_hit_us p50=%.1f p99=%.1f max=%.1f\n", Percentile(hit_us, 0.5),
              Percentile(hit_us, 0.99), Percentile(hit_us, 1.0));
  std::printf("nik_miss_us p50=%.1f p99=%.1f max=%.1f\n", Percentile(miss_us, 0.5),
              Percentile(miss_us, 0.99), Percentile(miss_us, 1.0));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_registry import|lookup --config FILE --file CSV\n");
    return 2;
  }
  const std::string cmd = argv[1];
  const auto f = Flags(argc, argv);
  if (!f.count("config") || !f.count("file")) {
    std::fprintf(stderr, "--config and --file are required\n");
    return 2;
  }
  if (cmd == "import") return Import(f);
  if (cmd == "lookup") return Lookup(f);
  std::fprintf(stderr, "unknown subcommand %s\n", cmd.c_str());
  return 2;
}
