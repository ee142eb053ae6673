#include "storage/journal.hpp"

#include <chrono>
#include <memory>

namespace satupintu::storage {

Journal::Journal(Store* store, core::MetricsRegistry* metrics) : store_(store), metrics_(metrics) {}

void Journal::Append(std::vector<InboundRecord> records, std::string request_id, Done done) {
  auto outcome = std::make_shared<AppendOutcome>();
  auto shared_records = std::make_shared<std::vector<InboundRecord>>(std::move(records));
  const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  store_->Write(
      [outcome, shared_records, request_id = std::move(request_id),
       now_ms](Db& db) -> core::Status {
        auto stmt = db.Prepare(
            "INSERT INTO inbound_journal (channel, provider_id, received_at_ms, request_id, "
            "payload)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, provider_id) DO NOTHING");
        if (!stmt.ok()) return stmt.error();
        // The savepoint around this job makes a failed request all-or-nothing: partial
        // outcomes are reset if we fail half-way.
        *outcome = AppendOutcome{};
        for (const auto& r : *shared_records) {
          // The records and request id outlive Run(), so nothing is copied into SQLite.
          auto s = stmt.value()
                       ->BindTextView(1, r.channel)
                       .BindTextView(2, r.provider_id)
                       .Bind(3, now_ms)
                       .BindTextView(4, request_id)
                       .BindBlobView(5, r.payload)
                       .Run();
          if (!s.ok()) return s;
          if (db.Changes() == 1) {
            ++outcome->stored;
            outcome->journal_ids.push_back(db.LastInsertId());
          } else {
            ++outcome->duplicates;
            outcome->journal_ids.push_back(0);
          }
        }
        return {};
      },
      [this, outcome, shared_records, done = std::move(done)](const core::Status& status) {
        if (!status.ok()) {
          done(status.error());
          return;
        }
        if (!shared_records->empty()) {
          const auto& counters = CountersFor(shared_records->front().channel);
          counters.stored->Inc(static_cast<std::uint64_t>(outcome->stored));
          counters.duplicates->Inc(static_cast<std::uint64_t>(outcome->duplicates));
        }
        done(std::move(*outcome));
      });
}

const Journal::ChannelCounters& Journal::CountersFor(const std::string& channel) {
  // Runs on the writer thread for every append; the registry lookup builds label strings,
  // so each channel's pair is looked up once.
  std::lock_guard lock(counters_mutex_);
  auto it = counters_.find(channel);
  if (it == counters_.end()) {
    constexpr const char* kName = "satupintu_journal_messages_total";
    constexpr const char* kHelp = "Inbound messages by result.";
    ChannelCounters c{
        &metrics_->GetCounter(kName, kHelp, {{"channel", channel}, {"result", "stored"}}),
        &metrics_->GetCounter(kName, kHelp, {{"channel", channel}, {"result", "duplicate"}})};
    it = counters_.emplace(channel, c).first;
  }
  return it->second;
}

}  // namespace satupintu::storage
