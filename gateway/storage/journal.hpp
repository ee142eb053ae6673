#pragma once
// The inbound journal: the primitive every channel uses to make "stored before acknowledged"
// true. A channel hands over the messages of one provider request; the completion fires only
// after they are committed. A provider message id seen before is a duplicate: reported,
// never stored twice.

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/metrics.hpp"
#include "core/result.hpp"
#include "storage/store.hpp"

namespace satupintu::storage {

struct InboundRecord {
  std::string channel;      // "whatsapp", "telegram", "kannel:modem1", ...
  std::string provider_id;  // the provider's own message id (wamid, update_id, ...)
  std::string payload;      // the message as received, for the dialog engine to process
};

struct AppendOutcome {
  int stored = 0;
  int duplicates = 0;
  std::vector<std::int64_t> journal_ids;  // per record; 0 for a duplicate
};

class Journal {
 public:
  Journal(Store* store, core::MetricsRegistry* metrics);

  using Done = std::function<void(core::Result<AppendOutcome>)>;
  // `done` runs on the store's writer thread; the caller posts it back to its own executor.
  void Append(std::vector<InboundRecord> records, std::string request_id, Done done);

 private:
  struct ChannelCounters {
    core::Counter* stored;
    core::Counter* duplicates;
  };
  const ChannelCounters& CountersFor(const std::string& channel);

  Store* store_;
  core::MetricsRegistry* metrics_;
  std::mutex counters_mutex_;
  std::unordered_map<std::string, ChannelCounters> counters_;
};

}  // namespace satupintu::storage
