#pragma once
// The complaint categories as the dialogs offer them: the store's catalogue
// (tickets/catalogue.hpp), which an administrator edits while the gateway runs, read when a
// turn needs them; and the check that the citizens' list of categories stays one SMS in every
// language, which every change of the list must pass (API, CLI).

#include <string>
#include <vector>

#include "core/result.hpp"
#include "dialog/definition.hpp"
#include "locale/catalog.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::conversation {

// The active categories of the store's catalogue, read on first use within one job (a turn);
// the DialogSet's when the catalogue has none yet (a store the gateway never seeded) or cannot
// be read (logged).
class StoreCategories : public dialog::CategorySource {
 public:
  StoreCategories(storage::Db& db, const dialog::DialogSet& dialogs) : db_(db), dialogs_(dialogs) {}
  const std::vector<dialog::Category>& Offered() const override;

 private:
  storage::Db& db_;
  const dialog::DialogSet& dialogs_;
  mutable bool loaded_ = false;
  mutable std::vector<dialog::Category> offered_;
};

// Whether `offered` (the active categories, in order) fits every step that offers the
// categories, in every language of `catalog`: the prompt with "Balas angka:" and the numbered
// lines of those in the first list (Category::offered) one SMS (160 GSM-7 septets, 70 UCS-2),
// at most 10 of them (one WhatsApp list) and at least one. kConflict naming the language and the
// size otherwise.
core::Status CheckCategoryList(const dialog::DialogSet& dialogs, const locale::Catalog& catalog,
                               const std::vector<dialog::Category>& offered);

}  // namespace satupintu::conversation
