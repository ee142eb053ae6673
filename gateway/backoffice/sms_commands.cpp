#include "backoffice/sms_commands.hpp"

#include "backoffice/alerts.hpp"
#include "backoffice/sms_fit.hpp"

#include <algorithm>
#include <cctype>

#include "adapters/channels.hpp"
#include "adapters/sms/analysis.hpp"
#include "adapters/sms/substitute.hpp"
#include "core/redact.hpp"
#include "dialog/validate.hpp"
#include "tickets/cases.hpp"
#include "tickets/catalogue.hpp"
#include "understand/lexicon.hpp"
#include "users/users.hpp"

namespace satupintu::backoffice {
namespace {

using storage::Db;

std::string Upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Lower-case ASCII letters and digits only: "PBI-JK" and "pbi jk" both read "pbijk".
std::string Fold(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) out.push_back(static_cast<char>(std::tolower(u)));
  }
  return out;
}

// Words separated by spaces, tabs, line breaks or '#'; `rest_at` receives where each word
// starts in `text`, so the note of SELESAI keeps its own spacing and case.
std::vector<std::string_view> Words(std::string_view text, std::vector<std::size_t>* starts) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  auto sep = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '#'; };
  while (i < text.size()) {
    while (i < text.size() && sep(text[i])) ++i;
    const std::size_t b = i;
    while (i < text.size() && !sep(text[i])) ++i;
    if (i > b) {
      words.push_back(text.substr(b, i - b));
      starts->push_back(b);
    }
  }
  return words;
}

std::optional<CommandKind> KindOf(const std::string& word) {
  if (word == "KLAIM") return CommandKind::kClaim;
  if (word == "VERIF" || word == "VERIFIKASI") return CommandKind::kVerify;
  if (word == "RUJUK") return CommandKind::kRefer;
  if (word == "SELESAI") return CommandKind::kSolve;
  if (word == "TIKET") return CommandKind::kList;
  if (word == "BANTUAN") return CommandKind::kHelp;
  if (word == "TELAT") return CommandKind::kOverdue;
  if (word == "LIHAT") return CommandKind::kRead;
  if (word == "BALAS") return CommandKind::kMessage;
  if (word == "TERUS" || word == "TERUSKAN") return CommandKind::kForward;
  if (word == "NAIK" || word == "ESKALASI") return CommandKind::kEscalate;
  if (word == "NOTIF") return CommandKind::kAlerts;
  return std::nullopt;
}

std::string Trimmed(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n#,");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n#,");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

bool FitsOneSms(const std::string& text) {
  const auto a = adapters::sms::Analyze(adapters::sms::SmartSubstitute(text));
  return a.encoding == adapters::sms::Encoding::kGsm7 && a.segments == 1;
}

bool FitsSms(const std::string& text, int segments) {
  return static_cast<int>(adapters::sms::Analyze(adapters::sms::SmartSubstitute(text)).segments) <=
         segments;
}

OfficerLookup OfficersByPhone(std::string users_key) {
  return [key = std::move(users_key)](
             Db& db, std::string_view address) -> core::Result<std::optional<Officer>> {
    auto user = users::ByPhone(db, key, address);
    if (!user.ok()) return user.error();
    if (!user.value().has_value()) return std::optional<Officer>{};
    const users::User& u = user.value().value();
    return std::optional<Officer>{Officer{users::ActorOf(u), u.language}};
  };
}

std::optional<Command> ParseCommand(std::string_view text) {
  std::vector<std::size_t> starts;
  const auto words = Words(text, &starts);
  if (words.empty()) return std::nullopt;
  const auto kind = KindOf(Upper(words[0]));
  if (!kind.has_value()) return std::nullopt;
  Command c;
  c.kind = kind.value();
  // Words an officer may also write as a citizen ("bantuan PKH belum cair", "tiket saya
  // kapan", "selesai pak, terima kasih") are commands only in the command's own shape.
  auto has_digit = [](std::string_view w) {
    return std::any_of(w.begin(), w.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  };
  if (c.kind == CommandKind::kHelp) {
    if (words.size() > 1) return std::nullopt;
    return c;
  }
  if (c.kind == CommandKind::kAlerts) {
    if (words.size() != 2) return std::nullopt;
    const std::string v = Upper(words[1]);
    if (v == "ON" || v == "AKTIF" || v == "NYALA") {
      c.alerts_on = true;
    } else if (v == "OFF" || v == "MATI" || v == "STOP") {
      c.alerts_on = false;
    } else {
      return std::nullopt;
    }
    return c;
  }
  if (c.kind == CommandKind::kList || c.kind == CommandKind::kOverdue) {
    if (words.size() == 1) return c;
    const std::string_view p = words[1];
    const bool digits = p.size() <= 3 && std::all_of(p.begin(), p.end(), [](char ch) {
                          return ch >= '0' && ch <= '9';
                        });
    if (!digits || words.size() > 2) return std::nullopt;
    c.page = std::max(1, std::stoi(std::string(p)));
    return c;
  }
  // Words a citizen writes too ("lihat dong", "balas ya", "naik haji", "terus gimana"):
  // commands only when a code-like word follows.
  const bool everyday_word = c.kind == CommandKind::kSolve || c.kind == CommandKind::kRead ||
                             c.kind == CommandKind::kMessage || c.kind == CommandKind::kForward ||
                             c.kind == CommandKind::kEscalate;
  if (words.size() < 2) {
    if (everyday_word) return std::nullopt;
    return Command{};  // help
  }
  if (everyday_word && !has_digit(words[1]) && !dialog::NormalizeTicketCode(words[1]).has_value()) {
    return std::nullopt;
  }
  // The code: one word ("ADU-7K3M9Q", "adu7k3m9q") or two ("ADU 7K3M9Q").
  std::size_t next = 2;
  c.code_typed = std::string(words[1]);
  auto code = dialog::NormalizeTicketCode(words[1]);
  if (!code.has_value() && words.size() >= 3 && words[1].size() == 3) {
    code = dialog::NormalizeTicketCode(std::string(words[1]) + std::string(words[2]));
    if (code.has_value()) next = 3;
  }
  if (code.has_value()) c.code = code.value();
  const std::string rest = next < words.size() ? Trimmed(text.substr(starts[next])) : "";
  if (c.kind == CommandKind::kRefer) {
    std::size_t b = 0;
    while (b <= rest.size()) {
      const std::size_t e = std::min(rest.find(',', b), rest.size());
      std::string piece = Trimmed(std::string_view(rest).substr(b, e - b));
      if (!piece.empty()) c.programmes.push_back(std::move(piece));
      b = e + 1;
    }
    if (c.programmes.empty()) return Command{};
  } else if (c.kind == CommandKind::kSolve || c.kind == CommandKind::kMessage ||
             c.kind == CommandKind::kForward || c.kind == CommandKind::kEscalate) {
    c.note = rest;
    if (c.note.empty()) return Command{};
  } else if (!rest.empty()) {
    return Command{};  // KLAIM, VERIF and LIHAT take the code only
  }
  return c;
}

SmsCommands::SmsCommands(const CaseService* cases, const locale::Catalog* catalog,
                         const understand::Lexicon* lexicon, OfficerLookup officers,
                         const AlertRoutes* routes)
    : cases_(cases),
      catalog_(catalog),
      lexicon_(lexicon),
      officers_(std::move(officers)),
      routes_(routes) {}

core::Result<std::optional<std::vector<compose::Outgoing>>> SmsCommands::Handle(
    Db& db, std::int64_t journal_id, const std::string& channel, const std::string& address,
    std::string_view text, std::int64_t now_ms, Enqueued* enqueued) const {
  using None = std::optional<std::vector<compose::Outgoing>>;
  const adapters::ChannelDescriptor* descriptor = adapters::DescriptorOf(channel);
  if (descriptor == nullptr || !descriptor->IsSms()) {
    return None{};
  }
  const auto command = ParseCommand(text);
  if (!command.has_value()) return None{};
  auto officer = officers_(db, address);
  if (!officer.ok()) return officer.error();
  if (!officer.value().has_value()) return None{};
  // The phone an officer acts from is where their alerts go, unless they have a route.
  if (routes_ != nullptr) {
    if (auto s = routes_->Learn(db, officer.value()->actor.user_id, channel, address); !s.ok()) {
      return s.error();
    }
  }
  auto reply = Run(db, officer.value().value(), command.value(), now_ms, enqueued);
  if (!reply.ok()) return reply.error();
  compose::Outgoing o;
  o.key = "cmd-" + std::to_string(journal_id);
  o.channel = channel;
  o.address = address;
  o.text = std::move(reply).value();
  return None{std::vector<compose::Outgoing>{std::move(o)}};
}

core::Result<std::optional<std::string>> SmsCommands::ResolveProgramme(
    Db& db, std::string_view typed) const {
  const std::string want = Fold(typed);
  if (want.empty()) return std::optional<std::string>{};
  auto active = tickets::Programmes(db, false);
  if (!active.ok()) return active.error();
  std::vector<std::string> ids;
  std::optional<std::string> found;
  for (const auto& p : active.value()) {
    if (!found.has_value() &&
        (Fold(p.id) == want || Fold(p.short_name) == want || Fold(p.name) == want)) {
      found = p.id;
    }
    ids.push_back(p.id);
  }
  if (found.has_value() || lexicon_ == nullptr) return found;
  // The lexicon's names of complaint categories whose id is a programme ("kis" -> pbi_jk).
  for (const auto& [category, phrases] : lexicon_->Categories()) {
    if (std::find(ids.begin(), ids.end(), category) == ids.end()) continue;
    for (const auto& phrase : phrases) {
      std::string joined;
      for (const auto& w : phrase) joined += w;
      if (Fold(joined) == want) return std::optional<std::string>{category};
    }
  }
  return std::optional<std::string>{};
}

core::Result<std::string> SmsCommands::QueuePage(Db& db, const Officer& officer, int page,
                                                 bool overdue) const {
  const std::string& lang = officer.language;
  const std::string keys = overdue ? "officer.sms.overdue" : "officer.sms.queue";
  tickets::QueueFilter filter;
  filter.limit = 200;
  filter.overdue = overdue;
  auto queue = tickets::Queue(db, officer.actor, filter);
  if (!queue.ok()) return queue.error();
  std::vector<std::string> lines;
  for (const auto& c : queue.value()) {
    // A ticket claimed by someone else has left this officer's queue (not their overdue list:
    // a supervisor follows up on what their facilitators hold).
    if (!overdue && c.view.claimed_by != 0 && c.view.claimed_by != officer.actor.user_id) {
      continue;
    }
    std::string line = c.ticket.code;
    const std::string key = "category." + c.ticket.category;
    if (!c.ticket.category.empty() && catalog_->Has(key)) line += " " + catalog_->Text(lang, key);
    lines.push_back(std::move(line));
  }
  if (lines.empty()) return catalog_->Text(lang, keys + "_empty");

  // Pages filled greedily, each rendered with the widest page numbers (99) so that the
  // final rendering, with the real numbers, fits too.
  auto render = [&](std::size_t from, std::size_t to, int number, int total,
                    bool more) -> core::Result<std::string> {
    std::string list;
    for (std::size_t i = from; i < to; ++i) list += (i > from ? "\n" : "") + lines[i];
    auto text = catalog_->Render(
        lang, keys,
        {{"hal", std::int64_t{number}}, {"total", std::int64_t{total}}, {"daftar", list}});
    if (!text.ok() || !more) return text;
    auto next = catalog_->Render(lang, keys + "_next", {{"berikut", std::int64_t{number + 1}}});
    if (!next.ok()) return next.error();
    return text.value() + "\n" + next.value();
  };
  std::vector<std::pair<std::size_t, std::size_t>> pages;
  std::size_t from = 0;
  while (from < lines.size() && pages.size() < 99) {
    std::size_t to = from + 1;
    while (to < lines.size()) {
      auto wider = render(from, to + 1, 99, 99, to + 1 < lines.size());
      if (!wider.ok()) return wider.error();
      if (!FitsOneSms(wider.value())) break;
      ++to;
    }
    pages.emplace_back(from, to);
    from = to;
  }
  const int total = static_cast<int>(pages.size());
  const int n = std::clamp(page, 1, total);
  const auto [b, e] = pages[static_cast<std::size_t>(n - 1)];
  return render(b, e, n, total, n < total);
}

core::Result<std::string> SmsCommands::Run(Db& db, const Officer& officer, const Command& command,
                                           std::int64_t now_ms, Enqueued* enqueued) const {
  const std::string& lang = officer.language;
  auto text = [&](std::string_view key,
                  const locale::Args& args = {}) -> core::Result<std::string> {
    return catalog_->Render(lang, key, args);
  };
  if (command.kind == CommandKind::kHelp) return text("officer.sms.help");
  if (command.kind == CommandKind::kList) return QueuePage(db, officer, command.page);
  if (command.kind == CommandKind::kOverdue) return QueuePage(db, officer, command.page, true);
  if (command.kind == CommandKind::kAlerts) {
    if (auto s = SetAlertsEnabled(db, officer.actor.user_id, command.alerts_on); !s.ok()) {
      return s.error();
    }
    return text(command.alerts_on ? "officer.sms.alerts_on" : "officer.sms.alerts_off");
  }
  if (command.code.empty()) return text("officer.sms.bad_code");
  const std::string& code = command.code;
  if (command.kind == CommandKind::kRead) return Read(db, officer, code, now_ms);
  Caller caller{officer.actor, "sms command", ""};
  if (command.kind == CommandKind::kMessage) {
    bool refused = false;
    auto sent = cases_->MessageIn(db, code, command.note, caller, now_ms, enqueued, &refused);
    if (sent.ok()) return text("officer.sms.message_sent", {{"kode", code}});
    if (!refused) return sent.error();
    switch (sent.error().code) {
      case core::ErrorCode::kPermissionDenied:
        return text("officer.sms.not_allowed", {{"kode", code}});
      case core::ErrorCode::kConflict:
        return text("officer.sms.message_unreachable", {{"kode", code}});
      case core::ErrorCode::kInvalidArgument:
        return text("officer.sms.message_too_long", {{"kode", code}});
      default:
        return text("officer.sms.unknown_ticket", {{"kode", code}});
    }
  }

  tickets::Request request;
  std::string note;
  std::string done_key;
  locale::Args done_args{{"kode", code}};
  switch (command.kind) {
    case CommandKind::kClaim:
      request.action = tickets::Action::kClaim;
      done_key = "officer.sms.claimed";
      break;
    case CommandKind::kVerify:
      request.action = tickets::Action::kVerify;
      done_key = "officer.sms.verified";
      break;
    case CommandKind::kRefer: {
      request.action = tickets::Action::kRefer;
      std::string names;
      for (const auto& typed : command.programmes) {
        auto id = ResolveProgramme(db, typed);
        if (!id.ok()) return id.error();
        if (!id.value().has_value())
          return text("officer.sms.unknown_programme", {{"program", typed}});
        request.programmes.push_back(id.value().value());
        auto name = ProgrammeShortName(db, id.value().value());
        if (!name.ok()) return name.error();
        names += (names.empty() ? "" : ", ") + name.value();
      }
      done_key = "officer.sms.referred";
      done_args["nama_program"] = names;
      break;
    }
    case CommandKind::kSolve:
      request.action = tickets::Action::kClose;
      request.reason = tickets::CloseReason::kSolved;
      note = command.note;
      done_key = "officer.sms.closed";
      break;
    case CommandKind::kForward:
      request.action = tickets::Action::kForward;
      note = command.note;
      done_key = "officer.sms.forwarded";
      break;
    case CommandKind::kEscalate:
      request.action = tickets::Action::kEscalate;
      note = command.note;
      done_key = "officer.sms.escalated";
      break;
    case CommandKind::kList:
    case CommandKind::kHelp:
    case CommandKind::kOverdue:
    case CommandKind::kRead:
    case CommandKind::kMessage:
    case CommandKind::kAlerts:
      break;
  }
  bool refused = false;
  auto acted = cases_->ActIn(db, code, request, caller, note, now_ms, enqueued, &refused);
  if (acted.ok()) return text(done_key, done_args);
  if (!refused) return acted.error();  // the dispatcher rolls the row back
  switch (acted.error().code) {
    case core::ErrorCode::kNotFound:
      return text("officer.sms.unknown_ticket", {{"kode", code}});
    case core::ErrorCode::kPermissionDenied:
      return text("officer.sms.not_allowed", {{"kode", code}});
    case core::ErrorCode::kConflict:
    case core::ErrorCode::kInvalidArgument: {
      // The state as the office names it; a ticket the officer may not see was answered above.
      auto c = tickets::Get(db, code, officer.actor);
      if (!c.ok()) return c.error();
      const std::string state = catalog_->Text(
          lang, std::string("officer.state.") + tickets::StatusName(c.value().view.status));
      return text("officer.sms.wrong_state", {{"kode", code}, {"status", state}});
    }
    default:
      return acted.error();
  }
}

core::Result<std::string> SmsCommands::Read(Db& db, const Officer& officer, const std::string& code,
                                            std::int64_t now_ms) const {
  const std::string& lang = officer.language;
  const Caller caller{officer.actor, "sms command", ""};
  auto c = CaseService::ReadIn(db, code, caller, now_ms);
  if (!c.ok()) {
    if (IsRefusal(c.error()))
      return catalog_->Render(lang, "officer.sms.unknown_ticket", {{"kode", code}});
    return c.error();
  }
  const tickets::Case& ticket = c.value();
  auto p = tickets::ReadParticulars(db, ticket);
  if (!p.ok()) return p.error();
  std::string last = p.value().description;
  {
    auto q = db.Prepare(
        "SELECT text FROM ticket_message WHERE ticket_id = ? AND direction = 'in'"
        " ORDER BY id DESC LIMIT 1");
    if (!q.ok()) return q.error();
    q.value()->Bind(1, ticket.id);
    auto found = storage::FirstRow(db, *q.value(), "last answer",
                                   [&](storage::Stmt& r) { last = r.ColumnText(0); });
    if (!found.ok()) return found.error();
  }
  last = adapters::sms::Gsm7Only(core::Redact(last));  // no NIK or phone the citizen typed
  std::string category = ticket.ticket.category;
  if (!category.empty() && catalog_->Has("category." + category)) {
    category = catalog_->Text(lang, "category." + category);
  }
  auto place = PlaceName(db, *catalog_, lang, ticket.ticket.village_code);
  if (!place.ok()) return place.error();
  auto identity =
      p.value().nik_masked.empty()
          ? core::Result<std::string>(catalog_->Text(lang, "officer.sms.read_no_nik"))
          : catalog_->Render(lang, "officer.sms.read_nik", {{"nik", p.value().nik_masked}});
  if (!identity.ok()) return identity.error();
  locale::Args args{{"kode", ticket.ticket.code},
                    {"kategori", category},
                    {"tempat", place.value()},
                    {"status", catalog_->Text(lang, std::string("officer.state.") +
                                                        tickets::StatusName(ticket.view.status))},
                    {"identitas", identity.value()}};
  // The last message shortened until the whole reply is one SMS.
  while (true) {
    args["terakhir"] = last;
    auto reply = catalog_->Render(lang, "officer.sms.read", args);
    if (!reply.ok() || last.empty() || FitsOneSms(reply.value())) return reply;
    std::size_t cut = last.size() > 12 ? last.size() - 8 : 0;
    while (cut > 0 && (static_cast<unsigned char>(last[cut]) & 0xC0) == 0x80) --cut;
    last = cut == 0 ? std::string() : last.substr(0, cut) + "..";
  }
}

}  // namespace satupintu::backoffice
