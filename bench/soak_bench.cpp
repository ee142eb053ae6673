// bench_soak: the SIGKILL soak of issue 19 (item 8), run by hand, not by CI.
//
//   bench_soak [--cycles 100] [--seed 1] [--dialogs off|on] [--drain-s 120] [--keep off|on]
//   SATUPINTU_BINARY=/other/build/satupintu bench_soak ...   (default: this build's binary)
//
// Each cycle starts `satupintu serve` on the same store, lets a few client threads send mixed
// traffic on all four channels and SIGKILLs it at a random moment: during start-up (before the
// ports file exists), in recovery (just after it became ready, while it resends the parts it
// found in flight) or in steady traffic. The peers stay up across cycles: the fake Bot API and
// Graph API (tests/fakes, limits lifted), a real Kannel (bearerbox, smsbox, fakesmsc) and a
// real gammu-smsd on its dummy phone (tests/support). Traffic:
//   in:  signed Telegram updates and WhatsApp messages and statuses on the public (TLS) port;
//        Kannel MOs through fakesmsc -> bearerbox -> smsbox -> GET /kannel/dinsos/mo;
//        Gammu MOs dropped into the dummy phone, read from SMSD's inbox by the gateway's poller;
//   out: messages enqueued through POST /diag/outbox on telegram, whatsapp, kannel and gammu.
// Every message carries a token ("ib<kind><n>z" in, "ob<kind><n>z" out; the outbound token is
// also its message key), so the journal and each peer can be counted per message. After the
// last cycle a final start drains everything (bounded) and stops with SIGTERM; then the store,
// the peers' records and smsbox's log are compared:
//   acknowledged-and-lost  an update, message or status answered 200 (Kannel: an MO whose last
//                          fetch smsbox's log shows answered; Gammu: a row in SMSD's inbox)
//                          that is not in the journal. Must be 0.
//   skipped parts          an enqueue answered 202 whose part never reached its peer and is
//                          neither failed with a reason nor held (unknown) after a crash. Must
//                          be 0.
//   duplicates             receipts at the peers beyond the first, per part, against the parts
//                          found in flight at start-up (the `outbox.recovered_in_flight`
//                          warnings, which count what satupintu_outbox_in_flight_at_crash_total
//                          counts, in every start, also those killed before /metrics answered)
//                          and, per channel, the parts the store held in flight after each kill.
// With --dialogs off (the default) no dialog replies are sent, so every outbound part is one
// of ours and the duplicates and parts in flight count the same parts; --dialogs on adds the
// replies (their duplicates are not counted, their parts in flight are).
// Kannel 1.4.5's smsbox sometimes dies (PANIC) reusing a connection the killed gateway reset;
// Kannel is then started again between cycles on the same sendsms port, and the MOs whose
// outcome died with it are counted apart (see MoFate), never as acknowledged.
// Prints one table and one JSON line; exits 1 when anything was lost or skipped (the store and
// the peers' files are then copied to /tmp/satupintu-soak-<pid>, as with --keep on), 2 when the
// run itself broke.

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "fakes/fake_bot_api.hpp"
#include "fakes/fake_graph_api.hpp"
#include "fakes/graph_payload.hpp"
#include "fakes/webhook_poster.hpp"
#include "integration/gateway_harness.hpp"
#include "support/gammu_peer.hpp"
#include "support/kannel_peer.hpp"

namespace satupintu::bench {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
namespace fakes = testing::fakes;

constexpr const char* kTgSecret = "soak-tg-secret_42";
constexpr const char* kKannelSecret = "soak-kannel-Zr5Tq2";
constexpr const char* kShortCode = "6281100000000";
constexpr int kKannelRetries = 3;  // KannelPeer's smsbox http-request-retry
constexpr auto kStartLimit = std::chrono::seconds(30);

struct Options {
  int cycles = 100;
  unsigned seed = 1;
  bool dialogs = false;
  int drain_s = 120;
  bool keep = false;  // keep the files even when nothing was lost or skipped
};

Options ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i += 2) {
    const std::string key = argv[i];
    if (i + 1 >= argc) throw std::runtime_error("missing value for " + key);
    const std::string value = argv[i + 1];
    if (key == "--cycles") {
      o.cycles = std::stoi(value);
    } else if (key == "--seed") {
      o.seed = static_cast<unsigned>(std::stoul(value));
    } else if (key == "--dialogs") {
      o.dialogs = value == "on";
    } else if (key == "--drain-s") {
      o.drain_s = std::stoi(value);
    } else if (key == "--keep") {
      o.keep = value == "on";
    } else {
      throw std::runtime_error("unknown option " + key);
    }
  }
  return o;
}

// "ib" (in) or "ob" (out), the channel's letter (t, w, k, g), a number, "z".
std::string Token(const char* direction, char kind, int n) {
  return direction + std::string(1, kind) + std::to_string(n) + "z";
}

// Every token in `text` with the given direction.
std::vector<std::string> Tokens(std::string_view text, std::string_view direction) {
  std::vector<std::string> out;
  for (auto at = text.find(direction); at != std::string_view::npos;
       at = text.find(direction, at + 1)) {
    std::size_t end = at + direction.size() + 1;
    if (end > text.size() || std::string_view("twkg").find(text[end - 1]) == std::string::npos) {
      continue;
    }
    const std::size_t digits = end;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])) != 0) ++end;
    if (end > digits && end < text.size() && text[end] == 'z') {
      out.emplace_back(text.substr(at, end + 1 - at));
    }
  }
  return out;
}

char KindOf(const std::string& token) { return token.size() > 2 ? token[2] : '?'; }

std::string ChannelName(char kind) {
  switch (kind) {
    case 't':
      return "telegram";
    case 'w':
      return "whatsapp";
    case 'k':
      return "kannel";
    case 'g':
      return "gammu";
    default:
      return "?";
  }
}

// All rows of a query, every column as text (NULL as ""); throws when the query fails.
std::vector<std::vector<std::string>> Rows(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::vector<std::vector<std::string>> out;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path);
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    const std::string error = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw std::runtime_error(path + ": " + error + " in " + sql);
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
      const auto* text = sqlite3_column_text(stmt, c);
      row.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
    }
    out.push_back(std::move(row));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

std::int64_t Count(const std::string& path, const std::string& sql) {
  const auto rows = Rows(path, sql);
  return rows.empty() || rows[0].empty() ? -1 : std::stoll(rows[0][0]);
}

std::int64_t NowS() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// What the gateway acknowledged and what was handed to Kannel and Gammu, from all threads.
class Ledger {
 public:
  int Next() {
    std::lock_guard lock(mutex_);
    return ++next_;
  }
  void Add(std::set<std::string> Ledger::*set, const std::string& value) {
    std::lock_guard lock(mutex_);
    (this->*set).insert(value);
  }
  // The next wamid the fake issued that has no status posted yet, or "".
  std::string NextWamid(const std::vector<std::string>& issued) {
    std::lock_guard lock(mutex_);
    return statuses_posted_ < issued.size() ? issued[statuses_posted_++] : "";
  }

  std::set<std::string> inbound_acked;    // tokens of Telegram and WhatsApp messages (200)
  std::set<std::string> statuses_acked;   // wamids whose "delivered" was answered 200
  std::set<std::string> kannel_injected;  // tokens fakesmsc handed to bearerbox
  std::set<std::string> kannel_orphaned;  // ... and lost with a crashed smsbox before service
  std::set<std::string> gammu_dropped;    // tokens dropped into the dummy phone
  std::set<std::string> parts_acked;      // message keys whose enqueue was answered 202

 private:
  std::mutex mutex_;
  int next_ = 0;
  std::size_t statuses_posted_ = 0;
};

// The fakes with their limits lifted (as in KillNineWhileTrafficFlowsInAndOut), real Kannel
// pointed at the gateway's fixed private port, real SMSD.
struct Peers {
  explicit Peers(std::uint16_t private_port)
      : bot(UnlimitedBot()),
        graph(UnlimitedGraph()),
        kannel(std::make_unique<testing::KannelPeer>(kannel_dir, KannelOptions(private_port, 0))),
        private_port_(private_port) {
    if (!gammu.setup_error().empty()) throw std::runtime_error(gammu.setup_error());
    if (!gammu.Start()) throw std::runtime_error("gammu-smsd did not start: " + gammu.Log());
  }

  // smsbox answers its sendsms port and bearerbox its status page.
  bool KannelUp() const {
    return testing::Get(kannel->sendsms_port(), "/cgi-bin/sendsms").status != 0 &&
           !kannel->Status().empty();
  }
  // A new Kannel in the same directory (its logs are appended to) on the same sendsms port,
  // where the gateway's sendsms_url points.
  void RestartKannel() {
    const std::uint16_t sendsms_port = kannel->sendsms_port();
    kannel.reset();
    kannel = std::make_unique<testing::KannelPeer>(kannel_dir,
                                                   KannelOptions(private_port_, sendsms_port));
  }

  static fakes::BotApiConfig UnlimitedBot() {
    fakes::BotApiConfig c;
    c.global_per_second = c.global_burst = 100'000;
    c.per_chat_per_second = c.per_chat_burst = 100'000;
    return c;
  }
  static fakes::GraphApiConfig UnlimitedGraph() {
    fakes::GraphApiConfig c;
    c.throughput_per_second = c.throughput_burst = 100'000;
    c.pair_interval = milliseconds(0);
    c.enforce_window = false;
    return c;
  }
  static testing::KannelPeerOptions KannelOptions(std::uint16_t private_port,
                                                  std::uint16_t sendsms_port) {
    testing::KannelPeerOptions o;
    o.sendsms_port = sendsms_port;
    o.mo_url = "http://127.0.0.1:" + std::to_string(private_port) +
               "/kannel/dinsos/mo?from=%p&to=%P&text=%b&coding=%c&charset=%C&ts=%T&id=%I"
               "&smsc=%i&secret=" +
               kKannelSecret;
    return o;
  }

  fakes::FakeBotApi bot;
  fakes::FakeGraphApi graph;
  testing::TempDir kannel_dir;
  std::unique_ptr<testing::KannelPeer> kannel;
  testing::GammuPeer gammu;

 private:
  std::uint16_t private_port_;
};

std::string GatewayConfig(const testing::TempDir& dir, const Peers& p, std::uint16_t public_port,
                          std::uint16_t private_port, bool dialogs) {
  const json send = {
      {"rate_per_minute", 0}, {"per_recipient_interval_ms", 0}, {"backoff_base_ms", 100}};
  const std::string private_url = "http://127.0.0.1:" + std::to_string(private_port);
  json telegram = {{"name", "tg"},
                   {"base_url", p.bot.BaseUrl()},
                   {"bot_token", {{"env", "SOAK_TG_TOKEN"}}},
                   {"secret_token", {{"env", "SOAK_TG_SECRET"}}},
                   {"send", send}};
  json whatsapp = {{"name", "wa"},
                   {"base_url", p.graph.BaseUrl()},
                   {"api_version", "v19.0"},
                   {"phone_number_id", p.graph.config().phone_number_id},
                   {"access_token", {{"env", "SOAK_WA_TOKEN"}}},
                   {"app_secret", {{"env", "SOAK_WA_SECRET"}}},
                   {"verify_token", {{"env", "SOAK_WA_VERIFY"}}},
                   {"send", send}};
  json kannel = {{"name", "dinsos"},
                 {"sendsms_url", p.kannel->SendSmsUrl()},
                 {"username", p.kannel->username()},
                 {"password", {{"env", "SOAK_KANNEL_PASSWORD"}}},
                 {"shared_secret", {{"env", "SOAK_KANNEL_SECRET"}}},
                 {"smsc", p.kannel->smsc_id()},
                 {"from", "DINSOS"},
                 {"dlr_base_url", private_url},
                 {"send", send}};
  json gammu = {{"name", "modem"},
                {"database", p.gammu.database()},
                {"phone_id", p.gammu.phone_id()},
                {"poll_interval_ms", 200},
                {"smsd_utc_offset_minutes", testing::LocalUtcOffsetMinutes()},
                {"send", send}};
  const json patch = {{"public", {{"port", public_port}}},
                      {"private", {{"port", private_port}}},
                      {"dialogs", {{"enabled", dialogs}}},
                      {"channels",
                       {{"telegram", json::array({telegram})},
                        {"whatsapp", json::array({whatsapp})},
                        {"kannel", json::array({kannel})},
                        {"gammu", json::array({gammu})}}}};
  return testing::ConfigWith(dir, patch);
}

std::vector<std::string> GatewayEnv(const Peers& p) {
  return {"SOAK_TG_TOKEN=" + p.bot.config().token,
          std::string("SOAK_TG_SECRET=") + kTgSecret,
          "SOAK_WA_TOKEN=" + p.graph.config().access_token,
          "SOAK_WA_SECRET=" + p.graph.config().app_secret,
          "SOAK_WA_VERIFY=soak-verify",
          "SOAK_KANNEL_PASSWORD=" + p.kannel->password(),
          std::string("SOAK_KANNEL_SECRET=") + kKannelSecret};
}

testing::ClientResponse PostPublic(std::uint16_t port, const std::string& target,
                                   const std::string& body, const std::string& header,
                                   const std::string& value) {
  testing::RequestOptions o;
  o.tls = true;
  o.method = "POST";
  o.target = target;
  o.body = body;
  o.timeout = milliseconds(3000);
  o.headers = {{"Content-Type", "application/json"}, {header, value}};
  return testing::Send(port, o);
}

std::string TelegramUpdate(int n, const std::string& token) {
  const json from = {{"id", 800000 + n % 50}, {"is_bot", false}, {"first_name", "Siti"}};
  const json message = {{"message_id", n},
                        {"from", from},
                        {"chat", {{"id", 800000 + n % 50}, {"type", "private"}}},
                        {"date", NowS()},
                        {"text", "halo " + token}};
  return json{{"update_id", n}, {"message", message}}.dump();
}

std::string WhatsAppMessage(const fakes::GraphApiConfig& c, int n, const std::string& token) {
  const std::string from = std::to_string(6281300000000 + n % 300);
  const json value = {
      {"messaging_product", "whatsapp"},
      {"metadata",
       {{"display_phone_number", c.display_phone_number}, {"phone_number_id", c.phone_number_id}}},
      {"contacts", json::array({{{"profile", {{"name", "Siti"}}}, {"wa_id", from}}})},
      {"messages", json::array({{{"from", from},
                                 {"id", "wamid.soak" + std::to_string(n)},
                                 {"timestamp", std::to_string(NowS())},
                                 {"type", "text"},
                                 {"text", {{"body", "lapor " + token}}}}})}};
  return json{
      {"object", "whatsapp_business_account"},
      {"entry",
       json::array({{{"id", c.waba_id},
                     {"changes", json::array({{{"field", "messages"}, {"value", value}}})}}})}}
      .dump();
}

std::string WhatsAppDelivered(const fakes::GraphApiConfig& c, const std::string& wamid) {
  fakes::graph::StatusEvent e;
  e.waba_id = c.waba_id;
  e.phone_number_id = c.phone_number_id;
  e.display_phone_number = c.display_phone_number;
  e.wamid = wamid;
  e.recipient = "6281200000000";
  e.status = "delivered";
  e.timestamp = NowS();
  return fakes::graph::StatusEnvelope(e);
}

// One message for /diag/outbox on the channel `kind`, priority bulk for one in ten (held, not
// resent, after a crash).
json OutboxMessage(int n, char kind) {
  const std::string token = Token("ob", kind, n);
  json m = {{"key", token}, {"text", "Status tiket " + token}};
  m["priority"] = n % 10 == 0 ? "bulk" : n % 10 == 1 ? "notification" : "reply";
  const std::string number = std::to_string(200 + n % 200);
  if (kind == 't') {
    m["channel"] = "telegram:tg";
    m["address"] = "tg:" + std::to_string(900000 + n % 200);
  } else if (kind == 'w') {  // outside any window: a template
    m["channel"] = "whatsapp:wa";
    m["address"] = "62812100" + number;
    m["template"] = {{"name", "status_tiket"}, {"language", "id"}, {"params", {token}}};
  } else if (kind == 'k') {
    m["channel"] = "kannel:dinsos";
    m["address"] = "62812300" + number;
  } else {
    m["channel"] = "gammu:modem";
    m["address"] = "62812400" + number;
  }
  return m;
}

// The moments a kill can come at.
enum class Moment { kStartup, kRecovery, kSteady };

struct Tally {
  int kills = 0;
  std::map<Moment, int> by_moment;
  // "<part id>:<updated_at_ms>" in flight at a kill -> its channel's letter.
  std::map<std::string, char> in_flight_seen;
  // From the outbox.recovered_in_flight warnings: resent, held (unknown), and found accepted
  // by the peer in the accept log (builds that have one: those parts are not sent again).
  std::int64_t resent = 0;
  std::int64_t held = 0;
  std::int64_t accepted = 0;
  int starts = 0;
  int kannel_restarts = 0;
};

struct ChannelCount;
struct KannelStats;
struct RunFigures;

class Soak {
 public:
  Soak(const Options& options, std::uint16_t public_port, std::uint16_t private_port)
      : options_(options),
        public_port_(public_port),
        private_port_(private_port),
        peers_(private_port),
        config_(GatewayConfig(dir_, peers_, public_port, private_port, options.dialogs)),
        env_(GatewayEnv(peers_)),
        rng_(options.seed) {
    testing::WriteFile(dir_.File("soak.json"), config_);
  }

  void RunCycle(int cycle);
  bool Drain(double* seconds, int* exit_code);
  int Report(const RunFigures& run);

 private:
  std::unique_ptr<testing::Child> Spawn(const std::string& name);
  Moment AwaitKillMoment(testing::Child& child, const std::string& name, Moment planned);
  std::vector<std::thread> StartClients(std::atomic<bool>& stop);
  testing::ClientResponse Enqueue(char kind);
  void TelegramClient(const std::atomic<bool>& stop);
  void WhatsAppClient(const std::atomic<bool>& stop);
  void OutboxClient(const std::atomic<bool>& stop);
  void KannelClient(const std::atomic<bool>& stop);
  void GammuClient(const std::atomic<bool>& stop);
  void NoteInFlight();
  void NoteRecovery(const std::string& name);
  bool Drained();
  void KeepKannelUp();
  std::string Store() const { return dir_.File("satupintu.db"); }
  void KeepFiles() const;
  void PrintSummary(const ChannelCount& total, const KannelStats& k, const RunFigures& run);
  json Summary(const std::map<char, ChannelCount>& counts, const ChannelCount& total,
               const KannelStats& k, const RunFigures& run);

  const Options options_;
  const std::uint16_t public_port_;
  const std::uint16_t private_port_;
  testing::TempDir dir_;
  Peers peers_;
  const std::string config_;
  const std::vector<std::string> env_;
  std::mt19937 rng_;
  Ledger ledger_;
  Tally tally_;
};

std::unique_ptr<testing::Child> Soak::Spawn(const std::string& name) {
  std::filesystem::remove(dir_.File(name + ".ports"));
  ++tally_.starts;
  return std::make_unique<testing::Child>(
      std::vector<std::string>{testing::SatupintuBinary(), "serve", "--config",
                               dir_.File("soak.json"), "--ports-file", dir_.File(name + ".ports")},
      dir_.File(name + ".log"), env_);
}

int Between(std::mt19937& rng, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(rng);
}

// Sleeps until the kill: 0-300 ms after spawn for start-up, 0-150 ms after the ports file for
// recovery, 300-1500 ms after it in steady traffic. Returns the moment it really was: a
// start-up kill that came after the ports file counts as one in recovery.
Moment Soak::AwaitKillMoment(testing::Child& child, const std::string& name, Moment planned) {
  const std::string ports_file = dir_.File(name + ".ports");
  if (planned == Moment::kStartup) {
    std::this_thread::sleep_for(milliseconds(Between(rng_, 0, 300)));
    return std::filesystem::exists(ports_file) ? Moment::kRecovery : Moment::kStartup;
  }
  const auto ports = testing::WaitForPorts(ports_file, child, kStartLimit);
  if (ports.private_port == 0) {
    throw std::runtime_error("satupintu did not start (" + name + "):\n" +
                             testing::ReadFile(dir_.File(name + ".log")));
  }
  const bool steady = planned == Moment::kSteady;
  std::this_thread::sleep_for(
      milliseconds(steady ? Between(rng_, 300, 1500) : Between(rng_, 0, 150)));
  return planned;
}

void Soak::RunCycle(int cycle) {
  const int pick = Between(rng_, 0, 99);
  const Moment planned = pick < 15   ? Moment::kStartup
                         : pick < 30 ? Moment::kRecovery
                                     : Moment::kSteady;
  const std::string name = "c" + std::to_string(cycle);
  auto child = Spawn(name);
  std::atomic<bool> stop{false};
  auto clients = StartClients(stop);
  Moment moment = Moment::kStartup;
  try {
    moment = AwaitKillMoment(*child, name, planned);
  } catch (...) {
    stop = true;
    for (auto& t : clients) t.join();
    throw;
  }
  child->Signal(SIGKILL);
  child->Wait(std::chrono::seconds(15));
  stop = true;
  for (auto& t : clients) t.join();
  ++tally_.kills;
  ++tally_.by_moment[moment];
  NoteInFlight();
  NoteRecovery(name);
  KeepKannelUp();
  static constexpr const char* kNames[] = {"start-up", "recovery", "steady"};
  std::fprintf(stderr, "cycle %d/%d: killed in %s; acked so far: in %zu, parts %zu\n", cycle + 1,
               options_.cycles, kNames[static_cast<int>(moment)], ledger_.inbound_acked.size(),
               ledger_.parts_acked.size());
}

std::vector<std::thread> Soak::StartClients(std::atomic<bool>& stop) {
  std::vector<std::thread> t;
  t.emplace_back([this, &stop] { TelegramClient(stop); });
  t.emplace_back([this, &stop] { WhatsAppClient(stop); });
  t.emplace_back([this, &stop] { OutboxClient(stop); });
  t.emplace_back([this, &stop] { OutboxClient(stop); });
  t.emplace_back([this, &stop] { KannelClient(stop); });
  t.emplace_back([this, &stop] { GammuClient(stop); });
  return t;
}

// After a request: a short pause, longer while nobody listens (start-up, after the kill).
void Pause(const testing::ClientResponse& r) {
  std::this_thread::sleep_for(milliseconds(r.status == 0 ? 20 : 2));
}

void Soak::TelegramClient(const std::atomic<bool>& stop) {
  while (!stop) {
    const int n = ledger_.Next();
    const std::string token = Token("ib", 't', n);
    const auto r = PostPublic(public_port_, "/webhooks/telegram/tg", TelegramUpdate(n, token),
                              "X-Telegram-Bot-Api-Secret-Token", kTgSecret);
    if (r.status == 200) ledger_.Add(&Ledger::inbound_acked, token);
    Pause(r);
  }
}

// WhatsApp messages, and in between a "delivered" for each wamid the fake has issued.
void Soak::WhatsAppClient(const std::atomic<bool>& stop) {
  const auto& c = peers_.graph.config();
  while (!stop) {
    const int n = ledger_.Next();
    const std::string wamid = n % 2 == 0 ? ledger_.NextWamid(peers_.graph.IssuedWamids()) : "";
    const std::string token = Token("ib", 'w', n);
    const std::string body =
        wamid.empty() ? WhatsAppMessage(c, n, token) : WhatsAppDelivered(c, wamid);
    const auto r = PostPublic(public_port_, "/webhooks/whatsapp/wa", body, "X-Hub-Signature-256",
                              "sha256=" + fakes::HmacSha256Hex(c.app_secret, body));
    if (r.status == 200) {
      if (wamid.empty()) {
        ledger_.Add(&Ledger::inbound_acked, token);
      } else {
        ledger_.Add(&Ledger::statuses_acked, wamid);
      }
    }
    Pause(r);
  }
}

testing::ClientResponse Soak::Enqueue(char kind) {
  const json m = OutboxMessage(ledger_.Next(), kind);
  const auto r = testing::Post(private_port_, "/diag/outbox", m.dump());
  if (r.status == 202) ledger_.Add(&Ledger::parts_acked, m["key"].get<std::string>());
  return r;
}

// Telegram, WhatsApp and Kannel parts in turn (Gammu's are the Gammu client's).
void Soak::OutboxClient(const std::atomic<bool>& stop) {
  static constexpr char kKinds[] = "twk";
  for (int i = 0; !stop; ++i) Pause(Enqueue(kKinds[i % 3]));
}

// One MO at a time: each is a short fakesmsc run (KannelPeer::SendMo).
void Soak::KannelClient(const std::atomic<bool>& stop) {
  while (!stop) {
    const int n = ledger_.Next();
    const std::string token = Token("ib", 'k', n);
    const std::string from = "+" + std::to_string(6281500000000 + n % 100);
    if (peers_.kannel->SendMo(from, kShortCode, "lapor " + token).ok()) {
      ledger_.Add(&Ledger::kannel_injected, token);
    }
  }
}

// An MO every 150 ms and an outbound part every 1.2 s: SMSD's dummy phone sends about one SMS
// a second (one per loop), so more would only grow a backlog for the drain.
void Soak::GammuClient(const std::atomic<bool>& stop) {
  for (int i = 0; !stop; ++i) {
    const int n = ledger_.Next();
    const std::string token = Token("ib", 'g', n);
    peers_.gammu.DropMo("+" + std::to_string(6281600000000 + n % 100), "lapor " + token);
    ledger_.Add(&Ledger::gammu_dropped, token);
    if (i % 8 == 0) Enqueue('g');
    std::this_thread::sleep_for(milliseconds(150));
  }
}

// Parts in flight right after a kill, each claim once (a part still in flight at the next
// kill, because that start died before recovering it, is the same claim).
void Soak::NoteInFlight() {
  if (!std::filesystem::exists(Store())) return;
  for (const auto& row : Rows(Store(),
                              "SELECT p.id || ':' || p.updated_at_ms, m.channel FROM outbox_part p"
                              " JOIN outbox_message m ON m.id = p.message_id"
                              " WHERE p.state = 'in_flight'")) {
    tally_.in_flight_seen.emplace(row[0], row[1].empty() ? '?' : row[1][0]);  // "kannel:..." -> k
  }
}

// What RecoverInFlight reported in this start's log (a warning: written at once).
void Soak::NoteRecovery(const std::string& name) {
  const auto lines = testing::ParseLog(testing::ReadFile(dir_.File(name + ".log")));
  if (const json* e = testing::FindEvent(lines, "outbox.recovered_in_flight")) {
    tally_.resent += e->value("resent", std::int64_t{0});
    tally_.held += e->value("held_unknown", std::int64_t{0});
    tally_.accepted += e->value("accepted", std::int64_t{0});
  }
}

// One Kannel MO as smsbox's log tells it: serviced, then fetched once and retried up to
// kKannelRetries times (10 s apart); each attempt without an answer logs "Couldn't fetch",
// an answer is logged without its URL. smsbox 1.4.5 can die (PANIC in conn_unregister) writing
// to a keep-alive connection the killed gateway reset: an attempt it began shortly before has
// no outcome in the log.
struct MoFate {
  bool serviced = false;
  int failures = 0;
  int retries = 0;
  std::string smsbox;           // the pid of the smsbox that made the last attempt
  std::int64_t attempt_at = 0;  // when (seconds)
  bool smsbox_died = false;     // that smsbox died later
  bool cut = false;             // ... within kCutWindowS of the attempt
  bool Answered() const { return serviced && failures < retries + 1 && !cut; }
  bool GaveUp() const { return failures == retries + 1 && retries >= kKannelRetries; }
  bool Cut() const { return serviced && failures < retries + 1 && cut; }
  bool Final() const { return Answered() || GaveUp() || smsbox_died; }
};

// The gateway answers an MO in milliseconds, or its socket is gone and smsbox logs the failure
// at once; an attempt begun this long before its smsbox died had its outcome.
constexpr std::int64_t kCutWindowS = 5;

struct KannelLog {
  std::map<std::string, MoFate> mos;
  std::map<std::string, std::int64_t> crashed;  // pid of an smsbox that died -> when
  int non_2xx = 0;  // answers that were not 2xx: then "answered" no longer means acknowledged
};

// "2026-12-07 21:33:02 [14379] [9] DEBUG: ..." -> "14379".
std::string PidOf(const std::string& line) {
  const auto open = line.find('[');
  const auto close = line.find(']', open);
  return open == std::string::npos || close == std::string::npos
             ? ""
             : line.substr(open + 1, close - open - 1);
}

// "2026-12-07 21:33:02 ..." -> seconds (as UTC: only differences matter).
std::int64_t TimeOf(const std::string& line) {
  std::tm tm{};
  if (std::sscanf(line.c_str(), "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
    return 0;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(timegm(&tm));
}

void ReadKannelLine(const std::string& line, KannelLog* log) {
  const std::string status = "HTTP: Status line: <HTTP/1.";
  if (line.find("Starting to service <") != std::string::npos ||
      line.find("Retrying request <") != std::string::npos) {
    const bool retry = line.find("Retrying") != std::string::npos;
    for (const auto& t : Tokens(line, "ib")) {
      auto& mo = log->mos[t];
      mo.serviced = true;
      mo.retries += retry ? 1 : 0;
      mo.smsbox = PidOf(line);
      mo.attempt_at = TimeOf(line);
    }
  } else if (line.find("Couldn't fetch <") != std::string::npos) {
    for (const auto& t : Tokens(line, "ib")) ++log->mos[t].failures;
  } else if (line.find("PANIC:") != std::string::npos) {
    log->crashed.emplace(PidOf(line), TimeOf(line));
  } else if (const auto at = line.find(status); at != std::string::npos) {
    const std::size_t code = at + status.size() + 2;  // after "1 " of "HTTP/1.1 "
    if (code < line.size() && line[code] != '2') ++log->non_2xx;
  }
}

KannelLog ReadKannelLog(const std::string& smsbox_log) {
  KannelLog log;
  std::istringstream in(smsbox_log);
  std::string line;
  while (std::getline(in, line)) ReadKannelLine(line, &log);
  for (auto& [token, mo] : log.mos) {
    const auto died = log.crashed.find(mo.smsbox);
    mo.smsbox_died = died != log.crashed.end();
    mo.cut = mo.smsbox_died && mo.attempt_at >= died->second - kCutWindowS;
  }
  return log;
}

// Tokens counted once per text (a WhatsApp payload may hold the text twice).
std::set<std::string> UniqueTokens(std::string_view text, std::string_view direction) {
  const auto all = Tokens(text, direction);
  return {all.begin(), all.end()};
}

bool Soak::Drained() {
  if (Count(Store(), "SELECT COUNT(*) FROM outbox_part WHERE state IN ('queued', 'in_flight')") !=
          0 ||
      Count(Store(),
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM inbound_journal) = (SELECT"
            " COALESCE(MAX(last_id), 0) FROM journal_cursor WHERE consumer = 'channels')") != 1) {
    return false;
  }
  if (peers_.gammu.QueryInt("SELECT COUNT(*) FROM outbox") != 0 ||
      peers_.gammu.QueryInt("SELECT COUNT(*) FROM inbox WHERE Processed = 'false'") != 0) {
    return false;
  }
  // One inbox row per dropped MO once SMSD has read them all.
  if (peers_.gammu.QueryInt("SELECT COUNT(*) FROM inbox") <
      static_cast<std::int64_t>(ledger_.gammu_dropped.size())) {
    return false;
  }
  const auto log = ReadKannelLog(testing::ReadFile(peers_.kannel_dir.File("smsbox.log")));
  return std::all_of(
      ledger_.kannel_injected.begin(), ledger_.kannel_injected.end(), [&](const std::string& t) {
        const auto it = log.mos.find(t);
        return ledger_.kannel_orphaned.count(t) != 0 || (it != log.mos.end() && it->second.Final());
      });
}

// A dead smsbox (see MoFate) takes Kannel's MOs and sends with it: a new Kannel, between
// cycles. MOs that bearerbox had not handed to smsbox yet are gone with the old one.
void Soak::KeepKannelUp() {
  if (peers_.KannelUp()) return;
  const auto log = ReadKannelLog(testing::ReadFile(peers_.kannel_dir.File("smsbox.log")));
  for (const auto& t : ledger_.kannel_injected) {
    if (log.mos.count(t) == 0) ledger_.Add(&Ledger::kannel_orphaned, t);
  }
  std::fprintf(stderr, "Kannel down (smsbox crashes so far: %zu): restarting it\n",
               log.crashed.size());
  peers_.RestartKannel();
  ++tally_.kannel_restarts;
}

bool Soak::Drain(double* seconds, int* exit_code) {
  const auto started = Clock::now();
  testing::Gateway gw = testing::StartGateway(dir_, config_, "final", env_);
  ++tally_.starts;
  if (gw.ports.private_port == 0) throw std::runtime_error("the final start failed:\n" + gw.Log());
  const auto deadline = started + std::chrono::seconds(options_.drain_s);
  bool drained = false;
  while (!(drained = Drained()) && Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(1000));
    KeepKannelUp();
  }
  NoteRecovery("final");
  *exit_code = testing::StopGateway(gw);
  *seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return drained;
}

struct ChannelCount {
  int in_acked = 0;
  int in_lost = 0;
  int in_repeated = 0;  // journal rows beyond the first for one message
  int parts_acked = 0;
  int at_peer = 0;
  int failed = 0;
  int held = 0;
  int skipped = 0;
  int sent = 0;  // distinct parts at the peer, acknowledged or not
  int duplicates = 0;
  int in_flight = 0;  // parts in flight at the kills, from the store
};

struct Journal {
  std::map<std::string, int> rows_by_token;
  std::set<std::string> status_ids;
  std::set<std::string> gammu_inbox_ids;  // SMSD inbox IDs, from "gammu:<ID>:<hash>"
};

Journal ReadJournal(const std::string& store) {
  Journal j;
  for (const auto& row :
       Rows(store, "SELECT provider_id, CAST(payload AS TEXT) FROM inbound_journal")) {
    if (row[0].rfind("status:", 0) == 0) {
      j.status_ids.insert(row[0]);
      continue;
    }
    if (row[0].rfind("gammu:", 0) == 0)
      j.gammu_inbox_ids.insert(row[0].substr(6, row[0].find(':', 6) - 6));
    for (const auto& t : UniqueTokens(row[1], "ib")) ++j.rows_by_token[t];
  }
  return j;
}

// Receipts per outbound token at the four peers.
std::map<std::string, int> Receipts(const Peers& p) {
  std::map<std::string, int> out;
  auto add = [&out](std::string_view text) {
    for (const auto& t : UniqueTokens(text, "ob")) ++out[t];
  };
  for (const auto& r : p.bot.Requests()) {
    if (r.target.find("/sendMessage") != std::string::npos) add(r.body);
  }
  for (const auto& r : p.graph.Requests()) add(r.body);
  for (const auto& m : p.kannel->Received()) add(m.text.empty() ? m.data : m.text);
  for (const auto& row : Rows(p.gammu.database(), "SELECT TextDecoded FROM sentitems")) {
    add(row[0]);
  }
  return out;
}

// Inbound: every acknowledged message must have its journal row.
void CountInbound(const Ledger& ledger, const Journal& j,
                  const std::map<std::string, MoFate>& kannel_mos,
                  const std::set<std::string>& gammu_inbox, std::map<char, ChannelCount>* c) {
  auto check = [&](const std::string& token) {
    auto& row = (*c)[KindOf(token)];
    ++row.in_acked;
    if (j.rows_by_token.count(token) == 0) {
      ++row.in_lost;
      std::fprintf(stderr, "LOST inbound %s (%s)\n", token.c_str(),
                   ChannelName(KindOf(token)).c_str());
    }
  };
  for (const auto& t : ledger.inbound_acked) check(t);
  for (const auto& t : ledger.kannel_injected) {
    const auto it = kannel_mos.find(t);
    if (it != kannel_mos.end() && it->second.Answered()) check(t);
  }
  // The gateway blanks an inbox row's text once it has the row: Gammu MOs go by inbox ID.
  auto& gammu = (*c)['g'];
  for (const auto& id : gammu_inbox) {
    ++gammu.in_acked;
    if (j.gammu_inbox_ids.count(id) == 0) {
      ++gammu.in_lost;
      std::fprintf(stderr, "LOST inbound gammu inbox ID %s\n", id.c_str());
    }
  }
  auto& statuses = (*c)['s'];
  for (const auto& wamid : ledger.statuses_acked) {
    ++statuses.in_acked;
    if (j.status_ids.count("status:" + wamid + ":delivered") == 0) {
      ++statuses.in_lost;
      std::fprintf(stderr, "LOST status delivered of %s\n", wamid.c_str());
    }
  }
  for (const auto& [token, rows] : j.rows_by_token) (*c)[KindOf(token)].in_repeated += rows - 1;
}

// Outbound: every acknowledged part at its peer, failed with a reason or held; duplicates.
void CountOutbound(const Ledger& ledger, const std::string& store,
                   const std::map<std::string, int>& receipts, std::map<char, ChannelCount>* c) {
  std::map<std::string, std::pair<std::string, std::string>> states;
  for (const auto& row : Rows(store,
                              "SELECT m.message_key, p.state, COALESCE(p.last_error, '') FROM"
                              " outbox_part p JOIN outbox_message m ON m.id = p.message_id")) {
    states[row[0]] = {row[1], row[2]};
  }
  std::map<std::string, int> reasons;
  for (const auto& key : ledger.parts_acked) {
    auto& row = (*c)[KindOf(key)];
    ++row.parts_acked;
    if (receipts.count(key) != 0) {
      ++row.at_peer;
      continue;
    }
    const auto& [state, error] = states[key];
    if (state == "failed") {
      ++row.failed;
      ++reasons[error];
    } else if (state == "unknown") {
      ++row.held;
    } else {
      ++row.skipped;
      std::fprintf(stderr, "SKIPPED part %s: state '%s', last error '%s'\n", key.c_str(),
                   state.c_str(), error.c_str());
    }
  }
  for (const auto& [reason, n] : reasons) {
    std::fprintf(stderr, "failed with reason (%d): %s\n", n, reason.c_str());
  }
  for (const auto& [token, n] : receipts) {
    auto& row = (*c)[KindOf(token)];
    ++row.sent;
    row.duplicates += n - 1;
  }
}

// Every MO SMSD received: the IDs of its inbox rows.
std::set<std::string> GammuInbox(const Peers& p) {
  std::set<std::string> out;
  for (const auto& row : Rows(p.gammu.database(), "SELECT ID FROM inbox")) out.insert(row[0]);
  return out;
}

void PrintTable(const std::map<char, ChannelCount>& counts, const ChannelCount& total) {
  std::printf("%-16s %9s %7s %8s %11s %8s %7s %5s %8s %10s %9s\n", "channel", "in_acked", "in_lost",
              "in_again", "parts_acked", "at_peer", "failed", "held", "skipped", "duplicates",
              "in_flight");
  auto line = [](const char* name, const ChannelCount& r) {
    std::printf("%-16s %9d %7d %8d %11d %8d %7d %5d %8d %10d %9d\n", name, r.in_acked, r.in_lost,
                r.in_repeated, r.parts_acked, r.at_peer, r.failed, r.held, r.skipped, r.duplicates,
                r.in_flight);
  };
  for (const char kind : std::string("twkgs")) {
    const auto it = counts.find(kind);
    const std::string name = kind == 's' ? "whatsapp-status" : ChannelName(kind);
    line(name.c_str(), it == counts.end() ? ChannelCount{} : it->second);
  }
  line("total", total);
}

ChannelCount Sum(const std::map<char, ChannelCount>& counts) {
  ChannelCount t;
  for (const auto& [kind, r] : counts) {
    t.in_acked += r.in_acked;
    t.in_lost += r.in_lost;
    t.in_repeated += r.in_repeated;
    t.parts_acked += r.parts_acked;
    t.at_peer += r.at_peer;
    t.failed += r.failed;
    t.held += r.held;
    t.skipped += r.skipped;
    t.sent += r.sent;
    t.duplicates += r.duplicates;
    t.in_flight += r.in_flight;
  }
  return t;
}

// Kannel's side of the run, from smsbox's log.
struct KannelStats {
  int gave_up = 0;   // MOs whose every fetch failed (never acknowledged)
  int cut = 0;       // MOs whose last fetch died with smsbox (outcome unknown: not counted)
  int orphaned = 0;  // MOs bearerbox still held when a crashed smsbox's Kannel was replaced
  int crashes = 0;
  int restarts = 0;
  int non_2xx = 0;
};

KannelStats KannelStatsOf(const KannelLog& log, const Ledger& ledger, int restarts) {
  KannelStats k;
  for (const auto& [token, mo] : log.mos) {
    k.gave_up += mo.GaveUp() ? 1 : 0;
    k.cut += mo.Cut() ? 1 : 0;
  }
  k.orphaned = static_cast<int>(ledger.kannel_orphaned.size());
  k.crashes = static_cast<int>(log.crashed.size());
  k.restarts = restarts;
  k.non_2xx = log.non_2xx;
  return k;
}

struct RunFigures {
  double wall_s = 0;
  double drain_s = 0;
  bool drained = false;
  int exit_code = -1;
};

json PerChannel(const std::map<char, ChannelCount>& counts) {
  json out = json::object();
  for (const auto& [kind, r] : counts) {
    out[kind == 's' ? "whatsapp-status" : ChannelName(kind)] = {
        {"in_acked", r.in_acked},  {"in_lost", r.in_lost}, {"parts_acked", r.parts_acked},
        {"at_peer", r.at_peer},    {"failed", r.failed},   {"held", r.held},
        {"skipped", r.skipped},    {"sent", r.sent},       {"duplicates", r.duplicates},
        {"in_flight", r.in_flight}};
  }
  return out;
}

void Soak::PrintSummary(const ChannelCount& total, const KannelStats& k, const RunFigures& run) {
  const double per_kill = tally_.kills > 0 ? double(total.duplicates) / tally_.kills : 0;
  const double pct = total.sent > 0 ? 100.0 * total.duplicates / total.sent : 0;
  std::printf(
      "kills %d (start-up %d, recovery %d, steady %d) in %d starts; parts in flight at kills: "
      "resent %lld, held %lld, accepted %lld (in the store after the kills: %zu)\n",
      tally_.kills, tally_.by_moment[Moment::kStartup], tally_.by_moment[Moment::kRecovery],
      tally_.by_moment[Moment::kSteady], tally_.starts, static_cast<long long>(tally_.resent),
      static_cast<long long>(tally_.held), static_cast<long long>(tally_.accepted),
      tally_.in_flight_seen.size());
  std::printf(
      "duplicates %d: %.2f per kill, %.3f %% of %d parts sent; acknowledged-and-lost %d; "
      "skipped %d\n",
      total.duplicates, per_kill, pct, total.sent, total.in_lost, total.skipped);
  std::printf(
      "Kannel: smsbox crashes %d, restarts %d; MOs given up %d, cut by a crash %d, lost with a "
      "restart %d; non-2xx answers %d\n",
      k.crashes, k.restarts, k.gave_up, k.cut, k.orphaned, k.non_2xx);
  std::printf("drained %s in %.1f s, final stop exit %d; wall %.1f s\n", run.drained ? "yes" : "NO",
              run.drain_s, run.exit_code, run.wall_s);
}

json Soak::Summary(const std::map<char, ChannelCount>& counts, const ChannelCount& total,
                   const KannelStats& k, const RunFigures& run) {
  const int refused = peers_.bot.Counters().rate_limited + peers_.bot.Counters().rejected +
                      peers_.graph.Counters().rate_limited + peers_.graph.Counters().rejected;
  return {{"cycles", options_.cycles},
          {"seed", options_.seed},
          {"dialogs", options_.dialogs},
          {"binary", testing::SatupintuBinary()},
          {"kills", tally_.kills},
          {"kills_startup", tally_.by_moment[Moment::kStartup]},
          {"kills_recovery", tally_.by_moment[Moment::kRecovery]},
          {"kills_steady", tally_.by_moment[Moment::kSteady]},
          {"starts", tally_.starts},
          {"inbound_acked", total.in_acked},
          {"acked_and_lost", total.in_lost},
          {"inbound_repeated", total.in_repeated},
          {"parts_enqueued", total.parts_acked},
          {"parts_sent", total.sent},
          {"skipped", total.skipped},
          {"failed_with_reason", total.failed},
          {"held", total.held},
          {"duplicates", total.duplicates},
          {"in_flight_resent", tally_.resent},
          {"in_flight_held", tally_.held},
          {"in_flight_accepted", tally_.accepted},
          {"in_flight_store", tally_.in_flight_seen.size()},
          {"duplicates_per_kill", tally_.kills > 0 ? double(total.duplicates) / tally_.kills : 0},
          {"duplicates_pct", total.sent > 0 ? 100.0 * total.duplicates / total.sent : 0},
          {"kannel_mo_gave_up", k.gave_up},
          {"kannel_mo_cut", k.cut},
          {"kannel_mo_orphaned", k.orphaned},
          {"smsbox_crashes", k.crashes},
          {"kannel_restarts", k.restarts},
          {"smsbox_non_2xx", k.non_2xx},
          {"peer_refusals", refused},
          {"drained", run.drained},
          {"final_exit", run.exit_code},
          {"drain_s", run.drain_s},
          {"wall_s", run.wall_s},
          {"per_channel", PerChannel(counts)}};
}

int Soak::Report(const RunFigures& run) {
  const auto kannel = ReadKannelLog(testing::ReadFile(peers_.kannel_dir.File("smsbox.log")));
  std::map<char, ChannelCount> counts;
  CountInbound(ledger_, ReadJournal(Store()), kannel.mos, GammuInbox(peers_), &counts);
  CountOutbound(ledger_, Store(), Receipts(peers_), &counts);
  for (const auto& [part, kind] : tally_.in_flight_seen) ++counts[kind].in_flight;
  const ChannelCount total = Sum(counts);
  const KannelStats k = KannelStatsOf(kannel, ledger_, tally_.kannel_restarts);
  PrintTable(counts, total);
  PrintSummary(total, k, run);
  std::printf("%s\n", Summary(counts, total, k, run).dump().c_str());
  std::fflush(stdout);
  const bool bad = total.in_lost != 0 || total.skipped != 0;
  if (bad || !run.drained || options_.keep) KeepFiles();
  return bad ? 1 : 0;
}

// The store, the gateway's logs and the peers' files, for a run that lost or skipped anything.
void Soak::KeepFiles() const {
  const std::filesystem::path keep = "/tmp/satupintu-soak-" + std::to_string(::getpid());
  const auto options = std::filesystem::copy_options::recursive;
  std::filesystem::create_directories(keep);
  std::filesystem::copy(dir_.path(), keep / "gateway", options);
  std::filesystem::copy(peers_.kannel_dir.path(), keep / "kannel", options);
  std::filesystem::copy_file(peers_.gammu.database(), keep / "smsd.db");
  testing::WriteFile((keep / "smsd.log").string(), peers_.gammu.Log());
  std::fprintf(stderr, "bench_soak: files kept in %s\n", keep.c_str());
}

int Main(int argc, char** argv) {
  const Options options = ParseOptions(argc, argv);
  const auto ports = testing::FreeLoopbackPorts(2);
  std::fprintf(stderr, "bench_soak: %d cycles, seed %u, dialogs %s, binary %s\n", options.cycles,
               options.seed, options.dialogs ? "on" : "off", testing::SatupintuBinary().c_str());
  Soak soak(options, ports[0], ports[1]);
  const auto started = Clock::now();
  for (int cycle = 0; cycle < options.cycles; ++cycle) soak.RunCycle(cycle);
  RunFigures run;
  run.drained = soak.Drain(&run.drain_s, &run.exit_code);
  run.wall_s = std::chrono::duration<double>(Clock::now() - started).count();
  return soak.Report(run);
}

}  // namespace
}  // namespace satupintu::bench

int main(int argc, char** argv) {
  try {
    return satupintu::bench::Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_soak: %s\n", e.what());
    return 2;
  }
}
