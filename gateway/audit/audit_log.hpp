#pragma once
// The audit log: one append-only row per read or change of personal data (a registry lookup,
// later a ticket read or action), each row chained to the one before by SHA-256 so that an
// edited, deleted or reordered row is detectable (`satupintu audit verify`). Triggers refuse
// UPDATE and DELETE; the chain catches what bypasses them (editing the file directly).
//
// Rows never hold personal data in clear: the object is a masked or internal reference
// ("nik:3201********0003", "ticket:K7P2QX").
#include <cstdint>
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

// Walks the whole chain in id order.
core::Result<VerifyReport> Verify(storage::Db& db);

}  // namespace satupintu::audit
