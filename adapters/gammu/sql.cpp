#include "adapters/gammu/sql.hpp"

#include <algorithm>

namespace satupintu::adapters::gammu::sql {

std::string MarkProcessedSql(std::size_t count) {
  count = std::clamp<std::size_t>(count, 1, kMaxIdsPerUpdate);
  std::string out =
      "UPDATE inbox SET Processed = 'true', Text = '', TextDecoded = '' WHERE ID IN (";
  for (std::size_t i = 1; i <= count; ++i) {
    if (i > 1) out += ", ";
    out += '?';
    out += std::to_string(i);
  }
  out += ')';
  return out;
}

}  // namespace satupintu::adapters::gammu::sql
