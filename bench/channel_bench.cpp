// bench_channels: the Channels issue's outbound benchmarks against the real satupintu binary,
// and the signed WhatsApp webhook bodies its inbound benchmark posts with wrk.
//
//   bench_channels outbound  --dir D [--peer telegram|whatsapp] [--messages 50000]
//                            [--max-in-flight 128] [--connections 64] [--client-threads 1]
//   bench_channels rate      --dir D [--peer whatsapp|telegram] [--seconds 60]
//   bench_channels fair      --dir D [--sms 500] [--replies 20] [--flood 24] [--satupintu BIN]
//   bench_channels wa-bodies --out FILE [--requests 40000] [--min 1] [--max 10]
//                            [--senders 2000] [--run-id N] [--secret S]
//
// outbound and rate: a fake peer (tests/fakes) in this process, satupintu as a child process
// with one channel pointed at it; the backlog is enqueued with the gateway stopped, through the
// gateway's own Compose + EnqueueIn in one transaction, then the gateway is started and the
// fake's arrival times are the measurement. Prints `key=value` lines for run_channel_bench.sh.
// --dir must exist; it holds the database (keep it on the disk production would use).
//
// fair (issue 19, "Channels independent, citizens fair"): a Kannel channel at 8 SMS a minute
// (smsbox faked at HTTP level) and a Telegram channel (the fake Bot API) in one gateway. Run 1:
// a backlog of --sms SMS replies enqueued before start, then --replies Telegram replies through
// POST /diag/outbox, one every 250 ms; prints each reply's latency (POST sent -> Bot API) p50,
// p99, max and duplicates. Run 2: --flood SMS replies to one number, then one to another
// citizen; prints the other's position among the sends and its delay.

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "adapters/whatsapp/signature.hpp"
#include "citizens/citizens.hpp"
#include "compose/compose.hpp"
#include "fakes/fake_bot_api.hpp"
#include "fakes/fake_graph_api.hpp"
#include "fakes/fake_server.hpp"
#include "outbox/outbox_store.hpp"
#include "paths/paths.hpp"
#include "schema/schema.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"
#include "support/http_client.hpp"
#include "support/process.hpp"

namespace satupintu::bench {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
namespace fakes = testing::fakes;

constexpr const char* kTelegramToken = "123456789:AAFakeTokenForTests_only-x";
constexpr const char* kGraphToken = "fake-access-token";
constexpr const char* kAppSecret = "bench-app-secret-0123456789";
constexpr const char* kPhoneNumberId = "106540352242922";

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
  std::string Str(const std::string& key, const std::string& fallback) const {
    auto it = values_.find(key);
    return it == values_.end() ? fallback : it->second;
  }
  long Int(const std::string& key, long fallback) const {
    auto it = values_.find(key);
    return it == values_.end() ? fallback : std::stol(it->second);
  }

 private:
  std::map<std::string, std::string> values_;
};

std::int64_t WallMs() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Check(const core::Status& s, const char* what) {
  if (!s.ok()) throw std::runtime_error(std::string(what) + ": " + s.error().message);
}

struct Channel {
  std::string peer;      // "telegram" or "whatsapp"
  std::string name;      // "telegram:tg"
  json send;             // the channel's "send" section
  std::string base_url;  // the fake
};

// What every gateway of these benchmarks has: loopback listeners, a durable store in `dir`,
// the repository's locales, holidays and page.
json BaseConfig(const std::string& dir) {
  const std::string& src = ::satupintu::testing::SourceDir();
  return {{"public", {{"address", "127.0.0.1"}, {"port", 0}}},
          {"private", {{"address", "127.0.0.1"}, {"port", 0}}},
          {"tls", {{"cert_file", dir + "/cert.pem"}, {"key_file", dir + "/key.pem"}}},
          {"store", {{"path", dir + "/satupintu.db"}, {"synchronous", "full"}}},
          {"locales", {{"dir", src + "/locales"}}},
          {"tickets", {{"holidays_file", src + "/deploy/holidays/holidays-id.json"}}},
          {"web", {{"dir", src + "/web/ui"}, {"locales_dir", src + "/locales/ui"}}}};
}

std::string ConfigText(const std::string& dir, const Channel& c, const Args& args) {
  json channel = {
      {"name", c.peer == "telegram" ? "tg" : "wa"}, {"base_url", c.base_url}, {"send", c.send}};
  if (c.peer == "telegram") {
    channel["bot_token"] = {{"env", "BENCH_TG_TOKEN"}};
    channel["secret_token"] = {{"env", "BENCH_TG_SECRET"}};
  } else {
    channel["phone_number_id"] = kPhoneNumberId;
    channel["access_token"] = {{"env", "BENCH_WA_TOKEN"}};
    channel["app_secret"] = {{"env", "BENCH_WA_SECRET"}};
    channel["verify_token"] = {{"env", "BENCH_WA_VERIFY"}};
  }
  json config = BaseConfig(dir);
  config["outbound"] = {{"client_threads", args.Int("client-threads", 1)},
                        {"max_connections_per_host", args.Int("connections", 64)}};
  config["channels"] = {{c.peer, json::array({channel})}};
  return config.dump(2);
}

const std::vector<std::string> kEnv = {
    std::string("BENCH_TG_TOKEN=") + kTelegramToken, "BENCH_TG_SECRET=bench-secret-token",
    std::string("BENCH_WA_TOKEN=") + kGraphToken, std::string("BENCH_WA_SECRET=") + kAppSecret,
    "BENCH_WA_VERIFY=bench-verify"};

std::unique_ptr<testing::Child> Start(const std::string& dir, const std::string& bin,
                                      const std::string& name) {
  const std::string ports = dir + "/" + name + ".ports";
  std::remove(ports.c_str());
  auto child = std::make_unique<testing::Child>(
      std::vector<std::string>{bin, "serve", "--config", dir + "/satupintu.json", "--ports-file",
                               ports},
      dir + "/" + name + ".log", kEnv);
  const auto p = testing::WaitForPorts(ports, *child, std::chrono::seconds(20));
  if (p.private_port == 0) {
    throw std::runtime_error("satupintu did not start; see " + dir + "/" + name + ".log");
  }
  return child;
}

void Stop(testing::Child& child) {
  child.Signal(SIGTERM);
  if (child.Wait(std::chrono::seconds(20)) != 0) std::fprintf(stderr, "satupintu: unclean stop\n");
}

std::string Address(const Channel& c, long i) {
  // Distinct recipients, so the per-recipient limits never decide the rate.
  return c.peer == "telegram" ? "tg:" + std::to_string(700000000 + i)
                              : std::to_string(628120000000 + i);
}

// With the gateway stopped: the backlog, through the code the gateway enqueues with, in one
// transaction. WhatsApp recipients wrote to us just now (open 24-hour window).
void Enqueue(const std::string& dir, const Channel& c, long messages) {
  auto db = storage::Db::Open(dir + "/satupintu.db", false);
  if (!db.ok()) throw std::runtime_error("open: " + db.error().message);
  Check((*db)->Exec("PRAGMA foreign_keys=ON"), "pragma");
  auto version = storage::ApplyMigrations(**db, schema::Migrations());
  if (!version.ok()) throw std::runtime_error("migrate: " + version.error().message);
  Check((*db)->Exec("BEGIN"), "begin");
  const std::int64_t now = WallMs();
  for (long i = 0; i < messages; ++i) {
    compose::Outgoing o;
    o.key = "bench-" + std::to_string(now) + "-" + std::to_string(i);
    o.channel = c.name;
    o.address = Address(c, i);
    o.priority = outbox::Priority::kBulk;
    o.text = "Pengingat: pencairan bantuan tahap " + std::to_string(i % 4 + 1) +
             " dimulai besok. Bawa KKS dan KTP ke kantor pos terdekat.";
    auto composed = compose::Compose(o, now);
    if (!composed.ok()) throw std::runtime_error("compose: " + composed.error().message);
    if (c.peer == "whatsapp") {
      auto touched = citizens::TouchInbound(**db, o.address, c.name, now);
      if (!touched.ok()) throw std::runtime_error("touch: " + touched.error().message);
    }
    auto id = outbox::EnqueueIn(**db, composed.value(), now);
    if (!id.ok()) throw std::runtime_error("enqueue: " + id.error().message);
  }
  Check((*db)->Exec("COMMIT"), "commit");
}

std::string RecipientOf(const Channel& c, const std::string& body) {
  const auto doc = json::parse(body, nullptr, false);
  if (!doc.is_object()) return {};
  if (c.peer == "telegram") return doc.contains("chat_id") ? doc["chat_id"].dump() : "";
  return doc.value("to", "");
}

// The fake for this peer with the given limits; nullptr members for the other kind.
struct Peer {
  std::unique_ptr<fakes::FakeBotApi> bot;
  std::unique_ptr<fakes::FakeGraphApi> graph;
  std::string BaseUrl() const { return bot ? bot->BaseUrl() : graph->BaseUrl(); }
  std::vector<fakes::RecordedRequest> Requests() const {
    return bot ? bot->Requests() : graph->Requests();
  }
  fakes::FakeCounters Counters() const { return bot ? bot->Counters() : graph->Counters(); }
  bool WaitForRequests(std::size_t n, milliseconds timeout) const {
    return bot ? bot->WaitForRequests(n, timeout) : graph->WaitForRequests(n, timeout);
  }
};

// rate_per_second <= 0: limits lifted.
Peer MakePeer(const std::string& kind, double rate_per_second, double burst) {
  Peer p;
  if (kind == "telegram") {
    fakes::BotApiConfig config;
    config.global_per_second = rate_per_second;
    config.global_burst = burst;
    config.per_chat_per_second = rate_per_second > 0 ? 1 : 0;
    p.bot = std::make_unique<fakes::FakeBotApi>(config);
  } else {
    fakes::GraphApiConfig config;
    config.throughput_per_second = rate_per_second;
    config.throughput_burst = burst;
    config.pair_interval = milliseconds(0);
    config.enforce_window = false;
    p.graph = std::make_unique<fakes::FakeGraphApi>(config);
  }
  return p;
}

struct Run {
  std::vector<fakes::RecordedRequest> requests;
  fakes::FakeCounters counters;
  bool complete = false;
  // When the outbox had recorded `wait_for` parts as sent (nullopt: not within the wait).
  std::optional<Clock::time_point> all_recorded;
  std::int64_t recorded_sent = 0;
};

std::int64_t SentParts(const std::string& dir) {
  auto db = storage::Db::Open(dir + "/satupintu.db", true);
  if (!db.ok()) return -1;
  auto n = (*db)->QueryInt("SELECT count(*) FROM outbox_part WHERE state = 'sent'");
  return n.ok() ? n.value() : -1;
}

// Start-up once (migrations, self-signed certificate), enqueue, start again and wait.
Run RunGateway(const Args& args, const Channel& channel, Peer& peer, long messages,
               milliseconds wait, std::size_t wait_for) {
  const std::string dir = args.Str("dir", "");
  const std::string bin = args.Str("satupintu", ::satupintu::testing::SatupintuBinary());
  if (dir.empty()) throw std::runtime_error("--dir is required");
  testing::WriteFile(dir + "/satupintu.json", ConfigText(dir, channel, args));
  {
    auto first = Start(dir, bin, "setup");
    Stop(*first);
  }
  const auto enqueue_start = Clock::now();
  Enqueue(dir, channel, messages);
  std::printf("enqueued=%ld enqueue_s=%.2f\n", messages,
              std::chrono::duration<double>(Clock::now() - enqueue_start).count());
  std::fflush(stdout);
  Run run;
  auto gateway = Start(dir, bin, "gateway");
  run.complete = peer.WaitForRequests(wait_for, wait);
  if (run.complete) {
    // The peer has them all; "sent" is when the outbox has recorded them too.
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (Clock::now() < deadline) {
      if (SentParts(dir) >= static_cast<std::int64_t>(wait_for)) {
        run.all_recorded = Clock::now();
        break;
      }
      std::this_thread::sleep_for(milliseconds(10));
    }
  }
  Stop(*gateway);
  run.recorded_sent = SentParts(dir);
  run.requests = peer.Requests();
  run.counters = peer.Counters();
  return run;
}

// Every message must reach the peer exactly once: distinct recipients, one request each.
void PrintDelivery(const Channel& c, const Run& run, long messages) {
  std::map<std::string, int> seen;
  for (const auto& r : run.requests) ++seen[RecipientOf(c, r.body)];
  long once = 0;
  long repeated = 0;
  for (const auto& [who, n] : seen) {
    if (who.empty()) continue;
    if (n == 1) ++once;
    if (n > 1) ++repeated;
  }
  std::printf(
      "requests=%zu accepted=%d rate_limited=%d rejected=%d recipients_once=%ld "
      "recipients_repeated=%ld missing=%ld\n",
      run.requests.size(), run.counters.accepted, run.counters.rate_limited, run.counters.rejected,
      once, repeated, messages - static_cast<long>(seen.size() - seen.count("")));
}

int Outbound(const Args& args) {
  const std::string kind = args.Str("peer", "telegram");
  const long messages = args.Int("messages", 50000);
  Peer peer = MakePeer(kind, 0, 1);
  Channel c{kind,
            kind == "telegram" ? "telegram:tg" : "whatsapp:wa",
            {{"rate_per_minute", 0},
             {"burst", 1},
             {"per_recipient_interval_ms", 0},
             {"max_in_flight", args.Int("max-in-flight", 128)}},
            peer.BaseUrl()};
  const Run run = RunGateway(args, c, peer, messages, milliseconds(messages / 100 + 60'000),
                             static_cast<std::size_t>(messages));
  PrintDelivery(c, run, messages);
  if (run.requests.size() < 2) return 1;
  const double span =
      std::chrono::duration<double>(run.requests.back().arrived - run.requests.front().arrived)
          .count();
  std::printf("complete=%d first_to_last_s=%.3f msg_per_s=%.0f\n", run.complete ? 1 : 0, span,
              span > 0 ? static_cast<double>(run.requests.size() - 1) / span : 0.0);
  // Until the outbox says sent (polled every 10 ms, so up to 10 ms late).
  const double recorded =
      run.all_recorded
          ? std::chrono::duration<double>(*run.all_recorded - run.requests.front().arrived).count()
          : 0.0;
  std::printf("outbox_sent=%lld first_to_all_recorded_s=%.3f recorded_msg_per_s=%.0f\n",
              static_cast<long long>(run.recorded_sent), recorded,
              recorded > 0 ? static_cast<double>(messages) / recorded : 0.0);
  return run.complete ? 0 : 1;
}

int Rate(const Args& args) {
  const std::string kind = args.Str("peer", "whatsapp");
  const long seconds = args.Int("seconds", 60);
  // Meta: 80 msg/s per number; Telegram: about 30 msg/s overall, 1/s per chat.
  const double rate = kind == "telegram" ? 30 : 80;
  Peer peer = MakePeer(kind, rate, rate);
  Channel c{kind,
            kind == "telegram" ? "telegram:tg" : "whatsapp:wa",
            {{"rate_per_minute", static_cast<int>(rate * 60)},
             {"burst", args.Int("burst", static_cast<long>(rate))},
             {"per_recipient_interval_ms", kind == "telegram" ? 1000 : 0},
             {"max_in_flight", 64}},
            peer.BaseUrl()};
  // A backlog for the whole window and more: the sender is never idle.
  const long messages = static_cast<long>(rate * static_cast<double>(seconds) * 1.15) + 200;
  const auto window = std::chrono::seconds(seconds);
  // Wait until the window after the first arrival has passed; the start-up is a few hundred ms.
  const Run run = RunGateway(args, c, peer, messages, window + std::chrono::seconds(3),
                             static_cast<std::size_t>(messages));
  if (run.requests.empty()) return 1;
  const auto t0 = run.requests.front().arrived;
  // Whole window (includes the initial burst of `rate` tokens) and steady state (from 2 s on).
  long in_window = 0;
  long steady = 0;
  for (const auto& r : run.requests) {
    if (r.arrived < t0 + window) ++in_window;
    if (r.arrived >= t0 + std::chrono::seconds(2) && r.arrived < t0 + window) ++steady;
  }
  // The first two seconds in 100 ms bins: where the initial burst (and a pause after a 429) show.
  std::vector<int> bins(20, 0);
  for (const auto& r : run.requests) {
    const auto ms = std::chrono::duration_cast<milliseconds>(r.arrived - t0).count();
    if (ms < 2000) ++bins[static_cast<std::size_t>(ms / 100)];
  }
  std::string start;
  for (int b : bins) start += (start.empty() ? "" : ",") + std::to_string(b);
  std::printf("first_2s_per_100ms=%s\n", start.c_str());
  const double achieved = static_cast<double>(in_window) / static_cast<double>(seconds);
  const double steady_rate = static_cast<double>(steady) / static_cast<double>(seconds - 2);
  std::printf(
      "cap_per_s=%.0f window_s=%ld sent_in_window=%ld achieved_per_s=%.2f "
      "steady_per_s=%.2f steady_error_pct=%.2f peer_429=%d rejected=%d\n",
      rate, seconds, in_window, achieved, steady_rate, (steady_rate - rate) / rate * 100.0,
      run.counters.rate_limited, run.counters.rejected);
  return 0;
}

// One Meta-shaped envelope with `count` text messages from `senders` different wa_ids.
std::string Envelope(const std::string& run_id, long request, int count, long senders,
                     std::mt19937& rng) {
  json messages = json::array();
  json contacts = json::array();
  std::uniform_int_distribution<long> sender(0, senders - 1);
  for (int k = 0; k < count; ++k) {
    const std::string from = std::to_string(628130000000 + sender(rng));
    const std::string wamid =
        "wamid.BENCH" + run_id + "R" + std::to_string(request) + "M" + std::to_string(k);
    messages.push_back({{"from", from},
                        {"id", wamid},
                        {"timestamp", "1763794800"},
                        {"type", "text"},
                        {"text", {{"body", "Bantuan PKH saya belum cair, mohon dicek"}}}});
    contacts.push_back({{"profile", {{"name", "Warga"}}}, {"wa_id", from}});
  }
  json value = {
      {"messaging_product", "whatsapp"},
      {"metadata", {{"display_phone_number", "15550783881"}, {"phone_number_id", kPhoneNumberId}}},
      {"contacts", contacts},
      {"messages", messages}};
  json envelope = {
      {"object", "whatsapp_business_account"},
      {"entry",
       json::array({{{"id", "102290129340398"},
                     {"changes", json::array({{{"field", "messages"}, {"value", value}}})}}})}};
  return envelope.dump();
}

// "<X-Hub-Signature-256>\t<body>" per line; bodies are one line (dump() escapes newlines).
int WaBodies(const Args& args) {
  const std::string out = args.Str("out", "");
  if (out.empty()) throw std::runtime_error("--out is required");
  const long requests = args.Int("requests", 40000);
  const int lo = static_cast<int>(args.Int("min", 1));
  const int hi = static_cast<int>(args.Int("max", 10));
  const long senders = args.Int("senders", 2000);
  const std::string run_id = args.Str("run-id", std::to_string(WallMs()));
  const std::string secret = args.Str("secret", kAppSecret);
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> size(lo, hi);
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  long total = 0;
  for (long i = 0; i < requests; ++i) {
    const int count = size(rng);
    total += count;
    const std::string body = Envelope(run_id, i, count, senders, rng);
    file << adapters::whatsapp::SignatureHeader(secret, body) << '\t' << body << '\n';
  }
  file.close();
  if (!file) throw std::runtime_error("cannot write " + out);
  std::printf("bodies=%ld messages=%ld avg_per_request=%.2f\n", requests, total,
              static_cast<double>(total) / static_cast<double>(requests));
  return 0;
}

// The two-channel gateway of `fair`: Kannel at 8/min to `sendsms`, Telegram to `bot`.
std::string FairConfig(const std::string& dir, const std::string& sendsms, const std::string& bot) {
  json config = BaseConfig(dir);
  config["diagnostics"] = {{"outbox_route", true}};
  config["channels"] = {
      {"telegram", json::array({{{"name", "tg"},
                                 {"base_url", bot},
                                 {"bot_token", {{"env", "BENCH_TG_TOKEN"}}},
                                 {"secret_token", {{"env", "BENCH_TG_SECRET"}}},
                                 {"send", {{"timeout_ms", 2000}}}}})},
      {"kannel", json::array({{{"name", "sms"},
                               {"sendsms_url", sendsms},
                               {"username", "bench"},
                               {"password", {{"env", "BENCH_TG_SECRET"}}},
                               {"shared_secret", {{"env", "BENCH_TG_SECRET"}}},
                               {"send", {{"rate_per_minute", 8}, {"burst", 2}}}}})}};
  return config.dump(2);
}

// SMS replies in the store before the gateway starts: `count` to `address` (or to `count`
// different numbers when address is empty), then optionally one to `last`.
void EnqueueSms(const std::string& dir, long count, const std::string& address,
                const std::string& last) {
  auto db = storage::Db::Open(dir + "/satupintu.db", false);
  if (!db.ok()) throw std::runtime_error("open: " + db.error().message);
  Check((*db)->Exec("BEGIN"), "begin");
  std::int64_t now = WallMs();
  auto one = [&](const std::string& key, const std::string& to) {
    compose::Outgoing o;
    o.key = key;
    o.channel = "kannel:sms";
    o.address = to;
    o.text = "Balasan untuk Anda, mohon ditunggu.";
    auto composed = compose::Compose(o, now);
    if (!composed.ok()) throw std::runtime_error("compose: " + composed.error().message);
    auto id = outbox::EnqueueIn(**db, composed.value(), now++);
    if (!id.ok()) throw std::runtime_error("enqueue: " + id.error().message);
  };
  for (long i = 0; i < count; ++i) {
    one("sms-" + std::to_string(i), address.empty() ? std::to_string(628120000000 + i) : address);
  }
  if (!last.empty()) one("other", last);
  Check((*db)->Exec("COMMIT"), "commit");
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

int Fair(const Args& args) {
  const std::string dir = args.Str("dir", "");
  const std::string bin = args.Str("satupintu", ::satupintu::testing::SatupintuBinary());
  if (dir.empty()) throw std::runtime_error("--dir is required");
  fakes::FakeServer smsbox([](const fakes::RecordedRequest&) {
    return fakes::FakeResponse{202, "0: Accepted for delivery", {{"Content-Type", "text/plain"}}};
  });
  fakes::BotApiConfig tg;
  tg.global_per_second = 0;
  tg.per_chat_per_second = 0;
  fakes::FakeBotApi bot(tg);
  testing::WriteFile(dir + "/satupintu.json",
                     FairConfig(dir, smsbox.BaseUrl() + "/cgi-bin/sendsms", bot.BaseUrl()));
  {
    auto first = Start(dir, bin, "setup");
    Stop(*first);
  }
  // Run 1: Telegram replies while an SMS backlog drains at 8 a minute.
  EnqueueSms(dir, args.Int("sms", 500), "", "");
  const long replies = args.Int("replies", 20);
  std::vector<double> latency;
  long duplicates = 0;
  {
    auto gateway = Start(dir, bin, "gateway");
    const auto ports =
        testing::WaitForPorts(dir + "/gateway.ports", *gateway, std::chrono::seconds(5));
    smsbox.WaitForRequests(2, std::chrono::seconds(10));
    std::vector<Clock::time_point> sent;
    for (long i = 0; i < replies; ++i) {
      sent.push_back(Clock::now());
      testing::Post(ports.private_port, "/diag/outbox",
                    json{{"key", "tg-" + std::to_string(i)},
                         {"channel", "telegram:tg"},
                         {"address", "tg:" + std::to_string(880000 + i)},
                         {"text", "Pengaduan Anda diterima."}}
                        .dump());
      std::this_thread::sleep_for(milliseconds(250));
    }
    bot.WaitForRequests(static_cast<std::size_t>(replies), std::chrono::seconds(120));
    std::this_thread::sleep_for(std::chrono::seconds(3));  // late duplicates
    std::map<long, std::vector<Clock::time_point>> arrived;
    for (const auto& r : bot.Requests()) {
      const auto doc = json::parse(r.body, nullptr, false);
      if (doc.is_object() && doc.contains("chat_id")) {
        arrived[doc["chat_id"].get<long>() - 880000].push_back(r.arrived);
      }
    }
    for (long i = 0; i < replies; ++i) {
      auto it = arrived.find(i);
      if (it == arrived.end()) continue;
      latency.push_back(
          std::chrono::duration<double, std::milli>(it->second.front() - sent[i]).count());
      duplicates += static_cast<long>(it->second.size()) - 1;
    }
    Stop(*gateway);
  }
  std::printf(
      "telegram_replies=%ld delivered=%zu p50_ms=%.0f p99_ms=%.0f max_ms=%.0f "
      "duplicates=%ld sms_sent_meanwhile=%zu\n",
      replies, latency.size(), Percentile(latency, 0.5), Percentile(latency, 0.99),
      latency.empty() ? 0.0 : *std::max_element(latency.begin(), latency.end()), duplicates,
      smsbox.RequestCount());
  // Run 2: a flooding number's replies, then another citizen's, on the paced channel.
  {
    auto db = storage::Db::Open(dir + "/satupintu.db", false);
    if (!db.ok()) throw std::runtime_error("open: " + db.error().message);
    Check((*db)->Exec("UPDATE outbox_part SET state = 'failed' WHERE state IN ('queued',"
                      " 'in_flight') AND channel = 'kannel:sms'"),
          "clear backlog");
    Check((*db)->Exec("DELETE FROM outbox_part WHERE message_id IN (SELECT id FROM"
                      " outbox_message WHERE message_key LIKE 'sms-%' OR message_key = 'other')"),
          "clear parts");
    Check((*db)->Exec("DELETE FROM outbox_message WHERE message_key LIKE 'sms-%'"
                      " OR message_key = 'other'"),
          "clear messages");
  }
  const long flood = args.Int("flood", 24);
  EnqueueSms(dir, flood, "6281211110000", "6281222220000");
  const auto before = smsbox.RequestCount();
  auto gateway = Start(dir, bin, "flood");
  const auto t0 = Clock::now();
  long position = -1;
  double delay_s = 0;
  while (Clock::now() < t0 + std::chrono::seconds(args.Int("flood-wait-s", 240))) {
    const auto requests = smsbox.Requests();
    for (std::size_t i = before; i < requests.size(); ++i) {
      if (requests[i].target.find("6281222220000") != std::string::npos) {
        position = static_cast<long>(i - before) + 1;
        delay_s = std::chrono::duration<double>(requests[i].arrived - t0).count();
      }
    }
    if (position > 0) break;
    std::this_thread::sleep_for(milliseconds(100));
  }
  Stop(*gateway);
  std::printf("flood=%ld other_send_number=%ld other_delay_s=%.1f\n", flood, position, delay_s);
  return 0;
}

}  // namespace
}  // namespace satupintu::bench

int main(int argc, char** argv) {
  using namespace satupintu::bench;
  const std::string command = argc > 1 ? argv[1] : "";
  try {
    const Args args(argc, argv);
    if (command == "outbound") return Outbound(args);
    if (command == "rate") return Rate(args);
    if (command == "wa-bodies") return WaBodies(args);
    if (command == "fair") return Fair(args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_channels: %s\n", e.what());
    return 2;
  }
  std::fprintf(stderr, "usage: bench_channels outbound|rate|fair|wa-bodies --key value ...\n");
  return 2;
}
