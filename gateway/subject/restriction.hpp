#pragma once
// The check every path that processes a citizen's message or sends them something makes while
// a restriction of processing is in force (subject.hpp Restrict): the dialogs answer only with
// privacy.restricted (conversation/conversations.cpp), no notice, officer's message or survey
// is routed to them (backoffice/notify.cpp, backoffice/case_service.cpp). Their inbound
// messages are still journaled and acknowledged to the provider: nothing they send is lost.

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::subject {

// Whether a restriction is in force for the citizen, for the citizen it was merged into, or for
// any citizen merged into it (a restriction follows the person across a Telegram link).
// False for an unknown id.
core::Result<bool> IsRestricted(storage::Db& db, std::int64_t citizen_id);

struct Restriction {
  std::int64_t citizen_id = 0;
  std::int64_t restricted_at_ms = 0;
  std::string restricted_by;
  std::string reason;
  std::optional<std::int64_t> lifted_at_ms;
  std::string lifted_by;
};

}  // namespace satupintu::subject
