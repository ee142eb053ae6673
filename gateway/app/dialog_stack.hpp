#pragma once
// Everything the dialogs need, built from the config: the lexicon (locales/lexicon), the
// dialog definitions (dialogs/), the engine, the registry and citizen check when a registry key
// exists, the region index, and the runtime. For `serve`, `chat` and the transcript tests.

#include <memory>

#include "config/config.hpp"
#include "conversation/conversations.hpp"
#include "core/metrics.hpp"
#include "core/result.hpp"
#include "dialog/definition.hpp"
#include "dialog/engine.hpp"
#include "locale/catalog.hpp"
#include "storage/store.hpp"
#include "tickets/catalogue.hpp"
#include "understand/lexicon.hpp"

namespace satupintu::regions {
class RegionIndex;
}
namespace satupintu::registry {
class Registry;
class CitizenCheck;
}  // namespace satupintu::registry

namespace satupintu::app {

struct DialogStack {
  understand::Lexicon lexicon;
  dialog::DialogSet dialogs;
  std::unique_ptr<dialog::Engine> engine;
  std::unique_ptr<registry::Registry> registry;  // null without a registry key
  std::unique_ptr<registry::CitizenCheck> check;
  std::unique_ptr<conversation::Conversations> conversations;
  std::shared_ptr<const regions::RegionIndex> regions;  // also the back office's village names

  DialogStack();
  ~DialogStack();
};

// config.dialogs.dir, or the "dialogs" folder beside the locales folder when it is empty.
std::string DialogsDir(const config::Config& config);

// First start of a deployment: imports the region tree from regions.data_dir (the npm package
// the set-up command installs) when the store has none. A tree already there is never
// replaced; a missing package is logged, not fatal.
void LoadRegionTreeIfEmpty(const config::Config& config, storage::Store& store);

// The store's catalogue categories (tickets/catalogue.hpp) as the dialogs offer them.
std::vector<dialog::Category> ToDialogCategories(const std::vector<tickets::Category>& categories);

// Adds the categories of `dialogs` (dialogs/categories.json) that the store's catalogue lacks,
// and waits for the commit (tickets::SeedCategories).
core::Status SeedCategories(const dialog::DialogSet& dialogs, storage::Store& store);
// The seeds of dialogs/categories.json: id, label key, active when in the first list.
std::vector<tickets::Category> CategorySeeds(const dialog::DialogSet& dialogs);

// Fails (naming file, step and key) on a bad lexicon or dialog definition. A missing registry
// key is not an error: registry services then answer "unavailable" and the dialogs say so.
// `code_suffix` pins ticket codes (tests); empty for random codes. `metrics`: where the
// registry check counts its tries (null: nowhere, as in `chat`).
core::Result<std::unique_ptr<DialogStack>> BuildDialogStack(
    const config::Config& config, storage::Store& store, const locale::Catalog& catalog,
    std::function<std::string()> code_suffix = {}, core::MetricsRegistry* metrics = nullptr);

}  // namespace satupintu::app
