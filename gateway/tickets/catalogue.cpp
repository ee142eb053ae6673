#include "tickets/catalogue.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace satupintu::tickets {
namespace {

using core::ErrorCode;
using core::MakeError;
using nlohmann::json;

constexpr std::size_t kMaxLabel = 24;  // a WhatsApp list row's title
constexpr std::size_t kMaxName = 100;

bool ValidId(std::string_view id) {
  return id.size() >= 2 && id.size() <= 24 && std::all_of(id.begin(), id.end(), [](char ch) {
           return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
         });
}

// Characters of GSM 03.38's basic set that a short name may use: a notice naming the programme
// then stays GSM-7 (one SMS; the locale check measures the notices with a longer sample).
bool ValidShortName(std::string_view s) {
  if (s.size() < 2 || s.size() > 24) return false;
  return std::all_of(s.begin(), s.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           std::string_view(" -./()&+',").find(ch) != std::string_view::npos;
  });
}

// Code points of well-formed UTF-8 without control characters; nullopt otherwise.
std::optional<std::size_t> TextLength(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 1;
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return std::nullopt;
    } else if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
    } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
      len = 4;
    } else {
      return std::nullopt;
    }
    if (i + len > s.size()) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return std::nullopt;
    }
    i += len;
    ++n;
  }
  return n;
}

bool ValidName(std::string_view s) {
  const auto n = TextLength(s);
  return n.has_value() && *n >= 1 && s.size() <= kMaxName && s.front() != ' ' && s.back() != ' ';
}

core::Status CheckProgrammeNames(std::string_view name, std::string_view short_name) {
  if (!ValidName(name)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "name: 1-100 bytes of text without control characters");
  }
  if (!ValidShortName(short_name)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "short_name: 2-24 of letters, digits, spaces and - . / ( ) & + ' ,");
  }
  return {};
}

std::string EncodeLabels(const std::map<std::string, std::string>& labels) {
  json j = json::object();
  for (const auto& [language, text] : labels) j[language] = text;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::map<std::string, std::string> DecodeLabels(const std::string& text) {
  std::map<std::string, std::string> out;
  const json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return out;
  for (const auto& [language, label] : j.items()) {
    if (label.is_string()) out[language] = label.get<std::string>();
  }
  return out;
}

constexpr const char* kCategoryColumns =
    "SELECT id, label_key, labels, active, sort FROM complaint_category";

Category ReadCategory(const storage::Stmt& r) {
  return {r.ColumnText(0), r.ColumnText(1), DecodeLabels(r.ColumnText(2)), r.ColumnInt(3) != 0,
          static_cast<int>(r.ColumnInt(4))};
}

core::Result<int> NextSort(storage::Db& db, const char* table) {
  auto n = db.QueryInt(std::string("SELECT COALESCE(MAX(sort), 0) FROM ") + table);
  if (!n.ok()) return n.error();
  return static_cast<int>(n.value()) + 10;
}

// Sets `active` of one row of `table`: kNotFound, kConflict when it already is.
core::Status SetActive(storage::Db& db, const char* table, const char* what, std::string_view id,
                       bool active) {
  auto q = db.Prepare(std::string("SELECT active FROM ") + table + " WHERE id = ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, id);
  const int rc = q.value()->Step();
  const bool was = rc == SQLITE_ROW && q.value()->ColumnInt(0) != 0;
  q.value()->Reset();
  if (rc == SQLITE_DONE) return MakeError(ErrorCode::kNotFound, std::string("no such ") + what);
  if (rc != SQLITE_ROW) return db.LastError(what);
  if (was == active) {
    return MakeError(ErrorCode::kConflict,
                     std::string("the ") + what + " is already " + (active ? "active" : "retired"));
  }
  auto u = db.Prepare(std::string("UPDATE ") + table + " SET active = ? WHERE id = ?");
  if (!u.ok()) return u.error();
  return u.value()->Bind(1, std::int64_t{active ? 1 : 0}).Bind(2, id).Run();
}

}  // namespace

core::Result<std::vector<Programme>> Programmes(storage::Db& db, bool include_retired) {
  auto q = db.Prepare(
      "SELECT id, name, short_name, active, sort FROM programme WHERE ?1 OR active"
      " ORDER BY sort, id");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, std::int64_t{include_retired ? 1 : 0});
  std::vector<Programme> out;
  auto rows = storage::ForEachRow(db, *q.value(), "programmes", [&](storage::Stmt& r) {
    out.push_back({r.ColumnText(0), r.ColumnText(1), r.ColumnText(2), r.ColumnInt(3) != 0,
                   static_cast<int>(r.ColumnInt(4))});
  });
  if (!rows.ok()) return rows.error();
  return out;
}

core::Result<std::optional<Programme>> FindProgramme(storage::Db& db, std::string_view id) {
  auto q = db.Prepare("SELECT id, name, short_name, active, sort FROM programme WHERE id = ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, id);
  std::optional<Programme> out;
  auto row = storage::FirstRow(db, *q.value(), "programme", [&](storage::Stmt& r) {
    out = Programme{r.ColumnText(0), r.ColumnText(1), r.ColumnText(2), r.ColumnInt(3) != 0,
                    static_cast<int>(r.ColumnInt(4))};
  });
  if (!row.ok()) return row.error();
  return out;
}

core::Status CheckReferrable(storage::Db& db, const std::vector<std::string>& ids) {
  auto q = db.Prepare("SELECT 1 FROM programme WHERE id = ? AND active");
  if (!q.ok()) return q.error();
  for (const auto& id : ids) {
    q.value()->Bind(1, id);
    const int rc = q.value()->Step();
    q.value()->Reset();
    if (rc == SQLITE_DONE) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "not a programme of the catalogue: " + (ValidId(id) ? id : "?"));
    }
    if (rc != SQLITE_ROW) return db.LastError("programme check");
  }
  return {};
}

core::Status SaveProgramme(storage::Db& db, const Programme& p) {
  if (!ValidId(p.id)) {
    return MakeError(ErrorCode::kInvalidArgument, "programme id: 2-24 of a-z, 0-9 and _");
  }
  if (auto s = CheckProgrammeNames(p.name, p.short_name); !s.ok()) return s;
  auto q = db.Prepare(
      "INSERT INTO programme (id, name, short_name, active, sort) VALUES (?, ?, ?, ?, ?)"
      " ON CONFLICT (id) DO UPDATE SET name = excluded.name, short_name = excluded.short_name,"
      " active = excluded.active, sort = excluded.sort");
  if (!q.ok()) return q.error();
  return q.value()
      ->Bind(1, p.id)
      .Bind(2, p.name)
      .Bind(3, p.short_name)
      .Bind(4, std::int64_t{p.active ? 1 : 0})
      .Bind(5, std::int64_t{p.sort})
      .Run();
}

core::Status MayEditCatalogue(const Actor& actor) {
  // A region of at most one dot is a regency ("32.06") or a province ("32").
  const bool wide =
      !actor.region.empty() && std::count(actor.region.begin(), actor.region.end(), '.') <= 1;
  if (actor.role != Role::kAdmin || !wide) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "only an administrator of the regency changes the catalogue");
  }
  return {};
}

core::Status AddProgramme(storage::Db& db, Programme p) {
  if (!ValidId(p.id)) return MakeError(ErrorCode::kInvalidArgument, "id: 2-24 of a-z, 0-9 and _");
  if (auto s = CheckProgrammeNames(p.name, p.short_name); !s.ok()) return s;
  auto found = FindProgramme(db, p.id);
  if (!found.ok()) return found.error();
  if (found.value().has_value()) {
    return MakeError(ErrorCode::kConflict, "id: the catalogue already has this programme");
  }
  if (p.sort <= 0) {
    auto next = NextSort(db, "programme");
    if (!next.ok()) return next.error();
    p.sort = next.value();
  }
  p.active = true;
  return SaveProgramme(db, p);
}

core::Status RenameProgramme(storage::Db& db, std::string_view id, std::string_view name,
                             std::string_view short_name) {
  if (auto s = CheckProgrammeNames(name, short_name); !s.ok()) return s;
  auto q = db.Prepare("UPDATE programme SET name = ?, short_name = ? WHERE id = ?");
  if (!q.ok()) return q.error();
  if (auto s = q.value()->Bind(1, name).Bind(2, short_name).Bind(3, id).Run(); !s.ok()) return s;
  if (db.Changes() == 0) return MakeError(ErrorCode::kNotFound, "no such programme");
  return {};
}

core::Status SetProgrammeActive(storage::Db& db, std::string_view id, bool active) {
  return SetActive(db, "programme", "programme", id, active);
}

core::Result<std::vector<Category>> Categories(storage::Db& db, bool include_retired) {
  auto q = db.Prepare(std::string(kCategoryColumns) + " WHERE ?1 OR active ORDER BY sort, id");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, std::int64_t{include_retired ? 1 : 0});
  std::vector<Category> out;
  auto rows = storage::ForEachRow(db, *q.value(), "categories",
                                  [&](storage::Stmt& r) { out.push_back(ReadCategory(r)); });
  if (!rows.ok()) return rows.error();
  return out;
}

core::Result<std::optional<Category>> FindCategory(storage::Db& db, std::string_view id) {
  auto q = db.Prepare(std::string(kCategoryColumns) + " WHERE id = ?");
  if (!q.ok()) return q.error();
  q.value()->Bind(1, id);
  std::optional<Category> out;
  auto row = storage::FirstRow(db, *q.value(), "category",
                               [&](storage::Stmt& r) { out = ReadCategory(r); });
  if (!row.ok()) return row.error();
  return out;
}

core::Result<int> SeedCategories(storage::Db& db, const std::vector<Category>& from_file) {
  auto next = NextSort(db, "complaint_category");
  if (!next.ok()) return next.error();
  int sort = next.value();
  auto q = db.Prepare(
      "INSERT INTO complaint_category (id, label_key, labels, active, sort) VALUES (?, ?, '{}', ?, "
      "?)"
      " ON CONFLICT (id) DO UPDATE SET label_key = excluded.label_key"
      " WHERE label_key <> excluded.label_key");
  if (!q.ok()) return q.error();
  auto exists = db.Prepare("SELECT 1 FROM complaint_category WHERE id = ?");
  if (!exists.ok()) return exists.error();
  int added = 0;
  for (const auto& c : from_file) {
    if (!ValidId(c.id) || c.label_key.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "categories.json: id of 2-24 a-z, 0-9 and _ with a label key");
    }
    exists.value()->Bind(1, c.id);
    const int rc = exists.value()->Step();
    exists.value()->Reset();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db.LastError("category seed");
    // A category the file does not offer in the first list ("offered": false) is added
    // inactive; one already there keeps what the administrator made of it.
    if (auto s = q.value()
                     ->Bind(1, c.id)
                     .Bind(2, c.label_key)
                     .Bind(3, std::int64_t{c.active ? 1 : 0})
                     .Bind(4, std::int64_t{sort})
                     .Run();
        !s.ok()) {
      return s.error();
    }
    if (rc == SQLITE_DONE) {
      ++added;
      sort += 10;
    }
  }
  return added;
}

core::Status CheckCategoryLabels(const std::map<std::string, std::string>& labels) {
  for (const char* required : {"id", "en"}) {
    if (!labels.contains(required)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string("labels.") + required + ": required");
    }
  }
  if (labels.size() > 8) return MakeError(ErrorCode::kInvalidArgument, "labels: at most 8");
  for (const auto& [language, text] : labels) {
    const bool code = language.size() >= 2 && language.size() <= 3 &&
                      std::all_of(language.begin(), language.end(),
                                  [](char ch) { return ch >= 'a' && ch <= 'z'; });
    if (!code) {
      return MakeError(ErrorCode::kInvalidArgument, "labels: keys are language codes (id, en)");
    }
    const auto n = TextLength(text);
    if (!n.has_value() || *n < 1 || *n > kMaxLabel || text.front() == ' ' || text.back() == ' ') {
      return MakeError(ErrorCode::kInvalidArgument,
                       "labels." + language + ": 1-24 characters without control characters");
    }
  }
  return {};
}

core::Status AddCategory(storage::Db& db, Category c) {
  if (!ValidId(c.id)) return MakeError(ErrorCode::kInvalidArgument, "id: 2-24 of a-z, 0-9 and _");
  if (auto s = CheckCategoryLabels(c.labels); !s.ok()) return s;
  auto found = FindCategory(db, c.id);
  if (!found.ok()) return found.error();
  if (found.value().has_value()) {
    return MakeError(ErrorCode::kConflict, "id: the catalogue already has this category");
  }
  auto next = NextSort(db, "complaint_category");
  if (!next.ok()) return next.error();
  auto q = db.Prepare(
      "INSERT INTO complaint_category (id, label_key, labels, active, sort) VALUES (?, '', ?, 1, "
      "?)");
  if (!q.ok()) return q.error();
  return q.value()
      ->Bind(1, c.id)
      .Bind(2, EncodeLabels(c.labels))
      .Bind(3, std::int64_t{next.value()})
      .Run();
}

core::Status RenameCategory(storage::Db& db, std::string_view id,
                            const std::map<std::string, std::string>& labels) {
  if (auto s = CheckCategoryLabels(labels); !s.ok()) return s;
  auto q = db.Prepare("UPDATE complaint_category SET labels = ? WHERE id = ?");
  if (!q.ok()) return q.error();
  if (auto s = q.value()->Bind(1, EncodeLabels(labels)).Bind(2, id).Run(); !s.ok()) return s;
  if (db.Changes() == 0) return MakeError(ErrorCode::kNotFound, "no such category");
  return {};
}

core::Status SetCategoryActive(storage::Db& db, std::string_view id, bool active) {
  return SetActive(db, "complaint_category", "category", id, active);
}

}  // namespace satupintu::tickets
