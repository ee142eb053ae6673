// bench_broadcast: the Broadcasts issue's (20) figures, run by hand (not by CI or CTest).
//
//   bench_broadcast plan  --config FILE --file CSV [--share 30] [--runs 3] [--cold off|on]
//                         [--region 32.01] [--programmes BPNT] [--desil-min N] [--desil-max N]
//                         [--statuses aktif,...] [--breakdown on|off]
//   bench_broadcast first --config FILE [the same audience options] [--inbound-per-s 2]
//                         [--send-s 10] [--satupintu BIN]
//   bench_broadcast send  --dir DIR [--seconds 300] [--wa-rate 600] [--tg-rate 600]
//                         [--sms-rate 60] [--inbound-per-s 2] [--interval-ms N] [--satupintu BIN]
//
// plan: FILE is the configuration a 10,000,000-row registry was imported with (store and
// registry.dir; docs/BENCHMARKS.md, "Registry"), CSV the file it was imported from. Once, a
// child process seeds the store with contacts: for --share % of the CSV's families (chosen by
// their key, so reruns pick the same) a citizen (a phone address, and on its channel an
// address_channel row: WhatsApp inside its 24-hour window, WhatsApp older, SMS, Telegram; a few
// opted out, restricted, or without a language) and a ticket carrying the family's kk_hash (the
// registry's keyed HMAC of the KK digits, as the dialogs write it) and the member's nik_hash;
// a marker file beside the store remembers it. Then, --runs times, two fresh child processes
// on the real SQLite files, each reading what the gateway's BroadcastPolicy makes of the
// configuration plus the three channels below:
//   preview  broadcast::ResolveAudience on the store's reader (storage::Store::Read, as the API's
//            preview does) + broadcast::PreviewOf;
//   write    ResolveAudience + WritePlan in 5,000-row write jobs on the store's writer, each
//            waited for (its COMMIT durable), as app::BroadcastRunner::Plan does; then the rows
//            are counted and deleted again (not timed).
// Each child reports its own peak RSS (getrusage), so seeding never inflates it; the parent is
// small and spawns them with posix_spawn. Medians of the runs; --cold on drops the snapshot's
// and the store's pages from the page cache before each child.
//
// first: the same store and snapshot under `satupintu serve` (child process) with its three
// channels on in-process fakes (tests/fakes), capped as in send: an officer composes the registry
// broadcast through the API, previews it (timed over TLS), a manager approves it; prints the time
// from the approval's answer to the first broadcast message at any fake, when the log says the
// plan was complete, the gateway's VmRSS/VmHWM at each step and GET /{id} (progress) on the full
// plan; then cancels it, stops the gateway and deletes the plan's rows. Meanwhile (from 5 s
// before the preview, --inbound-per-s, 0 = off) new citizens write in as in send and an officer
// reads GET /api/v1/broadcasts once a second: reply latency and the read's latency per phase
// (idle, preview, planning, sending).
//
// send: a fresh store in DIR (a new subdirectory), satupintu with a WhatsApp channel on
// FakeGraphApi, a Telegram channel on FakeBotApi and a Kannel channel on FakeSmsbox, each capped
// (--*-rate per minute); enough citizens that an uploaded-numbers broadcast keeps every channel
// busy for --seconds; composed, uploaded, previewed and approved through the API. Prints the
// first message's delay after the approval, each channel's rate at its peer over --seconds from
// 10 s after that first message (all requests, and the broadcast's alone) against its cap, and,
// for a stream of --inbound-per-s new citizens writing in meanwhile (nine in ten on the WhatsApp
// webhook, one in ten as a Kannel MO), the latency from the webhook request to the dialog's
// first reply at the fake peer: p50, p99, max, and replies missing.
//
// Output is `key=value` words; figures in docs/BENCHMARKS.md, "Broadcasts (issue 20)".

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "adapters/whatsapp/signature.hpp"
#include "app/broadcast_runner.hpp"
#include "broadcast/audience.hpp"
#include "broadcast/broadcast_store.hpp"
#include "config/config.hpp"
#include "core/clock.hpp"
#include "core/key_file.hpp"
#include "fakes/fake_bot_api.hpp"
#include "fakes/fake_graph_api.hpp"
#include "fakes/fake_smsbox.hpp"
#include "paths/paths.hpp"
#include "registry/identity_hash.hpp"
#include "registry/snapshot_catalog.hpp"
#include "registry_io/csv_reader.hpp"
#include "registry_io/nik.hpp"
#include "schema/schema.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"
#include "storage/store.hpp"
#include "support/http_client.hpp"
#include "support/process.hpp"
#include "users/users.hpp"

extern char** environ;

namespace satupintu::bench {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
namespace fakes = testing::fakes;

constexpr const char* kOffice = "Dinas Sosial Kabupaten Bogor";
constexpr const char* kText =
    "Yth. {nama}, bantuan BPNT tahap 4 cair mulai 15 Desember di e-warong terdekat. Info: "
    "dinsos.bogorkab.go.id - Dinas Sosial Kabupaten Bogor";
constexpr const char* kPassword = "kopi-tubruk-2025";
constexpr const char* kPhoneNumberId = "106540352242922";
constexpr const char* kKannelSecret = "bench-kannel-secret";
constexpr std::size_t kPlanBatch = 5'000;  // app/broadcast_runner.cpp

// --key value pairs after the subcommand.
class Args {
 public:
  Args(int argc, char** argv) {
    for (int i = 2; i + 1 < argc; i += 2) {
      std::string key = argv[i];
      if (key.rfind("--", 0) != 0) throw std::runtime_error("expected --key value: " + key);
      values_[key.substr(2)] = argv[i + 1];
    }
  }
  std::string Str(const std::string& key, const std::string& fallback = "") const {
    auto it = values_.find(key);
    return it == values_.end() ? fallback : it->second;
  }
  long Int(const std::string& key, long fallback) const {
    auto it = values_.find(key);
    return it == values_.end() ? fallback : std::stol(it->second);
  }
  const std::map<std::string, std::string>& all() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

template <typename T>
T Must(const char* what, core::Result<T> r) {
  if (!r.ok()) throw std::runtime_error(std::string(what) + ": " + r.error().message);
  return std::move(r).value();
}

void Check(const char* what, const core::Status& s) {
  if (!s.ok()) throw std::runtime_error(std::string(what) + ": " + s.error().message);
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

double Median(std::vector<double> v) { return Percentile(std::move(v), 0.5); }

// "VmRSS" or "VmHWM" of a process, in MB (0 when unreadable).
double ProcMb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      return static_cast<double>(std::atoll(line.c_str() + field.size() + 1)) / 1024.0;
    }
  }
  return 0;
}

double PeakRssMb() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// Drops a file's clean pages from the kernel's page cache (no root needed).
void Evict(const std::string& path) {
  for (const std::string& p : {path, path + "-wal"}) {
    const int fd = ::open(p.c_str(), O_RDONLY);
    if (fd < 0) continue;
    (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
  }
}

// --- The configuration every mode shares ----------------------------------------------------

struct Caps {
  int whatsapp = 600;
  int telegram = 600;
  int sms = 60;
};

Caps CapsOf(const Args& a) {
  Caps c;
  c.whatsapp = static_cast<int>(a.Int("wa-rate", c.whatsapp));
  c.telegram = static_cast<int>(a.Int("tg-rate", c.telegram));
  c.sms = static_cast<int>(a.Int("sms-rate", c.sms));
  return c;
}

json SendSection(int per_minute) {
  // A second's worth of burst: the cap, not a burst above it, is what is measured.
  return {{"rate_per_minute", per_minute},
          {"burst", std::max(2, per_minute / 60)},
          {"per_recipient_interval_ms", 0}};
}

// WhatsApp "wa" (with a broadcast template: households outside their window get it), Telegram
// "tg", Kannel "sms" (the only SMS route, shared).
json Channels(const std::string& graph_url, const std::string& bot_url,
              const std::string& sendsms_url, const Caps& caps) {
  json wa = {{"name", "wa"},
             {"base_url", graph_url},
             {"api_version", "v19.0"},
             {"phone_number_id", kPhoneNumberId},
             {"access_token", {{"env", "BENCH_WA_TOKEN"}}},
             {"app_secret", {{"env", "BENCH_WA_SECRET"}}},
             {"verify_token", {{"env", "BENCH_WA_VERIFY"}}},
             {"broadcast_template", {{"name", "siaran_dinsos"}, {"language", "id"}}},
             {"daily_conversation_limit", 100000},
             {"template_price", 400},
             {"send", SendSection(caps.whatsapp)}};
  json tg = {{"name", "tg"},
             {"base_url", bot_url},
             {"bot_token", {{"env", "BENCH_TG_TOKEN"}}},
             {"secret_token", {{"env", "BENCH_TG_SECRET"}}},
             {"send", SendSection(caps.telegram)}};
  json sms = {{"name", "sms"},
              {"sendsms_url", sendsms_url},
              {"username", "bench"},
              {"password", {{"env", "BENCH_KANNEL_PASSWORD"}}},
              {"shared_secret", {{"env", "BENCH_KANNEL_SECRET"}}},
              {"send", SendSection(caps.sms)}};
  return {{"whatsapp", json::array({wa})},
          {"telegram", json::array({tg})},
          {"kannel", json::array({sms})}};
}

json BroadcastSection() {
  return {{"office_names", json::array({kOffice})}, {"sms_price_per_part", 350}};
}

std::vector<std::string> GatewayEnv() {
  const fakes::GraphApiConfig graph;
  const fakes::BotApiConfig bot;
  return {"BENCH_WA_TOKEN=" + graph.access_token,
          "BENCH_WA_SECRET=" + graph.app_secret,
          "BENCH_WA_VERIFY=bench-verify",
          "BENCH_TG_TOKEN=" + bot.token,
          "BENCH_TG_SECRET=bench-tg-secret",
          "BENCH_KANNEL_PASSWORD=bench-pw",
          std::string("BENCH_KANNEL_SECRET=") + kKannelSecret};
}

json ReadJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str(), nullptr, true, /*ignore_comments=*/true);
}

// The import's configuration with the benchmark's channels (loopback port 9: nothing is sent)
// and broadcast section.
json PlanConfig(const Args& a) {
  json doc = ReadJson(a.Str("config"));
  const std::string nowhere = "http://127.0.0.1:9";
  doc["channels"] = Channels(nowhere, nowhere, nowhere + "/cgi-bin/sendsms", CapsOf(a));
  doc["broadcast"] = BroadcastSection();
  return doc;
}

broadcast::AudienceFilter FilterOf(const Args& a) {
  json j = {{"source", "registry"}, {"region", a.Str("region", "32.01")}};
  auto list = [](const std::string& csv) {
    json out = json::array();
    std::stringstream in(csv);
    std::string item;
    while (std::getline(in, item, ',')) {
      if (!item.empty()) out.push_back(item);
    }
    return out;
  };
  if (const std::string p = a.Str("programmes", "BPNT"); !p.empty() && p != "-") {
    j["programmes"] = list(p);
  }
  if (const std::string s = a.Str("statuses"); !s.empty()) j["statuses"] = list(s);
  if (a.Int("desil-min", 0) > 0) j["desil_min"] = a.Int("desil-min", 0);
  if (a.Int("desil-max", 0) > 0) j["desil_max"] = a.Int("desil-max", 0);
  return Must("audience", broadcast::ParseAudience(j));
}

// --- Store jobs, waited for as app::BroadcastRunner waits -------------------------------------

template <typename T>
core::Result<T> WaitRead(storage::Store& store,
                         const std::function<core::Result<T>(storage::Db&)>& job) {
  std::promise<core::Result<T>> done;
  store.Read([&](storage::Db* db, const core::Error* error) {
    if (db == nullptr) {
      done.set_value(*error);
      return;
    }
    done.set_value(job(*db));
  });
  return done.get_future().get();
}

core::Status WaitWrite(storage::Store& store,
                       const std::function<core::Status(storage::Db&)>& job) {
  std::promise<core::Status> committed;
  store.Write(job, [&](core::Status s) { committed.set_value(std::move(s)); });
  return committed.get_future().get();
}

struct Setup {
  config::Config config;
  broadcast::Policy policy;
  core::MetricsRegistry metrics;
  std::unique_ptr<storage::Store> store;
};

std::unique_ptr<Setup> OpenSetup(const Args& a) {
  auto s = std::make_unique<Setup>();
  s->config = Must("config", config::ParseConfig(PlanConfig(a).dump()));
  s->policy = app::BroadcastPolicy(s->config);
  storage::StoreOptions o;
  o.migrations = schema::Migrations();
  o.path = s->config.store.path;
  o.synchronous_full = s->config.store.synchronous == "full";
  o.busy_timeout_ms = s->config.store.busy_timeout_ms;
  o.max_batch = s->config.store.max_batch;
  s->store = Must("store", storage::Store::Open(o, &s->metrics));
  return s;
}

broadcast::Broadcast DraftOf(const broadcast::AudienceFilter& filter) {
  broadcast::Broadcast b;
  b.id = 0;
  b.region = filter.region;
  b.title = "Pencairan BPNT tahap 4";
  b.texts = {{"id", kText}};
  b.audience = filter;
  b.window = {0, 24 * 60};
  b.state = broadcast::State::kDraft;
  return b;
}

std::string SnapshotPath(Setup& s) {
  auto entry = WaitRead<std::string>(*s.store, [](storage::Db& db) -> core::Result<std::string> {
    auto current = registry::CurrentSnapshot(db);
    if (!current.ok()) return current.error();
    if (!current.value().has_value()) {
      return core::MakeError(core::ErrorCode::kNotFound, "no snapshot in force");
    }
    return current.value()->file;
  });
  return s.config.registry.dir + "/" + Must("snapshot", std::move(entry));
}

// --- seed (child) ------------------------------------------------------------------------------

std::string SeedMarker(const config::Config& c) { return c.store.path + ".bench-broadcast-seed"; }

// The family's pick: a mix of its key, so the same share picks the same families every run.
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t KeyOf(const registry::IdHash& h) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | h[i];
  return v;
}

std::string Digits(std::int64_t n, int width) {
  std::string s = std::to_string(n);
  return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(s.size()))),
                     '0') +
         s;
}

int SeedChild(const Args& a) {
  const auto started = Clock::now();
  const config::Config cfg = Must("config", config::ParseConfig(PlanConfig(a).dump()));
  const long share = a.Int("share", 30);
  const std::string key =
      Must("registry key", registry::LoadOrCreateKey(cfg.registry.hash_key_file, false));
  auto hasher = Must("hasher", registry::IdentityHasher::Create(key));
  auto db = Must("open", storage::Db::Open(cfg.store.path, false));
  Check("wal", db->Exec("PRAGMA journal_mode=WAL"));
  Check("pragma", db->Exec("PRAGMA synchronous=NORMAL"));  // set-up, not the measurement
  Check("pragma", db->Exec("PRAGMA cache_size=-262144"));
  Must("migrate", storage::ApplyMigrations(*db, schema::Migrations()));
  auto reader = Must("csv", registry_io::CsvReader::Open(a.Str("file")));
  std::int64_t next_citizen =
      Must("citizens", db->QueryInt("SELECT coalesce(max(id), 0) FROM citizen")) + 1;
  auto* citizen = Must(
      "prepare", db->Prepare("INSERT INTO citizen (id, created_at_ms, language) VALUES (?, ?, ?)"));
  auto* address =
      Must("prepare", db->Prepare("INSERT INTO citizen_address (address, citizen_id, kind, "
                                  "created_at_ms, opted_out_at_ms) VALUES (?, ?, ?, ?, ?)"));
  auto* channel = Must(
      "prepare",
      db->Prepare(
          "INSERT INTO address_channel (address, channel, last_inbound_at_ms) VALUES (?, ?, ?)"));
  auto* restrict =
      Must("prepare", db->Prepare("INSERT INTO subject_restriction (citizen_id, restricted_at_ms, "
                                  "restricted_by, reason) VALUES (?, ?, 'bench', 'bench')"));
  auto* ticket = Must(
      "prepare",
      db->Prepare(
          "INSERT INTO ticket (code, type, status, citizen_id, channel, nik_hash, kk_hash, name, "
          "village_code, created_at_ms, updated_at_ms) VALUES (?, 'complaint', 'closed', ?, ?, ?, "
          "?, ?, ?, ?, ?)"));
  const std::int64_t now = core::NowMs();
  constexpr std::int64_t kHour = 3'600'000;
  std::unordered_set<std::uint64_t> seen;
  seen.reserve(3'500'000);
  registry_io::CsvRecord rec;
  reader.Next(rec);  // header
  std::map<std::string, std::int64_t> counts;
  std::int64_t rows = 0;
  std::int64_t n = 0;
  Check("begin", db->Exec("BEGIN"));
  while (reader.Next(rec)) {
    ++rows;
    if (!rec.error.empty() || rec.fields.size() < 9) continue;
    const registry_io::Kk kk = registry_io::ParseKk(rec.fields[1]);
    if (!kk.ok()) continue;
    const registry::IdHash kk_hash = hasher.Hash("kk", kk.digits);
    const std::uint64_t k = KeyOf(kk_hash);
    if (!seen.insert(k).second) continue;
    ++counts["families"];
    if (static_cast<long>(Mix(k ^ 0x5eedULL) % 100) >= share) continue;
    ++n;
    const std::int64_t id = next_citizen++;
    const std::string phone = "62811" + Digits(n, 8);
    const std::int64_t created = now - 200 * 24 * kHour + (n % 1000) * kHour;
    citizen->Bind(1, id).Bind(2, created);
    if (n % 10 == 0) {
      citizen->BindNull(3);
      ++counts["no_language"];
    } else {
      citizen->Bind(3, std::string_view("id"));
    }
    Check("citizen", citizen->Run());
    const bool opted_out = n % 100 == 37;
    address->Bind(1, phone).Bind(2, id).Bind(3, "phone").Bind(4, created);
    if (opted_out) {
      address->Bind(5, now - 24 * kHour);
      ++counts["opted_out"];
    } else {
      address->BindNull(5);
    }
    Check("address", address->Run());
    const std::int64_t kind = n % 20;
    std::string ticket_channel;
    if (kind < 9) {
      // WhatsApp: half inside the 24-hour window (within the last 12 h, so it still holds
      // while the benchmark runs), half older (by the broadcast template).
      const bool recent = kind % 2 == 0;
      const std::int64_t last =
          recent ? now - (n % 12) * kHour - 60'000 : now - (2 + n % 60) * 24 * kHour;
      Check("channel", channel->Bind(1, phone).Bind(2, "whatsapp:wa").Bind(3, last).Run());
      ++counts[recent ? "whatsapp_in_window" : "whatsapp_template"];
      ticket_channel = "whatsapp:wa";
    } else if (kind < 16) {
      Check(
          "channel",
          channel->Bind(1, phone).Bind(2, "kannel:sms").Bind(3, now - (n % 90) * 24 * kHour).Run());
      ++counts["sms"];
      ticket_channel = "kannel:sms";
    } else {
      const std::string tg = "tg:" + std::to_string(700'000'000 + n);
      address->Bind(1, tg).Bind(2, id).Bind(3, "telegram").Bind(4, created).BindNull(5);
      Check("address", address->Run());
      Check("channel",
            channel->Bind(1, tg).Bind(2, "telegram:tg").Bind(3, now - (n % 30) * 24 * kHour).Run());
      ++counts["telegram"];
      ticket_channel = "telegram:tg";
    }
    if (n % 500 == 11) {
      Check("restriction", restrict->Bind(1, id).Bind(2, now - kHour).Run());
      ++counts["restricted"];
    }
    const std::string nik_hex = registry::HexOf(hasher.Hash("nik", rec.fields[0]));
    ticket->Bind(1, "ADU-BC" + Digits(n, 7))
        .Bind(2, id)
        .Bind(3, ticket_channel)
        .Bind(4, nik_hex)
        .Bind(5, registry::HexOf(kk_hash))
        .Bind(6, rec.fields[2])
        .Bind(7, rec.fields[5])
        .Bind(8, created)
        .Bind(9, created);
    Check("ticket", ticket->Run());
    if (n % 50'000 == 0) {
      Check("commit", db->Exec("COMMIT"));
      Check("begin", db->Exec("BEGIN"));
    }
  }
  Check("commit", db->Exec("COMMIT"));
  Check("analyze", db->Exec("ANALYZE"));
  Check("checkpoint", db->Exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  counts["contacts"] = n;
  counts["csv_rows"] = rows;
  json out = counts;
  out["share_percent"] = share;
  out["seed_s"] = Seconds(Clock::now() - started);
  out["seeded_at_ms"] = now;
  std::ofstream(SeedMarker(cfg)) << out.dump() << '\n';
  std::ofstream(a.Str("out")) << out.dump() << '\n';
  return 0;
}

// --- preview and write (children) ------------------------------------------------------------

json ExclusionsOf(const broadcast::Audience& audience) {
  std::map<std::string, std::int64_t> by_reason;
  std::map<std::string, std::int64_t> by_channel;
  if (!audience.unreached.empty()) {
    by_reason["unreachable"] += static_cast<std::int64_t>(audience.unreached.size());
  }
  for (const auto& r : audience.recipients) {
    if (r.excluded != broadcast::Exclusion::kNone) {
      ++by_reason[broadcast::ExclusionName(r.excluded)];
    } else {
      ++by_channel[r.channel + (r.by_template ? " (template)" : "")];
    }
  }
  return {{"excluded", by_reason}, {"reached_by_channel", by_channel}};
}

// Where a preview's time goes, without the gateway's code: the three scans ResolveAudience
// makes, each alone (rows stepped, columns read, nothing kept), and the registry query's plan.
json Breakdown(Setup& s, const broadcast::AudienceFilter& filter) {
  json out;
  auto time_scan = [](storage::Db& db, const std::string& sql, int columns,
                      const std::vector<std::int64_t>& binds) -> std::pair<double, std::int64_t> {
    auto* st = Must("prepare", db.Prepare(sql));
    for (std::size_t i = 0; i < binds.size(); ++i) st->Bind(static_cast<int>(i + 1), binds[i]);
    const auto t0 = Clock::now();
    std::int64_t n = 0;
    while (st->Step() == SQLITE_ROW) {
      ++n;
      for (int c = 0; c < columns; ++c) (void)st->ColumnText(c);
    }
    st->Reset();
    return {Seconds(Clock::now() - t0), n};
  };
  const std::string snapshot = SnapshotPath(s);
  auto scans = WaitRead<json>(*s.store, [&](storage::Db& db) -> core::Result<json> {
    json j;
    auto [cs, cn] =
        time_scan(db,
                  "SELECT a.citizen_id, a.address, a.kind, a.opted_out_at_ms IS NOT NULL, "
                  "c.channel, c.last_inbound_at_ms FROM citizen_address a LEFT JOIN "
                  "address_channel c ON c.address = a.address ORDER BY a.citizen_id, "
                  "a.address",
                  6, {});
    j["citizens_scan_s"] = cs;
    j["citizens_rows"] = cn;
    auto [ks, kn] = time_scan(db,
                              "SELECT kk_hash, citizen_id, nik_hash, name, code FROM ticket WHERE "
                              "kk_hash <> '' ORDER BY id",
                              5, {});
    j["contacts_scan_s"] = ks;
    j["contacts_rows"] = kn;
    return j;
  });
  out = Must("scans", std::move(scans));
  auto file = Must("snapshot", storage::Db::Open("file:" + snapshot + "?immutable=1", true, false));
  const auto [low, high] = broadcast::VillageRange(filter.region);
  const std::string sql =
      "SELECT kk_key, nik_key, village_code, desil, programmes, status, name, relationship "
      "FROM person WHERE village_code >= ? AND village_code < ?";
  std::string plan;
  {
    auto* st = Must("explain", file->Prepare("EXPLAIN QUERY PLAN " + sql));
    st->Bind(1, low).Bind(2, high);
    while (st->Step() == SQLITE_ROW) plan += st->ColumnText(3) + "; ";
    st->Reset();
  }
  out["registry_query_plan"] = plan;
  auto [rs, rn] = time_scan(*file, sql, 8, {low, high});
  out["registry_scan_s"] = rs;
  out["registry_rows"] = rn;
  // The same rows in table order (what a full scan would read), for comparison.
  auto [fs, fn] = time_scan(*file,
                            "SELECT kk_key, nik_key, village_code, desil, programmes, status, "
                            "name, relationship FROM person NOT INDEXED WHERE village_code >= ? "
                            "AND village_code < ?",
                            8, {low, high});
  out["registry_table_scan_s"] = fs;
  out["registry_table_rows"] = fn;
  return out;
}

int PreviewChild(const Args& a) {
  auto s = OpenSetup(a);
  const broadcast::AudienceFilter filter = FilterOf(a);
  const broadcast::Broadcast b = DraftOf(filter);
  const double rss_open = ProcMb(::getpid(), "VmRSS");
  const std::int64_t now = core::NowMs();
  const auto t0 = Clock::now();
  auto audience = Must("audience", WaitRead<broadcast::Audience>(*s->store, [&](storage::Db& db) {
                         return broadcast::ResolveAudience(db, filter, 0, s->policy.delivery, now);
                       }));
  const auto t1 = Clock::now();
  const json preview = broadcast::PreviewOf(b, audience, s->policy, now);
  const std::string preview_text = preview.dump();  // what the API stores and answers
  const auto t2 = Clock::now();
  json out = {{"resolve_s", Seconds(t1 - t0)},
              {"preview_of_s", Seconds(t2 - t1)},
              {"total_s", Seconds(t2 - t0)},
              {"households", audience.size()},
              {"unreached_pairs", audience.unreached.size()},
              {"reached", audience.reached},
              {"rss_after_open_mb", rss_open},
              {"peak_rss_mb", PeakRssMb()},
              {"preview_bytes", preview_text.size()},
              {"sizeof_recipient", sizeof(broadcast::Recipient)},
              {"preview_channels", preview["channels"]},
              {"preview_blockers", preview["blockers"]}};
  out.update(ExclusionsOf(audience));
  audience = {};
  if (a.Str("breakdown", "off") == "on") out["breakdown"] = Breakdown(*s, filter);
  std::ofstream(a.Str("out")) << out.dump() << '\n';
  s->store->Close();
  return 0;
}

int WriteChild(const Args& a) {
  auto s = OpenSetup(a);
  const broadcast::AudienceFilter filter = FilterOf(a);
  const std::int64_t now = core::NowMs();
  std::int64_t id = 0;
  Check(
      "broadcast", WaitWrite(*s->store, [&](storage::Db& db) -> core::Status {
        auto* st = Must(
            "prepare",
            db.Prepare(
                "INSERT INTO broadcast (region, title, texts, audience, window_start, window_end, "
                "state, author, created_at_ms, updated_at_ms, approved_at_ms) "
                "VALUES (?, 'bench', ?, ?, 0, 1440, 'planning', 1, ?, ?, ?)"));
        st->Bind(1, filter.region)
            .Bind(2, json({{"id", kText}}).dump())
            .Bind(3, broadcast::AudienceJson(filter).dump())
            .Bind(4, now)
            .Bind(5, now)
            .Bind(6, now);
        if (auto r = st->Run(); !r.ok()) return r;
        id = db.LastInsertId();
        return {};
      }));
  const double rss_open = ProcMb(::getpid(), "VmRSS");
  const auto t0 = Clock::now();
  auto audience = Must("audience", WaitRead<broadcast::Audience>(*s->store, [&](storage::Db& db) {
                         return broadcast::ResolveAudience(db, filter, id, s->policy.delivery, now);
                       }));
  const auto t1 = Clock::now();
  const broadcast::Audience& rows = audience;  // as app::BroadcastRunner::Plan
  std::vector<double> batch_ms;
  std::size_t from = 0;
  do {
    const bool last = from + kPlanBatch >= rows.size();
    const auto tb = Clock::now();
    Check("write plan", WaitWrite(*s->store, [&](storage::Db& db) {
            return broadcast::WritePlan(db, id, rows, from, kPlanBatch, last, now);
          }));
    batch_ms.push_back(Ms(Clock::now() - tb));
    from += kPlanBatch;
  } while (from < rows.size());
  const auto t2 = Clock::now();
  const double peak = PeakRssMb();
  auto written = Must(
      "count",
      WaitRead<std::pair<std::int64_t, std::string>>(
          *s->store, [&](storage::Db& db) -> core::Result<std::pair<std::int64_t, std::string>> {
            auto* c =
                Must("prepare",
                     db.Prepare("SELECT count(*) FROM broadcast_recipient WHERE broadcast_id = ?"));
            c->Bind(1, id);
            c->Step();
            const std::int64_t n = c->ColumnInt(0);
            c->Reset();
            auto* st = Must("prepare", db.Prepare("SELECT state FROM broadcast WHERE id = ?"));
            st->Bind(1, id);
            st->Step();
            std::string state = st->ColumnText(0);
            st->Reset();
            return std::pair{n, state};
          }));
  json out = {{"resolve_s", Seconds(t1 - t0)},
              {"write_s", Seconds(t2 - t1)},
              {"total_s", Seconds(t2 - t0)},
              {"households", rows.size()},
              {"reached", audience.reached},
              {"rows_written", written.first},
              {"state_after", written.second},
              {"batches", batch_ms.size()},
              {"batch_p50_ms", Percentile(batch_ms, 0.5)},
              {"batch_p99_ms", Percentile(batch_ms, 0.99)},
              {"batch_max_ms", Percentile(batch_ms, 1.0)},
              {"rss_after_open_mb", rss_open},
              {"peak_rss_mb", peak}};
  audience = {};
  const auto tc = Clock::now();
  Check("clean up", WaitWrite(*s->store, [&](storage::Db& db) -> core::Status {
          auto* r =
              Must("prepare", db.Prepare("DELETE FROM broadcast_recipient WHERE broadcast_id = ?"));
          r->Bind(1, id);
          if (auto st = r->Run(); !st.ok()) return st;
          auto* b = Must("prepare", db.Prepare("DELETE FROM broadcast WHERE id = ?"));
          b->Bind(1, id);
          return b->Run();
        }));
  out["cleanup_s"] = Seconds(Clock::now() - tc);
  std::ofstream(a.Str("out")) << out.dump() << '\n';
  s->store->Close();
  return 0;
}

// --- plan (parent) ---------------------------------------------------------------------------

struct ChildResult {
  json out;
  double wall_s = 0;
  double maxrss_mb = 0;  // wait4's view of the child
};

// This binary again with `args`; its figures from the file it writes.
ChildResult RunSelf(const std::vector<std::string>& args) {
  char templ[] = "/tmp/bench_broadcast.XXXXXX";
  const int fd = ::mkstemp(templ);
  if (fd < 0) throw std::runtime_error("mkstemp");
  ::close(fd);
  std::vector<std::string> all = {"/proc/self/exe"};
  all.insert(all.end(), args.begin(), args.end());
  all.emplace_back("--out");
  all.emplace_back(templ);
  std::vector<char*> argv;
  for (auto& s : all) argv.push_back(s.data());
  argv.push_back(nullptr);
  const auto t0 = Clock::now();
  pid_t pid = 0;
  if (::posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv.data(), environ) != 0) {
    throw std::runtime_error("posix_spawn");
  }
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  ChildResult r;
  r.wall_s = Seconds(Clock::now() - t0);
  r.maxrss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::remove(templ);
    throw std::runtime_error("child " + args.front() + " failed");
  }
  r.out = ReadJson(templ);
  std::remove(templ);
  return r;
}

std::vector<std::string> PassOn(const Args& a, const std::string& command) {
  std::vector<std::string> out = {command};
  for (const auto& [k, v] : a.all()) {
    if (k == "runs" || k == "cold" || k == "out") continue;
    out.push_back("--" + k);
    out.push_back(v);
  }
  return out;
}

int Plan(const Args& a) {
  if (a.Str("config").empty() || a.Str("file").empty()) {
    throw std::runtime_error("--config and --file are required");
  }
  const config::Config cfg = Must("config", config::ParseConfig(PlanConfig(a).dump()));
  const long share = a.Int("share", 30);
  bool seeded = false;
  if (std::filesystem::exists(SeedMarker(cfg))) {
    const json marker = ReadJson(SeedMarker(cfg));
    seeded = marker.value("share_percent", -1L) == share;
    if (seeded) std::printf("seed: already done %s\n", marker.dump().c_str());
    if (!seeded) throw std::runtime_error("the store was seeded with another --share");
  }
  if (!seeded) {
    const ChildResult r = RunSelf(PassOn(a, "seed"));
    std::printf("seed: %s wall_s=%.1f\n", r.out.dump().c_str(), r.wall_s);
  }
  std::fflush(stdout);
  const bool cold = a.Str("cold", "off") == "on";
  std::string snapshot;
  {
    storage::StoreOptions o;
    o.migrations = schema::Migrations();
    o.path = cfg.store.path;
    core::MetricsRegistry metrics;
    auto store = Must("store", storage::Store::Open(o, &metrics));
    Setup s;
    s.config = cfg;
    s.store = std::move(store);
    snapshot = SnapshotPath(s);
    s.store->Close();
  }
  std::printf("audience=%s snapshot=%s cold=%d\n",
              broadcast::AudienceJson(FilterOf(a)).dump().c_str(), snapshot.c_str(), cold ? 1 : 0);
  const long runs = a.Int("runs", 3);
  std::map<std::string, std::vector<double>> figures;
  for (long run = 1; run <= runs; ++run) {
    if (cold) {
      Evict(snapshot);
      Evict(cfg.store.path);
    }
    const ChildResult p = RunSelf(PassOn(a, "preview"));
    std::printf("run=%ld preview: %s wall_s=%.2f wait4_maxrss_mb=%.1f\n", run, p.out.dump().c_str(),
                p.wall_s, p.maxrss_mb);
    std::fflush(stdout);
    if (cold) {
      Evict(snapshot);
      Evict(cfg.store.path);
    }
    const ChildResult w = RunSelf(PassOn(a, "write"));
    std::printf("run=%ld plan: %s wall_s=%.2f wait4_maxrss_mb=%.1f\n", run, w.out.dump().c_str(),
                w.wall_s, w.maxrss_mb);
    std::fflush(stdout);
    figures["preview_s"].push_back(p.out["total_s"]);
    figures["preview_resolve_s"].push_back(p.out["resolve_s"]);
    figures["preview_rss_mb"].push_back(p.out["peak_rss_mb"]);
    figures["plan_s"].push_back(w.out["total_s"]);
    figures["plan_resolve_s"].push_back(w.out["resolve_s"]);
    figures["plan_write_s"].push_back(w.out["write_s"]);
    figures["plan_batch_max_ms"].push_back(w.out["batch_max_ms"]);
    figures["plan_rss_mb"].push_back(w.out["peak_rss_mb"]);
    figures["households"].push_back(p.out["households"]);
    figures["reached"].push_back(p.out["reached"]);
  }
  std::string line = "median:";
  for (const auto& [k, v] : figures) {
    char buf[96];
    std::snprintf(buf, sizeof buf, " %s=%.3f (%.3f-%.3f)", k.c_str(), Median(v),
                  *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end()));
    line += buf;
  }
  std::printf("%s\n", line.c_str());
  return 0;
}

// --- The gateway as a child process ------------------------------------------------------------

json TransportConfig(const std::string& dir) {
  const std::string& src = ::satupintu::testing::SourceDir();
  return {{"public", {{"address", "127.0.0.1"}, {"port", 0}}},
          {"private", {{"address", "127.0.0.1"}, {"port", 0}}},
          {"tls", {{"cert_file", dir + "/tls/cert.pem"}, {"key_file", dir + "/tls/key.pem"}}},
          {"users",
           {{"api_requests_per_minute_per_token", 100000},
            {"api_requests_per_minute_per_ip", 100000},
            {"login_attempts_per_15_min", 1000}}},
          {"regions",
           {{"data_dir", ::satupintu::testing::RegionsDataDir()}, {"home_regency", "32.01"}}},
          {"locales", {{"dir", src + "/locales"}}},
          {"tickets", {{"holidays_file", src + "/deploy/holidays/holidays-id.json"}}},
          {"web", {{"dir", src + "/web/ui"}, {"locales_dir", src + "/locales/ui"}}}};
}

struct Gateway {
  std::unique_ptr<testing::Child> child;
  testing::Ports ports;
  std::string log;
};

Gateway StartGateway(const std::string& bin, const std::string& config_file, const std::string& dir,
                     const std::string& name) {
  Gateway g;
  const std::string ports = dir + "/" + name + ".ports";
  std::remove(ports.c_str());
  g.log = dir + "/" + name + ".log";
  std::remove(g.log.c_str());  // Child appends: one run's events only
  g.child = std::make_unique<testing::Child>(
      std::vector<std::string>{bin, "serve", "--config", config_file, "--ports-file", ports}, g.log,
      GatewayEnv());
  g.ports = testing::WaitForPorts(ports, *g.child, std::chrono::seconds(120));
  if (g.ports.private_port == 0) throw std::runtime_error("satupintu did not start; see " + g.log);
  return g;
}

void StopGateway(Gateway& g) {
  g.child->Signal(SIGTERM);
  if (g.child->Wait(std::chrono::seconds(60)) != 0)
    std::fprintf(stderr, "satupintu: unclean stop\n");
}

testing::ClientResponse Api(std::uint16_t port, const std::string& method,
                            const std::string& target, const std::string& token,
                            const std::string& body = "",
                            const std::string& content_type = "application/json") {
  testing::RequestOptions o;
  o.method = method;
  o.target = target;
  o.tls = true;
  o.body = body;
  o.timeout = std::chrono::seconds(120);
  if (!body.empty()) o.headers.emplace_back("Content-Type", content_type);
  if (!token.empty()) o.headers.emplace_back("Authorization", "Bearer " + token);
  return testing::Send(port, o);
}

json ApiJson(const testing::ClientResponse& r, int want, const char* what) {
  if (r.status != want) {
    throw std::runtime_error(std::string(what) + ": HTTP " + std::to_string(r.status) + " " +
                             r.body + r.error);
  }
  return json::parse(r.body, nullptr, false);
}

std::string Login(std::uint16_t port, const std::string& user) {
  auto r = Api(port, "POST", "/api/v1/session", "",
               json{{"username", user}, {"password", kPassword}}.dump());
  return ApiJson(r, 200, "login").value("token", "");
}

// A broadcaster and a manager of the regency, before the gateway starts.
void AddUsers(const config::Config& cfg) {
  auto db = Must("open", storage::Db::Open(cfg.store.path, false));
  Must("migrate", storage::ApplyMigrations(*db, schema::Migrations()));
  const std::string key =
      Must("users key", core::LoadOrCreateKeyFile(config::UsersKeyFile(cfg), true, "users key"));
  for (const auto& [name, role] :
       {std::pair{"penyiar", "broadcaster"}, std::pair{"kabid", "manager"}}) {
    auto exists = db->Prepare("SELECT count(*) FROM app_user WHERE username = ?");
    if (exists.ok()) {
      exists.value()->Bind(1, std::string_view(name));
      exists.value()->Step();
      const bool there = exists.value()->ColumnInt(0) > 0;
      exists.value()->Reset();
      if (there) continue;
    }
    users::NewUser u;
    u.username = name;
    u.display_name = name;
    u.role = role;
    u.region = "32.01";
    u.password = kPassword;
    Must("user", users::Create(*db, u, key, core::NowMs()));
  }
}

// Milliseconds since the epoch of a log line's "ts" ("2026-12-08T00:19:31.397Z").
std::int64_t LogTsMs(const std::string& ts) {
  std::tm tm{};
  int ms = 0;
  if (std::sscanf(ts.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) != 7) {
    return 0;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(::timegm(&tm)) * 1000 + ms;
}

// The first log line with `event`, or null.
json LogEvent(const std::string& log_file, const std::string& event) {
  std::ifstream in(log_file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(event) == std::string::npos) continue;
    const json j = json::parse(line, nullptr, false);
    if (j.is_object() && j.value("event", "") == event) return j;
  }
  return nullptr;
}

struct Fakes {
  fakes::FakeGraphApi graph;
  fakes::FakeBotApi bot;
  fakes::FakeSmsbox smsbox;

  static fakes::GraphApiConfig Graph() {
    fakes::GraphApiConfig c;
    c.throughput_per_second = 80;  // Meta's default; the channel's cap is far below it
    c.throughput_burst = 80;
    c.pair_interval = milliseconds(0);
    c.enforce_window = false;
    return c;
  }
  static fakes::BotApiConfig Bot() {
    fakes::BotApiConfig c;  // 30/s overall, 1/s per chat: every chat here is distinct
    return c;
  }
  Fakes() : graph(Graph()), bot(Bot()) {}

  std::size_t Count() {
    return graph.Requests().size() + bot.Requests().size() + smsbox.server().RequestCount();
  }
};

// --- citizens writing in meanwhile
// --------------------------------------------------------------------------------------

// One Meta-shaped envelope: a text from `from`.
std::string WhatsAppInbound(const std::string& from, const std::string& wamid) {
  const json value = {
      {"messaging_product", "whatsapp"},
      {"metadata",
       {{"display_phone_number", "6281100000000"}, {"phone_number_id", kPhoneNumberId}}},
      {"contacts", json::array({{{"profile", {{"name", "Warga"}}}, {"wa_id", from}}})},
      {"messages", json::array({{{"from", from},
                                 {"id", wamid},
                                 {"timestamp", std::to_string(core::NowMs() / 1000)},
                                 {"type", "text"},
                                 {"text", {{"body", "halo"}}}}})}};
  return json{
      {"object", "whatsapp_business_account"},
      {"entry",
       json::array({{{"id", "102290129340398"},
                     {"changes", json::array({{{"field", "messages"}, {"value", value}}})}}})}}
      .dump();
}

std::string KannelMo(const std::string& phone, int id) {
  return "/kannel/sms/mo?from=%2B" + phone +
         "&to=6281100000000&text=halo&coding=0&charset=UTF-8&ts=" +
         std::to_string(core::NowMs() / 1000) + "&id=" + std::to_string(id) +
         "&smsc=modem1&secret=" + kKannelSecret;
}

std::string SmsTo(const std::string& target) {
  const auto at = target.find("to=");
  if (at == std::string::npos) return {};
  const auto end = target.find('&', at);
  std::string to =
      target.substr(at + 3, end == std::string::npos ? std::string::npos : end - at - 3);
  if (to.rfind("%2B", 0) == 0) to.erase(0, 3);
  if (to.rfind('+', 0) == 0) to.erase(0, 1);
  return to;
}

// Every request a peer received, as (recipient, arrival).
struct Arrival {
  std::string to;
  Clock::time_point at;
};

std::vector<Arrival> Arrivals(Fakes& p, const std::string& channel) {
  std::vector<Arrival> out;
  if (channel == "sms") {
    for (const auto& r : p.smsbox.server().Requests()) out.push_back({SmsTo(r.target), r.arrived});
    return out;
  }
  const auto list = channel == "wa" ? p.graph.Requests() : p.bot.Requests();
  for (const auto& r : list) {
    const json doc = json::parse(r.body, nullptr, false);
    if (!doc.is_object()) continue;
    if (channel == "wa" && doc.contains("to")) out.push_back({doc.value("to", ""), r.arrived});
    if (channel == "tg" && doc.contains("chat_id"))
      out.push_back({doc["chat_id"].dump(), r.arrived});
  }
  return out;
}

struct Inbound {
  std::string channel;  // "wa" or "sms"
  std::string from;
  Clock::time_point sent;
  int status = 0;
};

// New citizens writing in at a steady pace on their own threads: every `sms_every`-th a Kannel
// MO, the others on the WhatsApp webhook, each from a new number (62857... on WhatsApp,
// 62858... by SMS; at most 999,999 a run), so every message a peer receives for one of them is
// a dialog's reply. With
// an API token, an officer's read (GET /api/v1/broadcasts) once a second as well.
struct ApiProbe {
  Clock::time_point sent;
  double ms = 0;
  int status = 0;
};

class InboundStream {
 public:
  InboundStream(const testing::Ports& ports, double per_s, int sms_every, std::string api_token)
      : ports_(ports), token_(std::move(api_token)) {
    writer_ = std::thread([this, per_s, sms_every] { Write(per_s, sms_every); });
    if (!token_.empty()) prober_ = std::thread([this] { Probe(); });
  }
  ~InboundStream() { Stop(); }
  InboundStream(const InboundStream&) = delete;
  InboundStream& operator=(const InboundStream&) = delete;

  void Stop() {
    stop_ = true;
    if (writer_.joinable()) writer_.join();
    if (prober_.joinable()) prober_.join();
  }
  std::vector<Inbound> inbound() {
    std::lock_guard lock(mutex_);
    return inbound_;
  }
  std::vector<ApiProbe> probes() {
    std::lock_guard lock(mutex_);
    return probes_;
  }

 private:
  void Write(double per_s, int sms_every) {
    const auto period =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / per_s));
    // Numbers, wamids and Kannel ids new to the store in every run (a repeated wamid or MO id
    // is a retry the journal answers without a reply).
    const std::int64_t run = (core::NowMs() / 1000) % 100;
    auto next = Clock::now();
    for (int i = 0; !stop_; ++i) {
      std::this_thread::sleep_until(next);
      next += period;
      Inbound in;
      in.channel = i % sms_every == sms_every - 1 ? "sms" : "wa";
      in.from = (in.channel == "wa" ? "62857" : "62858") + Digits(run, 2) + Digits(i, 6);
      in.sent = Clock::now();
      testing::ClientResponse r;
      if (in.channel == "wa") {
        const std::string body = WhatsAppInbound(in.from, "wamid.bench" + in.from);
        testing::RequestOptions o;
        o.method = "POST";
        o.target = "/webhooks/whatsapp/wa";
        o.tls = true;
        o.body = body;
        o.headers = {{"Content-Type", "application/json"},
                     {"X-Hub-Signature-256",
                      adapters::whatsapp::SignatureHeader(Fakes::Graph().app_secret, body)}};
        r = testing::Send(ports_.public_port, o);
      } else {
        r = testing::Get(ports_.private_port,
                         KannelMo(in.from, static_cast<int>(run * 1'000'000 + i)));
      }
      in.status = r.status;
      std::lock_guard lock(mutex_);
      inbound_.push_back(in);
    }
  }
  void Probe() {
    while (!stop_) {
      ApiProbe p;
      p.sent = Clock::now();
      testing::RequestOptions o;
      o.target = "/api/v1/broadcasts";
      o.tls = true;
      o.timeout = std::chrono::seconds(120);
      o.headers = {{"Authorization", "Bearer " + token_}};
      p.status = testing::Send(ports_.public_port, o).status;
      p.ms = Ms(Clock::now() - p.sent);
      {
        std::lock_guard lock(mutex_);
        probes_.push_back(p);
      }
      std::this_thread::sleep_until(p.sent + std::chrono::seconds(1));
    }
  }

  const testing::Ports ports_;
  const std::string token_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<Inbound> inbound_;
  std::vector<ApiProbe> probes_;
  std::thread writer_;
  std::thread prober_;
};

bool IsReply(const std::string& to) {
  return to.rfind("62857", 0) == 0 || to.rfind("62858", 0) == 0;
}

// Each citizen's first reply at its peer, from the arrivals of every channel.
std::map<std::string, Clock::time_point> FirstReplies(
    const std::map<std::string, std::vector<Arrival>>& arrivals) {
  std::map<std::string, Clock::time_point> out;
  for (const auto& [channel, list] : arrivals) {
    for (const auto& r : list) {
      if (IsReply(r.to) && !out.contains(r.to)) out[r.to] = r.at;
    }
  }
  return out;
}

// Reply latency (webhook request -> first reply at the peer) of the messages sent in
// [from, to), per channel and overall: `label channel=... count p50 p99 max missing not_2xx`.
void PrintReplies(const char* label, const std::vector<Inbound>& inbound,
                  const std::map<std::string, Clock::time_point>& replies, Clock::time_point from,
                  Clock::time_point to) {
  std::map<std::string, std::vector<double>> latency;
  std::map<std::string, long> missing;
  std::map<std::string, long> refused;
  for (const auto& in : inbound) {
    if (in.sent < from || in.sent >= to) continue;
    for (const std::string& key : {in.channel, std::string("all")}) {
      if (in.status / 100 != 2) ++refused[key];
      const auto it = replies.find(in.from);
      if (it == replies.end()) {
        ++missing[key];
        latency[key];
        continue;
      }
      latency[key].push_back(Ms(it->second - in.sent));
    }
  }
  for (const auto& [channel, v] : latency) {
    std::printf(
        "%s replies=%s count=%zu p50_ms=%.0f p99_ms=%.0f max_ms=%.0f missing=%ld not_2xx=%ld\n",
        label, channel.c_str(), v.size(), Percentile(v, 0.5), Percentile(v, 0.99),
        Percentile(v, 1.0), missing[channel], refused[channel]);
  }
}

void PrintProbes(const char* label, const std::vector<ApiProbe>& probes, Clock::time_point from,
                 Clock::time_point to) {
  std::vector<double> ms;
  int not_ok = 0;
  for (const auto& p : probes) {
    if (p.sent < from || p.sent >= to) continue;
    ms.push_back(p.ms);
    if (p.status != 200) ++not_ok;
  }
  std::printf("%s api_get_broadcasts count=%zu p50_ms=%.0f p99_ms=%.0f max_ms=%.0f not_200=%d\n",
              label, ms.size(), Percentile(ms, 0.5), Percentile(ms, 0.99), Percentile(ms, 1.0),
              not_ok);
}

// --- first ------------------------------------------------------------------------------------

// The first broadcast message (not a reply) any peer received at or after `since`.
std::optional<Clock::time_point> FirstBroadcastSince(Fakes& peers, Clock::time_point since) {
  std::optional<Clock::time_point> first;
  for (const char* channel : {"wa", "tg", "sms"}) {
    for (const auto& r : Arrivals(peers, channel)) {
      if (r.at < since || IsReply(r.to)) continue;
      if (!first || r.at < *first) first = r.at;
      break;
    }
  }
  return first;
}

int First(const Args& a) {
  if (a.Str("config").empty()) throw std::runtime_error("--config is required");
  const std::string bin = a.Str("satupintu", ::satupintu::testing::SatupintuBinary());
  Fakes peers;
  const config::Config base = Must("config", config::ParseConfig(PlanConfig(a).dump()));
  const std::string dir = std::filesystem::path(base.store.path).parent_path().string() + "/first";
  std::filesystem::create_directories(dir);
  json doc = ReadJson(a.Str("config"));
  doc.merge_patch(TransportConfig(dir));
  doc["channels"] =
      Channels(peers.graph.BaseUrl(), peers.bot.BaseUrl(), peers.smsbox.SendsmsUrl(), CapsOf(a));
  doc["broadcast"] = BroadcastSection();
  const std::string config_file = dir + "/satupintu.json";
  testing::WriteFile(config_file, doc.dump(2));
  const config::Config cfg = Must("config", config::ParseConfig(doc.dump()));
  AddUsers(cfg);
  const auto start = Clock::now();
  Gateway gw = StartGateway(bin, config_file, dir, "first");
  const pid_t pid = gw.child->pid();
  std::printf("gateway_ready_s=%.2f rss_ready_mb=%.1f hwm_ready_mb=%.1f\n",
              Seconds(Clock::now() - start), ProcMb(pid, "VmRSS"), ProcMb(pid, "VmHWM"));
  const std::uint16_t port = gw.ports.public_port;
  const std::string author = Login(port, "penyiar");
  const std::string approver = Login(port, "kabid");
  // Citizens and an officer meanwhile: 5 s alone first, for a baseline.
  const double inbound_per_s = static_cast<double>(a.Int("inbound-per-s", 2));
  std::unique_ptr<InboundStream> stream;
  const auto idle_from = Clock::now();
  if (inbound_per_s > 0) {
    stream = std::make_unique<InboundStream>(gw.ports, inbound_per_s, 10, author);
    std::this_thread::sleep_for(std::chrono::seconds(5));
  }
  const json draft = {{"title", "Pencairan BPNT tahap 4"},
                      {"texts", {{"id", kText}}},
                      {"audience", broadcast::AudienceJson(FilterOf(a))},
                      {"window_start", "00:00"},
                      {"window_end", "24:00"}};
  const json created =
      ApiJson(Api(port, "POST", "/api/v1/broadcasts", author, draft.dump()), 201, "create");
  const std::int64_t id = created.value("id", std::int64_t{0});
  const std::string path = "/api/v1/broadcasts/" + std::to_string(id);
  const auto tp = Clock::now();
  const json preview = ApiJson(Api(port, "POST", path + "/preview", author, "{}"), 200, "preview");
  const auto tp_end = Clock::now();
  std::printf(
      "api_preview_s=%.3f households=%lld reached=%lld excluded=%s rss_mb=%.1f hwm_mb=%.1f\n",
      Seconds(tp_end - tp), static_cast<long long>(preview.value("households", std::int64_t{0})),
      static_cast<long long>(preview.value("reached", std::int64_t{0})),
      preview["excluded"].dump().c_str(), ProcMb(pid, "VmRSS"), ProcMb(pid, "VmHWM"));
  std::fflush(stdout);
  const json b = ApiJson(Api(port, "GET", path, author), 200, "get");
  const json approve = {{"revision", b.value("revision", 0)}, {"accept_blockers", true}};
  const auto ta0 = Clock::now();
  ApiJson(Api(port, "POST", path + "/approve", approver, approve.dump()), 200, "approve");
  const auto approved = Clock::now();
  const std::int64_t approved_wall = core::NowMs();
  std::optional<Clock::time_point> first;
  while (Clock::now() < approved + std::chrono::seconds(a.Int("wait-s", 180))) {
    first = FirstBroadcastSince(peers, ta0);
    if (first) break;
    std::this_thread::sleep_for(milliseconds(5));
  }
  if (!first) throw std::runtime_error("no message within the wait; see " + gw.log);
  std::printf("approve_answer_ms=%.1f first_message_after_approval_s=%.3f\n", Ms(approved - ta0),
              Seconds(*first - approved));
  json planned;
  while (Clock::now() < approved + std::chrono::seconds(300)) {
    planned = LogEvent(gw.log, "broadcast.planned");
    if (!planned.is_null() && planned.value("broadcast", std::int64_t{0}) == id) break;
    planned = nullptr;
    std::this_thread::sleep_for(milliseconds(100));
  }
  const std::int64_t planned_ms = planned.is_null() ? 0 : LogTsMs(planned.value("ts", ""));
  const auto planned_at = approved + milliseconds(planned_ms - approved_wall);
  std::printf("planned_after_approval_s=%.3f planned=%s rss_mb=%.1f hwm_mb=%.1f\n",
              planned_ms > 0 ? static_cast<double>(planned_ms - approved_wall) / 1000.0 : -1.0,
              planned.dump().c_str(), ProcMb(pid, "VmRSS"), ProcMb(pid, "VmHWM"));
  std::this_thread::sleep_for(std::chrono::seconds(a.Int("send-s", 10)));
  const auto sending_end = Clock::now();
  if (stream) stream->Stop();
  std::this_thread::sleep_for(std::chrono::seconds(stream ? 10 : 0));  // the last replies
  const auto tg = Clock::now();
  const json progress = ApiJson(Api(port, "GET", path, author), 200, "progress");
  std::printf("api_get_progress_s=%.3f progress_total=%s\n", Seconds(Clock::now() - tg),
              progress["progress"]["total"].dump().c_str());
  std::printf("peer_requests=%zu\n", peers.Count());
  const auto tc = Clock::now();
  ApiJson(Api(port, "POST", path + "/cancel", approver, "{}"), 200, "cancel");
  std::printf("api_cancel_s=%.3f hwm_mb=%.1f\n", Seconds(Clock::now() - tc), ProcMb(pid, "VmHWM"));
  StopGateway(gw);
  if (stream) {
    std::map<std::string, std::vector<Arrival>> arrivals;
    for (const char* c : {"wa", "tg", "sms"}) arrivals[c] = Arrivals(peers, c);
    const auto replies = FirstReplies(arrivals);
    const auto inbound = stream->inbound();
    const auto probes = stream->probes();
    const struct {
      const char* label;
      Clock::time_point from;
      Clock::time_point to;
    } phases[] = {{"phase=idle", idle_from, tp},
                  {"phase=preview", tp, tp_end},
                  {"phase=planning", approved, planned_at},
                  {"phase=sending", planned_at, sending_end}};
    for (const auto& ph : phases) {
      std::printf("%s seconds=%.1f\n", ph.label, Seconds(ph.to - ph.from));
      PrintReplies(ph.label, inbound, replies, ph.from, ph.to);
      PrintProbes(ph.label, probes, ph.from, ph.to);
    }
  }
  // The plan's rows would only grow the next run's table.
  auto db = Must("open", storage::Db::Open(cfg.store.path, false));
  Check("clean",
        db->Exec("DELETE FROM broadcast_recipient WHERE broadcast_id = " + std::to_string(id)));
  Check("checkpoint", db->Exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  return 0;
}

int Send(const Args& a) {
  const std::string parent = a.Str("dir");
  if (parent.empty()) throw std::runtime_error("--dir is required");
  const std::string bin = a.Str("satupintu", ::satupintu::testing::SatupintuBinary());
  const std::string dir = parent + "/send-" + std::to_string(core::NowMs());
  std::filesystem::create_directories(dir);
  const Caps caps = CapsOf(a);
  const long seconds = a.Int("seconds", 300);
  const double inbound_per_s = static_cast<double>(a.Int("inbound-per-s", 2));
  Fakes peers;
  json doc = TransportConfig(dir);
  doc["store"] = {{"path", dir + "/satupintu.db"}, {"synchronous", "full"}};
  doc["channels"] =
      Channels(peers.graph.BaseUrl(), peers.bot.BaseUrl(), peers.smsbox.SendsmsUrl(), caps);
  doc["broadcast"] = BroadcastSection();
  // The runner's pass interval (default 1 s): a longer one shows whether the approval's wake
  // reaches the runner or the first message waits for the next pass.
  if (a.Int("interval-ms", 0) > 0) doc["broadcast"]["interval_ms"] = a.Int("interval-ms", 0);
  const std::string config_file = dir + "/satupintu.json";
  testing::WriteFile(config_file, doc.dump(2));
  const config::Config cfg = Must("config", config::ParseConfig(doc.dump()));
  {
    Gateway setup = StartGateway(bin, config_file, dir, "setup");  // migrations, certificate
    StopGateway(setup);
  }
  AddUsers(cfg);
  // Households: each channel's cap for the whole window and a minute more.
  auto households = [&](int per_minute) {
    return static_cast<long>(per_minute) * (seconds + 70) / 60;
  };
  const long n_wa = households(caps.whatsapp);
  const long n_tg = households(caps.telegram);
  const long n_sms = households(caps.sms);
  std::string csv = "nama,nomor\n";
  {
    auto db = Must("open", storage::Db::Open(cfg.store.path, false));
    Check("begin", db->Exec("BEGIN"));
    const std::int64_t now = core::NowMs();
    auto* citizen = Must(
        "prepare", db->Prepare("INSERT INTO citizen (created_at_ms, language) VALUES (?, 'id')"));
    auto* address = Must("prepare", db->Prepare("INSERT INTO citizen_address (address, citizen_id, "
                                                "kind, created_at_ms) VALUES (?, ?, ?, ?)"));
    auto* channel = Must(
        "prepare",
        db->Prepare(
            "INSERT INTO address_channel (address, channel, last_inbound_at_ms) VALUES (?, ?, ?)"));
    auto add = [&](const std::string& phone, const std::string& on, const std::string& tg) {
      Check("citizen", citizen->Bind(1, now).Run());
      const std::int64_t id = db->LastInsertId();
      Check("address", address->Bind(1, phone).Bind(2, id).Bind(3, "phone").Bind(4, now).Run());
      if (!tg.empty()) {
        Check("address", address->Bind(1, tg).Bind(2, id).Bind(3, "telegram").Bind(4, now).Run());
        Check("channel", channel->Bind(1, tg).Bind(2, on).Bind(3, now - 3'600'000).Run());
      } else {
        Check("channel", channel->Bind(1, phone).Bind(2, on).Bind(3, now - 3'600'000).Run());
      }
      csv += "Warga," + phone + "\n";
    };
    for (long i = 0; i < n_wa; ++i) add("628111" + Digits(i, 7), "whatsapp:wa", "");
    for (long i = 0; i < n_tg; ++i)
      add("628112" + Digits(i, 7), "telegram:tg", "tg:" + std::to_string(710'000'000 + i));
    for (long i = 0; i < n_sms; ++i) add("628113" + Digits(i, 7), "kannel:sms", "");
    Check("commit", db->Exec("COMMIT"));
  }
  std::printf(
      "households whatsapp=%ld telegram=%ld sms=%ld caps_per_min whatsapp=%d telegram=%d sms=%d\n",
      n_wa, n_tg, n_sms, caps.whatsapp, caps.telegram, caps.sms);
  Gateway gw = StartGateway(bin, config_file, dir, "gateway");
  const std::uint16_t port = gw.ports.public_port;
  const std::string author = Login(port, "penyiar");
  const std::string approver = Login(port, "kabid");
  const json draft = {{"title", "Pencairan BPNT tahap 4"},
                      {"texts", {{"id", kText}}},
                      {"audience", {{"source", "upload"}, {"region", "32.01"}}},
                      {"window_start", "00:00"},
                      {"window_end", "24:00"}};
  const json created =
      ApiJson(Api(port, "POST", "/api/v1/broadcasts", author, draft.dump()), 201, "create");
  const std::int64_t id = created.value("id", std::int64_t{0});
  const std::string path = "/api/v1/broadcasts/" + std::to_string(id);
  const json upload =
      ApiJson(Api(port, "POST", path + "/audience.csv", author, csv, "text/csv"), 200, "upload");
  const auto tp = Clock::now();
  const json preview = ApiJson(Api(port, "POST", path + "/preview", author, "{}"), 200, "preview");
  std::printf("upload=%s api_preview_ms=%.1f households=%lld reached=%lld\n", upload.dump().c_str(),
              Ms(Clock::now() - tp),
              static_cast<long long>(preview.value("households", std::int64_t{0})),
              static_cast<long long>(preview.value("reached", std::int64_t{0})));
  const json b = ApiJson(Api(port, "GET", path, author), 200, "get");
  const json approve = {{"revision", b.value("revision", 0)}};
  const auto before_approve = Clock::now();
  const std::size_t requests_before = peers.Count();
  ApiJson(Api(port, "POST", path + "/approve", approver, approve.dump()), 200, "approve");
  const auto approved = Clock::now();
  std::optional<Clock::time_point> first;
  while (Clock::now() < approved + std::chrono::seconds(60)) {
    first = FirstBroadcastSince(peers, before_approve);
    if (first) break;
    std::this_thread::sleep_for(milliseconds(2));
  }
  if (!first) throw std::runtime_error("no message within 60 s; see " + gw.log);
  std::printf(
      "requests_before_approval=%zu approve_answer_ms=%.1f first_message_after_approval_s=%.3f\n",
      requests_before, Ms(approved - before_approve), Seconds(*first - approved));
  std::fflush(stdout);
  // Citizens writing in meanwhile, at a steady pace, each a new number.
  const auto window_start = *first + std::chrono::seconds(10);
  const auto window_end = window_start + std::chrono::seconds(seconds);
  InboundStream stream(gw.ports, inbound_per_s, 10, "");
  std::this_thread::sleep_until(window_end);
  stream.Stop();
  const auto inbound = stream.inbound();
  std::this_thread::sleep_for(std::chrono::seconds(10));  // the last replies
  const auto tg = Clock::now();
  const json progress = ApiJson(Api(port, "GET", path, author), 200, "progress");
  const double progress_ms = Ms(Clock::now() - tg);
  std::map<std::string, std::vector<Arrival>> arrivals;
  for (const char* c : {"wa", "tg", "sms"}) arrivals[c] = Arrivals(peers, c);
  ApiJson(Api(port, "POST", path + "/cancel", approver, "{}"), 200, "cancel");
  StopGateway(gw);

  const std::map<std::string, int> cap = {
      {"wa", caps.whatsapp}, {"tg", caps.telegram}, {"sms", caps.sms}};
  const double minutes = static_cast<double>(seconds) / 60.0;
  for (const auto& [channel, list] : arrivals) {
    long all = 0;
    long bulk = 0;
    std::map<std::string, int> per_recipient;
    for (const auto& r : list) {
      if (!IsReply(r.to)) ++per_recipient[r.to];
      if (r.at < window_start || r.at >= window_end) continue;
      ++all;
      if (!IsReply(r.to)) ++bulk;
    }
    long repeated = 0;
    for (const auto& [to, n] : per_recipient) repeated += n > 1 ? n - 1 : 0;
    const double rate = static_cast<double>(all) / minutes;
    const int c = cap.at(channel);
    std::printf(
        "channel=%s cap_per_min=%d requests_in_window=%ld rate_per_min=%.2f error_pct=%.2f "
        "broadcast_in_window=%ld broadcast_rate_per_min=%.2f replies_in_window=%ld "
        "broadcast_recipients=%zu repeated=%ld\n",
        channel.c_str(), c, all, rate, (rate - c) / c * 100.0, bulk,
        static_cast<double>(bulk) / minutes, all - bulk, per_recipient.size(), repeated);
  }
  PrintReplies("window", inbound, FirstReplies(arrivals), window_start - std::chrono::seconds(10),
               window_end);
  std::printf("inbound_sent=%zu api_get_progress_ms=%.1f progress_total=%s dir=%s\n",
              inbound.size(), progress_ms, progress["progress"]["total"].dump().c_str(),
              dir.c_str());
  return 0;
}

}  // namespace
}  // namespace satupintu::bench

int main(int argc, char** argv) {
  using namespace satupintu::bench;
  const std::string command = argc > 1 ? argv[1] : "";
  try {
    const Args args(argc, argv);
    if (command == "plan") return Plan(args);
    if (command == "first") return First(args);
    if (command == "send") return Send(args);
    if (command == "seed") return SeedChild(args);
    if (command == "preview") return PreviewChild(args);
    if (command == "write") return WriteChild(args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_broadcast %s: %s\n", command.c_str(), e.what());
    return 2;
  }
  std::fprintf(stderr, "usage: bench_broadcast plan|first|send --key value ...\n");
  return 2;
}
