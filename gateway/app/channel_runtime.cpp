#include "app/channel_runtime.hpp"

#include <algorithm>
#include <future>
#include <mutex>
#include <tuple>
#include <vector>

#include "adapters/kannel/classify.hpp"
#include "adapters/kannel/config.hpp"
#include "adapters/kannel/send.hpp"
#include "adapters/kannel/webhook.hpp"
#include "adapters/sms/analysis.hpp"
#include "adapters/telegram/classify.hpp"
#include "adapters/telegram/config.hpp"
#include "adapters/telegram/send.hpp"
#include "adapters/telegram/webhook.hpp"
#include "adapters/whatsapp/classify.hpp"
#include "adapters/whatsapp/config.hpp"
#include "adapters/whatsapp/send.hpp"
#include "adapters/whatsapp/webhook.hpp"
#include "adapters/whatsapp/window.hpp"
#include "channel_log/channel_log.hpp"
#include "citizens/citizens.hpp"
#include "compose/compose.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/worker.hpp"
#include "diag/routes.hpp"
#include "gammu_link/gammu_link.hpp"
#include "gammu_link/gammu_transport.hpp"
#include "http/client.hpp"
#include "inbound/dispatcher.hpp"
#include "inbound/journal_record.hpp"
#include "inbound/receiver.hpp"
#include "outbound/accept_log.hpp"
#include "outbound/http_transport.hpp"
#include "outbound/sender.hpp"
#include "outbox/outbox_store.hpp"

namespace satupintu::app {

namespace log = core::log;
using outbound::Built;
using std::chrono::milliseconds;

namespace {

using core::NowMs;

core::Error Invalid(const std::string& message) {
  return core::MakeError(core::ErrorCode::kInvalidArgument, message);
}

outbound::SenderLimits LimitsFrom(const config::SendConfig& s) {
  outbound::SenderLimits l;
  l.rate_per_second = s.rate_per_minute / 60.0;
  l.burst = s.burst;
  l.per_recipient_interval = milliseconds(s.per_recipient_interval_ms);
  l.per_recipient_burst = s.per_recipient_burst;
  l.max_in_flight = s.max_in_flight;
  l.claim_batch = std::min(256, std::max(1, s.max_in_flight * 2));
  l.backoff_base = milliseconds(s.backoff_base_ms);
  l.backoff_max = milliseconds(s.backoff_max_ms);
  return l;
}

// The adapters' BuildResult types share these two fields.
template <typename BuildResult>
Built ToBuilt(BuildResult r) {
  Built b;
  b.call = std::move(r.call);
  b.error = std::move(r.error);
  return b;
}

// "<config path>: <problem>", the config error an operator reads.
core::Error InvalidAt(const std::string& path, const std::string& problem) {
  std::string message = path;
  message.append(": ").append(problem);
  return Invalid(message);
}

core::Result<std::string> Secret(const config::SecretRef& ref, const std::string& path) {
  return config::ResolveSecret(ref, path);
}

}  // namespace

struct ChannelRuntime::Impl {
  const config::Config& config;
  storage::Store* store;
  storage::Journal* journal;
  const locale::Catalog* catalog;
  core::MetricsRegistry* metrics;
  // One HTTP client per channel (its own io threads, connection pools, queues and resolver):
  // a peer that hangs, a full pool or a slow completion of one channel never holds another
  // channel's exchanges (issue 19).
  http::ClientOptions client_options;
  std::vector<std::unique_ptr<http::Client>> clients;
  outbox::OutboxStore outbox;
  channel_log::ChannelLog channel_log;
  // Every sender's acceptances, beside the store (null when it cannot be opened). Declared
  // before the senders, which use it until they are destroyed.
  std::unique_ptr<outbound::AcceptLog> accept_log;
  std::vector<std::unique_ptr<outbound::Transport>> transports;
  std::map<std::string, std::unique_ptr<outbound::Sender>> senders;
  std::map<std::string, config::SendConfig> send_configs;
  // WhatsApp channel -> its SMS fallback channel, for the dispatcher's late refusals too.
  std::map<std::string, std::string> sms_fallbacks;
  std::vector<std::unique_ptr<gammu_link::GammuLink>> links;
  std::unique_ptr<inbound::Dispatcher> dispatcher;

  // The channel log's retention is the purge pass's (app/privacy_runner.hpp).

  Impl(const config::Config& c, storage::Store* s, storage::Journal* j, const locale::Catalog* cat,
       core::MetricsRegistry* m)
      : config(c),
        store(s),
        journal(j),
        catalog(cat),
        metrics(m),
        outbox(s, m),
        channel_log(s, m) {}

  void Wake(const std::string& channel) {
    auto it = senders.find(channel);
    if (it != senders.end()) it->second->Wake();
  }
  void WakeDispatcher() const {
    if (dispatcher) dispatcher->Wake();
  }

  outbound::SenderHooks Hooks(const std::string& channel, const std::string& sms_fallback) {
    outbound::SenderHooks hooks;
    hooks.on_attempt = [this, channel](const outbox::DuePart& part, const outbound::Attempt& a) {
      channel_log::Exchange e;
      e.at_ms = NowMs();
      e.channel = channel;
      e.part_key = part.part_key;
      e.method = a.exchange.method;
      e.url = a.exchange.url;
      e.request_body = a.exchange.request_body;
      if (a.exchange.http_status > 0) e.http_status = a.exchange.http_status;
      e.response_body = a.exchange.response_body;
      e.elapsed_ms = static_cast<std::int64_t>(a.exchange.elapsed_ms);
      e.error =
          a.result.verdict == adapters::SendVerdict::kAccepted ? a.exchange.error : a.result.reason;
      channel_log.Record(e);
    };
    hooks.on_opted_out = [this](const outbox::DuePart& part) {
      store->Write([address = part.address](
                       storage::Db& db) { return citizens::MarkOptedOut(db, address, NowMs()); },
                   [](const core::Status& s) {
                     if (!s.ok())
                       log::Warn("channel.opt_out_not_stored").Str("reason", s.error().message);
                   });
    };
    if (!sms_fallback.empty()) {
      hooks.on_permanent = [this, sms_fallback](const outbox::DuePart& part,
                                                const outbound::Attempt& a) -> std::string {
        if (!a.result.outside_window) return {};
        auto o = compose::SmsFallback(part, sms_fallback);
        if (!o.has_value()) return {};
        auto composed = compose::Compose(*o, NowMs());
        if (!composed.ok()) return "SMS fallback refused: " + composed.error().message;
        outbox.Enqueue(
            std::move(composed).value(), NowMs(),
            [this, sms_fallback](const core::Result<std::int64_t>& r) {
              if (r.ok()) {
                Wake(sms_fallback);
              } else {
                log::Warn("channel.sms_fallback_failed").Str("reason", r.error().message);
              }
            });
        return "sent by SMS as " + o->key;
      };
    }
    return hooks;
  }

  void AddSender(const std::string& channel, std::unique_ptr<outbound::Transport> transport,
                 const config::SendConfig& send, const std::string& sms_fallback = {}) {
    senders[channel] = std::make_unique<outbound::Sender>(
        channel, &outbox, transport.get(), LimitsFrom(send), Hooks(channel, sms_fallback), metrics);
    send_configs[channel] = send;
    transports.push_back(std::move(transport));
  }

  void AddHttpSender(const std::string& channel, outbound::HttpTransport::Build build,
                     outbound::HttpTransport::Classify classify, const config::SendConfig& send,
                     outbound::HttpTransport::CostFn cost = {},
                     const std::string& sms_fallback = {}) {
    clients.push_back(std::make_unique<http::Client>(client_options));
    AddSender(channel,
              std::make_unique<outbound::HttpTransport>(
                  clients.back().get(), std::move(build), std::move(classify),
                  milliseconds(send.timeout_ms), std::move(cost)),
              send, sms_fallback);
  }

  core::Status AddWhatsApp(http::Router& router) {
    for (std::size_t i = 0; i < config.channels.whatsapp.size(); ++i) {
      const auto& c = config.channels.whatsapp[i];
      const std::string path = "channels.whatsapp[" + std::to_string(i) + "]";
      adapters::whatsapp::Config adapter;
      adapter.base_url = c.base_url;
      adapter.api_version = c.api_version;
      adapter.phone_number_id = c.phone_number_id;
      adapter.list_button_label = catalog->Text(locale::Catalog::kReference, "channel.list_button");
      for (auto [ref, key, out] :
           {std::tuple{&c.access_token, ".access_token", &adapter.access_token},
            std::tuple{&c.app_secret, ".app_secret", &adapter.app_secret},
            std::tuple{&c.verify_token, ".verify_token", &adapter.verify_token}}) {
        auto value = Secret(*ref, path + key);
        if (!value.ok()) return value.error();
        *out = std::move(value).value();
      }
      if (auto problem = adapters::whatsapp::ValidateConfig(adapter); !problem.empty()) {
        return InvalidAt(path, problem);
      }
      const std::string channel = "whatsapp:" + c.name;
      const std::string route = "/webhooks/whatsapp/" + c.name;
      // Envelopes for another number of the business are refused item by item and counted.
      core::Counter* foreign = &metrics->GetCounter(
          "satupintu_webhook_foreign_items_total",
          "Webhook items for an account that is not the channel's (another WhatsApp number).",
          {{"channel", channel}});
      auto parse = [adapter, foreign](const adapters::IncomingHttp& in) {
        auto parsed = adapters::whatsapp::HandleWebhook(adapter, in);
        if (parsed.foreign_items > 0)
          foreign->Inc(static_cast<std::uint64_t>(parsed.foreign_items));
        return parsed;
      };
      inbound::AddChannelWebhook(router, "GET", route, channel, parse, journal,
                                 [this] { WakeDispatcher(); });
      inbound::AddChannelWebhook(router, "POST", route, channel, parse, journal,
                                 [this] { WakeDispatcher(); });
      auto build = [adapter](const outbox::DuePart& part) -> Built {
        auto message = compose::ToAdapterMessage(part);
        const bool window_open =
            adapters::whatsapp::InServiceWindow(part.last_inbound_at_ms, NowMs());
        if (auto refused = adapters::whatsapp::FitToWindow(message, window_open)) {
          Built b;
          b.decided = std::move(refused);
          return b;
        }
        const std::string label = compose::ListButtonLabelOf(part);
        if (!label.empty() && label != adapter.list_button_label) {
          auto labelled = adapter;
          labelled.list_button_label = label;
          return ToBuilt(adapters::whatsapp::BuildSend(labelled, message));
        }
        return ToBuilt(adapters::whatsapp::BuildSend(adapter, message));
      };
      AddHttpSender(channel, build, adapters::whatsapp::ClassifySend, c.send, {}, c.sms_fallback);
      if (!c.sms_fallback.empty()) sms_fallbacks[channel] = c.sms_fallback;
      log::Info("channel.mounted").Str("channel", channel).Str("path", route);
    }
    return {};
  }

  core::Status AddTelegram(http::Router& router) {
    for (std::size_t i = 0; i < config.channels.telegram.size(); ++i) {
      const auto& c = config.channels.telegram[i];
      const std::string path = "channels.telegram[" + std::to_string(i) + "]";
      adapters::telegram::Config adapter;
      adapter.base_url = c.base_url;
      auto token = Secret(c.bot_token, path + ".bot_token");
      if (!token.ok()) return token.error();
      auto secret = Secret(c.secret_token, path + ".secret_token");
      if (!secret.ok()) return secret.error();
      adapter.bot_token = std::move(token).value();
      adapter.secret_token = std::move(secret).value();
      if (auto problem = adapters::telegram::ValidateConfig(adapter); !problem.empty()) {
        return InvalidAt(path, problem);
      }
      const std::string channel = "telegram:" + c.name;
      const std::string route = "/webhooks/telegram/" + c.name;
      inbound::AddChannelWebhook(
          router, "POST", route, channel,
          [adapter](const adapters::IncomingHttp& in) {
            return adapters::telegram::ParseWebhook(adapter, in);
          },
          journal, [this] { WakeDispatcher(); });
      auto build = [adapter](const outbox::DuePart& part) -> Built {
        const std::string callback = compose::CallbackQueryOf(part);
        return ToBuilt(callback.empty()
                           ? adapters::telegram::BuildSend(adapter, compose::ToAdapterMessage(part))
                           : adapters::telegram::BuildAnswerCallback(
                                 adapter, callback,
                                 part.text.empty() ? std::nullopt
                                                   : std::optional<std::string_view>(part.text)));
      };
      AddHttpSender(channel, build, adapters::telegram::ClassifySend, c.send);
      log::Info("channel.mounted").Str("channel", channel).Str("path", route);
    }
    return {};
  }

  core::Status AddKannel(http::Router& router) {
    for (std::size_t i = 0; i < config.channels.kannel.size(); ++i) {
      const auto& c = config.channels.kannel[i];
      const std::string path = "channels.kannel[" + std::to_string(i) + "]";
      adapters::kannel::Config adapter;
      adapter.sendsms_url = c.sendsms_url;
      adapter.username = c.username;
      auto password = Secret(c.password, path + ".password");
      if (!password.ok()) return password.error();
      auto shared = Secret(c.shared_secret, path + ".shared_secret");
      if (!shared.ok()) return shared.error();
      adapter.password = std::move(password).value();
      adapter.shared_secret = std::move(shared).value();
      adapter.smsc = c.smsc;
      adapter.from = c.from;
      adapter.allowed_sources = c.allowed_sources;
      adapter.dlr_url_base = c.dlr_base_url + "/kannel/" + c.name + "/dlr";
      adapter.max_parts = static_cast<std::size_t>(c.max_parts);
      if (auto problem = adapters::kannel::ValidateConfig(adapter); !problem.empty()) {
        return InvalidAt(path, problem);
      }
      const std::string channel = "kannel:" + c.name;
      const std::string base = "/kannel/" + c.name;
      auto mo = [adapter](const adapters::IncomingHttp& in) {
        return adapters::kannel::ParseMo(adapter, in);
      };
      inbound::AddChannelWebhook(router, "GET", base + "/mo", channel, mo, journal,
                                 [this] { WakeDispatcher(); });
      inbound::AddChannelWebhook(router, "POST", base + "/mo", channel, mo, journal,
                                 [this] { WakeDispatcher(); });
      inbound::AddChannelWebhook(
          router, "GET", base + "/dlr", channel,
          [adapter](const adapters::IncomingHttp& in) {
            return adapters::kannel::ParseDlr(adapter, in);
          },
          journal, [this] { WakeDispatcher(); });
      auto build = [adapter](const outbox::DuePart& part) -> Built {
        return ToBuilt(adapters::kannel::BuildSend(adapter, compose::ToAdapterMessage(part)));
      };
      // Kannel concatenates the text itself: the channel's rate counts SMS parts.
      auto segments = [](const outbox::DuePart& part) {
        return static_cast<double>(adapters::sms::Analyze(part.text).segments);
      };
      AddHttpSender(channel, build, adapters::kannel::ClassifySend, c.send, segments);
      log::Info("channel.mounted").Str("channel", channel).Str("path", base);
    }
    return {};
  }

  core::Status AddGammu() {
    for (std::size_t i = 0; i < config.channels.gammu.size(); ++i) {
      const auto& c = config.channels.gammu[i];
      const std::string path = "channels.gammu[" + std::to_string(i) + "]";
      gammu_link::LinkConfig link;
      link.name = c.name;
      link.database = c.database;
      link.poll_interval = milliseconds(c.poll_interval_ms);
      link.adapter.phone_id = c.phone_id;
      link.adapter.smsd_utc_offset = std::chrono::minutes(c.smsd_utc_offset_minutes);
      if (auto problem = gammu_link::ValidateLinkConfig(link); !problem.empty()) {
        return InvalidAt(path, problem);
      }
      const std::string channel = "gammu:" + c.name;
      links.push_back(std::make_unique<gammu_link::GammuLink>(
          link,
          [this, channel](std::vector<adapters::InboundMessage> messages) -> core::Status {
            adapters::ParsedRequest parsed;
            parsed.messages = std::move(messages);
            std::promise<core::Status> stored;
            journal->Append(inbound::JournalRecords(channel, parsed), "gammu",
                            [&stored](const core::Result<storage::AppendOutcome>& r) {
                              stored.set_value(r.ok() ? core::Status{} : core::Status(r.error()));
                            });
            auto s = stored.get_future().get();
            if (s.ok()) WakeDispatcher();
            return s;
          },
          [this, channel](std::vector<adapters::StatusUpdate> updates) {
            // Through the journal like every provider status: repeats are duplicates there,
            // and the dispatcher applies them in order.
            adapters::ParsedRequest parsed;
            parsed.statuses = std::move(updates);
            journal->Append(inbound::JournalRecords(channel, parsed), "gammu-status",
                            [this](const core::Result<storage::AppendOutcome>& r) {
                              if (r.ok()) WakeDispatcher();
                            });
          }));
      // The sender paces the modem (send.rate_per_minute); the transport adds no limit.
      AddSender(channel, std::make_unique<gammu_link::GammuTransport>(link, 0), c.send);
      log::Info("channel.mounted").Str("channel", channel);
    }
    return {};
  }

  void AddDiagOutboxRoute(http::Router& router, const std::string& diag_token) {
    diag::OutboxRouteDeps deps;
    deps.outbox = &outbox;
    deps.policy = [this](const std::string& channel,
                         outbox::Priority priority) -> std::optional<outbox::InFlightPolicy> {
      auto sc = send_configs.find(channel);
      if (sc == send_configs.end()) return std::nullopt;
      const bool resend =
          priority == outbox::Priority::kBulk ? sc->second.resend_bulk : sc->second.resend_replies;
      return resend ? outbox::InFlightPolicy::kResend : outbox::InFlightPolicy::kHold;
    };
    deps.wake = [this](const std::string& channel) { Wake(channel); };
    diag::AddOutboxRoute(router, std::move(deps), diag_token);
  }
};

ChannelRuntime::ChannelRuntime(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ChannelRuntime::~ChannelRuntime() { Stop(milliseconds(0)); }

core::Result<std::unique_ptr<ChannelRuntime>> ChannelRuntime::Create(
    const config::Config& config, storage::Store* store, storage::Journal* journal,
    const locale::Catalog* catalog, core::MetricsRegistry* metrics, http::Router& public_router,
    http::Router& private_router, const std::string& diag_token,
    conversation::Conversations* conversations) {
  auto impl = std::make_unique<Impl>(config, store, journal, catalog, metrics);
  http::ClientOptions& client_options = impl->client_options;
  client_options.threads = config.outbound.client_threads;
  client_options.max_connections_per_host =
      static_cast<std::size_t>(config.outbound.max_connections_per_host);
  client_options.ca_file = config.outbound.ca_file;
  if (auto s = impl->AddWhatsApp(public_router); !s.ok()) return s.error();
  if (auto s = impl->AddTelegram(public_router); !s.ok()) return s.error();
  if (auto s = impl->AddKannel(private_router); !s.ok()) return s.error();
  if (auto s = impl->AddGammu(); !s.ok()) return s.error();
  auto* raw = impl.get();
  inbound::DispatcherOptions dispatch;
  dispatch.sms_fallback = impl->sms_fallbacks;
  dispatch.max_messages_per_address_per_minute = config.inbound.max_messages_per_address_per_minute;
  impl->dispatcher = std::make_unique<inbound::Dispatcher>(
      store, catalog, metrics, [raw](const std::string& channel) { raw->Wake(channel); },
      std::move(dispatch), conversations);
  if (config.diagnostics.outbox_route) impl->AddDiagOutboxRoute(private_router, diag_token);
  return std::unique_ptr<ChannelRuntime>(new ChannelRuntime(std::move(impl)));
}

void ChannelRuntime::SetDispatcherHooks(inbound::DispatcherHooks hooks) {
  impl_->dispatcher->SetHooks(std::move(hooks));
}

std::vector<std::string> ChannelRuntime::StuckSenders(std::chrono::milliseconds threshold) const {
  std::vector<std::string> stuck;
  for (const auto& [channel, sender] : impl_->senders) {
    if (sender->Stuck(threshold)) stuck.push_back(channel);
  }
  return stuck;
}

void ChannelRuntime::WakeSender(const std::string& channel) { impl_->Wake(channel); }

core::Status ChannelRuntime::Start() {
  // The acceptances a crash kept from the store: those parts are sent, not to be sent again.
  const std::string& base = impl_->config.store.path;
  auto logged = outbound::AcceptLog::ReadAll(base);
  if (!logged.ok()) return logged.error();
  std::optional<std::vector<std::int64_t>> offered;
  if (logged->offers_logged) offered = std::move(logged->offered);
  std::promise<core::Result<outbox::Recovery>> recovered;
  impl_->outbox.RecoverInFlight(
      std::move(logged->accepted), NowMs(),
      [&recovered](core::Result<outbox::Recovery> r) { recovered.set_value(std::move(r)); },
      std::move(offered));
  auto recovery = recovered.get_future().get();
  if (!recovery.ok()) return recovery.error();
  if (recovery->accepted > 0 || recovery->requeued > 0 || recovery->held > 0 ||
      recovery->not_offered > 0) {
    log::Warn("outbox.recovered_in_flight")
        .Int("accepted", recovery->accepted)
        .Int("not_offered", recovery->not_offered)
        .Int("resent", recovery->requeued)
        .Int("held_unknown", recovery->held);
  }
  auto opened = outbound::AcceptLog::Open(base);
  if (opened.ok()) {
    impl_->accept_log = std::move(opened).value();
    if (auto s = impl_->accept_log->Clear(); !s.ok()) return s.error();
  } else {
    // Sending goes on; a crash then sends again what was answered but not yet recorded.
    log::Warn("outbox.accept_log_unavailable")
        .Str("reason", opened.error().message)
        .Str("detail", opened.error().detail);
  }
  for (auto& [channel, sender] : impl_->senders) {
    sender->UseAcceptLog(impl_->accept_log.get());
    sender->Start();
  }
  for (auto& link : impl_->links) link->Start();
  impl_->dispatcher->Start();
  return {};
}

void ChannelRuntime::Stop(milliseconds grace) {
  if (!impl_) return;
  impl_->dispatcher->Stop();
  for (auto& link : impl_->links) link->Stop();
  for (auto& [channel, sender] : impl_->senders) sender->Stop(grace);
  // Attempts still with a peer complete with "client stopped"; their parts stay in flight and
  // are resolved at the next start, like after a crash.
  for (auto& client : impl_->clients) client->Stop();
}

}  // namespace satupintu::app
