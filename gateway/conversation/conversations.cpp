#include "conversation/conversations.hpp"

#include <openssl/crypto.h>

#include <chrono>
#include <optional>
#include <utility>

#include "adapters/channels.hpp"
#include "audit/audit_log.hpp"
#include "citizens/citizens.hpp"
#include "conversation/categories.hpp"
#include "conversation/medium.hpp"
#include "conversation/services.hpp"
#include "core/log.hpp"
#include "regions/region_index.hpp"
#include "registry/citizen_check.hpp"
#include "registry/identity_hash.hpp"
#include "registry/registry.hpp"
#include "registry_io/dates.hpp"
#include "registry_io/nik.hpp"
#include "subject/restriction.hpp"
#include "text/fold.hpp"
#include "tickets/tickets.hpp"
#include "tickets/workflow.hpp"

namespace satupintu::conversation {
namespace {

using storage::Db;

constexpr int kMaxCallsPerTurn = 16;
// A restricted citizen's reminder or expiry waits this long, again and again until the
// restriction is lifted: their dialog is not processed, and due timers of others are not held up.
constexpr std::int64_t kRestrictedTimerDelayMs = 3'600'000;

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

core::Result<std::vector<compose::Outgoing>> Conversations::OnMessage(Db& db, const Message& m,
                                                                      std::int64_t now_ms) {
  auto opted_out = citizens::IsOptedOut(db, m.address);
  if (!opted_out.ok()) return opted_out.error();
  const auto* action = engine_.Dialogs().Keyword(text::FoldForMatch(m.text));
  const bool start = action != nullptr && *action == dialog::KeywordAction::kStart;
  // A restriction of processing (subject/restriction.hpp): the message stays in the journal,
  // and the only answer is the one that says so.
  auto restricted = subject::IsRestricted(db, m.citizen_id);
  if (!restricted.ok()) return restricted.error();
  if (restricted.value()) {
    std::vector<compose::Outgoing> out;
    if (opted_out.value()) return out;
    auto chosen = citizens::LanguageOf(db, m.citizen_id);
    if (!chosen.ok()) return chosen.error();
    compose::Outgoing o;
    o.key = "dlg-" + std::to_string(m.journal_id) + "-0";
    o.channel = m.channel;
    o.address = m.address;
    o.text =
        catalog_.Text(chosen.value().value_or(m.language_hint.substr(0, 2)), "privacy.restricted");
    out.push_back(std::move(o));
    return out;
  }
  if (opted_out.value() && !start) return std::vector<compose::Outgoing>{};
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
  in.today = OfficeDayOf(now_ms, services_.utc_offset_minutes);
  return Run(db, c.value(), in, "dlg-" + std::to_string(m.journal_id));
}

core::Result<std::vector<compose::Outgoing>> Conversations::OnTimers(Db& db, std::int64_t now_ms,
                                                                     int limit) {
  auto q = db.Prepare(
      "SELECT citizen_id, timer_at_ms FROM conversation WHERE timer_at_ms IS NOT NULL"
      " AND timer_at_ms <= ? ORDER BY timer_at_ms LIMIT ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, now_ms).Bind(2, static_cast<std::int64_t>(limit));
  std::vector<std::pair<std::int64_t, std::int64_t>> due;
  auto rows = storage::ForEachRow(db, *q.value(), "due conversations", [&](storage::Stmt& row) {
    due.emplace_back(row.ColumnInt(0), row.ColumnInt(1));
  });
  if (!rows.ok()) return rows.error();
  std::vector<compose::Outgoing> out;
  for (const auto& [citizen_id, at_ms] : due) {
    auto restricted = subject::IsRestricted(db, citizen_id);
    if (!restricted.ok()) return restricted.error();
    if (restricted.value()) {
      auto later = db.Prepare("UPDATE conversation SET timer_at_ms = ? WHERE citizen_id = ?");
      if (!later.ok()) return later.error();
      if (auto s =
              later.value()->Bind(1, now_ms + kRestrictedTimerDelayMs).Bind(2, citizen_id).Run();
          !s.ok()) {
        return s.error();
      }
      continue;
    }
    auto c = Load(db, citizen_id, "", "", "");
    if (!c.ok()) return c.error();
    dialog::Input in;
    in.kind = dialog::Input::Kind::kTimer;
    in.now_ms = now_ms;
    in.today = OfficeDayOf(now_ms, services_.utc_offset_minutes);
    auto replies =
        Run(db, c.value(), in, "dlt-" + std::to_string(citizen_id) + "-" + std::to_string(at_ms));
    if (!replies.ok()) return replies.error();
    for (auto& r : replies.value()) out.push_back(std::move(r));
  }
  return out;
}

core::Result<std::vector<compose::Outgoing>> Conversations::Start(
    Db& db, std::int64_t citizen_id, const std::string& flow,
    const std::map<std::string, std::string>& slots, std::int64_t now_ms) {
  auto restricted = subject::IsRestricted(db, citizen_id);
  if (!restricted.ok()) return restricted.error();
  if (restricted.value()) return std::vector<compose::Outgoing>{};
  auto c = Load(db, citizen_id, "", "", "");
  if (!c.ok()) return c.error();
  if (c.value().channel.empty()) return std::vector<compose::Outgoing>{};
  dialog::Input in;
  in.kind = dialog::Input::Kind::kStart;
  in.flow = flow;
  in.slots = slots;
  in.now_ms = now_ms;
  in.today = OfficeDayOf(now_ms, services_.utc_offset_minutes);
  return Run(db, c.value(), in, "dls-" + std::to_string(citizen_id) + "-" + std::to_string(now_ms));
}

core::Result<bool> Conversations::Idle(Db& db, std::int64_t citizen_id) {
  auto c = Load(db, citizen_id, "", "", "");
  if (!c.ok()) return c.error();
  return c.value().state.Idle();
}

core::Result<std::vector<compose::Outgoing>> Conversations::Run(Db& db, Loaded& c,
                                                                const dialog::Input& input,
                                                                const std::string& key_prefix) {
  std::vector<dialog::Reply> replies;
  // The categories an administrator keeps in the store, read only if the turn needs them.
  const StoreCategories categories(db, engine_.Dialogs());
  // What fits one message on the citizen's channel: long choices go in pages, echoes in GSM-7.
  const ChannelMedium medium(catalog_, c.channel);
  dialog::Input first = input;
  first.categories = &categories;
  first.medium = &medium;
  dialog::Output out = engine_.Step(c.state, first);
  for (int calls = 0; out.call && calls < kMaxCallsPerTurn; ++calls) {
    for (auto& r : out.replies) replies.push_back(std::move(r));
    auto result = Call(db, c, *out.call, input);
    if (!result.ok()) return result.error();
    result.value().now_ms = input.now_ms;
    result.value().today = input.today;
    result.value().categories = &categories;
    result.value().medium = &medium;
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

  std::vector<compose::Outgoing> outgoing;
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
  const auto& services = AllServices();
  const auto it = services.find(call.service);
  if (it == services.end()) {
    return core::MakeError(core::ErrorCode::kInternal, "unknown service " + call.service);
  }
  const ServiceContext ctx{db,        services_,        catalog_, c.citizen_id, c.channel,
                           c.address, c.state.language, call,     turn};
  return it->second.handler(ctx);
}

compose::Outgoing ToOutgoing(const dialog::Reply& reply, const std::string& channel,
                             const std::string& address, const std::string& key,
                             const std::string& list_button_label,
                             const std::string& reply_number) {
  compose::Outgoing o;
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

std::string Preview(const compose::Outgoing& out) {
  const adapters::ChannelDescriptor* descriptor = adapters::DescriptorOf(out.channel);
  if (descriptor != nullptr && descriptor->IsSms()) {
    return compose::RenderChoicesAsText(out.text, out.choices);
  }
  std::string s = out.text;
  if (!out.list_button_label.empty()) s += "\n<" + out.list_button_label + ">";
  for (const auto& [id, title] : out.choices) s += "\n[" + title + "]";
  return s;
}

}  // namespace satupintu::conversation
