#pragma once
// What the Gammu SMSD channel is, for the code that shapes messages for it
// (adapters/core/channel.hpp).

#include "adapters/core/channel.hpp"

namespace satupintu::adapters::gammu {

// One outbox part per SMS segment (SMSD's outbox_multipart rows), at most 6. A basic phone
// has no buttons: choices are numbered lines.
inline constexpr ChannelDescriptor kDescriptor{
    .kind = "gammu",
    .split = PartSplit::kSmsSegments,
    .max_sms_segments = 6,
};

}  // namespace satupintu::adapters::gammu
