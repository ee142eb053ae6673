#include "conversation/conversations.hpp"

#include <openssl/crypto.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "adapters/channels.hpp"
#include "audit/audit_log.hpp"
#include "citizens/citizens.hpp"
#include "core/log.hpp"
#include "regions/region_index.hpp"
#include "registry/citizen_check.hpp"
#include "registry/dates.hpp"
#include "registry/identity_hash.hpp"
#include "registry/nik.hpp"
#include "registry/registry.hpp"
#include "text/fold.hpp"
#include "tickets/tickets.hpp"
#include "tickets/workflow.hpp"

namespace satupintu::conversation {
namespace {

using storage::Db;

constexpr int kMaxCallsPerTurn = 16;
constexpr std::size_t kVillageCandidates = 9;  // + "none of these" = one WhatsApp list

// The citizen's word for a ticket status: the hand-overs inside the office read as one.
std::string CitizenStatusLabelKey(const std::string& status) {
  return tickets::CitizenStatusKey(
      tickets::StatusFromName(status).value_or(tickets::Status::kVerified));
}

// "Sukamaju, Kec. Cibadak, Kab. Sukabumi" -> "Sukamaju, Kec. Cibadak": every village a
// regency's gateway offers is in that regency, and the SMS is short. A nationwide gateway
// (no home regency) keeps the regency.
std::string VillageLabel(const std::string& label, const std::string& home_regency) {
  if (home_regency.empty()) return label;
  const auto first = label.find(", ");
  const auto second = first == std::string::npos ? first : label.find(", ", first + 2);
  return second == std::string::npos ? label : label.substr(0, second);
}

// One exact match above the others, or the only match: taken without asking.
bool SingleMatch(const std::vector<regions::SearchHit>& hits) {
  return hits.size() == 1 || (!hits.empty() && hits[0].how == regions::MatchKind::kExact &&
                              hits[1].how != regions::MatchKind::kExact);
}

std::string CutCodePoints(const std::string& s, std::size_t max) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (n == max - 1) {
      // Does the rest fit in one more code point?
      std::size_t rest = 0;
      for (std::size_t j = i; j < s.size(); ++j) {
        rest += (static_cast<unsigned char>(s[j]) & 0xC0) != 0x80;
      }
      if (rest <= 1) return s;
      return s.substr(0, i) + "\xE2\x80\xA6";  // U+2026 ellipsis
    }
    ++n;
  }
  return s;
}

// The calendar day of an instant in the server's local time (the office's day).
// What the registry says of `nik` now, kept with a new ticket: the JSON and the audit outcome.
// nullopt when the registry cannot answer (no snapshot yet): the ticket opens without it.
std::optional<std::pair<std::string, std::string>> RegistrySnapshotAtOpening(
    registry::Registry& reg, const std::string& nik) {
  auto current = reg.Current();
  if (!current.ok()) return std::nullopt;
  auto person = reg.ByNik(nik);
  if (!person.ok()) return std::nullopt;
  nlohmann::json j = {{"snapshot_date", current.value().snapshot_date},
                      {"found", person.value().has_value()}};
  if (person.value().has_value()) {
    const auto& p = person.value().value();
    j["status"] = p.status;
    j["desil"] = p.desil;
    j["village_code"] = p.village_code;
    auto programmes = nlohmann::json::array();
    for (const auto& pr : p.programmes) {
      programmes.push_back({{"code", pr.code}, {"from", pr.from}, {"to", pr.to}});
    }
    j["programmes"] = std::move(programmes);
  }
  return std::make_pair(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                        std::string(person.value().has_value() ? "found" : "not_found"));
}

registry::CivilDate TodayOf(std::int64_t ms) {
  const auto t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

std::string Arg(const dialog::ServiceCall& call, const char* name) {
  auto it = call.args.find(name);
  return it == call.args.end() ? std::string() : it->second;
}

dialog::Input Result(std::string outcome, std::map<std::string, std::string> slots = {}) {
  dialog::Input in;
  in.kind = dialog::Input::Kind::kResult;
  in.outcome = std::move(outcome);
  in.slots = std::move(slots);
  return in;
}

// "YYYY-MM" -> "MM/YYYY".
std::string MonthYear(const std::string& ym) {
  if (ym.size() != 7) return ym;
  return ym.substr(5, 2) + "/" + ym.substr(0, 4);
}

}  // namespace

struct Conversations::Loaded {
  std::int64_t citizen_id = 0;
  std::string channel;
  std::string address;
  dialog::State state;
};

Conversations::Conversations(const dialog::Engine& engine, const locale::Catalog& catalog,
                             Services services)
    : engine_(engine),
      catalog_(catalog),
      services_(std::move(services)),
      seal_(services_.state_key) {
  OPENSSL_cleanse(services_.state_key.data(), services_.state_key.size());
  services_.state_key.clear();
}

core::Result<Conversations::Loaded> Conversations::Load(Db& db, std::int64_t citizen_id,
                                                        const std::string& channel,
                                                        const std::string& address,
                                                        const std::string& hint) {
  Loaded c;
  c.citizen_id = citizen_id;
  c.channel = channel;
  c.address = address;
  auto q = db.Prepare("SELECT state, channel, address FROM conversation WHERE citizen_id = ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, citizen_id);
  const int rc = q.value()->Step();
  bool found = false;
  if (rc == SQLITE_ROW) {
    const std::string stored = q.value()->ColumnText(0);
    std::optional<std::string> plain;
    if (StateSeal::LooksSealed(stored)) {
      plain = seal_.Open(stored, citizen_id);
    } else if (stored.starts_with('{')) {
      plain = stored;  // written before states were sealed; sealed when saved below
    }
    std::optional<dialog::State> s;
    if (plain.has_value()) s = dialog::ParseState(plain.value());
    if (s.has_value()) {
      c.state = std::move(s.value());
      found = true;
    } else {
      // Written by another version, damaged, or sealed with a lost key: the citizen starts at
      // the menu again.
      core::log::Warn("conversation.state_unreadable").Int("citizen_id", citizen_id);
    }
    if (c.channel.empty()) c.channel = q.value()->ColumnText(1);
    if (c.address.empty()) c.address = q.value()->ColumnText(2);
  }
  q.value()->Reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db.LastError("load conversation");
  // The language chosen with BAHASA wins; a new conversation starts in the provider's hint.
  auto chosen = citizens::LanguageOf(db, citizen_id);
  if (!chosen.ok()) return chosen.error();
  const auto languages = catalog_.Languages();
  auto known = [&](const std::string& l) {
    return std::find(languages.begin(), languages.end(), l) != languages.end();
  };
  if (chosen.value() && known(**chosen)) {
    c.state.language = **chosen;
  } else if (!found && known(hint.substr(0, 2))) {
    c.state.language = hint.substr(0, 2);
  }
  if (!known(c.state.language)) c.state.language = std::string(locale::Catalog::kReference);
  return c;
}

core::Result<std::vector<outbound::Outgoing>> Conversations::OnMessage(Db& db, const Message& m,
                                                                       std::int64_t now_ms) {
  auto opted_out = citizens::IsOptedOut(db, m.address);
  if (!opted_out.ok()) return opted_out.error();
  const auto* action = engine_.Dialogs().Keyword(text::FoldForMatch(m.text));
  const bool start = action != nullptr && *action == dialog::KeywordAction::kStart;
  if (opted_out.value() && !start) return std::vector<outbound::Outgoing>{};
  auto c = Load(db, m.citizen_id, m.channel, m.address, m.language_hint);
  if (!c.ok()) return c.error();
  c.value().channel = m.channel;
  c.value().address = m.address;
  dialog::Input in;
  in.kind = dialog::Input::Kind::kMessage;
  // MULAI / Telegram's /start from someone who never opted out: the menu, not "welcome back".
  in.text = start && !opted_out.value() ? "menu" : m.text;
  in.choice_id = m.choice_id;
  in.now_ms = now_ms;
  in.today = TodayOf(now_ms);
  return Run(db, c.value(), in, "dlg-" + std::to_string(m.journal_id));
}

core::Result<std::vector<outbound::Outgoing>> Conversations::OnTimers(Db& db, std::int64_t now_ms,
                                                                      int limit) {
  auto q = db.Prepare(
      "SELECT citizen_id, timer_at_ms FROM conversation WHERE timer_at_ms IS NOT NULL"
      " AND timer_at_ms <= ? ORDER BY timer_at_ms LIMIT ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, now_ms).Bind(2, static_cast<std::int64_t>(limit));
  std::vector<std::pair<std::int64_t, std::int64_t>> due;
  int rc;
  while ((rc = q.value()->Step()) == SQLITE_ROW) {
    due.emplace_back(q.value()->ColumnInt(0), q.value()->ColumnInt(1));
  }
  q.value()->Reset();
  if (rc != SQLITE_DONE) return db.LastError("due conversations");
  std::vector<outbound::Outgoing> out;
  for (const auto& [citizen_id, at_ms] : due) {
    auto c = Load(db, citizen_id, "", "", "");
    if (!c.ok()) return c.error();
    dialog::Input in;
    in.kind = dialog::Input::Kind::kTimer;
    in.now_ms = now_ms;
    in.today = TodayOf(now_ms);
    auto replies =
        Run(db, c.value(), in, "dlt-" + std::to_string(citizen_id) + "-" + std::to_string(at_ms));
    if (!replies.ok()) return replies.error();
    for (auto& r : replies.value()) out.push_back(std::move(r));
  }
  return out;
}

core::Result<std::vector<outbound::Outgoing>> Conversations::Start(
    Db& db, std::int64_t citizen_id, const std::string& flow,
    const std::map<std::string, std::string>& slots, std::int64_t now_ms) {
  auto c = Load(db, citizen_id, "", "", "");
  if (!c.ok()) return c.error();
  if (c.value().channel.empty()) return std::vector<outbound::Outgoing>{};
  dialog::Input in;
  in.kind = dialog::Input::Kind::kStart;
  in.flow = flow;
  in.slots = slots;
  in.now_ms = now_ms;
  in.today = TodayOf(now_ms);
  return Run(db, c.value(), in, "dls-" + std::to_string(citizen_id) + "-" + std::to_string(now_ms));
}

core::Result<std::vector<outbound::Outgoing>> Conversations::Run(Db& db, Loaded& c,
                                                                 const dialog::Input& input,
                                                                 const std::string& key_prefix) {
  std::vector<dialog::Reply> replies;
  dialog::Output out = engine_.Step(c.state, input);
  for (int calls = 0; out.call && calls < kMaxCallsPerTurn; ++calls) {
    for (auto& r : out.replies) replies.push_back(std::move(r));
    auto result = Call(db, c, *out.call, input);
    if (!result.ok()) return result.error();
    result.value().now_ms = input.now_ms;
    result.value().today = input.today;
    out = engine_.Step(c.state, result.value());
  }
  for (auto& r : out.replies) replies.push_back(std::move(r));

  auto save = db.Prepare(
      "INSERT INTO conversation (citizen_id, channel, address, state, timer_at_ms, updated_at_ms)"
      " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (citizen_id) DO UPDATE SET"
      " channel = excluded.channel, address = excluded.address, state = excluded.state,"
      " timer_at_ms = excluded.timer_at_ms, updated_at_ms = excluded.updated_at_ms");
  if (!save.ok()) return save.error();
  auto* q = save.value();
  q->Bind(1, c.citizen_id)
      .Bind(2, c.channel)
      .Bind(3, c.address)
      .BindBlob(4, seal_.Seal(dialog::SerializeState(c.state), c.citizen_id));
  if (const std::int64_t due = engine_.TimerDue(c.state); due > 0) {
    q->Bind(5, due);
  } else {
    q->BindNull(5);
  }
  q->Bind(6, input.now_ms);
  if (auto s = q->Run(); !s.ok()) return s.error();

  std::vector<outbound::Outgoing> outgoing;
  const std::string list_label = catalog_.Text(c.state.language, "channel.list_button");
  const std::string reply_number = catalog_.Text(c.state.language, "dialog.reply_number");
  for (std::size_t i = 0; i < replies.size(); ++i) {
    outgoing.push_back(ToOutgoing(replies[i], c.channel, c.address,
                                  key_prefix + "-" + std::to_string(i), list_label, reply_number));
  }
  return outgoing;
}

core::Result<dialog::Input> Conversations::Call(Db& db, const Loaded& c,
                                                const dialog::ServiceCall& call,
                                                const dialog::Input& turn) {
  const std::string& lang = c.state.language;
  const std::string actor = "citizen:" + std::to_string(c.citizen_id);
  auto audit = [&](const std::string& action, const std::string& object, const std::string& purpose,
                   const std::string& outcome) -> core::Status {
    audit::Entry e;
    e.at_ms = turn.now_ms;
    e.actor = actor;
    e.action = action;
    e.object = object;
    e.purpose = purpose;
    e.outcome = outcome;
    auto id = audit::Append(db, e);
    if (!id.ok()) return id.error();
    return {};
  };
  auto village_label = [&](const std::string& code) -> std::string {
    if (!services_.regions) return code;
    const auto* r = services_.regions->Find(code);
    return r == nullptr ? code : services_.regions->Label(*r);
  };
  auto hash = [&](std::string_view kind, const std::string& digits) -> std::string {
    if (digits.empty() || services_.registry == nullptr) return "";
    auto h = services_.registry->Hash(kind, digits);
    return h.ok() ? registry::HexOf(h.value()) : "";
  };

  if (call.service == "registry.person") {
    const std::string nik = Arg(call, "nik");
    if (services_.registry == nullptr || nik.empty()) return Result("unavailable");
    auto person = services_.registry->ByNik(nik);
    if (!person.ok()) return Result("unavailable");
    const std::string outcome = person.value() ? "found" : "not_found";
    if (auto s = audit("registry.read.dialog", "nik:" + registry::MaskId(nik),
                       "complaint intake: village of the complainant", outcome);
        !s.ok()) {
      return s.error();
    }
    if (!person.value()) return Result("not_found");
    const auto& p = *person.value();
    return Result("found", {{"village_code", p.village_code},
                            {"village_code_label", village_label(p.village_code)},
                            {"name", p.name},
                            {"birth_date", p.birth_date}});
  }
  if (call.service == "registry.check") {
    if (services_.check == nullptr) return Result("unavailable");
    registry::CitizenCheckRequest req;
    req.citizen_id = c.citizen_id;
    if (citizens::KindOf(c.address) == citizens::AddressKind::kPhone) req.phone_e164 = c.address;
    req.nik_text = Arg(call, "nik");
    req.name = Arg(call, "name");
    req.channel = c.channel;
    auto answer = services_.check->Run(db, req, turn.now_ms, turn.today.ToIso());
    if (!answer.ok()) return Result("unavailable");
    const auto& a = answer.value();
    std::map<std::string, std::string> slots{{"snapshot_date", a.snapshot_date}};
    switch (a.outcome) {
      case registry::CheckOutcome::kRateLimited:
        return Result("limited", slots);
      case registry::CheckOutcome::kInvalidNik:
        return Result("invalid_nik", slots);
      case registry::CheckOutcome::kNoMatch:
        return Result("no_match", slots);
      case registry::CheckOutcome::kMatch:
        break;
    }
    if (!a.listed) return Result("not_listed", slots);
    std::string programmes;
    for (const auto& p : a.programmes) {
      auto line = catalog_.Render(
          lang, p.to.empty() ? "check.programme_running" : "check.programme_ended",
          {{"kode", p.code}, {"dari", MonthYear(p.from)}, {"sampai", MonthYear(p.to)}});
      if (!line.ok()) continue;
      programmes += (programmes.empty() ? "" : "; ") + line.value();
    }
    if (programmes.empty()) programmes = catalog_.Text(lang, "check.no_programme");
    slots["desil"] = std::to_string(a.desil);
    slots["programmes"] = programmes;
    return Result("listed", slots);
  }
  if (call.service == "regions.search") {
    if (!services_.regions) return Result("none");
    // A regency's gateway serves its own villages: a name found only elsewhere in Indonesia
    // (or a kecamatan of the regency spelt like a village far away) is not the citizen's
    // village, so it is never accepted, not even as the only exact match.
    regions::SearchOptions options;
    options.within = services_.home_regency;
    options.level = regions::Level::kVillage;
    options.limit = kVillageCandidates;
    const std::string query = Arg(call, "query");
    const auto hits = services_.regions->Search(query, options);
    if (hits.empty()) {
      // The prompt invites the kecamatan's name: one kecamatan found lists its villages when
      // they fit one choice (<= 9); a larger one needs the village's own name.
      options.level = regions::Level::kDistrict;
      const auto districts = services_.regions->Search(query, options);
      if (!SingleMatch(districts)) return Result("none");
      const auto villages = services_.regions->Children(districts[0].region->code);
      if (villages.empty() || villages.size() > kVillageCandidates) return Result("none");
      dialog::Input in = Result("many");
      for (const auto& v : villages) in.candidates.emplace_back(v.code, v.name);
      in.candidates.emplace_back("none", catalog_.Text(lang, "dialog.none_of_these"));
      return in;
    }
    const std::string& home = services_.home_regency;
    if (SingleMatch(hits)) {
      return Result("one", {{"village_code", hits[0].region->code},
                            {"village_code_label", VillageLabel(hits[0].label, home)}});
    }
    dialog::Input in = Result("many");
    for (const auto& h : hits)
      in.candidates.emplace_back(h.region->code, VillageLabel(h.label, home));
    in.candidates.emplace_back("none", catalog_.Text(lang, "dialog.none_of_these"));
    return in;
  }
  if (call.service == "tickets.open") {
    tickets::NewTicket t;
    t.type = tickets::TypeFromName(Arg(call, "type")).value_or(tickets::Type::kComplaint);
    t.citizen_id = c.citizen_id;
    t.channel = c.channel;
    t.category = Arg(call, "category");
    const std::string nik = Arg(call, "nik");
    const std::string kk = Arg(call, "kk");
    t.nik_hash = hash("nik", nik);
    t.nik_masked = nik.empty() ? "" : registry::MaskId(nik);
    t.kk_hash = hash("kk", kk);
    t.kk_masked = kk.empty() ? "" : registry::MaskId(kk);
    t.name = Arg(call, "name");
    t.birth_date = Arg(call, "birth_date");
    t.village_code = Arg(call, "village_code");
    t.household = std::atoi(Arg(call, "household").c_str());
    t.description = Arg(call, "description");
    t.priority = tickets::PriorityAtOpening(t.category, t.birth_date, turn.today.ToIso());
    if (!nik.empty() && services_.registry != nullptr) {
      auto snapshot = RegistrySnapshotAtOpening(*services_.registry, nik);
      if (snapshot.has_value()) {
        if (auto s = audit("registry.read.ticket", "nik:" + registry::MaskId(nik),
                           "ticket opening: registry situation kept with the ticket",
                           snapshot.value().second);
            !s.ok()) {
          return s.error();
        }
        t.registry_snapshot = snapshot.value().first;
      }
    }
    auto code = tickets::Open(db, t, turn.now_ms, services_.code_suffix);
    if (!code.ok()) return Result("failed");
    if (auto s = audit("ticket.open", "ticket:" + code.value(), "citizen request", "opened");
        !s.ok()) {
      return s.error();
    }
    return Result("opened", {{"ticket_code", code.value()}});
  }
  if (call.service == "tickets.status") {
    auto ticket = tickets::Find(db, Arg(call, "code"));
    if (!ticket.ok()) return ticket.error();
    if (!ticket.value()) return Result("not_found");
    return Result("found", {{"ticket_status_label",
                             catalog_.Text(lang, CitizenStatusLabelKey(ticket.value()->status))},
                            {"ticket_updated", TodayOf(ticket.value()->updated_at_ms).ToIso()}});
  }
  if (call.service == "tickets.mine") {
    auto mine = tickets::OfCitizen(db, c.citizen_id, 3);
    if (!mine.ok()) return mine.error();
    if (mine.value().empty()) return Result("none");
    std::string list;
    for (const auto& t : mine.value()) {
      list += (list.empty() ? "" : "\n") + t.code + ": " +
              catalog_.Text(lang, CitizenStatusLabelKey(t.status));
    }
    return Result("some", {{"ticket_list", list}});
  }
  if (call.service == "survey.save") {
    auto s = tickets::SaveSurvey(db, Arg(call, "ticket"), std::atoi(Arg(call, "rating").c_str()),
                                 Arg(call, "comment"), turn.now_ms);
    // An unknown ticket or a rating out of 1-5 (the dialog validated it) is not worth a failure
    // of the whole turn: the citizen is thanked either way.
    if (!s.ok() && (s.error().code == core::ErrorCode::kNotFound ||
                    s.error().code == core::ErrorCode::kInvalidArgument)) {
      return Result("not_found");
    }
    if (!s.ok()) return s.error();
    return Result("saved");
  }
  if (call.service == "citizen.opt_out") {
    if (auto s = citizens::MarkOptedOut(db, c.address, turn.now_ms); !s.ok()) return s.error();
    return Result("done");
  }
  if (call.service == "citizen.opt_in") {
    if (auto s = citizens::ClearOptOut(db, c.address); !s.ok()) return s.error();
    return Result("done");
  }
  if (call.service == "citizen.set_language") {
    const std::string language = Arg(call, "language");
    if (auto s = citizens::SetLanguage(db, c.citizen_id, language); !s.ok()) return s.error();
    return Result("done", {{"language", language}});
  }
  return core::MakeError(core::ErrorCode::kInternal, "unknown service " + call.service);
}

outbound::Outgoing ToOutgoing(const dialog::Reply& reply, const std::string& channel,
                              const std::string& address, const std::string& key,
                              const std::string& list_button_label,
                              const std::string& reply_number) {
  outbound::Outgoing o;
  o.key = key;
  o.channel = channel;
  o.address = address;
  o.text = reply.text;
  o.choices = reply.choices;
  o.opt_out_notice = reply.key == "optout.done";
  const adapters::ChannelDescriptor* descriptor = adapters::DescriptorOf(channel);
  const bool sms = descriptor != nullptr && descriptor->IsSms();
  // A yes/no question says "Balas YA atau TIDAK" itself: numbered lines would cost a second SMS.
  if (sms && o.choices.size() == 2 && o.choices[0].first == "yes" && o.choices[1].first == "no") {
    o.choices.clear();
  }
  // Numbered lines exist only in an SMS: there the prompt says to reply with a number; buttons
  // and lists are tapped.
  if (sms && !o.choices.empty() && !reply_number.empty()) o.text += " " + reply_number;
  if (descriptor != nullptr && descriptor->buttons && !o.choices.empty()) {
    // More choices than buttons go as a list, with a label on the button that opens it.
    const bool list = descriptor->max_buttons > 0 && o.choices.size() > descriptor->max_buttons;
    const std::size_t max = list ? descriptor->max_list_title : descriptor->max_button_title;
    if (max > 0) {
      for (auto& [id, title] : o.choices) title = CutCodePoints(title, max);
    }
    if (list) o.list_button_label = list_button_label;
  }
  return o;
}

std::string Preview(const outbound::Outgoing& out) {
  const adapters::ChannelDescriptor* descriptor = adapters::DescriptorOf(out.channel);
  if (descriptor != nullptr && descriptor->IsSms()) {
    return outbound::RenderChoicesAsText(out.text, out.choices);
  }
  std::string s = out.text;
  if (!out.list_button_label.empty()) s += "\n<" + out.list_button_label + ">";
  for (const auto& [id, title] : out.choices) s += "\n[" + title + "]";
  return s;
}

}  // namespace satupintu::conversation
