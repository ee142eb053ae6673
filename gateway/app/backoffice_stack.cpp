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

std::unique_ptr<BackofficeStack> BuildBackoffice(const config::Config& config,
                                                 const locale::Catalog& catalog,
                                                 conversation::Conversations* conversations,
                                                 const understand::Lexicon* lexicon,
                                                 backoffice::OfficerLookup officers,
                                                 ChannelRuntime& channels) {
  auto stack = std::make_unique<BackofficeStack>();
  stack->cases =
      std::make_unique<backoffice::CaseService>(&catalog, conversations, NotifyOptionsFrom(config));
  stack->cases->SetOnEnqueued(
      [&channels](const std::string& channel) { channels.WakeSender(channel); });
  stack->commands = std::make_unique<backoffice::SmsCommands>(stack->cases.get(), &catalog, lexicon,
                                                              std::move(officers));
  inbound::DispatcherHooks hooks;
  const backoffice::SmsCommands* commands = stack->commands.get();
  hooks.intercept = [commands](storage::Db& db, const inbound::TextMessage& m, std::int64_t now_ms,
                               std::set<std::string>* enqueued) {
    return commands->Handle(db, m.journal_id, m.channel, m.address, m.text, now_ms, enqueued);
  };
  const backoffice::CaseService* cases = stack->cases.get();
  hooks.on_pass = [cases](storage::Db& db, std::int64_t now_ms) {
    return cases->RetryPendingSurveys(db, now_ms, 16);
  };
  channels.SetDispatcherHooks(std::move(hooks));
  return stack;
}

}  // namespace satupintu::app
