#pragma once
// The services the dialogs call ("call": "tickets.open" in dialogs/*.json), as one table: a
// name, the outcomes it may answer (what the dialog checker makes every call step route) and
// its handler. Families live in their own files: services_registry.cpp (registry and
// regions), services_tickets.cpp (tickets and the survey), services_citizen.cpp (opt-out,
// language). Adding a service: its handler and one row in its family's table.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "conversation/conversations.hpp"
#include "dialog/definition.hpp"
#include "dialog/engine.hpp"
#include "registry_io/dates.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::regions {
class RegionIndex;
struct Region;
}  // namespace satupintu::regions

namespace satupintu::conversation {

// What a handler may use for one call, inside the turn's write job.
struct ServiceContext {
  storage::Db& db;
  const Services& services;
  const locale::Catalog& catalog;
  std::int64_t citizen_id = 0;
  const std::string& channel;
  const std::string& address;
  const std::string& language;  // the conversation's
  const dialog::ServiceCall& call;
  const dialog::Input& turn;

  std::string Arg(const char* name) const;
  // An audit row of this citizen's turn (actor "citizen:<id>").
  core::Status Audit(const std::string& action, const std::string& object,
                     const std::string& purpose, const std::string& outcome) const;
};

using ServiceHandler = std::function<core::Result<dialog::Input>(const ServiceContext&)>;

struct Service {
  std::string name;
  std::vector<std::string> outcomes;
  ServiceHandler handler;
};

// A handler's answer: an outcome and the slots it fills.
dialog::Input ServiceResult(std::string outcome, std::map<std::string, std::string> slots = {});

// The families' tables.
std::vector<Service> RegistryServices();
std::vector<Service> TicketServices();
std::vector<Service> CitizenServices();

// Every service, by name.
const std::map<std::string, Service, std::less<>>& AllServices();

// The calendar day of an instant in the office's time zone (tickets.utc_offset_minutes, WIB
// 420), whatever zone the server runs in: a message at 00:30 WIB is that day's, also on a
// server in UTC where it is still the day before.
registry_io::CivilDate OfficeDayOf(std::int64_t ms, int utc_offset_minutes);

// How many villages regions.search offers at most (then "none of these"): one WhatsApp list.
inline constexpr std::size_t kVillageCandidates = 9;

// A village as regions.search offers it: "Sukamaju, Kec. Cibadak" on a regency's gateway
// (every village it offers lies in that regency, and the SMS is short), "Sukamaju, Kec.
// Cibadak, Kab. Sukabumi" on a nationwide one (no home regency).
std::string VillageChoiceLabel(const regions::RegionIndex& index, const regions::Region& village,
                               const std::string& home_regency);

// The kVillageCandidates villages of `home_regency` (all of Indonesia when empty) with the
// longest labels, as regions.search would offer them, then "none of these" in `language`: the
// longest village list a citizen can be sent, which `satupintu dialogs check` measures.
std::vector<std::pair<std::string, std::string>> LongestVillageChoices(
    const regions::RegionIndex& index, const std::string& home_regency,
    const locale::Catalog& catalog, const std::string& language);

// Names and outcomes, what dialog::DialogSet checks call steps against.
dialog::ServiceOutcomes ServiceOutcomes();

}  // namespace satupintu::conversation
