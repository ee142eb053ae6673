#include "backoffice/notify.hpp"

#include "adapters/channels.hpp"
#include "adapters/whatsapp/window.hpp"
#include "citizens/citizens.hpp"
#include "subject/restriction.hpp"
#include "tickets/catalogue.hpp"

namespace satupintu::backoffice {
namespace {

using storage::Db;
using tickets::Action;
using tickets::ReferralStatus;

struct Route {
  std::string channel;
  std::string address;
  bool use_template = false;
};

core::Result<std::string> TicketChannel(Db& db, std::int64_t ticket_id) {
  auto q = db.Prepare("SELECT channel FROM ticket WHERE id = ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, ticket_id);
  const int rc = q.value()->Step();
  std::string channel;
  if (rc == SQLITE_ROW) channel = q.value()->ColumnText(0);
  q.value()->Reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db.LastError("ticket channel");
  return channel;
}

// The citizen's address that last wrote on `channel`, and when; nullopt when none did.
core::Result<std::optional<citizens::ChannelActivity>> AddressOn(Db& db, std::int64_t citizen_id,
                                                                 const std::string& channel,
                                                                 std::string* address) {
  auto addresses = citizens::AddressesOf(db, citizen_id);
  if (!addresses.ok()) return addresses.error();
  std::optional<citizens::ChannelActivity> best;
  for (const auto& a : addresses.value()) {
    for (const auto& c : a.channels) {
      if (c.channel != channel) continue;
      if (best.has_value() && best.value().last_inbound_at_ms >= c.last_inbound_at_ms) continue;
      best = c;
      *address = a.address;
    }
  }
  return best;
}

// Where the notice goes: the ticket's channel of origin, or for WhatsApp outside its window
// without a template the configured SMS fallback to the citizen's phone. nullopt: nowhere
// (also while the citizen's processing is restricted).
// `free_text`: an officer's own words, which no approved template carries (outside the window
// only SMS can).
core::Result<std::optional<Route>> RouteFor(Db& db, const NotifyOptions& options,
                                            std::int64_t citizen_id, const std::string& channel,
                                            std::int64_t now_ms, bool free_text = false) {
  const adapters::ChannelDescriptor* descriptor = adapters::DescriptorOf(channel);
  if (descriptor == nullptr) return std::optional<Route>{};
  // Nothing goes to a citizen whose processing is restricted (subject/restriction.hpp).
  auto restricted = subject::IsRestricted(db, citizen_id);
  if (!restricted.ok()) return restricted.error();
  if (restricted.value()) return std::optional<Route>{};
  Route route;
  route.channel = channel;
  auto seen = AddressOn(db, citizen_id, channel, &route.address);
  if (!seen.ok()) return seen.error();
  const bool sms = descriptor->IsSms();
  if (!seen.value().has_value() && sms) {
    auto phone = citizens::PhoneOf(db, citizen_id);
    if (!phone.ok()) return phone.error();
    if (!phone.value().has_value()) return std::optional<Route>{};
    route.address = phone.value().value();
  } else if (!seen.value().has_value()) {
    return std::optional<Route>{};
  }
  if (descriptor->service_window) {
    const auto it = options.whatsapp.find(channel);
    const WhatsAppRoute wa = it == options.whatsapp.end() ? WhatsAppRoute{} : it->second;
    const bool in_window =
        adapters::whatsapp::InServiceWindow(seen.value().value().last_inbound_at_ms, now_ms);
    // With a template the sender picks text or template when it sends (the window may close
    // or reopen meanwhile); without one, outside the window only SMS can reach the citizen.
    route.use_template = !free_text && !wa.status_template.empty();
    if (!in_window && !route.use_template) {
      if (wa.sms_fallback.empty()) return std::optional<Route>{};
      auto phone = citizens::PhoneOf(db, citizen_id);
      if (!phone.ok()) return phone.error();
      if (!phone.value().has_value()) return std::optional<Route>{};
      route.channel = wa.sms_fallback;
      route.address = phone.value().value();
    }
  }
  auto opted_out = citizens::IsOptedOut(db, route.address);
  if (!opted_out.ok()) return opted_out.error();
  if (opted_out.value()) return std::optional<Route>{};
  return std::optional<Route>{route};
}

}  // namespace

std::optional<Notice> NoticeFor(const tickets::Request& request, const tickets::Outcome& outcome) {
  const tickets::Status to = outcome.after.view.status;
  Notice n;
  n.status_key = tickets::CitizenStatusKey(to);
  if (request.action == Action::kClose && to == tickets::Status::kClosed) {
    n.key = "ticket.notice.closed";
    n.close_reason = outcome.after.close_reason;
    return n;
  }
  if (request.action == Action::kAnswer) {
    switch (request.answer) {
      case ReferralStatus::kAccepted:
        n.key = "ticket.notice.referral_accepted";
        break;
      case ReferralStatus::kRejected:
        n.key = "ticket.notice.referral_rejected";
        break;
      case ReferralStatus::kNeedsInfo:
        n.key = "ticket.notice.referral_needs_info";
        break;
      case ReferralStatus::kPending:
        return std::nullopt;
    }
    n.programme = request.programme;
    return n;
  }
  if (tickets::CitizenStatusKey(outcome.from) == n.status_key) return std::nullopt;
  n.key = "ticket.notice.status";
  return n;
}

core::Result<std::string> ProgrammeShortName(Db& db, const std::string& programme) {
  // Retired programmes too: their referrals are still answered.
  auto all = tickets::Programmes(db, true);
  if (!all.ok()) return all.error();
  for (const auto& p : all.value()) {
    if (p.id == programme) return p.short_name.empty() ? p.id : p.short_name;
  }
  return programme;
}

core::Result<std::vector<compose::Outgoing>> Notices(Db& db, const locale::Catalog& catalog,
                                                     const NotifyOptions& options,
                                                     const tickets::Request& request,
                                                     const tickets::Outcome& outcome,
                                                     std::int64_t now_ms) {
  std::vector<compose::Outgoing> out;
  const auto notice = NoticeFor(request, outcome);
  if (!notice.has_value()) return out;
  const Notice& n = notice.value();
  auto citizen = citizens::ResolveCitizen(db, outcome.after.ticket.citizen_id);
  if (!citizen.ok()) return citizen.error();
  if (!citizen.value().has_value()) return out;
  const std::int64_t citizen_id = citizen.value().value();
  auto channel = TicketChannel(db, outcome.after.id);
  if (!channel.ok()) return channel.error();
  auto route = RouteFor(db, options, citizen_id, channel.value(), now_ms);
  if (!route.ok()) return route.error();
  if (!route.value().has_value()) return out;
  const Route& r = route.value().value();

  auto chosen = citizens::LanguageOf(db, citizen_id);
  if (!chosen.ok()) return chosen.error();
  const std::string language = chosen.value().value_or(std::string(locale::Catalog::kReference));
  const std::string& code = outcome.after.ticket.code;
  const std::string& status = catalog.Text(language, n.status_key);
  locale::Args args{{"kode", code}, {"status", status}};
  if (!n.programme.empty()) {
    auto name = ProgrammeShortName(db, n.programme);
    if (!name.ok()) return name.error();
    args["nama_program"] = name.value();
  }
  if (!n.close_reason.empty()) {
    args["alasan"] = catalog.Text(language, "ticket.close_reason." + n.close_reason);
  }
  auto text = catalog.Render(language, n.key, args);
  if (!text.ok()) return text.error();

  compose::Outgoing o;
  o.key = "tn-" + std::to_string(outcome.event_id);
  o.channel = r.channel;
  o.address = r.address;
  o.priority = outbox::Priority::kNotification;
  o.text = std::move(text).value();
  if (r.use_template) {
    const WhatsAppRoute& wa = options.whatsapp.at(r.channel);
    o.template_name = wa.status_template;
    o.template_language = wa.status_template_language;
    o.template_params = {code, status};
  }
  out.push_back(std::move(o));
  return out;
}

core::Result<std::optional<CitizenRoute>> RouteToCitizen(Db& db, const NotifyOptions& options,
                                                         std::int64_t ticket_id,
                                                         std::int64_t citizen_id,
                                                         std::int64_t now_ms) {
  auto live = citizens::ResolveCitizen(db, citizen_id);
  if (!live.ok()) return live.error();
  if (!live.value().has_value()) return std::optional<CitizenRoute>{};
  auto channel = TicketChannel(db, ticket_id);
  if (!channel.ok()) return channel.error();
  auto route = RouteFor(db, options, live.value().value(), channel.value(), now_ms, true);
  if (!route.ok()) return route.error();
  if (!route.value().has_value()) return std::optional<CitizenRoute>{};
  auto chosen = citizens::LanguageOf(db, live.value().value());
  if (!chosen.ok()) return chosen.error();
  CitizenRoute r;
  r.citizen_id = live.value().value();
  r.channel = route.value()->channel;
  r.address = route.value()->address;
  r.language = chosen.value().value_or(std::string(locale::Catalog::kReference));
  return std::optional<CitizenRoute>{std::move(r)};
}

}  // namespace satupintu::backoffice
