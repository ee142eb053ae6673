#pragma once
// The back office wired into the running gateway: the CaseService (web API, SMS commands) with
// the WhatsApp routes of the config, the facilitators' SMS commands and the pending surveys
// hooked into the channel dispatcher, and the senders woken after each action's commit.

#include <memory>

#include "backoffice/alerts.hpp"
#include "backoffice/case_service.hpp"
#include "backoffice/sms_commands.hpp"
#include "config/config.hpp"
#include "locale/catalog.hpp"

namespace satupintu::understand {
class Lexicon;
}

namespace satupintu::app {

class ChannelRuntime;

struct BackofficeStack {
  std::unique_ptr<backoffice::CaseService> cases;
  std::unique_ptr<backoffice::SmsCommands> commands;
  std::unique_ptr<backoffice::AlertRoutes> alert_routes;
  std::unique_ptr<backoffice::Alerts> alerts;  // null when tickets.alerts_enabled is false
};

// The alerts' options from the config (interval, quiet hours, default SMS channel).
backoffice::AlertOptions AlertOptionsFrom(const config::Config& config, std::string users_key);

// The notices' routes from the config: each WhatsApp number's status template and SMS fallback.
backoffice::NotifyOptions NotifyOptionsFrom(const config::Config& config);

// `conversations` may be null (dialogs disabled: no survey); `lexicon` may be null.
// `users_key` finds officers by phone and opens their alert routes. Sets the dispatcher's
// hooks on `channels` (before its Start).
std::unique_ptr<BackofficeStack> BuildBackoffice(const config::Config& config,
                                                 const locale::Catalog& catalog,
                                                 conversation::Conversations* conversations,
                                                 const understand::Lexicon* lexicon,
                                                 const std::string& users_key,
                                                 ChannelRuntime& channels);

}  // namespace satupintu::app
