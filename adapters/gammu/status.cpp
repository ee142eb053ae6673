#include "adapters/gammu/status.hpp"

#include <array>
#include <set>
#include <string>
#include <utility>

namespace satupintu::adapters::gammu {
namespace {

constexpr std::array<std::pair<std::string_view, DeliveryState>, 8> kStatuses = {{
    {"SendingOK", DeliveryState::kSent},
    {"SendingOKNoReport", DeliveryState::kSent},
    {"DeliveryPending", DeliveryState::kSent},
    {"DeliveryUnknown", DeliveryState::kSent},
    {"DeliveryOK", DeliveryState::kDelivered},
    {"SendingError", DeliveryState::kFailed},
    {"DeliveryFailed", DeliveryState::kFailed},
    {"Error", DeliveryState::kFailed},
}};

}  // namespace

std::optional<DeliveryState> MapStatus(std::string_view status) {
  for (const auto& [name, state] : kStatuses) {
    if (name == status) return state;
  }
  return std::nullopt;
}

std::optional<StatusUpdate> AggregateStatus(const std::vector<SentItemRow>& rows, int parts_total) {
  std::optional<StatusUpdate> update;
  std::set<int> delivered;
  for (const auto& row : rows) {
    const auto state = MapStatus(row.status);
    if (!state) continue;
    if (!update) {
      update.emplace();
      update->provider_message_id = row.creator_id;
      update->state = DeliveryState::kSent;
    }
    if (*state == DeliveryState::kFailed && update->state != DeliveryState::kFailed) {
      update->state = DeliveryState::kFailed;
      update->error_code = std::to_string(row.status_error);
      update->error_title = row.status;
    }
    if (*state == DeliveryState::kDelivered) delivered.insert(row.sequence_position);
  }
  if (update && update->state != DeliveryState::kFailed && parts_total > 0 &&
      static_cast<int>(delivered.size()) >= parts_total) {
    update->state = DeliveryState::kDelivered;
  }
  return update;
}

}  // namespace satupintu::adapters::gammu
