#pragma once
// What the Kannel SMS channel is, for the code that shapes messages for it
// (adapters/core/channel.hpp).

#include "adapters/core/channel.hpp"

namespace satupintu::adapters::kannel {

// One outbox part per message: smsbox splits it into concatenated SMS itself; we refuse a
// text longer than 6 SMS. A basic phone has no buttons: choices are numbered lines.
inline constexpr ChannelDescriptor kDescriptor{
    .kind = "kannel",
    .split = PartSplit::kWholeSms,
    .max_sms_segments = 6,
};

}  // namespace satupintu::adapters::kannel
