#pragma once
// Officer alerts: an officer learns of what needs them without sending TIKET. The store notes
// what happens to a ticket (triggers of migration 17: opened or placed, escalated, forwarded,
// reviewed, SLA warning and breach; a citizen's answer is noted by CaseService). Each pass of
// the dispatcher (Alerts::PassIn, inside its write job):
//   1. turns each noted change into one alert per officer it concerns (RecipientsOf below),
//      only officers who are active and have an enabled route;
//   2. sends each officer whose alerts are due one message: the alert itself, or a digest of
//      several; never in quiet hours, at most one per interval per officer.
// A message goes through the outbox like every other (durable, sent once) on the officer's
// route and carries ticket codes, categories, villages and what happened: never a NIK, KK or
// a citizen's name. The rules are listed in gateway/backoffice/README.md.

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "compose/compose.hpp"
#include "core/result.hpp"
#include "locale/catalog.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::conversation {
class StateSeal;
}

namespace satupintu::backoffice {

struct AlertOptions {
  std::int64_t interval_ms = 60LL * 60 * 1000;  // at most one message per officer per interval
  int quiet_from_minute = 21 * 60;              // office time: no alert from 21:00 ...
  int quiet_until_minute = 6 * 60;              // ... until 06:00 (equal: no quiet hours)
  int utc_offset_minutes = 420;                 // the office's time zone (tickets.utc_offset)
  std::string sms_channel;         // routes with channel "": this SMS channel ("" = none)
  std::set<std::string> channels;  // the channels the gateway runs: others are not sent to
  std::string users_key;           // opens the routes' addresses (AlertRoutes)
};

// What happened, as noted in alert_event.kind.
inline constexpr std::string_view kAlertReply = "reply";

// A citizen answered on a ticket: its holder (or its level's officers) are told.
core::Status NoteAlert(storage::Db& db, std::int64_t ticket_id, std::string_view kind,
                       std::int64_t now_ms);

// What an officer's SMS calls a ticket's place: the village's name from the region tree,
// else the code; "desa belum diketahui" for a ticket without a village.
core::Result<std::string> PlaceName(storage::Db& db, const locale::Catalog& catalog,
                                    std::string_view language, std::string_view code);

struct AlertRoute {
  std::string channel;  // "" = AlertOptions::sms_channel
  std::string address;  // E.164 digits, or "tg:<chat id>" for Telegram
  bool enabled = true;
};

// Where officers' alerts go. The address is stored sealed (AES-256-GCM, a key derived from the
// users key, the user id as associated data), like the phone an officer acts from, which is
// only a keyed hash: a copy of the database shows no officer's number. It is in clear only in
// the outbox rows of the alerts themselves, like every address a message is sent to.
class AlertRoutes {
 public:
  explicit AlertRoutes(std::string_view users_key);
  ~AlertRoutes();
  AlertRoutes(const AlertRoutes&) = delete;
  AlertRoutes& operator=(const AlertRoutes&) = delete;

  // Sets where the user's alerts go (kInvalidArgument for an address that is neither a phone
  // nor a Telegram chat, or a channel that is no channel id).
  core::Status Set(storage::Db& db, std::int64_t user_id, const AlertRoute& route) const;
  // nullopt when the user has none (or it was sealed under another users key).
  core::Result<std::optional<AlertRoute>> Of(storage::Db& db, std::int64_t user_id) const;
  // An officer who sends an SMS command from `address` gets alerts there when they have no
  // route yet (officers created before alerts existed, or without a phone on their record).
  core::Status Learn(storage::Db& db, std::int64_t user_id, std::string_view channel,
                     std::string_view address) const;

 private:
  std::unique_ptr<conversation::StateSeal> seal_;
};

// The officer's own opt-out (and back in). Turning alerts off drops the ones waiting.
// kNotFound when the user has no route.
core::Status SetAlertsEnabled(storage::Db& db, std::int64_t user_id, bool enabled);

struct AlertStats {
  int alerts = 0;   // officer alerts written
  int digests = 0;  // messages queued
};

class Alerts {
 public:
  Alerts(const locale::Catalog* catalog, AlertOptions options);

  // Up to `limit` noted changes, then up to `limit` officers' due messages.
  core::Result<std::vector<compose::Outgoing>> PassIn(storage::Db& db, std::int64_t now_ms,
                                                      int limit, AlertStats* stats = nullptr) const;

  bool InQuietHours(std::int64_t now_ms) const;

  // With alerts turned off (tickets.alerts_enabled false) what the triggers note is dropped on
  // each pass, so nothing piles up.
  static core::Status DiscardNoted(storage::Db& db);

  // The officers a noted change concerns (user ids, active with an enabled route):
  //   new (opened, or placed at a village): the village's facilitators, else its kecamatan's
  //       supervisors; a ticket without a village: the regency's front office and managers
  //       (and the kecamatan's supervisors when it waits at a kecamatan);
  //   escalated: the new level's officers (kecamatan: supervisors; regency: managers and the
  //       front office);
  //   forwarded: the front office; reviewed: the back office;
  //   sla_warning, reply: the holder (who claimed it), else the level's officers;
  //   sla_breach: as the warning, and the next level (supervisors, then managers).
  static core::Result<std::vector<std::int64_t>> RecipientsOf(storage::Db& db,
                                                              std::int64_t ticket_id,
                                                              std::string_view kind);

 private:
  core::Result<int> Expand(storage::Db& db, std::int64_t now_ms, int limit) const;
  core::Result<std::optional<compose::Outgoing>> DigestFor(storage::Db& db, std::int64_t user_id,
                                                           std::int64_t now_ms) const;

  const locale::Catalog* catalog_;
  AlertOptions options_;
  AlertRoutes routes_;
};

}  // namespace satupintu::backoffice
