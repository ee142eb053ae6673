#pragma once
// Street addresses: hamlets (Kp. in West Java and Banten, Dusun in most of the country,
// Banjar in Bali, Jorong in West Sumatra) in a desa, streets in a kelurahan, with RT/RW.
// A village's hamlets and its numbers of RW and RT are derived from (seed, village) so they
// stay the same for every household of the village without being stored.

#include <cstdint>
#include <string>
#include <string_view>

#include "household.hpp"
#include "regions.hpp"
#include "rng.hpp"

namespace satupintu::synth {

class AddressMaker {
 public:
  AddressMaker(std::string_view province_code, std::uint64_t seed);

  // Sets household.street, dusun, rt and rw for a home in `village`.
  void Make(const Village& village, std::uint32_t village_index, Household& household,
            Rng& rng) const;

 private:
  std::string_view hamlet_prefix_;
  int region_;  // which list of hamlet names
  std::uint64_t seed_;
};

}  // namespace satupintu::synth

namespace satupintu::synth {
// Appends "RT 003/RW 005".
void AppendRtRw(std::string& out, int rt, int rw);
}  // namespace satupintu::synth
