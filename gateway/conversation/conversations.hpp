#pragma once
// The dialog runtime: the engine's I/O. For one inbound message it loads the citizen's
// conversation, runs the engine, executes the service calls the engine asks for (registry,
// regions, tickets, opt-out, language), saves the state and returns the replies composed for
// the channel. Everything happens inside the caller's write job, so the dispatcher journals its
// cursor, the state and the replies in one transaction: a crash repeats nothing and loses
// nothing, and two quick SMS of one citizen are handled in journal (arrival) order.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compose/compose.hpp"
#include "conversation/state_seal.hpp"
#include "core/result.hpp"
#include "dialog/engine.hpp"
#include "locale/catalog.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::regions {
class RegionIndex;
}
namespace satupintu::registry {
class Registry;
class CitizenCheck;
}  // namespace satupintu::registry

namespace satupintu::conversation {

struct Services {
  registry::Registry* registry = nullptr;   // null: registry services answer "unavailable"
  registry::CitizenCheck* check = nullptr;  // null: the status check answers "unavailable"
  std::shared_ptr<const regions::RegionIndex> regions;  // null: no village is ever found
  std::string home_regency;                             // regions.home_regency
  // Where a ticket whose village nobody knows waits to be placed (config::UnplacedRegion).
  std::string unplaced_region;
  // The office's time zone (tickets.utc_offset_minutes): "today" of the dialogs is its day.
  int utc_offset_minutes = 420;
  std::function<std::string()> code_suffix;  // ticket codes (tests pin them); default random
  // Seals the conversation state at rest (state_seal.hpp); empty: a key for this process only.
  std::string state_key;
};

struct Message {
  std::int64_t journal_id = 0;  // makes the reply keys: a repeated row repeats no reply
  std::int64_t citizen_id = 0;
  std::string channel;
  std::string address;
  std::string text;
  std::string choice_id;
  std::string language_hint;  // from the provider (WhatsApp/Telegram), may be empty
};

class Conversations {
 public:
  Conversations(const dialog::Engine& engine, const locale::Catalog& catalog, Services services);

  // A citizen's text or button tap. An opted-out address gets an answer only to the opt-in
  // keyword (MULAI); everything else from it is stored in the journal and not answered.
  core::Result<std::vector<compose::Outgoing>> OnMessage(storage::Db& db, const Message& m,
                                                         std::int64_t now_ms);

  // Up to `limit` conversations whose timer is due: reminders and expiries.
  core::Result<std::vector<compose::Outgoing>> OnTimers(storage::Db& db, std::int64_t now_ms,
                                                        int limit);

  // The office starts a flow for an idle citizen (the survey after a ticket closed), on the
  // channel they last wrote from. Does nothing for a citizen in a dialog or never seen.
  core::Result<std::vector<compose::Outgoing>> Start(
      storage::Db& db, std::int64_t citizen_id, const std::string& flow,
      const std::map<std::string, std::string>& slots, std::int64_t now_ms);

  // True when the citizen is in no dialog (never seen, or back at the menu).
  core::Result<bool> Idle(storage::Db& db, std::int64_t citizen_id);

  const dialog::Engine& Engine() const { return engine_; }

 private:
  struct Loaded;
  core::Result<Loaded> Load(storage::Db& db, std::int64_t citizen_id, const std::string& channel,
                            const std::string& address, const std::string& hint);
  core::Result<std::vector<compose::Outgoing>> Run(storage::Db& db, Loaded& c,
                                                   const dialog::Input& input,
                                                   const std::string& key_prefix);
  core::Result<dialog::Input> Call(storage::Db& db, const Loaded& c,
                                   const dialog::ServiceCall& call, const dialog::Input& turn);

  const dialog::Engine& engine_;
  const locale::Catalog& catalog_;
  Services services_;
  StateSeal seal_;
};

// A reply as the channel shows it: SMS gets the choices as numbered lines (by Compose) and
// `reply_number` ("Balas angka:") after the prompt, yes/no questions without either;
// WhatsApp gets reply buttons (<= 3, titles cut to 20) or a list (<= 10 rows, titles cut to
// 24, the list button from the locale); Telegram an inline keyboard.
compose::Outgoing ToOutgoing(const dialog::Reply& reply, const std::string& channel,
                             const std::string& address, const std::string& key,
                             const std::string& list_button_label, const std::string& reply_number);

// What the citizen sees, as text: for `satupintu chat` and the transcript tests. SMS: the
// text exactly as sent; WhatsApp and Telegram: the text, then one "[title]" per button.
std::string Preview(const compose::Outgoing& out);

}  // namespace satupintu::conversation
