#pragma once
// The registry check a citizen runs from a dialog: NIK plus the name as on the ID card, for
// two purposes: the status check ("cek status DTKS") and the identity of a complainant (does
// the NIK and name they typed match a registry record, so the ticket may take the record's
// village). The rules that protect the people in the registry:
// - anything of the record (status, village) is revealed only when the NIK is in the snapshot
//   AND the name matches it (NameSimilarity >= threshold);
// - a NIK that is not there and a name that does not match give the same answer (kNoMatch),
//   so the check cannot be used to learn which NIKs exist;
// - tries are limited per citizen and per phone number (an hour and a day window) and per NIK
//   (a day, from any address: many phones guessing one person's name), counted in the store
//   (lookup_quota, keyed hashes) so a restart does not reset them; both purposes share them;
// - every try, whatever its outcome, is written to the audit log with the NIK masked, and
//   counted in satupintu_registry_citizen_tries_total{purpose, outcome} (a burst of refused or
//   limited tries shows there).
// A malformed NIK is answered as such (kInvalidNik with the reason): that reveals nothing
// about the registry, and tells the citizen what to fix.
#include <cstdint>
#include <string>
#include <vector>

#include "core/metrics.hpp"
#include "core/result.hpp"
#include "registry/registry.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::registry {

struct CitizenCheckLimits {
  int per_hour = 5;  // per citizen and per phone number
  int per_day = 10;
  double name_threshold = 0.85;
  int per_nik_per_day = 5;  // per NIK, whatever the address
};

// Why the citizen typed the NIK: the audit action and the metric's label.
enum class CheckPurpose {
  kStatus,    // "registry.check.citizen": the citizen's status check
  kIdentify,  // "registry.identify.citizen": a complainant's identity at intake
};

struct CitizenCheckRequest {
  std::int64_t citizen_id = 0;
  std::string phone_e164;  // empty when the citizen has no known number (Telegram only)
  std::string nik_text;    // as typed
  std::string name;        // as typed
  std::string channel;     // for the audit purpose, e.g. "sms"
  CheckPurpose purpose = CheckPurpose::kStatus;
};

enum class CheckOutcome { kMatch, kNoMatch, kInvalidNik, kRateLimited };

// kRateLimited: which limit refused the try.
enum class LimitHit { kNone, kAddress, kNik };

struct CitizenCheckAnswer {
  CheckOutcome outcome = CheckOutcome::kNoMatch;
  LimitHit limit = LimitHit::kNone;
  std::string nik_error;  // kInvalidNik: "nik.length", "nik.date", ...
  std::string snapshot_date;
  // kMatch only:
  bool listed = false;
  int desil = 0;  // 1-10; 0: the snapshot does not say
  // The snapshot carries programme data (the canonical format); a regional DTKS pipe export
  // has neither desil nor programmes, so no programme listed there means "not known".
  bool programme_data = true;
  std::vector<Programme> programmes;
  std::string village_code;  // the record's village (identity proven by NIK + name)
};

const char* CheckOutcomeName(CheckOutcome outcome);

class CitizenCheck {
 public:
  // `metrics`: where tries are counted; null counts nowhere.
  CitizenCheck(Registry& registry, CitizenCheckLimits limits,
               core::MetricsRegistry* metrics = nullptr)
      : registry_(registry), limits_(limits), metrics_(metrics) {}

  // `db`: a write connection to the main store; the check opens its own transaction.
  // `now_ms` and `today` (YYYY-MM-DD) come from the caller so tests pin them.
  core::Result<CitizenCheckAnswer> Run(storage::Db& db, const CitizenCheckRequest& request,
                                       std::int64_t now_ms, const std::string& today);

  // Whether `typed` is the record's name by the check's rule (NameSimilarity >= threshold).
  // Not limited and not audited: for what the office sees (a ticket's registry snapshot),
  // never for an answer to the citizen.
  bool NameMatches(const std::string& typed, const std::string& record_name) const;

 private:
  void Count(CheckPurpose purpose, const CitizenCheckAnswer& answer);

  Registry& registry_;
  CitizenCheckLimits limits_;
  core::MetricsRegistry* metrics_;
};

}  // namespace satupintu::registry
