#pragma once
// Who a broadcast reaches (issue 20): the households its filter selects, one row each, with the
// channel each is reached on or the reason it is not. Runs inside a store job on the main store
// (read only), and reads the registry snapshot in force from its own file.
//
// A household is a family card ("kk:<key>") when the registry or a ticket names one, else the
// citizen who wrote to us ("citizen:<id>"), else an uploaded number ("phone:<digits>"). The
// registry holds no phone numbers: a registry household is reachable only through a citizen
// whose ticket carries its family card. Each household is reached once, on the channel its
// citizen last wrote on (WhatsApp inside its 24-hour window as text; outside it by the
// number's broadcast template when one is approved), else by SMS on the route its operator
// prefix chooses. Opted-out, restricted and unreachable households are kept with their reason.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "broadcast/send_window.hpp"
#include "broadcast/sms_route.hpp"
#include "core/result.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::broadcast {

enum class Source { kRegistry, kTickets, kUpload };

struct AudienceFilter {
  Source source = Source::kRegistry;
  std::string region;  // dotted code: province, regency, kecamatan or village
  // Registry: a household matches when one member matches all of these.
  std::vector<std::string> statuses;  // aktif, nonaktif, ...; [] = any
  int desil_min = 0;                  // 0 = no bound
  int desil_max = 0;
  std::vector<std::string> programmes;  // member now of any of these ("PKH"); [] = any
  // Tickets: the household of each matching ticket (its latest one gives {kode_tiket}).
  std::vector<std::string> ticket_states;      // open, in_progress, ...; [] = any
  std::vector<std::string> ticket_categories;  // [] = any
  // Any source: only households that have not written to us since then (0 = any).
  std::int64_t not_heard_since_ms = 0;
};

// kInvalidArgument naming the member when `j` is not a valid filter.
core::Result<AudienceFilter> ParseAudience(const nlohmann::json& j);
nlohmann::json AudienceJson(const AudienceFilter& filter);
const char* SourceName(Source source);

// What a WhatsApp number can do for a broadcast.
struct WhatsAppOptions {
  std::string broadcast_template;  // "" = none: outside the window only SMS reaches
  std::string template_language = "id";
  std::int64_t daily_conversation_limit = 0;  // 0 = unlimited
  std::int64_t template_price = 0;            // rupiah
};

struct DeliveryOptions {
  std::map<std::string, double> channels;  // every configured channel -> its cap per minute
  std::vector<SmsRoute> sms_routes;
  std::map<std::string, WhatsAppOptions> whatsapp;  // by channel
  std::string registry_dir;                         // where snapshot files live
};

enum class Exclusion {
  kNone,
  kOptedOut,     // every address of the household asked us to stop
  kRestricted,   // the citizen restricted processing of their data
  kUnreachable,  // no address we can write to (a registry household nobody of which wrote)
  kNoTemplate,   // WhatsApp only, outside its window, and the number has no broadcast template
  kNoRoute,      // a phone number no SMS route takes
  kSameAddress,  // another household of this broadcast is reached at the same address
};
const char* ExclusionName(Exclusion e);

struct Recipient {
  std::string household;
  std::int64_t village = 0;  // 10-digit code, 0 when unknown
  Exclusion excluded = Exclusion::kNone;
  // Only for reached households:
  std::int64_t citizen_id = 0;
  std::string address;
  std::string channel;
  bool by_template = false;  // WhatsApp outside the window now
  std::string language = "id";
  std::string first_name;
  std::string ticket_code;
};

struct Audience {
  std::vector<Recipient> recipients;  // ordered by household
  // Registry households nobody of which ever wrote to us (excluded as unreachable), kept small
  // because they are most of a big audience: {family-card key, village}, ordered by key.
  std::vector<std::pair<std::int64_t, std::int64_t>> unreached;
  std::int64_t reached = 0;

  std::size_t size() const { return recipients.size() + unreached.size(); }
  // Row `i` of the plan: the recipients, then the unreached households.
  Recipient Row(std::size_t i) const;
};

// The audience of `filter` now. `broadcast_id` names the uploaded numbers (Source::kUpload).
core::Result<Audience> ResolveAudience(storage::Db& db, const AudienceFilter& filter,
                                       std::int64_t broadcast_id, const DeliveryOptions& options,
                                       std::int64_t now_ms);

// "32.06" -> [3206000000, 3207000000): the 10-digit village codes inside a dotted region.
std::pair<std::int64_t, std::int64_t> VillageRange(const std::string& dotted_region);
// 3206052002 -> "32.06.05.2002"; the kecamatan "32.06.05" of a village code.
std::string KecamatanOf(std::int64_t village);
TimeZone ZoneOf(std::int64_t village, const std::string& fallback_region);

}  // namespace satupintu::broadcast
