#include "app/app.hpp"
#include "app/audit_anchor.hpp"
#include "app/backoffice_stack.hpp"
#include "app/broadcast_runner.hpp"
#include "app/build_info.hpp"
#include "app/dialog_stack.hpp"
#include "app/ops_gauges.hpp"
#include "app/privacy_runner.hpp"
#include "app/sla_runner.hpp"
#include "app/watchdog.hpp"

#include <filesystem>
#include <future>

#include <csignal>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <fstream>
#include <thread>
#include <vector>

#include "app/backoffice.hpp"
#include "app/channel_runtime.hpp"
#include "backup/store_lock.hpp"
#include "core/key_file.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"
#include "core/sd_notify.hpp"
#include "diag/routes.hpp"
#include "http/file_limit.hpp"
#include "http/server.hpp"
#include "http/tls_files.hpp"
#include "locale/catalog.hpp"
#include "regions/import.hpp"
#include "schema/schema.hpp"
#include "storage/journal.hpp"
#include "storage/store.hpp"
#include "tickets/tickets.hpp"

namespace satupintu::app {
namespace {

namespace net = boost::asio;
namespace log = core::log;

core::Status EnsureParentDir(const std::string& path) {
  const auto dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) return {};
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return core::MakeError(core::ErrorCode::kUnavailable,
                           "cannot create directory " + dir.string() + ": " + ec.message());
  }
  return {};
}

core::Status PrepareTls(const config::TlsConfig& tls) {
  const bool have_cert = std::filesystem::exists(tls.cert_file);
  const bool have_key = std::filesystem::exists(tls.key_file);
  if (have_cert && have_key) return {};
  if (have_cert != have_key || !tls.self_signed_if_missing) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "tls.cert_file/tls.key_file: " +
                               (have_cert ? tls.key_file : tls.cert_file) + " is missing");
  }
  auto status = http::GenerateSelfSigned(tls.cert_file, tls.key_file, {"localhost", "127.0.0.1"});
  if (status.ok()) log::Info("tls.self_signed_created").Str("cert_file", tls.cert_file);
  return status;
}

core::Status WritePortsFile(const std::string& path, std::uint16_t public_port,
                            std::uint16_t private_port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "{\"public\":" << public_port << ",\"private\":" << private_port << "}\n";
    if (!out) return core::MakeError(core::ErrorCode::kUnavailable, "cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return core::MakeError(core::ErrorCode::kUnavailable, "cannot write " + path);
  return {};
}

http::Limits LimitsFrom(const config::HttpConfig& c) {
  http::Limits l;
  l.header_limit_bytes = static_cast<std::uint32_t>(c.header_limit_bytes);
  l.body_limit_bytes = static_cast<std::uint64_t>(c.body_limit_bytes);
  l.handshake_timeout = std::chrono::milliseconds(c.handshake_timeout_ms);
  l.request_timeout = std::chrono::milliseconds(c.request_timeout_ms);
  l.write_timeout = std::chrono::milliseconds(c.write_timeout_ms);
  l.idle_timeout = std::chrono::milliseconds(c.idle_timeout_ms);
  return l;
}

// Files besides the listeners' connections: the store (database, WAL, shared memory, the
// reader's connection), Gammu SMSD databases, logs, key and TLS files, epoll and the threads'
// wake-up descriptors, and the outbound client's connections to the peers.
constexpr std::uint64_t kFileMargin = 128;

// Raises the soft file limit to fit both listeners' connections, or refuses the start naming
// the settings: at the limit the server could neither accept nor open its store.
core::Status FitFileLimit(const config::Config& config) {
  std::uint64_t connections = 0;
  std::string keys;
  for (const auto& [name, listener] : {std::pair{"public", &config.public_listener},
                                       std::pair{"private", &config.private_listener}}) {
    if (!listener->enabled) continue;
    connections += static_cast<std::uint64_t>(listener->max_connections);
    keys += std::string(keys.empty() ? "" : " + ") + name + ".max_connections (" +
            std::to_string(listener->max_connections) + ")";
  }
  const std::uint64_t peers = config::ChannelIds(config).size() *
                              static_cast<std::uint64_t>(config.outbound.max_connections_per_host);
  const std::uint64_t needed = connections + peers + kFileMargin;
  auto limit = http::EnsureFileLimit(needed);
  if (!limit.ok()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           keys + ": too many for this process's file limit: it " +
                               limit.error().message + " (" + std::to_string(peers + kFileMargin) +
                               " of them for the store, the peers and files); lower them or "
                               "raise the hard limit (systemd: LimitNOFILE=)");
  }
  if (limit->soft != limit->soft_before) {
    log::Info("app.file_limit_raised")
        .Int("from", static_cast<std::int64_t>(limit->soft_before))
        .Int("to", static_cast<std::int64_t>(limit->soft))
        .Int("hard", static_cast<std::int64_t>(limit->hard));
  }
  return {};
}

int StartFailed(const core::Error& error) {
  log::Error("app.start_failed").Str("reason", error.message).Str("detail", error.detail);
  log::Flush();
  return 1;
}

// Tells the service manager ($NOTIFY_SOCKET) of a state change; a failure is logged, never
// fatal: without READY=1 systemd ends the start after TimeoutStartSec= by itself.
void NotifyServiceManager(const core::SdNotifier& notifier, std::string_view state) {
  if (auto s = notifier.Notify(state); !s.ok()) {
    log::Warn("app.notify_failed")
        .Str("state", state)
        .Str("reason", s.error().message)
        .Str("detail", s.error().detail);
  }
}

// Tickets stored without a region before migration 16 could place them go to the queue of
// the tickets to place; without one configured they are named in the log for the operator.
void PlaceOrphanTickets(const config::Config& config, storage::Store& store) {
  const std::string region = config::UnplacedRegion(config);
  std::promise<core::Status> done;
  std::int64_t placed = 0;
  store.Write(
      [&](storage::Db& db) -> core::Status {
        auto n = tickets::PlaceOrphans(db, region);
        if (!n.ok()) return n.error();
        placed = n.value();
        return {};
      },
      [&](core::Status s) { done.set_value(std::move(s)); });
  const core::Status s = done.get_future().get();
  if (!s.ok()) {
    log::Error("tickets.place_orphans_failed").Str("error", s.error().message);
  } else if (placed > 0) {
    log::Info("tickets.orphans_placed").Int("tickets", placed).Str("region", region);
  }
  if (region.empty()) {
    log::Warn("tickets.no_unplaced_region")
        .Str("detail",
             "set regions.home_regency or tickets.unplaced_region: a ticket whose place is "
             "unknown waits at the holding region 00, listed by nobody, until one is set");
  }
}

}  // namespace

int Serve(const config::Config& config, const RunOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const core::SdNotifier notifier = core::SdNotifier::FromEnvironment();
  ::signal(SIGPIPE, SIG_IGN);
  log::Level level = log::Level::kInfo;
  log::ParseLevel(config.log.level, &level);
  log::SetLevel(level);

  std::string diag_token;
  if (!config.diagnostics.token.empty()) {
    auto token = config::ResolveSecret(config.diagnostics.token, "diagnostics.token");
    if (!token.ok()) return StartFailed(token.error());
    diag_token = std::move(token).value();
  }

  if (auto s = FitFileLimit(config); !s.ok()) return StartFailed(s.error());

  core::MetricsRegistry metrics;
  metrics
      .GetGauge("satupintu_build_info", "Build of the running binary.",
                {{"version", BuildVersion()}, {"commit", BuildCommit()}, {"compiler", __VERSION__}})
      .Set(1);

  if (auto s = EnsureParentDir(config.store.path); !s.ok()) return StartFailed(s.error());
  // Held until Serve returns: `satupintu restore` refuses to write under a running gateway,
  // and a second gateway on the same store refuses to start.
  auto store_lock = backup::StoreLock::Acquire(config.store.path);
  if (!store_lock.ok()) return StartFailed(store_lock.error());
  storage::StoreOptions store_options;
  store_options.migrations = schema::Migrations();
  store_options.path = config.store.path;
  store_options.synchronous_full = config.store.synchronous == "full";
  store_options.busy_timeout_ms = config.store.busy_timeout_ms;
  store_options.max_batch = config.store.max_batch;
  store_options.max_size_mb = config.store.max_size_mb;
  auto store = storage::Store::Open(store_options, &metrics);
  if (!store.ok()) return StartFailed(store.error());
  storage::Journal journal(store->get(), &metrics);
  LoadRegionTreeIfEmpty(config, **store);
  PlaceOrphanTickets(config, **store);

  auto catalog = locale::Catalog::Load(config.locales.dir);
  if (!catalog.ok()) return StartFailed(catalog.error());
  auto dialogs = BuildDialogStack(config, **store, catalog.value(), {}, &metrics);
  if (!dialogs.ok()) return StartFailed(dialogs.error());

  http::Router public_router;
  diag::AddLivenessRoute(public_router);
  http::Router private_router;
  if (config.diagnostics.journal_route) diag::AddJournalRoute(private_router, &journal, diag_token);
  diag::AddChannelLogRoute(private_router, store->get(), diag_token);
  // Declared before the channels so it is destroyed after them: the dispatcher's thread calls
  // into the back office (SMS commands, pending surveys) until the channels have stopped, also
  // when the start fails half-way.
  std::unique_ptr<BackofficeStack> backoffice;
  auto channels = ChannelRuntime::Create(
      config, store->get(), &journal, &catalog.value(), &metrics, public_router, private_router,
      diag_token, config.dialogs.enabled ? dialogs.value()->conversations.get() : nullptr);
  if (!channels.ok()) return StartFailed(channels.error());
  // Started with the other workers below; a scrape of /metrics asks for a fresh reading, so
  // the state gauges are at most one scrape old.
  OpsGauges gauges(store->get(), &metrics,
                   config.public_listener.enabled ? config.tls.cert_file : std::string(),
                   config.store.path);
  diag::Readiness readiness;
  readiness.on_metrics_scrape = [&gauges] { gauges.Wake(); };
  readiness.store_path = config.store.path;
  readiness.min_free_disk_mb = config.store.min_free_disk_mb;
  // A loop turns at least once a second (the senders' poll interval): a minute is hung.
  readiness.stuck_channels = [runtime = channels.value().get()] {
    return runtime->StuckSenders(std::chrono::minutes(1));
  };
  diag::AddOpsRoutes(private_router, store->get(), &metrics, std::move(readiness));
  auto users_key = core::LoadOrCreateKeyFile(config::UsersKeyFile(config), true, "users key");
  if (!users_key.ok()) return StartFailed(users_key.error());
  backoffice =
      BuildBackoffice(config, catalog.value(),
                      config.dialogs.enabled ? dialogs.value()->conversations.get() : nullptr,
                      &dialogs.value()->lexicon, users_key.value(), *channels.value());
  auto sla = SlaRunner::Create(config.tickets, store->get());
  if (!sla.ok()) return StartFailed(sla.error());
  std::unique_ptr<BroadcastRunner> broadcasts;
  if (config.broadcast.enabled) {
    broadcasts = std::make_unique<BroadcastRunner>(
        BroadcastPolicy(config), config.broadcast.interval_ms, store->get(), config.store.path,
        &catalog.value(), dialogs.value()->regions,
        [runtime = channels.value().get()](const std::string& channel) {
          runtime->WakeSender(channel);
        },
        &metrics);
  }
  if (auto s =
          AddBackOffice(config, store->get(), dialogs.value()->regions, backoffice->cases.get(),
                        &dialogs.value()->dialogs, &catalog.value(), public_router,
                        [runner = broadcasts.get()] {
                          if (runner != nullptr) runner->Wake();
                        });
      !s.ok()) {
    return StartFailed(s.error());
  }
  if (auto s = channels.value()->Start(); !s.ok()) return StartFailed(s.error());
  sla.value()->Start();
  if (broadcasts) broadcasts->Start();
  AuditAnchor anchor(store->get(), config::AuditAnchorFile(config));
  anchor.Start();
  PrivacyRunner privacy(config.retention, store->get(), &metrics);
  privacy.Start();

  net::io_context ioc(config.http.threads);
  auto work = net::make_work_guard(ioc);
  http::Server server(ioc, LimitsFrom(config.http), &metrics);

  if (config.public_listener.enabled) {
    if (auto s = PrepareTls(config.tls); !s.ok()) return StartFailed(s.error());
    http::ListenerSpec spec{
        "public",
        config.public_listener.address,
        static_cast<std::uint16_t>(config.public_listener.port),
        true,
        {config.tls.cert_file, config.tls.key_file, config.tls.min_version == "1.3"},
        &public_router,
        static_cast<std::size_t>(config.public_listener.max_connections),
        static_cast<std::size_t>(config.public_listener.max_connections_per_address)};
    if (auto s = server.Listen(spec); !s.ok()) return StartFailed(s.error());
  }
  if (config.private_listener.enabled) {
    http::ListenerSpec spec{
        "private",
        config.private_listener.address,
        static_cast<std::uint16_t>(config.private_listener.port),
        false,
        {},
        &private_router,
        static_cast<std::size_t>(config.private_listener.max_connections),
        static_cast<std::size_t>(config.private_listener.max_connections_per_address)};
    if (auto s = server.Listen(spec); !s.ok()) return StartFailed(s.error());
  }

  // The signal handler and the drained callback share a strand: the callback may fire on
  // another io thread before the handler has re-armed its wait, and cancel() must find it.
  auto signal_strand = net::make_strand(ioc);
  net::signal_set signals(signal_strand, SIGINT, SIGTERM);
  bool stopping = false;
  std::function<void(const boost::system::error_code&, int)> on_signal =
      [&](const boost::system::error_code& ec, int signo) {
        if (ec) return;
        if (stopping) {
          log::Warn("app.stop_now").Int("signal", signo);
          ioc.stop();
          return;
        }
        stopping = true;
        NotifyServiceManager(notifier, "STOPPING=1");
        log::Info("app.stopping")
            .Int("signal", signo)
            .Int("grace_ms", config.http.shutdown_grace_ms);
        server.Shutdown(
            std::chrono::milliseconds(config.http.shutdown_grace_ms), [&](std::size_t forced) {
              log::Info("http.drained").Int("forced", static_cast<std::int64_t>(forced));
              net::post(signal_strand, [&] {
                signals.cancel();
                work.reset();
              });
            });
        signals.async_wait(on_signal);
      };
  signals.async_wait(on_signal);

  log::Info("app.ready")
      .Str("version", BuildVersion())
      .Int("public_port", server.BoundPort("public"))
      .Int("private_port", server.BoundPort("private"))
      .Num("startup_ms",
           std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
               .count());

  // Start-up events are written out now, and only then the ports file: whoever waits for it
  // may read the log or signal us at once, and the signal handlers are in place.
  log::Flush();
  if (!options.ports_file.empty()) {
    if (auto s = WritePortsFile(options.ports_file, server.BoundPort("public"),
                                server.BoundPort("private"));
        !s.ok()) {
      return StartFailed(s.error());
    }
  }
  // Listening, the store open and migrated: systemd (Type=notify) counts the start as done
  // now, and from here wants WATCHDOG=1 within WatchdogSec= (StoreWatchdog).
  gauges.Start();  // after the listeners: the certificate it reads exists by now
  NotifyServiceManager(notifier, "READY=1");
  StoreWatchdog watchdog(store->get(), &notifier, StoreWatchdog::PeriodFor(notifier));
  if (StoreWatchdog::PeriodFor(notifier).count() > 0) watchdog.Start();

  std::vector<std::thread> threads;
  for (int i = 1; i < config.http.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();

  // Every response is out. Senders get the grace period to record what peers answered; then
  // the queued writes finish and the file is closed.
  if (broadcasts) broadcasts->Stop();
  channels.value()->Stop(std::chrono::milliseconds(config.http.shutdown_grace_ms));
  sla.value()->Stop();
  privacy.Stop();
  gauges.Stop();
  anchor.Stop();  // the head after the last writes
  watchdog.Stop();
  store->get()->Close();
  log::Info("app.stopped");
  log::Flush();
  return 0;
}

}  // namespace satupintu::app
