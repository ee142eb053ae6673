#include "dirty.hpp"

#include <algorithm>
#include <span>

#include "date.hpp"

namespace satupintu::synth {
namespace {

// Names with Windows-1252 bytes (0x92 right single quote, 0xE9 e acute): valid 1252, never
// valid UTF-8. As a spreadsheet on a Windows PC writes Ma'ruf.
constexpr std::string_view kCp1252Male[] = {"Ma\x92ruf",
                                            "Jum\x92"
                                            "at",
                                            "Andr\xE9", "Ma\x92mun"};
constexpr std::string_view kCp1252Female[] = {
    "Sa\x92"
    "adah",
    "Mu\x92minah",
    "Ren\xE9"
    "e",
    "Nu\x92"
    "aimah"};
constexpr std::string_view kSuffixes[] = {"Jaya", "Baru", "Indah", "Makmur", "Permai", "Lestari"};
constexpr std::string_view kPlaces[] = {"Sukamakmur", "Tirtaraharja", "Mekarwangi", "Karyasari",
                                        "Pasirluhur", "Banjarsari",   "Margaluyu",  "Wonokerto"};

void ReplaceFirstWord(std::string& name, std::string_view word) {
  const std::size_t space = name.find(' ');
  name.replace(0, space == std::string::npos ? name.size() : space, word);
}

bool IsUpper(const std::string& s) {
  return std::none_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

}  // namespace

std::string_view AnomalyName(Anomaly kind) {
  switch (kind) {
    case Anomaly::kBadNikLength:
      return "bad_nik_length";
    case Anomaly::kBadNikProvince:
      return "bad_nik_province";
    case Anomaly::kBadNikRegency:
      return "bad_nik_regency";
    case Anomaly::kBadNikDate:
      return "bad_nik_date";
    case Anomaly::kBadNikSerial:
      return "bad_nik_serial";
    case Anomaly::kBadBirthDate:
      return "bad_birth_date";
    case Anomaly::kUnknownVillage:
      return "unknown_village";
    case Anomaly::kUnknownRegion:
      return "unknown_region";
    case Anomaly::kColumnCount:
      return "column_count";
    case Anomaly::kBadEncoding:
      return "bad_encoding";
    case Anomaly::kCp1252Name:
      return "cp1252_name";
    case Anomaly::kQuotedMultiline:
      return "quoted_multiline";
    case Anomaly::kDuplicateNik:
      return "duplicate_nik";
    case Anomaly::kEmptyLine:
      return "empty_line";
    case Anomaly::kNikPunctuated:
      return "nik_punctuated";
    case Anomaly::kRegionTypo:
      return "region_typo";
    case Anomaly::kTruncated:
      return "truncated";
    case Anomaly::kNone:
      break;
  }
  return "none";
}

std::string_view AnomalyExpected(Anomaly kind) {
  switch (kind) {
    case Anomaly::kCp1252Name:
    case Anomaly::kQuotedMultiline:
    case Anomaly::kNikPunctuated:
      return "accepted";
    case Anomaly::kDuplicateNik:
      return "superseded";
    case Anomaly::kEmptyLine:
      return "skipped";
    case Anomaly::kRegionTypo:
      return "accepted-approximate";
    default:
      return "rejected";
  }
}

std::string NormalizeName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c + 32));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    }
  }
  return out;
}

bool WithinOneEdit(std::string_view a, std::string_view b) {
  if (a.size() < b.size()) std::swap(a, b);
  if (a.size() - b.size() > 1) return false;
  std::size_t i = 0;
  while (i < b.size() && a[i] == b[i]) ++i;
  if (i == b.size()) return true;
  if (a.size() == b.size()) {
    if (a.substr(i + 1) == b.substr(i + 1)) return true;  // substitution
    // Two neighbours swapped: one typo for an optimal-string-alignment distance.
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           a.substr(i + 2) == b.substr(i + 2);
  }
  return a.substr(i + 1) == b.substr(i);  // deletion from a
}

Injector::Injector(const Options& options, const RegionTree& tree, std::uint32_t regency,
                   const RowFormatter& formatter)
    : options_(options),
      tree_(tree),
      formatter_(formatter),
      rng_(Mix(options.seed, 1)),
      typo_rng_(Mix(options.seed, 2)) {
  for (int k = 0; k < static_cast<int>(Anomaly::kRegionTypo); ++k) {
    const auto kind = static_cast<Anomaly>(k);
    if (kind == Anomaly::kUnknownVillage && options.format != Format::kCanonical) continue;
    if (kind == Anomaly::kUnknownRegion && options.format != Format::kDtksPipe) continue;
    kinds_.push_back(kind);
  }
  for (int p = 0; p <= 99; ++p) {
    std::string code{static_cast<char>('0' + p / 10), static_cast<char>('0' + p % 10)};
    if (!tree.FindProvince(code)) bad_provinces_.push_back(code);
  }
  const Regency& r = tree.regencies()[regency];
  local_district_.assign(tree.districts().size(), UINT32_MAX);
  for (std::size_t i = 0; i < r.districts.size(); ++i) {
    const District& d = tree.districts()[r.districts[i]];
    local_district_[r.districts[i]] = static_cast<std::uint32_t>(i);
    district_names_.push_back(NormalizeName(d.name));
    auto& names = village_names_.emplace_back();
    for (std::uint32_t v : d.villages) names.push_back(NormalizeName(tree.villages()[v].name));
  }
}

Anomaly Injector::Draw() {
  if (options_.dirty <= 0 || !rng_.Chance(options_.dirty)) return Anomaly::kNone;
  if (next_kind_ % kinds_.size() == 0) {
    // A new cycle: every kind once, in a fresh order.
    for (std::size_t i = kinds_.size(); i > 1; --i) std::swap(kinds_[i - 1], kinds_[rng_.Index(i)]);
  }
  return kinds_[next_kind_++ % kinds_.size()];
}

std::string Injector::Apply(Anomaly kind, const Household& household, const Person& person,
                            Fields& fields) {
  std::string& nik = fields[formatter_.nik_column()];
  std::string& name = fields[formatter_.name_column()];
  switch (kind) {
    case Anomaly::kBadNikLength:
      if (rng_.Chance(0.5)) {
        nik.pop_back();
        return "15 digits";
      }
      nik.push_back(static_cast<char>('0' + rng_.Below(10)));
      return "17 digits";
    case Anomaly::kBadNikProvince: {
      const std::string& code = bad_provinces_[rng_.Index(bad_provinces_.size())];
      nik.replace(0, 2, code);
      return "province " + code;
    }
    case Anomaly::kBadNikRegency: {
      const std::string_view code = rng_.Chance(0.5) ? "00" : "70";
      nik.replace(2, 2, code);
      return "regency " + std::string(code);
    }
    case Anomaly::kBadNikDate: {
      static constexpr std::string_view kDates[] = {"3102", "3002", "3104", "3113", "0013"};
      std::string ddmm(kDates[rng_.Index(std::size(kDates))]);
      if (person.female) ddmm[0] = static_cast<char>(ddmm[0] + 4);  // day + 40
      nik.replace(6, 4, ddmm);
      return "ddmm " + ddmm;
    }
    case Anomaly::kBadNikSerial:
      nik.replace(12, 4, "0000");
      return "serial 0000";
    case Anomaly::kBadBirthDate: {
      std::string& date = fields[formatter_.birth_date_column()];
      const CivilDate birth = CivilFromDays(person.birth_days);
      const int year = birth.year % 4 == 0 ? birth.year + 1 : birth.year;  // not a leap year
      date.clear();
      switch (rng_.Below(4)) {
        case 0:
          date = std::to_string(year) + "-02-30";
          break;
        case 1:
          date = std::to_string(year) + "-02-29";
          break;
        case 2:
          date = std::to_string(birth.year) + "-13-01";
          break;
        default:
          date = std::to_string(CivilFromDays(person.birth_days).year + 120) + "-01-15";
          break;
      }
      return date;
    }
    case Anomaly::kUnknownVillage: {
      std::string& code = fields[canonical::kVillageCode];
      const std::string& district = tree_.districts()[household.district].code;
      for (int n = 999;; --n) {
        code = district + ".2" + std::to_string(n);
        if (!tree_.FindVillage(code)) break;
      }
      return code;
    }
    case Anomaly::kUnknownRegion: {
      const std::uint32_t local = local_district_[household.district];
      std::string& field = fields[rng_.Chance(0.7) ? pipe::kVillage : pipe::kDistrict];
      const bool village = &field == &fields[pipe::kVillage];
      const std::string made_up = UnknownName(village ? village_names_[local] : district_names_);
      field.clear();
      if (village) {
        RowFormatter::AppendVillageName(tree_.villages()[household.village], made_up,
                                        static_cast<int>(rng_.Below(3)), field);
      } else {
        RowFormatter::AppendDistrictName(made_up, static_cast<int>(rng_.Below(4)), field);
      }
      return village ? "desa_kelurahan" : "kecamatan";
    }
    case Anomaly::kColumnCount:
      if (rng_.Chance(0.5)) {
        fields.pop_back();
      } else {
        fields.emplace_back();
      }
      return std::to_string(fields.size()) + " columns";
    case Anomaly::kBadEncoding:
      name.insert(1, "\x81");
      return "byte 0x81 in name";
    case Anomaly::kCp1252Name: {
      const auto list = person.female ? std::span<const std::string_view>(kCp1252Female)
                                      : std::span<const std::string_view>(kCp1252Male);
      std::string word(list[rng_.Index(list.size())]);
      if (IsUpper(name)) {
        for (char& c : word) {
          if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
          if (c == '\xE9') c = '\xC9';
        }
      }
      ReplaceFirstWord(name, word);
      return "windows-1252 name";
    }
    case Anomaly::kQuotedMultiline: {
      std::string& address = fields[formatter_.address_column()];
      address.push_back(formatter_.separator());
      address.append(" belakang masjid\ndekat pos ronda");
      return "separator and line break in address";
    }
    case Anomaly::kNikPunctuated: {
      const std::string digits = nik;
      switch (rng_.Below(3)) {
        case 0:
          nik = digits.substr(0, 4) + "." + digits.substr(4, 4) + "." + digits.substr(8, 4) + "." +
                digits.substr(12);
          break;
        case 1:
          nik = digits.substr(0, 4) + " " + digits.substr(4, 4) + " " + digits.substr(8, 4) + " " +
                digits.substr(12);
          break;
        default:
          nik = digits.substr(0, 6) + "-" + digits.substr(6, 6) + "-" + digits.substr(12);
      }
      return "NIK with separators";
    }
    default:
      return {};
  }
}

std::string Injector::UnknownName(const std::vector<std::string>& siblings) {
  for (int attempt = 0;; ++attempt) {
    std::string name(kPlaces[rng_.Index(std::size(kPlaces))]);
    name.push_back(' ');
    name.append(kSuffixes[rng_.Index(std::size(kSuffixes))]);
    if (attempt > 20) name += " " + std::to_string(attempt);
    const std::string norm = NormalizeName(name);
    if (std::none_of(siblings.begin(), siblings.end(),
                     [&](const std::string& s) { return WithinOneEdit(norm, s); })) {
      return name;
    }
  }
}

std::string Injector::Typo(std::string_view name, const std::vector<std::string>& siblings,
                           std::string_view self) {
  std::vector<std::size_t> letters;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) letters.push_back(i);
  }
  if (letters.size() < 5) return {};
  for (int attempt = 0; attempt < 6; ++attempt) {
    std::string typo(name);
    const std::size_t at = letters[1 + typo_rng_.Index(letters.size() - 1)];
    const char original = typo[at];
    const bool upper = original >= 'A' && original <= 'Z';
    char replacement = static_cast<char>('a' + typo_rng_.Below(26));
    if (upper) replacement = static_cast<char>(replacement - 32);
    switch (typo_rng_.Below(3)) {
      case 0:
        typo.erase(at, 1);
        break;  // a letter missed
      case 1:
        typo.insert(at, 1, original);
        break;  // a letter doubled
      default:
        if (replacement == original) continue;
        typo[at] = replacement;  // a wrong letter
        break;
    }
    const std::string norm = NormalizeName(typo);
    if (norm == self) continue;
    // Unique within one edit: only the intended region may be that close.
    const bool clash = std::any_of(siblings.begin(), siblings.end(), [&](const std::string& s) {
      return s != self && WithinOneEdit(norm, s);
    });
    if (!clash) return typo;
  }
  return {};
}

std::string Injector::MaybeTypo(const Household& household, Fields& fields) {
  if (options_.typo_rate <= 0 || !typo_rng_.Chance(options_.typo_rate)) return {};
  const std::uint32_t local = local_district_[household.district];
  const bool village = typo_rng_.Chance(0.7);
  const Village& v = tree_.villages()[household.village];
  const std::string_view name = village
                                    ? std::string_view(v.name)
                                    : std::string_view(tree_.districts()[household.district].name);
  const std::string self = NormalizeName(name);
  const std::string typo = Typo(name, village ? village_names_[local] : district_names_, self);
  if (typo.empty()) return {};
  std::string& field = fields[village ? pipe::kVillage : pipe::kDistrict];
  field.clear();
  const int style = static_cast<int>(typo_rng_.Below(12));
  if (village) {
    RowFormatter::AppendVillageName(v, typo, style, field);
  } else {
    RowFormatter::AppendDistrictName(typo, style, field);
  }
  return village ? "desa_kelurahan" : "kecamatan";
}

}  // namespace satupintu::synth
