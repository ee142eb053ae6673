#pragma once
// The people of a household: composition (1-7 members), relationships, sexes, birth dates
// that make sense (children at least 17 years younger than their parents, grandchildren than
// theirs) and names from the family's lineage.

#include "household.hpp"
#include "names.hpp"
#include "rng.hpp"

namespace satupintu::synth {

class FamilyBuilder {
 public:
  FamilyBuilder(const NameMaker& names, int snapshot_days, bool with_mother_names)
      : names_(names), snapshot_days_(snapshot_days), with_mother_names_(with_mother_names) {}

  // Fills household.members[0, household.size) (head first). Names, sexes, birth dates and
  // relationships only: identity numbers and welfare data are set by others.
  void Build(Household& household, Rng& rng) const;

 private:
  Person& Add(Household& household, Relationship relationship, bool female, int age,
              const Lineage& lineage, int birth_order, Rng& rng) const;
  static int BirthYear(int birth_days);

  const NameMaker& names_;
  int snapshot_days_;
  bool with_mother_names_;
};

}  // namespace satupintu::synth
