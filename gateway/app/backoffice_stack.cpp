#include "app/backoffice_stack.hpp"

#include "app/channel_runtime.hpp"

namespace satupintu::app {

backoffice::NotifyOptions NotifyOptionsFrom(const config::Config& config) {
  backoffice::NotifyOptions options;
  for (const auto& wa : config.channels.whatsapp) {
    backoffice::WhatsAppRoute route;
    route.status_template = wa.status_template.name;
    route.status_template_language = wa.status_template.language;
    route.sms_fallback = wa.sms_fallback;
    options.whatsapp["whatsapp:" + wa.name] = route;
  }
  return options;
}

backoffice::AlertOptions AlertOptionsFrom(const config::Config& config, std::string users_key) {
  backoffice::AlertOptions options;
  options.users_key = std::move(users_key);
  options.interval_ms = std::int64_t{config.tickets.alert_interval_minutes} * 60'000;
  const auto quiet = config::ParseQuietHours(config.tickets.alert_quiet_hours);
  if (quiet.has_value()) {
    options.quiet_from_minute = quiet->first;
    options.quiet_until_minute = quiet->second;
  }
  options.utc_offset_minutes = config.tickets.utc_offset_minutes;
  options.sms_channel = config::AlertChannel(config);
  for (auto& id : config::ChannelIds(config)) options.channels.insert(std::move(id));
  return options;
}

std::unique_ptr<BackofficeStack> BuildBackoffice(const config::Config& config,
                                                 const locale::Catalog& catalog,
                                                 conversation::Conversations* conversations,
                                                 const understand::Lexicon* lexicon,
                                                 const std::string& users_key,
                                                 ChannelRuntime& channels) {
  auto stack = std::make_unique<BackofficeStack>();
  stack->cases =
      std::make_unique<backoffice::CaseService>(&catalog, conversations, NotifyOptionsFrom(config));
  stack->cases->SetOnEnqueued(
      [&channels](const std::string& channel) { channels.WakeSender(channel); });
  stack->alert_routes = std::make_unique<backoffice::AlertRoutes>(users_key);
  stack->commands = std::make_unique<backoffice::SmsCommands>(
      stack->cases.get(), &catalog, lexicon, backoffice::OfficersByPhone(users_key),
      stack->alert_routes.get());
  inbound::DispatcherHooks hooks;
  const backoffice::SmsCommands* commands = stack->commands.get();
  const backoffice::CaseService* cases = stack->cases.get();
  // An officer's command first, then a citizen's answer to an officer's message; anything
  // else goes to the dialogs.
  hooks.intercept = [commands, cases](storage::Db& db, const inbound::TextMessage& m,
                                      std::int64_t now_ms, std::set<std::string>* enqueued)
      -> core::Result<std::optional<std::vector<compose::Outgoing>>> {
    auto taken = commands->Handle(db, m.journal_id, m.channel, m.address, m.text, now_ms, enqueued);
    if (!taken.ok() || taken.value().has_value()) return taken;
    return cases->CitizenAnswerIn(db, m.journal_id, m.channel, m.address, m.text, now_ms);
  };
  if (config.tickets.alerts_enabled) {
    stack->alerts =
        std::make_unique<backoffice::Alerts>(&catalog, AlertOptionsFrom(config, users_key));
  }
  const backoffice::Alerts* alerts = stack->alerts.get();
  hooks.on_pass = [cases, alerts](
                      storage::Db& db,
                      std::int64_t now_ms) -> core::Result<std::vector<compose::Outgoing>> {
    auto out = cases->RetryPendingSurveys(db, now_ms, 16);
    if (!out.ok()) return out;
    if (alerts == nullptr) {
      if (auto s = backoffice::Alerts::DiscardNoted(db); !s.ok()) return s.error();
      return out;
    }
    auto more = alerts->PassIn(db, now_ms, 64);
    if (!more.ok()) return more.error();
    for (auto& o : more.value()) out.value().push_back(std::move(o));
    return out;
  };
  channels.SetDispatcherHooks(std::move(hooks));
  return stack;
}

}  // namespace satupintu::app
