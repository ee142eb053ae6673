#include <ctime>
#include <nlohmann/json.hpp>
#include <set>

#include "citizens/citizens.hpp"
#include "outbox/outbox_store.hpp"
#include "subject/audit_row.hpp"
#include "subject/subject.hpp"

namespace satupintu::subject {
namespace {

using nlohmann::json;
using storage::Db;
using storage::Stmt;

constexpr int kMaxSent = 5000;
constexpr int kMaxAuditRows = 20000;

// UTC, to the second: "2026-12-01T03:04:05Z".
std::string Iso(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json Time(std::int64_t ms) { return ms > 0 ? json(Iso(ms)) : json(nullptr); }

std::string Placeholders(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += i == 0 ? "?" : ", ?";
  return s;
}

json ParsedOr(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json(text) : j;
}

core::Result<json> Citizens(Db& db, const Subject& s) {
  json out = json::array();
  auto q = db.Prepare("SELECT created_at_ms, language, merged_into FROM citizen WHERE id = ?");
  if (!q.ok()) return q.error();
  for (const auto id : s.citizen_ids) {
    json c = {{"id", id}};
    q.value()->Bind(1, id);
    auto found = storage::FirstRow(db, *q.value(), "citizen", [&](Stmt& r) {
      c["created_at"] = Time(r.ColumnInt(0));
      c["language"] = r.ColumnIsNull(1) ? json(nullptr) : json(r.ColumnText(1));
      if (!r.ColumnIsNull(2)) c["merged_into"] = r.ColumnInt(2);
    });
    if (!found.ok()) return found.error();
    if (!found.value()) continue;
    json addresses = json::array();
    if (!c.contains("merged_into")) {
      auto list = citizens::AddressesOf(db, id);
      if (!list.ok()) return list.error();
      for (const auto& a : list.value()) {
        json channels = json::array();
        for (const auto& ch : a.channels) {
          channels.push_back(
              {{"channel", ch.channel}, {"last_message_at", Time(ch.last_inbound_at_ms)}});
        }
        addresses.push_back(
            {{"address", a.address},
             {"kind", citizens::AddressKindName(a.kind)},
             {"created_at", Time(a.created_at_ms)},
             {"opted_out_at", a.opted_out_at_ms ? Time(*a.opted_out_at_ms) : json(nullptr)},
             {"channels", std::move(channels)}});
      }
    }
    c["addresses"] = std::move(addresses);
    out.push_back(std::move(c));
  }
  return out;
}

core::Result<json> Tickets(Db& db, const Subject& s) {
  json out = json::array();
  auto t = db.Prepare(
      "SELECT code, type, status, channel, category, nik_masked, kk_masked, name, birth_date,"
      " village_code, household, description, priority, level, close_reason, registry_snapshot,"
      " created_at_ms, updated_at_ms FROM ticket WHERE id = ?");
  if (!t.ok()) return t.error();
  auto ref = db.Prepare(
      "SELECT programme, status, updated_at_ms FROM referral WHERE ticket_id = ? ORDER BY "
      "programme");
  if (!ref.ok()) return ref.error();
  auto ev = db.Prepare(
      "SELECT at_ms, actor_id, action, from_status, to_status, detail FROM ticket_event"
      " WHERE ticket_id = ? ORDER BY id");
  if (!ev.ok()) return ev.error();
  auto sv =
      db.Prepare("SELECT rating, comment, answered_at_ms FROM survey_response WHERE ticket_id = ?");
  if (!sv.ok()) return sv.error();
  for (const auto& ticket : s.tickets) {
    json j;
    t.value()->Bind(1, ticket.id);
    auto found = storage::FirstRow(db, *t.value(), "ticket", [&](Stmt& r) {
      j = {{"code", r.ColumnText(0)},
           {"type", r.ColumnText(1)},
           {"status", r.ColumnText(2)},
           {"channel", r.ColumnText(3)},
           {"category", r.ColumnText(4)},
           {"nik_masked", r.ColumnText(5)},
           {"kk_masked", r.ColumnText(6)},
           {"name", r.ColumnText(7)},
           {"birth_date", r.ColumnText(8)},
           {"village_code", r.ColumnText(9)},
           {"household", r.ColumnInt(10)},
           {"description", r.ColumnText(11)},
           {"priority", r.ColumnText(12)},
           {"level", r.ColumnText(13)},
           {"close_reason", r.ColumnText(14)},
           // What the registry said about the NIK when the ticket was opened: the registry
           // fields this gateway used and keeps.
           {"registry_at_opening", ParsedOr(r.ColumnText(15))},
           {"created_at", Time(r.ColumnInt(16))},
           {"updated_at", Time(r.ColumnInt(17))}};
    });
    if (!found.ok()) return found.error();
    if (!found.value()) continue;
    json referrals = json::array();
    ref.value()->Bind(1, ticket.id);
    auto r1 = storage::ForEachRow(db, *ref.value(), "referrals", [&](Stmt& r) {
      referrals.push_back({{"programme", r.ColumnText(0)},
                           {"status", r.ColumnText(1)},
                           {"updated_at", Time(r.ColumnInt(2))}});
    });
    if (!r1.ok()) return r1.error();
    j["referrals"] = std::move(referrals);
    json history = json::array();
    ev.value()->Bind(1, ticket.id);
    auto r2 = storage::ForEachRow(db, *ev.value(), "history", [&](Stmt& r) {
      const std::int64_t actor = r.ColumnInt(1);
      history.push_back(
          {{"at", Time(r.ColumnInt(0))},
           {"by", actor == 0 ? std::string("citizen or system") : "user:" + std::to_string(actor)},
           {"action", r.ColumnText(2)},
           {"from", r.ColumnText(3)},
           {"to", r.ColumnText(4)},
           {"detail", ParsedOr(r.ColumnText(5))}});
    });
    if (!r2.ok()) return r2.error();
    j["history"] = std::move(history);
    sv.value()->Bind(1, ticket.id);
    j["survey"] = nullptr;
    auto r3 = storage::FirstRow(db, *sv.value(), "survey", [&](Stmt& r) {
      j["survey"] = {{"rating", r.ColumnInt(0)},
                     {"comment", r.ColumnText(1)},
                     {"answered_at", Time(r.ColumnInt(2))}};
    });
    if (!r3.ok()) return r3.error();
    out.push_back(std::move(j));
  }
  return out;
}

// Messages between the office and the citizen about a ticket (backoffice: ticket_message).
core::Result<json> TicketMessages(Db& db, const Subject& s) {
  json out = json::array();
  if (s.tickets.empty() && s.citizen_ids.empty()) return out;
  std::string where;
  if (!s.tickets.empty()) where += "m.ticket_id IN (" + Placeholders(s.tickets.size()) + ")";
  if (!s.citizen_ids.empty()) {
    where += (where.empty() ? "" : " OR ");
    where += "m.citizen_id IN (" + Placeholders(s.citizen_ids.size()) + ")";
  }
  auto q = db.Prepare(
      "SELECT t.code, m.direction, m.user_id, m.channel, m.text, m.at_ms FROM ticket_message m"
      " JOIN ticket t ON t.id = m.ticket_id WHERE " +
      where + " ORDER BY m.id");
  if (!q.ok()) return q.error();
  int n = 0;
  for (const auto& t : s.tickets) q.value()->Bind(++n, t.id);
  for (const auto id : s.citizen_ids) q.value()->Bind(++n, id);
  auto read = storage::ForEachRow(db, *q.value(), "ticket messages", [&](Stmt& r) {
    const std::int64_t user = r.ColumnInt(2);
    out.push_back({{"ticket", r.ColumnText(0)},
                   {"direction", r.ColumnText(1)},
                   {"officer", user == 0 ? json(nullptr) : json("user:" + std::to_string(user))},
                   {"channel", r.ColumnText(3)},
                   {"text", r.ColumnText(4)},
                   {"at", Time(r.ColumnInt(5))}});
  });
  if (!read.ok()) return read.error();
  return out;
}

core::Result<json> Sent(Db& db, const Subject& s) {
  json out = json::array();
  auto sent = outbox::SentToIn(db, s.addresses, 0, kMaxSent);
  if (!sent.ok()) return sent.error();
  for (const auto& m : sent.value()) {
    out.push_back(
        {{"at", Time(m.at_ms)}, {"channel", m.channel}, {"text", m.text}, {"state", m.state}});
  }
  return out;
}

// A dialog in progress: where and since when. Its content is sealed with the conversation key
// and expires with the dialog; it is not opened for the export.
core::Result<json> Dialogs(Db& db, const Subject& s) {
  json out = json::array();
  auto q =
      db.Prepare("SELECT channel, address, updated_at_ms FROM conversation WHERE citizen_id = ?");
  if (!q.ok()) return q.error();
  for (const auto id : s.citizen_ids) {
    q.value()->Bind(1, id);
    auto found = storage::FirstRow(db, *q.value(), "conversation", [&](Stmt& r) {
      out.push_back({{"channel", r.ColumnText(0)},
                     {"address", r.ColumnText(1)},
                     {"updated_at", Time(r.ColumnInt(2))},
                     {"content", "sealed"}});
    });
    if (!found.ok()) return found.error();
  }
  return out;
}

core::Result<json> Restrictions(Db& db, const Subject& s) {
  json out = json::array();
  if (s.citizen_ids.empty()) return out;
  auto q = db.Prepare(
      "SELECT citizen_id, restricted_at_ms, restricted_by, reason, lifted_at_ms, lifted_by"
      " FROM subject_restriction WHERE citizen_id IN (" +
      Placeholders(s.citizen_ids.size()) + ") ORDER BY id");
  if (!q.ok()) return q.error();
  int n = 0;
  for (const auto id : s.citizen_ids) q.value()->Bind(++n, id);
  auto read = storage::ForEachRow(db, *q.value(), "restrictions", [&](Stmt& r) {
    out.push_back({{"citizen", r.ColumnInt(0)},
                   {"restricted_at", Time(r.ColumnInt(1))},
                   {"restricted_by", r.ColumnText(2)},
                   {"reason", r.ColumnText(3)},
                   {"lifted_at", r.ColumnIsNull(4) ? json(nullptr) : Time(r.ColumnInt(4))},
                   {"lifted_by", r.ColumnText(5)}});
  });
  if (!read.ok()) return read.error();
  return out;
}

// Who read or changed the person's data, when and why: the audit rows about their tickets, their
// citizen ids and the request's reference, the rows of the citizen's own dialogs, and those
// naming a masked NIK of theirs (marked: another NIK may share the masked form).
core::Result<json> AuditRows(Db& db, const Subject& s) {
  std::set<std::string> exact{s.key.reference};
  std::set<std::string> masked;
  std::set<std::string> actors;
  for (const auto& t : s.tickets) {
    exact.insert("ticket:" + t.code);
    if (!t.nik_masked.empty()) masked.insert("nik:" + t.nik_masked);
  }
  for (const auto id : s.citizen_ids) {
    exact.insert("citizen:" + std::to_string(id));
    actors.insert("citizen:" + std::to_string(id));
  }
  for (const auto& e : exact) masked.erase(e);
  std::string sql =
      "SELECT id, at_ms, actor, action, object, purpose, ip, outcome FROM audit_log WHERE object "
      "IN (" +
      Placeholders(exact.size() + masked.size()) + ")";
  if (!actors.empty()) sql += " OR actor IN (" + Placeholders(actors.size()) + ")";
  sql += " ORDER BY id LIMIT " + std::to_string(kMaxAuditRows);
  auto q = db.Prepare(sql);
  if (!q.ok()) return q.error();
  int n = 0;
  for (const auto& e : exact) q.value()->Bind(++n, e);
  for (const auto& e : masked) q.value()->Bind(++n, e);
  for (const auto& a : actors) q.value()->Bind(++n, a);
  json out = json::array();
  auto read = storage::ForEachRow(db, *q.value(), "audit rows", [&](Stmt& r) {
    const std::string object = r.ColumnText(4);
    const std::string actor = r.ColumnText(2);
    const char* by = exact.count(object) != 0   ? "exact"
                     : actors.count(actor) != 0 ? "own_dialog"
                                                : "masked_nik";
    out.push_back({{"id", r.ColumnInt(0)},
                   {"at", Time(r.ColumnInt(1))},
                   {"actor", actor},
                   {"action", r.ColumnText(3)},
                   {"object", object},
                   {"purpose", r.ColumnText(5)},
                   {"ip", r.ColumnText(6)},
                   {"outcome", r.ColumnText(7)},
                   {"by", by}});
  });
  if (!read.ok()) return read.error();
  return out;
}

}  // namespace

core::Result<std::string> Export(Db& db, const Subject& subject, const Request& request,
                                 std::int64_t now_ms) {
  if (auto s = CheckRequest(request); !s.ok()) return s.error();
  // The export's own row first: the document records its own reading.
  if (auto s = AppendAudit(db, request, "subject.export", subject.key.reference,
                           subject.Empty() ? "not_found" : "exported", now_ms);
      !s.ok()) {
    return s.error();
  }
  json doc = {{"generated_at", Iso(now_ms)},
              {"subject", subject.key.reference},
              {"found", !subject.Empty()}};
  auto citizens = Citizens(db, subject);
  if (!citizens.ok()) return citizens.error();
  doc["citizens"] = std::move(citizens).value();
  auto tickets = Tickets(db, subject);
  if (!tickets.ok()) return tickets.error();
  doc["tickets"] = std::move(tickets).value();
  auto messages = TicketMessages(db, subject);
  if (!messages.ok()) return messages.error();
  doc["ticket_messages"] = std::move(messages).value();
  auto sent = Sent(db, subject);
  if (!sent.ok()) return sent.error();
  doc["sent_messages"] = std::move(sent).value();
  auto dialogs = Dialogs(db, subject);
  if (!dialogs.ok()) return dialogs.error();
  doc["dialogs_in_progress"] = std::move(dialogs).value();
  auto restrictions = Restrictions(db, subject);
  if (!restrictions.ok()) return restrictions.error();
  doc["restrictions"] = std::move(restrictions).value();
  auto audit = AuditRows(db, subject);
  if (!audit.ok()) return audit.error();
  doc["audit"] = std::move(audit).value();
  // What the gateway holds but this document does not carry (docs/privacy.md): the raw inbound
  // journal (until the retention purge) and the registry's own rows.
  doc["not_included"] = json::array({"inbound_journal", "registry_snapshot"});
  return doc.dump(2);
}

}  // namespace satupintu::subject
