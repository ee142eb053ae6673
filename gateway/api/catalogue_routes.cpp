// The catalogue: programmes (GET/POST /api/v1/programmes, POST /api/v1/programmes/{id}/actions)
// and complaint categories (GET/POST /api/v1/categories, POST /api/v1/categories/{id}/actions).
// Every officer reads it; only an administrator of the regency changes it
// (tickets::MayEditCatalogue). Each change, and each refused change, is an audit row
// (`catalogue.programme.add`, ... `catalogue.category.retire`, object `programme:<id>` or
// `category:<id>`) written in the change's transaction; a refusal commits its row alone.

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "api/context.hpp"
#include "tickets/catalogue.hpp"

namespace satupintu::api {
namespace {

using core::ErrorCode;
using core::MakeError;
using storage::Db;

json ProgrammeJson(const tickets::Programme& p) {
  return {{"id", p.id}, {"name", p.name}, {"short_name", p.short_name}, {"active", p.active}};
}

json CategoryJson(const tickets::Category& c) {
  json labels = json::object();
  for (const auto& [language, text] : c.labels) labels[language] = text;
  return {{"id", c.id},
          {"label_key", c.label_key},
          {"labels", std::move(labels)},
          {"active", c.active}};
}

// The id as the audit row's object: a catalogue id, else "?" (never what someone typed).
std::string ObjectId(const std::string& id) {
  const bool ok = !id.empty() && id.size() <= 24 && std::all_of(id.begin(), id.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
  });
  return ok ? id : "?";
}

// "rename", "retire" or "restore".
core::Result<std::string> ActionOf(const json& body) {
  std::string action = StringField(body, "action");
  if (action != "rename" && action != "retire" && action != "restore") {
    return MakeError(ErrorCode::kInvalidArgument, "action: rename, retire or restore");
  }
  return action;
}

core::Result<std::map<std::string, std::string>> LabelsOf(const json& body) {
  std::map<std::string, std::string> labels;
  auto it = body.find("labels");
  if (it == body.end() || !it->is_object()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "labels: an object of language -> label, with id and en");
  }
  for (const auto& [language, text] : it->items()) {
    if (!text.is_string()) {
      return MakeError(ErrorCode::kInvalidArgument, "labels." + language + ": a string");
    }
    labels[language] = text.get<std::string>();
  }
  return labels;
}

// Runs one change of the catalogue by `c`: the role rule, `change`, then the audit row. A
// refusal (the role, bad input, an unknown id, a state that does not allow it) commits its
// audit row and is the answer; anything else rolls back.
template <typename Change>
core::Result<http::Response> Audited(Db& db, const Caller& c, std::int64_t now,
                                     const std::string& action, const std::string& object,
                                     Change change) {
  core::Result<http::Response> result = [&]() -> core::Result<http::Response> {
    if (auto s = tickets::MayEditCatalogue(c.actor); !s.ok()) return s.error();
    return change();
  }();
  if (!result.ok() && !backoffice::IsRefusal(result.error())) return result;
  const char* outcome = result.ok() ? "ok" : backoffice::OutcomeName(result.error().code);
  if (auto s = Audit(db, c, now, action, object, "administration", outcome); !s.ok()) {
    return s.error();
  }
  if (!result.ok()) return http::ErrorResponse(result.error());
  return result;
}

// The citizens' list after a change must still be one SMS (ApiDeps::check_categories).
core::Status CheckList(const ApiContext& api, Db& db) {
  if (!api.deps().check_categories) return {};
  auto offered = tickets::Categories(db, false);
  if (!offered.ok()) return offered.error();
  return api.deps().check_categories(offered.value());
}

core::Result<http::Response> AddProgramme(Db& db, const json& b) {
  tickets::Programme p;
  p.id = StringField(b, "id");
  p.name = StringField(b, "name");
  p.short_name = StringField(b, "short_name");
  if (auto s = tickets::AddProgramme(db, p); !s.ok()) return s.error();
  auto saved = tickets::FindProgramme(db, p.id);
  if (!saved.ok()) return saved.error();
  if (!saved.value().has_value()) return MakeError(ErrorCode::kInternal, "programme not saved");
  return Json(201, ProgrammeJson(*saved.value()));
}

core::Result<http::Response> ChangeProgramme(Db& db, const std::string& id,
                                             const std::string& action, const json& b) {
  core::Status s;
  if (action == "rename") {
    s = tickets::RenameProgramme(db, id, StringField(b, "name"), StringField(b, "short_name"));
  } else {
    s = tickets::SetProgrammeActive(db, id, action == "restore");
  }
  if (!s.ok()) return s.error();
  auto saved = tickets::FindProgramme(db, id);
  if (!saved.ok()) return saved.error();
  if (!saved.value().has_value()) return MakeError(ErrorCode::kNotFound, "no such programme");
  return Json(200, ProgrammeJson(*saved.value()));
}

core::Result<http::Response> AddCategory(const ApiContext& api, Db& db, const json& b) {
  tickets::Category cat;
  cat.id = StringField(b, "id");
  auto labels = LabelsOf(b);
  if (!labels.ok()) return labels.error();
  cat.labels = std::move(labels.value());
  if (auto s = tickets::AddCategory(db, cat); !s.ok()) return s.error();
  // Rolled back with the job when the list would no longer fit one SMS.
  if (auto s = CheckList(api, db); !s.ok()) return s.error();
  auto saved = tickets::FindCategory(db, cat.id);
  if (!saved.ok()) return saved.error();
  if (!saved.value().has_value()) return MakeError(ErrorCode::kInternal, "category not saved");
  return Json(201, CategoryJson(*saved.value()));
}

core::Result<http::Response> ChangeCategory(const ApiContext& api, Db& db, const std::string& id,
                                            const std::string& action, const json& b) {
  if (action == "rename") {
    auto labels = LabelsOf(b);
    if (!labels.ok()) return labels.error();
    if (auto s = tickets::RenameCategory(db, id, labels.value()); !s.ok()) return s.error();
  } else if (auto s = tickets::SetCategoryActive(db, id, action == "restore"); !s.ok()) {
    return s.error();
  }
  if (auto s = CheckList(api, db); !s.ok()) return s.error();
  auto saved = tickets::FindCategory(db, id);
  if (!saved.ok()) return saved.error();
  if (!saved.value().has_value()) return MakeError(ErrorCode::kNotFound, "no such category");
  return Json(200, CategoryJson(*saved.value()));
}

// A change whose refusal is answered after the audit row is written, but whose checks happen
// after the row changed (the SMS list): the change is undone by a savepoint, the row kept.
template <typename Change>
core::Result<http::Response> InSavepoint(Db& db, Change change) {
  if (auto s = db.Exec("SAVEPOINT catalogue_change"); !s.ok()) return s.error();
  auto result = change();
  if (result.ok()) {
    if (auto s = db.Exec("RELEASE catalogue_change"); !s.ok()) return s.error();
  } else {
    (void)db.Exec("ROLLBACK TO catalogue_change");
    (void)db.Exec("RELEASE catalogue_change");
  }
  return result;
}

}  // namespace

void MountCatalogueRoutes(http::Router& router, const std::shared_ptr<ApiContext>& api) {
  router.Add("GET", "/api/v1/programmes", [api](const http::Request& req, http::Respond respond) {
    const bool all = QueryFlag(req, "all");
    api->AuthedRead(req, std::move(respond),
                    [all](Db& db, const Caller&, std::int64_t) -> core::Result<http::Response> {
                      auto list = tickets::Programmes(db, all);
                      if (!list.ok()) return list.error();
                      json items = json::array();
                      for (const auto& p : list.value()) items.push_back(ProgrammeJson(p));
                      return Json(200, {{"items", std::move(items)}});
                    });
  });
  router.Add("GET", "/api/v1/categories", [api](const http::Request& req, http::Respond respond) {
    const bool all = QueryFlag(req, "all");
    api->AuthedRead(req, std::move(respond),
                    [all](Db& db, const Caller&, std::int64_t) -> core::Result<http::Response> {
                      auto list = tickets::Categories(db, all);
                      if (!list.ok()) return list.error();
                      json items = json::array();
                      for (const auto& c : list.value()) items.push_back(CategoryJson(c));
                      return Json(200, {{"items", std::move(items)}});
                    });
  });
  router.Add("POST", "/api/v1/programmes", [api](const http::Request& req, http::Respond respond) {
    auto body = ParseBody(req);
    if (!body.ok()) return respond(http::ErrorResponse(body.error()));
    api->Authed(req, std::move(respond),
                [b = body.value()](Db& db, const Caller& c, std::int64_t now) {
                  const std::string id = StringField(b, "id");
                  return Audited(db, c, now, "catalogue.programme.add", "programme:" + ObjectId(id),
                                 [&] { return AddProgramme(db, b); });
                });
  });
  router.Add("POST", "/api/v1/programmes/{id}/actions",
             [api](http::Request req, http::Respond respond) {
               auto body = ParseBody(req);
               if (!body.ok()) return respond(http::ErrorResponse(body.error()));
               auto action = ActionOf(body.value());
               if (!action.ok()) return respond(http::ErrorResponse(action.error()));
               api->Authed(req, std::move(respond),
                           [id = req.params["id"], action = action.value(), b = body.value()](
                               Db& db, const Caller& c, std::int64_t now) {
                             return Audited(db, c, now, "catalogue.programme." + action,
                                            "programme:" + ObjectId(id),
                                            [&] { return ChangeProgramme(db, id, action, b); });
                           });
             });
  router.Add("POST", "/api/v1/categories", [api](const http::Request& req, http::Respond respond) {
    auto body = ParseBody(req);
    if (!body.ok()) return respond(http::ErrorResponse(body.error()));
    api->Authed(req, std::move(respond),
                [api, b = body.value()](Db& db, const Caller& c, std::int64_t now) {
                  const std::string id = StringField(b, "id");
                  return Audited(
                      db, c, now, "catalogue.category.add", "category:" + ObjectId(id),
                      [&] { return InSavepoint(db, [&] { return AddCategory(*api, db, b); }); });
                });
  });
  router.Add(
      "POST", "/api/v1/categories/{id}/actions", [api](http::Request req, http::Respond respond) {
        auto body = ParseBody(req);
        if (!body.ok()) return respond(http::ErrorResponse(body.error()));
        auto action = ActionOf(body.value());
        if (!action.ok()) return respond(http::ErrorResponse(action.error()));
        api->Authed(
            req, std::move(respond),
            [api, id = req.params["id"], action = action.value(), b = body.value()](
                Db& db, const Caller& c, std::int64_t now) {
              return Audited(
                  db, c, now, "catalogue.category." + action, "category:" + ObjectId(id), [&] {
                    return InSavepoint(db, [&] { return ChangeCategory(*api, db, id, action, b); });
                  });
            });
      });
}

}  // namespace satupintu::api
