#include "backoffice/case_service.hpp"

#include "adapters/channels.hpp"
#include "audit/audit_log.hpp"
#include "backoffice/alerts.hpp"
#include "backoffice/sms_fit.hpp"
#include "citizens/citizens.hpp"
#include "conversation/conversations.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/redact.hpp"
#include "outbox/outbox_store.hpp"
#include "registry_io/encoding.hpp"
#include "subject/restriction.hpp"
#include "understand/one_shot.hpp"

namespace satupintu::backoffice {
namespace {

namespace log = core::log;
using storage::Db;

core::Status Audit(Db& db, const Caller& caller, std::string_view action, std::string_view code,
                   std::string_view outcome, std::int64_t now_ms) {
  audit::Entry e;
  e.at_ms = now_ms;
  e.actor = "user:" + std::to_string(caller.actor.user_id);
  e.action = std::string(action);
  e.object = "ticket:" + std::string(code);
  e.purpose = caller.purpose;
  e.ip = caller.ip;
  e.outcome = std::string(outcome);
  auto id = audit::Append(db, e);
  if (!id.ok()) return id.error();
  return {};
}

// Audits a read's outcome; a refusal keeps its error after the row is written.
template <typename T>
core::Result<T> Audited(Db& db, const Caller& caller, std::string_view action,
                        std::string_view code, std::int64_t now_ms, core::Result<T> result) {
  if (!result.ok() && !IsRefusal(result.error())) return result;
  const char* outcome = result.ok() ? "ok" : OutcomeName(result.error().code);
  if (auto s = Audit(db, caller, action, code, outcome, now_ms); !s.ok()) return s.error();
  return result;
}

core::Status Enqueue(Db& db, compose::Outgoing out, std::int64_t now_ms, Enqueued* enqueued) {
  out.priority = outbox::Priority::kNotification;
  auto id = compose::ComposeIn(db, out, now_ms);
  if (!id.ok()) return id.error();
  if (enqueued != nullptr) enqueued->insert(out.channel);
  return {};
}

core::Status RecordPending(Db& db, std::int64_t ticket_id, std::int64_t citizen_id,
                           std::int64_t now_ms) {
  auto q = db.Prepare(
      "INSERT INTO pending_survey (ticket_id, citizen_id, created_at_ms, next_try_ms,"
      " expires_at_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO NOTHING");
  if (!q.ok()) return q.error();
  return q.value()
      ->Bind(1, ticket_id)
      .Bind(2, citizen_id)
      .Bind(3, now_ms)
      .Bind(4, now_ms + CaseService::kSurveyRetryMs)
      .Bind(5, now_ms + CaseService::kSurveyPendingMs)
      .Run();
}

// Whether the address the citizen's dialogs answer on has opted out (no survey then).
core::Result<bool> ConversationOptedOut(Db& db, std::int64_t citizen_id) {
  auto q = db.Prepare("SELECT address FROM conversation WHERE citizen_id = ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, citizen_id);
  const int rc = q.value()->Step();
  std::string address;
  if (rc == SQLITE_ROW) address = q.value()->ColumnText(0);
  q.value()->Reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db.LastError("conversation address");
  if (address.empty()) return false;
  return citizens::IsOptedOut(db, address);
}

}  // namespace

const char* OutcomeName(core::ErrorCode code) {
  switch (code) {
    case core::ErrorCode::kNotFound:
      return "not_found";
    case core::ErrorCode::kPermissionDenied:
      return "denied";
    case core::ErrorCode::kConflict:
      return "conflict";
    case core::ErrorCode::kInvalidArgument:
      return "invalid";
    default:
      return "error";
  }
}

bool IsRefusal(const core::Error& error) {
  switch (error.code) {
    case core::ErrorCode::kNotFound:
    case core::ErrorCode::kPermissionDenied:
    case core::ErrorCode::kConflict:
    case core::ErrorCode::kInvalidArgument:
      return true;
    default:
      return false;
  }
}

CaseService::CaseService(const locale::Catalog* catalog, conversation::Conversations* conversations,
                         NotifyOptions options)
    : catalog_(catalog), conversations_(conversations), options_(std::move(options)) {}

void CaseService::Wake(const Enqueued& channels) const {
  if (!on_enqueued_) return;
  for (const auto& c : channels) on_enqueued_(c);
}

core::Result<ActionResult> CaseService::ActIn(Db& db, std::string_view code,
                                              const tickets::Request& request, const Caller& caller,
                                              std::string_view note, std::int64_t now_ms,
                                              Enqueued* enqueued, bool* refused) const {
  if (refused != nullptr) *refused = false;
  const std::string action = std::string("ticket.") + tickets::ActionName(request.action);
  // The workflow's answer alone decides a refusal: whatever Act wrote before failing is
  // undone here, so a refusal commits its audit row and nothing else.
  if (auto s = db.Exec("SAVEPOINT case_act"); !s.ok()) return s.error();
  auto acted = tickets::Act(db, code, request, caller.actor, note, now_ms);
  if (!acted.ok()) {
    if (auto s = db.Exec("ROLLBACK TO case_act"); !s.ok()) return s.error();
  }
  if (auto s = db.Exec("RELEASE case_act"); !s.ok()) return s.error();
  if (!acted.ok()) {
    if (!IsRefusal(acted.error())) return acted.error();
    if (auto s = Audit(db, caller, action, code, OutcomeName(acted.error().code), now_ms);
        !s.ok()) {
      return s.error();
    }
    if (refused != nullptr) *refused = true;
    return acted.error();
  }
  ActionResult result;
  result.outcome = std::move(acted).value();
  if (auto s = Audit(db, caller, action, code, "ok", now_ms); !s.ok()) return s.error();

  auto notices = Notices(db, *catalog_, options_, request, result.outcome, now_ms);
  if (!notices.ok()) return notices.error();
  for (auto& n : notices.value()) {
    if (auto s = Enqueue(db, std::move(n), now_ms, enqueued); !s.ok()) return s.error();
    ++result.notices;
  }

  const tickets::Case& after = result.outcome.after;
  if (request.action == tickets::Action::kClose && conversations_ != nullptr) {
    auto citizen = citizens::ResolveCitizen(db, after.ticket.citizen_id);
    if (!citizen.ok()) return citizen.error();
    if (citizen.value().has_value()) {
      auto survey = StartSurvey(db, citizen.value().value(), after.ticket.code, now_ms);
      if (!survey.ok()) return survey.error();
      result.survey_started = !survey.value().empty();
      for (auto& o : survey.value()) {
        if (auto s = Enqueue(db, std::move(o), now_ms, enqueued); !s.ok()) return s.error();
      }
      if (!result.survey_started) {
        auto opted_out = ConversationOptedOut(db, citizen.value().value());
        if (!opted_out.ok()) return opted_out.error();
        if (!opted_out.value()) {
          if (auto s = RecordPending(db, after.id, citizen.value().value(), now_ms); !s.ok()) {
            return s.error();
          }
          result.survey_pending = true;
        }
      }
    }
  }
  return result;
}

core::Result<std::vector<compose::Outgoing>> CaseService::StartSurvey(Db& db,
                                                                      std::int64_t citizen_id,
                                                                      const std::string& code,
                                                                      std::int64_t now_ms) const {
  auto opted_out = ConversationOptedOut(db, citizen_id);
  if (!opted_out.ok()) return opted_out.error();
  if (opted_out.value()) return std::vector<compose::Outgoing>{};
  return conversations_->Start(db, citizen_id, "survey", {{"ticket_code", code}}, now_ms);
}

void CaseService::Act(storage::Store& store, std::string code, tickets::Request request,
                      Caller caller, std::string note,
                      std::function<void(core::Result<ActionResult>)> done) const {
  auto result = std::make_shared<core::Result<ActionResult>>(
      core::MakeError(core::ErrorCode::kInternal, "not run"));
  auto enqueued = std::make_shared<Enqueued>();
  store.Write(
      [this, code = std::move(code), request = std::move(request), caller = std::move(caller),
       note = std::move(note), result, enqueued](Db& db) -> core::Status {
        enqueued->clear();
        bool refused = false;
        *result = ActIn(db, code, request, caller, note, core::NowMs(), enqueued.get(), &refused);
        if (result->ok() || refused) return {};
        return result->error();
      },
      [this, result, enqueued, done = std::move(done)](const core::Status& s) {
        if (!s.ok()) {
          done(s.error());
          return;
        }
        if (result->ok()) Wake(*enqueued);
        done(std::move(*result));
      });
}

core::Result<tickets::Case> CaseService::ReadIn(Db& db, std::string_view code, const Caller& caller,
                                                std::int64_t now_ms) {
  return Audited(db, caller, "ticket.read", code, now_ms, tickets::Get(db, code, caller.actor));
}

core::Result<std::vector<tickets::Event>> CaseService::HistoryIn(Db& db, std::string_view code,
                                                                 const Caller& caller,
                                                                 std::int64_t now_ms) {
  return Audited(db, caller, "ticket.history", code, now_ms,
                 tickets::History(db, code, caller.actor));
}

namespace {

core::Result<std::vector<ConversationMessage>> ReadConversation(Db& db, const tickets::Case& c) {
  auto p = tickets::ReadParticulars(db, c);
  if (!p.ok()) return p.error();
  std::vector<ConversationMessage> out;
  out.push_back({c.ticket.created_at_ms, "in", c.ticket.channel, p.value().description, ""});
  auto addresses = citizens::AddressesOf(db, c.ticket.citizen_id);
  if (!addresses.ok()) return addresses.error();
  std::vector<std::string> to;
  for (const auto& a : addresses.value()) to.push_back(a.address);
  auto sent = outbox::SentToIn(db, to, c.ticket.created_at_ms, 200);
  if (!sent.ok()) return sent.error();
  for (auto& m : sent.value()) {
    out.push_back({m.at_ms, "out", std::move(m.channel), std::move(m.text), std::move(m.state)});
  }
  // The citizen's answers to the office's messages (the messages themselves came from the
  // outbox above, with their delivery state).
  auto answers = db.Prepare(
      "SELECT at_ms, channel, text FROM ticket_message WHERE ticket_id = ? AND direction = 'in'"
      " ORDER BY id LIMIT 200");
  if (!answers.ok()) return answers.error();
  answers.value()->Bind(1, c.id);
  auto read = storage::ForEachRow(db, *answers.value(), "ticket answers", [&](storage::Stmt& r) {
    out.push_back(
        {r.ColumnInt(0), "in", r.ColumnText(1), core::MaskPersonalNumbers(r.ColumnText(2)), ""});
  });
  if (!read.ok()) return read.error();
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.at_ms < b.at_ms; });
  return out;
}

// Trimmed of spaces and line breaks at both ends.
std::string_view TrimText(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

core::Result<std::int64_t> InsertMessage(Db& db, std::int64_t ticket_id, std::int64_t citizen_id,
                                         std::string_view direction, std::int64_t user_id,
                                         std::string_view channel, std::string_view text,
                                         std::int64_t now_ms) {
  auto q = db.Prepare(
      "INSERT INTO ticket_message (ticket_id, citizen_id, direction, user_id, channel, text,"
      " at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!q.ok()) return q.error();
  auto s = q.value()
               ->Bind(1, ticket_id)
               .Bind(2, citizen_id)
               .Bind(3, direction)
               .Bind(4, user_id)
               .Bind(5, channel)
               .Bind(6, text)
               .Bind(7, now_ms)
               .Run();
  if (!s.ok()) return s.error();
  return db.LastInsertId();
}

}  // namespace

core::Result<std::vector<ConversationMessage>> CaseService::ConversationIn(Db& db,
                                                                           std::string_view code,
                                                                           const Caller& caller,
                                                                           std::int64_t now_ms) {
  auto c = tickets::Get(db, code, caller.actor);
  core::Result<std::vector<ConversationMessage>> messages =
      c.ok() ? ReadConversation(db, c.value())
             : core::Result<std::vector<ConversationMessage>>(c.error());
  return Audited(db, caller, "ticket.conversation", code, now_ms, std::move(messages));
}

core::Result<std::string> CaseService::MessageIn(Db& db, std::string_view code,
                                                 std::string_view text, const Caller& caller,
                                                 std::int64_t now_ms, Enqueued* enqueued,
                                                 bool* refused) const {
  auto refuse = [&](core::Error e) -> core::Result<std::string> {
    if (auto s = Audit(db, caller, "ticket.message", code, OutcomeName(e.code), now_ms); !s.ok()) {
      return s.error();
    }
    if (refused != nullptr) *refused = true;
    return e;
  };
  auto c = tickets::Get(db, code, caller.actor);
  if (!c.ok()) {
    if (IsRefusal(c.error())) return refuse(c.error());
    return c.error();
  }
  if (caller.actor.role == tickets::Role::kViewer ||
      caller.actor.role == tickets::Role::kBroadcaster) {
    return refuse(core::MakeError(core::ErrorCode::kPermissionDenied,
                                  "this role does not write to citizens"));
  }
  const std::string_view body = TrimText(text);
  if (body.empty() || body.size() > kMaxMessageBytes || !registry_io::IsValidUtf8(body)) {
    return refuse(
        core::MakeError(core::ErrorCode::kInvalidArgument, "text: 1-1000 bytes of UTF-8 text"));
  }
  const tickets::Case& ticket = c.value();
  auto route = RouteToCitizen(db, options_, ticket.id, ticket.ticket.citizen_id, now_ms);
  if (!route.ok()) return route.error();
  if (!route.value().has_value()) {
    return refuse(core::MakeError(
        core::ErrorCode::kConflict,
        "the citizen cannot be reached on the ticket's channel (no address, no SMS fallback, "
        "or they stopped messages)"));
  }
  const CitizenRoute& r = route.value().value();
  auto framed = catalog_->Render(r.language, "ticket.message.out",
                                 {{"kode", ticket.ticket.code}, {"pesan", std::string(body)}});
  if (!framed.ok()) return framed.error();
  const adapters::ChannelDescriptor* descriptor = adapters::DescriptorOf(r.channel);
  if (descriptor != nullptr && descriptor->IsSms() && !FitsSms(framed.value(), 2)) {
    return refuse(core::MakeError(core::ErrorCode::kInvalidArgument,
                                  "text: too long for two SMS with the ticket code"));
  }
  auto id = InsertMessage(db, ticket.id, r.citizen_id, "out", caller.actor.user_id, r.channel, body,
                          now_ms);
  if (!id.ok()) return id.error();
  compose::Outgoing o;
  o.key = "tm-" + std::to_string(id.value());
  o.channel = r.channel;
  o.address = r.address;
  o.text = std::move(framed).value();
  if (auto s = Enqueue(db, std::move(o), now_ms, enqueued); !s.ok()) return s.error();
  if (auto s = tickets::AppendEvent(db, ticket.id, now_ms, caller.actor.user_id, "message",
                                    ticket.ticket.status, ticket.ticket.status,
                                    R"({"direction":"out"})");
      !s.ok()) {
    return s.error();
  }
  if (auto s = Audit(db, caller, "ticket.message", code, "ok", now_ms); !s.ok()) return s.error();
  return r.channel;
}

core::Result<std::optional<std::vector<compose::Outgoing>>> CaseService::CitizenAnswerIn(
    Db& db, std::int64_t journal_id, const std::string& channel, const std::string& address,
    std::string_view text, std::int64_t now_ms) const {
  using None = std::optional<std::vector<compose::Outgoing>>;
  const std::string_view body = TrimText(text);
  if (body.empty() || conversations_ == nullptr) return None{};
  // What the dialogs answer anywhere stays theirs: keywords, one-shot forms.
  if (conversations_->Engine().IsKeyword(body) || understand::SplitOneShot(body).has_value()) {
    return None{};
  }
  auto citizen = citizens::CitizenOf(db, address);
  if (!citizen.ok()) return citizen.error();
  if (!citizen.value().has_value()) return None{};
  auto live = citizens::ResolveCitizen(db, citizen.value().value());
  if (!live.ok()) return live.error();
  if (!live.value().has_value()) return None{};
  const std::int64_t citizen_id = live.value().value();
  // A restricted citizen's words are not processed: the dialogs answer them (with the message
  // that says so), no thread takes them.
  auto restricted = subject::IsRestricted(db, citizen_id);
  if (!restricted.ok()) return restricted.error();
  if (restricted.value()) return None{};
  std::int64_t ticket_id = 0;
  std::string code;
  std::string status;
  {
    auto q = db.Prepare(
        "SELECT m.ticket_id, t.code, t.status FROM ticket_message m"
        " JOIN ticket t ON t.id = m.ticket_id"
        " WHERE m.citizen_id = ? AND m.direction = 'out' AND m.at_ms > ?"
        " ORDER BY m.at_ms DESC, m.id DESC LIMIT 1");
    if (!q.ok()) return q.error();
    q.value()->Bind(1, citizen_id).Bind(2, now_ms - kThreadMs);
    auto found = storage::FirstRow(db, *q.value(), "open thread", [&](storage::Stmt& r) {
      ticket_id = r.ColumnInt(0);
      code = r.ColumnText(1);
      status = r.ColumnText(2);
    });
    if (!found.ok()) return found.error();
    if (!found.value()) return None{};
  }
  auto idle = conversations_->Idle(db, citizen_id);
  if (!idle.ok()) return idle.error();
  if (!idle.value()) return None{};
  auto id = InsertMessage(db, ticket_id, citizen_id, "in", 0, channel,
                          core::MaskPersonalNumbers(body), now_ms);
  if (!id.ok()) return id.error();
  if (auto s = tickets::AppendEvent(db, ticket_id, now_ms, 0, "message", status, status,
                                    R"({"direction":"in"})");
      !s.ok()) {
    return s.error();
  }
  if (auto s = NoteAlert(db, ticket_id, kAlertReply, now_ms); !s.ok()) return s.error();
  auto language = citizens::LanguageOf(db, citizen_id);
  if (!language.ok()) return language.error();
  auto ack = catalog_->Render(language.value().value_or(std::string(locale::Catalog::kReference)),
                              "ticket.message.received", {{"kode", code}});
  if (!ack.ok()) return ack.error();
  compose::Outgoing o;
  o.key = "tma-" + std::to_string(journal_id);
  o.channel = channel;
  o.address = address;
  o.text = std::move(ack).value();
  return None{std::vector<compose::Outgoing>{std::move(o)}};
}

core::Result<std::vector<compose::Outgoing>> CaseService::RetryPendingSurveys(Db& db,
                                                                              std::int64_t now_ms,
                                                                              int limit) const {
  std::vector<compose::Outgoing> out;
  if (conversations_ == nullptr) return out;
  struct Due {
    std::int64_t ticket_id;
    std::int64_t citizen_id;
    std::int64_t expires_at_ms;
    std::string code;
  };
  std::vector<Due> due;
  {
    auto q = db.Prepare(
        "SELECT p.ticket_id, p.citizen_id, p.expires_at_ms, t.code FROM pending_survey p"
        " JOIN ticket t ON t.id = p.ticket_id WHERE p.next_try_ms <= ?"
        " ORDER BY p.next_try_ms LIMIT ?");
    if (!q.ok()) return q.error();
    q.value()->Bind(1, now_ms).Bind(2, static_cast<std::int64_t>(limit));
    auto rows = storage::ForEachRow(db, *q.value(), "pending surveys", [&](storage::Stmt& r) {
      due.push_back({r.ColumnInt(0), r.ColumnInt(1), r.ColumnInt(2), r.ColumnText(3)});
    });
    if (!rows.ok()) return rows.error();
  }
  if (due.empty()) return out;
  auto remove = db.Prepare("DELETE FROM pending_survey WHERE ticket_id = ?");
  if (!remove.ok()) return remove.error();
  auto later = db.Prepare("UPDATE pending_survey SET next_try_ms = ? WHERE ticket_id = ?");
  if (!later.ok()) return later.error();
  int expired = 0;
  for (const auto& d : due) {
    auto citizen = citizens::ResolveCitizen(db, d.citizen_id);
    if (!citizen.ok()) return citizen.error();
    std::vector<compose::Outgoing> started;
    if (citizen.value().has_value() && now_ms < d.expires_at_ms) {
      auto survey = StartSurvey(db, citizen.value().value(), d.code, now_ms);
      if (!survey.ok()) return survey.error();
      started = std::move(survey).value();
    }
    const bool done = !started.empty() || now_ms >= d.expires_at_ms;
    if (started.empty() && done) ++expired;
    for (auto& o : started) {
      o.priority = outbox::Priority::kNotification;
      out.push_back(std::move(o));
    }
    auto s = done ? remove.value()->Bind(1, d.ticket_id).Run()
                  : later.value()->Bind(1, now_ms + kSurveyRetryMs).Bind(2, d.ticket_id).Run();
    if (!s.ok()) return s.error();
  }
  // How many, never whose.
  if (expired > 0) log::Info("backoffice.survey_expired").Int("count", expired);
  return out;
}

}  // namespace satupintu::backoffice
