#pragma once
// The Kemendagri region tree (provinces, regencies/cities, kecamatan, villages) as shipped by
// the npm package idn-area-data: provinces.csv (code,name), regencies.csv
// (code,province_code,name), districts.csv (code,regency_code,name), villages.csv
// (code,district_code,name). Read with the project's CSV reader.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"

namespace satupintu::synth {

struct Province {
  std::string code;  // "32"
  std::string name;  // "Jawa Barat"
};

struct Regency {
  std::string code;  // "32.01"
  std::string name;  // "Kabupaten Bogor"
  std::uint32_t province = 0;
  std::vector<std::uint32_t> districts;
};

struct District {
  std::string code;  // "32.01.01"
  std::string name;  // "Cibinong"
  std::uint32_t regency = 0;
  std::vector<std::uint32_t> villages;
};

struct Village {
  std::string code;  // "32.01.01.2001"
  std::string name;
  std::uint32_t district = 0;
  bool kelurahan() const { return code.size() > 9 && code[9] == '1'; }
};

class RegionTree {
 public:
  // Reads the four files of `dir`. Fails when one is missing, unreadable or malformed, or when
  // a row names a parent that does not exist.
  static core::Result<RegionTree> Load(const std::string& dir);

  const std::vector<Province>& provinces() const { return provinces_; }
  const std::vector<Regency>& regencies() const { return regencies_; }
  const std::vector<District>& districts() const { return districts_; }
  const std::vector<Village>& villages() const { return villages_; }

  std::optional<std::uint32_t> FindProvince(std::string_view code) const;
  std::optional<std::uint32_t> FindRegency(std::string_view code) const;
  std::optional<std::uint32_t> FindDistrict(std::string_view code) const;
  std::optional<std::uint32_t> FindVillage(std::string_view code) const;

 private:
  std::vector<Province> provinces_;
  std::vector<Regency> regencies_;
  std::vector<District> districts_;
  std::vector<Village> villages_;
  std::unordered_map<std::string, std::uint32_t> province_index_;
  std::unordered_map<std::string, std::uint32_t> regency_index_;
  std::unordered_map<std::string, std::uint32_t> district_index_;
  std::unordered_map<std::string, std::uint32_t> village_index_;
};

// The name without its administrative prefix: "Kabupaten Bogor" -> "Bogor",
// "Kota Bogor" -> "Bogor", "Provinsi ..." -> "...".
std::string_view ShortRegencyName(std::string_view name);

}  // namespace satupintu::synth
