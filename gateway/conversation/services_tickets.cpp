// Services of tickets: opening one (with the registry situation kept beside it), a ticket's
// status by code, the citizen's own recent tickets, and the satisfaction survey.
#include <cstdlib>
#include <optional>

#include "conversation/services.hpp"
#include "core/log.hpp"
#include "regions/region_index.hpp"
#include "registry/citizen_check.hpp"
#include "registry/identity_hash.hpp"
#include "registry/registry.hpp"
#include "registry_io/nik.hpp"
#include "tickets/tickets.hpp"
#include "tickets/workflow.hpp"

namespace satupintu::conversation {
namespace {

// The citizen's word for a ticket status: the hand-overs inside the office read as one.
std::string CitizenStatusLabelKey(const std::string& status) {
  return tickets::CitizenStatusKey(
      tickets::StatusFromName(status).value_or(tickets::Status::kVerified));
}

// What the registry says of `nik` now, kept with a new ticket for the facilitator's verify
// step, and the audit outcome: with the name the citizen typed (`name`, may be empty) checked
// against the record by the citizen check's rule (`check`, may be null). Nothing of it reaches
// the citizen. nullopt when the registry cannot answer (no snapshot yet): the ticket opens
// without it.
std::optional<std::pair<tickets::RegistrySnapshot, std::string>> RegistrySnapshotAtOpening(
    registry::Registry& reg, const registry::CitizenCheck* check, const std::string& nik,
    const std::string& name) {
  auto current = reg.Current();
  if (!current.ok()) return std::nullopt;
  auto person = reg.ByNik(nik);
  if (!person.ok()) return std::nullopt;
  tickets::RegistrySnapshot snapshot;
  snapshot.snapshot_date = current.value().snapshot_date;
  snapshot.found = person.value().has_value();
  if (snapshot.found) {
    const auto& p = person.value().value();
    snapshot.status = p.status;
    snapshot.desil = p.desil;
    snapshot.village_code = p.village_code;
    for (const auto& pr : p.programmes) snapshot.programmes.push_back({pr.code, pr.from, pr.to});
    if (check != nullptr && !name.empty()) {
      snapshot.name_check = check->NameMatches(name, p.name)
                                ? tickets::RegistrySnapshot::NameCheck::kMatched
                                : tickets::RegistrySnapshot::NameCheck::kNotMatched;
    }
  }
  std::string outcome = snapshot.found ? "found" : "not_found";
  return std::make_pair(std::move(snapshot), std::move(outcome));
}

// The keyed hash of a NIK or KK as hex; "" without digits or a registry.
std::string HashOf(const ServiceContext& ctx, std::string_view kind, const std::string& digits) {
  if (digits.empty() || ctx.services.registry == nullptr) return "";
  auto h = ctx.services.registry->Hash(kind, digits);
  return h.ok() ? registry::HexOf(h.value()) : "";
}

// The kecamatan a NIK was issued in (its first six digits: "32.06.01"), when the region tree
// knows it and it lies in the gateway's regency (any, on a gateway without one): an office
// that answers for the citizen when nobody said where they live.
std::string NikKecamatan(const ServiceContext& ctx, const std::string& nik) {
  if (nik.size() < 6 || !ctx.services.regions) return "";
  std::string code = nik.substr(0, 2) + "." + nik.substr(2, 2) + "." + nik.substr(4, 2);
  if (ctx.services.regions->Find(code) == nullptr) return "";
  const std::string& home = ctx.services.home_regency;
  if (!home.empty() && !tickets::RegionContains(home, code)) return "";
  return code;
}

core::Result<dialog::Input> Open(const ServiceContext& ctx) {
  tickets::NewTicket t;
  t.type = tickets::TypeFromName(ctx.Arg("type")).value_or(tickets::Type::kComplaint);
  t.citizen_id = ctx.citizen_id;
  t.channel = ctx.channel;
  t.category = ctx.Arg("category");
  const std::string nik = ctx.Arg("nik");
  const std::string kk = ctx.Arg("kk");
  t.nik_hash = HashOf(ctx, "nik", nik);
  t.nik_masked = nik.empty() ? "" : registry_io::MaskId(nik);
  t.kk_hash = HashOf(ctx, "kk", kk);
  t.kk_masked = kk.empty() ? "" : registry_io::MaskId(kk);
  t.name = ctx.Arg("name");
  t.birth_date = ctx.Arg("birth_date");
  t.village_code = ctx.Arg("village_code");
  t.household = std::atoi(ctx.Arg("household").c_str());
  t.description = ctx.Arg("description");
  // The fast track by the birth date the citizen typed, else the one their NIK carries (never
  // the registry's: the ticket holds what the citizen said).
  std::string born = t.birth_date;
  if (born.empty() && !nik.empty()) {
    const auto parsed = registry_io::ParseNik(nik, ctx.turn.today);
    if (parsed.ok()) born = parsed.birth_date.ToIso();
  }
  t.priority = tickets::PriorityAtOpening(t.category, born, ctx.turn.today.ToIso());
  if (!nik.empty() && ctx.services.registry != nullptr) {
    auto snapshot =
        RegistrySnapshotAtOpening(*ctx.services.registry, ctx.services.check, nik, t.name);
    if (snapshot.has_value()) {
      if (auto s = ctx.Audit("registry.read.ticket", "nik:" + registry_io::MaskId(nik),
                             "ticket opening: registry situation kept with the ticket",
                             snapshot.value().second);
          !s.ok()) {
        return s.error();
      }
      t.registry_snapshot = snapshot.value().first;
    }
  }
  // Only a region of the tree (within the gateway's regency) is a place: not "none" from a
  // list of villages the citizen found none in.
  if (!t.village_code.empty()) {
    const std::string& home = ctx.services.home_regency;
    const bool known = ctx.services.regions
                           ? ctx.services.regions->Find(t.village_code) != nullptr &&
                                 (home.empty() || tickets::RegionContains(home, t.village_code))
                           : t.village_code != "none";
    if (!known) t.village_code.clear();
  }
  // No ticket without a region someone answers for: the village the citizen chose, else the
  // registry's village for their NIK, else the kecamatan the NIK was issued in, else the
  // regency's queue of tickets to place.
  if (t.village_code.empty() && t.registry_snapshot.has_value()) {
    t.village_code = t.registry_snapshot->village_code;
  }
  if (t.village_code.empty()) t.village_code = NikKecamatan(ctx, nik);
  if (t.village_code.empty()) t.village_code = ctx.services.unplaced_region;
  // Nothing configured either: kept at the holding region, moved to the regency once one is
  // configured (the start logs tickets.no_unplaced_region meanwhile). Never lost.
  if (t.village_code.empty()) t.village_code = tickets::kHoldingRegion;
  auto code = tickets::Open(ctx.db, t, ctx.turn.now_ms, ctx.services.code_suffix);
  if (!code.ok()) {
    core::log::Warn("tickets.open_failed").Str("error", code.error().message);
    return ServiceResult("failed");
  }
  if (auto s = ctx.Audit("ticket.open", "ticket:" + code.value(), "citizen request", "opened");
      !s.ok()) {
    return s.error();
  }
  return ServiceResult("opened", {{"ticket_code", code.value()}});
}

core::Result<dialog::Input> Status(const ServiceContext& ctx) {
  auto ticket = tickets::Find(ctx.db, ctx.Arg("code"));
  if (!ticket.ok()) return ticket.error();
  if (!ticket.value()) return ServiceResult("not_found");
  return ServiceResult(
      "found",
      {{"ticket_status_label",
        ctx.catalog.Text(ctx.language, CitizenStatusLabelKey(ticket.value()->status))},
       {"ticket_updated",
        OfficeDayOf(ticket.value()->updated_at_ms, ctx.services.utc_offset_minutes).ToIso()}});
}

core::Result<dialog::Input> Mine(const ServiceContext& ctx) {
  auto mine = tickets::OfCitizen(ctx.db, ctx.citizen_id, 3);
  if (!mine.ok()) return mine.error();
  if (mine.value().empty()) return ServiceResult("none");
  std::string list;
  for (const auto& t : mine.value()) {
    if (!list.empty()) list += '\n';
    list.append(t.code).append(": ").append(
        ctx.catalog.Text(ctx.language, CitizenStatusLabelKey(t.status)));
  }
  return ServiceResult("some", {{"ticket_list", list}});
}

core::Result<dialog::Input> SaveSurvey(const ServiceContext& ctx) {
  auto s = tickets::SaveSurvey(ctx.db, ctx.Arg("ticket"), std::atoi(ctx.Arg("rating").c_str()),
                               ctx.Arg("comment"), ctx.turn.now_ms);
  // An unknown ticket or a rating out of 1-5 (the dialog validated it) is not worth a failure
  // of the whole turn: the citizen is thanked either way.
  if (!s.ok() && (s.error().code == core::ErrorCode::kNotFound ||
                  s.error().code == core::ErrorCode::kInvalidArgument)) {
    return ServiceResult("not_found");
  }
  if (!s.ok()) return s.error();
  return ServiceResult("saved");
}

}  // namespace

std::vector<Service> TicketServices() {
  return {
      {"tickets.open", {"opened", "failed"}, Open},
      {"tickets.status", {"found", "not_found"}, Status},
      {"tickets.mine", {"some", "none"}, Mine},
      {"survey.save", {"saved", "not_found"}, SaveSurvey},
  };
}

}  // namespace satupintu::conversation
