#pragma once
// Phone numbers as citizens and providers write them -> one canonical form: E.164 digits
// without '+' ("6281234567890"). WhatsApp's wa_id uses the same form, so an SMS sender and
// a WhatsApp user with one number become one citizen by plain string equality.

#include <optional>
#include <string>
#include <string_view>

namespace satupintu::adapters {

// Accepts "0812-3456-7890", "+62 812 3456 7890", "62812...", "0062812...", "(0812) 345..."
// and, for a number already in international form, any country ("+65 9123 4567").
// Returns nullopt for anything that is not a plausible phone number. Indonesian numbers
// must have 9 to 13 digits after the 62 (landlines with area codes included).
std::optional<std::string> NormalizePhone(std::string_view input);

}  // namespace satupintu::adapters
