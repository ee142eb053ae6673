// Issue 18 item 4: the retention purge on the 1M-ticket store of tickets_bench, and what it does
// to the inbound journal's ingest while it runs, in one process and one run:
//  1. copies the cached store (tickets_bench --tickets 1000000 makes it) to a scratch file and
//     opens it as the gateway does (storage::Store: WAL, synchronous=FULL, group commit; the
//     migrations bring it to version 18);
//  2. adds `--journal` processed inbound messages received 40 days before "now" (now = one day
//     after the newest ticket), so the journal's redaction and deletion have work too;
//  3. ingest alone: `--in-flight` storage::Journal::Append requests of one message each kept in
//     flight for `--seconds` (the webhook path's durable part: journal row, group commit,
//     fsync); the latency of each append from call to completion;
//  4. the same ingest while privacy::Purge runs one pass with the default retention, each batch
//     one store write job as app/privacy_runner.cpp does; the latencies of the appends made
//     while it ran, and the pass's time and counts.
//
//   bench/purge_bench [--store /tmp/satupintu-tickets-1000000-s1-g2.db] [--dir /tmp]
//                     [--journal 200000] [--seconds 20] [--in-flight 64] [--batch 100]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/core/adapter.hpp"
#include "core/metrics.hpp"
#include "inbound/journal_record.hpp"
#include "privacy/purge.hpp"
#include "schema/schema.hpp"
#include "storage/journal.hpp"
#include "storage/store.hpp"

namespace {

using namespace satupintu;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point from) {
  return std::chrono::duration<double>(Clock::now() - from).count();
}

struct Options {
  std::string store = "/tmp/satupintu-tickets-1000000-s1-g2.db";
  std::string dir = "/tmp";
  int journal = 200'000;
  int seconds = 20;
  int in_flight = 64;
  int batch = 100;
};

std::vector<storage::InboundRecord> Records(const std::string& id) {
  adapters::ParsedRequest parsed;
  adapters::InboundMessage m;
  m.provider_id = id;
  m.address = "tg:" + id;
  m.text = "Bansos PKH belum cair, NIK 3206054304610003, tolong dicek";
  m.raw = R"({"message":{"text":"Bansos PKH belum cair"}})";
  parsed.messages.push_back(m);
  return inbound::JournalRecords("telegram:tg", parsed);
}

core::Status Write(storage::Store& store, const storage::Store::WriteJob& job) {
  std::promise<core::Status> done;
  store.Write(job, [&done](core::Status s) { done.set_value(std::move(s)); });
  return done.get_future().get();
}

// Keeps `in_flight` appends going until `stop`; returns each append's latency in µs.
std::vector<double> Ingest(storage::Journal& journal, int in_flight, std::atomic<bool>& stop,
                           std::atomic<long>& next_id) {
  std::mutex mu;
  std::condition_variable cv;
  int pending = 0;
  std::vector<double> latencies;
  latencies.reserve(1'000'000);
  std::unique_lock lock(mu);
  while (!stop.load() || pending > 0) {
    while (!stop.load() && pending < in_flight) {
      ++pending;
      const auto start = Clock::now();
      lock.unlock();
      journal.Append(Records("i" + std::to_string(next_id++)), "r",
                     [&, start](const core::Result<storage::AppendOutcome>& r) {
                       const double us =
                           std::chrono::duration<double, std::micro>(Clock::now() - start).count();
                       std::lock_guard g(mu);
                       if (r.ok()) latencies.push_back(us);
                       --pending;
                       cv.notify_one();
                     });
      lock.lock();
    }
    cv.wait_for(lock, std::chrono::milliseconds(50));
  }
  return latencies;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

void Print(const char* phase, const std::vector<double>& v, double seconds) {
  std::printf("%s appends=%zu seconds=%.1f per_s=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n", phase,
              v.size(), seconds, static_cast<double>(v.size()) / seconds,
              Percentile(v, 0.50) / 1000, Percentile(v, 0.99) / 1000, Percentile(v, 1.0) / 1000);
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--store") {
      opt.store = value;
    } else if (flag == "--dir") {
      opt.dir = value;
    } else if (flag == "--journal") {
      opt.journal = std::atoi(value);
    } else if (flag == "--seconds") {
      opt.seconds = std::atoi(value);
    } else if (flag == "--in-flight") {
      opt.in_flight = std::atoi(value);
    } else if (flag == "--batch") {
      opt.batch = std::atoi(value);
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  const std::string work = opt.dir + "/purge-bench-work.db";
  std::filesystem::remove(work);
  std::filesystem::remove(work + "-wal");
  std::filesystem::remove(work + "-shm");
  auto t = Clock::now();
  std::error_code ec;
  std::filesystem::copy_file(opt.store, work, ec);
  if (ec) {
    std::fprintf(stderr, "cannot copy %s (make it with tickets_bench --tickets 1000000): %s\n",
                 opt.store.c_str(), ec.message().c_str());
    return 1;
  }
  std::printf("copy_s=%.1f\n", Seconds(t));

  core::MetricsRegistry metrics;
  storage::StoreOptions options;
  options.path = work;
  options.migrations = schema::Migrations();
  t = Clock::now();
  auto opened = storage::Store::Open(options, &metrics);
  if (!opened.ok()) {
    std::fprintf(stderr, "open: %s\n", opened.error().detail.c_str());
    return 1;
  }
  auto& store = *opened.value();
  std::printf("open_and_migrate_s=%.1f schema_version=%d\n", Seconds(t), store.schema_version());
  storage::Journal journal(&store, &metrics);

  // Now: one day after the newest ticket.
  std::int64_t now_ms = 0;
  std::int64_t tickets = 0;
  std::int64_t citizens = 0;
  (void)Write(store, [&](storage::Db& db) -> core::Status {
    now_ms = db.QueryInt("SELECT MAX(created_at_ms) FROM ticket").value() + 86'400'000;
    tickets = db.QueryInt("SELECT COUNT(*) FROM ticket").value();
    citizens = db.QueryInt("SELECT COUNT(*) FROM citizen").value();
    return {};
  });
  std::printf("tickets=%lld citizens=%lld\n", static_cast<long long>(tickets),
              static_cast<long long>(citizens));

  // Old, processed journal rows.
  t = Clock::now();
  for (int done = 0; done < opt.journal;) {
    const int n = std::min(10'000, opt.journal - done);
    auto s = Write(store, [&](storage::Db& db) -> core::Status {
      auto q = db.Prepare(
          "INSERT INTO inbound_journal (channel, provider_id, received_at_ms, request_id, payload)"
          " VALUES (?, ?, ?, 'r', ?)");
      if (!q.ok()) return q.error();
      for (int i = 0; i < n; ++i) {
        const auto rec = Records("old" + std::to_string(done + i));
        if (auto r = q.value()
                         ->Bind(1, rec[0].channel)
                         .Bind(2, rec[0].provider_id)
                         .Bind(3, now_ms - 40LL * 86'400'000 + i)
                         .BindBlob(4, rec[0].payload)
                         .Run();
            !r.ok()) {
          return r;
        }
      }
      return db.Exec(
          "INSERT INTO journal_cursor (consumer, last_id) SELECT 'channels', MAX(id) FROM"
          " inbound_journal WHERE true ON CONFLICT (consumer) DO UPDATE SET last_id ="
          " excluded.last_id");
    });
    if (!s.ok()) {
      std::fprintf(stderr, "seed: %s\n", s.error().detail.c_str());
      return 1;
    }
    done += n;
  }
  std::printf("journal_seeded=%d seed_s=%.1f\n", opt.journal, Seconds(t));

  privacy::Retention retention;
  retention.batch_rows = opt.batch;
  {
    std::promise<core::Result<privacy::Counts>> due;
    store.Read([&](storage::Db* db, const core::Error* e) {
      if (db == nullptr) {
        due.set_value(*e);
        return;
      }
      due.set_value(privacy::Due(*db, retention, now_ms));
    });
    t = Clock::now();
    auto counts = due.get_future().get();
    if (counts.ok()) {
      std::printf("due %s (dry run %.1f s)\n", counts.value().Summary().c_str(), Seconds(t));
    }
  }

  std::atomic<long> next_id{0};
  // 1. Ingest alone.
  std::atomic<bool> stop{false};
  t = Clock::now();
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::seconds(opt.seconds));
    stop = true;
  });
  auto alone = Ingest(journal, opt.in_flight, stop, next_id);
  stopper.join();
  Print("ingest_alone", alone, Seconds(t));

  // 2. Ingest during one purge pass.
  stop = false;
  core::Result<privacy::PassResult> pass = privacy::PassResult{};
  double pass_s = 0;
  t = Clock::now();
  std::thread purger([&] {
    const auto start = Clock::now();
    pass = privacy::Purge(
        [&](const privacy::Batch& batch) {
          return Write(store, [&batch](storage::Db& db) { return batch(db); });
        },
        retention, now_ms, "bench");
    pass_s = Seconds(start);
    stop = true;
  });
  auto during = Ingest(journal, opt.in_flight, stop, next_id);
  purger.join();
  Print("ingest_during_purge", during, Seconds(t));
  if (!pass.ok()) {
    std::fprintf(stderr, "purge: %s %s\n", pass.error().message.c_str(),
                 pass.error().detail.c_str());
    return 1;
  }
  std::printf("purge_s=%.1f batches=%lld complete=%d batch_rows=%d %s\n", pass_s,
              static_cast<long long>(pass.value().batches), pass.value().complete ? 1 : 0,
              opt.batch, pass.value().done.Summary().c_str());
  store.Close();
  std::filesystem::remove(work);
  std::filesystem::remove(work + "-wal");
  std::filesystem::remove(work + "-shm");
  return 0;
}
