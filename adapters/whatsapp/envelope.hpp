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
// A change whose metadata names another phone_number_id than `phone_number_id` (ours), or
// none, is not ours to store or answer: its items are skipped, counted in `foreign_items`
// and noted, and the answer stays 200 (Meta sends every number of a business to one URL).
void ParseEnvelope(std::string_view body, ParsedRequest& out, std::string_view phone_number_id);

}  // namespace satupintu::adapters::whatsapp
