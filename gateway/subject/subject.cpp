#include "subject/subject.hpp"

#include <algorithm>

#include "adapters/core/phone.hpp"
#include "audit/audit_log.hpp"
#include "citizens/citizens.hpp"
#include "registry_io/dates.hpp"
#include "registry_io/nik.hpp"
#include "subject/audit_row.hpp"

namespace satupintu::subject {
namespace {

using core::ErrorCode;
using core::MakeError;
using storage::Db;

constexpr std::size_t kMaxRequestField = 200;

void SortUnique(std::vector<std::int64_t>* ids) {
  std::sort(ids->begin(), ids->end());
  ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
}

// The live citizen `id` stands for and every citizen merged into it.
core::Status AddPerson(Db& db, std::int64_t id, std::vector<std::int64_t>* out) {
  auto live = citizens::ResolveCitizen(db, id);
  if (!live.ok()) return live.error();
  if (!live.value().has_value()) return {};
  out->push_back(*live.value());
  auto q = db.Prepare("SELECT id FROM citizen WHERE merged_into = ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, *live.value());
  return storage::ForEachRow(db, *q.value(), "merged citizens",
                             [&](storage::Stmt& r) { out->push_back(r.ColumnInt(0)); });
}

core::Status ReadTickets(Db& db, const std::string& where, const std::vector<std::string>& args,
                         const std::vector<std::int64_t>& ids, std::vector<TicketRef>* out) {
  std::string sql = "SELECT id, code, status, nik_masked FROM ticket WHERE " + where;
  for (std::size_t i = 0; i < ids.size(); ++i) sql += i == 0 ? "?" : ", ?";
  if (!ids.empty()) sql += ")";
  sql += " ORDER BY id";
  auto q = db.Prepare(sql);
  if (!q.ok()) return q.error();
  int n = 0;
  for (const auto& a : args) q.value()->Bind(++n, a);
  for (const auto id : ids) q.value()->Bind(++n, id);
  return storage::ForEachRow(db, *q.value(), "subject tickets", [&](storage::Stmt& r) {
    out->push_back({r.ColumnInt(0), r.ColumnText(1), r.ColumnText(2), r.ColumnText(3)});
  });
}

}  // namespace

int Subject::OpenTickets() const {
  return static_cast<int>(std::count_if(tickets.begin(), tickets.end(),
                                        [](const TicketRef& t) { return t.status != "closed"; }));
}

core::Result<Key> MakeKey(std::string_view nik, std::string_view phone, const NikHasher& hash) {
  if (nik.empty() == phone.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "name the person by a NIK or a phone number");
  }
  Key key;
  if (!nik.empty()) {
    const auto parsed = registry_io::ParseNik(nik, registry_io::LocalToday());
    if (!parsed.ok()) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          std::string("not a valid NIK (") + registry_io::NikErrorCode(parsed.error) + ")");
    }
    if (!hash) {
      return MakeError(ErrorCode::kUnavailable,
                       "no registry hash key: tickets cannot be found by NIK");
    }
    auto h = hash(parsed.digits);
    if (!h.ok()) return h.error();
    key.kind = Key::Kind::kNik;
    key.nik_hash = std::move(h).value();
    key.reference = "nik:" + registry_io::MaskId(parsed.digits);
    return key;
  }
  auto normalized = adapters::NormalizePhone(phone);
  if (!normalized.has_value()) {
    return MakeError(ErrorCode::kInvalidArgument, "not a valid phone number");
  }
  key.kind = Key::Kind::kPhone;
  key.address = std::move(normalized).value();
  key.reference = "phone:" + registry_io::MaskId(key.address);
  return key;
}

core::Result<Subject> Find(Db& db, const Key& key) {
  Subject s;
  s.key = key;
  if (key.kind == Key::Kind::kPhone) {
    auto owner = citizens::CitizenOf(db, key.address);
    if (!owner.ok()) return owner.error();
    if (owner.value().has_value()) {
      if (auto st = AddPerson(db, *owner.value(), &s.citizen_ids); !st.ok()) return st.error();
    }
    SortUnique(&s.citizen_ids);
    if (!s.citizen_ids.empty()) {
      if (auto st = ReadTickets(db, "citizen_id IN (", {}, s.citizen_ids, &s.tickets); !st.ok()) {
        return st.error();
      }
    }
  } else {
    if (key.nik_hash.empty()) return MakeError(ErrorCode::kInvalidArgument, "no NIK hash");
    if (auto st = ReadTickets(db, "nik_hash = ?", {key.nik_hash}, {}, &s.tickets); !st.ok()) {
      return st.error();
    }
    std::vector<std::int64_t> openers;
    {
      auto q = db.Prepare("SELECT DISTINCT citizen_id FROM ticket WHERE nik_hash = ?");
      if (!q.ok()) return q.error();
      q.value()->Bind(1, key.nik_hash);
      auto read = storage::ForEachRow(db, *q.value(), "ticket citizens",
                                      [&](storage::Stmt& r) { openers.push_back(r.ColumnInt(0)); });
      if (!read.ok()) return read.error();
    }
    for (const auto id : openers) {
      if (id == 0) continue;  // an anonymised ticket
      if (auto st = AddPerson(db, id, &s.citizen_ids); !st.ok()) return st.error();
    }
    SortUnique(&s.citizen_ids);
  }
  for (const auto id : s.citizen_ids) {
    auto addresses = citizens::AddressesOf(db, id);
    if (!addresses.ok()) return addresses.error();
    for (const auto& a : addresses.value()) s.addresses.push_back(a.address);
  }
  std::sort(s.addresses.begin(), s.addresses.end());
  s.addresses.erase(std::unique(s.addresses.begin(), s.addresses.end()), s.addresses.end());
  return s;
}

core::Status CheckRequest(const Request& request) {
  for (const auto& [value, name] :
       {std::pair{&request.actor, "actor"}, std::pair{&request.by, "by"},
        std::pair{&request.purpose, "purpose"}}) {
    if (value->empty() || value->size() > kMaxRequestField) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string(name) + ": 1-200 bytes (it goes to the audit log)");
    }
  }
  return {};
}

core::Status AppendAudit(Db& db, const Request& request, const std::string& action,
                         const std::string& object, const std::string& outcome, std::int64_t now_ms,
                         const std::string& legal_basis) {
  audit::Entry e;
  e.at_ms = now_ms;
  e.actor = request.actor;
  e.action = action;
  e.object = object;
  e.purpose = request.purpose + " (by " + request.by;
  if (!legal_basis.empty()) e.purpose += "; legal basis: " + legal_basis;
  e.purpose += ")";
  e.ip = request.ip;
  e.outcome = outcome;
  auto id = audit::Append(db, e);
  if (!id.ok()) return id.error();
  return {};
}

}  // namespace satupintu::subject
