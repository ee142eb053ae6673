#pragma once
// NIK and No. KK as DOMAIN.md "Identity numbers" describes them.
//   NIK: PP RR SS (kecamatan of issue) DDMMYY (birth, day + 40 for women) NNNN (serial)
//   KK:  PP RR SS (kecamatan of the family)  DDMMYY (card data entered)      NNNN (serial)
// Serials count from 0001 per (kecamatan of issue, date, sex) for NIK and per (kecamatan, date)
// for KK, so two people never share a number.

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "regions.hpp"
#include "rng.hpp"

namespace satupintu::synth {

class IdentityIssuer {
 public:
  // `moved_share`: people whose NIK was issued in another kecamatan (2/3 of them) or another
  // regency (1/3), as after moving house.
  IdentityIssuer(const RegionTree& tree, std::uint32_t regency, int snapshot_days,
                 double moved_share);

  void IssueNik(std::uint32_t home_district, bool female, int birth_days, Rng& rng,
                std::array<char, 16>& out);
  void IssueKk(std::uint32_t home_district, int card_days, std::array<char, 16>& out);

  // The earliest day a KK card can carry.
  int first_card_day() const { return first_card_day_; }

 private:
  std::uint16_t NextSerial(std::uint32_t district, int days, bool female);

  const RegionTree& tree_;
  const Regency& regency_;
  int snapshot_days_;
  double moved_share_;
  int first_birth_day_;
  int first_card_day_;
  std::vector<std::uint32_t> local_slot_;   // district index -> slot + 1 (0: not in the regency)
  std::vector<std::uint16_t> nik_serials_;  // [slot][birth day][sex]
  std::vector<std::uint16_t> kk_serials_;   // [slot][card day]
  std::unordered_map<std::uint64_t, std::uint16_t> foreign_serials_;  // other regencies
};

// Writes the six digits of "32.01.01" to out[0..6).
void WriteAreaDigits(const std::string& district_code, char* out);
// Writes DDMMYY of `days` to out[0..6), adding `day_offset` to the day.
void WriteDdMmYy(int days, int day_offset, char* out);

}  // namespace satupintu::synth
