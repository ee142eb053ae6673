#pragma once
// What the registry said of a ticket's NIK when the ticket was opened, kept beside it (the
// ticket's registry_snapshot column) without the NIK or the name. This file is the column's one
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
};

// {"snapshot_date", "found"} and, when found, {"status", "desil", "village_code",
// "programmes": [{"code", "from", "to"}]}.
std::string EncodeRegistrySnapshot(const RegistrySnapshot& snapshot);

}  // namespace satupintu::tickets
