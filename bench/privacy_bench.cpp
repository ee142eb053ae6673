// Issue 18's masking figures, in one process and one run:
//  - journal: storage::Journal::Append of N messages as the webhooks do (64 appends in flight,
//    group commit, synchronous=FULL): the inbound path's durable cost per message;
//  - mask: core::MaskPersonalNumbers on the same N texts (what the dialog does to free text
//    at the door), alone, per message;
//  - journal+mask: each message masked, then appended (the cost the door adds to the path);
//  - redact: inbound::RedactProcessedJournal over the N journaled rows (the 7-day pass).
// Texts are citizens' messages; a quarter carry a NIK, KK or phone number in some form.
//
//   build-test/bench/bench_privacy [messages=50000] [dir=/tmp]
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/core/adapter.hpp"
#include "core/metrics.hpp"
#include "core/redact.hpp"
#include "inbound/journal_record.hpp"
#include "schema/schema.hpp"
#include "storage/journal.hpp"
#include "storage/store.hpp"

namespace {

using namespace satupintu;
using Clock = std::chrono::steady_clock;

std::vector<std::string> Texts(int n) {
  const std::vector<std::string> plain = {
      "bantuan PKH saya belum cair sudah 3 bulan, mohon dibantu",
      "ADU#3206054508850003#beras bpnt tidak datang bulan ini",
      "Assalamualaikum pak, saya mau tanya kapan pencairan tahap 3 di kantor pos",
      "ya",
      "2",
      "anak saya sakit, tidak punya BPJS, rumah di RT 02/RW 05 desa Sukamaju",
      "sejak 12/05/2024 belum terima apa-apa, sudah lapor ke desa tapi belum ada kabar"};
  const std::vector<std::string> personal = {
      "NIK saya 3206 0545 0885 0003 tolong dicek", "hp saya 0812-3456-7890 kalau perlu dihubungi",
      "kk 3206.0101.0203.0004 nik \xEF\xBC\x93\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x96"
      "054508850003",
      "hubungi +62 812 3456 7890 atau (0265) 331-234"};
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    out.push_back(i % 4 == 3 ? personal[static_cast<std::size_t>(i / 4) % personal.size()]
                             : plain[static_cast<std::size_t>(i) % plain.size()]);
  }
  return out;
}

struct Bench {
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<storage::Journal> journal;
  core::MetricsRegistry metrics;
};

std::unique_ptr<Bench> OpenStore(const std::string& path) {
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  auto b = std::make_unique<Bench>();
  storage::StoreOptions options;
  options.migrations = schema::Migrations();
  options.path = path;
  auto store = storage::Store::Open(options, &b->metrics);
  if (!store.ok()) {
    std::fprintf(stderr, "store: %s\n", store.error().message.c_str());
    std::exit(1);
  }
  b->store = std::move(store).value();
  b->journal = std::make_unique<storage::Journal>(b->store.get(), &b->metrics);
  return b;
}

// Appends every text as one message, `in_flight` requests at a time; returns seconds.
double Journal(Bench& b, const std::vector<std::string>& texts, bool mask, const char* tag) {
  constexpr int kInFlight = 64;
  std::mutex mutex;
  std::condition_variable cv;
  int pending = 0;
  std::atomic<int> failed{0};
  const auto start = Clock::now();
  for (std::size_t i = 0; i < texts.size(); ++i) {
    adapters::ParsedRequest parsed;
    adapters::InboundMessage m;
    m.provider_id = std::string(tag) + std::to_string(i);
    m.address = "62812" + std::to_string(10'000'000 + i);
    m.kind = adapters::MessageKind::kText;
    m.text = mask ? core::MaskPersonalNumbers(texts[i]) : texts[i];
    parsed.messages.push_back(std::move(m));
    {
      std::unique_lock lock(mutex);
      cv.wait(lock, [&] { return pending < kInFlight; });
      ++pending;
    }
    b.journal->Append(inbound::JournalRecords("telegram:tg", parsed), "r",
                      [&](const core::Result<storage::AppendOutcome>& r) {
                        if (!r.ok()) ++failed;
                        std::lock_guard lock(mutex);
                        --pending;
                        cv.notify_all();
                      });
  }
  std::unique_lock lock(mutex);
  cv.wait(lock, [&] { return pending == 0; });
  if (failed > 0) std::fprintf(stderr, "%d appends failed\n", failed.load());
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double MaskOnly(const std::vector<std::string>& texts, std::size_t* masked) {
  const auto start = Clock::now();
  std::size_t n = 0;
  for (const auto& t : texts) n += core::MaskPersonalNumbers(t) != t ? 1 : 0;
  *masked = n;
  return std::chrono::duration<double>(Clock::now() - start).count();
}

template <typename F>
auto OnWriter(storage::Store& store, F f) {
  std::promise<decltype(f(std::declval<storage::Db&>()))> p;
  store.Write(
      [&](storage::Db& db) {
        p.set_value(f(db));
        return core::Status{};
      },
      [](const core::Status&) {});
  return p.get_future().get();
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 50'000;
  const std::string dir = argc > 2 ? argv[2] : "/tmp";
  const auto texts = Texts(n);
  auto b = OpenStore(dir + "/bench_privacy.db");

  // Alternate so that drift of the disk or the other core hits both alike.
  double journal_s = 0;
  double both_s = 0;
  double mask_s = 0;
  std::size_t masked = 0;
  for (int round = 0; round < 2; ++round) {
    journal_s += Journal(*b, texts, false, round == 0 ? "a" : "c");
    both_s += Journal(*b, texts, true, round == 0 ? "b" : "d");
    mask_s += MaskOnly(texts, &masked);
  }
  const double per = 2.0 * n;
  std::printf("messages per series: %d (x2 rounds), with a personal number: %zu\n", n, masked);
  std::printf("journal append:        %8.2f us/msg  (%.0f msg/s)\n", journal_s / per * 1e6,
              per / journal_s);
  std::printf("mask then append:      %8.2f us/msg  (%.0f msg/s)  ratio %.3f\n", both_s / per * 1e6,
              per / both_s, journal_s / both_s);
  std::printf("mask alone:            %8.3f us/msg  (%.1f %% of an append)\n", mask_s / per * 1e6,
              100.0 * mask_s / journal_s);

  // The redaction pass over everything journaled: mark it processed, then redact in batches
  // of 500 (one transaction each, as the purge does).
  const core::Status marked = OnWriter(*b->store, [](storage::Db& db) {
    return db.Exec(
        "INSERT INTO journal_cursor (consumer, last_id) SELECT 'channels', max(id) FROM"
        " inbound_journal WHERE true ON CONFLICT (consumer) DO UPDATE SET last_id = "
        "excluded.last_id");
  });
  if (!marked.ok()) {
    std::fprintf(stderr, "cursor: %s\n", marked.error().message.c_str());
    b->store->Close();
    return 1;
  }
  const auto start = Clock::now();
  int total = 0;
  for (;;) {
    auto done = OnWriter(*b->store, [](storage::Db& db) {
      return inbound::RedactProcessedJournal(db, std::int64_t{1} << 62, 500);
    });
    if (!done.ok()) {
      std::fprintf(stderr, "redact: %s\n", done.error().message.c_str());
      b->store->Close();
      return 1;
    }
    if (done.value() == 0) break;
    total += done.value();
  }
  const double redact_s = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("redact pass:           %8.2f us/row  (%d rows, %.0f rows/s, batches of 500)\n",
              redact_s / total * 1e6, total, total / redact_s);
  b->store->Close();
  return 0;
}
