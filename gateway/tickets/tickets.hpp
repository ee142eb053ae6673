#pragma once
// Referral tickets: what the dialogs open and read the status of (this narrow interface);
// the back office's workflow on the same rows is in workflow.hpp and cases.hpp. Functions
// run inside the caller's write job on the Db& given (as gateway/citizens). Error messages
// never contain personal data.
//
// What a ticket keeps of a person: the NIK and No. KK only as the registry's keyed hash
// (HMAC-SHA-256, so the back office finds the registry record without the number being
// stored) plus the masked form ("3201********0003"); the name, birth date, village and the
// description as given, because the facilitator needs them to act.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "storage/sqlite.hpp"
#include "tickets/registry_snapshot.hpp"

namespace satupintu::tickets {

// complaint (pengaduan) "ADU", registration proposal (usulan) "USL", human handover "PTG".
enum class Type : std::uint8_t { kComplaint, kRegistration, kHuman };
const char* TypeName(Type type);  // "complaint", "registration", "human"
std::optional<Type> TypeFromName(std::string_view name);
const char* CodePrefix(Type type);  // "ADU", "USL", "PTG"

// The workflow's status names (workflow.hpp): received ... closed.
const std::vector<std::string>& Statuses();

struct NewTicket {
  Type type = Type::kComplaint;
  std::int64_t citizen_id = 0;
  std::string channel;
  std::string category;  // complaint category id, "" otherwise
  std::string nik_hash;  // hex of the registry's keyed hash, "" when none or no key
  std::string nik_masked;
  std::string kk_hash;
  std::string kk_masked;
  std::string name;
  std::string birth_date;  // YYYY-MM-DD or ""
  // The region that answers for it: the village ("32.01.01.2001") when known, else a kecamatan,
  // else the regency whose front office places it ("unplaced"). Never empty (Open refuses).
  std::string village_code;
  int household = 0;  // registration: members of the household, 0 unknown
  std::string description;
  std::string priority;  // workflow.hpp PriorityName: "" or the fast-track reason
  // What the registry said at opening; none when the NIK was not given or no registry is
  // loaded (stored as "{}").
  std::optional<RegistrySnapshot> registry_snapshot;
};

struct Ticket {
  std::string code;  // "ADU-7K3M9Q"
  Type type = Type::kComplaint;
  std::string status;
  std::int64_t citizen_id = 0;
  std::string category;
  std::string village_code;
  std::string channel;  // the channel it came from ("sms:..."), where notices go
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

// The fast track a new ticket gets from what the citizen told: the elderly (60 or older on
// `today`, "YYYY-MM-DD", by `birth_date`) and the complaint categories "lansia" and
// "disabilitas". Pregnancy and violence are told to the facilitator, who sets them.
std::string PriorityAtOpening(std::string_view category, std::string_view birth_date,
                              std::string_view today);

// Six random characters of Crockford's base32 (no I, L, O, U: they are misread on a basic
// phone's screen), 30 bits: a code cannot be guessed to read someone else's ticket status.
std::string RandomCodeSuffix();

// Where a ticket waits when nothing at all says where it belongs and no regency is configured
// (tickets.unplaced_region, regions.home_regency): kept, listed by nobody, until a regency is
// configured and the gateway's start moves it there (PlaceOrphans). Never an officer's region.
inline constexpr char kHoldingRegion[] = "00";

// Gives tickets stored without a region, or held at kHoldingRegion, `region`: the regency whose
// secretariat places them. Returns how many. No-op when `region` is empty.
core::Result<std::int64_t> PlaceOrphans(storage::Db& db, std::string_view region);

// Opens a ticket with a fresh random code (retried on the rare collision) and returns the code.
// `suffix` replaces RandomCodeSuffix (tests pin codes with it).
core::Result<std::string> Open(storage::Db& db, const NewTicket& ticket, std::int64_t now_ms,
                               const std::function<std::string()>& suffix = {});

// The ticket with `code` ("ADU-7K3M9Q"), nullopt when none.
core::Result<std::optional<Ticket>> Find(storage::Db& db, std::string_view code);
// The citizen's tickets, newest first.
core::Result<std::vector<Ticket>> OfCitizen(storage::Db& db, std::int64_t citizen_id, int limit);
// Moves a ticket to `status` (one of Statuses()) outside the workflow, as the system (the
// history records it, actor 0); office users go through cases.hpp's Act. kNotFound for an
// unknown code.
core::Status SetStatus(storage::Db& db, std::string_view code, std::string_view status,
                       std::int64_t now_ms);

// A satisfaction answer (IKM): rating 1-5, comment optional. One per ticket: a second answer
// replaces the first. kNotFound for an unknown ticket.
core::Status SaveSurvey(storage::Db& db, std::string_view code, int rating,
                        std::string_view comment, std::int64_t now_ms);

}  // namespace satupintu::tickets
