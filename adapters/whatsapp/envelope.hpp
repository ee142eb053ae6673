#pragma once
// Turns the body of a verified webhook POST into inbound messages and status updates.

#include <string_view>

#include "adapters/core/adapter.hpp"

namespace satupintu::adapters::whatsapp {

// Fills `out`. A body that is not a WhatsApp Business Account envelope sets 400; inside a valid
// envelope an unusable item is skipped with a note and the answer stays 200, because Meta
// retries any other answer for days and a broken item would come back every time. Notes name
// positions (entry/change/item index) only: ids, numbers and text stay out of them, and a wamid
// counts as personal data because it encodes the recipient's number.
void ParseEnvelope(std::string_view body, ParsedRequest& out);

}  // namespace satupintu::adapters::whatsapp
