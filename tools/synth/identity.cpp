#include "identity.hpp"

#include "date.hpp"

namespace satupintu::synth {
namespace {

constexpr int kBirthRangeDays = 100 * 366;

void WriteSerial(std::uint16_t serial, char* out) {
  out[0] = static_cast<char>('0' + serial / 1000);
  out[1] = static_cast<char>('0' + serial / 100 % 10);
  out[2] = static_cast<char>('0' + serial / 10 % 10);
  out[3] = static_cast<char>('0' + serial % 10);
}

}  // namespace

void WriteAreaDigits(const std::string& district_code, char* out) {
  // "PP.RR.SS"
  out[0] = district_code[0];
  out[1] = district_code[1];
  out[2] = district_code[3];
  out[3] = district_code[4];
  out[4] = district_code[6];
  out[5] = district_code[7];
}

void WriteDdMmYy(int days, int day_offset, char* out) {
  const CivilDate date = CivilFromDays(days);
  const int day = date.day + day_offset;
  out[0] = static_cast<char>('0' + day / 10);
  out[1] = static_cast<char>('0' + day % 10);
  out[2] = static_cast<char>('0' + date.month / 10);
  out[3] = static_cast<char>('0' + date.month % 10);
  out[4] = static_cast<char>('0' + date.year / 10 % 10);
  out[5] = static_cast<char>('0' + date.year % 10);
}

IdentityIssuer::IdentityIssuer(const RegionTree& tree, std::uint32_t regency, int snapshot_days,
                               double moved_share)
    : tree_(tree),
      regency_(tree.regencies()[regency]),
      snapshot_days_(snapshot_days),
      moved_share_(moved_share),
      first_birth_day_(snapshot_days - kBirthRangeDays),
      first_card_day_(DaysFromCivil(CivilDate{2000, 1, 1})) {
  local_slot_.assign(tree.districts().size(), 0);
  for (std::size_t i = 0; i < regency_.districts.size(); ++i) {
    local_slot_[regency_.districts[i]] = static_cast<std::uint32_t>(i + 1);
  }
  const std::size_t slots = regency_.districts.size();
  nik_serials_.assign(slots * static_cast<std::size_t>(kBirthRangeDays + 1) * 2, 0);
  kk_serials_.assign(slots * (static_cast<std::size_t>(snapshot_days - first_card_day_) + 1), 0);
}

std::uint16_t IdentityIssuer::NextSerial(std::uint32_t district, int days, bool female) {
  const std::uint32_t slot = local_slot_[district];
  std::uint16_t* counter;
  if (slot != 0) {
    const auto day = static_cast<std::size_t>(days - first_birth_day_);
    counter = &nik_serials_[((slot - 1) * static_cast<std::size_t>(kBirthRangeDays + 1) + day) * 2 +
                            (female ? 1 : 0)];
  } else {
    const std::uint64_t key = (std::uint64_t{district} << 32) |
                              (static_cast<std::uint64_t>(days - first_birth_day_) << 1) |
                              (female ? 1U : 0U);
    counter = &foreign_serials_[key];
  }
  if (*counter >= 9999) return 0;  // full: the caller issues it elsewhere
  return ++*counter;
}

void IdentityIssuer::IssueNik(std::uint32_t home_district, bool female, int birth_days, Rng& rng,
                              std::array<char, 16>& out) {
  std::uint32_t district = home_district;
  if (rng.Chance(moved_share_)) {
    if (rng.Chance(2.0 / 3.0) && regency_.districts.size() > 1) {
      district = regency_.districts[rng.Index(regency_.districts.size())];
    } else {
      district = static_cast<std::uint32_t>(rng.Index(tree_.districts().size()));
    }
  }
  std::uint16_t serial = NextSerial(district, birth_days, female);
  for (std::size_t i = 0; serial == 0; ++i) {  // 9,999 people of one sex born that day here
    district = regency_.districts[i % regency_.districts.size()];
    serial = NextSerial(district, birth_days, female);
  }
  WriteAreaDigits(tree_.districts()[district].code, out.data());
  WriteDdMmYy(birth_days, female ? 40 : 0, out.data() + 6);
  WriteSerial(serial, out.data() + 12);
}

void IdentityIssuer::IssueKk(std::uint32_t home_district, int card_days,
                             std::array<char, 16>& out) {
  const auto days = static_cast<std::size_t>(snapshot_days_ - first_card_day_) + 1;
  std::uint32_t slot = local_slot_[home_district] - 1;
  std::uint32_t district = home_district;
  int day = card_days;
  // A full day (9,999 cards in one kecamatan) moves the card to the next day.
  while (kk_serials_[slot * days + static_cast<std::size_t>(day - first_card_day_)] >= 9999) {
    day = day < snapshot_days_ ? day + 1 : first_card_day_;
  }
  std::uint16_t& counter =
      kk_serials_[slot * days + static_cast<std::size_t>(day - first_card_day_)];
  ++counter;
  WriteAreaDigits(tree_.districts()[district].code, out.data());
  WriteDdMmYy(day, 0, out.data() + 6);
  WriteSerial(counter, out.data() + 12);
}

}  // namespace satupintu::synth
