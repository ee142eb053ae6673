#pragma once
// What the WhatsApp channel is, for the code that shapes messages for it
// (adapters/core/channel.hpp).

#include "adapters/core/channel.hpp"

namespace satupintu::adapters::whatsapp {

// The Cloud API's limits, in characters counted as UTF-16 units: text 4096, an interactive
// body 1024; up to 3 reply buttons with titles of 20, else a list whose row titles hold 24.
inline constexpr ChannelDescriptor kDescriptor{
    .kind = "whatsapp",
    .split = PartSplit::kTextUnits,
    .max_text_units = 4096,
    .utf16_units = true,
    .max_interactive_units = 1024,
    .buttons = true,
    .max_buttons = 3,
    .max_button_title = 20,
    .max_list_title = 24,
    .service_window = true,
    .templates = true,
};

}  // namespace satupintu::adapters::whatsapp
