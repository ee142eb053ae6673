#pragma once
// The citizen's notice of a change to their ticket: which change is citizen-visible, the text
// in their language, and the route (the ticket's channel of origin, WhatsApp's template or SMS
// fallback outside the 24-hour window, nothing to an opted-out address or to a citizen whose
// processing is restricted). Runs inside the caller's write job; the caller inserts what it
// returns into the outbox in that job.
// The rules are listed in gateway/backoffice/README.md.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compose/compose.hpp"
#include "core/result.hpp"
#include "locale/catalog.hpp"
#include "storage/sqlite.hpp"
#include "tickets/cases.hpp"

namespace satupintu::backoffice {

// What one WhatsApp number does outside the 24-hour window (config: channels.whatsapp[]).
struct WhatsAppRoute {
  std::string status_template;  // approved template name, "" = none
  std::string status_template_language = "id";
  std::string sms_fallback;  // "kannel:<name>" / "gammu:<name>", "" = none
};

struct NotifyOptions {
  std::map<std::string, WhatsAppRoute> whatsapp;  // by channel, "whatsapp:<name>"
};

// The message a change deserves, before routing; nullopt when the citizen is not told
// (notes, claims, escalations, forwarding inside "being handled", more programmes added).
struct Notice {
  std::string key;           // locale key: ticket.notice.*
  std::string status_key;    // the citizen label after the change (template parameter)
  std::string programme;     // referral answers: catalogue id
  std::string close_reason;  // closing: reason name
};
std::optional<Notice> NoticeFor(const tickets::Request& request, const tickets::Outcome& outcome);

// The programme's short name from the catalogue (tickets::Programmes), else its id.
core::Result<std::string> ProgrammeShortName(storage::Db& db, const std::string& programme);

// The outgoing message(s) for `outcome` (none when not citizen-visible or nobody can be
// reached), keyed "tn-<event id>" so one event never makes two outbox messages.
core::Result<std::vector<compose::Outgoing>> Notices(
    storage::Db& db, const locale::Catalog& catalog, const NotifyOptions& options,
    const tickets::Request& request, const tickets::Outcome& outcome, std::int64_t now_ms);

// Where an officer's own message to the citizen of a ticket goes: as a notice, except that
// WhatsApp outside its 24-hour window goes by the number's SMS fallback even when a status
// template exists (a template cannot carry an officer's words). nullopt: nobody can be
// reached (no address on that channel, no fallback or phone, or the address opted out).
struct CitizenRoute {
  std::int64_t citizen_id = 0;  // the live citizen (after a merge)
  std::string channel;
  std::string address;
  std::string language;
};
core::Result<std::optional<CitizenRoute>> RouteToCitizen(storage::Db& db,
                                                         const NotifyOptions& options,
                                                         std::int64_t ticket_id,
                                                         std::int64_t citizen_id,
                                                         std::int64_t now_ms);

}  // namespace satupintu::backoffice
