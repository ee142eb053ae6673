#include "names.hpp"

#include <array>
#include <span>

#include "names_data.hpp"

namespace satupintu::synth {
namespace {

using names::List;
using names::Lists;

constexpr std::size_t kFlavours = static_cast<std::size_t>(Flavour::kCount);
using Weights = std::array<double, kFlavours>;

// Weights in Flavour order: Jav Sun Bet Bat Min Bug Bal Ace Pap Chi Mal East.
Weights ProvinceWeights(std::string_view province) {
  const int p = province.size() == 2 ? (province[0] - '0') * 10 + (province[1] - '0') : 0;
  switch (p) {
    case 11:
      return {5, 0, 0, 2, 1, 0, 0, 84, 0, 1, 7, 0};
    case 12:
      return {24, 0, 0, 46, 5, 0, 0, 2, 0, 8, 15, 0};
    case 13:
      return {5, 0, 0, 4, 86, 0, 0, 0, 0, 1, 4, 0};
    case 14:
    case 15:
    case 16:
    case 17:
    case 21:
      return {28, 3, 0, 7, 10, 3, 0, 0, 0, 5, 44, 0};
    case 18:
      return {60, 10, 0, 3, 3, 2, 3, 0, 0, 2, 17, 0};
    case 19:
      return {20, 2, 0, 3, 3, 5, 0, 0, 0, 25, 42, 0};
    case 31:
      return {30, 15, 25, 7, 5, 2, 0, 0, 0, 8, 8, 0};
    case 32:
      return {10, 74, 5, 1, 1, 0, 0, 0, 0, 2, 7, 0};
    case 33:
    case 34:
      return {89, 1, 0, 0, 0, 0, 0, 0, 0, 3, 7, 0};
    case 35:
      return {85, 0, 0, 0, 0, 0, 0, 0, 0, 3, 12, 0};
    case 36:
      return {15, 45, 20, 1, 1, 0, 0, 0, 0, 4, 14, 0};
    case 51:
      return {7, 0, 0, 0, 0, 0, 88, 0, 0, 1, 4, 0};
    case 52:
      return {10, 0, 0, 0, 0, 10, 10, 0, 0, 1, 69, 0};
    case 53:
      return {3, 0, 0, 0, 0, 4, 1, 0, 0, 2, 8, 82};
    case 61:
      return {10, 0, 0, 1, 1, 5, 0, 0, 0, 20, 43, 20};
    case 62:
    case 63:
    case 64:
    case 65:
      return {25, 2, 0, 2, 2, 10, 1, 0, 0, 4, 49, 5};
    case 71:
      return {5, 0, 0, 0, 0, 5, 0, 0, 0, 3, 12, 75};
    case 72:
    case 74:
    case 75:
      return {10, 0, 0, 0, 0, 30, 3, 0, 0, 2, 45, 10};
    case 73:
    case 76:
      return {5, 0, 0, 0, 0, 84, 0, 0, 0, 2, 9, 0};
    case 81:
      return {3, 0, 0, 0, 0, 7, 0, 0, 0, 2, 40, 48};
    case 82:
      return {3, 0, 0, 0, 0, 10, 0, 0, 0, 2, 65, 20};
    default:  // 91-97 Papua
      return {12, 1, 0, 1, 1, 8, 1, 0, 66, 2, 5, 3};
  }
}

const Lists& RegionalLists(const Lineage& lineage) {
  switch (lineage.flavour) {
    case Flavour::kJavanese:
      return names::kJavanese;
    case Flavour::kSundanese:
      return names::kSundanese;
    case Flavour::kBetawi:
      return names::kBetawi;
    case Flavour::kBatak:
      return lineage.christian ? names::kBatakChristian : names::kMalay;
    case Flavour::kMinang:
      return names::kMinang;
    case Flavour::kBugis:
      return names::kBugis;
    case Flavour::kBalinese:
      return names::kBalinese;
    case Flavour::kAcehnese:
      return names::kAcehnese;
    case Flavour::kPapuan:
      return names::kPapuan;
    case Flavour::kChinese:
      return names::kChinese;
    case Flavour::kMalay:
      return names::kMalay;
    case Flavour::kEastChristian:
      return names::kEastChristian;
    case Flavour::kCount:
      break;
  }
  return names::kMalay;
}

bool IsChristian(const Lineage& lineage) {
  switch (lineage.flavour) {
    case Flavour::kPapuan:
    case Flavour::kEastChristian:
    case Flavour::kChinese:
      return true;
    case Flavour::kBatak:
      return lineage.christian;
    default:
      return false;
  }
}

bool IsMuslim(const Lineage& lineage) {
  return !IsChristian(lineage) && lineage.flavour != Flavour::kBalinese;
}

void AppendWord(std::string& out, std::string_view word) {
  if (!out.empty()) out.push_back(' ');
  out.append(word);
}

// Spelling variants of the commonest Islamic names, as they appear on ID cards.
void AppendVariant(std::string& out, std::string_view word, bool bugis, Rng& rng) {
  if (word == "Muhammad") {
    static constexpr std::string_view kForms[] = {"Muhammad", "Muhammad", "Muhammad",
                                                  "Muhamad",  "Mohammad", "Mochammad",
                                                  "Moh.",     "M.",       "Mohamad"};
    if (bugis && rng.Chance(0.4)) return AppendWord(out, "Muh.");
    return AppendWord(out, rng.Pick(std::span<const std::string_view>(kForms)));
  }
  if (word == "Ahmad") {
    static constexpr std::string_view kForms[] = {"Ahmad", "Ahmad", "Ahmad", "Achmad", "Akhmad"};
    return AppendWord(out, rng.Pick(std::span<const std::string_view>(kForms)));
  }
  if (word == "Rizki") {
    static constexpr std::string_view kForms[] = {"Rizki", "Rizky", "Risky", "Rizqi", "Rizky"};
    return AppendWord(out, rng.Pick(std::span<const std::string_view>(kForms)));
  }
  if (word == "Siti" && bugis && rng.Chance(0.5)) return AppendWord(out, "Sitti");
  AppendWord(out, word);
}

// Van Ophuijsen / Soewandi spellings kept on older ID cards: Soeharti, Djoko, Tjahjono.
void AppendOldSpelling(std::string& out, std::string_view word) {
  if (!out.empty()) out.push_back(' ');
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    if (c == 'u' && i > 0 && (word[i - 1] == 'S' || word[i - 1] == 's')) {
      out.append("oe");
    } else if (c == 'J' && i == 0) {
      out.append("Dj");
    } else if (c == 'j') {
      out.append("dj");
    } else if (c == 'C' && i == 0) {
      out.append("Tj");
    } else if (c == 'c') {
      out.append("tj");
    } else if (c == 'y' && i > 0 && i + 1 < word.size()) {
      out.push_back('j');
    } else {
      out.push_back(c);
    }
  }
}

}  // namespace

NameMaker::NameMaker(std::string_view province_code, bool is_city) : province_(province_code) {
  const Weights w = ProvinceWeights(province_code);
  weights_.assign(w.begin(), w.end());
  if (is_city) {
    // Cities draw people from everywhere: a share spread over the national mix.
    for (std::size_t i = 0; i < kFlavours; ++i) weights_[i] = weights_[i] * 0.85 + 1.5;
    weights_[static_cast<std::size_t>(Flavour::kJavanese)] += 4;
    weights_[static_cast<std::size_t>(Flavour::kChinese)] += 3;
  }
}

Lineage NameMaker::NewLineage(Rng& rng) const {
  Lineage lineage;
  lineage.flavour = static_cast<Flavour>(rng.Weighted(weights_));
  switch (lineage.flavour) {
    case Flavour::kBatak:
      lineage.christian = rng.Chance(0.7);
      lineage.surname = rng.Pick(lineage.christian ? names::kBatakMarga : names::kBatakMuslimMarga);
      break;
    case Flavour::kChinese:
      lineage.surname = rng.Pick(names::kChineseSurnames);
      break;
    case Flavour::kPapuan:
      lineage.surname = rng.Pick(names::kPapuanClans);
      break;
    case Flavour::kEastChristian:
      if (province_ == "71") {
        lineage.surname = rng.Pick(names::kMinahasaSurnames);
      } else if (province_ == "81" || province_ == "82") {
        lineage.surname = rng.Pick(names::kMalukuSurnames);
      } else {
        lineage.surname = rng.Pick(names::kNttSurnames);
      }
      break;
    case Flavour::kAcehnese:
      lineage.noble = rng.Chance(0.06);
      break;
    case Flavour::kBugis:
      lineage.noble = rng.Chance(0.07);
      break;
    case Flavour::kBalinese:
      lineage.noble = rng.Chance(0.05);
      break;
    default:
      break;
  }
  return lineage;
}

Lineage NameMaker::SpouseLineage(const Lineage& family, Rng& rng) const {
  Lineage lineage = NewLineage(rng);
  // Batak marga are exogamous: a spouse never carries the family's own marga.
  for (int i = 0; i < 4 && family.flavour == Flavour::kBatak &&
                  lineage.flavour == Flavour::kBatak && lineage.surname == family.surname;
       ++i) {
    lineage = NewLineage(rng);
  }
  if (rng.Chance(0.2)) return lineage;
  // Marrying within the community: same flavour and religion, own family name.
  if (lineage.flavour != family.flavour) {
    lineage = family;
    lineage.noble = false;
    switch (family.flavour) {
      case Flavour::kBatak:
        while (lineage.surname == family.surname) {
          lineage.surname =
              rng.Pick(family.christian ? names::kBatakMarga : names::kBatakMuslimMarga);
        }
        break;
      case Flavour::kChinese:
        lineage.surname = rng.Pick(names::kChineseSurnames);
        break;
      case Flavour::kPapuan:
        lineage.surname = rng.Pick(names::kPapuanClans);
        break;
      default:
        break;  // east Christian: wives commonly carry their husband's family name
    }
  }
  return lineage;
}

void NameMaker::Make(const Lineage& lineage, const NameRequest& request, Rng& rng,
                     std::string& out) {
  const bool f = request.female;
  const int year = request.birth_year;
  double modern_share = (year - 1988) / 25.0;
  modern_share = modern_share < 0 ? 0 : (modern_share > 0.75 ? 0.75 : modern_share);
  const bool modern = rng.Chance(modern_share);
  const Lists& regional = RegionalLists(lineage);
  const Lists& lists =
      modern ? (IsChristian(lineage) ? names::kModernChristian : names::kModernMuslim) : regional;
  const List given = f ? lists.female : lists.male;
  const List second = f ? lists.female_second : lists.male_second;
  const bool bugis = lineage.flavour == Flavour::kBugis;
  const bool old_spelling =
      year < 1970 && rng.Chance(0.25) &&
      (lineage.flavour == Flavour::kJavanese || lineage.flavour == Flavour::kSundanese ||
       lineage.flavour == Flavour::kChinese);

  if (lineage.flavour == Flavour::kBalinese) {
    AppendWord(out, f ? "Ni" : "I");
    if (lineage.noble) {
      AppendWord(out, f ? "Gusti Ayu" : (rng.Chance(0.5) ? "Gusti Ngurah" : "Gusti Bagus"));
    } else {
      static constexpr std::string_view kFirst[] = {"Wayan", "Putu", "Gede"};
      static constexpr std::string_view kSecond[] = {"Made", "Kadek", "Nengah"};
      static constexpr std::string_view kThird[] = {"Nyoman", "Komang"};
      switch ((request.birth_order - 1) % 4) {
        case 0:
          if (f) {
            AppendWord(out, rng.Chance(0.3) ? "Luh" : rng.Pick(std::span(kFirst, 2)));
          } else {
            AppendWord(out, rng.Pick(std::span<const std::string_view>(kFirst)));
          }
          break;
        case 1:
          AppendWord(out, rng.Pick(std::span<const std::string_view>(kSecond)));
          break;
        case 2:
          AppendWord(out, rng.Pick(std::span<const std::string_view>(kThird)));
          break;
        default:
          AppendWord(out, "Ketut");
          break;
      }
    }
    AppendWord(out, rng.Pick(f ? names::kBalinese.female : names::kBalinese.male));
    if (rng.Chance(modern ? 0.3 : 0.1)) {
      AppendWord(out, rng.Pick(f ? names::kBalinese.female_second : names::kBalinese.male_second));
    }
    return;
  }

  if (lineage.noble && lineage.flavour == Flavour::kAcehnese) AppendWord(out, f ? "Cut" : "Teuku");
  if (lineage.noble && bugis) AppendWord(out, "Andi");
  if (IsMuslim(lineage) && !lineage.noble) {
    const double islamic = lineage.flavour == Flavour::kAcehnese || bugis ? 0.3 : 0.18;
    if (rng.Chance(islamic)) {
      if (f) {
        AppendVariant(out, rng.Chance(0.65) ? "Siti" : "Nur", bugis, rng);
      } else {
        AppendVariant(out, rng.Chance(0.75) ? "Muhammad" : "Ahmad", bugis, rng);
      }
    }
  }

  const std::string_view first = rng.Pick(given);
  if (old_spelling) {
    AppendOldSpelling(out, first);
  } else {
    AppendVariant(out, first, bugis, rng);
  }
  const bool has_surname = !lineage.surname.empty();
  double second_share = has_surname ? 0.25 : (modern ? 0.65 : 0.45);
  if (lineage.flavour == Flavour::kJavanese && !modern) second_share = 0.3;
  if (rng.Chance(second_share)) {
    const std::string_view word = rng.Pick(second);
    if (word != first) {
      if (old_spelling) {
        AppendOldSpelling(out, word);
      } else {
        AppendWord(out, word);
      }
      if (!has_surname && modern && rng.Chance(0.25)) {
        const std::string_view third = rng.Pick(second);
        if (third != word && third != first) AppendWord(out, third);
      }
    }
  }
  if (has_surname) {
    // Batak women write their marga after "br." (boru).
    if (f && lineage.flavour == Flavour::kBatak && rng.Chance(0.6)) {
      AppendWord(out, rng.Chance(0.7) ? "br." : "Br");
    }
    AppendWord(out, lineage.surname);
  }
}

}  // namespace satupintu::synth
