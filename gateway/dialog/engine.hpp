#pragma once
// The dialog engine: pure. (state, input) -> (new state, replies, at most one service call).
// No I/O, no clock, no randomness: the runtime (gateway/conversation) loads the state, gives
// the time, runs the service calls the engine asks for and feeds their results back, saves
// the state and sends the replies. The same state and input always give the same result, so
// a turn repeated after a crash says the same thing under the same outbox keys.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dialog/definition.hpp"
#include "dialog/state.hpp"
#include "dialog/validate.hpp"
#include "locale/catalog.hpp"
#include "registry_io/dates.hpp"
#include "understand/lexicon.hpp"

namespace satupintu::dialog {

struct Reply;

// How the citizen's channel carries a reply, given by the runtime for each turn: the engine
// knows no channel, but must not send a prompt that takes two SMS. With one, a choice that
// does not fit one message goes in pages ("4 lainnya"), and the citizen's words echoed in a
// prompt are what the channel carries, shortened with ".." until the prompt fits.
class Medium {
 public:
  virtual ~Medium() = default;
  // True when `reply` (in `language`) goes as one message: one SMS, one WhatsApp list...
  virtual bool Fits(const Reply& reply, const std::string& language) const = 0;
  // An argument of a message as the channel carries it (SMS: GSM-7 only, so an emoji in a
  // description does not turn the summary into UCS-2).
  virtual std::string Echo(std::string_view text) const = 0;
};

struct Input {
  enum class Kind : std::uint8_t {
    kMessage,  // the citizen wrote (text) or tapped a button (choice_id)
    kResult,   // the result of the service call the engine asked for
    kTimer,    // the state's timer fell due (reminder, then expiry)
    kStart,    // the office starts a flow (a survey after a ticket closed), slots given
  };
  Kind kind = Kind::kMessage;
  std::string text;
  std::string choice_id;
  std::int64_t now_ms = 0;
  registry_io::CivilDate today;
  // kResult
  std::string outcome;
  std::map<std::string, std::string> slots;
  std::vector<std::pair<std::string, std::string>> candidates;  // {id, label}
  // kStart
  std::string flow;
  // The categories offered now (the store's catalogue); null: the DialogSet's. Not owned.
  const CategorySource* categories = nullptr;
  // The citizen's channel; null: no limits (replies as the messages render). Not owned.
  const Medium* medium = nullptr;
};

struct Reply {
  std::string key;   // the message key (for tests and the channel log; never the text)
  std::string text;  // rendered in the state's language
  std::vector<std::pair<std::string, std::string>> choices;  // {id, label}, rendered
};

struct ServiceCall {
  std::string service;
  std::map<std::string, std::string> args;
};

struct Output {
  std::vector<Reply> replies;
  std::optional<ServiceCall> call;  // when set, feed its result back as Input::kResult
};

using Choices = std::vector<std::pair<std::string, std::string>>;  // {id, label}

// One page of a choice too long for one message: options [start, start + size) of `all`,
// then "N lainnya" (id "_more", dialog.more_choices) when options follow, then the last
// option of `all` when it is "none of these" (id "none"): the way out stays on every page.
// size <= 0: every option.
Choices ChoicePage(const Choices& all, int start, int size, const locale::Catalog& catalog,
                   const std::string& language);

// The size of the page from `start` that `medium` shows of `prompt` (its text and key; its
// choices are replaced): as many options as fit one message, at least one so that a list
// always moves on. 0 when the whole list fits at once.
int FittingPageSize(const Reply& prompt, const Choices& all, int start, const Medium& medium,
                    const locale::Catalog& catalog, const std::string& language);

// A page of one option that still does not fit (a nationwide gateway's "Simpang Sender
// Selatan, Kec. Buay Pematang Ribu Ranau Tengah, Kab. Ogan Komering Ulu Selatan"): the longest
// option labels are cut with ".." until it does, or every label is down to a few words. The
// ids stay, so the number the citizen answers means the same option.
void FitChoiceLabels(Reply& reply, const Medium& medium, const std::string& language);

class Engine {
 public:
  // All four outlive the engine; none is modified.
  Engine(const DialogSet& dialogs, const locale::Catalog& catalog,
         const understand::Lexicon& lexicon);

  // One step. `state` is updated in place. When the output has a call, the state waits for
  // it (state.awaiting); any other input then is answered "one moment" and dropped.
  Output Step(State& state, const Input& input) const;

  // When Step should next be called with Input::kTimer (0: no timer).
  std::int64_t TimerDue(const State& state) const;

  const DialogSet& Dialogs() const { return dialogs_; }
  // True when the whole message is a global keyword (MENU, BATAL, STOP, ...), read as Step
  // reads it: folded, repeated letters collapsed, abbreviations expanded.
  bool IsKeyword(std::string_view text) const;

 private:
  struct Turn;
  void OnMessage(Turn& t) const;
  void OnResult(Turn& t) const;
  void OnTimer(Turn& t) const;
  bool Keyword(Turn& t) const;
  bool TapOnOldMenu(Turn& t) const;
  bool StartFromFreeText(Turn& t) const;
  bool FormMidDialog(Turn& t, const dialog::Step& step) const;
  bool ReturnAfterForm(Turn& t) const;
  enum class Entry : std::uint8_t { kDefault, kGuessed, kOneShot };
  void StartFlow(Turn& t, std::string_view flow, Entry entry) const;
  void Goto(Turn& t, const std::string& target) const;
  void Enter(Turn& t) const;
  // Validates `answer` at `step`: stores it and moves on, or says what was wrong. Only a typed
  // answer counts towards the step's max_tries (a prefilled one is the form's, not a retry).
  void ApplyAnswer(Turn& t, const dialog::Step& step, const dialog::Answer& answer,
                   bool typed) const;
  void Prompt(Turn& t, const dialog::Step& step) const;
  void Say(Turn& t, std::string_view key, const std::map<std::string, std::string>& args,
           std::vector<std::pair<std::string, std::string>> choices = {}) const;
  // As Say, with the argument values themselves instead of the slots holding them. `echoes`:
  // the arguments holding the citizen's own words, shortened when the reply would not fit.
  void SayValues(Turn& t, std::string_view key, const std::map<std::string, std::string>& values,
                 std::vector<std::pair<std::string, std::string>> choices = {},
                 const std::set<std::string>& echoes = {}) const;
  Reply Build(const Turn& t, std::string_view key, const std::map<std::string, std::string>& values,
              std::vector<std::pair<std::string, std::string>> choices,
              const std::set<std::string>& echoes) const;
  // The slots of the current flow that hold what the citizen typed (text and name answers).
  bool IsEcho(const Turn& t, const std::string& slot) const;
  // The options of the page shown (state.page_*), with "more" and "none of these".
  std::vector<std::pair<std::string, std::string>> OptionsOf(const Turn& t,
                                                             const dialog::Step& step) const;
  // Every option, unpaged.
  std::vector<std::pair<std::string, std::string>> AllOptionsOf(const Turn& t,
                                                                const dialog::Step& step) const;
  static std::string Next(const dialog::Step& step, const std::string& outcome);
  const std::vector<Category>& CategoriesOf(const Turn& t) const;
  // An offered category by id (nullptr for an unknown or retired one).
  const Category* FindCategory(const Turn& t, std::string_view id) const;
  // The category a one-shot form named (its "category" slot) as the store's catalogue has it:
  // one the administrator retired becomes "lainnya", the label follows a rename.
  void FollowCatalogue(const Turn& t, std::map<std::string, std::string>& slots) const;

  const DialogSet& dialogs_;
  const locale::Catalog& catalog_;
  const understand::Lexicon& lexicon_;
};

}  // namespace satupintu::dialog
