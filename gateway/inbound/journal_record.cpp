#include "inbound/journal_record.hpp"

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "storage/sqlite.hpp"

namespace satupintu::inbound {
namespace {

using adapters::DeliveryState;
using adapters::MessageKind;
using nlohmann::json;

constexpr std::array<std::pair<MessageKind, const char*>, 6> kKinds{{
    {MessageKind::kText, "text"},
    {MessageKind::kButton, "button"},
    {MessageKind::kContact, "contact"},
    {MessageKind::kMedia, "media"},
    {MessageKind::kLocation, "location"},
    {MessageKind::kUnsupported, "unsupported"},
}};

constexpr std::array<std::pair<DeliveryState, const char*>, 4> kStates{{
    {DeliveryState::kSent, "sent"},
    {DeliveryState::kDelivered, "delivered"},
    {DeliveryState::kRead, "read"},
    {DeliveryState::kFailed, "failed"},
}};

template <typename Enum, std::size_t N>
const char* NameOf(const std::array<std::pair<Enum, const char*>, N>& table, Enum value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return table.front().second;
}

template <typename Enum, std::size_t N>
std::optional<Enum> ValueOf(const std::array<std::pair<Enum, const char*>, N>& table,
                            std::string_view name) {
  for (const auto& [e, n] : table) {
    if (name == n) return e;
  }
  return std::nullopt;
}

// Invalid UTF-8 from a provider must not make the request fail: replace, do not throw.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string MessagePayload(const adapters::InboundMessage& m) {
  return Dump({{"type", "message"},
               {"kind", NameOf(kKinds, m.kind)},
               {"address", m.address},
               {"text", m.text},
               {"choice_id", m.choice_id},
               {"contact_phone", m.contact_phone},
               {"reply_to", m.reply_to},
               {"language", m.language},
               {"sent_at_s", m.sent_at_s},
               {"callback_query_id", m.callback_query_id},
               {"raw", m.raw}});
}

std::string StatusPayload(const adapters::StatusUpdate& s) {
  return Dump({{"type", "status"},
               {"provider_message_id", s.provider_message_id},
               {"state", NameOf(kStates, s.state)},
               {"error_code", s.error_code},
               {"error_title", s.error_title},
               {"outside_window", s.outside_window},
               {"at_s", s.at_s}});
}

core::Error Invalid(const char* why) {
  return core::MakeError(core::ErrorCode::kInvalidArgument, why);
}

// A missing field reads as empty (rows written before a field existed); a field of the wrong
// type makes the row unusable rather than guessed at.
std::string Str(const json& p, const char* key) {
  const auto it = p.find(key);
  return it != p.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t Int(const json& p, const char* key) {
  const auto it = p.find(key);
  return it != p.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

}  // namespace

std::vector<storage::InboundRecord> JournalRecords(const std::string& channel,
                                                   const adapters::ParsedRequest& parsed) {
  std::vector<storage::InboundRecord> records;
  records.reserve(parsed.messages.size() + parsed.statuses.size());
  for (const auto& m : parsed.messages)
    records.push_back({channel, m.provider_id, MessagePayload(m)});
  for (const auto& s : parsed.statuses) {
    records.push_back({channel, "status:" + s.provider_message_id + ":" + NameOf(kStates, s.state),
                       StatusPayload(s)});
  }
  return records;
}

core::Result<JournalEntry> ParseJournalPayload(std::string_view payload) {
  const json p = json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (!p.is_object()) return Invalid("payload is not a JSON object");
  const std::string type = Str(p, "type");
  if (type == "status") {
    adapters::StatusUpdate s;
    const auto state = ValueOf(kStates, Str(p, "state"));
    if (!state) return Invalid("unknown status");
    s.state = *state;
    s.provider_message_id = Str(p, "provider_message_id");
    s.error_code = Str(p, "error_code");
    s.error_title = Str(p, "error_title");
    const auto window = p.find("outside_window");
    s.outside_window = window != p.end() && window->is_boolean() && window->get<bool>();
    s.at_s = Int(p, "at_s");
    return JournalEntry(std::move(s));
  }
  if (type != "message") return Invalid("unknown type");
  if (p.contains("redacted")) return Invalid("message redacted after processing");
  adapters::InboundMessage m;
  m.kind = ValueOf(kKinds, Str(p, "kind")).value_or(MessageKind::kUnsupported);
  m.address = Str(p, "address");
  m.text = Str(p, "text");
  m.choice_id = Str(p, "choice_id");
  m.contact_phone = Str(p, "contact_phone");
  m.reply_to = Str(p, "reply_to");
  m.language = Str(p, "language");
  m.sent_at_s = Int(p, "sent_at_s");
  m.callback_query_id = Str(p, "callback_query_id");
  m.raw = Str(p, "raw");
  return JournalEntry(std::move(m));
}

namespace {

constexpr const char* kRedactionCursor = "redaction";
constexpr const char* kDispatcherCursor = "channels";  // inbound::Dispatcher::kCursor

// The redacted form of a message payload; statuses and rows already redacted come back as is.
std::optional<std::string> RedactedPayload(std::string_view payload) {
  json p = json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (!p.is_object() || Str(p, "type") != "message" || p.contains("redacted")) return std::nullopt;
  return Dump({{"type", "message"},
               {"kind", Str(p, "kind")},
               {"choice_id", Str(p, "choice_id")},
               {"reply_to", Str(p, "reply_to")},
               {"language", Str(p, "language")},
               {"sent_at_s", Int(p, "sent_at_s")},
               {"redacted", true}});
}

core::Result<std::int64_t> CursorOf(storage::Db& db, const char* consumer) {
  auto q = db.Prepare("SELECT last_id FROM journal_cursor WHERE consumer = ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, std::string_view(consumer));
  std::int64_t last_id = 0;
  auto read = storage::FirstRow(db, *q.value(), "journal cursor",
                                [&](storage::Stmt& r) { last_id = r.ColumnInt(0); });
  if (!read.ok()) return read.error();
  return last_id;
}

}  // namespace

core::Result<int> RedactProcessedJournal(storage::Db& db, std::int64_t older_than_ms, int limit) {
  auto from = CursorOf(db, kRedactionCursor);
  if (!from.ok()) return from.error();
  auto processed = CursorOf(db, kDispatcherCursor);
  if (!processed.ok()) return processed.error();
  auto rows = db.Prepare(
      "SELECT id, received_at_ms, payload FROM inbound_journal WHERE id > ? AND id <= ?"
      " ORDER BY id LIMIT ?");
  if (!rows.ok()) return rows.error();
  rows.value()->Bind(1, from.value()).Bind(2, processed.value()).Bind(3, limit);
  std::vector<std::pair<std::int64_t, std::string>> rewrites;
  std::int64_t last = from.value();
  bool too_young = false;
  auto read = storage::ForEachRow(db, *rows.value(), "journal to redact", [&](storage::Stmt& r) {
    if (too_young || r.ColumnInt(1) >= older_than_ms) {
      too_young = true;  // ids follow arrival: the rest are younger still
      return;
    }
    last = r.ColumnInt(0);
    if (auto redacted = RedactedPayload(r.ColumnText(2))) rewrites.emplace_back(last, *redacted);
  });
  if (!read.ok()) return read.error();
  if (last == from.value()) return 0;
  auto update = db.Prepare("UPDATE inbound_journal SET payload = ? WHERE id = ?");
  if (!update.ok()) return update.error();
  for (const auto& [id, payload] : rewrites) {
    if (auto s = update.value()->Bind(1, std::string_view(payload)).Bind(2, id).Run(); !s.ok()) {
      return s.error();
    }
  }
  auto save = db.Prepare(
      "INSERT INTO journal_cursor (consumer, last_id) VALUES (?, ?)"
      " ON CONFLICT (consumer) DO UPDATE SET last_id = excluded.last_id");
  if (!save.ok()) return save.error();
  if (auto s = save.value()->Bind(1, std::string_view(kRedactionCursor)).Bind(2, last).Run();
      !s.ok()) {
    return s.error();
  }
  return static_cast<int>(rewrites.size());
}

}  // namespace satupintu::inbound
