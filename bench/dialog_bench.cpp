// bench_dialog: the Dialogs issue's figures (issue 5), on the real dialogs/, locales/, lexicon
// and region tree (home regency 32.06), with no registry key (registry services answer
// "unavailable", as in the transcripts).
//
//   bench_dialog engine [--seconds S]
//       dialog::Engine::Step alone on one thread, service calls answered by canned results;
//       then the CPU cost of the state's JSON (SerializeState + ParseState) per message.
//   bench_dialog persisted [--dir D] [--citizens N] [--batch B] [--parts P]
//       N citizens run the same message mix interleaved, B messages per transaction, on a
//       SQLite store file (WAL, synchronous=FULL) in D, three ways, each on a fresh file:
//         baseline:   one bare upsert of a state-sized text per message into `conversation`;
//         runtime:    citizens::TouchInbound + Conversations::OnMessage per message, each in a
//                     savepoint (what the dispatcher does for a text row);
//         dispatcher: the real inbound::Dispatcher over journal rows appended beforehand
//                     (JSON payload, outbox enqueue of the replies, its cursor; batch 256).
//       P: a comma list of the three (default all; the baseline's text is the mix's average).
//   bench_dialog idle [--dir D] [--conversations M]
//       M citizens stop mid-complaint (6 messages: at the description step, with category,
//       NIK, name and village in the state); bytes on disk and process RSS per idle
//       conversation, twice (M, then M more) to show that memory does not grow with them.
//   bench_dialog scripts
//       prints what one citizen of each script reads (to check the mix does what it says).
//
// D defaults to a new directory under bench/ (the repository's disk), removed at the end
// unless --keep 1. --temp-store memory|file overrides PRAGMA temp_store on each store's writer
// (the store sets memory; file shows what spilling the savepoints' statement journal costs).
// Output is key=value words.
#include <malloc.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/dialog_stack.hpp"
#include "citizens/citizens.hpp"
#include "config/config.hpp"
#include "conversation/conversations.hpp"
#include "core/clock.hpp"
#include "core/key_file.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"
#include "dialog/engine.hpp"
#include "dialog/state.hpp"
#include "inbound/dispatcher.hpp"
#include "locale/catalog.hpp"
#include "paths/paths.hpp"
#include "registry_io/dates.hpp"
#include "schema/schema.hpp"
#include "storage/journal.hpp"
#include "storage/store.hpp"

namespace {

using namespace satupintu;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kChannel = "kannel:bench";
constexpr const char* kNik = "3206014508850003";

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

std::map<std::string, std::string> Flags(int argc, char** argv) {
  std::map<std::string, std::string> f;
  for (int i = 2; i + 1 < argc; i += 2) f[std::string(argv[i]).substr(2)] = argv[i + 1];
  return f;
}

long FlagInt(const std::map<std::string, std::string>& f, const char* name, long fallback) {
  auto it = f.find(name);
  return it == f.end() ? fallback : std::atol(it->second.c_str());
}

// One citizen's messages. Every script but the status check and the registry check opens a
// ticket, so the tickets counted at the end show that the mix went where it claims.
struct Script {
  const char* name;
  std::vector<std::string> lines;
  int tickets;
};

const std::vector<Script>& Scripts() {
  static const std::vector<Script> scripts = {
      {"menu_complaint",
       {"halo", "1", "1", kNik, "Siti Aminah", "cikatomas", "PKH saya belum cair sudah tiga bulan",
        "ya"},
       1},
      {"wrong_inputs_and_help",
       {"menu", "9", "pengaduan", "12", "pkh", "1234", "3206014508850000", kNik, "BANTUAN",
        "Siti Aminah", "cikatomas", "bansos tidak pernah cair", "ya"},
       1},
      {"free_text", {"PKH sy gk cair2 udh 3 bln", "iya", kNik, "Siti Aminah", "cikatomas", "y"}, 1},
      // The registry does not answer here: the form asks the place once.
      {"one_shot", {"ADU#3206014508850003#Bantuan PKH blm cair sdh 3 bln", "tidak tahu"}, 1},
      {"status_by_code", {"CEK ADU-7K3M9Q"}, 0},
      {"registry_check", {"menu", "2", kNik, "Siti Aminah"}, 0},
  };
  return scripts;
}

// What the services would answer, without them: the engine alone is measured.
dialog::Input Canned(const dialog::ServiceCall& call) {
  dialog::Input in;
  in.kind = dialog::Input::Kind::kResult;
  const std::string& s = call.service;
  if (s == "regions.search") {
    in.outcome = "one";
    in.slots = {{"village_code", "32.06.21.2001"},
                {"village_code_label", "Cikatomas, Kec. Cilawu, Kab. Tasikmalaya"}};
  } else if (s == "tickets.open") {
    in.outcome = "opened";
    in.slots = {{"ticket_code", "ADU-7K3M9Q"}};
  } else if (s == "tickets.status") {
    in.outcome = "not_found";
  } else if (s == "registry.identify") {
    in.outcome = "not_matched";
  } else if (s == "tickets.mine") {
    in.outcome = "none";
  } else if (s.rfind("citizen.", 0) == 0) {
    in.outcome = "done";
  } else {
    in.outcome = "unavailable";  // registry.check
  }
  return in;
}

// ---- engine ---------------------------------------------------------------------------------

struct EngineCount {
  long messages = 0;
  long steps = 0;
  long tickets = 0;
  std::size_t reply_bytes = 0;  // keeps the replies observable
};

// One pass over every script from a fresh state. `states` (if given) receives the state after
// each message; `json` runs each message between ParseState and SerializeState as the runtime
// does (load, steps, save).
void EnginePass(const dialog::Engine& engine, std::int64_t now_ms, EngineCount& n,
                std::vector<dialog::State>* states, bool json) {
  const registry_io::CivilDate today = registry_io::LocalToday();
  for (const auto& script : Scripts()) {
    dialog::State state;
    std::string stored = json ? dialog::SerializeState(state) : std::string();
    for (const auto& line : script.lines) {
      if (json) {
        auto parsed = dialog::ParseState(stored);
        if (!parsed.has_value()) std::abort();
        state = std::move(parsed).value();
      }
      now_ms += 60'000;
      dialog::Input in;
      in.text = line;
      in.now_ms = now_ms;
      in.today = today;
      dialog::Output out = engine.Step(state, in);
      ++n.messages;
      ++n.steps;
      for (;;) {
        for (const auto& r : out.replies) n.reply_bytes += r.text.size();
        if (!out.call.has_value()) break;
        if (out.call.value().service == "tickets.open") ++n.tickets;
        dialog::Input result = Canned(out.call.value());
        result.now_ms = now_ms;
        result.today = today;
        out = engine.Step(state, result);
        ++n.steps;
      }
      if (json) stored = dialog::SerializeState(state);
      if (states != nullptr) states->push_back(state);
    }
  }
}

// Runs passes for about `seconds`; returns the count and the time taken.
std::pair<EngineCount, double> EngineTimed(const dialog::Engine& engine, double seconds,
                                           bool json) {
  EngineCount n;
  const auto start = Clock::now();
  double took = 0;
  do {
    for (int i = 0; i < 50; ++i) EnginePass(engine, core::NowMs(), n, nullptr, json);
    took = Seconds(start);
  } while (took < seconds);
  return {n, took};
}

// ---- stores ---------------------------------------------------------------------------------

struct Context {
  fs::path dir;
  fs::path template_db;  // the region tree, imported once
  config::Config config;
  locale::Catalog catalog;
  core::MetricsRegistry metrics;
  std::string temp_store;  // --temp-store: "" (the store's own setting), "memory" or "file"
};

// One write job, waited for (as the dispatcher waits for each pass).
core::Status WriteAndWait(storage::Store& store, const storage::Store::WriteJob& job) {
  std::promise<core::Status> done;
  auto future = done.get_future();
  store.Write(job, [&done](core::Status s) { done.set_value(std::move(s)); });
  return future.get();
}

void Check(const core::Status& s, const char* what) {
  if (s.ok()) return;
  std::fprintf(stderr, "%s: %s\n", what, s.error().message.c_str());
  std::exit(1);
}

// A store file `name` in the bench directory with the region tree, and the real dialog stack.
struct Env {
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<app::DialogStack> stack;
  fs::path path;
};

Env OpenEnv(Context& ctx, const std::string& name) {
  Env env;
  env.path = ctx.dir / name;
  fs::copy_file(ctx.template_db, env.path, fs::copy_options::overwrite_existing);
  storage::StoreOptions o;
  o.migrations = schema::Migrations();
  o.path = env.path.string();  // synchronous=FULL by default, as in production
  auto store = storage::Store::Open(o, &ctx.metrics);
  if (!store.ok()) {
    std::fprintf(stderr, "store: %s\n", store.error().message.c_str());
    std::exit(1);
  }
  env.store = std::move(store).value();
  auto stack = app::BuildDialogStack(ctx.config, *env.store, ctx.catalog);
  if (!stack.ok()) {
    std::fprintf(stderr, "dialogs: %s\n", stack.error().message.c_str());
    std::exit(1);
  }
  env.stack = std::move(stack).value();
  if (!ctx.temp_store.empty()) {
    // An experiment, not production: the store keeps the writer's temporary files (the
    // statement journal of its per-job savepoints among them) in memory; "file" undoes that.
    Check(WriteAndWait(
              *env.store,
              [&](storage::Db& db) { return db.Exec("PRAGMA temp_store=" + ctx.temp_store); }),
          "temp_store");
  }
  return env;
}

std::int64_t QueryInt(storage::Store& store, const std::string& sql) {
  std::int64_t value = -1;
  Check(WriteAndWait(store,
                     [&](storage::Db& db) -> core::Status {
                       auto v = db.QueryInt(sql);
                       if (!v.ok()) return v.error();
                       value = v.value();
                       return {};
                     }),
        sql.c_str());
  return value;
}

std::string AddressOf(long citizen) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "62811%08ld", citizen);
  return buf;
}

struct Msg {
  long citizen;
  const std::string* text;
};

// Citizens first..first+n-1, each with script (citizen % scripts) cut to `max_lines`, in rounds:
// everyone's first message, then everyone's second... so a batch holds many citizens.
std::vector<Msg> Interleave(long first, long n, std::size_t max_lines, int only_script = -1) {
  std::vector<Msg> msgs;
  const auto& scripts = Scripts();
  for (std::size_t k = 0; k < max_lines; ++k) {
    for (long c = first; c < first + n; ++c) {
      const std::size_t s = only_script >= 0 ? static_cast<std::size_t>(only_script)
                                             : static_cast<std::size_t>(c) % scripts.size();
      if (k < scripts[s].lines.size()) msgs.push_back({c, &scripts[s].lines[k]});
    }
  }
  return msgs;
}

long ExpectedTickets(long first, long n) {
  long t = 0;
  for (long c = first; c < first + n; ++c) {
    t += Scripts()[static_cast<std::size_t>(c) % Scripts().size()].tickets;
  }
  return t;
}

// The runtime's part of a text row: the citizen, then the dialog, in a savepoint per message;
// `batch` messages per transaction. Returns the replies produced.
long RunMessages(Env& env, const std::vector<Msg>& msgs, std::size_t batch) {
  long replies = 0;
  std::int64_t journal_id = 1;
  for (std::size_t i = 0; i < msgs.size(); i += batch) {
    const std::size_t end = std::min(msgs.size(), i + batch);
    Check(WriteAndWait(*env.store,
                       [&](storage::Db& db) -> core::Status {
                         const std::int64_t now_ms = core::NowMs();
                         for (std::size_t k = i; k < end; ++k) {
                           if (auto s = db.Exec("SAVEPOINT dispatch_row"); !s.ok()) return s;
                           const std::string address = AddressOf(msgs[k].citizen);
                           auto citizen = citizens::TouchInbound(db, address, kChannel, now_ms);
                           if (!citizen.ok()) return citizen.error();
                           conversation::Message m;
                           m.journal_id = journal_id++;
                           m.citizen_id = citizen.value();
                           m.channel = kChannel;
                           m.address = address;
                           m.text = *msgs[k].text;
                           auto out = env.stack->conversations->OnMessage(db, m, now_ms);
                           if (!out.ok()) return out.error();
                           replies += static_cast<long>(out.value().size());
                           if (auto s = db.Exec("RELEASE dispatch_row"); !s.ok()) return s;
                         }
                         return {};
                       }),
          "runtime batch");
  }
  return replies;
}

// User + system CPU of the whole process (all threads: the store's writer runs the jobs).
double CpuSeconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto sec = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return sec(u.ru_utime) + sec(u.ru_stime);
}

long VmRssKb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

// ---- modes ----------------------------------------------------------------------------------

int Engine(Context& ctx, const std::map<std::string, std::string>& f) {
  const double seconds = static_cast<double>(FlagInt(f, "seconds", 3));
  Env env = OpenEnv(ctx, "engine.db");
  const dialog::Engine& engine = *env.stack->engine;

  EngineCount warm;
  std::vector<dialog::State> states;
  EnginePass(engine, core::NowMs(), warm, &states, false);
  long expected = 0;
  for (const auto& s : Scripts()) expected += s.tickets;
  std::printf(
      "engine scripts=%zu messages_per_pass=%ld steps_per_pass=%ld tickets_per_pass=%ld"
      " expected_tickets=%ld\n",
      Scripts().size(), warm.messages, warm.steps, warm.tickets, expected);

  auto [n, took] = EngineTimed(engine, seconds, false);
  const double ns_step = took * 1e9 / static_cast<double>(n.steps);
  std::printf(
      "engine steps=%ld messages=%ld seconds=%.2f steps_per_s=%.0f messages_per_s=%.0f"
      " ns_per_step=%.0f\n",
      n.steps, n.messages, took, static_cast<double>(n.steps) / took,
      static_cast<double>(n.messages) / took, ns_step);

  // The state's JSON: what load (parse) + save (serialise) cost per message, on the states the
  // mix passes through.
  std::size_t json_bytes = 0;
  for (const auto& s : states) json_bytes += dialog::SerializeState(s).size();
  long rounds = 0;
  std::size_t sink = 0;
  const auto start = Clock::now();
  do {
    for (const auto& s : states) {
      const std::string j = dialog::SerializeState(s);
      auto back = dialog::ParseState(j);
      sink += j.size() + (back.has_value() ? back.value().slots.size() : 0);
    }
    ++rounds;
  } while (Seconds(start) < seconds / 3);
  const double json_took = Seconds(start);
  const double per_message = json_took * 1e9 / static_cast<double>(rounds * states.size());
  const double steps_per_message =
      static_cast<double>(warm.steps) / static_cast<double>(warm.messages);
  std::printf(
      "state_json avg_bytes=%.0f ns_per_message=%.0f ns_per_step=%.0f"
      " vs_engine_per_message=%.2f sink=%zu\n",
      static_cast<double>(json_bytes) / static_cast<double>(states.size()), per_message,
      per_message / steps_per_message, per_message / (ns_step * steps_per_message), sink);

  // Sealing at rest (AES-256-GCM): seal + open per message, on the same states' JSON.
  const conversation::StateSeal seal("bench-state-key-0123456789abcdef");
  std::vector<std::string> texts;
  for (const auto& s : states) texts.push_back(dialog::SerializeState(s));
  long seal_rounds = 0;
  const auto seal_start = Clock::now();
  do {
    for (const auto& t : texts) {
      auto back = seal.Open(seal.Seal(t, 4242), 4242);
      sink += back.has_value() ? back.value().size() : 0;
    }
    ++seal_rounds;
  } while (Seconds(seal_start) < seconds / 3);
  const double seal_per_message =
      Seconds(seal_start) * 1e9 / static_cast<double>(seal_rounds * texts.size());
  std::printf("state_seal ns_per_message=%.0f vs_json=%.2f sink=%zu\n", seal_per_message,
              seal_per_message / per_message, sink);

  auto [nj, took_j] = EngineTimed(engine, seconds, true);
  std::printf("engine_with_json messages=%ld seconds=%.2f steps_per_s=%.0f messages_per_s=%.0f\n",
              nj.messages, took_j, static_cast<double>(nj.steps) / took_j,
              static_cast<double>(nj.messages) / took_j);
  return n.reply_bytes > 0 && warm.tickets == expected ? 0 : 1;
}

// The average size of the stored state over the mix, measured after every message (what the
// runtime writes per message), for the baseline's text.
std::size_t AverageStateBytes(const dialog::Engine& engine) {
  EngineCount n;
  std::vector<dialog::State> states;
  EnginePass(engine, core::NowMs(), n, &states, false);
  std::size_t bytes = 0;
  for (const auto& s : states) bytes += dialog::SerializeState(s).size();
  return bytes / states.size();
}

// Wall and CPU time of one part, and its messages/s.
struct Timed {
  Clock::time_point wall = Clock::now();
  double cpu = CpuSeconds();
  double Rate(std::size_t messages) const { return static_cast<double>(messages) / Seconds(wall); }
  std::string Words(std::size_t messages) const {
    char buf[160];
    std::snprintf(buf, sizeof buf, "seconds=%.2f cpu_seconds=%.2f messages_per_s=%.0f",
                  Seconds(wall), CpuSeconds() - cpu, Rate(messages));
    return buf;
  }
};

int Persisted(Context& ctx, const std::map<std::string, std::string>& f) {
  const long citizens = FlagInt(f, "citizens", 10'000);
  const auto batch = static_cast<std::size_t>(FlagInt(f, "batch", 256));
  const std::string parts = f.count("parts") ? f.at("parts") : "runtime,dispatcher,baseline";
  const std::vector<Msg> msgs = Interleave(1, citizens, 64);
  const long expected_tickets = ExpectedTickets(1, citizens);
  std::printf("persisted citizens=%ld messages=%zu batch=%zu expected_tickets=%ld dir=%s\n",
              citizens, msgs.size(), batch, expected_tickets, ctx.dir.c_str());
  double runtime_rate = 0;
  double dispatcher_rate = 0;
  int rc = 0;

  // The runtime, straight.
  if (parts.find("runtime") != std::string::npos) {
    Env env = OpenEnv(ctx, "runtime.db");
    const Timed t;
    const long replies = RunMessages(env, msgs, batch);
    runtime_rate = t.Rate(msgs.size());
    const std::string words = t.Words(msgs.size());
    const auto tickets = QueryInt(*env.store, "SELECT count(*) FROM ticket");
    std::printf("runtime %s replies=%ld tickets=%lld db=%s\n", words.c_str(), replies,
                static_cast<long long>(tickets), env.path.c_str());
    if (tickets != expected_tickets) rc = 1;
  }

  // The real dispatcher over journal rows (appended first, not timed).
  if (parts.find("dispatcher") != std::string::npos) {
    Env env = OpenEnv(ctx, "dispatcher.db");
    storage::Journal journal(env.store.get(), &ctx.metrics);
    const std::int64_t sent_s = core::NowMs() / 1000;
    for (std::size_t i = 0; i < msgs.size(); i += 1000) {
      std::vector<storage::InboundRecord> records;
      for (std::size_t k = i; k < std::min(msgs.size(), i + 1000); ++k) {
        nlohmann::json p = {{"type", "message"},
                            {"kind", "text"},
                            {"address", AddressOf(msgs[k].citizen)},
                            {"text", *msgs[k].text},
                            {"sent_at_s", sent_s}};
        records.push_back({kChannel, "b" + std::to_string(k), p.dump()});
      }
      std::promise<bool> stored;
      journal.Append(
          std::move(records), "bench",
          [&stored](core::Result<storage::AppendOutcome> r) { stored.set_value(r.ok()); });
      if (!stored.get_future().get()) return 1;
    }
    inbound::DispatcherOptions options;  // its own batch (256), as in production
    inbound::Dispatcher dispatcher(
        env.store.get(), &ctx.catalog, &ctx.metrics, [](const std::string&) {}, options,
        env.stack->conversations.get());
    const Timed t;
    std::size_t rows = 0;
    for (;;) {
      auto pass = dispatcher.RunOnce();
      if (!pass.ok()) {
        std::fprintf(stderr, "dispatcher: %s\n", pass.error().message.c_str());
        return 1;
      }
      if (pass.value().rows == 0) break;
      rows += static_cast<std::size_t>(pass.value().rows);
    }
    dispatcher_rate = t.Rate(rows);
    const std::string words = t.Words(rows);
    const auto tickets = QueryInt(*env.store, "SELECT count(*) FROM ticket");
    const auto queued = QueryInt(*env.store, "SELECT count(*) FROM outbox_message");
    std::printf("dispatcher %s batch=%d tickets=%lld outbox_messages=%lld db=%s\n", words.c_str(),
                options.batch, static_cast<long long>(tickets), static_cast<long long>(queued),
                env.path.c_str());
    if (tickets != expected_tickets) rc = 1;
  }

  // Baseline: the same commits with only an upsert of a state-sized text per message.
  if (parts.find("baseline") != std::string::npos) {
    Env env = OpenEnv(ctx, "baseline.db");
    const std::string blob(AverageStateBytes(*env.stack->engine), 'x');
    const Timed t;
    for (std::size_t i = 0; i < msgs.size(); i += batch) {
      const std::size_t end = std::min(msgs.size(), i + batch);
      Check(WriteAndWait(*env.store,
                         [&](storage::Db& db) -> core::Status {
                           const std::int64_t now_ms = core::NowMs();
                           auto q = db.Prepare(
                               "INSERT INTO conversation (citizen_id, channel, address, state,"
                               " timer_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?)"
                               " ON CONFLICT (citizen_id) DO UPDATE SET state = excluded.state,"
                               " timer_at_ms = excluded.timer_at_ms,"
                               " updated_at_ms = excluded.updated_at_ms");
                           if (!q.ok()) return q.error();
                           for (std::size_t k = i; k < end; ++k) {
                             auto s = q.value()
                                          ->Bind(1, static_cast<std::int64_t>(msgs[k].citizen))
                                          .Bind(2, std::string_view(kChannel))
                                          .Bind(3, AddressOf(msgs[k].citizen))
                                          .Bind(4, blob)
                                          .Bind(5, now_ms + 1'800'000)
                                          .Bind(6, now_ms)
                                          .Run();
                             if (!s.ok()) return s;
                           }
                           return {};
                         }),
            "baseline batch");
    }
    const double rate = t.Rate(msgs.size());
    std::printf(
        "baseline %s state_bytes=%zu runtime_vs_baseline=%.3f dispatcher_vs_baseline=%.3f\n",
        t.Words(msgs.size()).c_str(), blob.size(), runtime_rate / rate, dispatcher_rate / rate);
  }
  return rc;
}

// The pages of the conversation table and its timer index (dbstat; -1 where SQLite lacks it).
std::int64_t TableBytes(storage::Store& store) {
  std::int64_t bytes = -1;
  (void)WriteAndWait(store, [&](storage::Db& db) -> core::Status {
    auto v = db.QueryInt(
        "SELECT sum(pgsize) FROM dbstat WHERE name IN ('conversation', 'conversation_timer')");
    if (v.ok()) bytes = v.value();
    return {};
  });
  return bytes;
}

// How many stored conversations wait at `step`, and their average stored (sealed) size: the
// states are opened with the key the runtime sealed them with.
std::pair<std::int64_t, std::int64_t> AtStep(const Context& ctx, storage::Store& store,
                                             const std::string& step) {
  auto key = core::LoadOrCreateKeyFile(config::StateKeyFile(ctx.config), false, "state key");
  Check(key.ok() ? core::Status{} : core::Status(key.error()), "state key");
  const conversation::StateSeal seal(key.value());
  std::int64_t count = 0;
  std::int64_t bytes = 0;
  Check(WriteAndWait(store,
                     [&](storage::Db& db) -> core::Status {
                       auto q = db.Prepare("SELECT citizen_id, state FROM conversation");
                       if (!q.ok()) return q.error();
                       while (q.value()->Step() == SQLITE_ROW) {
                         const std::string stored = q.value()->ColumnText(1);
                         auto plain = seal.Open(stored, q.value()->ColumnInt(0));
                         if (!plain.has_value()) continue;
                         auto state = dialog::ParseState(plain.value());
                         if (!state.has_value() || state.value().step != step) continue;
                         ++count;
                         bytes += static_cast<std::int64_t>(stored.size());
                       }
                       q.value()->Reset();
                       return {};
                     }),
        "conversation states");
  return {count, count > 0 ? bytes / count : 0};
}

int Idle(Context& ctx, const std::map<std::string, std::string>& f) {
  const long m = FlagInt(f, "conversations", 50'000);
  const auto batch = static_cast<std::size_t>(FlagInt(f, "batch", 256));
  Env env = OpenEnv(ctx, "idle.db");
  const std::string page_bytes =
      "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()";
  // Warm-up: 1,000 citizens through the whole mix (statements, caches, the region index).
  RunMessages(env, Interleave(1'000'000, 1000, 64), batch);
  long first = 1;
  for (int round = 1; round <= 2; ++round) {
    ::malloc_trim(0);
    const long rss0 = VmRssKb();
    const std::int64_t disk0 = QueryInt(*env.store, page_bytes);
    const std::int64_t table0 = TableBytes(*env.store);
    // The menu complaint's first six messages: at the description step, slots filled.
    RunMessages(env, Interleave(first, m, 6, 0), batch);
    first += m;
    ::malloc_trim(0);
    const long rss1 = VmRssKb();
    const std::int64_t disk1 = QueryInt(*env.store, page_bytes);
    const auto [waiting, avg_state] = AtStep(ctx, *env.store, "description");
    const std::int64_t table1 = TableBytes(*env.store);
    std::printf(
        "idle round=%d conversations=%ld waiting_at_description=%lld"
        " disk_bytes_per_conversation=%.0f avg_state_bytes=%lld"
        " conversation_table_and_index_bytes_per_conversation=%.0f rss_kb_before=%ld "
        "rss_kb_after=%ld"
        " rss_bytes_per_conversation=%.1f db=%s\n",
        round, m, static_cast<long long>(waiting),
        static_cast<double>(disk1 - disk0) / static_cast<double>(m),
        static_cast<long long>(avg_state),
        static_cast<double>(table1 - table0) / static_cast<double>(m), rss0, rss1,
        static_cast<double>(rss1 - rss0) * 1024.0 / static_cast<double>(m), env.path.c_str());
  }
  return 0;
}

int ShowScripts(Context& ctx) {
  Env env = OpenEnv(ctx, "scripts.db");
  for (std::size_t s = 0; s < Scripts().size(); ++s) {
    std::printf("== %s\n", Scripts()[s].name);
    for (const auto& line : Scripts()[s].lines) {
      std::printf("> %s\n", line.c_str());
      Check(WriteAndWait(*env.store,
                         [&](storage::Db& db) -> core::Status {
                           const std::string address = AddressOf(static_cast<long>(s));
                           auto citizen =
                               citizens::TouchInbound(db, address, kChannel, core::NowMs());
                           if (!citizen.ok()) return citizen.error();
                           conversation::Message m;
                           m.journal_id = core::NowMs();
                           m.citizen_id = citizen.value();
                           m.channel = kChannel;
                           m.address = address;
                           m.text = line;
                           auto out = env.stack->conversations->OnMessage(db, m, core::NowMs());
                           if (!out.ok()) return out.error();
                           for (const auto& o : out.value()) {
                             std::printf("< %s\n", conversation::Preview(o).c_str());
                           }
                           return {};
                         }),
            "scripts");
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode != "engine" && mode != "persisted" && mode != "idle" && mode != "scripts") {
    std::fprintf(stderr,
                 "usage: bench_dialog engine|persisted|idle|scripts [--dir D] [--citizens N]"
                 " [--conversations M] [--batch B] [--seconds S] [--parts P] [--temp-store T]"
                 " [--keep 1]\n");
    return 2;
  }
  const auto f = Flags(argc, argv);
  core::log::SetLevel(core::log::Level::kError);

  Context ctx;
  bool made_dir = false;
  if (f.count("dir")) {
    ctx.dir = f.at("dir");
    fs::create_directories(ctx.dir);
  } else {
    std::string pattern = ::satupintu::testing::SourceDir() + "/bench/.dialog.XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) return 1;
    ctx.dir = pattern;
    made_dir = true;
  }
  if (f.count("temp-store")) ctx.temp_store = f.at("temp-store");
  ctx.config.locales.dir = ::satupintu::testing::SourceDir() + "/locales";
  ctx.config.dialogs.dir = ::satupintu::testing::SourceDir() + "/dialogs";
  ctx.config.regions.data_dir = ::satupintu::testing::RegionsDataDir();
  ctx.config.regions.home_regency = "32.06";  // Kab. Tasikmalaya, as the transcripts
  ctx.config.registry.hash_key_file = (ctx.dir / "no-registry.key").string();
  auto catalog = locale::Catalog::Load(ctx.config.locales.dir);
  if (!catalog.ok()) {
    std::fprintf(stderr, "locales: %s\n", catalog.error().message.c_str());
    return 1;
  }
  ctx.catalog = std::move(catalog).value();

  // The region tree, imported once into a template file that every store starts from.
  ctx.template_db = ctx.dir / "template.db";
  {
    const auto start = Clock::now();
    storage::StoreOptions o;
    o.migrations = schema::Migrations();
    o.path = ctx.template_db.string();
    auto store = storage::Store::Open(o, &ctx.metrics);
    if (!store.ok()) return 1;
    ctx.config.store.path = o.path;
    app::LoadRegionTreeIfEmpty(ctx.config, *store.value());
    const auto regions = QueryInt(*store.value(), "SELECT count(*) FROM region");
    store.value()->Close();
    std::printf("setup regions=%lld import_seconds=%.1f\n", static_cast<long long>(regions),
                Seconds(start));
    if (regions <= 0) return 1;
  }

  int rc = 0;
  if (mode == "engine") rc = Engine(ctx, f);
  if (mode == "persisted") rc = Persisted(ctx, f);
  if (mode == "idle") rc = Idle(ctx, f);
  if (mode == "scripts") rc = ShowScripts(ctx);
  if (made_dir && FlagInt(f, "keep", 0) == 0) fs::remove_all(ctx.dir);
  return rc;
}
