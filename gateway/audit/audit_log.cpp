#include "audit/audit_log.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <string_view>

#include "core/hex.hpp"

namespace satupintu::audit {
namespace {

using core::ErrorCode;
using core::MakeError;

constexpr std::string_view kGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Length-prefixed fields: no two different rows serialise to the same bytes.
void Field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out.push_back(':');
  out.append(value);
  out.push_back(';');
}

std::string Sha256Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), digest, &n, EVP_sha256(), nullptr);
  return core::HexLower({reinterpret_cast<const char*>(digest), n});
}

}  // namespace

std::string ChainHash(const std::string& prev_hash, std::int64_t id, const Entry& e) {
  std::string data;
  data.reserve(256);
  Field(data, prev_hash);
  Field(data, std::to_string(id));
  Field(data, std::to_string(e.at_ms));
  Field(data, e.actor);
  Field(data, e.action);
  Field(data, e.object);
  Field(data, e.purpose);
  Field(data, e.ip);
  Field(data, e.outcome);
  return Sha256Hex(data);
}

core::Result<std::int64_t> Append(storage::Db& db, const Entry& e) {
  if (e.actor.empty() || e.action.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "audit entry without actor or action");
  }
  auto last = db.Prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
  if (!last.ok()) return last.error();
  std::int64_t prev_id = 0;
  std::string prev_hash(kGenesis);
  const int rc = last.value()->Step();
  if (rc == SQLITE_ROW) {
    prev_id = last.value()->ColumnInt(0);
    prev_hash = last.value()->ColumnText(1);
  } else if (rc != SQLITE_DONE) {
    last.value()->Reset();
    return db.LastError("reading the audit chain");
  }
  last.value()->Reset();
  const std::int64_t id = prev_id + 1;
  const std::string hash = ChainHash(prev_hash, id, e);
  auto insert = db.Prepare(
      "INSERT INTO audit_log (id, at_ms, actor, action, object, purpose, ip, outcome, "
      "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.error();
  if (auto s = insert.value()
                   ->Bind(1, id)
                   .Bind(2, e.at_ms)
                   .Bind(3, e.actor)
                   .Bind(4, e.action)
                   .Bind(5, e.object)
                   .Bind(6, e.purpose)
                   .Bind(7, e.ip)
                   .Bind(8, e.outcome)
                   .Bind(9, prev_hash)
                   .Bind(10, hash)
                   .Run();
      !s.ok()) {
    return s.error();
  }
  return id;
}

core::Result<Head> HeadOf(storage::Db& db) {
  auto q = db.Prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
  if (!q.ok()) return q.error();
  Head head;
  auto found = storage::FirstRow(db, *q.value(), "audit head", [&](storage::Stmt& r) {
    head = Head{r.ColumnInt(0), r.ColumnText(1)};
  });
  if (!found.ok()) return found.error();
  return head;
}

core::Status WriteAnchor(const std::string& path, const Head& head) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return core::MakeError(core::ErrorCode::kUnavailable, "cannot write the audit anchor",
                           tmp + ": " + std::strerror(errno));
  }
  // An empty log (id 0) has no hash: "-" keeps the line two words, so it reads back.
  const std::string line =
      std::to_string(head.id) + " " + (head.hash.empty() ? "-" : head.hash) + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written || ::rename(tmp.c_str(), path.c_str()) != 0) {
    return core::MakeError(core::ErrorCode::kUnavailable, "cannot write the audit anchor",
                           path + ": " + std::strerror(errno));
  }
  return {};
}

core::Result<std::optional<Head>> ReadAnchor(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::optional<Head>{};
  Head head;
  if (!(in >> head.id >> head.hash) || head.id < 0) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "the audit anchor " + path + " does not parse");
  }
  if (head.hash == "-") head.hash.clear();
  return std::optional<Head>{head};
}

core::Result<VerifyReport> Verify(storage::Db& db, const std::optional<Head>& anchor) {
  auto rows = db.Prepare(
      "SELECT id, at_ms, actor, action, object, purpose, ip, outcome, prev_hash, hash "
      "FROM audit_log ORDER BY id");
  if (!rows.ok()) return rows.error();
  auto* st = rows.value();
  VerifyReport report;
  std::string prev_hash(kGenesis);
  std::int64_t expected_id = 1;
  int rc = 0;
  while ((rc = st->Step()) == SQLITE_ROW) {
    const std::int64_t id = st->ColumnInt(0);
    Entry e;
    e.at_ms = st->ColumnInt(1);
    e.actor = st->ColumnText(2);
    e.action = st->ColumnText(3);
    e.object = st->ColumnText(4);
    e.purpose = st->ColumnText(5);
    e.ip = st->ColumnText(6);
    e.outcome = st->ColumnText(7);
    const std::string stored_prev = st->ColumnText(8);
    const std::string stored_hash = st->ColumnText(9);
    ++report.entries;
    auto fail = [&](std::string problem) {
      report.ok = false;
      report.first_bad_id = id;
      report.problem = std::move(problem);
    };
    if (id != expected_id) {
      fail("entry " + std::to_string(expected_id) + " is missing (next is " + std::to_string(id) +
           ")");
    } else if (stored_prev != prev_hash) {
      fail("entry " + std::to_string(id) + " does not follow the entry before it");
    } else if (ChainHash(prev_hash, id, e) != stored_hash) {
      fail("entry " + std::to_string(id) + " was changed after it was written");
    }
    if (!report.ok) break;
    prev_hash = stored_hash;
    ++expected_id;
  }
  st->Reset();
  if (report.ok && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    return db.LastError("reading the audit log");
  }
  if (report.ok && anchor.has_value() && anchor->id > 0) {
    auto q = db.Prepare("SELECT hash FROM audit_log WHERE id = ?");
    if (!q.ok()) return q.error();
    q.value()->Bind(1, anchor->id);
    std::string hash;
    auto found = storage::FirstRow(db, *q.value(), "anchored row",
                                   [&](storage::Stmt& r) { hash = r.ColumnText(0); });
    if (!found.ok()) return found.error();
    if (!found.value()) {
      report.ok = false;
      report.first_bad_id = anchor->id;
      report.problem = "the log ends before entry " + std::to_string(anchor->id) +
                       ", which the anchor recorded: its last entries were removed";
    } else if (hash != anchor->hash) {
      report.ok = false;
      report.first_bad_id = anchor->id;
      report.problem = "entry " + std::to_string(anchor->id) +
                       " is not the one the anchor recorded: the log was rewritten";
    }
  }
  return report;
}

}  // namespace satupintu::audit
