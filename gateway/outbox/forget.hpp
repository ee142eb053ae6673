#pragma once
// What a citizen's restriction or erasure (gateway/subject) does to the outbox, inside the
// caller's write transaction. Parts already in flight are the peer's now; a part that is
// stopped ends 'failed' with the reason as its last error, so a sender that claimed it before
// records nothing over it (results move only in-flight parts).

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::outbox {

// Queued parts to any of `addresses` end failed with `reason` ("restricted"); returns how many.
core::Result<int> StopQueuedToIn(storage::Db& db, const std::vector<std::string>& addresses,
                                 const std::string& reason, std::int64_t now_ms);

// Every message to any of `addresses` loses its text, body and address (the row and its parts'
// states stay for the channel's figures); queued and in-flight parts end failed with
// "erased", so nothing is sent or resent after a crash. Returns how many messages.
core::Result<int> ForgetAddressesIn(storage::Db& db, const std::vector<std::string>& addresses,
                                    std::int64_t now_ms);

}  // namespace satupintu::outbox
