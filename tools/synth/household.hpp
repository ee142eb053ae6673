#pragma once
// One generated family (one KK) and its members, reused from household to household so that
// the steady state allocates nothing.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace satupintu::synth {

// In the order of docs/registry-format.md (the SIKS/BPS codes count from kHead = 1).
enum class Relationship : std::uint8_t {
  kHead,
  kWife,
  kHusband,
  kChild,
  kChildInLaw,
  kGrandchild,
  kParent,
  kParentInLaw,
  kOtherRelative,
};
std::string_view RelationshipName(Relationship relationship);

enum class PersonStatus : std::uint8_t { kActive, kInactive, kDeceased, kMoved };
std::string_view StatusName(PersonStatus status);

struct Person {
  std::string name;         // Title Case
  std::string mother_name;  // nama_ibu_kandung (dtks-pipe only)
  bool female = false;
  int birth_days = 0;  // days since 1970-01-01
  Relationship relationship = Relationship::kHead;
  PersonStatus status = PersonStatus::kActive;
  std::array<char, 16> nik{};
  std::string programmes;         // "PKH:2024-01.. PBI-JK:2023-07.."
  std::uint32_t birth_place = 0;  // regency index
};

struct Household {
  std::uint32_t village = 0;   // index in RegionTree::villages()
  std::uint32_t district = 0;  // index in RegionTree::districts()
  std::array<char, 16> kk{};
  std::string street;  // "Kp. Cibeureum", "Jl. Mawar No. 12"
  std::string dusun;   // hamlet name for the export's dusun column; empty in towns
  int rt = 1;
  int rw = 1;
  int desil = 0;  // 1-10, 0 when not ranked
  std::vector<Person> members;
  std::size_t size = 0;  // members in use (members may hold more, kept for reuse)
};

}  // namespace satupintu::synth
