#pragma once
// The programme catalogue: what a ticket can be referred to (migration 11 seeds the national
// programmes; an admin adds local ones and retires old ones). Functions run inside the
// caller's store job, like the rest of gateway/tickets.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::tickets {

struct Programme {
  std::string id;          // "pkh": 2-24 of [a-z0-9_]
  std::string name;        // official name, "Program Keluarga Harapan"
  std::string short_name;  // what fits an SMS, "PKH"
  bool active = true;
  int sort = 0;
};

// Every programme, in catalogue order; retired ones too when `include_retired`.
core::Result<std::vector<Programme>> Programmes(storage::Db& db, bool include_retired);

// kInvalidArgument naming the first id that is not an active programme.
core::Status CheckReferrable(storage::Db& db, const std::vector<std::string>& ids);

// Adds a programme or updates its names, order and whether it is active.
core::Status SaveProgramme(storage::Db& db, const Programme& programme);

}  // namespace satupintu::tickets
