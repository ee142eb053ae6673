// Services of the registry and the region tree: a complainant's identity (NIK + name), the
// citizen's own status check, village search. No service tells a sender whether a NIK is
// listed, or shows anything of a record, before NIK and name match it.
#include "citizens/citizens.hpp"
#include "conversation/services.hpp"
#include "core/log.hpp"
#include "regions/region_index.hpp"
#include "registry/citizen_check.hpp"
#include "text/fold.hpp"
#include "tickets/workflow.hpp"

namespace satupintu::conversation {
namespace {

// "Sukamaju, Kec. Cibadak, Kab. Sukabumi" -> "Sukamaju, Kec. Cibadak": every village a
// regency's gateway offers is in that regency, and the SMS is short. A nationwide gateway
// (no home regency) keeps the regency.
std::string VillageLabel(const std::string& label, const std::string& home_regency) {
  if (home_regency.empty()) return label;
  const auto first = label.find(", ");
  const auto second = first == std::string::npos ? first : label.find(", ", first + 2);
  return second == std::string::npos ? label : label.substr(0, second);
}

// One exact match above the others, or the only match: taken without asking.
bool SingleMatch(const std::vector<regions::SearchHit>& hits) {
  return hits.size() == 1 || (!hits.empty() && hits[0].how == regions::MatchKind::kExact &&
                              hits[1].how != regions::MatchKind::kExact);
}

// "YYYY-MM" -> "MM/YYYY".
std::string MonthYear(const std::string& ym) {
  if (ym.size() != 7) return ym;
  return ym.substr(5, 2) + "/" + ym.substr(0, 4);
}

std::string RegionLabel(const Services& services, const std::string& code) {
  if (!services.regions) return code;
  const auto* r = services.regions->Find(code);
  return r == nullptr ? code : services.regions->Label(*r);
}

// The citizen check's request for this turn's citizen, NIK and name.
registry::CitizenCheckRequest CheckRequest(const ServiceContext& ctx,
                                           registry::CheckPurpose purpose) {
  registry::CitizenCheckRequest req;
  req.citizen_id = ctx.citizen_id;
  if (citizens::KindOf(ctx.address) == citizens::AddressKind::kPhone) req.phone_e164 = ctx.address;
  req.nik_text = ctx.Arg("nik");
  req.name = ctx.Arg("name");
  req.channel = ctx.channel;
  req.purpose = purpose;
  return req;
}

// A complainant's identity: do the NIK and the name they typed match a registry record (the
// citizen check's rule, limits and audit)? Two outcomes only, so no flow can tell a NIK that is
// not there from a name that does not match, a limit, or no registry: "matched" gives the
// record's village (identity is proven as the status check proves it), "not_matched" nothing.
// Never the record's name or birth date: the ticket keeps what the citizen typed.
core::Result<dialog::Input> Identify(const ServiceContext& ctx) {
  if (ctx.services.check == nullptr) return ServiceResult("not_matched");
  auto answer =
      ctx.services.check->Run(ctx.db, CheckRequest(ctx, registry::CheckPurpose::kIdentify),
                              ctx.turn.now_ms, ctx.turn.today.ToIso());
  if (!answer.ok()) {
    core::log::Warn("registry.identify_failed").Str("error", answer.error().message);
    return ServiceResult("not_matched");
  }
  const auto& a = answer.value();
  if (a.outcome != registry::CheckOutcome::kMatch || a.village_code.empty()) {
    return ServiceResult("not_matched");
  }
  const std::string& home = ctx.services.home_regency;
  // A record whose village lies outside the gateway's regency is no place for its ticket: the
  // citizen is asked, as when not matched.
  if (ctx.services.regions != nullptr) {
    const auto* village = ctx.services.regions->Find(a.village_code);
    if (village == nullptr || (!home.empty() && !tickets::RegionContains(home, a.village_code))) {
      return ServiceResult("not_matched");
    }
  }
  return ServiceResult(
      "matched",
      {{"village_code", a.village_code},
       {"village_code_label", VillageLabel(RegionLabel(ctx.services, a.village_code), home)}});
}

core::Result<dialog::Input> Check(const ServiceContext& ctx) {
  if (ctx.services.check == nullptr) return ServiceResult("unavailable");
  auto answer = ctx.services.check->Run(ctx.db, CheckRequest(ctx, registry::CheckPurpose::kStatus),
                                        ctx.turn.now_ms, ctx.turn.today.ToIso());
  if (!answer.ok()) return ServiceResult("unavailable");
  const auto& a = answer.value();
  std::map<std::string, std::string> slots{{"snapshot_date", a.snapshot_date}};
  switch (a.outcome) {
    case registry::CheckOutcome::kRateLimited:
      return ServiceResult("limited", slots);
    case registry::CheckOutcome::kInvalidNik:
      return ServiceResult("invalid_nik", slots);
    case registry::CheckOutcome::kNoMatch:
      return ServiceResult("no_match", slots);
    case registry::CheckOutcome::kMatch:
      break;
  }
  if (!a.listed) return ServiceResult("not_listed", slots);
  std::string programmes;
  for (const auto& p : a.programmes) {
    auto line = ctx.catalog.Render(
        ctx.language, p.to.empty() ? "check.programme_running" : "check.programme_ended",
        {{"kode", p.code}, {"dari", MonthYear(p.from)}, {"sampai", MonthYear(p.to)}});
    if (!line.ok()) continue;
    if (!programmes.empty()) programmes += "; ";
    programmes += line.value();
  }
  if (programmes.empty()) programmes = ctx.catalog.Text(ctx.language, "check.no_programme");
  // Only what the snapshot says: a desil when it has one, programmes when it carries them.
  slots["desil"] = a.desil > 0 ? std::to_string(a.desil) : "";
  slots["desil_known"] = a.desil > 0 ? "ya" : "tidak";
  slots["programmes_known"] = a.programme_data ? "ya" : "tidak";
  slots["programmes"] = programmes;
  return ServiceResult("listed", slots);
}

core::Result<dialog::Input> SearchVillage(const ServiceContext& ctx) {
  const auto& regions = ctx.services.regions;
  if (!regions) return ServiceResult("none");
  // A regency's gateway serves its own villages: a name found only elsewhere in Indonesia
  // (or a kecamatan of the regency spelt like a village far away) is not the citizen's
  // village, so it is never accepted, not even as the only exact match.
  regions::SearchOptions options;
  options.within = ctx.services.home_regency;
  options.level = regions::Level::kVillage;
  options.limit = kVillageCandidates;
  const std::string query = ctx.Arg("query");
  const auto hits = regions->Search(query, options);
  const std::string& home = ctx.services.home_regency;
  if (hits.empty()) {
    // The prompt invites the kecamatan's name: one kecamatan found lists its villages when
    // they fit one choice (<= 9); a larger one needs the village's own name. Where the
    // kecamatan itself is enough ("kecamatan": "yes": a request for an officer, a one-shot
    // complaint, asked once), it is the answer: its supervisor answers for the ticket.
    options.level = regions::Level::kDistrict;
    const auto districts = regions->Search(query, options);
    if (!SingleMatch(districts)) return ServiceResult("none");
    if (ctx.Arg("kecamatan") == "yes") {
      return ServiceResult("one", {{"village_code", districts[0].region->code},
                                   {"village_code_label", VillageLabel(districts[0].label, home)}});
    }
    const auto villages = regions->Children(districts[0].region->code);
    if (villages.empty() || villages.size() > kVillageCandidates) return ServiceResult("none");
    dialog::Input in = ServiceResult("many");
    for (const auto& v : villages) in.candidates.emplace_back(v.code, v.name);
    in.candidates.emplace_back("none", ctx.catalog.Text(ctx.language, "dialog.none_of_these"));
    return in;
  }
  if (SingleMatch(hits)) {
    return ServiceResult("one", {{"village_code", hits[0].region->code},
                                 {"village_code_label", VillageLabel(hits[0].label, home)}});
  }
  dialog::Input in = ServiceResult("many");
  for (const auto& h : hits)
    in.candidates.emplace_back(h.region->code, VillageLabel(h.label, home));
  in.candidates.emplace_back("none", ctx.catalog.Text(ctx.language, "dialog.none_of_these"));
  return in;
}

}  // namespace

std::string VillageChoiceLabel(const regions::RegionIndex& index, const regions::Region& village,
                               const std::string& home_regency) {
  return VillageLabel(index.Label(village), home_regency);
}

std::vector<std::pair<std::string, std::string>> LongestVillageChoices(
    const regions::RegionIndex& index, const std::string& home_regency,
    const locale::Catalog& catalog, const std::string& language) {
  std::vector<std::pair<std::size_t, std::pair<std::string, std::string>>> longest;
  auto consider = [&](const regions::Region& village) {
    std::string label = VillageChoiceLabel(index, village, home_regency);
    const std::size_t n = text::DecodeUtf8(label).size();
    if (longest.size() == kVillageCandidates && n <= longest.back().first) return;
    longest.emplace_back(n, std::make_pair(village.code, std::move(label)));
    std::stable_sort(longest.begin(), longest.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    if (longest.size() > kVillageCandidates) longest.pop_back();
  };
  // Province -> regency -> kecamatan -> village, from the home regency or from every province.
  std::vector<std::string> regencies;
  if (!home_regency.empty()) {
    regencies.push_back(home_regency);
  } else {
    for (int province = 11; province <= 99; ++province) {  // the two-digit province codes
      for (const auto& regency : index.Children(std::to_string(province))) {
        regencies.push_back(regency.code);
      }
    }
  }
  for (const auto& regency : regencies) {
    for (const auto& district : index.Children(regency)) {
      for (const auto& village : index.Children(district.code)) consider(village);
    }
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [n, choice] : longest) out.push_back(std::move(choice));
  out.emplace_back("none", catalog.Text(language, "dialog.none_of_these"));
  return out;
}

std::vector<Service> RegistryServices() {
  return {
      {"registry.identify", {"matched", "not_matched"}, Identify},
      {"registry.check",
       {"listed", "not_listed", "no_match", "limited", "invalid_nik", "unavailable"},
       Check},
      {"regions.search", {"one", "many", "none"}, SearchVillage},
  };
}

}  // namespace satupintu::conversation
