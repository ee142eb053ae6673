// Fuzz target for the configuration reader (gateway/config): ParseConfig on any text (JSON
// with comments) and ParseQuietHours. Invariants: no exception escapes (the API promises a
// Result); a refusal has a message naming at least one problem; an accepted config lists
// channel ids that are unique; quiet hours are minutes of one day.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace satupintu::config;  // NOLINT(google-build-using-namespace): a fuzz target
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto config = ParseConfig(text);
  if (!config.ok()) {
    FUZZ_CHECK(!config.error().message.empty());
  } else {
    std::vector<std::string> ids = ChannelIds(config.value());
    std::sort(ids.begin(), ids.end());
    FUZZ_CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
    (void)UnplacedRegion(config.value());
    (void)AlertChannel(config.value());
  }
  const std::optional<std::pair<int, int>> quiet = ParseQuietHours(text);
  if (quiet) {
    FUZZ_CHECK(quiet->first >= 0 && quiet->first < 1440);
    FUZZ_CHECK(quiet->second >= 0 && quiet->second < 1440);
  }
  return 0;
}
