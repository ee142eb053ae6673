#pragma once
// Anomalies for import tests: each kind of bad row docs/registry-format.md says the import must
// reject, accept or resolve. The kinds come in turn (each cycle shuffled), so a file with at
// least as many anomalies as kinds has every kind.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "format.hpp"
#include "household.hpp"
#include "options.hpp"
#include "regions.hpp"
#include "rng.hpp"

namespace satupintu::synth {

enum class Anomaly : std::uint8_t {
  kBadNikLength,
  kBadNikProvince,
  kBadNikRegency,
  kBadNikDate,
  kBadNikSerial,
  kBadBirthDate,
  kUnknownVillage,  // canonical
  kUnknownRegion,   // dtks-pipe
  kColumnCount,
  kBadEncoding,
  kCp1252Name,
  kQuotedMultiline,
  kDuplicateNik,
  kEmptyLine,
  kNikPunctuated,
  kRegionTypo,  // dtks-pipe, --typo-rate
  kTruncated,   // --truncate
  kNone,
};

std::string_view AnomalyName(Anomaly kind);
// "rejected", "accepted", "superseded", "skipped" or "accepted-approximate".
std::string_view AnomalyExpected(Anomaly kind);

struct TruthEntry {
  std::uint64_t line = 0;  // physical line of the record's first line; header is line 1
  Anomaly kind = Anomaly::kNone;
  std::string detail;
};

// Lower-case letters and digits only: how the import compares region names.
std::string NormalizeName(std::string_view name);
// True when a and b differ by at most one insertion, deletion, substitution or swap of two
// neighbours (optimal string alignment distance <= 1).
bool WithinOneEdit(std::string_view a, std::string_view b);

class Injector {
 public:
  Injector(const Options& options, const RegionTree& tree, std::uint32_t regency,
           const RowFormatter& formatter);

  // The anomaly for the next record (kNone mostly).
  Anomaly Draw();
  // Makes `fields` (a clean row of `person`) into `kind`; returns the truth detail.
  std::string Apply(Anomaly kind, const Household& household, const Person& person, Fields& fields);
  // dtks-pipe: with --typo-rate, puts a typo in the kecamatan or village name that still
  // resolves to exactly one region. Returns the level, or empty when no typo was made.
  std::string MaybeTypo(const Household& household, Fields& fields);

  Rng& rng() { return rng_; }

 private:
  std::string Typo(std::string_view name, const std::vector<std::string>& siblings,
                   std::string_view self);
  std::string UnknownName(const std::vector<std::string>& siblings);

  const Options& options_;
  const RegionTree& tree_;
  const RowFormatter& formatter_;
  Rng rng_;
  Rng typo_rng_;
  std::vector<Anomaly> kinds_;
  std::size_t next_kind_ = 0;
  std::vector<std::string> bad_provinces_;
  // Normalised names for the typo checks: kecamatan of the regency, villages per kecamatan.
  std::vector<std::string> district_names_;
  std::vector<std::vector<std::string>> village_names_;  // by local kecamatan
  std::vector<std::uint32_t> local_district_;            // district index -> local index
};

}  // namespace satupintu::synth
