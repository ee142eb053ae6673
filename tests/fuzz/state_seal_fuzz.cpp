// Fuzz target for the conversation state's seal (gateway/conversation/state_seal): the input is
// read both as a stored value (what the conversation table hands back, possibly altered) and as
// a plain state to seal. Invariants: a stored value nobody sealed never opens (not for any
// citizen); a sealed state opens to exactly itself for its citizen only, is recognised as
// sealed, and with any one byte altered no longer opens.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "conversation/state_seal.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using satupintu::conversation::StateSeal;
  static const StateSeal seal("0123456789abcdef0123456789abcdef");
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::int64_t citizen = 1 + static_cast<std::int64_t>(size % 1000);

  FUZZ_CHECK(!seal.Open(input, citizen).has_value());
  FUZZ_CHECK(!seal.Open(input, 42).has_value());
  (void)StateSeal::LooksSealed(input);

  const std::string sealed = seal.Seal(input, citizen);
  FUZZ_CHECK(StateSeal::LooksSealed(sealed));
  const std::optional<std::string> opened = seal.Open(sealed, citizen);
  FUZZ_CHECK(opened.has_value() && *opened == input);
  FUZZ_CHECK(!seal.Open(sealed, citizen + 1).has_value());
  std::string altered = sealed;
  const std::size_t at = size % altered.size();
  const auto flip = static_cast<unsigned char>(1 + size % 255);
  altered[at] = static_cast<char>(static_cast<unsigned char>(altered[at]) ^ flip);
  FUZZ_CHECK(!seal.Open(altered, citizen).has_value());
  FUZZ_CHECK(!seal.Open(sealed.substr(0, sealed.size() - 1), citizen).has_value());
  return 0;
}
