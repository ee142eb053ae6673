#pragma once
// What the Telegram channel is, for the code that shapes messages for it
// (adapters/core/channel.hpp).

#include "adapters/core/channel.hpp"

namespace satupintu::adapters::telegram {

// The Bot API's limits: text 4096 code points (after entities); choices as an inline keyboard
// whose taps are callback queries; a contact button shares the citizen's phone number.
inline constexpr ChannelDescriptor kDescriptor{
    .kind = "telegram",
    .split = PartSplit::kTextUnits,
    .max_text_units = 4096,
    .buttons = true,
    .callback_answers = true,
    .shares_contact = true,
};

}  // namespace satupintu::adapters::telegram
