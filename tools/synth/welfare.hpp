#pragma once
// Registry data of a household: DTSEN desil (skewed toward the poor deciles), programme
// memberships following the usual cut-offs (DOMAIN.md: PKH desil 1-4, BPNT/Sembako and PBI-JK
// desil 1-5, BLT-DD for few and only in desa, PIP for school-age children) with their periods,
// and each member's status.

#include "household.hpp"
#include "rng.hpp"

namespace satupintu::synth {

class WelfareAssigner {
 public:
  explicit WelfareAssigner(int snapshot_days);

  // `desa`: the village is a desa (BLT-DD comes from the village fund, kelurahan have none).
  void Assign(Household& household, bool desa, Rng& rng) const;

 private:
  int snapshot_days_;
  int snapshot_month_;  // months since year 0
};

}  // namespace satupintu::synth
