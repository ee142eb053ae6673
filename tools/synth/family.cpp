#include "family.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "date.hpp"

namespace satupintu::synth {
namespace {

constexpr int kMaxAge = 98;  // NIK years are two digits: keep the century unambiguous
constexpr double kSizeWeights[] = {8, 16, 22, 23, 16, 9, 6};  // 1..7 members

int Clamp(int v, int lo, int hi) { return std::max(lo, std::min(v, hi)); }

// Adult ages, heavier in the middle years.
int HeadAge(Rng& rng, int lo, int hi) {
  return Clamp((rng.Between(lo, hi) + rng.Between(lo, hi)) / 2, lo, hi);
}

}  // namespace

std::string_view RelationshipName(Relationship relationship) {
  switch (relationship) {
    case Relationship::kHead:
      return "kepala keluarga";
    case Relationship::kWife:
      return "istri";
    case Relationship::kHusband:
      return "suami";
    case Relationship::kChild:
      return "anak";
    case Relationship::kChildInLaw:
      return "menantu";
    case Relationship::kGrandchild:
      return "cucu";
    case Relationship::kParent:
      return "orang tua";
    case Relationship::kParentInLaw:
      return "mertua";
    case Relationship::kOtherRelative:
      return "famili lain";
  }
  return "lainnya";
}

std::string_view StatusName(PersonStatus status) {
  switch (status) {
    case PersonStatus::kActive:
      return "aktif";
    case PersonStatus::kInactive:
      return "nonaktif";
    case PersonStatus::kDeceased:
      return "meninggal";
    case PersonStatus::kMoved:
      return "pindah";
  }
  return "aktif";
}

int FamilyBuilder::BirthYear(int birth_days) { return CivilFromDays(birth_days).year; }

Person& FamilyBuilder::Add(Household& household, Relationship relationship, bool female, int age,
                           const Lineage& lineage, int birth_order, Rng& rng) const {
  if (household.members.size() <= household.size) household.members.emplace_back();
  Person& p = household.members[household.size++];
  p.relationship = relationship;
  p.female = female;
  // Born `age` full years before the snapshot: between age+1 years and age years ago.
  p.birth_days = snapshot_days_ - age * 365 - age / 4 - rng.Between(1, 364);
  p.status = PersonStatus::kActive;
  p.programmes.clear();
  p.mother_name.clear();
  p.name.clear();
  NameMaker::Make(lineage, NameRequest{female, BirthYear(p.birth_days), birth_order}, rng, p.name);
  return p;
}

void FamilyBuilder::Build(Household& household, Rng& rng) const {
  household.size = 0;
  const int size = static_cast<int>(rng.Weighted(kSizeWeights)) + 1;
  const Lineage family = names_.NewLineage(rng);

  if (size == 1) {
    const bool elderly = rng.Chance(0.55);
    const int age = elderly ? HeadAge(rng, 58, 92) : HeadAge(rng, 20, 57);
    const bool female = rng.Chance(elderly ? 0.65 : 0.4);
    Add(household, Relationship::kHead, female, age, family, 1, rng);
  } else {
    const bool three_generations = size >= 4 && rng.Chance(0.22);
    const int head_age = three_generations ? HeadAge(rng, 48, 78) : HeadAge(rng, 22, 72);
    const bool head_female = rng.Chance(0.12);
    const bool has_spouse = !head_female && rng.Chance(0.92);
    const int spouse_age = has_spouse ? Clamp(head_age - rng.Between(-3, 9), 17, kMaxAge) : 0;
    int slots = size - 1 - (has_spouse ? 1 : 0);
    const int parents_min = has_spouse ? std::min(head_age, spouse_age) : head_age;
    const Lineage spouse = names_.SpouseLineage(family, rng);

    Add(household, Relationship::kHead, head_female, head_age, family, rng.Between(1, 4), rng);
    const std::size_t head = 0;
    std::size_t wife = household.size;
    if (has_spouse) {
      Add(household, Relationship::kWife, true, spouse_age, spouse, rng.Between(1, 4), rng);
    } else {
      wife = SIZE_MAX;
    }

    // The children's ages, oldest first: at most 30 (or 45 for a married child living at
    // home), at least 17 years younger than both parents.
    std::array<int, 8> child_ages{};
    std::size_t children = 0;
    bool married_child = false;
    if (three_generations && slots >= 2 && parents_min >= 38) {
      married_child = true;
      child_ages[children++] = rng.Between(19, std::min(parents_min - 18, 45));
    }
    int others = 0;
    const bool add_parent =
        slots - (married_child ? 2 : 0) >= 2 && head_age <= 55 && rng.Chance(0.12);
    if (add_parent) ++others;
    const bool add_relative = slots - (married_child ? 2 : 0) - others >= 2 && rng.Chance(0.03);
    if (add_relative) ++others;
    int grandchildren = 0;
    if (married_child) {
      slots -= 2;  // the married child and the in-law
      grandchildren = std::min(slots - others, rng.Between(1, 3));
      if (grandchildren < 0) grandchildren = 0;
      slots -= grandchildren;
    }
    slots -= others;
    int next_max = std::min(parents_min - 17, 30);
    if (married_child) next_max = std::min(next_max, child_ages[0] - 1);
    for (int i = 0; i < slots && next_max >= 0; ++i) {
      const int age = rng.Between(std::max(0, next_max - 6), next_max);
      child_ages[children++] = age;
      next_max = age - rng.Between(1, 5);
    }

    const std::size_t first_child = household.size;
    for (std::size_t i = 0; i < children; ++i) {
      Add(household, Relationship::kChild, rng.Chance(0.49), child_ages[i], family,
          static_cast<int>(i) + 1, rng);
    }
    if (married_child) {
      const Person& child = household.members[first_child];
      const bool in_law_female = !child.female;
      const int child_age = child_ages[0];
      const int in_law_age = Clamp(child_age + rng.Between(-4, 4), 18, kMaxAge);
      const Lineage in_law = names_.SpouseLineage(family, rng);
      Add(household, Relationship::kChildInLaw, in_law_female, in_law_age, in_law, 1, rng);
      const std::size_t in_law_index = household.size - 1;
      const std::size_t mother = in_law_female ? in_law_index : first_child;
      const Lineage& line = in_law_female ? family : in_law;
      int max_age = std::min(child_age, in_law_age) - 18;
      for (int i = 0; i < grandchildren && max_age >= 0; ++i) {
        const int age = rng.Between(std::max(0, max_age - 4), max_age);
        Person& grandchild =
            Add(household, Relationship::kGrandchild, rng.Chance(0.49), age, line, i + 1, rng);
        if (with_mother_names_) grandchild.mother_name = household.members[mother].name;
        max_age = age - rng.Between(1, 4);
      }
    }
    if (add_parent) {
      const bool in_law = has_spouse && rng.Chance(0.4);
      const int base = in_law ? spouse_age : head_age;
      const int age = base + rng.Between(20, 34);
      if (age <= kMaxAge) {
        Add(household, in_law ? Relationship::kParentInLaw : Relationship::kParent,
            rng.Chance(0.62), age, in_law ? spouse : family, rng.Between(1, 3), rng);
      }
    }
    if (add_relative) {
      Add(household, Relationship::kOtherRelative, rng.Chance(0.5), rng.Between(5, 70), family, 1,
          rng);
    }
    if (with_mother_names_) {
      for (std::size_t i = first_child; i < first_child + children; ++i) {
        if (wife != SIZE_MAX) {
          household.members[i].mother_name = household.members[wife].name;
        } else if (household.members[head].female) {
          household.members[i].mother_name = household.members[head].name;
        }
      }
    }
  }
  if (with_mother_names_) {
    // Everyone else: a mother of the previous generation, named in the family's tradition.
    for (std::size_t i = 0; i < household.size; ++i) {
      Person& p = household.members[i];
      if (!p.mother_name.empty()) continue;
      const Lineage mother = names_.SpouseLineage(family, rng);
      NameMaker::Make(mother, NameRequest{true, BirthYear(p.birth_days) - 25, 1}, rng,
                      p.mother_name);
    }
  }
}

}  // namespace satupintu::synth
