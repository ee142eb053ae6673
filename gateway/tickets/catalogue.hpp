#pragma once
// The catalogue, data the administrator keeps: the programmes a ticket can be referred to
// (migration 11 seeds the national ones) and the complaint categories a citizen chooses from
// (migration 17; seeded at start from dialogs/categories.json). Nothing is ever deleted: a
// retired programme keeps its referrals and a retired category stays on the tickets that have
// it, neither is offered again. Functions run inside the caller's store job, like the rest of
// gateway/tickets; the caller audits each change (API: gateway/api/catalogue_routes.cpp, CLI:
// `satupintu catalogue`).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "storage/sqlite.hpp"
#include "tickets/workflow.hpp"

namespace satupintu::tickets {

struct Programme {
  std::string id;          // "pkh": 2-24 of [a-z0-9_]
  std::string name;        // official name, "Program Keluarga Harapan"
  std::string short_name;  // what fits an SMS, "PKH"
  bool active = true;
  int sort = 0;
};

// Every programme, in catalogue order; retired ones too when `include_retired`.
core::Result<std::vector<Programme>> Programmes(storage::Db& db, bool include_retired);

// kInvalidArgument naming the first id that is not an active programme.
core::Status CheckReferrable(storage::Db& db, const std::vector<std::string>& ids);

// Adds a programme or updates its names, order and whether it is active.
core::Status SaveProgramme(storage::Db& db, const Programme& programme);

// The catalogue is one per gateway (the regency's deployment): only an administrator whose
// region is the regency or wider ("32.06", "32") changes it; everyone logged in reads it.
// kPermissionDenied otherwise.
core::Status MayEditCatalogue(const Actor& actor);

// A new programme, placed after the others (sort 0: last). kInvalidArgument naming the field
// (id, name, short_name: 2-24 letters, digits, spaces and - . / ( ) & + ' , so that every
// notice naming it stays one GSM-7 SMS), kConflict when the id exists (retired or not).
core::Status AddProgramme(storage::Db& db, Programme programme);
// New names for a programme. kNotFound for an unknown id.
core::Status RenameProgramme(storage::Db& db, std::string_view id, std::string_view name,
                             std::string_view short_name);
// Retires (active false) or restores a programme. kNotFound, kConflict when already so.
core::Status SetProgrammeActive(storage::Db& db, std::string_view id, bool active);
// The programme with `id`, retired or not; nullopt when none.
core::Result<std::optional<Programme>> FindProgramme(storage::Db& db, std::string_view id);

struct Category {
  std::string id;  // "pkh", "pungli": 2-24 of [a-z0-9_]
  // The message key of its label in locales/ ("category.pkh"): a category of
  // dialogs/categories.json. "" for one an administrator added.
  std::string label_key;
  // Language -> label as the administrator gave it ("id" and "en" at least); when set it
  // replaces label_key in every language ("id" for a language it lacks).
  std::map<std::string, std::string> labels;
  bool active = true;
  int sort = 0;
};

// Every category, in the order offered; retired ones too when `include_retired`.
core::Result<std::vector<Category>> Categories(storage::Db& db, bool include_retired);
// The category with `id`, retired or not; nullopt when none.
core::Result<std::optional<Category>> FindCategory(storage::Db& db, std::string_view id);

// Makes sure every category of dialogs/categories.json (`from_file`, in file order: id and
// label_key, active = the file's "offered") is in the store: a missing one is added, after
// the others, active unless the file does not offer it in the first list; the label key
// of one already there follows the file. Never restores what an administrator retired nor
// replaces the labels they gave. Returns how many were added.
core::Result<int> SeedCategories(storage::Db& db, const std::vector<Category>& from_file);

// kInvalidArgument naming the field: a label for "id" and "en", each 1-24 characters (a
// WhatsApp list row) without control characters; other languages optional, codes of 2-3
// letters.
core::Status CheckCategoryLabels(const std::map<std::string, std::string>& labels);
// A new category with its labels (CheckCategoryLabels), offered last. kConflict when the id
// exists. Whether the citizens' list still fits one SMS is the caller's check.
core::Status AddCategory(storage::Db& db, Category category);
// New labels for a category (CheckCategoryLabels); they replace its locale key. kNotFound.
core::Status RenameCategory(storage::Db& db, std::string_view id,
                            const std::map<std::string, std::string>& labels);
// Retires or restores a category. kNotFound, kConflict when already so.
core::Status SetCategoryActive(storage::Db& db, std::string_view id, bool active);

}  // namespace satupintu::tickets
