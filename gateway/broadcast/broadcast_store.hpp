#pragma once
// Broadcasts in the store (issue 20): compose, preview, approve, plan, send, pause, resume,
// cancel, resend to the failed, progress. Every function runs inside a store job on the Db&
// it is given (writes inside Store::Write, so each change is one transaction with its audit
// row, which the caller appends).
//
// The life of a broadcast:
//   draft --approve--> approved --(start time)--> planning --> sending <--> paused
//   sending --> done; draft/approved/planning/sending/paused --cancel--> cancelled
//   done --resend failed--> sending
// Nothing reaches the outbox before an approval, and an approval is by a manager of the
// region who is not the author, of the revision they previewed.
//
// Planning writes one broadcast_recipient row per household (the PRIMARY KEY (broadcast,
// household) makes a plan run again after a crash add nothing twice) in batches, then moves
// the broadcast to sending in the batch that writes the last rows. Sending moves planned rows
// whose recipient's clock is inside the send window to the outbox, a batch at a time, each
// with the outbox key "bc<id>-<row>[-r<round>]" in the same transaction as the row's state:
// a crash anywhere repeats no message and skips no row. The outbox holds only a bounded
// backlog per channel, so pause and cancel take back what was not yet claimed.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "broadcast/audience.hpp"
#include "broadcast/content.hpp"
#include "broadcast/send_window.hpp"
#include "core/result.hpp"
#include "storage/sqlite.hpp"
#include "tickets/workflow.hpp"

namespace satupintu::broadcast {

enum class State { kDraft, kApproved, kPlanning, kSending, kPaused, kDone, kCancelled };
const char* StateName(State s);
std::optional<State> ParseState(std::string_view name);

struct Broadcast {
  std::int64_t id = 0;
  std::string region;
  std::string title;
  std::map<std::string, std::string> texts;  // language -> ICU message
  AudienceFilter audience;
  SendWindow window;
  std::int64_t start_at_ms = 0;
  State state = State::kDraft;
  int revision = 1;
  std::int64_t author = 0;
  std::int64_t approver = 0;
  nlohmann::json preview;  // null until previewed
  int preview_revision = 0;
  int round = 0;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  std::int64_t approved_at_ms = 0;
  std::int64_t finished_at_ms = 0;
  std::int64_t planned_at_ms = 0;  // the plan was complete (0: not yet)
};

nlohmann::json BroadcastJson(const Broadcast& b);

// What an officer sends to create or change a draft.
struct Draft {
  std::string title;
  std::map<std::string, std::string> texts;
  nlohmann::json audience;
  std::string window_start;  // "HH:MM"; empty: the configured window's
  std::string window_end;
  std::int64_t start_at_ms = 0;
};
core::Result<Draft> ParseDraft(const nlohmann::json& body);

// What the rules need beyond the store.
struct Policy {
  ContentPolicy content;
  DeliveryOptions delivery;
  SendWindow default_window;
  int batch = 500;
  int backlog_seconds = 60;
  std::int64_t ttl_ms = 72LL * 3'600'000;
  bool resend_bulk = false;  // a bulk part in flight at a crash is resent (else held)
};

// Who may do what. Compose, edit, preview, pause and cancel: broadcasters and managers, within
// their region. Approve, resume and resend: a manager of the region; approve only one who is
// not the author (whoever last changed the draft or its uploaded numbers).
core::Status MayCompose(const tickets::Actor& actor);
core::Status MayRead(const tickets::Actor& actor, const Broadcast& b);

core::Result<Broadcast> Create(storage::Db& db, const tickets::Actor& actor, const Draft& draft,
                               const Policy& policy, std::int64_t now_ms);
core::Result<Broadcast> Update(storage::Db& db, const tickets::Actor& actor, std::int64_t id,
                               const Draft& draft, const Policy& policy, std::int64_t now_ms);
// kNotFound also for a broadcast outside the actor's region (answered like an unknown id).
core::Result<Broadcast> Load(storage::Db& db, const tickets::Actor& actor, std::int64_t id);
core::Result<std::vector<Broadcast>> List(storage::Db& db, const tickets::Actor& actor, int limit);

// Phone numbers for an upload audience, replacing earlier ones. Each line: a number as people
// write it (08.., +62.., 62..), optionally after other columns; a header line is skipped.
struct UploadReport {
  std::int64_t accepted = 0;
  std::int64_t duplicates = 0;
  struct Reject {
    std::int64_t line = 0;
    std::string reason;  // empty, not_a_phone_number, too_long; the number is not echoed
  };
  std::vector<Reject> rejected;
};
core::Result<UploadReport> Upload(storage::Db& db, const tickets::Actor& actor, std::int64_t id,
                                  std::string_view csv, std::int64_t now_ms);

// The preview of the current revision: audience per channel and kecamatan, exclusions, SMS
// parts, cost, WhatsApp template conversations against the daily limit, the estimated finish
// and the blockers. Stored with the broadcast, so the approver sees what the author saw.
core::Result<nlohmann::json> Preview(storage::Db& db, const tickets::Actor& actor, std::int64_t id,
                                     const Policy& policy, std::int64_t now_ms);
// The same numbers without the store (for the benchmark and Preview).
nlohmann::json PreviewOf(const Broadcast& b, const Audience& audience, const Policy& policy,
                         std::int64_t now_ms);

// `accept_blockers`: the approver saw the blockers and sends anyway (the households they name
// are left out with their reason).
core::Result<Broadcast> Approve(storage::Db& db, const tickets::Actor& actor, std::int64_t id,
                                int revision, bool accept_blockers, std::int64_t now_ms);
core::Result<Broadcast> Pause(storage::Db& db, const tickets::Actor& actor, std::int64_t id,
                              std::int64_t now_ms);
core::Result<Broadcast> Resume(storage::Db& db, const tickets::Actor& actor, std::int64_t id,
                               std::int64_t now_ms);
core::Result<Broadcast> Cancel(storage::Db& db, const tickets::Actor& actor, std::int64_t id,
                               std::int64_t now_ms);
// The recipients whose message failed (or whose fate a crash left unknown) are planned again
// under a new round; the broadcast sends again.
core::Result<Broadcast> ResendFailed(storage::Db& db, const tickets::Actor& actor, std::int64_t id,
                                     std::int64_t now_ms);

// --- The runner's steps (broadcast/runner.hpp) ---

// Broadcasts with work: approved and due, planning, sending.
core::Result<std::vector<Broadcast>> Active(storage::Db& db, std::int64_t now_ms);
// Starts planning (approved -> planning); false when another step moved it meanwhile.
core::Result<bool> BeginPlanning(storage::Db& db, std::int64_t id, std::int64_t now_ms);
// Writes the audience's rows [from, from + count); with `last` also moves the broadcast to
// sending.
core::Status WritePlan(storage::Db& db, std::int64_t id, const Audience& audience, std::size_t from,
                       std::size_t count, bool last, std::int64_t now_ms);

// Queues the next planned recipients of `id` whose window is open, at most `policy.batch`,
// keeping each channel's backlog of queued bulk parts under backlog_seconds of its rate. Takes
// back queued, unclaimed messages of recipients whose window has closed. Marks the broadcast
// done when nothing is planned or in the outbox any more. Returns the channels it queued on.
struct SendStep {
  std::vector<std::string> channels;
  std::int64_t queued = 0;
  bool done = false;
};
// `render(language, args)` gives the text of one recipient (ICU, compiled by the caller).
using Renderer =
    std::function<core::Result<std::string>(const Broadcast&, const Recipient& recipient)>;
core::Result<SendStep> SendSome(storage::Db& db, const Broadcast& b, const Policy& policy,
                                const Renderer& render, std::int64_t now_ms);

// Counts for the progress bar and the report.
nlohmann::json Progress(storage::Db& db, const Broadcast& b, const Policy& policy,
                        std::int64_t now_ms, core::Status* error);

// Per-recipient outcomes, masked (address as 62812****7890, household without its key).
struct Outcome {
  std::int64_t row = 0;
  std::string household_kind;  // kk, citizen, phone
  std::string address_masked;
  std::string channel;
  std::string kecamatan;
  std::string
      state;  // excluded, planned, queued, sent, delivered, read, failed, unknown, cancelled
  std::string reason;  // exclusion or the outbox's error
  int parts = 0;
  std::int64_t cost = 0;
};
core::Result<std::vector<Outcome>> Outcomes(storage::Db& db, const Broadcast& b,
                                            const Policy& policy, std::string_view state,
                                            std::int64_t after_row, int limit);

std::string MaskAddress(std::string_view address);

// The recipient row of a broadcast's outbox message key "bc<broadcast>-<row>[-r<round>]"
// (SendSome's keys); 0 for any other key.
std::int64_t RowOfMessageKey(std::string_view key);

}  // namespace satupintu::broadcast
