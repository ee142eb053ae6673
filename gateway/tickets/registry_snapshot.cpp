#include "tickets/registry_snapshot.hpp"

#include <nlohmann/json.hpp>

namespace satupintu::tickets {

std::string EncodeRegistrySnapshot(const RegistrySnapshot& snapshot) {
  nlohmann::json j = {{"snapshot_date", snapshot.snapshot_date}, {"found", snapshot.found}};
  if (snapshot.found) {
    j["status"] = snapshot.status;
    j["desil"] = snapshot.desil;
    j["village_code"] = snapshot.village_code;
    auto programmes = nlohmann::json::array();
    for (const auto& p : snapshot.programmes) {
      programmes.push_back({{"code", p.code}, {"from", p.from}, {"to", p.to}});
    }
    j["programmes"] = std::move(programmes);
    if (snapshot.name_check != RegistrySnapshot::NameCheck::kNotAsked) {
      j["name_matched"] = snapshot.name_check == RegistrySnapshot::NameCheck::kMatched;
    }
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace satupintu::tickets
