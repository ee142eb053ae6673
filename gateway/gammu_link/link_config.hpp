#pragma once
// One Gammu SMSD instance (one modem) as the gateway sees it: `channels.gammu[]` in the
// configuration. The pure adapter settings (parts, timeouts, PhoneID) travel inside.

#include <chrono>
#include <string>

#include "adapters/gammu/config.hpp"

namespace satupintu::gammu_link {

struct LinkConfig {
  std::string name;      // channels.gammu[].name; the journal channel is "gammu:<name>"
  std::string database;  // SMSD's SQLite file (its dbdir + database)
  std::chrono::milliseconds poll_interval{1000};
  // SMSD writes the same file: wait this long for its lock before calling a poll or a send
  // transient. Short, because the worker and the sender must not stall.
  std::chrono::milliseconds busy_timeout{2000};
  // Our CreatorIDs are "<prefix><part key>": the prefix tells our rows from those of other
  // SMSD clients (gammu-smsd-inject, a web panel) sharing the database.
  std::string creator_prefix = "satupintu:";
  // After a restart, statuses of parts SMSD sent within this window are read again (the
  // outbox never moves a part backwards, so repeats are harmless).
  std::chrono::hours status_lookback{48};
  // A part whose status can still change (SendingOK waiting for its report) is watched this
  // long, then given up.
  std::chrono::hours status_watch{72};
  adapters::gammu::Config adapter;  // phone_id, smsd_utc_offset, partial_timeout, ...
};

// Empty when usable, else why not (names the field, never a value).
std::string ValidateLinkConfig(const LinkConfig& config);

}  // namespace satupintu::gammu_link
