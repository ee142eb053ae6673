#pragma once
// The registry check a citizen runs from a dialog ("cek status DTKS"): NIK plus the name as
// on the ID card. The rules that protect the people in the registry:
// - status is revealed only when the NIK is in the snapshot AND the name matches it
//   (NameSimilarity >= threshold);
// - a NIK that is not there and a name that does not match give the same answer (kNoMatch),
//   so the check cannot be used to learn which NIKs exist;
// - checks are limited per citizen and per phone number (an hour and a day window), counted
//   in the store so a restart does not reset them;
// - every check, whatever its outcome, is written to the audit log with the NIK masked.
// A malformed NIK is answered as such (kInvalidNik with the reason): that reveals nothing
// about the registry, and tells the citizen what to fix.
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "registry/registry.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::registry {

struct CitizenCheckLimits {
  int per_hour = 5;
  int per_day = 10;
  double name_threshold = 0.85;
};

struct CitizenCheckRequest {
  std::int64_t citizen_id = 0;
  std::string phone_e164;  // empty when the citizen has no known number (Telegram only)
  std::string nik_text;    // as typed
  std::string name;        // as typed
  std::string channel;     // for the audit purpose, e.g. "sms"
};

enum class CheckOutcome { kMatch, kNoMatch, kInvalidNik, kRateLimited };

struct CitizenCheckAnswer {
  CheckOutcome outcome = CheckOutcome::kNoMatch;
  std::string nik_error;  // kInvalidNik: "nik.length", "nik.date", ...
  std::string snapshot_date;
  // kMatch only:
  bool listed = false;
  int desil = 0;  // 1-10; 0: the snapshot does not say
  // The snapshot carries programme data (the canonical format); a regional DTKS pipe export
  // has neither desil nor programmes, so no programme listed there means "not known".
  bool programme_data = true;
  std::vector<Programme> programmes;
};

const char* CheckOutcomeName(CheckOutcome outcome);

class CitizenCheck {
 public:
  CitizenCheck(Registry& registry, CitizenCheckLimits limits)
      : registry_(registry), limits_(limits) {}

  // `db`: a write connection to the main store; the check opens its own transaction.
  // `now_ms` and `today` (YYYY-MM-DD) come from the caller so tests pin them.
  core::Result<CitizenCheckAnswer> Run(storage::Db& db, const CitizenCheckRequest& request,
                                       std::int64_t now_ms, const std::string& today);

 private:
  Registry& registry_;
  CitizenCheckLimits limits_;
};

}  // namespace satupintu::registry
