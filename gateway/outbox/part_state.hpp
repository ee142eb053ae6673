#pragma once
// The life of one outbound part and the rules that keep it honest:
//   queued -> in_flight (committed BEFORE the peer sees it) -> sent -> delivered -> read
//   in_flight -> queued (transient error, rate limit: retried later)
//   in_flight -> failed (permanent error, or too old to retry)
//   in_flight found after a crash -> queued (policy: resend) or unknown (policy: do not)
// Provider statuses move a part forward only: a late "sent" never undoes "delivered", and
// "failed" after "delivered" is ignored (providers send duplicates and out of order).

#include <optional>
#include <string_view>

namespace satupintu::outbox {

enum class PartState { kQueued, kInFlight, kSent, kDelivered, kRead, kFailed, kUnknown };

const char* PartStateName(PartState state);
std::optional<PartState> ParsePartState(std::string_view name);

enum class ProviderStatus { kSent, kDelivered, kRead, kFailed };

// The state after a provider status, or nullopt when the status must be ignored because it
// would move the part backwards (or it is already there).
std::optional<PartState> ApplyProviderStatus(PartState current, ProviderStatus status);

// What to do with a part found in flight at start-up (its fate is unknown: the process died
// between marking it and learning the peer's answer).
enum class InFlightPolicy { kResend, kHold };
PartState RecoverInFlight(InFlightPolicy policy);

// True for states that will not change by our own sending any more.
bool IsFinal(PartState state);

}  // namespace satupintu::outbox
