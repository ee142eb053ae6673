#include "outbox/part_state.hpp"

namespace satupintu::outbox {
namespace {

// Progress rank of what the provider told us. "failed" ranks after "sent" and before
// "delivered": a failure can follow a send, never a delivery.
int Rank(PartState s) {
  switch (s) {
    case PartState::kQueued:
      return 0;
    case PartState::kInFlight:
    case PartState::kUnknown:
      return 1;
    case PartState::kSent:
      return 2;
    case PartState::kFailed:
      return 3;
    case PartState::kDelivered:
      return 4;
    case PartState::kRead:
      return 5;
  }
  return 0;
}

PartState FromStatus(ProviderStatus s) {
  switch (s) {
    case ProviderStatus::kSent:
      return PartState::kSent;
    case ProviderStatus::kDelivered:
      return PartState::kDelivered;
    case ProviderStatus::kRead:
      return PartState::kRead;
    case ProviderStatus::kFailed:
      return PartState::kFailed;
  }
  return PartState::kSent;
}

}  // namespace

const char* PartStateName(PartState state) {
  switch (state) {
    case PartState::kQueued:
      return "queued";
    case PartState::kInFlight:
      return "in_flight";
    case PartState::kSent:
      return "sent";
    case PartState::kDelivered:
      return "delivered";
    case PartState::kRead:
      return "read";
    case PartState::kFailed:
      return "failed";
    case PartState::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::optional<PartState> ParsePartState(std::string_view name) {
  for (auto s : {PartState::kQueued, PartState::kInFlight, PartState::kSent, PartState::kDelivered,
                 PartState::kRead, PartState::kFailed, PartState::kUnknown}) {
    if (name == PartStateName(s)) return s;
  }
  return std::nullopt;
}

std::optional<PartState> ApplyProviderStatus(PartState current, ProviderStatus status) {
  const PartState next = FromStatus(status);
  if (Rank(next) <= Rank(current)) return std::nullopt;
  // A status for a part we still hold as queued (a resend raced a late status) counts too:
  // the provider has it, so we must not send it again.
  return next;
}

PartState RecoverInFlight(InFlightPolicy policy) {
  return policy == InFlightPolicy::kResend ? PartState::kQueued : PartState::kUnknown;
}

bool IsFinal(PartState state) {
  return state == PartState::kFailed || state == PartState::kDelivered || state == PartState::kRead;
}

}  // namespace satupintu::outbox
