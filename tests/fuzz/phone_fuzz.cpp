// Fuzz target for adapters::NormalizePhone (SMS senders, WhatsApp wa_id, Telegram contacts,
// officers' numbers). Invariants: what it accepts is E.164 digits without '+' (8 to 15 digits),
// and the canonical form is a fixed point: written with '+' it normalises to itself, and an
// Indonesian one ("62...") also without it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/core/phone.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using satupintu::adapters::NormalizePhone;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::optional<std::string> phone = NormalizePhone(input);
  if (!phone) return 0;
  FUZZ_CHECK(phone->size() >= 8 && phone->size() <= 15);
  for (char c : *phone) FUZZ_CHECK(c >= '0' && c <= '9');
  FUZZ_CHECK((*phone)[0] != '0');
  FUZZ_CHECK(NormalizePhone("+" + *phone) == phone);
  if (phone->rfind("62", 0) == 0) FUZZ_CHECK(NormalizePhone(*phone) == phone);
  return 0;
}
