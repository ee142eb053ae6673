#include "adapters/channels.hpp"

#include <array>

#include "adapters/gammu/descriptor.hpp"
#include "adapters/kannel/descriptor.hpp"
#include "adapters/telegram/descriptor.hpp"
#include "adapters/whatsapp/descriptor.hpp"

namespace satupintu::adapters {
namespace {

const std::array<const ChannelDescriptor*, 4> kChannels = {
    &whatsapp::kDescriptor,
    &telegram::kDescriptor,
    &kannel::kDescriptor,
    &gammu::kDescriptor,
};

}  // namespace

std::span<const ChannelDescriptor* const> Channels() { return kChannels; }

const ChannelDescriptor* DescriptorOf(std::string_view channel) {
  const auto kind = channel.substr(0, channel.find(':'));
  for (const auto* d : kChannels) {
    if (d->kind == kind) return d;
  }
  return nullptr;
}

}  // namespace satupintu::adapters
