#include "conversation/medium.hpp"

#include "adapters/channels.hpp"
#include "adapters/sms/analysis.hpp"
#include "adapters/sms/substitute.hpp"
#include "conversation/conversations.hpp"
#include "core/redact.hpp"

namespace satupintu::conversation {

bool FitsOneMessage(const compose::Outgoing& out) {
  const adapters::ChannelDescriptor* descriptor = adapters::DescriptorOf(out.channel);
  if (descriptor == nullptr) return true;
  if (descriptor->IsSms()) {
    return adapters::sms::Analyze(adapters::sms::SmartSubstitute(Preview(out))).segments <= 1;
  }
  return out.choices.size() <= kMaxChoicesPerMessage;
}

ChannelMedium::ChannelMedium(const locale::Catalog& catalog, const std::string& channel)
    : catalog_(catalog), channel_(channel) {
  const adapters::ChannelDescriptor* descriptor = adapters::DescriptorOf(channel);
  sms_ = descriptor != nullptr && descriptor->IsSms();
}

bool ChannelMedium::Fits(const dialog::Reply& reply, const std::string& language) const {
  return FitsOneMessage(ToOutgoing(reply, channel_, "", "fit",
                                   catalog_.Text(language, "channel.list_button"),
                                   catalog_.Text(language, "dialog.reply_number")));
}

std::string ChannelMedium::Echo(std::string_view text) const {
  // A NIK, KK or phone number typed into the text is never sent back, on any channel.
  const std::string masked = core::Redact(text);
  return sms_ ? adapters::sms::Gsm7Only(masked) : masked;
}

}  // namespace satupintu::conversation
