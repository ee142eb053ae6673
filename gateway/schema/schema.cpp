#include "schema/schema.hpp"

#include <algorithm>
#include <vector>

#include "audit/schema.hpp"
#include "backoffice/schema.hpp"
#include "broadcast/schema.hpp"
#include "channel_log/schema.hpp"
#include "citizens/schema.hpp"
#include "conversation/schema.hpp"
#include "outbox/schema.hpp"
#include "privacy/schema.hpp"
#include "regions/schema.hpp"
#include "registry/schema.hpp"
#include "storage/schema.hpp"
#include "subject/schema.hpp"
#include "tickets/schema.hpp"
#include "users/schema.hpp"

namespace satupintu::schema {

std::span<const storage::Migration> Migrations() {
  static const std::vector<storage::Migration> all = [] {
    std::vector<storage::Migration> out;
    // Within one version, pieces apply in this order: the order the versions were written in
    // when one file held them, so every store gets the same schema, object by object.
    for (auto pieces :
         {outbox::Schema(), storage::Schema(), citizens::Schema(), channel_log::Schema(),
          regions::Schema(), audit::Schema(), registry::Schema(), conversation::Schema(),
          tickets::Schema(), users::Schema(), backoffice::Schema(), subject::Schema(),
          privacy::Schema(), broadcast::Schema()}) {
      out.insert(out.end(), pieces.begin(), pieces.end());
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.version < b.version; });
    return out;
  }();
  return all;
}

}  // namespace satupintu::schema
