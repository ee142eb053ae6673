#pragma once
// What the registry said of a ticket's NIK when the ticket was opened, kept beside it (the
// ticket's registry_snapshot column) without the NIK or the name: for the facilitator's verify
// step, never shown to the citizen. The ticket's own name and birth date are what the citizen
// typed; whether that name matches the record is `name_check`. This file is the column's one
// writer; the API reads the JSON object back as it is.

#include <string>
#include <vector>

namespace satupintu::tickets {

struct RegistrySnapshot {
  std::string snapshot_date;  // of the registry extract in force
  bool found = false;         // the NIK is in it
  std::string status;         // when found: "aktif", ...
  int desil = 0;
  std::string village_code;
  struct Programme {
    std::string code;
    std::string from;  // YYYY-MM
    std::string to;    // YYYY-MM; empty while it runs
  };
  std::vector<Programme> programmes;
  // The name the citizen typed against the record's, by the citizen check's rule
  // (registry.name_match_percent); kNotAsked when no name was given (a one-shot complaint, a
  // request for an officer) or the NIK is not in the extract.
  enum class NameCheck { kNotAsked, kMatched, kNotMatched };
  NameCheck name_check = NameCheck::kNotAsked;
};

// {"snapshot_date", "found"} and, when found, {"status", "desil", "village_code",
// "programmes": [{"code", "from", "to"}]} and, when a name was asked, "name_matched" (bool).
std::string EncodeRegistrySnapshot(const RegistrySnapshot& snapshot);

}  // namespace satupintu::tickets
