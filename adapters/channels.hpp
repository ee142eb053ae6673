#pragma once
// The one list of channel kinds. Adding a channel: its adapter folder with a descriptor, and
// one line in channels.cpp.

#include <span>
#include <string_view>

#include "adapters/core/channel.hpp"

namespace satupintu::adapters {

std::span<const ChannelDescriptor* const> Channels();

// The descriptor of a channel name ("whatsapp:wa-main") or a bare kind ("whatsapp");
// nullptr for a kind not in the list.
const ChannelDescriptor* DescriptorOf(std::string_view channel);

}  // namespace satupintu::adapters
