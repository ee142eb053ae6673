#pragma once
// Facilitators' SMS commands: an officer without mobile data acts on tickets from a basic
// phone. The grammar (case-insensitive, extra spaces and '#' as separators, codes with or
// without the dash):
//
//   KLAIM <code>                         claim
//   VERIF <code>                         verify
//   RUJUK <code> <programme>[,<programme>...]  refer (ids, short names or lexicon aliases)
//   SELESAI <code> <note>                close as solved at the village, the note kept
//   TIKET [page]                         my open tickets, one SMS per page
//   TELAT [page]                         overdue tickets of my region, one SMS per page
//   LIHAT <code>                         read: category, village, state, masked identity,
//                                        the citizen's last message (audited like the web)
//   BALAS <code> <text>                  a message to the ticket's citizen
//   TERUS <code> <reason>                forward (TERUSKAN too)
//   NAIK <code> <reason>                 escalate one level (ESKALASI too)
//   NOTIF OFF | NOTIF ON                 my alerts off / on (alerts.hpp)
//   BANTUAN                              the one-SMS help (also for a command with bad
//                                        arguments)
//
// BANTUAN with more words, TIKET/TELAT followed by anything but a page number, NOTIF followed
// by anything but ON/OFF, and SELESAI, LIHAT, BALAS, TERUS, NAIK not followed by something
// like a code are ordinary messages (an officer writes as a citizen too).
//
// Only from an SMS channel (kannel:*, gammu:*) and only from a registered officer's phone:
// anything else (another first word, an unknown phone) is not taken and goes to the dialogs,
// so a citizen never learns that commands exist. Every action goes through CaseService (same
// workflow rules, audit and citizen notices as the web). Replies come from locales
// (officer.sms.*), one SMS each, never with a citizen's NIK or name.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backoffice/alerts.hpp"
#include "backoffice/case_service.hpp"
#include "compose/compose.hpp"
#include "core/result.hpp"
#include "locale/catalog.hpp"
#include "storage/sqlite.hpp"
#include "tickets/workflow.hpp"

namespace satupintu::understand {
class Lexicon;
}

namespace satupintu::backoffice {

struct Officer {
  tickets::Actor actor;  // actor.user_id: the user
  std::string language = "id";
};

// The active officer whose phone is `address` (users::ByPhone), nullopt for anyone else.
using OfficerLookup =
    std::function<core::Result<std::optional<Officer>>(storage::Db&, std::string_view address)>;

// The lookup of the running gateway: users::ByPhone under the users key, the user's role,
// region (users::ActorOf) and language.
OfficerLookup OfficersByPhone(std::string users_key);

enum class CommandKind {
  kClaim,
  kVerify,
  kRefer,
  kSolve,
  kList,
  kHelp,
  kOverdue,
  kRead,
  kMessage,
  kForward,
  kEscalate,
  kAlerts
};

struct Command {
  CommandKind kind = CommandKind::kHelp;
  std::string code;                     // normalised ("ADU-7K3M9Q"); "" when missing or bad
  std::string code_typed;               // as typed, for the "bad code" reply
  std::vector<std::string> programmes;  // RUJUK: as typed, split at ',' (resolved later)
  std::string note;                     // SELESAI's note, BALAS's text, TERUS/NAIK's reason
  int page = 1;                         // TIKET, TELAT
  bool alerts_on = true;                // NOTIF
};

// nullopt when the first word is no command word (the message is not a command).
std::optional<Command> ParseCommand(std::string_view text);

class SmsCommands {
 public:
  // `lexicon` may be null: then programmes are known by catalogue id and names only.
  // `routes` may be null: then an officer's phone is not learned as their alert route.
  SmsCommands(const CaseService* cases, const locale::Catalog* catalog,
              const understand::Lexicon* lexicon, OfficerLookup officers,
              const AlertRoutes* routes = nullptr);

  // Inside the dispatcher's write job, for a text message. nullopt: not a command from an
  // officer's phone on an SMS channel (the dialogs take it). Else the reply to the officer
  // (key "cmd-<journal id>"); citizens' notices went to the outbox with their channels in
  // `enqueued`.
  core::Result<std::optional<std::vector<compose::Outgoing>>> Handle(
      storage::Db& db, std::int64_t journal_id, const std::string& channel,
      const std::string& address, std::string_view text, std::int64_t now_ms,
      Enqueued* enqueued) const;

  // The catalogue id of a programme as an officer types it ("pkh", "PBI-JK", "kis", "bpnt"),
  // nullopt when unknown or inactive.
  core::Result<std::optional<std::string>> ResolveProgramme(storage::Db& db,
                                                            std::string_view typed) const;

  // TIKET pages: open tickets of the officer's queue, as many lines as fit one SMS; TELAT
  // pages (`overdue`): the region's tickets past an SLA deadline, whoever holds them.
  core::Result<std::string> QueuePage(storage::Db& db, const Officer& officer, int page,
                                      bool overdue = false) const;

 private:
  core::Result<std::string> Run(storage::Db& db, const Officer& officer, const Command& command,
                                std::int64_t now_ms, Enqueued* enqueued) const;
  core::Result<std::string> Read(storage::Db& db, const Officer& officer, const std::string& code,
                                 std::int64_t now_ms) const;

  const CaseService* cases_;
  const locale::Catalog* catalog_;
  const understand::Lexicon* lexicon_;
  OfficerLookup officers_;
  const AlertRoutes* routes_;
};

}  // namespace satupintu::backoffice
