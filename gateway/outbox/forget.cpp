#include "outbox/forget.hpp"

namespace satupintu::outbox {
namespace {

using storage::Db;

std::string Placeholders(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += i == 0 ? "?" : ", ?";
  return s;
}

// Runs `sql` with `first` bound to ?1.. and the addresses after them; returns the changes.
core::Result<int> RunFor(Db& db, const std::string& sql, const std::vector<std::string>& first,
                         std::int64_t now_ms, const std::vector<std::string>& addresses) {
  auto q = db.Prepare(sql);
  if (!q.ok()) return q.error();
  int n = 0;
  for (const auto& f : first) q.value()->Bind(++n, f);
  q.value()->Bind(++n, now_ms);
  for (const auto& a : addresses) q.value()->Bind(++n, a);
  if (auto s = q.value()->Run(); !s.ok()) return s.error();
  return static_cast<int>(db.Changes());
}

}  // namespace

core::Result<int> StopQueuedToIn(Db& db, const std::vector<std::string>& addresses,
                                 const std::string& reason, std::int64_t now_ms) {
  if (addresses.empty()) return 0;
  return RunFor(db,
                "UPDATE outbox_part SET state = 'failed', last_error = ?, updated_at_ms = ?"
                " WHERE state = 'queued' AND message_id IN (SELECT id FROM outbox_message"
                " WHERE address IN (" +
                    Placeholders(addresses.size()) + "))",
                {reason}, now_ms, addresses);
}

core::Result<int> ForgetAddressesIn(Db& db, const std::vector<std::string>& addresses,
                                    std::int64_t now_ms) {
  if (addresses.empty()) return 0;
  const std::string in = "(" + Placeholders(addresses.size()) + ")";
  auto parts = RunFor(db,
                      "UPDATE outbox_part SET text = '', updated_at_ms = ?,"
                      " state = CASE WHEN state IN ('queued', 'in_flight') THEN 'failed'"
                      " ELSE state END,"
                      " last_error = CASE WHEN state IN ('queued', 'in_flight') THEN 'erased'"
                      " ELSE last_error END"
                      " WHERE message_id IN (SELECT id FROM outbox_message WHERE address IN " +
                          in + ")",
                      {}, now_ms, addresses);
  if (!parts.ok()) return parts.error();
  auto q = db.Prepare("UPDATE outbox_message SET body = '{}', address = '' WHERE address IN " + in);
  if (!q.ok()) return q.error();
  int n = 0;
  for (const auto& a : addresses) q.value()->Bind(++n, a);
  if (auto s = q.value()->Run(); !s.ok()) return s.error();
  return static_cast<int>(db.Changes());
}

}  // namespace satupintu::outbox
