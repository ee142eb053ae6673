#include "app/broadcast_runner.hpp"

#include <chrono>
#include <future>

#include "broadcast/sms_route.hpp"
#include "core/log.hpp"
#include "regions/region_index.hpp"

namespace satupintu::app {
namespace {

namespace log = core::log;

// Rows per write job while planning: big enough that a million households take a few hundred
// commits, small enough that a citizen's reply waits a few milliseconds behind one.
constexpr std::size_t kPlanBatch = 5'000;

int Minutes(const std::string& hh_mm) {
  return ((hh_mm[0] - '0') * 10 + (hh_mm[1] - '0')) * 60 + (hh_mm[3] - '0') * 10 + (hh_mm[4] - '0');
}

double PerMinute(const config::SendConfig& send) { return send.rate_per_minute; }

template <typename T>
core::Result<T> WaitWrite(storage::Store* store, std::function<core::Result<T>(storage::Db&)> job) {
  std::promise<core::Status> committed;
  std::optional<core::Result<T>> out;
  store->Write(
      [&](storage::Db& db) -> core::Status {
        out = job(db);
        if (!out->ok()) return out->error();
        return {};
      },
      [&](core::Status s) { committed.set_value(std::move(s)); });
  if (auto s = committed.get_future().get(); !s.ok()) return s.error();
  return std::move(*out);
}

template <typename T>
core::Result<T> WaitRead(storage::Store* store, std::function<core::Result<T>(storage::Db&)> job) {
  std::promise<core::Result<T>> done;
  store->Read([&](storage::Db* db, const core::Error* error) {
    if (db == nullptr) {
      done.set_value(*error);
      return;
    }
    done.set_value(job(*db));
  });
  return done.get_future().get();
}

}  // namespace

broadcast::Policy BroadcastPolicy(const config::Config& config) {
  const config::BroadcastConfig& c = config.broadcast;
  broadcast::Policy p;
  p.content.office_names = c.office_names;
  p.content.official_domains = c.official_domains;
  p.default_window.start_minute = Minutes(c.window_start);
  p.default_window.end_minute = Minutes(c.window_end);
  p.batch = c.batch;
  p.backlog_seconds = c.backlog_seconds;
  p.ttl_ms = std::int64_t{c.ttl_hours} * 3'600'000;
  p.delivery.registry_dir = config.registry.dir;
  for (const auto& w : config.channels.whatsapp) {
    const std::string name = "whatsapp:" + w.name;
    p.delivery.channels[name] = PerMinute(w.send);
    p.delivery.whatsapp[name] = {w.broadcast_template.name, w.broadcast_template.language,
                                 w.daily_conversation_limit, w.template_price};
    p.resend_bulk = p.resend_bulk || w.send.resend_bulk;
  }
  for (const auto& t : config.channels.telegram) {
    p.delivery.channels["telegram:" + t.name] = PerMinute(t.send);
  }
  for (const auto& k : config.channels.kannel) {
    p.delivery.channels["kannel:" + k.name] = PerMinute(k.send);
  }
  for (const auto& g : config.channels.gammu) {
    p.delivery.channels["gammu:" + g.name] = PerMinute(g.send);
  }
  if (c.sms_routes.empty()) {
    // Every SMS channel is a shared route, in the order the configuration lists them.
    for (const auto& k : config.channels.kannel) {
      p.delivery.sms_routes.push_back({"kannel:" + k.name, {}, c.sms_price_per_part});
    }
    for (const auto& g : config.channels.gammu) {
      p.delivery.sms_routes.push_back({"gammu:" + g.name, {}, c.sms_price_per_part});
    }
  } else {
    for (const auto& r : c.sms_routes) {
      broadcast::SmsRoute route{r.channel, {}, r.price_per_part};
      for (const auto& op : r.operators) {
        if (auto o = broadcast::ParseOperator(op); o.has_value()) route.operators.push_back(*o);
      }
      p.delivery.sms_routes.push_back(std::move(route));
    }
  }
  return p;
}

BroadcastRunner::BroadcastRunner(broadcast::Policy policy, int interval_ms, storage::Store* store,
                                 std::string store_path, const locale::Catalog* catalog,
                                 std::shared_ptr<const regions::RegionIndex> regions,
                                 std::function<void(const std::string&)> wake_sender,
                                 core::MetricsRegistry* metrics, core::Clock* clock)
    : policy_(std::move(policy)),
      store_(store),
      store_path_(std::move(store_path)),
      catalog_(catalog),
      regions_(std::move(regions)),
      wake_sender_(std::move(wake_sender)),
      clock_(clock != nullptr ? clock : core::SystemClock()),
      queued_(&metrics->GetCounter("satupintu_broadcast_queued_total",
                                   "Broadcast messages handed to the outbox.")),
      planned_(&metrics->GetCounter("satupintu_broadcast_planned_total",
                                    "Households written to broadcast plans (reached or not).")),
      errors_(&metrics->GetCounter("satupintu_broadcast_errors_total",
                                   "Broadcast runner passes that failed (retried).")),
      worker_([this] { return Pass(); }, {.interval = std::chrono::milliseconds(interval_ms),
                                          .run_at_start = true,
                                          .clock = clock_}) {}

BroadcastRunner::~BroadcastRunner() { Stop(); }

void BroadcastRunner::Start() { worker_.Start(); }

void BroadcastRunner::Stop() { worker_.Stop(); }

core::Status BroadcastRunner::Plan(const broadcast::Broadcast& b) {
  const std::int64_t now = clock_->NowMs();
  if (!reader_) {
    auto db = storage::Db::Open(store_path_, /*read_only=*/true, /*create=*/false);
    if (!db.ok()) return db.error();
    reader_ = std::move(db).value();
    (void)reader_->Exec("PRAGMA busy_timeout=5000");
  }
  auto audience = broadcast::ResolveAudience(*reader_, b.audience, b.id, policy_.delivery, now);
  if (!audience.ok()) return audience.error();
  const broadcast::Audience& rows = audience.value();
  std::size_t from = 0;
  do {
    const bool last = from + kPlanBatch >= rows.size();
    auto written = WaitWrite<bool>(store_, [&](storage::Db& db) -> core::Result<bool> {
      if (auto s = broadcast::WritePlan(db, b.id, rows, from, kPlanBatch, last, now); !s.ok()) {
        return s.error();
      }
      return true;
    });
    if (!written.ok()) return written.error();
    from += kPlanBatch;
  } while (from < rows.size());
  planned_->Inc(rows.size());
  log::Info("broadcast.planned")
      .Int("broadcast", b.id)
      .Int("households", static_cast<std::int64_t>(rows.size()))
      .Int("reached", audience.value().reached);
  return {};
}

core::Result<bool> BroadcastRunner::Send(const broadcast::Broadcast& b) {
  // Each language's message compiled once per pass; rendered on the writer thread only.
  std::map<std::string, locale::AdHocMessage> messages;
  for (const auto& [language, text] : b.texts) {
    auto m = locale::AdHocMessage::Compile(text, language);
    if (!m.ok()) return m.error();
    messages.emplace(language, std::move(m).value());
  }
  const broadcast::Renderer render =
      [&](const broadcast::Broadcast&, const broadcast::Recipient& r) -> core::Result<std::string> {
    auto it = messages.find(r.language);
    if (it == messages.end()) it = messages.find("id");
    const std::string& language = it->first;
    std::string name = r.first_name;
    if (name.empty() && catalog_ != nullptr) {
      auto fallback = catalog_->Render(language, "broadcast.no_name", {});
      if (fallback.ok()) name = fallback.value();
    }
    std::string village;
    if (regions_ && r.village > 0) {
      if (const auto* region = regions_->Find(std::to_string(r.village)); region != nullptr) {
        village = region->name;
      }
    }
    return it->second.Render({{"nama", name}, {"desa", village}, {"kode_tiket", r.ticket_code}});
  };
  const std::int64_t now = clock_->NowMs();
  auto step = WaitWrite<broadcast::SendStep>(
      store_, [&](storage::Db& db) { return broadcast::SendSome(db, b, policy_, render, now); });
  if (!step.ok()) return step.error();
  for (const auto& channel : step.value().channels) wake_sender_(channel);
  if (step.value().queued > 0) queued_->Inc(static_cast<std::uint64_t>(step.value().queued));
  if (step.value().done) log::Info("broadcast.done").Int("broadcast", b.id);
  return step.value().queued >= policy_.batch;
}

core::Worker::Next BroadcastRunner::Pass() {
  const std::int64_t now = clock_->NowMs();
  auto active = WaitRead<std::vector<broadcast::Broadcast>>(
      store_, [now](storage::Db& db) { return broadcast::Active(db, now); });
  if (!active.ok()) {
    errors_->Inc();
    log::Warn("broadcast.pass_failed").Str("error", active.error().message);
    return core::Worker::Next::kWait;
  }
  bool more = false;
  for (auto b : active.value()) {
    core::Status s;
    if (b.state == broadcast::State::kApproved) {
      auto begun = WaitWrite<bool>(
          store_, [&](storage::Db& db) { return broadcast::BeginPlanning(db, b.id, now); });
      if (!begun.ok()) {
        s = begun.error();
      } else if (begun.value()) {
        b.state = broadcast::State::kPlanning;
      }
    }
    if (s.ok() && b.state == broadcast::State::kPlanning) {
      s = Plan(b);
      if (s.ok()) b.state = broadcast::State::kSending;
    }
    if (s.ok() && b.state == broadcast::State::kSending) {
      auto again = Send(b);
      if (!again.ok()) {
        s = again.error();
      } else {
        more = more || again.value();
      }
    }
    if (!s.ok()) {
      errors_->Inc();
      log::Warn("broadcast.step_failed").Int("broadcast", b.id).Str("error", s.error().message);
    }
  }
  return more ? core::Worker::Next::kAgain : core::Worker::Next::kWait;
}

}  // namespace satupintu::app
