#pragma once
// Turns a person of a household into the fields of one row, canonical or dtks-pipe, and
// fields into a line (RFC 4180 quoting). The spread of spellings a real extract has (upper-case
// names, day-first dates, "KAB. BOGOR", 10-digit village codes) is drawn here.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "household.hpp"
#include "options.hpp"
#include "regions.hpp"
#include "rng.hpp"

namespace satupintu::synth {

namespace canonical {
enum Column : std::uint8_t {
  kNik,
  kKk,
  kName,
  kSex,
  kBirthDate,
  kVillageCode,
  kAddress,
  kRelationship,
  kDesil,
  kProgrammes,
  kStatus,
  kSnapshotDate,
  kColumns
};
inline constexpr std::string_view kHeader[] = {
    "nik",     "kk",           "name",  "sex",        "birth_date", "village_code",
    "address", "relationship", "desil", "programmes", "status",     "snapshot_date"};
}  // namespace canonical

namespace pipe {
enum Column : std::uint8_t {
  kId,
  kProvince,
  kRegency,
  kDistrict,
  kVillage,
  kStreet,
  kDusun,
  kRt,
  kRw,
  kKk,
  kNik,
  kName,
  kBirthDate,
  kBirthPlace,
  kSex,
  kMotherName,
  kRelationship,
  kColumns
};
inline constexpr std::string_view kHeaderLine =
    "IDDTKS|provinsi|kabupaten_kota|kecamatan|desa_kelurahan|alamat|dusun|rt|rw|nomor_kk|"
    "nomor_nik|nama|tanggal_lahir|tempat_lahir|jenis_kelamin|nama_ibu_kandung|hubungan_keluarga";
}  // namespace pipe

using Fields = std::vector<std::string>;

class RowFormatter {
 public:
  RowFormatter(const Options& options, const RegionTree& tree, std::uint32_t regency);

  std::string Header() const;
  char separator() const { return separator_; }
  // The field holding the street address (quoted field tests, truncation).
  std::size_t address_column() const;
  std::size_t name_column() const;
  std::size_t nik_column() const;
  std::size_t birth_date_column() const;

  void Fill(const Household& household, const Person& person, std::uint64_t record, Rng& rng,
            Fields& fields) const;

  // Region names as the export writes them (dtks-pipe), in one of its styles.
  static void AppendDistrictName(std::string_view name, int style, std::string& out);
  static void AppendVillageName(const Village& village, std::string_view name, int style,
                                std::string& out);

 private:
  void FormatCanonical(const Household& household, const Person& person, Rng& rng,
                       Fields& fields) const;
  void FormatPipe(const Household& household, const Person& person, std::uint64_t record, Rng& rng,
                  Fields& fields) const;

  Format format_;
  char separator_;
  const RegionTree& tree_;
  std::string snapshot_date_;
  std::string regency_digits_;
  std::string province_upper_, province_title_;
  std::vector<std::string> regency_styles_;
};

// Appends `text` upper-cased (ASCII and the Latin-1 letters of UTF-8).
void AppendUpper(std::string& out, std::string_view text);
// Appends the fields joined by `separator`, quoting those that need it (or all of
// `force_quote`), and returns how many line breaks the joined row contains.
int AppendJoined(std::string& out, const Fields& fields, char separator,
                 std::size_t force_quote = SIZE_MAX);
// YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY.
enum class DateStyle : std::uint8_t { kIso, kDayFirstDash, kDayFirstSlash };
void AppendDate(std::string& out, int days, DateStyle style);

}  // namespace satupintu::synth
