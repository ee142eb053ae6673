#include "registry/citizen_check.hpp"

#include "audit/audit_log.hpp"
#include "registry_io/dates.hpp"
#include "registry_io/nik.hpp"
#include "text/name_similarity.hpp"

namespace satupintu::registry {
namespace {

// The registry files' reading (registry_io): CSV, encodings, NIK/KK, dates.
using registry_io::MaskId;
using registry_io::Nik;
using registry_io::NikErrorCode;
using registry_io::ParseDate;
using registry_io::ParseNik;

constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kDayMs = 24 * kHourMs;

core::Result<std::int64_t> CountSince(storage::Db& db, const std::string& key, std::int64_t since) {
  auto st = db.Prepare("SELECT COUNT(*) FROM lookup_quota WHERE key = ? AND at_ms >= ?");
  if (!st.ok()) return st.error();
  st.value()->Bind(1, key).Bind(2, since);
  std::int64_t n = 0;
  if (st.value()->Step() == SQLITE_ROW) n = st.value()->ColumnInt(0);
  st.value()->Reset();
  return n;
}

}  // namespace

const char* CheckOutcomeName(CheckOutcome outcome) {
  switch (outcome) {
    case CheckOutcome::kMatch:
      return "match";
    case CheckOutcome::kNoMatch:
      return "no_match";
    case CheckOutcome::kInvalidNik:
      return "invalid_nik";
    case CheckOutcome::kRateLimited:
      return "rate_limited";
  }
  return "unknown";
}

core::Result<CitizenCheckAnswer> CitizenCheck::Run(storage::Db& db,
                                                   const CitizenCheckRequest& request,
                                                   std::int64_t now_ms, const std::string& today) {
  const auto today_date = ParseDate(today);
  if (!today_date) return core::MakeError(core::ErrorCode::kInvalidArgument, "today is not a date");
  CitizenCheckAnswer answer;
  auto current = registry_.Current();
  if (!current.ok()) return current.error();
  answer.snapshot_date = current.value().snapshot_date;
  answer.programme_data = current.value().format != "dtks-pipe";

  // The address's keys (the citizen, their phone number), then the NIK's: every key counts a
  // try, the address's against per_hour/per_day, the NIK's against per_nik_per_day.
  std::vector<std::string> keys{"citizen:" + std::to_string(request.citizen_id)};
  if (!request.phone_e164.empty()) {
    auto h = registry_.Hash("phone", request.phone_e164);
    if (!h.ok()) return h.error();
    keys.push_back("phone:" + HexOf(h.value()));
  }
  const std::size_t address_keys = keys.size();

  const Nik nik = ParseNik(request.nik_text, *today_date);
  std::string object = "nik:invalid";
  if (nik.ok()) {
    object = "nik:" + MaskId(nik.digits);
    // Whether or not the NIK is in the snapshot: a limit only listed NIKs had would tell them.
    // A hash of its own kind: a quota row cannot be joined to a ticket's or a record's NIK.
    auto h = registry_.Hash("quota-nik", nik.digits);
    if (!h.ok()) return h.error();
    keys.push_back("nik:" + HexOf(h.value()));
  }

  // A savepoint, so the check also runs inside the dialog runtime's transaction.
  if (auto s = db.Exec("SAVEPOINT citizen_check"); !s.ok()) return s.error();
  auto finish = [&](core::Status s) -> core::Result<CitizenCheckAnswer> {
    if (s.ok()) s = db.Exec("RELEASE citizen_check");
    if (!s.ok()) {
      (void)db.Exec("ROLLBACK TO citizen_check");
      (void)db.Exec("RELEASE citizen_check");
      return s.error();
    }
    return answer;
  };

  for (std::size_t i = 0; i < keys.size() && answer.limit == LimitHit::kNone; ++i) {
    auto day = CountSince(db, keys[i], now_ms - kDayMs);
    if (!day.ok()) return finish(day.error());
    if (i >= address_keys) {
      if (day.value() >= limits_.per_nik_per_day) answer.limit = LimitHit::kNik;
      continue;
    }
    auto hour = CountSince(db, keys[i], now_ms - kHourMs);
    if (!hour.ok()) return finish(hour.error());
    if (hour.value() >= limits_.per_hour || day.value() >= limits_.per_day) {
      answer.limit = LimitHit::kAddress;
    }
  }

  if (answer.limit != LimitHit::kNone) {
    answer.outcome = CheckOutcome::kRateLimited;
  } else if (!nik.ok()) {
    answer.outcome = CheckOutcome::kInvalidNik;
    answer.nik_error = NikErrorCode(nik.error);
  } else {
    auto person = registry_.ByNik(nik.digits);
    if (!person.ok()) return finish(person.error());
    // Score a name either way, so a NIK that is absent costs the same time as one that is not.
    const std::string& against = person.value() ? person.value()->name : request.name;
    const double score = text::NameSimilarity(request.name, against);
    if (person.value() && score >= limits_.name_threshold) {
      answer.outcome = CheckOutcome::kMatch;
      answer.listed = person.value()->listed();
      answer.desil = person.value()->desil;
      answer.programmes = person.value()->programmes;
      answer.village_code = person.value()->village_code;
    } else {
      answer.outcome = CheckOutcome::kNoMatch;
    }
  }

  // Attempts count against the limits whatever their outcome, except those refused by it.
  if (answer.outcome != CheckOutcome::kRateLimited) {
    auto ins = db.Prepare("INSERT INTO lookup_quota (key, at_ms) VALUES (?, ?)");
    if (!ins.ok()) return finish(ins.error());
    for (const auto& key : keys) {
      if (auto s = ins.value()->Bind(1, key).Bind(2, now_ms).Run(); !s.ok()) return finish(s);
    }
    // Every key's rows past the windows go, not only this try's: a NIK's or a phone's keyed
    // hash is kept no longer than the limits need it (a small table: tries of two days).
    auto prune = db.Prepare("DELETE FROM lookup_quota WHERE at_ms < ?");
    if (!prune.ok()) return finish(prune.error());
    if (auto s = prune.value()->Bind(1, now_ms - 2 * kDayMs).Run(); !s.ok()) return finish(s);
  }
  const bool identify = request.purpose == CheckPurpose::kIdentify;
  audit::Entry entry;
  entry.at_ms = now_ms;
  entry.actor = keys.front();
  entry.action = identify ? "registry.identify.citizen" : "registry.check.citizen";
  entry.object = object;
  entry.purpose = (identify ? "complaint intake: identity of the complainant (NIK + name)"
                            : "citizen status check") +
                  (request.channel.empty() ? "" : " via " + request.channel);
  entry.outcome = answer.outcome == CheckOutcome::kMatch
                      ? (answer.listed ? "match:listed" : "match:not_listed")
                      : CheckOutcomeName(answer.outcome);
  if (answer.limit == LimitHit::kNik) entry.outcome += ":nik";
  if (auto id = audit::Append(db, entry); !id.ok()) return finish(id.error());
  auto done = finish({});
  if (done.ok()) Count(request.purpose, done.value());
  return done;
}

bool CitizenCheck::NameMatches(const std::string& typed, const std::string& record_name) const {
  return !typed.empty() && text::NameSimilarity(typed, record_name) >= limits_.name_threshold;
}

void CitizenCheck::Count(CheckPurpose purpose, const CitizenCheckAnswer& answer) {
  if (metrics_ == nullptr) return;
  std::string outcome = CheckOutcomeName(answer.outcome);
  if (answer.outcome == CheckOutcome::kRateLimited) {
    outcome = answer.limit == LimitHit::kNik ? "limited_nik" : "limited_address";
  }
  metrics_
      ->GetCounter("satupintu_registry_citizen_tries_total",
                   "Citizens' NIK + name tries against the registry (status check, complainant "
                   "identity) by outcome; limited_* were refused by a limit",
                   {{"purpose", purpose == CheckPurpose::kIdentify ? "identify" : "status"},
                    {"outcome", outcome}})
      .Inc();
}

}  // namespace satupintu::registry
