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

core::Result<std::int64_t> Count(storage::Db& db, const std::string& key, std::int64_t since) {
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

  std::vector<std::string> keys{"citizen:" + std::to_string(request.citizen_id)};
  if (!request.phone_e164.empty()) {
    auto h = registry_.Hash("phone", request.phone_e164);
    if (!h.ok()) return h.error();
    keys.push_back("phone:" + HexOf(h.value()));
  }

  const Nik nik = ParseNik(request.nik_text, *today_date);
  std::string object = "nik:invalid";
  if (nik.ok()) object = "nik:" + MaskId(nik.digits);

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

  bool limited = false;
  for (const auto& key : keys) {
    auto hour = Count(db, key, now_ms - kHourMs);
    if (!hour.ok()) return finish(hour.error());
    auto day = Count(db, key, now_ms - kDayMs);
    if (!day.ok()) return finish(day.error());
    if (hour.value() >= limits_.per_hour || day.value() >= limits_.per_day) limited = true;
  }

  if (limited) {
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
    auto prune = db.Prepare("DELETE FROM lookup_quota WHERE key = ? AND at_ms < ?");
    if (!prune.ok()) return finish(prune.error());
    for (const auto& key : keys) {
      if (auto s = prune.value()->Bind(1, key).Bind(2, now_ms - 2 * kDayMs).Run(); !s.ok()) {
        return finish(s);
      }
    }
  }
  audit::Entry entry;
  entry.at_ms = now_ms;
  entry.actor = keys.front();
  entry.action = "registry.check.citizen";
  entry.object = object;
  entry.purpose =
      "citizen status check" + (request.channel.empty() ? "" : " via " + request.channel);
  entry.outcome = answer.outcome == CheckOutcome::kMatch
                      ? (answer.listed ? "match:listed" : "match:not_listed")
                      : CheckOutcomeName(answer.outcome);
  if (auto id = audit::Append(db, entry); !id.ok()) return finish(id.error());
  return finish({});
}

}  // namespace satupintu::registry
