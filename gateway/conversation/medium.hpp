#pragma once
// The engine's view of a channel (dialog::Medium): what fits one message there, and how the
// citizen's words are echoed in a prompt. The same measure serves the runtime and
// `satupintu dialogs check`, so the check fails on exactly what the runtime would page.

#include <string>
#include <string_view>

#include "compose/compose.hpp"
#include "dialog/engine.hpp"
#include "locale/catalog.hpp"

namespace satupintu::conversation {

// A button channel shows at most this many choices at once: a WhatsApp list holds 10 rows,
// and a Telegram keyboard taller than that scrolls off a phone screen.
inline constexpr std::size_t kMaxChoicesPerMessage = 10;

// True when `out` (as ToOutgoing made it) goes as one message: on SMS one segment of the text
// the outbox sends (choices as numbered lines, SmartSubstitute, then GSM-7 160 or UCS-2 70);
// on WhatsApp and Telegram at most kMaxChoicesPerMessage choices.
bool FitsOneMessage(const compose::Outgoing& out);

class ChannelMedium final : public dialog::Medium {
 public:
  // `catalog` outlives the medium.
  ChannelMedium(const locale::Catalog& catalog, const std::string& channel);

  bool Fits(const dialog::Reply& reply, const std::string& language) const override;
  // Every channel: digit runs of a NIK, KK or phone number masked (core::Redact), never sent
  // back. SMS: then adapters::sms::Gsm7Only (an emoji or a curly quote in a description would
  // make the summary UCS-2: 70 characters an SMS). WhatsApp and Telegram carry any character,
  // so the citizen reads their own words there otherwise as typed.
  std::string Echo(std::string_view text) const override;

 private:
  const locale::Catalog& catalog_;
  std::string channel_;
  bool sms_ = false;
};

}  // namespace satupintu::conversation
