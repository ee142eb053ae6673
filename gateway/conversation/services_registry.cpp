// Services of the registry and the region tree: a person's village for a complaint, the
// citizen's own status check, village search.
#include "citizens/citizens.hpp"
#include "conversation/services.hpp"
#include "regions/region_index.hpp"
#include "registry/citizen_check.hpp"
#include "registry/registry.hpp"
#include "registry_io/nik.hpp"
#include "text/fold.hpp"

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

core::Result<dialog::Input> Person(const ServiceContext& ctx) {
  const std::string nik = ctx.Arg("nik");
  if (ctx.services.registry == nullptr || nik.empty()) return ServiceResult("unavailable");
  auto person = ctx.services.registry->ByNik(nik);
  if (!person.ok()) return ServiceResult("unavailable");
  const std::string outcome = person.value() ? "found" : "not_found";
  if (auto s = ctx.Audit("registry.read.dialog", "nik:" + registry_io::MaskId(nik),
                         "complaint intake: village of the complainant", outcome);
      !s.ok()) {
    return s.error();
  }
  if (!person.value()) return ServiceResult("not_found");
  const auto& p = *person.value();
  return ServiceResult("found", {{"village_code", p.village_code},
                                 {"village_code_label", RegionLabel(ctx.services, p.village_code)},
                                 {"name", p.name},
                                 {"birth_date", p.birth_date}});
}

core::Result<dialog::Input> Check(const ServiceContext& ctx) {
  if (ctx.services.check == nullptr) return ServiceResult("unavailable");
  registry::CitizenCheckRequest req;
  req.citizen_id = ctx.citizen_id;
  if (citizens::KindOf(ctx.address) == citizens::AddressKind::kPhone) req.phone_e164 = ctx.address;
  req.nik_text = ctx.Arg("nik");
  req.name = ctx.Arg("name");
  req.channel = ctx.channel;
  auto answer = ctx.services.check->Run(ctx.db, req, ctx.turn.now_ms, ctx.turn.today.ToIso());
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
      {"registry.person", {"found", "not_found", "unavailable"}, Person},
      {"registry.check",
       {"listed", "not_listed", "no_match", "limited", "invalid_nik", "unavailable"},
       Check},
      {"regions.search", {"one", "many", "none"}, SearchVillage},
  };
}

}  // namespace satupintu::conversation
