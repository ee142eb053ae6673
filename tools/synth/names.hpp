#pragma once
// Indonesian personal names with regional flavour. The flavour mix is chosen by the province
// of the regency; a household shares a flavour and, where the culture has one, a family name
// (Batak marga, Chinese-Indonesian surname, Papuan clan name, eastern Indonesian surnames).
// The lists are written for this tool from common public knowledge of naming customs.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rng.hpp"

namespace satupintu::synth {

enum class Flavour : std::uint8_t {
  kJavanese,
  kSundanese,
  kBetawi,
  kBatak,
  kMinang,
  kBugis,
  kBalinese,
  kAcehnese,
  kPapuan,
  kChinese,
  kMalay,          // common Islamic / Malay names (Sumatra, Kalimantan, the coasts)
  kEastChristian,  // NTT, Minahasa, Maluku
  kCount,
};

// What the members of one family line share.
struct Lineage {
  Flavour flavour = Flavour::kJavanese;
  std::string_view surname;  // empty for cultures without family names
  bool christian = false;    // Batak: Christian or Muslim given names
  bool noble = false;        // Teuku/Cut (Aceh), Andi (Bugis), Gusti (Bali)
};

struct NameRequest {
  bool female = false;
  int birth_year = 1980;
  int birth_order = 1;  // Balinese birth-order names
};

class NameMaker {
 public:
  // `province_code` like "32"; `is_city` for kota (more mixed population).
  NameMaker(std::string_view province_code, bool is_city);

  Lineage NewLineage(Rng& rng) const;
  // A lineage for someone marrying into the family: mostly the same flavour.
  Lineage SpouseLineage(const Lineage& family, Rng& rng) const;
  // Appends the name (Title Case, ASCII or UTF-8) to `out`.
  static void Make(const Lineage& lineage, const NameRequest& request, Rng& rng, std::string& out);

 private:
  std::vector<double> weights_;  // per Flavour
  std::string province_;
};

}  // namespace satupintu::synth
