#include "gammu_link/link_config.hpp"

namespace satupintu::gammu_link {

std::string ValidateLinkConfig(const LinkConfig& config) {
  if (config.name.empty()) return "name is empty";
  if (config.database.empty()) return "database is empty";
  if (config.poll_interval.count() < 10) return "poll_interval_ms is below 10";
  if (config.busy_timeout.count() < 0) return "busy_timeout_ms is negative";
  if (config.creator_prefix.empty()) return "creator_prefix is empty";
  if (config.status_lookback.count() < 0) return "status_lookback is negative";
  if (std::string error = adapters::gammu::ValidateConfig(config.adapter); !error.empty()) {
    return error;
  }
  return {};
}

}  // namespace satupintu::gammu_link
