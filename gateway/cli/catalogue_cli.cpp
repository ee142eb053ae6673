#include "cli/catalogue_cli.hpp"

#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "app/dialog_stack.hpp"
#include "audit/audit_log.hpp"
#include "cli/context.hpp"
#include "conversation/categories.hpp"
#include "conversation/services.hpp"
#include "core/clock.hpp"
#include "dialog/definition.hpp"
#include "locale/catalog.hpp"
#include "tickets/catalogue.hpp"

namespace satupintu::cli {
namespace {

using core::ErrorCode;
using core::MakeError;

int Fail(const core::Error& error) {
  std::fprintf(stderr, "satupintu: %s\n", error.message.c_str());
  return error.code == ErrorCode::kInvalidArgument ? 2 : 1;
}

// "programme" or "category", the one positional word.
core::Result<std::string> KindOf(const Args& flags) {
  if (flags.positional.size() != 1 ||
      (flags.positional[0] != "programme" && flags.positional[0] != "category")) {
    return MakeError(ErrorCode::kInvalidArgument, "name the kind: programme or category");
  }
  return flags.positional[0];
}

core::Result<std::string> IdOf(const Args& flags) {
  if (flags.Get("id").empty()) return MakeError(ErrorCode::kInvalidArgument, "--id is needed");
  return flags.Get("id");
}

// --label-id, --label-en, --label-jv, --label-su: the labels given.
std::map<std::string, std::string> LabelsOf(const Args& flags) {
  std::map<std::string, std::string> labels;
  for (const char* language : {"id", "en", "jv", "su"}) {
    const std::string text = flags.Get(std::string("label-") + language);
    if (!text.empty()) labels[language] = text;
  }
  return labels;
}

// What the category commands need besides the store: the dialogs (categories.json, the steps
// that offer the categories) and the locales, to seed the catalogue and measure the list.
struct Dialogs {
  locale::Catalog catalog;
  dialog::DialogSet dialogs;
};

core::Result<Dialogs> LoadDialogs(const config::Config& config) {
  auto catalog = locale::Catalog::Load(config.locales.dir);
  if (!catalog.ok()) return catalog.error();
  Dialogs d{std::move(catalog).value(), {}};
  auto dialogs =
      dialog::DialogSet::Load(app::DialogsDir(config), d.catalog, conversation::ServiceOutcomes());
  if (!dialogs.ok()) return dialogs.error();
  d.dialogs = std::move(dialogs).value();
  return d;
}

core::Status SeedFrom(storage::Db& db, const dialog::DialogSet& dialogs) {
  auto n = tickets::SeedCategories(db, app::CategorySeeds(dialogs));
  if (!n.ok()) return n.error();
  return {};
}

// One change of `kind` ("add", "rename", "retire", "restore"): programmes directly; categories
// after seeding from categories.json, refused when the citizens' list would not fit one SMS.
int Change(const Args& flags, const std::string& verb,
           const std::function<core::Status(storage::Db&, const std::string& kind,
                                            const std::string& id)>& change) {
  auto kind = KindOf(flags);
  if (!kind.ok()) return Fail(kind.error());
  auto id = IdOf(flags);
  if (!id.ok()) return Fail(id.error());
  return WithStore(flags, [&](const config::Config& config, storage::Db& db) {
    std::optional<Dialogs> dialogs;
    if (kind.value() == "category") {
      auto loaded = LoadDialogs(config);
      if (!loaded.ok()) return Fail(loaded.error());
      dialogs = std::move(loaded).value();
    }
    const std::string object = kind.value() + ":" + id.value();
    auto done = Audited(
        db, "catalogue." + kind.value() + "." + verb, "administration",
        [&]() -> core::Result<std::string> {
          if (!dialogs) {
            if (auto s = change(db, kind.value(), id.value()); !s.ok()) {
              return s.error();
            }
            return object;
          }
          if (auto s = SeedFrom(db, dialogs->dialogs); !s.ok()) return s.error();
          if (auto s = change(db, kind.value(), id.value()); !s.ok()) {
            return s.error();
          }
          auto offered = tickets::Categories(db, false);
          if (!offered.ok()) return offered.error();
          if (auto s = conversation::CheckCategoryList(dialogs->dialogs, dialogs->catalog,
                                                       app::ToDialogCategories(offered.value()));
              !s.ok()) {
            return s.error();
          }
          return object;
        });
    if (!done.ok()) return Fail(done.error());
    std::printf("%s %s: %s\n", kind.value().c_str(), id.value().c_str(),
                verb == "add" ? "added" : (verb + "d").c_str());
    return 0;
  });
}

void PrintCategory(const tickets::Category& c) {
  std::string labels;
  for (const auto& [language, text] : c.labels) {
    labels += (labels.empty() ? "" : ", ") + language + "=" + text;
  }
  std::printf("category  %-14s %-8s %s\n", c.id.c_str(), c.active ? "active" : "not offered",
              labels.empty() ? c.label_key.c_str() : labels.c_str());
}

}  // namespace

int CatalogueList(const Args& flags) {
  return WithStore(flags, [&](const config::Config& config, storage::Db& db) {
    // The categories as the gateway would offer them, also before its first start.
    auto dialogs = LoadDialogs(config);
    if (!dialogs.ok()) return Fail(dialogs.error());
    if (auto s = SeedFrom(db, dialogs.value().dialogs); !s.ok()) return Fail(s.error());
    const bool all = flags.Has("all");
    auto programmes = tickets::Programmes(db, all);
    if (!programmes.ok()) return Fail(programmes.error());
    for (const auto& p : programmes.value()) {
      std::printf("programme %-14s %-8s %-10s %s\n", p.id.c_str(), p.active ? "active" : "retired",
                  p.short_name.c_str(), p.name.c_str());
    }
    auto categories = tickets::Categories(db, all);
    if (!categories.ok()) return Fail(categories.error());
    for (const auto& c : categories.value()) PrintCategory(c);
    return 0;
  });
}

int CatalogueAdd(const Args& flags) {
  return Change(flags, "add", [&](storage::Db& db, const std::string& kind, const std::string& id) {
    if (kind == "programme") {
      return tickets::AddProgramme(db, {id, flags.Get("name"), flags.Get("short-name"), true, 0});
    }
    return tickets::AddCategory(db, {id, "", LabelsOf(flags), true, 0});
  });
}

int CatalogueRename(const Args& flags) {
  return Change(
      flags, "rename", [&](storage::Db& db, const std::string& kind, const std::string& id) {
        if (kind == "programme") {
          return tickets::RenameProgramme(db, id, flags.Get("name"), flags.Get("short-name"));
        }
        return tickets::RenameCategory(db, id, LabelsOf(flags));
      });
}

int CatalogueRetire(const Args& flags) {
  return Change(flags, "retire",
                [](storage::Db& db, const std::string& kind, const std::string& id) {
                  return kind == "programme" ? tickets::SetProgrammeActive(db, id, false)
                                             : tickets::SetCategoryActive(db, id, false);
                });
}

int CatalogueRestore(const Args& flags) {
  return Change(flags, "restore",
                [](storage::Db& db, const std::string& kind, const std::string& id) {
                  return kind == "programme" ? tickets::SetProgrammeActive(db, id, true)
                                             : tickets::SetCategoryActive(db, id, true);
                });
}

}  // namespace satupintu::cli
