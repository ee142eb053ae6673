#include "synth_check.hpp"

#include <cstdlib>
#include <memory>

#include "dirty.hpp"
#include "output.hpp"
#include "paths/paths.hpp"

namespace satupintu::synth::testing {

std::string RegionsDir() {
  const char* env = std::getenv("SATUPINTU_REGIONS_DIR");
  return env != nullptr && *env != '\0' ? std::string(env) : ::satupintu::testing::RegionsDataDir();
}

const RegionTree* Regions(std::string* error) {
  static const auto loaded = [] {
    auto result = std::make_unique<core::Result<RegionTree>>(RegionTree::Load(RegionsDir()));
    return result;
  }();
  if (!loaded->ok()) {
    *error = loaded->error().message + " (" + loaded->error().detail + ")";
    return nullptr;
  }
  return &loaded->value();
}

Generated Generate(const RegionTree& tree, const Options& options) {
  Generated g;
  Output out = Output::ToString(&g.data);
  Output truth = Output::ToString(&g.truth);
  auto stats = synth::Generate(options, tree, out, &truth);
  if (stats.ok()) g.stats = stats.value();
  return g;
}

Read ReadCsv(const std::string& data, char separator) {
  Read read;
  registry_io::CsvOptions options;
  options.separator = separator;
  auto reader = registry_io::CsvReader::FromString(data, options);
  if (!reader.ok()) return read;
  registry_io::CsvRecord record;
  while (reader->Next(record)) read.records.push_back(record);
  read.empty_lines = reader->empty_lines();
  return read;
}

std::vector<TruthRow> ReadTruth(const std::string& truth) {
  std::vector<TruthRow> rows;
  auto reader = registry_io::CsvReader::FromString(truth, {});
  if (!reader.ok()) return rows;
  registry_io::CsvRecord record;
  bool header = true;
  while (reader->Next(record)) {
    if (header) {
      header = false;
      continue;
    }
    if (record.fields.size() != 4) continue;
    rows.push_back(TruthRow{std::stoull(record.fields[0]), record.fields[1], record.fields[2],
                            record.fields[3]});
  }
  return rows;
}

std::string RegionKey(const std::string& name) {
  std::string n = name;
  for (const char* prefix : {"KAB. ", "KABUPATEN ", "Kabupaten ", "KOTA ", "Kota ", "KEC. ",
                             "Kecamatan ", "DESA ", "KEL. "}) {
    const std::string p(prefix);
    if (n.rfind(p, 0) == 0) {
      n = n.substr(p.size());
      break;
    }
  }
  return NormalizeName(n);
}

}  // namespace satupintu::synth::testing
