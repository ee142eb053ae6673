#include "citizens/citizens.hpp"

namespace satupintu::citizens {
namespace {

using core::ErrorCode;
using core::MakeError;
using storage::Db;
using storage::Stmt;

constexpr std::size_t kMaxChannelLength = 64;

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The error names the argument, never its value: addresses are personal data.
core::Result<AddressKind> CheckAddress(std::string_view address, const char* what) {
  auto kind = KindOf(address);
  if (!kind) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(what) + " is not an E.164 phone number or a tg:<chat id>");
  }
  return *kind;
}

core::Status CheckChannel(std::string_view channel) {
  if (channel.empty() || channel.size() > kMaxChannelLength) {
    return MakeError(ErrorCode::kInvalidArgument, "channel must be 1-64 characters");
  }
  return {};
}

// Runs a query bound by `bind` that yields at most one integer column.
template <typename Bind>
core::Result<std::optional<std::int64_t>> OptionalInt(Db& db, const std::string& sql, Bind bind,
                                                      std::string_view what) {
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.error();
  Stmt* q = stmt.value();
  bind(*q);
  std::optional<std::int64_t> out;
  auto found = storage::FirstRow(db, *q, what, [&](Stmt& row) {
    if (!row.ColumnIsNull(0)) out = row.ColumnInt(0);
  });
  if (!found.ok()) return found.error();
  return out;
}

core::Result<std::optional<std::int64_t>> OwnerOf(Db& db, std::string_view address) {
  return OptionalInt(
      db, "SELECT citizen_id FROM citizen_address WHERE address = ?",
      [&](Stmt& q) { q.Bind(1, address); }, "find address");
}

core::Result<std::int64_t> NewCitizen(Db& db, std::int64_t now_ms) {
  auto stmt = db.Prepare("INSERT INTO citizen (created_at_ms) VALUES (?)");
  if (!stmt.ok()) return stmt.error();
  if (auto s = stmt.value()->Bind(1, now_ms).Run(); !s.ok()) return s.error();
  return db.LastInsertId();
}

core::Status AddAddress(Db& db, std::string_view address, AddressKind kind, std::int64_t citizen_id,
                        std::int64_t now_ms) {
  auto stmt = db.Prepare(
      "INSERT INTO citizen_address (address, citizen_id, kind, created_at_ms) VALUES (?,?,?,?)");
  if (!stmt.ok()) return stmt.error();
  return stmt.value()
      ->Bind(1, address)
      .Bind(2, citizen_id)
      .Bind(3, std::string_view(AddressKindName(kind)))
      .Bind(4, now_ms)
      .Run();
}

// The owner of `address`, created with a new citizen when the address is new.
core::Result<std::int64_t> EnsureAddress(Db& db, std::string_view address, AddressKind kind,
                                         std::int64_t now_ms) {
  auto owner = OwnerOf(db, address);
  if (!owner.ok()) return owner.error();
  if (owner.value()) return *owner.value();
  auto citizen = NewCitizen(db, now_ms);
  if (!citizen.ok()) return citizen.error();
  if (auto s = AddAddress(db, address, kind, citizen.value(), now_ms); !s.ok()) return s.error();
  return citizen.value();
}

// Moves everything of `from` to `into` and leaves `from` as a pointer to `into`. Citizens
// merged into `from` earlier are re-pointed too, so every pointer is one hop.
core::Status Merge(Db& db, std::int64_t from, std::int64_t into) {
  constexpr const char* kSteps[] = {
      "UPDATE citizen_address SET citizen_id = ?2 WHERE citizen_id = ?1",
      ("UPDATE citizen SET language = (SELECT language FROM citizen WHERE id = ?1)"
       " WHERE id = ?2 AND language IS NULL"),  // one statement on two lines
      "UPDATE citizen SET merged_into = ?2 WHERE id = ?1 OR merged_into = ?1",
  };
  for (const char* sql : kSteps) {
    auto stmt = db.Prepare(sql);
    if (!stmt.ok()) return stmt.error();
    if (auto s = stmt.value()->Bind(1, from).Bind(2, into).Run(); !s.ok()) return s;
  }
  return {};
}

bool ValidLanguage(std::string_view tag) {
  if (tag.size() < 2 || tag.size() > 35) return false;
  for (char c : tag) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

const char* AddressKindName(AddressKind kind) {
  return kind == AddressKind::kPhone ? "phone" : "telegram";
}

std::optional<AddressKind> KindOf(std::string_view address) {
  constexpr std::string_view kTelegram = "tg:";
  if (address.substr(0, kTelegram.size()) == kTelegram) {
    std::string_view id = address.substr(kTelegram.size());
    if (!id.empty() && id.front() == '-') id.remove_prefix(1);
    if (id.size() > 20 || !AllDigits(id)) return std::nullopt;
    return AddressKind::kTelegram;
  }
  if (address.size() < 7 || address.size() > 15 || !AllDigits(address) || address[0] == '0') {
    return std::nullopt;
  }
  return AddressKind::kPhone;
}

core::Result<std::int64_t> TouchInbound(Db& db, std::string_view address, std::string_view channel,
                                        std::int64_t at_ms) {
  auto kind = CheckAddress(address, "address");
  if (!kind.ok()) return kind.error();
  if (auto s = CheckChannel(channel); !s.ok()) return s.error();
  auto citizen = EnsureAddress(db, address, kind.value(), at_ms);
  if (!citizen.ok()) return citizen.error();
  auto stmt = db.Prepare(
      "INSERT INTO address_channel (address, channel, last_inbound_at_ms) VALUES (?,?,?)"
      " ON CONFLICT (address, channel) DO UPDATE SET"
      " last_inbound_at_ms = MAX(last_inbound_at_ms, excluded.last_inbound_at_ms)");
  if (!stmt.ok()) return stmt.error();
  if (auto s = stmt.value()->Bind(1, address).Bind(2, channel).Bind(3, at_ms).Run(); !s.ok()) {
    return s.error();
  }
  return citizen.value();
}

core::Result<std::int64_t> LinkPhone(Db& db, std::string_view telegram_address,
                                     std::string_view phone, std::int64_t now_ms) {
  auto tg_kind = CheckAddress(telegram_address, "telegram address");
  if (!tg_kind.ok()) return tg_kind.error();
  auto phone_kind = CheckAddress(phone, "phone");
  if (!phone_kind.ok()) return phone_kind.error();
  if (tg_kind.value() != AddressKind::kTelegram || phone_kind.value() != AddressKind::kPhone) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "LinkPhone takes a tg:<chat id> and an E.164 phone number");
  }
  auto tg_owner = OwnerOf(db, telegram_address);
  if (!tg_owner.ok()) return tg_owner.error();
  auto phone_owner = OwnerOf(db, phone);
  if (!phone_owner.ok()) return phone_owner.error();

  const std::optional<std::int64_t> t = tg_owner.value();
  const std::optional<std::int64_t> p = phone_owner.value();
  if (!t && !p) {
    auto citizen = EnsureAddress(db, phone, AddressKind::kPhone, now_ms);
    if (!citizen.ok()) return citizen.error();
    if (auto s = AddAddress(db, telegram_address, AddressKind::kTelegram, citizen.value(), now_ms);
        !s.ok()) {
      return s.error();
    }
    return citizen.value();
  }
  if (!t) {
    if (auto s = AddAddress(db, telegram_address, AddressKind::kTelegram, *p, now_ms); !s.ok()) {
      return s.error();
    }
    return *p;
  }
  if (!p) {
    if (auto s = AddAddress(db, phone, AddressKind::kPhone, *t, now_ms); !s.ok()) return s.error();
    return *t;
  }
  if (*t == *p) return *p;
  if (auto s = Merge(db, *t, *p); !s.ok()) return s.error();
  return *p;
}

core::Status MarkOptedOut(Db& db, std::string_view address, std::int64_t now_ms) {
  auto kind = CheckAddress(address, "address");
  if (!kind.ok()) return kind.error();
  if (auto owner = EnsureAddress(db, address, kind.value(), now_ms); !owner.ok()) {
    return owner.error();
  }
  auto stmt = db.Prepare(
      "UPDATE citizen_address SET opted_out_at_ms = ? WHERE address = ?"
      " AND opted_out_at_ms IS NULL");
  if (!stmt.ok()) return stmt.error();
  return stmt.value()->Bind(1, now_ms).Bind(2, address).Run();
}

core::Status ClearOptOut(Db& db, std::string_view address) {
  if (auto kind = CheckAddress(address, "address"); !kind.ok()) return kind.error();
  auto stmt = db.Prepare("UPDATE citizen_address SET opted_out_at_ms = NULL WHERE address = ?");
  if (!stmt.ok()) return stmt.error();
  return stmt.value()->Bind(1, address).Run();
}

core::Result<bool> IsOptedOut(Db& db, std::string_view address) {
  auto at = OptionalInt(
      db, "SELECT opted_out_at_ms FROM citizen_address WHERE address = ?",
      [&](Stmt& q) { q.Bind(1, address); }, "read opt-out");
  if (!at.ok()) return at.error();
  return at.value().has_value();
}

core::Result<std::optional<std::int64_t>> CitizenOf(Db& db, std::string_view address) {
  return OwnerOf(db, address);
}

core::Result<std::optional<std::int64_t>> ResolveCitizen(Db& db, std::int64_t citizen_id) {
  return OptionalInt(
      db, "SELECT COALESCE(merged_into, id) FROM citizen WHERE id = ?",
      [&](Stmt& q) { q.Bind(1, citizen_id); }, "resolve citizen");
}

core::Result<std::vector<Address>> AddressesOf(Db& db, std::int64_t citizen_id) {
  auto live = ResolveCitizen(db, citizen_id);
  if (!live.ok()) return live.error();
  std::vector<Address> out;
  if (!live.value()) return out;
  auto stmt = db.Prepare(
      "SELECT a.address, a.kind, a.created_at_ms, a.opted_out_at_ms, c.channel,"
      " c.last_inbound_at_ms FROM citizen_address a"
      " LEFT JOIN address_channel c ON c.address = a.address"
      " WHERE a.citizen_id = ? ORDER BY a.address, c.channel");
  if (!stmt.ok()) return stmt.error();
  Stmt* q = stmt.value();
  q->Bind(1, *live.value());
  auto listed = storage::ForEachRow(db, *q, "list addresses", [&](Stmt& row) {
    std::string address = row.ColumnText(0);
    if (out.empty() || out.back().address != address) {
      Address a;
      a.address = std::move(address);
      a.kind = row.ColumnText(1) == "telegram" ? AddressKind::kTelegram : AddressKind::kPhone;
      a.created_at_ms = row.ColumnInt(2);
      if (!row.ColumnIsNull(3)) a.opted_out_at_ms = row.ColumnInt(3);
      out.push_back(std::move(a));
    }
    if (!row.ColumnIsNull(4)) out.back().channels.push_back({row.ColumnText(4), row.ColumnInt(5)});
  });
  if (!listed.ok()) return listed.error();
  return out;
}

core::Result<std::optional<std::int64_t>> LastInbound(Db& db, std::string_view address,
                                                      std::string_view channel) {
  return OptionalInt(
      db, "SELECT last_inbound_at_ms FROM address_channel WHERE address = ? AND channel = ?",
      [&](Stmt& q) { q.Bind(1, address).Bind(2, channel); }, "read last inbound");
}

core::Result<std::optional<std::string>> PhoneOf(Db& db, std::int64_t citizen_id) {
  auto live = ResolveCitizen(db, citizen_id);
  if (!live.ok()) return live.error();
  if (!live.value()) return std::optional<std::string>();
  // NULLs sort last in DESC order: a phone that never wrote comes after one that did.
  auto stmt = db.Prepare(
      "SELECT a.address FROM citizen_address a"
      " LEFT JOIN address_channel c ON c.address = a.address"
      " WHERE a.citizen_id = ? AND a.kind = 'phone' GROUP BY a.address"
      " ORDER BY a.opted_out_at_ms IS NOT NULL, MAX(c.last_inbound_at_ms) DESC,"
      " a.created_at_ms DESC, a.address LIMIT 1");
  if (!stmt.ok()) return stmt.error();
  Stmt* q = stmt.value();
  q->Bind(1, *live.value());
  std::optional<std::string> out;
  auto found = storage::FirstRow(db, *q, "find phone", [&](Stmt& row) { out = row.ColumnText(0); });
  if (!found.ok()) return found.error();
  return out;
}

core::Result<std::optional<std::string>> LanguageOf(Db& db, std::int64_t citizen_id) {
  auto live = ResolveCitizen(db, citizen_id);
  if (!live.ok()) return live.error();
  if (!live.value()) return std::optional<std::string>();
  auto stmt = db.Prepare("SELECT language FROM citizen WHERE id = ?");
  if (!stmt.ok()) return stmt.error();
  Stmt* q = stmt.value();
  q->Bind(1, *live.value());
  std::optional<std::string> out;
  auto found = storage::FirstRow(db, *q, "read language", [&](Stmt& row) {
    if (!row.ColumnIsNull(0)) out = row.ColumnText(0);
  });
  if (!found.ok()) return found.error();
  return out;
}

core::Status SetLanguage(Db& db, std::int64_t citizen_id, std::string_view language) {
  if (!language.empty() && !ValidLanguage(language)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "language must be a BCP 47 tag (2-35 of [A-Za-z0-9-]) or empty");
  }
  auto live = ResolveCitizen(db, citizen_id);
  if (!live.ok()) return live.error();
  if (!live.value()) return MakeError(ErrorCode::kNotFound, "no such citizen");
  auto stmt = db.Prepare("UPDATE citizen SET language = NULLIF(?, '') WHERE id = ?");
  if (!stmt.ok()) return stmt.error();
  return stmt.value()->Bind(1, language).Bind(2, *live.value()).Run();
}

}  // namespace satupintu::citizens
