#include "adapters/gammu/config.hpp"

#include "adapters/sms/analysis.hpp"

namespace satupintu::adapters::gammu {
namespace {

// Timezones run from UTC-12 to UTC+14.
constexpr std::chrono::seconds kMaxUtcOffset = std::chrono::hours(14);

}  // namespace

std::string ValidateConfig(const Config& config) {
  if (config.max_parts < 1 || config.max_parts > sms::kMaxParts) {
    return "gammu max_parts must be 1-255";
  }
  if (config.partial_timeout <= std::chrono::seconds(0)) {
    return "gammu partial_timeout must be positive";
  }
  if (config.smsd_utc_offset > kMaxUtcOffset || config.smsd_utc_offset < -kMaxUtcOffset) {
    return "gammu smsd_utc_offset must be within +-14 hours";
  }
  // SenderID is compared with the PhoneID of smsdrc; keep it to what fits an INI value.
  for (char c : config.phone_id) {
    if (c <= ' ' || c == 0x7f) return "gammu phone_id contains spaces or control characters";
  }
  return {};
}

}  // namespace satupintu::adapters::gammu
