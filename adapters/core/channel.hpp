#pragma once
// What one kind of channel is, for the code that shapes messages for it: the composer
// (outbound/compose), the dialog renderer (conversation), notices (backoffice/notify), the
// officers' SMS commands and the dispatcher. Each adapter folder defines its own descriptor
// (adapters/<kind>/descriptor.hpp); adapters/channels.cpp lists them, so asking "is this an
// SMS channel?" or "how long may a WhatsApp part be?" never switches on a kind's name.

#include <cstddef>
#include <string_view>

namespace satupintu::adapters {

// How a text becomes outbox parts.
enum class PartSplit {
  kTextUnits,    // parts of at most max_text_units (WhatsApp, Telegram)
  kWholeSms,     // one part, the gateway concatenates it (Kannel), at most max_sms_segments
  kSmsSegments,  // one part per SMS segment (Gammu), at most max_sms_segments
};

struct ChannelDescriptor {
  std::string_view kind;  // the prefix of channel names: "whatsapp" in "whatsapp:wa-main"

  PartSplit split = PartSplit::kTextUnits;
  std::size_t max_text_units = 0;         // kTextUnits: longest part
  bool utf16_units = false;               // units are UTF-16 code units, else code points
  std::size_t max_interactive_units = 0;  // the part carrying buttons; 0: max_text_units
  std::size_t max_sms_segments = 0;       // SMS: longest message, in segments

  // Choices: tapped buttons or lists, else numbered lines ("Balas 1-3").
  bool buttons = false;
  std::size_t max_buttons = 0;       // more choices than this become a list (0: no limit)
  std::size_t max_button_title = 0;  // code points; 0: no limit
  std::size_t max_list_title = 0;    // code points of a list row title; 0: no limit

  bool callback_answers = false;  // tapped buttons are queries to answer (Telegram)
  bool shares_contact = false;    // a shared contact card links a phone number (Telegram)
  bool service_window = false;    // free text only within a window after the citizen wrote
  bool templates = false;         // approved templates may go without text (WhatsApp)

  bool IsSms() const { return split != PartSplit::kTextUnits; }
};

}  // namespace satupintu::adapters
