#pragma once
// The back office's REST API under /api/v1 (docs/openapi.yaml): login and bearer tokens,
// tickets (queue, read, actions, notes, history, conversation, CSV export), the catalogue
// (programmes and complaint categories: read by every officer, changed by the regency's
// administrators), users, and the reports. Mounted on the public listener beside the web page.
//
// Every request but the login carries "Authorization: Bearer <token>" and is limited per
// token and per client address. Queues, reports, the catalogue and the user lists change and
// audit nothing: they run on the store's reader thread. Every other request runs as a single
// store write job: the token is
// checked, the region scope applied (tickets::Actor: a ticket outside it is answered exactly
// like an unknown code), the work done and the audit row appended in one transaction, and the
// answer leaves only after that commit. So every read of a ticket is logged before the officer
// sees it; a refused action changes nothing but its audit row (backoffice::CaseService).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "backoffice/case_service.hpp"
#include "broadcast/broadcast_store.hpp"
#include "core/result.hpp"
#include "http/router.hpp"
#include "storage/sqlite.hpp"
#include "storage/store.hpp"
#include "tickets/cases.hpp"
#include "tickets/catalogue.hpp"
#include "users/users.hpp"

namespace satupintu::regions {
class RegionIndex;
}

namespace satupintu::api {

struct ApiOptions {
  users::LoginPolicy login;
  int login_attempts_per_15_min = 10;  // per client address
  int requests_per_minute_per_token = 300;
  int requests_per_minute_per_ip = 600;
  std::string users_key;            // the phone-hash key, for users created with a phone
  int utc_offset_minutes = 7 * 60;  // the office's time zone, for weekly reports
  int max_export_rows = 20'000;     // one CSV export
};

struct ApiDeps {
  storage::Store* store = nullptr;
  // Actions (with the citizen's notice and the survey) and audited reads.
  const backoffice::CaseService* cases = nullptr;
  std::shared_ptr<const regions::RegionIndex> regions;  // village names; may be null
  std::function<std::int64_t()> now_ms;                 // empty: the system clock
  // Whether the active complaint categories, in order, still fit the citizens' one-SMS list
  // (conversation::CheckCategoryList, kConflict when not); empty: no check.
  std::function<core::Status(const std::vector<tickets::Category>&)> check_categories;
  // The registry's keyed hash of a NIK (hex), for a citizen's request by NIK
  // (subject::NikHasher); empty without a registry key: such requests answer 503.
  std::function<core::Result<std::string>(std::string_view digits)> nik_hash;
  // Broadcasts (gateway/broadcast): null when broadcast.enabled is false (no routes).
  std::shared_ptr<const broadcast::Policy> broadcasts;
  // Tells the broadcast runner a broadcast changed (approved, resumed): it looks at once.
  std::function<void()> wake_broadcasts;
};

void AddApiRoutes(http::Router& router, ApiDeps deps, ApiOptions options);

}  // namespace satupintu::api
