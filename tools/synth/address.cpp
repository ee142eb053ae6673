#include "address.hpp"

#include <span>
#include <string>

namespace satupintu::synth {
namespace {

using Names = std::span<const std::string_view>;

// clang-format off
constexpr std::string_view kSundaHamlets[] = {
  "Cibeureum", "Cikaret", "Cijeruk", "Cisarua", "Cimanggu", "Citayam", "Babakan", "Sukamaju",
  "Pasir Angin", "Leuwiliang", "Bojong", "Pondok", "Kebon Kopi", "Tegal", "Rawa Denok",
  "Ciherang", "Cilember", "Sindangsari", "Gunung Leutik", "Lebak", "Cibodas", "Sukajadi",
  "Pasir Muncang", "Kadu", "Neglasari", "Cipeucang", "Warung Loa", "Tanjakan", "Lewi Sadeng",
  "Parung", "Cileungsi Hilir", "Sawah Baru", "Jati", "Curug"};
constexpr std::string_view kJavaHamlets[] = {
  "Krajan", "Kidul", "Lor", "Wetan", "Kulon", "Ngasem", "Karanganyar", "Sidomulyo", "Sumberrejo",
  "Jati", "Tegalsari", "Ngemplak", "Kauman", "Gondang", "Bendo", "Pucung", "Sumbersari",
  "Karangrejo", "Jetis", "Banaran", "Ngrandu", "Dukuh", "Plosorejo", "Sambirejo", "Mojosari",
  "Kedungsari", "Tanjungsari", "Glagah", "Bulu", "Klampok"};
constexpr std::string_view kBaliHamlets[] = {
  "Banjar Kaja", "Banjar Kelod", "Banjar Kangin", "Banjar Kauh", "Banjar Tengah", "Banjar Anyar",
  "Banjar Dangin Peken", "Banjar Dauh Peken", "Banjar Pande", "Banjar Sari"};
constexpr std::string_view kGenericHamlets[] = {
  "Sukamaju", "Sukarame", "Mekarsari", "Sidomulyo", "Tanjung", "Pasar", "Kampung Baru",
  "Sungai Baru", "Simpang Tiga", "Padang", "Lubuk", "Air Hitam", "Bukit Indah", "Suka Damai",
  "Karya Bakti", "Harapan Jaya", "Mulya Sari", "Tanjung Harapan", "Teluk", "Muara", "Talang",
  "Kampung Tengah", "Lorong Masjid", "Pulau Baru", "Batu Putih", "Sumber Makmur"};
constexpr std::string_view kStreets[] = {
  "Mawar", "Melati", "Merdeka", "Pahlawan", "Diponegoro", "Sudirman", "Kartini", "Flamboyan",
  "Kenanga", "Anggrek", "Cempaka", "Masjid", "Pembangunan", "Veteran", "Gatot Subroto",
  "Ahmad Yani", "Pemuda", "Kamboja", "Dahlia", "Nusantara", "Pramuka", "Raya", "Cendana",
  "Kutilang", "Cemara", "Sukun", "Mangga", "Rambutan", "Durian", "Kelapa Dua"};
// clang-format on

Names HamletList(int region) {
  switch (region) {
    case 0:
      return kSundaHamlets;
    case 1:
      return kJavaHamlets;
    case 2:
      return kBaliHamlets;
    default:
      return kGenericHamlets;
  }
}

void AppendPadded3(std::string& out, int n) {
  out.push_back(static_cast<char>('0' + n / 100 % 10));
  out.push_back(static_cast<char>('0' + n / 10 % 10));
  out.push_back(static_cast<char>('0' + n % 10));
}

}  // namespace

AddressMaker::AddressMaker(std::string_view province_code, std::uint64_t seed) : seed_(seed) {
  if (province_code == "32" || province_code == "36") {
    hamlet_prefix_ = "Kp.";
    region_ = 0;
  } else if (province_code == "33" || province_code == "34" || province_code == "35") {
    hamlet_prefix_ = "Dusun";
    region_ = 1;
  } else if (province_code == "51") {
    hamlet_prefix_ = "";  // the list already says "Banjar ..."
    region_ = 2;
  } else if (province_code == "13") {
    hamlet_prefix_ = "Jorong";
    region_ = 3;
  } else {
    hamlet_prefix_ = "Dusun";
    region_ = 3;
  }
}

void AddressMaker::Make(const Village& village, std::uint32_t village_index, Household& household,
                        Rng& rng) const {
  const std::uint64_t h = Mix(seed_, village_index);
  const int hamlets = 2 + static_cast<int>(h % 6);
  const int rw_per_hamlet = 1 + static_cast<int>((h >> 8) % 3);
  const int rt_per_rw = 3 + static_cast<int>((h >> 16) % 8);
  const int hamlet = rng.Between(0, hamlets - 1);
  household.rw = hamlet * rw_per_hamlet + rng.Between(1, rw_per_hamlet);
  household.rt = rng.Between(1, rt_per_rw);
  household.street.clear();
  household.dusun.clear();
  if (village.kelurahan()) {
    const std::uint64_t s = Mix(h, static_cast<std::uint64_t>(hamlet));
    household.street.append(rng.Chance(0.3) ? "Gg. " : "Jl. ");
    const std::string_view street = kStreets[s % std::size(kStreets)];
    household.street.append(street);
    if (street == "Raya") {
      household.street.push_back(' ');
      household.street.append(village.name);
    }
    household.street.append(" No. ");
    household.street.append(std::to_string(rng.Between(1, 150)));
    return;
  }
  const Names list = HamletList(region_);
  const std::string_view name =
      list[Mix(h, static_cast<std::uint64_t>(hamlet) + 100) % list.size()];
  household.dusun.assign(name);
  if (!hamlet_prefix_.empty()) {
    household.street.append(hamlet_prefix_);
    household.street.push_back(' ');
  }
  household.street.append(name);
}

// "RT 003/RW 005"
void AppendRtRw(std::string& out, int rt, int rw) {
  out.append("RT ");
  AppendPadded3(out, rt);
  out.append("/RW ");
  AppendPadded3(out, rw);
}

}  // namespace satupintu::synth
