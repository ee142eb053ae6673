#include "broadcast/broadcast_store.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include "adapters/core/phone.hpp"
#include "adapters/sms/analysis.hpp"
#include "adapters/sms/substitute.hpp"
#include "broadcast/text_check.hpp"
#include "compose/compose.hpp"
#include "registry/snapshot_file.hpp"

namespace satupintu::broadcast {
namespace {

using core::ErrorCode;
using core::MakeError;
using storage::Db;
using tickets::Actor;
using tickets::Role;
using json = nlohmann::json;

constexpr std::size_t kMaxTitle = 120;
constexpr std::size_t kMaxText = 1'600;
constexpr std::int64_t kMaxUploadLines = 200'000;

core::Result<int> ClockMinutes(const std::string& s, const char* name) {
  if (s.size() != 5 || s[2] != ':' || !std::isdigit(static_cast<unsigned char>(s[0])) ||
      !std::isdigit(static_cast<unsigned char>(s[1])) ||
      !std::isdigit(static_cast<unsigned char>(s[3])) ||
      !std::isdigit(static_cast<unsigned char>(s[4]))) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(name) + ": \"HH:MM\"");
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m > 0)) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(name) + ": not a time of day");
  }
  return h * 60 + m;
}

std::string ClockText(int minutes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

std::string MessageKey(std::int64_t id, std::int64_t row, int round) {
  std::string key = "bc" + std::to_string(id) + "-" + std::to_string(row);
  if (round > 0) key += "-r" + std::to_string(round);
  return key;
}

bool Manages(const Actor& actor) { return actor.role == Role::kManager; }

core::Result<Broadcast> RowToBroadcast(storage::Stmt& st) {
  Broadcast b;
  b.id = st.ColumnInt(0);
  b.region = st.ColumnText(1);
  b.title = st.ColumnText(2);
  try {
    b.texts = json::parse(st.ColumnText(3)).get<std::map<std::string, std::string>>();
    auto audience = ParseAudience(json::parse(st.ColumnText(4)));
    if (!audience.ok()) return audience.error();
    b.audience = std::move(audience).value();
    const std::string preview = st.ColumnText(10);
    if (!preview.empty()) b.preview = json::parse(preview);
  } catch (const json::exception&) {
    return MakeError(ErrorCode::kInternal, "broadcast " + std::to_string(b.id) + " is damaged");
  }
  b.window.start_minute = static_cast<int>(st.ColumnInt(5));
  b.window.end_minute = static_cast<int>(st.ColumnInt(6));
  b.start_at_ms = st.ColumnInt(7);
  b.state = ParseState(st.ColumnText(8)).value_or(State::kDraft);
  b.revision = static_cast<int>(st.ColumnInt(9));
  b.preview_revision = static_cast<int>(st.ColumnInt(11));
  b.author = st.ColumnInt(12);
  b.approver = st.ColumnInt(13);
  b.round = static_cast<int>(st.ColumnInt(14));
  b.created_at_ms = st.ColumnInt(15);
  b.updated_at_ms = st.ColumnInt(16);
  b.approved_at_ms = st.ColumnInt(17);
  b.finished_at_ms = st.ColumnInt(18);
  b.planned_at_ms = st.ColumnInt(19);
  return b;
}

constexpr char kColumns[] =
    "id, region, title, texts, audience, window_start, window_end, start_at_ms, state, revision, "
    "preview, preview_revision, author, approver, round, created_at_ms, updated_at_ms, "
    "approved_at_ms, finished_at_ms, planned_at_ms";

// Every row of `st` (selecting kColumns) as a broadcast.
core::Result<std::vector<Broadcast>> Collect(Db& db, storage::Stmt& st, std::string_view what) {
  std::vector<Broadcast> out;
  auto s = storage::ForEachRow(db, st, what, [&](storage::Stmt& row) -> core::Status {
    auto b = RowToBroadcast(row);
    if (!b.ok()) return b.error();
    out.push_back(std::move(b).value());
    return {};
  });
  if (!s.ok()) return s.error();
  return out;
}

// The channels a broadcast's rows name: where its messages may wait in the outbox.
core::Result<Policy> ChannelsOf(Db& db, std::int64_t id) {
  Policy all;
  auto q = db.Prepare(
      "SELECT DISTINCT channel FROM broadcast_recipient WHERE broadcast_id = ? AND channel <> ''");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, id);
  auto s = storage::ForEachRow(db, *q.value(), "broadcast channels", [&](storage::Stmt& row) {
    all.delivery.channels[row.ColumnText(0)] = 0;
  });
  if (!s.ok()) return s.error();
  return all;
}

core::Result<std::optional<Broadcast>> ById(Db& db, std::int64_t id) {
  auto q = db.Prepare(std::string("SELECT ") + kColumns + " FROM broadcast WHERE id = ?");
  if (!q.ok()) return q.error();
  auto& st = *q.value();
  st.Bind(1, id);
  const int rc = st.Step();
  std::optional<Broadcast> out;
  if (rc == SQLITE_ROW) {
    auto b = RowToBroadcast(st);
    if (!b.ok()) {
      st.Reset();
      return b.error();
    }
    out = std::move(b).value();
  }
  st.Reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db.LastError("broadcast");
  return out;
}

core::Status SetState(Db& db, std::int64_t id, State state, std::int64_t now_ms) {
  auto q = db.Prepare(
      "UPDATE broadcast SET state = ?, updated_at_ms = ?, "
      "finished_at_ms = CASE WHEN ? IN ('done', 'cancelled') THEN ? ELSE finished_at_ms END "
      "WHERE id = ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, StateName(state)).Bind(2, now_ms).Bind(3, StateName(state));
  q.value()->Bind(4, now_ms).Bind(5, id);
  return q.value()->Run();
}

core::Status CheckDraft(const Actor& actor, const Draft& draft, const Policy& policy,
                        AudienceFilter* audience, SendWindow* window) {
  if (policy.content.office_names.empty()) {
    return MakeError(ErrorCode::kConflict,
                     "broadcast.office_names is not configured: a broadcast must name its office");
  }
  if (draft.title.empty() || draft.title.size() > kMaxTitle) {
    return MakeError(ErrorCode::kInvalidArgument, "title: 1-120 characters");
  }
  if (!draft.texts.contains("id")) {
    return MakeError(ErrorCode::kInvalidArgument, "texts.id: the Indonesian text is required");
  }
  auto parsed = ParseAudience(draft.audience);
  if (!parsed.ok()) return parsed.error();
  *audience = std::move(parsed).value();
  if (audience->region.empty()) audience->region = actor.region;
  if (!tickets::RegionContains(actor.region, audience->region)) {
    return MakeError(ErrorCode::kPermissionDenied, "audience.region: outside your region");
  }
  for (const auto& [language, text] : draft.texts) {
    if (language.size() < 2 || language.size() > 8 || text.size() > kMaxText) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "texts." + language + ": a language tag and at most 1600 bytes");
    }
    const TextCheck check = CheckText(text, language, policy.content);
    if (!check.error.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "texts." + language + ": " + check.error);
    }
    if (!check.unknown_placeholders.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "texts." + language + ": unknown placeholder {" +
                           check.unknown_placeholders.front() + "} (only {nama}, {desa}, " +
                           "{kode_tiket})");
    }
    if (!check.problems.empty()) {
      std::string names;
      for (const auto& p : check.problems) {
        names += (names.empty() ? "" : ", ") + std::string(ContentProblemName(p.kind));
      }
      return MakeError(ErrorCode::kInvalidArgument,
                       "texts." + language + ": refused by the content check: " + names);
    }
    if (text.find("{kode_tiket}") != std::string::npos && audience->source != Source::kTickets) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "texts." + language + ": {kode_tiket} needs an audience of tickets");
    }
  }
  // Unset: the configured window (broadcast.window_start/_end).
  *window = policy.default_window;
  if (!draft.window_start.empty()) {
    auto start = ClockMinutes(draft.window_start, "window_start");
    if (!start.ok()) return start.error();
    window->start_minute = start.value();
  }
  if (!draft.window_end.empty()) {
    auto end = ClockMinutes(draft.window_end, "window_end");
    if (!end.ok()) return end.error();
    window->end_minute = end.value();
  }
  if (!ValidWindow(*window)) {
    return MakeError(ErrorCode::kInvalidArgument, "window_start: must be before window_end");
  }
  return {};
}

core::Result<Broadcast> Loaded(Db& db, const Actor& actor, std::int64_t id) {
  auto b = ById(db, id);
  if (!b.ok()) return b.error();
  if (!b.value().has_value() || !tickets::RegionContains(actor.region, b.value()->region) ||
      !MayCompose(actor).ok()) {
    return MakeError(ErrorCode::kNotFound, "no such broadcast");
  }
  return std::move(b.value()).value();
}

core::Status Conflict(const Broadcast& b, const char* action) {
  return MakeError(ErrorCode::kConflict,
                   std::string("cannot ") + action + " a broadcast that is " + StateName(b.state));
}

// Queued bulk parts of one channel that no sender has touched: the messages of broadcast `id`
// among them, with their recipient rows.
struct Unclaimed {
  std::int64_t message_id = 0;
  std::int64_t row = 0;
};

core::Result<std::vector<Unclaimed>> UnclaimedOf(Db& db, std::int64_t id,
                                                 const std::string& channel) {
  auto q = db.Prepare(
      "SELECT DISTINCT m.id, m.message_key FROM outbox_part p "
      "JOIN outbox_message m ON m.id = p.message_id "
      "WHERE p.state = 'queued' AND p.channel = ? AND p.priority = 2 "
      "AND m.message_key >= ? AND m.message_key < ? "
      "AND NOT EXISTS (SELECT 1 FROM outbox_part o WHERE o.message_id = m.id "
      "                AND (o.state <> 'queued' OR o.attempts > 0))");
  if (!q.ok()) return q.error();
  auto& st = *q.value();
  const std::string low = "bc" + std::to_string(id) + "-";
  const std::string high = "bc" + std::to_string(id) + ".";
  st.Bind(1, channel).Bind(2, low).Bind(3, high);
  std::vector<Unclaimed> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    out.push_back({st.ColumnInt(0), RowOfMessageKey(st.ColumnText(1))});
  }
  st.Reset();
  if (rc != SQLITE_DONE) return db.LastError("broadcast backlog");
  return out;
}

// Takes back from the outbox the messages of `b` no sender claimed yet; their rows become
// `to_state` again ('planned' to send later, 'cancelled'). `zones`: only recipients of these
// zones (empty: all).
core::Result<std::int64_t> Withdraw(Db& db, const Broadcast& b, const Policy& policy,
                                    const std::vector<int>& zones, const char* to_state) {
  std::int64_t n = 0;
  auto del_parts = db.Prepare("DELETE FROM outbox_part WHERE message_id = ?");
  if (!del_parts.ok()) return del_parts.error();
  auto del_message = db.Prepare("DELETE FROM outbox_message WHERE id = ?");
  if (!del_message.ok()) return del_message.error();
  auto row = db.Prepare(
      "UPDATE broadcast_recipient SET state = ?, message_key = '' "
      "WHERE id = ? AND broadcast_id = ? AND state = 'queued' "
      "AND (?4 = '' OR instr(?4, ',' || zone || ',') > 0)");
  if (!row.ok()) return row.error();
  std::string zone_list;
  if (!zones.empty()) {
    zone_list = ",";
    for (int z : zones) zone_list += std::to_string(z) + ",";
  }
  for (const auto& [channel, rate] : policy.delivery.channels) {
    auto unclaimed = UnclaimedOf(db, b.id, channel);
    if (!unclaimed.ok()) return unclaimed.error();
    for (const auto& u : unclaimed.value()) {
      auto& r = *row.value();
      r.Bind(1, to_state).Bind(2, u.row).Bind(3, b.id).Bind(4, zone_list);
      if (auto s = r.Run(); !s.ok()) return s.error();
      if (db.Changes() == 0) continue;  // another zone's
      del_parts.value()->Bind(1, u.message_id);
      if (auto s = del_parts.value()->Run(); !s.ok()) return s.error();
      del_message.value()->Bind(1, u.message_id);
      if (auto s = del_message.value()->Run(); !s.ok()) return s.error();
      ++n;
    }
  }
  return n;
}

std::vector<int> OpenZones(const Broadcast& b, std::int64_t now_ms, bool open) {
  std::vector<int> out;
  for (int z = 0; z < 3; ++z) {
    const bool is_open = NextSendMs(now_ms, static_cast<TimeZone>(z), b.window) == now_ms;
    if (is_open == open) out.push_back(z);
  }
  return out;
}

// The price of one SMS part on `channel`.
std::int64_t PricePerPart(const Policy& policy, const std::string& channel) {
  for (const auto& r : policy.delivery.sms_routes) {
    if (r.channel == channel) return r.price_per_part;
  }
  return 0;
}

bool IsSms(std::string_view channel) {
  return channel.starts_with("kannel:") || channel.starts_with("gammu:");
}

// SMS segments of each language's text, measured with the long samples.
std::map<std::string, int> SegmentsByLanguage(const Broadcast& b, const Policy& policy) {
  std::map<std::string, int> out;
  for (const auto& [language, text] : b.texts) {
    out[language] = std::max(1, CheckText(text, language, policy.content).sms_segments);
  }
  return out;
}

int SegmentsFor(const std::map<std::string, int>& segments, const std::string& language) {
  const auto it = segments.find(language);
  if (it != segments.end()) return it->second;
  const auto id = segments.find("id");
  return id == segments.end() ? 1 : id->second;
}

// When `minutes` of sending that starts at `start_ms` ends, sending only inside `window` on
// the clock of `zone`.
std::int64_t FinishMs(std::int64_t start_ms, double minutes, TimeZone zone,
                      const SendWindow& window) {
  std::int64_t t = NextSendMs(start_ms, zone, window);
  double remaining = minutes * 60'000.0;
  for (int day = 0; day < 400; ++day) {
    const std::int64_t offset = std::int64_t{UtcOffsetMinutes(zone)} * 60'000;
    const std::int64_t local = t + offset;
    const std::int64_t day_start = local - ((local % 86'400'000) + 86'400'000) % 86'400'000;
    const std::int64_t window_end = day_start + std::int64_t{window.end_minute} * 60'000 - offset;
    const auto today = static_cast<double>(window_end - t);
    if (remaining <= today) return t + static_cast<std::int64_t>(std::ceil(remaining));
    remaining -= today;
    t = NextSendMs(window_end, zone, window);
  }
  return t;
}

}  // namespace

const char* StateName(State s) {
  switch (s) {
    case State::kDraft:
      return "draft";
    case State::kApproved:
      return "approved";
    case State::kPlanning:
      return "planning";
    case State::kSending:
      return "sending";
    case State::kPaused:
      return "paused";
    case State::kDone:
      return "done";
    case State::kCancelled:
      return "cancelled";
  }
  return "draft";
}

std::optional<State> ParseState(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(State::kCancelled); ++i) {
    if (name == StateName(static_cast<State>(i))) return static_cast<State>(i);
  }
  return std::nullopt;
}

std::int64_t RowOfMessageKey(std::string_view key) {
  if (!key.starts_with("bc")) return 0;
  const auto dash = key.find('-');
  if (dash == std::string_view::npos) return 0;
  std::int64_t row = 0;
  for (std::size_t i = dash + 1; i < key.size() && key[i] != '-'; ++i) {
    if (key[i] < '0' || key[i] > '9' || row > 100'000'000'000'000LL) return 0;
    row = row * 10 + (key[i] - '0');
  }
  return row;
}

std::string MaskAddress(std::string_view address) {
  if (address.starts_with("tg:")) return "tg:****";
  if (address.size() < 8) return "****";
  return std::string(address.substr(0, 5)) + "****" +
         std::string(address.substr(address.size() - 3));
}

json BroadcastJson(const Broadcast& b) {
  return {{"id", b.id},
          {"region", b.region},
          {"title", b.title},
          {"texts", b.texts},
          {"audience", AudienceJson(b.audience)},
          {"window_start", ClockText(b.window.start_minute)},
          {"window_end", ClockText(b.window.end_minute)},
          {"start_at_ms", b.start_at_ms},
          {"state", StateName(b.state)},
          {"revision", b.revision},
          {"author", b.author},
          {"approver", b.approver},
          {"preview", b.preview_revision == b.revision ? b.preview : json(nullptr)},
          {"round", b.round},
          {"created_at_ms", b.created_at_ms},
          {"updated_at_ms", b.updated_at_ms},
          {"approved_at_ms", b.approved_at_ms},
          {"finished_at_ms", b.finished_at_ms},
          {"planned_at_ms", b.planned_at_ms}};
}

core::Result<Draft> ParseDraft(const json& body) {
  Draft d;
  if (!body.is_object()) return MakeError(ErrorCode::kInvalidArgument, "body: a JSON object");
  for (const auto& [key, value] : body.items()) {
    static const std::set<std::string> kKnown = {"title",        "texts",      "audience",
                                                 "window_start", "window_end", "start_at_ms"};
    if (!kKnown.contains(key)) {
      return MakeError(ErrorCode::kInvalidArgument, key + ": unknown member");
    }
  }
  if (body.contains("title") && body.at("title").is_string()) d.title = body.at("title");
  if (!body.contains("texts") || !body.at("texts").is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "texts: an object of language -> text");
  }
  for (const auto& [language, text] : body.at("texts").items()) {
    if (!text.is_string()) {
      return MakeError(ErrorCode::kInvalidArgument, "texts." + language + ": a string");
    }
    if (!text.get<std::string>().empty()) d.texts[language] = text.get<std::string>();
  }
  d.audience = body.value("audience", json::object());
  if (body.contains("window_start")) {
    if (!body.at("window_start").is_string()) {
      return MakeError(ErrorCode::kInvalidArgument, "window_start: \"HH:MM\"");
    }
    d.window_start = body.at("window_start");
  }
  if (body.contains("window_end")) {
    if (!body.at("window_end").is_string()) {
      return MakeError(ErrorCode::kInvalidArgument, "window_end: \"HH:MM\"");
    }
    d.window_end = body.at("window_end");
  }
  if (body.contains("start_at_ms")) {
    if (!body.at("start_at_ms").is_number_integer() ||
        body.at("start_at_ms").get<std::int64_t>() < 0) {
      return MakeError(ErrorCode::kInvalidArgument, "start_at_ms: milliseconds since 1970, or 0");
    }
    d.start_at_ms = body.at("start_at_ms");
  }
  return d;
}

core::Status MayCompose(const Actor& actor) {
  if (actor.role == Role::kBroadcaster || actor.role == Role::kManager) return {};
  return MakeError(ErrorCode::kPermissionDenied, "broadcasts are for broadcasters and managers");
}

core::Status MayRead(const Actor& actor, const Broadcast& b) {
  if (auto s = MayCompose(actor); !s.ok()) return s;
  if (!tickets::RegionContains(actor.region, b.region)) {
    return MakeError(ErrorCode::kNotFound, "no such broadcast");
  }
  return {};
}

core::Result<Broadcast> Create(Db& db, const Actor& actor, const Draft& draft, const Policy& policy,
                               std::int64_t now_ms) {
  if (auto s = MayCompose(actor); !s.ok()) return s.error();
  AudienceFilter audience;
  SendWindow window;
  if (auto s = CheckDraft(actor, draft, policy, &audience, &window); !s.ok()) return s.error();
  auto q = db.Prepare(
      "INSERT INTO broadcast (region, title, texts, audience, window_start, window_end, "
      "start_at_ms, state, author, created_at_ms, updated_at_ms) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?)");
  if (!q.ok()) return q.error();
  auto& st = *q.value();
  st.Bind(1, audience.region).Bind(2, draft.title).Bind(3, json(draft.texts).dump());
  st.Bind(4, AudienceJson(audience).dump()).Bind(5, window.start_minute);
  st.Bind(6, window.end_minute).Bind(7, draft.start_at_ms).Bind(8, actor.user_id);
  st.Bind(9, now_ms).Bind(10, now_ms);
  if (auto s = st.Run(); !s.ok()) return s.error();
  auto b = ById(db, db.LastInsertId());
  if (!b.ok()) return b.error();
  return std::move(b.value()).value();
}

core::Result<Broadcast> Update(Db& db, const Actor& actor, std::int64_t id, const Draft& draft,
                               const Policy& policy, std::int64_t now_ms) {
  auto b = Loaded(db, actor, id);
  if (!b.ok()) return b.error();
  if (b.value().state != State::kDraft) return Conflict(b.value(), "edit").error();
  AudienceFilter audience;
  SendWindow window;
  if (auto s = CheckDraft(actor, draft, policy, &audience, &window); !s.ok()) return s.error();
  auto q = db.Prepare(
      "UPDATE broadcast SET region = ?, title = ?, texts = ?, audience = ?, window_start = ?, "
      "window_end = ?, start_at_ms = ?, revision = revision + 1, updated_at_ms = ?, author = ? "
      "WHERE id = ?");
  if (!q.ok()) return q.error();
  auto& st = *q.value();
  st.Bind(1, audience.region).Bind(2, draft.title).Bind(3, json(draft.texts).dump());
  st.Bind(4, AudienceJson(audience).dump()).Bind(5, window.start_minute);
  // Whoever changes a draft answers for it: the second person must be someone else.
  st.Bind(6, window.end_minute).Bind(7, draft.start_at_ms).Bind(8, now_ms);
  st.Bind(9, actor.user_id).Bind(10, id);
  if (auto s = st.Run(); !s.ok()) return s.error();
  return Loaded(db, actor, id);
}

core::Result<Broadcast> Load(Db& db, const Actor& actor, std::int64_t id) {
  return Loaded(db, actor, id);
}

core::Result<std::vector<Broadcast>> List(Db& db, const Actor& actor, int limit) {
  if (auto s = MayCompose(actor); !s.ok()) return s.error();
  auto q = db.Prepare(std::string("SELECT ") + kColumns +
                      " FROM broadcast WHERE region = ?1 OR substr(region, 1, length(?1) + 1) = "
                      "?1 || '.' ORDER BY id DESC LIMIT ?2");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, actor.region).Bind(2, limit);
  return Collect(db, *q.value(), "broadcasts");
}

core::Result<UploadReport> Upload(Db& db, const Actor& actor, std::int64_t id, std::string_view csv,
                                  std::int64_t now_ms) {
  auto b = Loaded(db, actor, id);
  if (!b.ok()) return b.error();
  if (b.value().state != State::kDraft)
    return Conflict(b.value(), "change the audience of").error();
  auto clear = db.Prepare("DELETE FROM broadcast_upload WHERE broadcast_id = ?");
  if (!clear.ok()) return clear.error();
  clear.value()->Bind(1, id);
  if (auto s = clear.value()->Run(); !s.ok()) return s.error();
  auto insert =
      db.Prepare("INSERT OR IGNORE INTO broadcast_upload (broadcast_id, address) VALUES (?, ?)");
  if (!insert.ok()) return insert.error();
  UploadReport report;
  std::int64_t line = 0;
  std::size_t pos = 0;
  while (pos < csv.size()) {
    std::size_t end = csv.find('\n', pos);
    if (end == std::string_view::npos) end = csv.size();
    std::string_view text = csv.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (line > kMaxUploadLines) {
      report.rejected.push_back({line, "too_long"});
      break;
    }
    bool blank = true;
    bool digits = false;
    for (char c : text) {
      if (c != ' ' && c != ',' && c != ';' && c != '\t' && c != '"') blank = false;
      if (c >= '0' && c <= '9') digits = true;
    }
    if (blank) continue;
    std::optional<std::string> phone;
    std::size_t f = 0;
    while (f <= text.size() && !phone.has_value()) {
      std::size_t g = text.find_first_of(",;\t", f);
      if (g == std::string_view::npos) g = text.size();
      std::string field(text.substr(f, g - f));
      std::erase(field, '"');
      phone = adapters::NormalizePhone(field);
      f = g + 1;
    }
    if (!phone.has_value()) {
      if (line == 1 && !digits) continue;  // a header
      report.rejected.push_back({line, "not_a_phone_number"});
      continue;
    }
    insert.value()->Bind(1, id).Bind(2, *phone);
    if (auto s = insert.value()->Run(); !s.ok()) return s.error();
    if (db.Changes() == 0) {
      ++report.duplicates;
    } else {
      ++report.accepted;
    }
  }
  auto touch = db.Prepare(
      "UPDATE broadcast SET revision = revision + 1, updated_at_ms = ?, author = ? WHERE id = ?");
  if (!touch.ok()) return touch.error();
  touch.value()->Bind(1, now_ms).Bind(2, actor.user_id).Bind(3, id);
  if (auto s = touch.value()->Run(); !s.ok()) return s.error();
  return report;
}

json PreviewOf(const Broadcast& b, const Audience& audience, const Policy& policy,
               std::int64_t now_ms) {
  const auto segments = SegmentsByLanguage(b, policy);
  struct ChannelCount {
    std::int64_t households = 0;
    std::int64_t by_template = 0;
    std::int64_t parts = 0;
    std::int64_t cost = 0;
  };
  std::map<std::string, ChannelCount> channels;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> kecamatan;  // all, reached
  std::map<std::string, std::int64_t> excluded;
  for (const auto& [kk, village] : audience.unreached) {
    ++kecamatan[KecamatanOf(village)].first;
  }
  if (!audience.unreached.empty()) {
    excluded[ExclusionName(Exclusion::kUnreachable)] +=
        static_cast<std::int64_t>(audience.unreached.size());
  }
  for (const auto& r : audience.recipients) {
    auto& k = kecamatan[KecamatanOf(r.village)];
    ++k.first;
    if (r.excluded != Exclusion::kNone) {
      ++excluded[ExclusionName(r.excluded)];
      continue;
    }
    ++k.second;
    auto& c = channels[r.channel];
    ++c.households;
    if (IsSms(r.channel)) {
      const int parts = SegmentsFor(segments, r.language);
      c.parts += parts;
      c.cost += parts * PricePerPart(policy, r.channel);
    } else {
      c.parts += 1;
    }
    if (r.by_template) {
      ++c.by_template;
      const auto wa = policy.delivery.whatsapp.find(r.channel);
      if (wa != policy.delivery.whatsapp.end()) c.cost += wa->second.template_price;
    }
  }
  const TimeZone zone = ZoneOfRegion(b.region).value_or(TimeZone::kWib);
  // The first moment anything can go: the start time inside the region's window.
  const std::int64_t start = NextSendMs(std::max(now_ms, b.start_at_ms), zone, b.window);
  json channel_rows = json::array();
  std::int64_t cost = 0;
  std::int64_t finish = start;
  json warnings = json::array();
  for (const auto& [name, c] : channels) {
    const auto rate = policy.delivery.channels.find(name);
    const double per_minute = rate == policy.delivery.channels.end() ? 0 : rate->second;
    const double minutes = per_minute > 0 ? static_cast<double>(c.parts) / per_minute : 0;
    std::int64_t channel_finish = FinishMs(start, minutes, zone, b.window);
    json row = {{"channel", name},
                {"households", c.households},
                {"parts", c.parts},
                {"cost", c.cost},
                {"rate_per_minute", per_minute}};
    const auto wa = policy.delivery.whatsapp.find(name);
    if (wa != policy.delivery.whatsapp.end()) {
      row["template_conversations"] = c.by_template;
      row["daily_limit"] = wa->second.daily_conversation_limit;
      if (wa->second.daily_conversation_limit > 0 &&
          c.by_template > wa->second.daily_conversation_limit) {
        // The number opens at most its limit of new conversations a day.
        const std::int64_t days = (c.by_template + wa->second.daily_conversation_limit - 1) /
                                  wa->second.daily_conversation_limit;
        channel_finish = std::max(channel_finish, start + (days - 1) * 86'400'000);
        warnings.push_back({{"kind", "over_daily_limit"}, {"channel", name}, {"days", days}});
      }
    }
    row["finish_at_ms"] = channel_finish;
    finish = std::max(finish, channel_finish);
    cost += c.cost;
    channel_rows.push_back(std::move(row));
  }
  json kecamatan_rows = json::array();
  for (const auto& [code, n] : kecamatan) {
    kecamatan_rows.push_back({{"kecamatan", code}, {"households", n.first}, {"reached", n.second}});
  }
  json blockers = json::array();
  for (const char* kind : {"no_template", "no_route"}) {
    const auto it = excluded.find(kind);
    if (it != excluded.end()) blockers.push_back({{"kind", kind}, {"households", it->second}});
  }
  if (audience.reached == 0) blockers.push_back({{"kind", "nobody_reachable"}, {"households", 0}});
  json sms = json::object();
  for (const auto& [language, text] : b.texts) {
    const TextCheck check = CheckText(text, language, policy.content);
    sms[language] = {{"segments", check.sms_segments}, {"ucs2", check.sms_ucs2}};
  }
  bool prices = !policy.delivery.sms_routes.empty();
  for (const auto& r : policy.delivery.sms_routes) prices = prices && r.price_per_part > 0;
  return {{"revision", b.revision},
          {"computed_at_ms", now_ms},
          {"households", static_cast<std::int64_t>(audience.size())},
          {"reached", audience.reached},
          {"excluded", excluded},
          {"channels", std::move(channel_rows)},
          {"kecamatan", std::move(kecamatan_rows)},
          {"sms", std::move(sms)},
          {"cost", cost},
          {"prices_configured", prices},
          {"start_at_ms", start},
          {"finish_at_ms", finish},
          {"time_zone", TimeZoneName(zone)},
          {"blockers", std::move(blockers)},
          {"warnings", std::move(warnings)}};
}

core::Result<json> Preview(Db& db, const Actor& actor, std::int64_t id, const Policy& policy,
                           std::int64_t now_ms) {
  auto b = Loaded(db, actor, id);
  if (!b.ok()) return b.error();
  auto audience = ResolveAudience(db, b.value().audience, id, policy.delivery, now_ms);
  if (!audience.ok()) return audience.error();
  json preview = PreviewOf(b.value(), audience.value(), policy, now_ms);
  if (b.value().state == State::kDraft) {
    auto q = db.Prepare(
        "UPDATE broadcast SET preview = ?, preview_revision = revision WHERE id = ? "
        "AND revision = ?");
    if (!q.ok()) return q.error();
    q.value()->Bind(1, preview.dump()).Bind(2, id).Bind(3, b.value().revision);
    if (auto s = q.value()->Run(); !s.ok()) return s.error();
  }
  return preview;
}

core::Result<Broadcast> Approve(Db& db, const Actor& actor, std::int64_t id, int revision,
                                bool accept_blockers, std::int64_t now_ms) {
  auto b = Loaded(db, actor, id);
  if (!b.ok()) return b.error();
  if (!Manages(actor)) {
    return MakeError(ErrorCode::kPermissionDenied, "only a manager approves a broadcast");
  }
  if (actor.user_id == b.value().author) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "a broadcast is approved by a second person, not its author");
  }
  if (b.value().state != State::kDraft) return Conflict(b.value(), "approve").error();
  if (revision != b.value().revision) {
    return MakeError(ErrorCode::kConflict,
                     "the broadcast changed since you read it: preview it again");
  }
  if (b.value().preview_revision != b.value().revision) {
    return MakeError(ErrorCode::kConflict, "preview the broadcast before approving it");
  }
  const json& blockers = b.value().preview.value("blockers", json::array());
  if (!blockers.empty() && !accept_blockers) {
    std::string kinds;
    for (const auto& x : blockers) kinds += (kinds.empty() ? "" : ", ") + x.value("kind", "");
    return MakeError(ErrorCode::kConflict, "the preview has blockers (" + kinds +
                                               "): resolve them or approve with "
                                               "accept_blockers");
  }
  auto q = db.Prepare(
      "UPDATE broadcast SET state = 'approved', approver = ?, approved_at_ms = ?, "
      "updated_at_ms = ? WHERE id = ? AND state = 'draft'");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, actor.user_id).Bind(2, now_ms).Bind(3, now_ms).Bind(4, id);
  if (auto s = q.value()->Run(); !s.ok()) return s.error();
  return Loaded(db, actor, id);
}

core::Result<Broadcast> Pause(Db& db, const Actor& actor, std::int64_t id, std::int64_t now_ms) {
  auto b = Loaded(db, actor, id);
  if (!b.ok()) return b.error();
  const State s = b.value().state;
  if (s != State::kSending && s != State::kPlanning && s != State::kApproved) {
    return Conflict(b.value(), "pause").error();
  }
  // Planning goes on to its end when resumed; an approved broadcast keeps its start time.
  if (s == State::kSending) {
    auto all = ChannelsOf(db, id);
    if (!all.ok()) return all.error();
    if (auto w = Withdraw(db, b.value(), all.value(), {}, "planned"); !w.ok()) return w.error();
  }
  if (auto st = SetState(db, id, State::kPaused, now_ms); !st.ok()) return st.error();
  return Loaded(db, actor, id);
}

core::Result<Broadcast> Resume(Db& db, const Actor& actor, std::int64_t id, std::int64_t now_ms) {
  auto b = Loaded(db, actor, id);
  if (!b.ok()) return b.error();
  if (!Manages(actor)) {
    return MakeError(ErrorCode::kPermissionDenied, "only a manager resumes a broadcast");
  }
  if (b.value().state != State::kPaused) return Conflict(b.value(), "resume").error();
  // A complete plan goes on sending; an interrupted or unstarted one plans (again: rows already
  // written are kept, none is written twice).
  const State next = b.value().planned_at_ms > 0 ? State::kSending : State::kApproved;
  if (auto s = SetState(db, id, next, now_ms); !s.ok()) return s.error();
  return Loaded(db, actor, id);
}

core::Result<Broadcast> Cancel(Db& db, const Actor& actor, std::int64_t id, std::int64_t now_ms) {
  auto b = Loaded(db, actor, id);
  if (!b.ok()) return b.error();
  const State s = b.value().state;
  if (s == State::kDone || s == State::kCancelled) return Conflict(b.value(), "cancel").error();
  auto all = ChannelsOf(db, id);
  if (!all.ok()) return all.error();
  if (auto w = Withdraw(db, b.value(), all.value(), {}, "cancelled"); !w.ok()) return w.error();
  auto rows = db.Prepare(
      "UPDATE broadcast_recipient SET state = 'cancelled' WHERE broadcast_id = ? AND state = "
      "'planned'");
  if (!rows.ok()) return rows.error();
  rows.value()->Bind(1, id);
  if (auto st = rows.value()->Run(); !st.ok()) return st.error();
  if (auto st = SetState(db, id, State::kCancelled, now_ms); !st.ok()) return st.error();
  return Loaded(db, actor, id);
}

core::Result<Broadcast> ResendFailed(Db& db, const Actor& actor, std::int64_t id,
                                     std::int64_t now_ms) {
  auto b = Loaded(db, actor, id);
  if (!b.ok()) return b.error();
  if (!Manages(actor)) {
    return MakeError(ErrorCode::kPermissionDenied, "only a manager sends a broadcast again");
  }
  if (b.value().state != State::kDone) return Conflict(b.value(), "resend").error();
  const int round = b.value().round + 1;
  auto q = db.Prepare(
      "UPDATE broadcast_recipient SET state = 'planned', message_key = '', round = ?1 "
      "WHERE broadcast_id = ?2 AND state = 'queued' AND EXISTS ("
      "  SELECT 1 FROM outbox_message m JOIN outbox_part p ON p.message_id = m.id "
      "  WHERE m.message_key = broadcast_recipient.message_key "
      "  AND p.state IN ('failed', 'unknown'))");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, round).Bind(2, id);
  if (auto s = q.value()->Run(); !s.ok()) return s.error();
  const std::int64_t again = db.Changes();
  if (again == 0) {
    return MakeError(ErrorCode::kConflict, "no recipient's message failed");
  }
  auto u = db.Prepare(
      "UPDATE broadcast SET round = ?, state = 'sending', finished_at_ms = 0, updated_at_ms = ? "
      "WHERE id = ?");
  if (!u.ok()) return u.error();
  u.value()->Bind(1, round).Bind(2, now_ms).Bind(3, id);
  if (auto s = u.value()->Run(); !s.ok()) return s.error();
  return Loaded(db, actor, id);
}

core::Result<std::vector<Broadcast>> Active(Db& db, std::int64_t now_ms) {
  auto q = db.Prepare(std::string("SELECT ") + kColumns +
                      " FROM broadcast WHERE state IN ('approved', 'planning', 'sending') "
                      "AND (state <> 'approved' OR start_at_ms <= ?) ORDER BY id");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, now_ms);
  return Collect(db, *q.value(), "active broadcasts");
}

core::Result<bool> BeginPlanning(Db& db, std::int64_t id, std::int64_t now_ms) {
  auto q = db.Prepare(
      "UPDATE broadcast SET state = 'planning', updated_at_ms = ? WHERE id = ? AND state = "
      "'approved'");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, now_ms).Bind(2, id);
  if (auto s = q.value()->Run(); !s.ok()) return s.error();
  return db.Changes() > 0;
}

core::Status WritePlan(Db& db, std::int64_t id, const Audience& audience, std::size_t from,
                       std::size_t count, bool last, std::int64_t now_ms) {
  // Only while planning: a pause or cancel meanwhile stops the plan where it is.
  auto check = db.Prepare("SELECT state, region FROM broadcast WHERE id = ?");
  if (!check.ok()) return check.error();
  check.value()->Bind(1, id);
  const int rc = check.value()->Step();
  const std::string state = rc == SQLITE_ROW ? check.value()->ColumnText(0) : "";
  const std::string region = rc == SQLITE_ROW ? check.value()->ColumnText(1) : "";
  check.value()->Reset();
  if (state != "planning") return {};
  auto q = db.Prepare(
      "INSERT OR IGNORE INTO broadcast_recipient (broadcast_id, household, citizen_id, address, "
      "channel, template, zone, village_code, language, first_name, ticket_code, state, reason) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!q.ok()) return q.error();
  auto& st = *q.value();
  const std::size_t end = std::min(audience.size(), from + count);
  for (std::size_t i = from; i < end; ++i) {
    const Recipient r = audience.Row(i);
    const bool out = r.excluded != Exclusion::kNone;
    st.Bind(1, id);
    st.Bind(2, r.household).Bind(3, r.citizen_id).Bind(4, r.address).Bind(5, r.channel);
    st.Bind(6, r.by_template ? 1 : 0);
    st.Bind(7, static_cast<std::int64_t>(ZoneOf(r.village, region)));
    st.Bind(8, r.village > 0 ? registry::VillageCodeText(r.village) : std::string());
    st.Bind(9, r.language).Bind(10, r.first_name).Bind(11, r.ticket_code);
    st.Bind(12, out ? "excluded" : "planned").Bind(13, ExclusionName(r.excluded));
    if (auto s = st.Run(); !s.ok()) return s;
  }
  if (!last) return {};
  auto done = db.Prepare(
      "UPDATE broadcast SET state = 'sending', planned_at_ms = ?, updated_at_ms = ? WHERE id = ?");
  if (!done.ok()) return done.error();
  done.value()->Bind(1, now_ms).Bind(2, now_ms).Bind(3, id);
  return done.value()->Run();
}

core::Result<SendStep> SendSome(Db& db, const Broadcast& b, const Policy& policy,
                                const Renderer& render, std::int64_t now_ms) {
  SendStep step;
  {
    // Paused or cancelled since the runner read it: nothing more goes out.
    auto current = db.Prepare("SELECT state FROM broadcast WHERE id = ?");
    if (!current.ok()) return current.error();
    current.value()->Bind(1, b.id);
    const bool sending = current.value()->Step() == SQLITE_ROW &&
                         current.value()->ColumnText(0) == StateName(State::kSending);
    current.value()->Reset();
    if (!sending) return step;
  }
  const std::vector<int> open = OpenZones(b, now_ms, true);
  const std::vector<int> closed = OpenZones(b, now_ms, false);
  if (!closed.empty()) {
    // A window closed: what was queued for those clocks waits for the next morning.
    if (auto w = Withdraw(db, b, policy, closed, "planned"); !w.ok()) return w.error();
  }
  auto backlog = db.Prepare(
      "SELECT count(*) FROM outbox_part WHERE state = 'queued' AND channel = ? AND priority = 2");
  if (!backlog.ok()) return backlog.error();
  auto pick = db.Prepare(
      "SELECT id, household, citizen_id, address, template, zone, village_code, language, "
      "first_name, ticket_code, round FROM broadcast_recipient "
      "WHERE broadcast_id = ? AND state = 'planned' AND channel = ? AND zone = ? "
      "ORDER BY id LIMIT ?");
  if (!pick.ok()) return pick.error();
  auto mark =
      db.Prepare("UPDATE broadcast_recipient SET state = 'queued', message_key = ? WHERE id = ?");
  if (!mark.ok()) return mark.error();
  const auto ttl = policy.ttl_ms;
  std::int64_t budget = policy.batch;
  for (const auto& [channel, per_minute] : policy.delivery.channels) {
    if (budget <= 0 || open.empty()) break;
    backlog.value()->Bind(1, channel);
    backlog.value()->Step();
    const std::int64_t waiting = backlog.value()->ColumnInt(0);
    backlog.value()->Reset();
    const std::int64_t cap =
        per_minute > 0
            ? std::max<std::int64_t>(
                  5, static_cast<std::int64_t>(per_minute / 60.0 * policy.backlog_seconds))
            : policy.batch;
    std::int64_t room = std::min(cap - waiting, budget);
    bool queued_here = false;
    for (int zone : open) {
      if (room <= 0) break;
      auto& st = *pick.value();
      st.Bind(1, b.id).Bind(2, channel).Bind(3, zone).Bind(4, room);
      struct Row {
        std::int64_t id;
        Recipient r;
        int round;
      };
      std::vector<Row> rows;
      int rc;
      while ((rc = st.Step()) == SQLITE_ROW) {
        Row row;
        row.id = st.ColumnInt(0);
        row.r.household = st.ColumnText(1);
        row.r.citizen_id = st.ColumnInt(2);
        row.r.address = st.ColumnText(3);
        row.r.channel = channel;
        row.r.by_template = st.ColumnInt(4) != 0;
        row.r.village = registry::VillageCodeNumber(st.ColumnText(6));
        row.r.language = st.ColumnText(7);
        row.r.first_name = st.ColumnText(8);
        row.r.ticket_code = st.ColumnText(9);
        row.round = static_cast<int>(st.ColumnInt(10));
        rows.push_back(std::move(row));
      }
      st.Reset();
      if (rc != SQLITE_DONE) return db.LastError("broadcast recipients");
      for (const auto& row : rows) {
        auto text = render(b, row.r);
        if (!text.ok()) return text.error();
        compose::Outgoing o;
        o.key = MessageKey(b.id, row.id, row.round);
        o.channel = channel;
        o.address = row.r.address;
        o.priority = outbox::Priority::kBulk;
        o.policy =
            policy.resend_bulk ? outbox::InFlightPolicy::kResend : outbox::InFlightPolicy::kHold;
        o.text = text.value();
        o.ttl_ms = ttl;
        const auto wa = policy.delivery.whatsapp.find(channel);
        if (wa != policy.delivery.whatsapp.end() && !wa->second.broadcast_template.empty()) {
          // The sender sends the text inside the 24-hour window and the template outside it;
          // a template parameter holds no line breaks.
          std::string flat = text.value();
          for (char& c : flat) {
            if (c == '\n' || c == '\r' || c == '\t') c = ' ';
          }
          o.template_name = wa->second.broadcast_template;
          o.template_language = wa->second.template_language;
          o.template_params = {flat};
        }
        auto enqueued = compose::ComposeIn(db, o, now_ms);
        if (!enqueued.ok()) return enqueued.error();
        mark.value()->Bind(1, o.key).Bind(2, row.id);
        if (auto s = mark.value()->Run(); !s.ok()) return s.error();
        ++step.queued;
        --room;
        --budget;
        queued_here = true;
      }
    }
    if (queued_here) step.channels.push_back(channel);
  }
  if (step.queued > 0) return step;
  // Done when nothing is planned and nothing of it waits in the outbox.
  auto planned = db.Prepare(
      "SELECT 1 FROM broadcast_recipient WHERE broadcast_id = ? AND state = 'planned' LIMIT 1");
  if (!planned.ok()) return planned.error();
  planned.value()->Bind(1, b.id);
  const bool any_planned = planned.value()->Step() == SQLITE_ROW;
  planned.value()->Reset();
  if (any_planned) return step;
  auto pending = db.Prepare(
      "SELECT 1 FROM outbox_message m JOIN outbox_part p ON p.message_id = m.id "
      "WHERE m.message_key >= ? AND m.message_key < ? AND p.state IN ('queued', 'in_flight') "
      "LIMIT 1");
  if (!pending.ok()) return pending.error();
  pending.value()->Bind(1, "bc" + std::to_string(b.id) + "-");
  pending.value()->Bind(2, "bc" + std::to_string(b.id) + ".");
  const bool any_pending = pending.value()->Step() == SQLITE_ROW;
  pending.value()->Reset();
  if (any_pending) return step;
  if (auto s = SetState(db, b.id, State::kDone, now_ms); !s.ok()) return s.error();
  step.done = true;
  return step;
}

json Progress(Db& db, const Broadcast& b, const Policy& policy, std::int64_t now_ms,
              core::Status* error) {
  const auto segments = SegmentsByLanguage(b, policy);
  const std::vector<int> closed = OpenZones(b, now_ms, false);
  auto q = db.Prepare(
      "SELECT r.channel, substr(r.village_code, 1, 8), r.state, r.reason, r.zone, r.template, "
      "r.language, p.state, count(*) FROM broadcast_recipient r "
      "LEFT JOIN outbox_message m ON r.message_key <> '' AND m.message_key = r.message_key "
      "LEFT JOIN outbox_part p ON p.message_id = m.id AND p.seq = 1 "
      "WHERE r.broadcast_id = ? GROUP BY 1, 2, 3, 4, 5, 6, 7, 8");
  json out = {{"id", b.id}, {"state", StateName(b.state)}};
  if (!q.ok()) {
    *error = q.error();
    return out;
  }
  auto& st = *q.value();
  st.Bind(1, b.id);
  static const std::vector<std::string> kCounts = {
      "households", "planned", "outside_window", "queued",   "sent",      "delivered",
      "read",       "failed",  "unknown",        "excluded", "opted_out", "cancelled"};
  auto zero = [] {
    json j = json::object();
    for (const auto& k : kCounts) j[k] = 0;
    j["cost"] = 0;
    return j;
  };
  json total = zero();
  json by_channel = json::object();
  json by_kecamatan = json::object();
  json reasons = json::object();
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    const std::string channel = st.ColumnText(0);
    const std::string kecamatan = st.ColumnText(1);
    const std::string state = st.ColumnText(2);
    const std::string reason = st.ColumnText(3);
    const int zone = static_cast<int>(st.ColumnInt(4));
    const bool by_template = st.ColumnInt(5) != 0;
    const std::string language = st.ColumnText(6);
    const std::string part = st.ColumnIsNull(7) ? "" : st.ColumnText(7);
    const std::int64_t n = st.ColumnInt(8);
    std::vector<std::string> keys = {"households"};
    std::int64_t cost = 0;
    if (state == "excluded") {
      keys.emplace_back("excluded");
      if (reason == "opted_out") keys.emplace_back("opted_out");
      reasons[reason] = reasons.value(reason, 0) + n;
    } else if (state == "planned") {
      keys.emplace_back("planned");
      if (std::find(closed.begin(), closed.end(), zone) != closed.end()) {
        keys.emplace_back("outside_window");
      }
    } else if (state == "cancelled") {
      keys.emplace_back("cancelled");
    } else if (part == "queued" || part == "in_flight") {
      keys.emplace_back("queued");
    } else if (part == "sent" || part == "delivered" || part == "read") {
      // Sent counts everything that left; delivered and read are what the peers confirmed.
      keys.emplace_back("sent");
      if (part != "sent") keys.emplace_back("delivered");
      if (part == "read") keys.emplace_back("read");
      if (IsSms(channel)) {
        cost = n * SegmentsFor(segments, language) * PricePerPart(policy, channel);
      } else if (by_template) {
        const auto wa = policy.delivery.whatsapp.find(channel);
        if (wa != policy.delivery.whatsapp.end()) cost = n * wa->second.template_price;
      }
    } else if (part == "unknown") {
      keys.emplace_back("unknown");
    } else {
      keys.emplace_back("failed");  // failed, or a message that expired or was taken back
    }
    for (json* target : {&total, &by_channel[channel.empty() ? "-" : channel],
                         &by_kecamatan[kecamatan.empty() ? "-" : kecamatan]}) {
      if (target->is_null()) *target = zero();
      for (const auto& k : keys) (*target)[k] = (*target)[k].get<std::int64_t>() + n;
      (*target)["cost"] = (*target)["cost"].get<std::int64_t>() + cost;
    }
  }
  st.Reset();
  if (rc != SQLITE_DONE) *error = db.LastError("broadcast progress");
  out["total"] = std::move(total);
  out["channels"] = std::move(by_channel);
  out["kecamatan"] = std::move(by_kecamatan);
  out["excluded"] = std::move(reasons);
  out["computed_at_ms"] = now_ms;
  return out;
}

core::Result<std::vector<Outcome>> Outcomes(Db& db, const Broadcast& b, const Policy& policy,
                                            std::string_view state, std::int64_t after_row,
                                            int limit) {
  const auto segments = SegmentsByLanguage(b, policy);
  auto q = db.Prepare(
      "SELECT r.id, r.household, r.address, r.channel, r.village_code, r.state, r.reason, "
      "r.language, r.template, p.state, p.last_error FROM broadcast_recipient r "
      "LEFT JOIN outbox_message m ON r.message_key <> '' AND m.message_key = r.message_key "
      "LEFT JOIN outbox_part p ON p.message_id = m.id AND p.seq = 1 "
      "WHERE r.broadcast_id = ? AND r.id > ? ORDER BY r.id");
  if (!q.ok()) return q.error();
  auto& st = *q.value();
  st.Bind(1, b.id).Bind(2, after_row);
  std::vector<Outcome> out;
  int rc;
  while (static_cast<int>(out.size()) < limit && (rc = st.Step()) == SQLITE_ROW) {
    Outcome o;
    o.row = st.ColumnInt(0);
    const std::string household = st.ColumnText(1);
    o.household_kind = household.substr(0, household.find(':'));
    o.address_masked = st.ColumnText(2).empty() ? "" : MaskAddress(st.ColumnText(2));
    o.channel = st.ColumnText(3);
    o.kecamatan = st.ColumnText(4).substr(0, 8);
    o.state = st.ColumnText(5);
    o.reason = st.ColumnText(6);
    if (o.state == "queued") {
      o.state = st.ColumnIsNull(9) ? "failed" : st.ColumnText(9);
      if (o.state == "in_flight") o.state = "queued";
      if (!st.ColumnIsNull(10)) o.reason = st.ColumnText(10);
    }
    if (IsSms(o.channel)) o.parts = SegmentsFor(segments, st.ColumnText(7));
    if (o.state == "sent" || o.state == "delivered" || o.state == "read") {
      if (IsSms(o.channel)) {
        o.cost = o.parts * PricePerPart(policy, o.channel);
      } else if (st.ColumnInt(8) != 0) {
        const auto wa = policy.delivery.whatsapp.find(o.channel);
        if (wa != policy.delivery.whatsapp.end()) o.cost = wa->second.template_price;
      }
    }
    if (!state.empty() && o.state != state) continue;
    out.push_back(std::move(o));
  }
  st.Reset();
  return out;
}

}  // namespace satupintu::broadcast
