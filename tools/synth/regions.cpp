#include "regions.hpp"

#include <array>
#include <functional>
#include <utility>

#include "registry_io/csv_reader.hpp"

namespace satupintu::synth {
namespace {

using core::ErrorCode;
using core::MakeError;

// Calls `row(fields, line)` for every data record of `dir/file`, the fields reordered as
// `columns` names them in the header.
template <std::size_t N>
core::Status ReadTable(const std::string& dir, const char* file,
                       const std::array<const char*, N>& columns,
                       const std::function<core::Status(const std::array<std::string, N>&)>& row) {
  const std::string path = dir + "/" + file;
  registry_io::CsvOptions options;
  options.separator = ',';
  auto reader = registry_io::CsvReader::Open(path, options);
  if (!reader.ok()) {
    return MakeError(reader.error().code, std::string("region data: cannot read ") + file,
                     reader.error().detail);
  }
  registry_io::CsvRecord record;
  if (!reader->Next(record) || !record.error.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, std::string("region data: no header in ") + file,
                     path);
  }
  std::array<std::size_t, N> position{};
  for (std::size_t c = 0; c < N; ++c) {
    position[c] = record.fields.size();
    for (std::size_t f = 0; f < record.fields.size(); ++f) {
      if (record.fields[f] == columns[c]) position[c] = f;
    }
    if (position[c] == record.fields.size()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string("region data: ") + file + " has no column " + columns[c], path);
    }
  }
  std::array<std::string, N> values;
  while (reader->Next(record)) {
    if (!record.error.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string("region data: ") + file + " line " +
                           std::to_string(record.line) + ": " + record.error,
                       path);
    }
    for (std::size_t c = 0; c < N; ++c) {
      if (position[c] >= record.fields.size()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         std::string("region data: ") + file + " line " +
                             std::to_string(record.line) + ": missing column " + columns[c],
                         path);
      }
      values[c] = record.fields[position[c]];
    }
    if (auto status = row(values); !status.ok()) return status;
  }
  if (reader->io_error()) {
    return MakeError(ErrorCode::kUnavailable, std::string("region data: read error in ") + file,
                     path);
  }
  return {};
}

core::Error UnknownParent(const char* file, const std::string& code) {
  return MakeError(ErrorCode::kInvalidArgument,
                   std::string("region data: ") + file + ": parent of " + code + " not found");
}

template <typename Index>
std::optional<std::uint32_t> Lookup(const Index& index, std::string_view code) {
  const auto it = index.find(std::string(code));
  if (it == index.end()) return std::nullopt;
  return it->second;
}

}  // namespace

core::Result<RegionTree> RegionTree::Load(const std::string& dir) {
  RegionTree tree;
  core::Status status = ReadTable<2>(
      dir, "provinces.csv", {"code", "name"}, [&](const std::array<std::string, 2>& v) {
        tree.province_index_.emplace(v[0], static_cast<std::uint32_t>(tree.provinces_.size()));
        tree.provinces_.push_back(Province{v[0], v[1]});
        return core::Status{};
      });
  if (!status.ok()) return status.error();
  status = ReadTable<3>(dir, "regencies.csv", {"code", "province_code", "name"},
                        [&](const std::array<std::string, 3>& v) -> core::Status {
                          const auto parent = Lookup(tree.province_index_, v[1]);
                          if (!parent) return UnknownParent("regencies.csv", v[0]);
                          const auto self = static_cast<std::uint32_t>(tree.regencies_.size());
                          tree.regency_index_.emplace(v[0], self);
                          tree.regencies_.push_back(Regency{v[0], v[2], *parent, {}});
                          return {};
                        });
  if (!status.ok()) return status.error();
  status = ReadTable<3>(dir, "districts.csv", {"code", "regency_code", "name"},
                        [&](const std::array<std::string, 3>& v) -> core::Status {
                          const auto parent = Lookup(tree.regency_index_, v[1]);
                          if (!parent) return UnknownParent("districts.csv", v[0]);
                          const auto self = static_cast<std::uint32_t>(tree.districts_.size());
                          tree.district_index_.emplace(v[0], self);
                          tree.regencies_[*parent].districts.push_back(self);
                          tree.districts_.push_back(District{v[0], v[2], *parent, {}});
                          return {};
                        });
  if (!status.ok()) return status.error();
  status = ReadTable<3>(dir, "villages.csv", {"code", "district_code", "name"},
                        [&](const std::array<std::string, 3>& v) -> core::Status {
                          const auto parent = Lookup(tree.district_index_, v[1]);
                          if (!parent) return UnknownParent("villages.csv", v[0]);
                          const auto self = static_cast<std::uint32_t>(tree.villages_.size());
                          tree.village_index_.emplace(v[0], self);
                          tree.districts_[*parent].villages.push_back(self);
                          tree.villages_.push_back(Village{v[0], v[2], *parent});
                          return {};
                        });
  if (!status.ok()) return status.error();
  if (tree.provinces_.empty() || tree.villages_.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "region data: empty tables", dir);
  }
  return tree;
}

std::optional<std::uint32_t> RegionTree::FindProvince(std::string_view code) const {
  return Lookup(province_index_, code);
}
std::optional<std::uint32_t> RegionTree::FindRegency(std::string_view code) const {
  return Lookup(regency_index_, code);
}
std::optional<std::uint32_t> RegionTree::FindDistrict(std::string_view code) const {
  return Lookup(district_index_, code);
}
std::optional<std::uint32_t> RegionTree::FindVillage(std::string_view code) const {
  return Lookup(village_index_, code);
}

std::string_view ShortRegencyName(std::string_view name) {
  for (std::string_view prefix : {"Kabupaten ", "Kota ", "Provinsi "}) {
    if (name.starts_with(prefix)) return name.substr(prefix.size());
  }
  return name;
}

}  // namespace satupintu::synth
