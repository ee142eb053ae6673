#pragma once
// The one place an office action on a ticket happens (web API, facilitators' SMS commands):
// inside one store write job it applies the workflow (tickets::Act), appends the audit row,
// inserts the citizen's notice into the outbox and, when the ticket was closed, starts the
// satisfaction survey. The change, its audit row and its notice commit together or not at
// all; the notice's key comes from the history event, so one event never makes two notices.
// Also the audited ticket reads the GET routes use. No Beast/Asio here.

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "backoffice/notify.hpp"
#include "compose/compose.hpp"
#include "core/result.hpp"
#include "locale/catalog.hpp"
#include "storage/sqlite.hpp"
#include "storage/store.hpp"
#include "tickets/cases.hpp"
#include "tickets/workflow.hpp"

namespace satupintu::conversation {
class Conversations;
}

namespace satupintu::backoffice {

// Who acts and why, for the audit log.
struct Caller {
  tickets::Actor actor;
  std::string purpose;  // "triage", "sms command", ...
  std::string ip;       // "" when none (SMS)
};

struct ActionResult {
  tickets::Outcome outcome;
  int notices = 0;              // outbox messages written for the citizen
  bool survey_started = false;  // closed: the survey's first question is in the outbox
  bool survey_pending = false;  // closed while the citizen was in a dialog: started later
};

// Channels that got outbox rows in a job: their senders are woken after the commit.
using Enqueued = std::set<std::string>;

// The audit outcome of a refusal: not_found, denied, conflict, invalid; "error" otherwise.
const char* OutcomeName(core::ErrorCode code);

// The error codes the workflow says no with (tickets::Act): not found, denied, conflict,
// invalid. SQLite's constraint errors share kInvalidArgument, so ActIn's `refused` flag, not
// the code, tells a refusal from a failure.
bool IsRefusal(const core::Error& error);

// One message of a ticket's conversation: what the citizen wrote when it opened ("in"), then
// each message we sent them since ("out", with its delivery state).
struct ConversationMessage {
  std::int64_t at_ms = 0;
  std::string direction;  // "in" or "out"
  std::string channel;
  std::string text;
  std::string state;  // outbox part state, "" for "in"
};

class CaseService {
 public:
  using OnEnqueued = std::function<void(const std::string& channel)>;

  // `conversations` may be null: then no survey is started (none is recorded either).
  CaseService(const locale::Catalog* catalog, conversation::Conversations* conversations,
              NotifyOptions options);

  // Called after a commit with each channel that got outbox rows (the app wakes its sender).
  void SetOnEnqueued(OnEnqueued on_enqueued) { on_enqueued_ = std::move(on_enqueued); }
  void Wake(const Enqueued& channels) const;

  // Inside the caller's write job. A refusal by the workflow (`*refused` set) has written its
  // audit row and nothing else: commit it and answer the error. Any other error: roll the job
  // back (the change, its audit row and its notice go together).
  core::Result<ActionResult> ActIn(storage::Db& db, std::string_view code,
                                   const tickets::Request& request, const Caller& caller,
                                   std::string_view note, std::int64_t now_ms, Enqueued* enqueued,
                                   bool* refused = nullptr) const;

  // ActIn in its own write job; `done` runs on the store's writer thread after the commit
  // (senders already woken).
  void Act(storage::Store& store, std::string code, tickets::Request request, Caller caller,
           std::string note, std::function<void(core::Result<ActionResult>)> done) const;

  // The ticket as `caller` may see it, audited as "ticket.read" (also when unknown or out of
  // their region: outcome not_found). Inside a write job (the audit row is a write).
  static core::Result<tickets::Case> ReadIn(storage::Db& db, std::string_view code,
                                            const Caller& caller, std::int64_t now_ms);
  // The ticket's history, audited as "ticket.history".
  static core::Result<std::vector<tickets::Event>> HistoryIn(storage::Db& db, std::string_view code,
                                                             const Caller& caller,
                                                             std::int64_t now_ms);

  // The ticket's conversation (at most 200 messages we sent), audited as
  // "ticket.conversation" with the caller's purpose.
  static core::Result<std::vector<ConversationMessage>> ConversationIn(storage::Db& db,
                                                                       std::string_view code,
                                                                       const Caller& caller,
                                                                       std::int64_t now_ms);

  // An officer's message to the citizen of ticket `code` (API, page, SMS BALAS), in the
  // caller's write job: on the ticket's channel (WhatsApp outside its window: the number's SMS
  // fallback), framed with the ticket code and how to answer, at most two SMS on an SMS route.
  // Writes the message to the ticket's conversation, a history event and an audit row
  // ("ticket.message"). Refusals (`*refused`): kNotFound (unknown or out of region),
  // kPermissionDenied (viewers, broadcasters), kInvalidArgument (empty or too long),
  // kConflict (the citizen cannot be reached: no address, no fallback, opted out).
  // Returns the channel the message goes on.
  core::Result<std::string> MessageIn(storage::Db& db, std::string_view code, std::string_view text,
                                      const Caller& caller, std::int64_t now_ms, Enqueued* enqueued,
                                      bool* refused = nullptr) const;

  // A citizen's message while an officer's message to them is younger than kThreadMs and
  // they are in no dialog: it lands on that ticket's conversation, alerts the holder, and
  // the citizen is told it was passed on (key "tma-<journal id>"). nullopt: not an answer
  // (no open thread, a dialog in progress, or a keyword such as MENU or STOP, which the
  // dialogs take).
  core::Result<std::optional<std::vector<compose::Outgoing>>> CitizenAnswerIn(
      storage::Db& db, std::int64_t journal_id, const std::string& channel,
      const std::string& address, std::string_view text, std::int64_t now_ms) const;

  static constexpr std::int64_t kThreadMs = 3LL * 24 * 3600 * 1000;
  static constexpr std::size_t kMaxMessageBytes = 1000;

  // Surveys of tickets closed while their citizen was in a dialog: up to `limit` due ones are
  // tried again (the dispatcher calls this on each pass); started or expired ones are
  // removed, the others tried again a minute later.
  core::Result<std::vector<compose::Outgoing>> RetryPendingSurveys(storage::Db& db,
                                                                   std::int64_t now_ms,
                                                                   int limit) const;

  static constexpr std::int64_t kSurveyRetryMs = 60'000;
  static constexpr std::int64_t kSurveyPendingMs = 7LL * 24 * 3600 * 1000;

 private:
  // Starts the survey of a closed ticket or records it as pending. True when started.
  core::Result<std::vector<compose::Outgoing>> StartSurvey(storage::Db& db, std::int64_t citizen_id,
                                                           const std::string& code,
                                                           std::int64_t now_ms) const;

  const locale::Catalog* catalog_;
  conversation::Conversations* conversations_;
  NotifyOptions options_;
  OnEnqueued on_enqueued_;
};

}  // namespace satupintu::backoffice
