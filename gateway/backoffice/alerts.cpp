#include "backoffice/alerts.hpp"

#include <algorithm>

#include "adapters/channels.hpp"
#include "backoffice/sms_fit.hpp"
#include "conversation/state_seal.hpp"
#include "core/log.hpp"
#include "tickets/workflow.hpp"
#include "users/users.hpp"

namespace satupintu::backoffice {
namespace {

using storage::Db;
using tickets::Role;

struct Facts {
  std::string code;
  std::string category;
  std::string village;
  std::string level;
  std::string status;
  std::int64_t claimed_by = 0;
};

core::Result<std::optional<Facts>> FactsOf(Db& db, std::int64_t ticket_id) {
  auto q = db.Prepare(
      "SELECT code, category, village_code, level, status, claimed_by FROM ticket WHERE id = ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, ticket_id);
  std::optional<Facts> facts;
  auto found = storage::FirstRow(db, *q.value(), "alert ticket", [&](storage::Stmt& r) {
    facts = Facts{r.ColumnText(0), r.ColumnText(1), r.ColumnText(2),
                  r.ColumnText(3), r.ColumnText(4), r.ColumnInt(5)};
  });
  if (!found.ok()) return found.error();
  return facts;
}

// "32.06.05.2002" -> "32", "32.06", "32.06.05", "32.06.05.2002": the regions whose officers
// have the code in scope.
std::vector<std::string> Ancestors(std::string_view code) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i <= code.size(); ++i) {
    if (i == code.size() || code[i] == '.') out.emplace_back(code.substr(0, i));
  }
  return out;
}

// Active officers with an enabled route, of one of `roles`, whose region holds `code`.
core::Status AddGroup(Db& db, std::string_view code, std::initializer_list<Role> roles,
                      std::vector<std::int64_t>* out) {
  const auto regions = Ancestors(code);
  if (regions.empty() || code.empty()) return {};
  std::string sql =
      "SELECT u.id FROM app_user u JOIN officer_alert_route r ON r.user_id = u.id"
      " WHERE u.disabled_at_ms IS NULL AND r.enabled = 1 AND u.role IN (";
  for (std::size_t i = 0; i < roles.size(); ++i) sql += i == 0 ? "?" : ", ?";
  sql += ") AND u.region IN (";
  for (std::size_t i = 0; i < regions.size(); ++i) sql += i == 0 ? "?" : ", ?";
  sql += ") ORDER BY u.id";
  auto q = db.Prepare(sql);
  if (!q.ok()) return q.error();
  int index = 1;
  for (Role role : roles) q.value()->Bind(index++, std::string_view(tickets::RoleName(role)));
  for (const auto& r : regions) q.value()->Bind(index++, r);
  return storage::ForEachRow(db, *q.value(), "alert recipients",
                             [&](storage::Stmt& r) { out->push_back(r.ColumnInt(0)); });
}

core::Result<bool> Reachable(Db& db, std::int64_t user_id) {
  auto q = db.Prepare(
      "SELECT 1 FROM app_user u JOIN officer_alert_route r ON r.user_id = u.id"
      " WHERE u.id = ? AND u.disabled_at_ms IS NULL AND r.enabled = 1");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, user_id);
  return storage::FirstRow(db, *q.value(), "alert holder", [](storage::Stmt&) {});
}

// A ticket waiting to be placed: the regency's front office and managers, and a kecamatan's
// supervisors when the kecamatan is known.
core::Status AddPlacers(Db& db, const Facts& t, std::vector<std::int64_t>* out) {
  return AddGroup(db, t.village, {Role::kFrontOffice, Role::kManager, Role::kSupervisor}, out);
}

// The officers of the level the ticket waits at.
core::Status AddLevel(Db& db, const Facts& t, std::vector<std::int64_t>* out) {
  if (t.level == "village" && !tickets::IsVillageCode(t.village)) return AddPlacers(db, t, out);
  if (t.level == "village") {
    if (auto s = AddGroup(db, t.village, {Role::kFacilitator}, out); !s.ok()) return s;
    if (!out->empty()) return {};
    return AddGroup(db, t.village, {Role::kSupervisor}, out);
  }
  if (t.level == "kecamatan") return AddGroup(db, t.village, {Role::kSupervisor}, out);
  if (t.status == "forwarded") return AddGroup(db, t.village, {Role::kFrontOffice}, out);
  if (t.status == "reviewed" || t.status == "referred") {
    return AddGroup(db, t.village, {Role::kBackOffice}, out);
  }
  return AddGroup(db, t.village, {Role::kManager}, out);
}

core::Status AddHolderOrLevel(Db& db, const Facts& t, std::vector<std::int64_t>* out) {
  if (t.claimed_by != 0) {
    auto ok = Reachable(db, t.claimed_by);
    if (!ok.ok()) return ok.error();
    if (ok.value()) {
      out->push_back(t.claimed_by);
      return {};
    }
  }
  return AddLevel(db, t, out);
}

// Office time of day in minutes.
int MinuteOfDay(std::int64_t now_ms, int utc_offset_minutes) {
  const std::int64_t minutes = now_ms / 60'000 + utc_offset_minutes;
  return static_cast<int>(((minutes % 1440) + 1440) % 1440);
}

}  // namespace

core::Result<std::string> PlaceName(Db& db, const locale::Catalog& catalog,
                                    std::string_view language, std::string_view code) {
  if (!tickets::IsVillageCode(code)) return catalog.Text(language, "officer.alert.unplaced");
  auto name = db.Prepare("SELECT name FROM region WHERE code = ?");
  if (!name.ok()) return name.error();
  name.value()->Bind(1, code);
  std::string place(code);
  auto found = storage::FirstRow(db, *name.value(), "village name",
                                 [&](storage::Stmt& r) { place = r.ColumnText(0); });
  if (!found.ok()) return found.error();
  return place;
}

core::Status NoteAlert(Db& db, std::int64_t ticket_id, std::string_view kind, std::int64_t now_ms) {
  auto q = db.Prepare("INSERT INTO alert_event (ticket_id, kind, at_ms) VALUES (?, ?, ?)");
  if (!q.ok()) return q.error();
  return q.value()->Bind(1, ticket_id).Bind(2, kind).Bind(3, now_ms).Run();
}

AlertRoutes::AlertRoutes(std::string_view users_key)
    : seal_(std::make_unique<conversation::StateSeal>(users_key,
                                                      "satupintu officer alert address v1")) {}

AlertRoutes::~AlertRoutes() = default;

core::Status AlertRoutes::Set(Db& db, std::int64_t user_id, const AlertRoute& route) const {
  const bool phone = std::all_of(route.address.begin(), route.address.end(),
                                 [](char c) { return c >= '0' && c <= '9'; }) &&
                     route.address.size() >= 7 && route.address.size() <= 15;
  const bool telegram = route.address.starts_with("tg:") && route.address.size() > 3;
  if (!phone && !telegram) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "alert address: E.164 digits (6281234567890) or tg:<chat id>");
  }
  if (!route.channel.empty() && adapters::DescriptorOf(route.channel) == nullptr) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "alert channel: kannel:<name>, gammu:<name> or telegram:<name>");
  }
  auto q = db.Prepare(
      "INSERT INTO officer_alert_route (user_id, channel, address, enabled) VALUES (?, ?, ?, ?)"
      " ON CONFLICT (user_id) DO UPDATE SET channel = excluded.channel,"
      " address = excluded.address, enabled = excluded.enabled");
  if (!q.ok()) return q.error();
  return q.value()
      ->Bind(1, user_id)
      .Bind(2, route.channel)
      .BindBlob(3, seal_->Seal(route.address, user_id))
      .Bind(4, std::int64_t{route.enabled ? 1 : 0})
      .Run();
}

core::Result<std::optional<AlertRoute>> AlertRoutes::Of(Db& db, std::int64_t user_id) const {
  auto q =
      db.Prepare("SELECT channel, address, enabled FROM officer_alert_route WHERE user_id = ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, user_id);
  std::optional<AlertRoute> route;
  auto found = storage::FirstRow(db, *q.value(), "alert route", [&](storage::Stmt& r) {
    auto address = seal_->Open(r.ColumnText(1), user_id);
    if (address.has_value()) route = AlertRoute{r.ColumnText(0), *address, r.ColumnInt(2) != 0};
  });
  if (!found.ok()) return found.error();
  return route;
}

core::Status AlertRoutes::Learn(Db& db, std::int64_t user_id, std::string_view channel,
                                std::string_view address) const {
  auto q = db.Prepare(
      "INSERT INTO officer_alert_route (user_id, channel, address) VALUES (?, ?, ?)"
      " ON CONFLICT (user_id) DO NOTHING");
  if (!q.ok()) return q.error();
  return q.value()
      ->Bind(1, user_id)
      .Bind(2, channel)
      .BindBlob(3, seal_->Seal(address, user_id))
      .Run();
}

core::Status SetAlertsEnabled(Db& db, std::int64_t user_id, bool enabled) {
  auto q = db.Prepare("UPDATE officer_alert_route SET enabled = ? WHERE user_id = ?");
  if (!q.ok()) return q.error();
  if (auto s = q.value()->Bind(1, std::int64_t{enabled ? 1 : 0}).Bind(2, user_id).Run(); !s.ok()) {
    return s;
  }
  if (db.Changes() == 0) {
    return core::MakeError(core::ErrorCode::kNotFound, "no alert route for this user");
  }
  if (enabled) return {};
  auto drop =
      db.Prepare("UPDATE officer_alert SET sent_at_ms = -1 WHERE user_id = ? AND sent_at_ms = 0");
  if (!drop.ok()) return drop.error();
  return drop.value()->Bind(1, user_id).Run();
}

Alerts::Alerts(const locale::Catalog* catalog, AlertOptions options)
    : catalog_(catalog), options_(std::move(options)), routes_(options_.users_key) {}

core::Status Alerts::DiscardNoted(Db& db) { return db.Exec("DELETE FROM alert_event"); }

bool Alerts::InQuietHours(std::int64_t now_ms) const {
  const int from = options_.quiet_from_minute;
  const int until = options_.quiet_until_minute;
  if (from == until) return false;
  const int m = MinuteOfDay(now_ms, options_.utc_offset_minutes);
  return from < until ? (m >= from && m < until) : (m >= from || m < until);
}

core::Result<std::vector<std::int64_t>> Alerts::RecipientsOf(Db& db, std::int64_t ticket_id,
                                                             std::string_view kind) {
  std::vector<std::int64_t> out;
  auto facts = FactsOf(db, ticket_id);
  if (!facts.ok()) return facts.error();
  if (!facts.value().has_value()) return out;
  const Facts& t = facts.value().value();
  core::Status s;
  if (kind == "new") {
    if (tickets::IsVillageCode(t.village)) {
      s = AddGroup(db, t.village, {Role::kFacilitator}, &out);
      if (s.ok() && out.empty()) s = AddGroup(db, t.village, {Role::kSupervisor}, &out);
    } else {
      s = AddPlacers(db, t, &out);
    }
  } else if (kind == "escalated") {
    s = t.level == "kecamatan"
            ? AddGroup(db, t.village, {Role::kSupervisor}, &out)
            : AddGroup(db, t.village, {Role::kManager, Role::kFrontOffice}, &out);
  } else if (kind == "forwarded") {
    s = AddGroup(db, t.village, {Role::kFrontOffice}, &out);
  } else if (kind == "reviewed") {
    s = AddGroup(db, t.village, {Role::kBackOffice}, &out);
  } else if (kind == "sla_warning" || kind == kAlertReply) {
    s = AddHolderOrLevel(db, t, &out);
  } else if (kind == "sla_breach") {
    s = AddHolderOrLevel(db, t, &out);
    if (s.ok()) {
      s = t.level == "village" ? AddGroup(db, t.village, {Role::kSupervisor}, &out)
                               : AddGroup(db, t.village, {Role::kManager}, &out);
    }
  }
  if (!s.ok()) return s.error();
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

core::Result<int> Alerts::Expand(Db& db, std::int64_t now_ms, int limit) const {
  struct Noted {
    std::int64_t id, ticket_id;
    std::string kind;
  };
  std::vector<Noted> noted;
  {
    auto q = db.Prepare("SELECT id, ticket_id, kind FROM alert_event ORDER BY id LIMIT ?");
    if (!q.ok()) return q.error();
    q.value()->Bind(1, std::int64_t{limit});
    auto read = storage::ForEachRow(db, *q.value(), "alert events", [&](storage::Stmt& r) {
      noted.push_back({r.ColumnInt(0), r.ColumnInt(1), r.ColumnText(2)});
    });
    if (!read.ok()) return read.error();
  }
  if (noted.empty()) return 0;
  int written = 0;
  for (const auto& n : noted) {
    auto who = RecipientsOf(db, n.ticket_id, n.kind);
    if (!who.ok()) return who.error();
    auto insert = db.Prepare(
        "INSERT INTO officer_alert (user_id, ticket_id, kind, created_at_ms) VALUES (?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING");
    if (!insert.ok()) return insert.error();
    for (std::int64_t user : who.value()) {
      auto s =
          insert.value()->Bind(1, user).Bind(2, n.ticket_id).Bind(3, n.kind).Bind(4, now_ms).Run();
      if (!s.ok()) return s.error();
      ++written;
    }
  }
  auto drop = db.Prepare("DELETE FROM alert_event WHERE id <= ?");
  if (!drop.ok()) return drop.error();
  if (auto s = drop.value()->Bind(1, noted.back().id).Run(); !s.ok()) return s.error();
  return written;
}

core::Result<std::optional<compose::Outgoing>> Alerts::DigestFor(Db& db, std::int64_t user_id,
                                                                 std::int64_t now_ms) const {
  using None = std::optional<compose::Outgoing>;
  auto user = users::Get(db, user_id);
  if (!user.ok()) return user.error();
  auto route = routes_.Of(db, user_id);
  if (!route.ok()) return route.error();
  auto hold = db.Prepare("UPDATE officer_alert_route SET next_at_ms = ? WHERE user_id = ?");
  if (!hold.ok()) return hold.error();
  if (auto s = hold.value()->Bind(1, now_ms + options_.interval_ms).Bind(2, user_id).Run();
      !s.ok()) {
    return s.error();
  }
  const std::string channel = route.value().has_value() && !route.value()->channel.empty()
                                  ? route.value()->channel
                                  : options_.sms_channel;
  if (!user.value().has_value() || user.value()->disabled() || !route.value().has_value() ||
      channel.empty() || !options_.channels.contains(channel)) {
    // Nothing can carry them now: they wait (an interval later, the route may be mended).
    core::log::Warn("alerts.no_route").Int("user_id", user_id);
    return None{};
  }
  struct Item {
    std::int64_t id;
    std::string kind, code, category, village;
  };
  std::vector<Item> items;
  {
    auto q = db.Prepare(
        "SELECT a.id, a.kind, t.code, t.category, t.village_code FROM officer_alert a"
        " JOIN ticket t ON t.id = a.ticket_id WHERE a.user_id = ? AND a.sent_at_ms = 0"
        " ORDER BY a.id");
    if (!q.ok()) return q.error();
    q.value()->Bind(1, user_id);
    auto read = storage::ForEachRow(db, *q.value(), "officer alerts", [&](storage::Stmt& r) {
      items.push_back(
          {r.ColumnInt(0), r.ColumnText(1), r.ColumnText(2), r.ColumnText(3), r.ColumnText(4)});
    });
    if (!read.ok()) return read.error();
  }
  if (items.empty()) return None{};
  const std::string& lang = user.value()->language;
  auto kind_label = [&](const std::string& kind) {
    return catalog_->Text(lang, "officer.alert.kind." + kind);
  };
  // One line per ticket and kind, newest change last; the same change twice is one line.
  std::vector<std::string> lines;
  for (const auto& item : items) {
    std::string line = item.code + " " + kind_label(item.kind);
    if (std::find(lines.begin(), lines.end(), line) == lines.end()) lines.push_back(line);
  }
  core::Result<std::string> text = std::string();
  if (lines.size() == 1) {
    const Item& item = items.front();
    std::string category = item.category;
    if (!category.empty() && catalog_->Has("category." + category)) {
      category = catalog_->Text(lang, "category." + category);
    }
    auto place = PlaceName(db, *catalog_, lang, item.village);
    if (!place.ok()) return place.error();
    const locale::Args args{{"kode", item.code},
                            {"jenis", kind_label(item.kind)},
                            {"kategori", category},
                            {"tempat", place.value()}};
    text = catalog_->Render(lang, "officer.alert.one", args);
    if (text.ok() && !FitsOneSms(text.value())) {
      text = catalog_->Render(lang, "officer.alert.one_short", args);
    }
  } else {
    // As many lines as fit one SMS, the count of the others after them.
    std::size_t shown = lines.size();
    while (true) {
      std::string list;
      for (std::size_t i = 0; i < shown; ++i) list += (i > 0 ? "\n" : "") + lines[i];
      if (shown < lines.size()) {
        auto more = catalog_->Render(lang, "officer.alert.more",
                                     {{"sisa", static_cast<std::int64_t>(lines.size() - shown)}});
        if (!more.ok()) return more.error();
        list += "\n" + more.value();
      }
      text =
          catalog_->Render(lang, "officer.alert.digest",
                           {{"jumlah", static_cast<std::int64_t>(lines.size())}, {"daftar", list}});
      if (!text.ok() || FitsOneSms(text.value()) || shown == 1) break;
      --shown;
    }
  }
  if (!text.ok()) return text.error();
  auto sent = db.Prepare(
      "UPDATE officer_alert SET sent_at_ms = ? WHERE user_id = ? AND sent_at_ms = 0 AND id <= ?");
  if (!sent.ok()) return sent.error();
  if (auto s = sent.value()->Bind(1, now_ms).Bind(2, user_id).Bind(3, items.back().id).Run();
      !s.ok()) {
    return s.error();
  }
  compose::Outgoing o;
  o.key = "alert-" + std::to_string(user_id) + "-" + std::to_string(items.back().id);
  o.channel = channel;
  o.address = route.value()->address;
  o.priority = outbox::Priority::kNotification;
  o.text = std::move(text).value();
  return std::optional<compose::Outgoing>{std::move(o)};
}

core::Result<std::vector<compose::Outgoing>> Alerts::PassIn(Db& db, std::int64_t now_ms, int limit,
                                                            AlertStats* stats) const {
  std::vector<compose::Outgoing> out;
  auto written = Expand(db, now_ms, limit);
  if (!written.ok()) return written.error();
  if (stats != nullptr) stats->alerts += written.value();
  if (InQuietHours(now_ms)) return out;
  std::vector<std::int64_t> due;
  {
    auto q = db.Prepare(
        "SELECT DISTINCT a.user_id FROM officer_alert a"
        " JOIN officer_alert_route r ON r.user_id = a.user_id"
        " WHERE a.sent_at_ms = 0 AND r.enabled = 1 AND r.next_at_ms <= ? LIMIT ?");
    if (!q.ok()) return q.error();
    q.value()->Bind(1, now_ms).Bind(2, std::int64_t{limit});
    auto read = storage::ForEachRow(db, *q.value(), "due officers",
                                    [&](storage::Stmt& r) { due.push_back(r.ColumnInt(0)); });
    if (!read.ok()) return read.error();
  }
  for (std::int64_t user : due) {
    auto digest = DigestFor(db, user, now_ms);
    if (!digest.ok()) return digest.error();
    if (digest.value().has_value()) {
      out.push_back(std::move(digest.value().value()));
      if (stats != nullptr) ++stats->digests;
    }
  }
  return out;
}

}  // namespace satupintu::backoffice
