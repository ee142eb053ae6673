#include "conversation/services.hpp"

#include <chrono>

#include <ctime>
#include <utility>

#include "audit/audit_log.hpp"

namespace satupintu::conversation {

std::string ServiceContext::Arg(const char* name) const {
  auto it = call.args.find(name);
  return it == call.args.end() ? std::string() : it->second;
}

core::Status ServiceContext::Audit(const std::string& action, const std::string& object,
                                   const std::string& purpose, const std::string& outcome) const {
  audit::Entry e;
  e.at_ms = turn.now_ms;
  e.actor = "citizen:" + std::to_string(citizen_id);
  e.action = action;
  e.object = object;
  e.purpose = purpose;
  e.outcome = outcome;
  auto id = audit::Append(db, e);
  if (!id.ok()) return id.error();
  return {};
}

dialog::Input ServiceResult(std::string outcome, std::map<std::string, std::string> slots) {
  dialog::Input in;
  in.kind = dialog::Input::Kind::kResult;
  in.outcome = std::move(outcome);
  in.slots = std::move(slots);
  return in;
}

const std::map<std::string, Service, std::less<>>& AllServices() {
  static const std::map<std::string, Service, std::less<>> all = [] {
    std::map<std::string, Service, std::less<>> m;
    for (auto family : {RegistryServices, TicketServices, CitizenServices}) {
      for (auto& s : family()) m.emplace(s.name, std::move(s));
    }
    return m;
  }();
  return all;
}

registry_io::CivilDate OfficeDayOf(std::int64_t ms, int utc_offset_minutes) {
  namespace chr = std::chrono;
  const chr::sys_time<chr::milliseconds> local{
      chr::milliseconds(ms + std::int64_t{utc_offset_minutes} * 60'000)};
  const chr::year_month_day day{chr::floor<chr::days>(local)};
  return {static_cast<int>(day.year()), static_cast<int>(static_cast<unsigned>(day.month())),
          static_cast<int>(static_cast<unsigned>(day.day()))};
}

dialog::ServiceOutcomes ServiceOutcomes() {
  dialog::ServiceOutcomes outcomes;
  for (const auto& [name, s] : AllServices()) {
    outcomes.emplace(name, std::set<std::string>(s.outcomes.begin(), s.outcomes.end()));
  }
  return outcomes;
}

}  // namespace satupintu::conversation
