#pragma once
// The citizen's own data (UU 27/2022 PDP): find everything held about a person named by their
// NIK or phone number, export it, erase it, restrict its processing. The command line
// (`satupintu subject ...`) and the administrators' API (/api/v1/subjects/...) call these
// inside one write transaction of their own, so the work and its audit row commit together.
//
// Who a person is:
//   by phone: the citizen owning that address, with every id merged into it (a Telegram chat
//             that shared the number), and all of their tickets;
//   by NIK:   the tickets whose NIK hash is the NIK's (tickets keep only the registry's keyed
//             hash and a masked form), and the citizens who opened them.
// One hop only: a phone shared by a family is not followed to the other NIKs of its tickets.
// Error messages and audit rows never contain a NIK or an address, only masked references.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::subject {

// The registry's keyed hash of a NIK's 16 digits, hex, as tickets store it
// (registry::IdentityHasher with kind "nik", registry::HexOf).
using NikHasher = std::function<core::Result<std::string>(std::string_view digits)>;

// A person as a request names them: exactly one of a NIK or a phone number.
struct Key {
  enum class Kind { kNik, kPhone };
  Kind kind = Kind::kPhone;
  std::string nik_hash;   // kNik
  std::string address;    // kPhone: E.164 digits ("6281234567890")
  std::string reference;  // the audit rows' object: "nik:3201********0003", "phone:6281*****7890"
};

// Validates and normalises: a NIK (registry_io::ParseNik against today) or a phone number in
// any form a citizen writes (adapters::NormalizePhone). kInvalidArgument when neither or both
// are given or the one given is not valid; a NIK needs `hash` (kUnavailable without one).
core::Result<Key> MakeKey(std::string_view nik, std::string_view phone, const NikHasher& hash);

struct TicketRef {
  std::int64_t id = 0;
  std::string code;
  std::string status;
  std::string nik_masked;
};

struct Subject {
  Key key;
  std::vector<std::int64_t> citizen_ids;  // ascending; live ids and those merged into them
  std::vector<TicketRef> tickets;         // ascending id
  std::vector<std::string> addresses;     // of those citizens, ascending
  bool Empty() const { return citizen_ids.empty() && tickets.empty(); }
  // Tickets not closed yet: an erasure waits for them unless forced.
  int OpenTickets() const;
};

core::Result<Subject> Find(storage::Db& db, const Key& key);

// Who handles a request: every function below appends one audit row with these (action
// "subject.export", "subject.erase", "subject.restrict", "subject.lift"; object the key's
// reference; purpose "<purpose> (by <by>)", for a forced erasure followed by its legal basis).
struct Request {
  std::string actor;    // "cli:<login>", "user:<id>"
  std::string by;       // who handles the citizen's request (officer, data-protection officer)
  std::string purpose;  // why: "citizen's access request 2026-12-01"
  std::string ip;       // of an API caller
};
// kInvalidArgument unless actor, by and purpose are given (at most 200 bytes each).
core::Status CheckRequest(const Request& request);

// Everything held about the subject as a JSON document (pretty-printed): the citizens and their
// addresses, the tickets with their registry situation at opening, history, referrals and
// survey answer, the messages between office and citizen, the messages sent to their addresses,
// a dialog in progress (its sealed content is not opened), restrictions, and the audit rows of
// reads and changes of their data (who, when, why), this export's own row included.
// Audit rows found by a masked NIK are marked "by": "masked_nik": another person may share it.
core::Result<std::string> Export(storage::Db& db, const Subject& subject, const Request& request,
                                 std::int64_t now_ms);

struct EraseOptions {
  bool force = false;       // erase although a ticket is still open
  std::string legal_basis;  // required with force: recorded in the audit row
};
struct EraseReport {
  bool refused = false;  // a ticket is open and not forced: only the audit row was written
  int open_tickets = 0;
  int tickets_anonymised = 0;
  int citizens_deleted = 0;
  int citizens_kept = 0;       // by NIK: a citizen who also opened tickets of another NIK
  int messages_forgotten = 0;  // outbox messages whose text and address were cleared
};
// Anonymises the subject's tickets (tickets::Anonymise: every report figure stays) and deletes
// their ticket messages, then deletes each citizen with everything under them (addresses,
// channel times, dialog, pending surveys, restrictions) and clears the text and address of what
// was sent to them (outbox::ForgetAddressesIn); a citizen who also opened tickets of another
// NIK is kept. A refusal is a report with `refused`, not an error: its audit row must commit.
// kInvalidArgument for force without a legal basis.
core::Result<EraseReport> Erase(storage::Db& db, const Subject& subject, const Request& request,
                                const EraseOptions& options, std::int64_t now_ms);

// Restriction of processing (subject/restriction.hpp holds the check the dialogs and notices
// make). Restricts each of the subject's citizens (none: 0, audited as "not_found"), recording
// when, who and why, and stops what was queued to their addresses (outbox::StopQueuedToIn).
// Restricting again keeps the first restriction. Returns how many citizens were newly restricted.
core::Result<int> Restrict(storage::Db& db, const Subject& subject, const Request& request,
                           const std::string& reason, std::int64_t now_ms);
// Ends the restrictions in force; returns how many ended.
core::Result<int> Lift(storage::Db& db, const Subject& subject, const Request& request,
                       std::int64_t now_ms);

}  // namespace satupintu::subject
