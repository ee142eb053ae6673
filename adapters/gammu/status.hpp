#pragma once
// sentitems.Status -> our DeliveryState. SMSD writes one sentitems row per part when it sends
// and rewrites Status when the part's status report arrives. Keeping states from going
// backwards is the store's job; this only maps.

#include <optional>
#include <string_view>
#include <vector>

#include "adapters/core/adapter.hpp"
#include "adapters/gammu/rows.hpp"

namespace satupintu::adapters::gammu {

// SendingOK, SendingOKNoReport -> kSent; DeliveryOK -> kDelivered; SendingError,
// DeliveryFailed, Error -> kFailed. DeliveryPending (the SMSC keeps retrying a phone that is
// off) and DeliveryUnknown (a report SMSD could not classify) -> kSent: the message left us
// and may still arrive, so neither is a failure nor a delivery. nullopt for anything else,
// including outbox's "Reserved", which never reaches sentitems.
std::optional<DeliveryState> MapStatus(std::string_view status);

// One message's parts (the rows kSelectSentItemsByCreator returned for its CreatorID) -> one
// update keyed by that CreatorID (our message id). Failed as soon as any part failed (the
// text is incomplete on the phone); delivered only when all parts_total parts are; sent
// otherwise. nullopt when no row maps (nothing sent yet). error_code is the failing part's
// StatusError, error_title its Status.
std::optional<StatusUpdate> AggregateStatus(const std::vector<SentItemRow>& rows, int parts_total);

}  // namespace satupintu::adapters::gammu
