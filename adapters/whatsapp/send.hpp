#pragma once
// Builds the Graph API request that sends one outbound message. Being strict here is cheaper
// than decoding Meta's parameter errors later: an invalid message yields an error, never a
// request.

#include <optional>
#include <string>

#include "adapters/core/adapter.hpp"
#include "adapters/whatsapp/config.hpp"

namespace satupintu::adapters::whatsapp {

struct BuildResult {
  std::optional<HttpCall> call;  // set when the message can be sent as it is
  std::string error;             // otherwise why not: names the rule, never the content
  bool ok() const { return call.has_value(); }
};

// The kind of message follows from what is set, in this order:
//   template_name      -> template (outside the 24-hour window), text and choices ignored
//   1-3 choices        -> interactive reply buttons (title <= 20, id <= 256)
//   4-10 choices       -> interactive list, one section (row title <= 24, id <= 200)
//   otherwise          -> text (<= 4096)
// Interactive bodies are limited to 1024. Lengths count UTF-16 units (see Utf16Length). Long
// text is not split here: the caller splits before it gets this far.
BuildResult BuildSend(const Config& config, const OutboundMessage& message);

}  // namespace satupintu::adapters::whatsapp
