#pragma once
// The audit log: one append-only row per read or change of personal data (a registry lookup,
// later a ticket read or action), each row chained to the one before by SHA-256 so that an
// edited, deleted or reordered row is detectable (`satupintu audit verify`). Triggers refuse
// UPDATE and DELETE; the chain catches what bypasses them (editing the file directly).
//
// Rows never hold personal data in clear: the object is a masked or internal reference
// ("nik:3201********0003", "ticket:K7P2QX").
#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::audit {

struct Entry {
  std::int64_t at_ms = 0;
  std::string actor;    // "citizen:42", "user:7", "cli"
  std::string action;   // "registry.lookup.nik"
  std::string object;   // masked or internal reference
  std::string purpose;  // why: "citizen status check", "back office"
  std::string ip;       // of the caller when there is one
  std::string outcome;  // "match", "no_match", "rate_limited", "listed", ...
};

// Appends inside the caller's write transaction (BEGIN IMMEDIATE: the chain's tail cannot
// move under us). Returns the new row id.
core::Result<std::int64_t> Append(storage::Db& db, const Entry& entry);

// The chain hash of one row given the previous row's hash (hex).
std::string ChainHash(const std::string& prev_hash, std::int64_t id, const Entry& entry);

struct VerifyReport {
  std::int64_t entries = 0;
  bool ok = true;
  std::int64_t first_bad_id = 0;  // 0 when ok
  std::string problem;            // English, for the officer running the check
};

// The chain's last row: its id and hash (0 and "" for an empty log).
struct Head {
  std::int64_t id = 0;
  std::string hash;
  friend bool operator==(const Head&, const Head&) = default;
};
core::Result<Head> HeadOf(storage::Db& db);

// The anchor: the head written out of the database (a file beside the store, `audit.head`),
// so that deleting the last rows - which leaves a valid chain - is detected: the anchored row
// must still be in the chain with the same hash. The gateway writes it every minute and each
// command that appends rows after its work. "<id> <hash>\n", replaced atomically, 0600.
core::Status WriteAnchor(const std::string& path, const Head& head);
// nullopt when there is no anchor file yet; an error for one that does not parse.
core::Result<std::optional<Head>> ReadAnchor(const std::string& path);

// Walks the whole chain in id order; with an anchor, also fails when the anchored row is gone
// (the tail was cut) or differs (rewritten).
core::Result<VerifyReport> Verify(storage::Db& db, const std::optional<Head>& anchor = {});

}  // namespace satupintu::audit
