#include "format.hpp"

#include <cstring>

#include "address.hpp"
#include "date.hpp"

namespace satupintu::synth {
namespace {

void AppendDigits(std::string& out, int value, int width) {
  char buf[12];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buf, static_cast<std::size_t>(width));
}

void Assign(std::string& field, const std::array<char, 16>& digits) {
  field.assign(digits.data(), digits.size());
}

void AppendRegionName(std::string& out, std::string_view prefix, std::string_view name,
                      bool upper) {
  out.append(prefix);
  if (upper) {
    AppendUpper(out, name);
  } else {
    out.append(name);
  }
}

}  // namespace

void AppendUpper(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 'a' && c <= 'z') {
      out.push_back(static_cast<char>(c - 32));
    } else if (c == 0xC3 && i + 1 < text.size()) {
      // U+00E0..U+00FE (except U+00F7) upper-case to U+00C0..U+00DE.
      const auto next = static_cast<unsigned char>(text[i + 1]);
      out.push_back(text[i]);
      out.push_back(next >= 0xA0 && next <= 0xBE && next != 0xB7 ? static_cast<char>(next - 0x20)
                                                                 : text[i + 1]);
      ++i;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
}

int AppendJoined(std::string& out, const Fields& fields, char separator, std::size_t force_quote) {
  int breaks = 0;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(separator);
    const std::string& f = fields[i];
    bool quote = i == force_quote;
    for (char c : f) {
      if (c == separator || c == '"' || c == '\n' || c == '\r') quote = true;
      if (c == '\n') ++breaks;
    }
    if (!quote) {
      out.append(f);
      continue;
    }
    out.push_back('"');
    for (char c : f) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  }
  return breaks;
}

void AppendDate(std::string& out, int days, DateStyle style) {
  const CivilDate d = CivilFromDays(days);
  if (style == DateStyle::kIso) {
    AppendDigits(out, d.year, 4);
    out.push_back('-');
    AppendDigits(out, d.month, 2);
    out.push_back('-');
    AppendDigits(out, d.day, 2);
    return;
  }
  const char sep = style == DateStyle::kDayFirstDash ? '-' : '/';
  AppendDigits(out, d.day, 2);
  out.push_back(sep);
  AppendDigits(out, d.month, 2);
  out.push_back(sep);
  AppendDigits(out, d.year, 4);
}

RowFormatter::RowFormatter(const Options& options, const RegionTree& tree, std::uint32_t regency)
    : format_(options.format),
      separator_(options.format == Format::kDtksPipe ? '|' : options.separator),
      tree_(tree),
      snapshot_date_(options.snapshot_date) {
  const Regency& r = tree.regencies()[regency];
  regency_digits_ = r.code.substr(0, 2) + r.code.substr(3, 2);
  const Province& p = tree.provinces()[r.province];
  AppendUpper(province_upper_, p.name);
  province_title_ = p.name;
  const std::string_view short_name = ShortRegencyName(r.name);
  const bool city = r.name.starts_with("Kota ");
  std::string upper;
  AppendUpper(upper, short_name);
  if (city) {
    regency_styles_ = {"KOTA " + upper, r.name, "KOTA " + upper};
  } else {
    regency_styles_ = {"KAB. " + upper, "KABUPATEN " + upper, r.name};
  }
}

std::string RowFormatter::Header() const {
  if (format_ == Format::kDtksPipe) return std::string(pipe::kHeaderLine);
  std::string header;
  for (std::size_t i = 0; i < std::size(canonical::kHeader); ++i) {
    if (i > 0) header.push_back(separator_);
    header.append(canonical::kHeader[i]);
  }
  return header;
}

std::size_t RowFormatter::address_column() const {
  return format_ == Format::kDtksPipe ? std::size_t{pipe::kStreet}
                                      : std::size_t{canonical::kAddress};
}
std::size_t RowFormatter::name_column() const {
  return format_ == Format::kDtksPipe ? std::size_t{pipe::kName} : std::size_t{canonical::kName};
}
std::size_t RowFormatter::nik_column() const {
  return format_ == Format::kDtksPipe ? std::size_t{pipe::kNik} : std::size_t{canonical::kNik};
}
std::size_t RowFormatter::birth_date_column() const {
  return format_ == Format::kDtksPipe ? std::size_t{pipe::kBirthDate}
                                      : std::size_t{canonical::kBirthDate};
}

void RowFormatter::Fill(const Household& household, const Person& person, std::uint64_t record,
                        Rng& rng, Fields& fields) const {
  if (format_ == Format::kDtksPipe) {
    FormatPipe(household, person, record, rng, fields);
  } else {
    FormatCanonical(household, person, rng, fields);
  }
}

void RowFormatter::FormatCanonical(const Household& household, const Person& person, Rng& rng,
                                   Fields& fields) const {
  using namespace canonical;
  fields.resize(kColumns);
  for (auto& f : fields) f.clear();
  Assign(fields[kNik], person.nik);
  Assign(fields[kKk], household.kk);
  // A quarter of offices keep the ID card's upper case.
  if (rng.Chance(0.25)) {
    AppendUpper(fields[kName], person.name);
  } else {
    fields[kName] = person.name;
  }
  const double sex_style = rng.Unit();
  if (sex_style < 0.94) {
    fields[kSex] = person.female ? "P" : "L";
  } else if (sex_style < 0.97) {
    fields[kSex] = person.female ? "PEREMPUAN" : "LAKI-LAKI";
  } else {
    fields[kSex] = person.female ? "2" : "1";
  }
  const double date_style = rng.Unit();
  AppendDate(fields[kBirthDate], person.birth_days,
             date_style < 0.92   ? DateStyle::kIso
             : date_style < 0.97 ? DateStyle::kDayFirstDash
                                 : DateStyle::kDayFirstSlash);
  const std::string& code = tree_.villages()[household.village].code;
  if (rng.Chance(0.04)) {
    for (char c : code) {
      if (c != '.') fields[kVillageCode].push_back(c);
    }
  } else {
    fields[kVillageCode] = code;
  }
  fields[kAddress] = household.street;
  fields[kAddress].push_back(' ');
  AppendRtRw(fields[kAddress], household.rt, household.rw);
  fields[kRelationship] = RelationshipName(person.relationship);
  if (household.desil > 0) fields[kDesil] = std::to_string(household.desil);
  fields[kProgrammes] = person.programmes;
  fields[kStatus] = StatusName(person.status);
  fields[kSnapshotDate] = snapshot_date_;
}

void RowFormatter::AppendDistrictName(std::string_view name, int style, std::string& out) {
  switch (style % 4) {
    case 0:
      AppendRegionName(out, "KEC. ", name, true);
      break;
    case 1:
      AppendRegionName(out, "", name, true);
      break;
    case 2:
      AppendRegionName(out, "", name, false);
      break;
    default:
      AppendRegionName(out, "Kecamatan ", name, false);
      break;
  }
}

void RowFormatter::AppendVillageName(const Village& village, std::string_view name, int style,
                                     std::string& out) {
  switch (style % 3) {
    case 0:
      AppendRegionName(out, "", name, true);
      break;
    case 1:
      AppendRegionName(out, "", name, false);
      break;
    default:
      AppendRegionName(out, village.kelurahan() ? "KEL. " : "DESA ", name, true);
      break;
  }
}

void RowFormatter::FormatPipe(const Household& household, const Person& person,
                              std::uint64_t record, Rng& rng, Fields& fields) const {
  using namespace pipe;
  fields.resize(kColumns);
  for (auto& f : fields) f.clear();
  // The style of the office that typed the row: mostly upper case.
  const int style = static_cast<int>(rng.Below(12));
  const bool upper = style < 9;
  fields[kId] = regency_digits_;
  AppendDigits(fields[kId], static_cast<int>(record % 1000000000), 9);
  fields[kProvince] = upper ? province_upper_ : province_title_;
  fields[kRegency] = regency_styles_[static_cast<std::size_t>(style) % regency_styles_.size()];
  const Village& village = tree_.villages()[household.village];
  AppendDistrictName(tree_.districts()[household.district].name, style, fields[kDistrict]);
  AppendVillageName(village, village.name, style, fields[kVillage]);
  AppendRegionName(fields[kStreet], "", household.street, upper);
  AppendRegionName(fields[kDusun], "", household.dusun, upper);
  AppendDigits(fields[kRt], household.rt, 3);
  AppendDigits(fields[kRw], household.rw, 3);
  Assign(fields[kKk], household.kk);
  Assign(fields[kNik], person.nik);
  AppendRegionName(fields[kName], "", person.name, upper || rng.Chance(0.5));
  AppendDate(fields[kBirthDate], person.birth_days,
             rng.Chance(0.7) ? DateStyle::kDayFirstDash : DateStyle::kIso);
  AppendUpper(fields[kBirthPlace], ShortRegencyName(tree_.regencies()[person.birth_place].name));
  fields[kSex] = person.female ? "PEREMPUAN" : "LAKI-LAKI";
  AppendRegionName(fields[kMotherName], "", person.mother_name, upper);
  fields[kRelationship] = RelationshipName(person.relationship);
}

}  // namespace satupintu::synth
