#include "broadcast/audience.hpp"

#include <algorithm>
#include <chrono>
#include <unordered_map>
#include <unordered_set>

#include "adapters/whatsapp/window.hpp"
#include "citizens/citizens.hpp"
#include "registry/snapshot_catalog.hpp"
#include "registry/snapshot_file.hpp"

namespace satupintu::broadcast {
namespace {

using core::ErrorCode;
using core::MakeError;
using storage::Db;
using json = nlohmann::json;

bool IsWord(const std::string& s) {
  if (s.empty() || s.size() > 40) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

core::Status ReadWords(const json& j, const char* name, std::vector<std::string>* out) {
  if (!j.contains(name)) return {};
  const json& v = j.at(name);
  if (!v.is_array() || v.size() > 50) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string("audience.") + name + ": a list of at most 50 names");
  }
  for (const auto& item : v) {
    if (!item.is_string() || !IsWord(item.get<std::string>())) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string("audience.") + name + ": names of letters, digits, _ and -");
    }
    out->push_back(item.get<std::string>());
  }
  return {};
}

bool IsDottedRegion(const std::string& s) {
  static constexpr std::size_t kLengths[] = {2, 5, 8, 13};
  if (std::find(std::begin(kLengths), std::end(kLengths), s.size()) == std::end(kLengths)) {
    return false;
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dot = i == 2 || i == 5 || i == 8;
    if (dot ? s[i] != '.' : (s[i] < '0' || s[i] > '9')) return false;
  }
  return true;
}

// The first word of a name, as the recipient would be greeted: "SITI AMINAH" -> "Siti".
std::string FirstName(std::string_view full) {
  std::size_t b = 0;
  while (b < full.size() && full[b] == ' ') ++b;
  std::size_t e = b;
  while (e < full.size() && full[e] != ' ') ++e;
  std::string out(full.substr(b, e - b));
  bool start = true;
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z' && !start) c = static_cast<char>(c - 'A' + 'a');
    if (c >= 'a' && c <= 'z' && start) c = static_cast<char>(c - 'a' + 'A');
    start = c == '-' || c == '\'';
  }
  return out;
}

// The registry's integer key of a hash written as hex (tickets keep the hex): its first
// eight bytes, as snapshot_file.cpp sorts on.
std::int64_t KeyOfHex(std::string_view hex) {
  if (hex.size() < 16) return 0;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 16; ++i) {
    const char c = hex[i];
    int d = 0;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return 0;
    }
    v = (v << 4) | static_cast<std::uint64_t>(d);
  }
  return static_cast<std::int64_t>(v);
}

struct AddressInfo {
  std::string address;
  bool phone = false;
  bool opted_out = false;
  std::vector<std::pair<std::string, std::int64_t>> channels;  // channel, last inbound
};

// What the audience needs to know about citizens, read once in bulk.
struct Citizens {
  std::unordered_map<std::int64_t, std::vector<AddressInfo>> addresses;
  std::unordered_map<std::int64_t, std::int64_t> merged;  // id -> the citizen it became
  std::unordered_set<std::int64_t> restricted;
  std::unordered_map<std::int64_t, std::string> language;

  std::int64_t Live(std::int64_t id) const {
    const auto it = merged.find(id);
    return it == merged.end() ? id : it->second;
  }
  std::int64_t LastHeard(std::int64_t id) const {
    std::int64_t last = 0;
    const auto it = addresses.find(id);
    if (it == addresses.end()) return 0;
    for (const auto& a : it->second) {
      for (const auto& c : a.channels) last = std::max(last, c.second);
    }
    return last;
  }
};

core::Result<Citizens> LoadCitizens(Db& db) {
  Citizens out;
  {
    auto q = db.Prepare(
        "SELECT a.citizen_id, a.address, a.kind, a.opted_out_at_ms IS NOT NULL, c.channel, "
        "c.last_inbound_at_ms FROM citizen_address a LEFT JOIN address_channel c "
        "ON c.address = a.address ORDER BY a.citizen_id, a.address");
    if (!q.ok()) return q.error();
    auto& st = *q.value();
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      auto& list = out.addresses[st.ColumnInt(0)];
      std::string address = st.ColumnText(1);
      if (list.empty() || list.back().address != address) {
        list.push_back({std::move(address), st.ColumnText(2) == "phone", st.ColumnInt(3) != 0, {}});
      }
      if (!st.ColumnIsNull(4)) list.back().channels.emplace_back(st.ColumnText(4), st.ColumnInt(5));
    }
    st.Reset();
    if (rc != SQLITE_DONE) return db.LastError("broadcast citizens");
  }
  {
    auto q = db.Prepare("SELECT id, merged_into FROM citizen WHERE merged_into IS NOT NULL");
    if (!q.ok()) return q.error();
    int rc;
    while ((rc = q.value()->Step()) == SQLITE_ROW) {
      out.merged[q.value()->ColumnInt(0)] = q.value()->ColumnInt(1);
    }
    q.value()->Reset();
    if (rc != SQLITE_DONE) return db.LastError("broadcast merged citizens");
  }
  {
    auto q = db.Prepare("SELECT citizen_id FROM subject_restriction WHERE lifted_at_ms IS NULL");
    if (!q.ok()) return q.error();
    int rc;
    while ((rc = q.value()->Step()) == SQLITE_ROW) out.restricted.insert(q.value()->ColumnInt(0));
    q.value()->Reset();
    if (rc != SQLITE_DONE) return db.LastError("broadcast restrictions");
  }
  {
    auto q = db.Prepare("SELECT id, language FROM citizen WHERE language IS NOT NULL");
    if (!q.ok()) return q.error();
    int rc;
    while ((rc = q.value()->Step()) == SQLITE_ROW) {
      out.language[q.value()->ColumnInt(0)] = q.value()->ColumnText(1);
    }
    q.value()->Reset();
    if (rc != SQLITE_DONE) return db.LastError("broadcast languages");
  }
  return out;
}

bool IsSmsChannel(std::string_view channel) {
  return channel.starts_with("kannel:") || channel.starts_with("gammu:");
}

// The channel a citizen is reached on, or why none. Sets address, channel, by_template.
Exclusion Deliver(const Citizens& citizens, std::int64_t citizen_id, const DeliveryOptions& options,
                  std::int64_t now_ms, Recipient* r) {
  if (citizens.restricted.contains(citizen_id)) return Exclusion::kRestricted;
  const auto it = citizens.addresses.find(citizen_id);
  if (it == citizens.addresses.end() || it->second.empty()) return Exclusion::kUnreachable;
  bool any_open = false;
  struct Option {
    const AddressInfo* address;
    std::string channel;
    std::int64_t last;
  };
  std::vector<Option> seen;
  for (const auto& a : it->second) {
    if (a.opted_out) continue;
    any_open = true;
    for (const auto& [channel, last] : a.channels) {
      if (options.channels.contains(channel)) seen.push_back({&a, channel, last});
    }
  }
  if (!any_open) return Exclusion::kOptedOut;
  // The channel they last wrote on first.
  std::stable_sort(seen.begin(), seen.end(),
                   [](const Option& x, const Option& y) { return x.last > y.last; });
  Exclusion why = Exclusion::kUnreachable;
  for (const auto& o : seen) {
    if (IsSmsChannel(o.channel)) break;  // SMS goes by the route below
    if (o.channel.starts_with("whatsapp:")) {
      const auto wa = options.whatsapp.find(o.channel);
      const bool has_template =
          wa != options.whatsapp.end() && !wa->second.broadcast_template.empty();
      const bool in_window = adapters::whatsapp::InServiceWindow(o.last, now_ms);
      if (!in_window && !has_template) {
        why = Exclusion::kNoTemplate;
        continue;
      }
      r->by_template = !in_window;
    }
    r->address = o.address->address;
    r->channel = o.channel;
    return Exclusion::kNone;
  }
  // By SMS to a phone number: the one they last wrote from first.
  const AddressInfo* phone = nullptr;
  std::int64_t phone_last = -1;
  for (const auto& a : it->second) {
    if (a.opted_out || !a.phone) continue;
    std::int64_t last = 0;
    for (const auto& c : a.channels) last = std::max(last, c.second);
    if (last > phone_last) {
      phone = &a;
      phone_last = last;
    }
  }
  if (phone == nullptr) return why;
  const SmsRoute* route = ChooseRoute(phone->address, options.sms_routes);
  if (route == nullptr) return why == Exclusion::kNoTemplate ? why : Exclusion::kNoRoute;
  r->address = phone->address;
  r->channel = route->channel;
  return Exclusion::kNone;
}

std::string LanguageOf(const Citizens& citizens, std::int64_t id) {
  const auto it = citizens.language.find(id);
  return it == citizens.language.end() ? std::string("id") : it->second;
}

// A household whose citizen is known: its route, language, exclusions.
void Reach(const Citizens& citizens, std::int64_t citizen_id, const DeliveryOptions& options,
           std::int64_t now_ms, Recipient* r) {
  r->citizen_id = citizens.Live(citizen_id);
  r->excluded = Deliver(citizens, r->citizen_id, options, now_ms, r);
  if (r->excluded == Exclusion::kNone) {
    r->language = LanguageOf(citizens, r->citizen_id);
  } else {
    // Kept with its reason only: no address, and no name to greet nobody with.
    r->address.clear();
    r->channel.clear();
    r->by_template = false;
    r->first_name.clear();
    r->ticket_code.clear();
  }
}

// A family card's contact: the citizen of its latest ticket.
struct Contact {
  std::int64_t citizen_id = 0;
  std::int64_t nik_key = 0;
  std::string name;
  std::string ticket_code;
};

core::Result<std::unordered_map<std::int64_t, Contact>> LoadContacts(Db& db) {
  std::unordered_map<std::int64_t, Contact> out;
  auto q = db.Prepare(
      "SELECT kk_hash, citizen_id, nik_hash, name, code FROM ticket WHERE kk_hash <> '' "
      "ORDER BY id");
  if (!q.ok()) return q.error();
  auto& st = *q.value();
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    const std::int64_t key = KeyOfHex(st.ColumnText(0));
    if (key == 0) continue;
    out[key] = {st.ColumnInt(1), KeyOfHex(st.ColumnText(2)), st.ColumnText(3), st.ColumnText(4)};
  }
  st.Reset();
  if (rc != SQLITE_DONE) return db.LastError("broadcast contacts");
  return out;
}

bool InProgrammeNow(std::string_view programmes, const std::vector<std::string>& wanted,
                    const std::string& this_month) {
  if (programmes.empty()) return false;
  for (const auto& p : registry::ParseProgrammes(programmes)) {
    if (std::find(wanted.begin(), wanted.end(), p.code) == wanted.end()) continue;
    if (!p.from.empty() && p.from > this_month) continue;
    if (!p.to.empty() && p.to < this_month) continue;
    return true;
  }
  return false;
}

std::string MonthOf(std::int64_t now_ms) {
  namespace chr = std::chrono;
  const chr::sys_days day = chr::floor<chr::days>(
      chr::sys_time<chr::milliseconds>(chr::milliseconds(now_ms + std::int64_t{7} * 3'600'000)));
  const chr::year_month_day ymd{day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()));
  return buf;
}

core::Status FromRegistry(Db& db, const AudienceFilter& filter, const DeliveryOptions& options,
                          const Citizens& citizens, std::int64_t now_ms, Audience* out) {
  auto snapshot = registry::CurrentSnapshot(db);
  if (!snapshot.ok()) return snapshot.error();
  if (!snapshot.value().has_value()) {
    return MakeError(ErrorCode::kConflict, "no registry snapshot is in force: import one first");
  }
  auto file =
      Db::Open("file:" + options.registry_dir + "/" + snapshot.value()->file + "?immutable=1",
               /*read_only=*/true, /*create=*/false);
  if (!file.ok()) return file.error();
  auto contacts = LoadContacts(db);
  if (!contacts.ok()) return contacts.error();

  const auto [low, high] = VillageRange(filter.region);
  // A regency's or a province's audience is most of a snapshot (exports are per regency):
  // reading the table in order beats fetching each row through the village index, which costs a
  // b-tree descent per row. A kecamatan or a village is a small part: the index.
  const bool wide = filter.region.size() <= 5;
  auto q = file.value()->Prepare(
      std::string("SELECT kk_key, nik_key, village_code, desil, programmes, status, name, "
                  "relationship FROM person ") +
      (wide ? "NOT INDEXED " : "") + "WHERE village_code >= ? AND village_code < ?");
  if (!q.ok()) return q.error();
  auto& st = *q.value();
  st.Bind(1, low).Bind(2, high);
  const std::string month = MonthOf(now_ms);
  struct Reached {
    Recipient r;
    bool head = false;  // first_name is the head of the family's
    bool own = false;   // first_name is the contact's own
  };
  std::unordered_map<std::int64_t, Reached> reached;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    const int desil = static_cast<int>(st.ColumnInt(3));
    if (filter.desil_min > 0 && (desil == 0 || desil < filter.desil_min)) continue;
    if (filter.desil_max > 0 && (desil == 0 || desil > filter.desil_max)) continue;
    if (!filter.statuses.empty() && std::find(filter.statuses.begin(), filter.statuses.end(),
                                              st.ColumnText(5)) == filter.statuses.end()) {
      continue;
    }
    if (!filter.programmes.empty() && !InProgrammeNow(st.ColumnText(4), filter.programmes, month)) {
      continue;
    }
    const std::int64_t kk = st.ColumnInt(0);
    const std::int64_t village = st.ColumnInt(2);
    const auto contact = contacts.value().find(kk);
    if (contact == contacts.value().end()) {
      // A family's members mostly come one after the other: most repeats never get stored.
      if (out->unreached.empty() || out->unreached.back().first != kk) {
        out->unreached.emplace_back(kk, village);
      }
      continue;
    }
    auto [it, inserted] = reached.try_emplace(kk);
    Reached& h = it->second;
    if (inserted) {
      h.r.village = village;
      h.r.ticket_code = contact->second.ticket_code;
    }
    // Greet the person we write to: the contact when the registry lists them, else the head.
    if (!h.own && st.ColumnInt(1) == contact->second.nik_key) {
      h.r.first_name = FirstName(st.ColumnText(6));
      h.own = true;
    } else if (!h.own && !h.head) {
      const std::string relationship = st.ColumnText(7);
      h.head = relationship.find("epala") != std::string::npos ||
               relationship.find("EPALA") != std::string::npos;
      h.r.first_name = FirstName(st.ColumnText(6));
    }
  }
  st.Reset();
  if (rc != SQLITE_DONE) return file.value()->LastError("registry audience");

  std::sort(out->unreached.begin(), out->unreached.end());
  out->unreached.erase(std::unique(out->unreached.begin(), out->unreached.end(),
                                   [](const auto& a, const auto& b) { return a.first == b.first; }),
                       out->unreached.end());
  out->unreached.shrink_to_fit();
  for (auto& [kk, h] : reached) {
    h.r.household = "kk:" + std::to_string(kk);
    const auto& contact = contacts.value().at(kk);
    if (h.r.first_name.empty()) h.r.first_name = FirstName(contact.name);
    if (filter.not_heard_since_ms > 0 &&
        citizens.LastHeard(citizens.Live(contact.citizen_id)) >= filter.not_heard_since_ms) {
      continue;
    }
    Reach(citizens, contact.citizen_id, options, now_ms, &h.r);
    out->recipients.push_back(std::move(h.r));
  }
  return {};
}

core::Status FromTickets(Db& db, const AudienceFilter& filter, const DeliveryOptions& options,
                         const Citizens& citizens, std::int64_t now_ms, Audience* out) {
  auto q = db.Prepare(
      "SELECT kk_hash, citizen_id, name, village_code, code, status, category FROM ticket "
      "WHERE (village_code = ?1 OR substr(village_code, 1, length(?1) + 1) = ?1 || '.') "
      "AND anonymised_at_ms IS NULL ORDER BY id");
  if (!q.ok()) return q.error();
  auto& st = *q.value();
  st.Bind(1, filter.region);
  std::map<std::string, Recipient> households;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    const std::string status = st.ColumnText(5);
    const std::string category = st.ColumnText(6);
    if (!filter.ticket_states.empty() &&
        std::find(filter.ticket_states.begin(), filter.ticket_states.end(), status) ==
            filter.ticket_states.end()) {
      continue;
    }
    if (!filter.ticket_categories.empty() &&
        std::find(filter.ticket_categories.begin(), filter.ticket_categories.end(), category) ==
            filter.ticket_categories.end()) {
      continue;
    }
    const std::int64_t kk = KeyOfHex(st.ColumnText(0));
    const std::int64_t citizen = citizens.Live(st.ColumnInt(1));
    const std::string household =
        kk != 0 ? "kk:" + std::to_string(kk) : "citizen:" + std::to_string(citizen);
    Recipient& r = households[household];  // the latest ticket wins
    r.household = household;
    r.citizen_id = citizen;
    r.village = registry::VillageCodeNumber(st.ColumnText(3));
    r.first_name = FirstName(st.ColumnText(2));
    r.ticket_code = st.ColumnText(4);
  }
  st.Reset();
  if (rc != SQLITE_DONE) return db.LastError("ticket audience");
  for (auto& [household, r] : households) {
    if (filter.not_heard_since_ms > 0 &&
        citizens.LastHeard(r.citizen_id) >= filter.not_heard_since_ms) {
      continue;
    }
    Reach(citizens, r.citizen_id, options, now_ms, &r);
    out->recipients.push_back(std::move(r));
  }
  return {};
}

core::Status FromUpload(Db& db, const AudienceFilter& filter, std::int64_t broadcast_id,
                        const DeliveryOptions& options, const Citizens& citizens,
                        std::int64_t now_ms, Audience* out) {
  auto q = db.Prepare(
      "SELECT u.address, a.citizen_id, a.opted_out_at_ms IS NOT NULL FROM broadcast_upload u "
      "LEFT JOIN citizen_address a ON a.address = u.address WHERE u.broadcast_id = ? "
      "ORDER BY u.address");
  if (!q.ok()) return q.error();
  auto& st = *q.value();
  st.Bind(1, broadcast_id);
  std::map<std::string, Recipient> households;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    const std::string address = st.ColumnText(0);
    Recipient r;
    if (!st.ColumnIsNull(1)) {
      const std::int64_t citizen = citizens.Live(st.ColumnInt(1));
      if (filter.not_heard_since_ms > 0 &&
          citizens.LastHeard(citizen) >= filter.not_heard_since_ms) {
        continue;
      }
      r.household = "citizen:" + std::to_string(citizen);
      if (households.contains(r.household)) continue;
      Reach(citizens, citizen, options, now_ms, &r);
    } else {
      // A number that never wrote to us: SMS on its route.
      r.household = "phone:" + address;
      const SmsRoute* route = ChooseRoute(address, options.sms_routes);
      if (route == nullptr) {
        r.excluded = Exclusion::kNoRoute;
      } else {
        r.address = address;
        r.channel = route->channel;
      }
    }
    households.emplace(r.household, std::move(r));
  }
  st.Reset();
  if (rc != SQLITE_DONE) return db.LastError("upload audience");
  for (auto& [household, r] : households) out->recipients.push_back(std::move(r));
  return {};
}

}  // namespace

Recipient Audience::Row(std::size_t i) const {
  if (i < recipients.size()) return recipients[i];
  const auto& [kk, village] = unreached[i - recipients.size()];
  Recipient r;
  r.household = "kk:" + std::to_string(kk);
  r.village = village;
  r.excluded = Exclusion::kUnreachable;
  return r;
}

const char* SourceName(Source source) {
  switch (source) {
    case Source::kRegistry:
      return "registry";
    case Source::kTickets:
      return "tickets";
    case Source::kUpload:
      return "upload";
  }
  return "registry";
}

const char* ExclusionName(Exclusion e) {
  switch (e) {
    case Exclusion::kNone:
      return "";
    case Exclusion::kOptedOut:
      return "opted_out";
    case Exclusion::kRestricted:
      return "restricted";
    case Exclusion::kUnreachable:
      return "unreachable";
    case Exclusion::kNoTemplate:
      return "no_template";
    case Exclusion::kNoRoute:
      return "no_route";
    case Exclusion::kSameAddress:
      return "same_address";
  }
  return "";
}

core::Result<AudienceFilter> ParseAudience(const json& j) {
  if (!j.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "audience: must be an object");
  }
  AudienceFilter f;
  static const std::vector<std::string> kKnown = {
      "source",     "region",        "statuses",          "desil_min",         "desil_max",
      "programmes", "ticket_states", "ticket_categories", "not_heard_since_ms"};
  for (const auto& [key, value] : j.items()) {
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) {
      return MakeError(ErrorCode::kInvalidArgument, "audience." + key + ": unknown member");
    }
  }
  const std::string source = j.value("source", std::string("registry"));
  if (source == "registry") {
    f.source = Source::kRegistry;
  } else if (source == "tickets") {
    f.source = Source::kTickets;
  } else if (source == "upload") {
    f.source = Source::kUpload;
  } else {
    return MakeError(ErrorCode::kInvalidArgument, "audience.source: registry, tickets or upload");
  }
  if (j.contains("region")) {
    if (!j.at("region").is_string() || !IsDottedRegion(j.at("region").get<std::string>())) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "audience.region: a region code like 32.06 or 32.06.05.2002");
    }
    f.region = j.at("region").get<std::string>();
  }
  for (const auto& [name, out] :
       {std::pair{"statuses", &f.statuses}, std::pair{"programmes", &f.programmes},
        std::pair{"ticket_states", &f.ticket_states},
        std::pair{"ticket_categories", &f.ticket_categories}}) {
    if (auto s = ReadWords(j, name, out); !s.ok()) return s.error();
  }
  for (const auto& [name, out] :
       {std::pair{"desil_min", &f.desil_min}, std::pair{"desil_max", &f.desil_max}}) {
    if (!j.contains(name)) continue;
    if (!j.at(name).is_number_integer() || j.at(name).get<int>() < 0 ||
        j.at(name).get<int>() > 10) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string("audience.") + name + ": 0 (any) or 1-10");
    }
    *out = j.at(name).get<int>();
  }
  if (f.desil_min > 0 && f.desil_max > 0 && f.desil_min > f.desil_max) {
    return MakeError(ErrorCode::kInvalidArgument, "audience.desil_min: above desil_max");
  }
  if (j.contains("not_heard_since_ms")) {
    if (!j.at("not_heard_since_ms").is_number_integer() ||
        j.at("not_heard_since_ms").get<std::int64_t>() < 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "audience.not_heard_since_ms: milliseconds since 1970, or 0");
    }
    f.not_heard_since_ms = j.at("not_heard_since_ms").get<std::int64_t>();
  }
  const bool registry_filter =
      !f.statuses.empty() || !f.programmes.empty() || f.desil_min > 0 || f.desil_max > 0;
  const bool ticket_filter = !f.ticket_states.empty() || !f.ticket_categories.empty();
  if ((registry_filter && f.source != Source::kRegistry) ||
      (ticket_filter && f.source != Source::kTickets)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "audience: registry filters need source registry, ticket filters source "
                     "tickets");
  }
  return f;
}

json AudienceJson(const AudienceFilter& f) {
  json j = {{"source", SourceName(f.source)}, {"region", f.region}};
  if (!f.statuses.empty()) j["statuses"] = f.statuses;
  if (f.desil_min > 0) j["desil_min"] = f.desil_min;
  if (f.desil_max > 0) j["desil_max"] = f.desil_max;
  if (!f.programmes.empty()) j["programmes"] = f.programmes;
  if (!f.ticket_states.empty()) j["ticket_states"] = f.ticket_states;
  if (!f.ticket_categories.empty()) j["ticket_categories"] = f.ticket_categories;
  if (f.not_heard_since_ms > 0) j["not_heard_since_ms"] = f.not_heard_since_ms;
  return j;
}

std::pair<std::int64_t, std::int64_t> VillageRange(const std::string& region) {
  std::string digits;
  for (char c : region) {
    if (c >= '0' && c <= '9') digits += c;
  }
  if (digits.empty() || digits.size() > 10) return {0, 0};
  std::int64_t low = std::stoll(digits);
  std::int64_t scale = 1;
  for (std::size_t i = digits.size(); i < 10; ++i) scale *= 10;
  low *= scale;
  return {low, low + scale};
}

std::string KecamatanOf(std::int64_t village) {
  if (village <= 0) return "";
  return registry::VillageCodeText(village).substr(0, 8);
}

TimeZone ZoneOf(std::int64_t village, const std::string& fallback_region) {
  if (village > 0) {
    if (auto z = ZoneOfRegion(std::to_string(village)); z.has_value()) return *z;
  }
  return ZoneOfRegion(fallback_region).value_or(TimeZone::kWib);
}

core::Result<Audience> ResolveAudience(Db& db, const AudienceFilter& filter,
                                       std::int64_t broadcast_id, const DeliveryOptions& options,
                                       std::int64_t now_ms) {
  if (!IsDottedRegion(filter.region)) {
    return MakeError(ErrorCode::kInvalidArgument, "audience.region: required");
  }
  auto citizens = LoadCitizens(db);
  if (!citizens.ok()) return citizens.error();
  Audience out;
  core::Status s;
  switch (filter.source) {
    case Source::kRegistry:
      s = FromRegistry(db, filter, options, citizens.value(), now_ms, &out);
      break;
    case Source::kTickets:
      s = FromTickets(db, filter, options, citizens.value(), now_ms, &out);
      break;
    case Source::kUpload:
      s = FromUpload(db, filter, broadcast_id, options, citizens.value(), now_ms, &out);
      break;
  }
  if (!s.ok()) return s.error();
  // One message per address: two households reached at one number (a neighbour's phone, a
  // facilitator's) get it once; the first by household keeps it.
  std::sort(out.recipients.begin(), out.recipients.end(),
            [](const Recipient& a, const Recipient& b) { return a.household < b.household; });
  std::unordered_set<std::string> addresses;
  for (auto& r : out.recipients) {
    if (r.excluded != Exclusion::kNone) continue;
    if (!addresses.insert(r.address).second) {
      r.excluded = Exclusion::kSameAddress;
      r.address.clear();
      r.channel.clear();
      r.first_name.clear();
      r.ticket_code.clear();
      continue;
    }
    ++out.reached;
  }
  return out;
}

}  // namespace satupintu::broadcast
