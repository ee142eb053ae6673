#pragma once
// Dialog definitions as data: dialogs/*.json (format in dialogs/README.md). A flow is a set of
// named steps; a step asks (a prompt and an expected input), calls a service, or says a
// message, then goes to the next step chosen by the outcome. Loaded once at start-up and
// checked against the locale catalog, so a wrong key or an unreachable step stops the gateway
// instead of reaching a citizen.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "locale/catalog.hpp"

namespace satupintu::dialog {

// What an ask step expects. Each has its validator (dialog/validate.hpp).
enum class InputType : std::uint8_t {
  kChoice,      // one of the options: number, button tap or (fuzzy) label
  kYesNo,       // ya / tidak (and Javanese, Sundanese), or the 1/2 buttons shown
  kNik,         // a NIK, or "tidak tahu" when the step allows it
  kKk,          // a family card number (No. KK), or "tidak tahu" when allowed
  kName,        // a person's name: letters, 2-80 characters
  kText,        // free text (a description), 3-1000 characters
  kDate,        // a past date, day first
  kNumber,      // a whole number in [min, max]
  kRating,      // 1-5
  kTicketCode,  // a ticket code (checked by the service)
  kPhone,       // an Indonesian phone number
};

const char* InputTypeName(InputType type);

struct Option {
  std::string id;     // stored in the slot; also the button id
  std::string label;  // message key of its label
};

// Where a choice's options come from when not listed in the step.
enum class OptionSource : std::uint8_t {
  kStatic,      // "options" in the step
  kCategories,  // the complaint catalogue (dialogs/categories.json)
  kLanguages,   // the catalog's languages, labelled "language.<code>"
  kCandidates,  // the list the last service call returned (villages found by name)
};

enum class StepKind : std::uint8_t { kAsk, kCall, kSay };

struct Step {
  std::string id;
  StepKind kind = StepKind::kAsk;
  std::string message;  // ask: the prompt key; say: the message key
  // Message argument -> slot it is read from ("kategori": "category_label").
  std::map<std::string, std::string> args;
  // ask
  InputType input = InputType::kText;
  std::vector<Option> options;
  OptionSource options_from = OptionSource::kStatic;
  std::string slot;                // where the answer goes ("" for yes/no confirmations)
  bool allow_unknown = false;      // nik/kk/text: "tidak tahu" is an answer (outcome "unknown")
  bool skip_if_set = false;        // the slot already has a value (from another flow): outcome "ok"
  std::int64_t min = 1, max = 99;  // number
  int max_tries = 3;               // wrong answers before the dialog gives up politely
  // call
  std::string service;                           // "registry.check", "tickets.open", ...
  std::map<std::string, std::string> call_args;  // service argument -> slot ("=x": literal x)
  // outcome -> next step; "default" when no outcome matches. A target is a step id, "@end",
  // "@menu" or "@flow:<id>" (another flow, keeping the slots).
  std::map<std::string, std::string> next;
};

struct Flow {
  std::string id;
  std::string file;
  std::string entry;          // first step from the menu, a keyword or a one-shot form
  std::string guessed_entry;  // first step when started from a guessed free-text intent
  std::string oneshot_entry;  // first step for a one-shot SMS form (ADU#NIK#text)
  std::map<std::string, Step, std::less<>> steps;
};

struct Category {
  std::string id;
  std::string label;  // message key; "" for a category an administrator added
  // Language -> label given by an administrator (the store's catalogue, tickets/catalogue.hpp):
  // when set it replaces `label` in every language ("id" for a language it lacks).
  std::map<std::string, std::string> labels = {};
  // false: not in the citizens' first list of categories (dialogs/categories.json "offered");
  // the complaint flow offers it in a list of its own after "Lainnya" (dialogs/complaint.json
  // category_more), and free text and ADU#NIK#text still name it.
  bool offered = true;
};

// A category's label in `language`: the administrator's, else the locale key's text.
std::string CategoryLabel(const Category& category, const locale::Catalog& catalog,
                          const std::string& language);

// Where the engine finds the categories offered now. The runtime's source reads the store's
// catalogue, which an administrator edits while the gateway runs (retired ones are not in it);
// without a source the engine offers the DialogSet's (categories.json).
class CategorySource {
 public:
  virtual ~CategorySource() = default;
  virtual const std::vector<Category>& Offered() const = 0;
};

// Actions of the global keywords, valid at any point of any dialog.
enum class KeywordAction : std::uint8_t {
  kMenu,
  kCancel,
  kHelp,
  kStop,
  kStart,
  kStatus,
  kLanguage,
  kResume,
  kHuman
};

struct Timeouts {
  std::int64_t remind_after_ms = 30LL * 60 * 1000;
  std::int64_t expire_after_ms = 24LL * 3600 * 1000;
};

// The services the runtime provides, with the outcomes each may return (the conversation
// library's table, conversation/services.hpp). A call step must name one of them and route
// every outcome of its service (or have a "default").
using ServiceOutcomes = std::map<std::string, std::set<std::string>, std::less<>>;

class DialogSet {
 public:
  // Reads every *.json in `dir`: flows (one per file, "flow": "<id>"), plus categories.json and
  // keywords.json. Every problem is appended with its file, step and key; the set is usable
  // only when none was found. `catalog` is used to check that every message key exists.
  static DialogSet Read(const std::string& dir, const locale::Catalog& catalog,
                        const ServiceOutcomes& services, std::vector<locale::Problem>* problems);
  // As Read, failing with the problems joined.
  static core::Result<DialogSet> Load(const std::string& dir, const locale::Catalog& catalog,
                                      const ServiceOutcomes& services);

  const Flow* FindFlow(std::string_view id) const;
  const std::map<std::string, Flow, std::less<>>& Flows() const { return flows_; }
  const std::vector<Category>& Categories() const { return categories_; }
  const Category* FindCategory(std::string_view id) const;
  // The action of a whole message that is a keyword (already folded), or nullptr.
  const KeywordAction* Keyword(std::string_view folded) const;
  const std::map<std::string, KeywordAction, std::less<>>& Keywords() const { return keywords_; }
  // Every message key the definitions use (for the locale check).
  std::set<std::string> UsedKeys() const;

  Timeouts timeouts;

 private:
  std::map<std::string, Flow, std::less<>> flows_;
  std::vector<Category> categories_;
  std::map<std::string, KeywordAction, std::less<>> keywords_;
};

// Message keys the engine itself uses (errors of each validator, reminders, help...).
const std::vector<std::string>& EngineKeys();

}  // namespace satupintu::dialog
