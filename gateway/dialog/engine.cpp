#include "dialog/engine.hpp"

#include <algorithm>
#include <charconv>
#include <variant>

#include "dialog/form_request.hpp"
#include "dialog/validate.hpp"
#include "text/fold.hpp"
#include "understand/intent.hpp"
#include "understand/normalize.hpp"

namespace satupintu::dialog {

// Everything one call of Step works on.
struct Engine::Turn {
  State& state;
  const Input& in;
  Output& out;
  int hops = 0;  // steps entered in this turn: a loop in the definitions must not hang us
};

namespace {

constexpr int kMaxHops = 64;
constexpr std::int64_t kResumeKeepMs = 7LL * 24 * 3600 * 1000;
// Slot set when BAHASA interrupts a dialog: the language flow's end goes back to it.
constexpr char kBackAfterLanguage[] = "_back_after_language";
// Slots holding a dialog interrupted by a one-shot form (SerializeState of its flow, step,
// slots, prefill and choices): at the end of the form's flow it is asked again (a ticket code: a
// question aside) or kept for LANJUT (ADU, DTKS, REG: a request of its own).
constexpr char kBackAfterForm[] = "_back_after_form";
constexpr char kKeepAfterForm[] = "_keep_after_form";
// The choice that shows the next page of a long list, and the one kept on every page.
constexpr char kMoreChoice[] = "_more";
constexpr char kNoneChoice[] = "none";
// An echo is not shortened below this many code points: a few words still say what it was.
constexpr std::size_t kMinEcho = 12;

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

// The first `max` code points of `s` and "..", cut after a word when one ends in the second
// half.
std::string CutWithDots(std::string_view s, std::size_t max) {
  std::size_t bytes = 0;
  for (std::size_t n = 0; bytes < s.size() && n < max; ++n) {
    ++bytes;
    while (bytes < s.size() && (static_cast<unsigned char>(s[bytes]) & 0xC0) == 0x80) ++bytes;
  }
  std::string_view cut = s.substr(0, bytes);
  if (const auto sp = cut.find_last_of(' '); sp != std::string_view::npos && sp > bytes / 2) {
    cut = cut.substr(0, sp);
  }
  while (!cut.empty() && (cut.back() == ' ' || cut.back() == '.')) cut.remove_suffix(1);
  return std::string(cut) + "..";
}

void ClearDialog(State& s) {
  s.flow.clear();
  s.step.clear();
  s.slots.clear();
  s.prefill.clear();
  s.candidates.clear();
  s.page_start = 0;
  s.page_size = 0;
  s.tries = 0;
  s.awaiting.clear();
}

// Leaves the step but keeps what was answered and the choice on offer (the villages found),
// for LANJUT or the return after BAHASA.
void ClearKeepingAnswers(State& s) {
  auto slots = std::move(s.slots);
  auto candidates = std::move(s.candidates);
  ClearDialog(s);
  s.slots = std::move(slots);
  s.candidates = std::move(candidates);
}

}  // namespace

Engine::Engine(const DialogSet& dialogs, const locale::Catalog& catalog,
               const understand::Lexicon& lexicon)
    : dialogs_(dialogs), catalog_(catalog), lexicon_(lexicon) {}

std::int64_t Engine::TimerDue(const State& s) const {
  if (!s.awaiting.empty()) return 0;
  const auto& t = dialogs_.timeouts;
  if (!s.Idle()) return s.last_activity_ms + (s.reminded ? t.expire_after_ms : t.remind_after_ms);
  if (!s.resume_flow.empty()) return s.last_activity_ms + t.expire_after_ms + kResumeKeepMs;
  return 0;
}

Output Engine::Step(State& state, const Input& in) const {
  Output out;
  Turn t{state, in, out};
  switch (in.kind) {
    case Input::Kind::kMessage:
      state.last_activity_ms = in.now_ms;
      state.reminded = false;
      OnMessage(t);
      break;
    case Input::Kind::kResult:
      OnResult(t);
      break;
    case Input::Kind::kTimer:
      OnTimer(t);
      break;
    case Input::Kind::kStart:
      // The office starts flows only for idle citizens: never cut into a running dialog.
      if (state.Idle() && state.awaiting.empty() && dialogs_.FindFlow(in.flow) != nullptr) {
        ClearDialog(state);
        state.resume_flow.clear();
        state.slots = in.slots;
        state.last_activity_ms = in.now_ms;
        state.reminded = false;
        StartFlow(t, in.flow, Entry::kDefault);
      }
      break;
  }
  return out;
}

void Engine::OnMessage(Turn& t) const {
  State& s = t.state;
  if (!s.awaiting.empty()) {
    Say(t, "dialog.wait", {});
    return;
  }
  if (Keyword(t)) return;
  if (s.Idle()) {
    if (TapOnOldMenu(t)) return;
    if (StartFromFreeText(t)) return;
    ClearDialog(s);
    StartFlow(t, "menu", Entry::kDefault);
    return;
  }
  const Flow* flow = dialogs_.FindFlow(s.flow);
  auto it = flow ? flow->steps.find(s.step) : decltype(flow->steps.end()){};
  if (flow == nullptr || it == flow->steps.end() || it->second.kind != StepKind::kAsk) {
    // A state from older definitions: start again rather than guess.
    ClearDialog(s);
    StartFlow(t, "menu", Entry::kDefault);
    return;
  }
  if (t.in.choice_id.empty() && FormMidDialog(t, it->second)) return;
  ApplyAnswer(t, it->second, {t.in.text, t.in.choice_id}, true);
}

// A one-shot form or a ticket code in the middle of a dialog is what the citizen wants now,
// not a wrong answer to the step. Nothing typed is lost: a ticket code at the step asking for
// one is its answer; a form of the flow already running starts it again with the form's
// answers (the citizen typed them all again); a status check is a question aside, after which
// the step is asked again; another request (ADU, DTKS, REG) is done and the interrupted dialog
// is kept for LANJUT, as after an expiry. A form with a field missing is left to the step.
bool Engine::FormMidDialog(Turn& t, const dialog::Step& step) const {
  State& s = t.state;
  auto request = ReadFormRequest(t.in.text, dialogs_, catalog_, lexicon_, s.language);
  if (!request || request->incomplete) return false;
  if (request->flow == "ticket_status" && step.input == InputType::kTicketCode) {
    ApplyAnswer(t, step, {request->prefill["code"], ""}, true);
    return true;
  }
  std::string interrupted;
  if (s.flow != request->flow && s.flow != "menu") {
    State saved;
    saved.language = s.language;
    saved.flow = s.flow;
    saved.step = s.step;
    saved.slots = s.slots;
    saved.prefill = s.prefill;  // a guessed category not yet confirmed
    saved.candidates = s.candidates;
    interrupted = SerializeState(saved);
  }
  ClearDialog(s);
  s.slots = std::move(request->slots);
  FollowCatalogue(t, s.slots);
  s.prefill = std::move(request->prefill);
  if (!interrupted.empty()) {
    s.slots[request->flow == "ticket_status" ? kBackAfterForm : kKeepAfterForm] =
        std::move(interrupted);
  }
  StartFlow(t, request->flow, Entry::kOneShot);
  return true;
}

// At the end of a form's flow: the dialog it interrupted, asked again or kept for LANJUT.
// False when there is none.
bool Engine::ReturnAfterForm(Turn& t) const {
  State& s = t.state;
  const bool back = s.slots.contains(kBackAfterForm);
  const auto it = s.slots.find(back ? kBackAfterForm : kKeepAfterForm);
  if (it == s.slots.end()) return false;
  const auto saved = ParseState(it->second);
  ClearDialog(s);
  if (!saved || dialogs_.FindFlow(saved->flow) == nullptr) return true;
  s.slots = saved->slots;
  s.prefill = saved->prefill;
  s.candidates = saved->candidates;
  if (back) {
    s.flow = saved->flow;
    s.step = saved->step;
    Enter(t);
  } else {
    s.resume_flow = saved->flow;
    s.resume_step = saved->step;
    Say(t, "dialog.kept_for_resume", {});
  }
  return true;
}

// WhatsApp and Telegram keep old menus on screen: a tap on one after its dialog ended is the
// citizen choosing from the menu again, not a sentence to understand.
bool Engine::TapOnOldMenu(Turn& t) const {
  if (t.in.choice_id.empty()) return false;
  const Flow* menu = dialogs_.FindFlow("menu");
  if (menu == nullptr) return false;
  const auto it = menu->steps.find(menu->entry);
  if (it == menu->steps.end() || it->second.kind != StepKind::kAsk) return false;
  const auto& options = it->second.options;
  if (std::none_of(options.begin(), options.end(),
                   [&](const Option& o) { return o.id == t.in.choice_id; })) {
    return false;
  }
  ClearDialog(t.state);
  t.state.flow = menu->id;
  t.state.step = menu->entry;
  t.state.tries = 0;
  ApplyAnswer(t, it->second, {"", t.in.choice_id}, true);
  return true;
}

bool Engine::IsKeyword(std::string_view text) const {
  if (dialogs_.Keyword(Trim(text::FoldForMatch(text))) != nullptr) return true;
  return dialogs_.Keyword(understand::NormalizeMessage(text, lexicon_).Joined()) != nullptr;
}

bool Engine::Keyword(Turn& t) const {
  if (!t.in.choice_id.empty()) return false;
  const std::string folded = Trim(text::FoldForMatch(t.in.text));
  const KeywordAction* action = dialogs_.Keyword(folded);
  // "menuuu", "tlg": repeated letters collapsed, the lexicon's abbreviations expanded.
  if (action == nullptr) {
    action = dialogs_.Keyword(understand::NormalizeMessage(t.in.text, lexicon_).Joined());
  }
  if (action == nullptr) return false;
  State& s = t.state;
  switch (*action) {
    case KeywordAction::kHelp:
      Say(t, "dialog.help", {});
      return true;
    case KeywordAction::kCancel:
      ClearDialog(s);
      s.resume_flow.clear();
      Say(t, "dialog.cancelled", {});
      return true;
    case KeywordAction::kResume:
      if (s.Idle() && !s.resume_flow.empty() && dialogs_.FindFlow(s.resume_flow) != nullptr) {
        s.flow = s.resume_flow;
        s.step = s.resume_step;
        s.resume_flow.clear();
        s.resume_step.clear();
        s.tries = 0;
        Enter(t);
      } else {
        Say(t, "dialog.nothing_to_resume", {});
      }
      return true;
    case KeywordAction::kLanguage: {
      // In the middle of a dialog the language changes and the dialog goes back to its step
      // (Goto "@end" of the language flow); after a give-up or an expiry LANJUT still works.
      if (!s.Idle() && s.flow != "language") {
        s.resume_flow = s.flow;
        s.resume_step = s.step;
        s.slots[std::string(kBackAfterLanguage)] = std::string(1, '1');
      }
      if (s.resume_flow.empty()) {
        ClearDialog(s);
        StartFlow(t, "language", Entry::kDefault);
        return true;
      }
      ClearKeepingAnswers(s);
      auto candidates = std::move(s.candidates);  // the language flow offers its own choices
      StartFlow(t, "language", Entry::kDefault);
      s.candidates = std::move(candidates);
      return true;
    }
    case KeywordAction::kMenu:
    case KeywordAction::kStop:
    case KeywordAction::kStart:
    case KeywordAction::kStatus:
    case KeywordAction::kHuman: {
      // Another flow: what was left for LANJUT is given up (its answers are gone with it).
      ClearDialog(s);
      s.resume_flow.clear();
      s.resume_step.clear();
      const char* flow = *action == KeywordAction::kMenu     ? "menu"
                         : *action == KeywordAction::kStop   ? "opt_out"
                         : *action == KeywordAction::kStart  ? "opt_in"
                         : *action == KeywordAction::kStatus ? "ticket_status"
                                                             : "human";
      // PETUGAS asks first ("Anda ingin dihubungi petugas?"): a citizen who types it often
      // answers "ya" next, which must open the handover, not land on the menu; and a word
      // read off a message should not bring an officer's call by itself. The menu's choice
      // opens it at once.
      StartFlow(t, flow, *action == KeywordAction::kHuman ? Entry::kGuessed : Entry::kDefault);
      return true;
    }
  }
  return false;
}

bool Engine::StartFromFreeText(Turn& t) const {
  State& s = t.state;
  ClearDialog(s);
  s.resume_flow.clear();
  s.resume_step.clear();
  const std::string& text = t.in.text.empty() ? t.in.choice_id : t.in.text;
  if (auto request = ReadFormRequest(text, dialogs_, catalog_, lexicon_, s.language)) {
    if (request->incomplete) {
      Say(t, "oneshot.format", {});
      return true;
    }
    s.slots = std::move(request->slots);
    FollowCatalogue(t, s.slots);
    s.prefill = std::move(request->prefill);
    StartFlow(t, request->flow, Entry::kOneShot);
    return true;
  }
  const auto guess = understand::RecognizeIntent(text, lexicon_);
  switch (guess.intent) {
    case understand::Intent::kComplaint: {
      const Category* more = dialogs_.FindCategory(guess.category);
      if (const Category* c = FindCategory(t, guess.category); c != nullptr && c->offered) {
        s.prefill["category"] = c->id;
        s.slots["guess_label"] = CategoryLabel(*c, catalog_, s.language);
      } else if (more != nullptr && !more->offered) {
        // Not in the first list ("pungli"): no choice there would take it, so it is the answer
        // already (the category step skips a category that is set).
        s.slots["category"] = more->id;
        s.slots["category_label"] = CategoryLabel(*more, catalog_, s.language);
        s.slots["guess_label"] = s.slots["category_label"];
      } else {
        s.slots["guess_label"] = catalog_.Text(s.language, "complaint.generic_topic");
      }
      if (guess.has_detail) s.prefill["description"] = text;  // CleanText trims it
      StartFlow(t, "complaint", Entry::kGuessed);
      return true;
    }
    case understand::Intent::kRegistryCheck:
      StartFlow(t, "registry_check", Entry::kGuessed);
      return true;
    case understand::Intent::kRegistration:
      StartFlow(t, "registration", Entry::kGuessed);
      return true;
    case understand::Intent::kTicketStatus:
      StartFlow(t, "ticket_status", Entry::kGuessed);
      return true;
    case understand::Intent::kOptOut:
      StartFlow(t, "opt_out", Entry::kGuessed);
      return true;
    case understand::Intent::kOptIn:
      StartFlow(t, "opt_in", Entry::kGuessed);
      return true;
    case understand::Intent::kHuman:
      StartFlow(t, "human", Entry::kGuessed);
      return true;
    case understand::Intent::kHelp:
      Say(t, "dialog.help", {});
      return true;
    case understand::Intent::kThanks:
      Say(t, "intent.thanks", {});
      return true;
    case understand::Intent::kGreeting:
    case understand::Intent::kUnknown:
      return false;  // the menu
  }
  return false;
}

void Engine::StartFlow(Turn& t, std::string_view flow_id, Entry entry) const {
  const Flow* flow = dialogs_.FindFlow(flow_id);
  if (flow == nullptr) return;  // DialogSet::Read requires every flow the engine starts
  State& s = t.state;
  s.flow = flow->id;
  s.step = flow->entry;
  if (entry == Entry::kGuessed && !flow->guessed_entry.empty()) s.step = flow->guessed_entry;
  if (entry == Entry::kOneShot && !flow->oneshot_entry.empty()) s.step = flow->oneshot_entry;
  s.tries = 0;
  s.page_start = 0;
  s.page_size = 0;
  s.candidates.clear();
  Enter(t);
}

void Engine::Goto(Turn& t, const std::string& target) const {
  State& s = t.state;
  if (target == "@end") {
    if (s.flow == "language" && !s.resume_flow.empty()) {
      s.slots.erase("language_choice");
      const bool back = s.slots.erase(kBackAfterLanguage) > 0;
      ClearKeepingAnswers(s);
      if (back && dialogs_.FindFlow(s.resume_flow) != nullptr) {
        s.flow = s.resume_flow;
        s.step = s.resume_step;
        s.resume_flow.clear();
        s.resume_step.clear();
        Enter(t);
      }
      return;
    }
    if (ReturnAfterForm(t)) return;
    ClearDialog(s);
    return;
  }
  if (target == "@menu") {
    ClearDialog(s);
    StartFlow(t, "menu", Entry::kDefault);
    return;
  }
  if (target.starts_with("@flow:")) {
    s.prefill.clear();
    StartFlow(t, target.substr(6), Entry::kDefault);
    return;
  }
  s.step = target;
  s.tries = 0;
  s.page_start = 0;
  s.page_size = 0;
  Enter(t);
}

void Engine::Enter(Turn& t) const {
  State& s = t.state;
  if (++t.hops > kMaxHops) {
    ClearDialog(s);
    Say(t, "dialog.not_understood", {});
    return;
  }
  const Flow* flow = dialogs_.FindFlow(s.flow);
  auto it = flow ? flow->steps.find(s.step) : decltype(flow->steps.end()){};
  if (flow == nullptr || it == flow->steps.end()) {
    ClearDialog(s);
    return;
  }
  const dialog::Step& step = it->second;
  switch (step.kind) {
    case StepKind::kSay:
      Say(t, step.message, step.args);
      Goto(t, Next(step, "default"));
      return;
    case StepKind::kCall: {
      ServiceCall call;
      call.service = step.service;
      for (const auto& [name, source] : step.call_args) {
        if (source.starts_with("=")) {
          call.args[name] = source.substr(1);
        } else if (auto v = s.slots.find(source); v != s.slots.end()) {
          call.args[name] = v->second;
        }
      }
      call.args["_language"] = s.language;
      s.awaiting = step.service;
      t.out.call = std::move(call);
      return;
    }
    case StepKind::kAsk: {
      if (step.skip_if_set && !step.slot.empty()) {
        if (auto v = s.slots.find(step.slot); v != s.slots.end() && !v->second.empty()) {
          Goto(t, Next(step, "ok"));
          return;
        }
      }
      if (auto p = s.prefill.find(step.slot); !step.slot.empty() && p != s.prefill.end()) {
        // Validated exactly like a typed answer, but a wrong one does not count as a try.
        const dialog::Answer prefilled{p->second, ""};
        s.prefill.erase(p);
        ApplyAnswer(t, step, prefilled, false);
        return;
      }
      Prompt(t, step);
      return;
    }
  }
}

void Engine::ApplyAnswer(Turn& t, const dialog::Step& step, const dialog::Answer& answer,
                         bool typed) const {
  State& s = t.state;
  const auto v = Validate(step, answer, OptionsOf(t, step), lexicon_, t.in.today);
  if (v.ok && step.input == InputType::kChoice && v.outcome == kMoreChoice) {
    // The next page: not an answer, not a wrong one either.
    s.page_start += s.page_size;
    Prompt(t, step);
    return;
  }
  if (v.ok) {
    if (!step.slot.empty()) {
      for (const auto& [suffix, value] : v.values) {
        s.slots[suffix.empty() ? step.slot : step.slot + "_" + suffix] = value;
      }
    }
    Goto(t, Next(step, v.outcome));
    return;
  }
  if (typed && ++s.tries >= step.max_tries) {
    s.resume_flow = s.flow;
    s.resume_step = s.step;
    ClearKeepingAnswers(s);  // LANJUT continues with what was already answered
    Say(t, "dialog.give_up", {});
    return;
  }
  SayValues(t, v.error_key, v.error_args);
}

void Engine::Prompt(Turn& t, const dialog::Step& step) const {
  State& s = t.state;
  std::map<std::string, std::string> values;
  std::set<std::string> echoes;
  for (const auto& [name, slot] : step.args) {
    auto v = s.slots.find(slot);
    values[name] = v == s.slots.end() ? std::string() : v->second;
    if (t.in.medium != nullptr && IsEcho(t, slot)) echoes.insert(name);
  }
  const auto all = AllOptionsOf(t, step);
  s.page_size = 0;
  // An echo is cut to fit the text alone: a long list goes in pages instead.
  const bool choice = step.input == InputType::kChoice;
  Reply reply = Build(t, step.message, values, choice ? Choices{} : all, echoes);
  reply.choices = all;
  if (choice && t.in.medium != nullptr) {
    const bool pinned = !all.empty() && all.back().first == kNoneChoice;
    if (s.page_start < 0 || s.page_start >= static_cast<int>(all.size()) - (pinned ? 1 : 0)) {
      s.page_start = 0;
    }
    s.page_size = FittingPageSize(reply, all, s.page_start, *t.in.medium, catalog_, s.language);
    if (s.page_size > 0) reply.choices = OptionsOf(t, step);
    if (s.page_size == 1) FitChoiceLabels(reply, *t.in.medium, s.language);
  }
  if (s.page_size == 0) s.page_start = 0;
  t.out.replies.push_back(std::move(reply));
}

std::vector<std::pair<std::string, std::string>> Engine::OptionsOf(const Turn& t,
                                                                   const dialog::Step& step) const {
  auto all = AllOptionsOf(t, step);
  const State& s = t.state;
  if (s.page_size <= 0 || step.input != InputType::kChoice) return all;
  return ChoicePage(all, s.page_start, s.page_size, catalog_, s.language);
}

Choices ChoicePage(const Choices& all, int start, int size, const locale::Catalog& catalog,
                   const std::string& language) {
  if (size <= 0) return all;
  const bool pinned = !all.empty() && all.back().first == kNoneChoice;
  const int body = static_cast<int>(all.size()) - (pinned ? 1 : 0);
  const int from = std::clamp(start, 0, body);
  const int end = std::min(body, from + size);
  Choices page;
  for (int i = from; i < end; ++i) page.push_back(all[static_cast<std::size_t>(i)]);
  if (end < body) {
    auto more = catalog.Render(language, "dialog.more_choices",
                               {{"sisa", static_cast<std::int64_t>(body - end)}});
    page.emplace_back(kMoreChoice, more.ok() ? more.value() : std::to_string(body - end));
  }
  if (pinned) page.push_back(all.back());
  return page;
}

void FitChoiceLabels(Reply& reply, const Medium& medium, const std::string& language) {
  while (!medium.Fits(reply, language)) {
    std::string* longest = nullptr;
    std::size_t longest_n = kMinEcho;
    for (auto& [id, label] : reply.choices) {
      if (const std::size_t n = CodePoints(label); n > longest_n) {
        longest = &label;
        longest_n = n;
      }
    }
    if (longest == nullptr) return;
    *longest = CutWithDots(*longest, std::max(kMinEcho, longest_n - 6) - 2);
  }
}

int FittingPageSize(const Reply& prompt, const Choices& all, int start, const Medium& medium,
                    const locale::Catalog& catalog, const std::string& language) {
  const bool pinned = !all.empty() && all.back().first == kNoneChoice;
  const int body = static_cast<int>(all.size()) - (pinned ? 1 : 0);
  Reply r = prompt;
  r.choices = all;
  if (body < 2 || medium.Fits(r, language)) return 0;
  int size = 1;
  while (start + size < body) {
    r.choices = ChoicePage(all, start, size + 1, catalog, language);
    if (!medium.Fits(r, language)) break;
    ++size;
  }
  return size;
}

std::vector<std::pair<std::string, std::string>> Engine::AllOptionsOf(
    const Turn& t, const dialog::Step& step) const {
  const std::string& lang = t.state.language;
  std::vector<std::pair<std::string, std::string>> out;
  if (step.input == InputType::kYesNo) {
    out.emplace_back("yes", catalog_.Text(lang, "option.yes"));
    out.emplace_back("no", catalog_.Text(lang, "option.no"));
    return out;
  }
  if (step.input != InputType::kChoice) return out;
  switch (step.options_from) {
    case OptionSource::kStatic:
      for (const auto& o : step.options) out.emplace_back(o.id, catalog_.Text(lang, o.label));
      break;
    case OptionSource::kCategories:
      for (const auto& c : CategoriesOf(t)) {
        if (c.offered) out.emplace_back(c.id, CategoryLabel(c, catalog_, lang));
      }
      break;
    case OptionSource::kLanguages:
      // Each language named in itself: a Javanese speaker reads "Basa Jawa".
      for (const auto& l : catalog_.Languages()) {
        out.emplace_back(l, catalog_.Text(l, "language." + l));
      }
      break;
    case OptionSource::kCandidates:
      out = t.state.candidates;
      // Found in another language before BAHASA: "none of these" follows the language.
      for (auto& [id, label] : out) {
        if (id == "none") label = catalog_.Text(t.state.language, "dialog.none_of_these");
      }
      break;
  }
  return out;
}

const std::vector<Category>& Engine::CategoriesOf(const Turn& t) const {
  if (t.in.categories != nullptr) {
    const auto& offered = t.in.categories->Offered();
    if (!offered.empty()) return offered;
  }
  return dialogs_.Categories();
}

void Engine::FollowCatalogue(const Turn& t, std::map<std::string, std::string>& slots) const {
  auto it = slots.find("category");
  if (it == slots.end()) return;
  const Category* c = FindCategory(t, it->second);
  if (c == nullptr) {
    // Not in the first list: a category of the complaint's second list stays as the file has
    // it; one an administrator retired becomes "lainnya".
    const Category* more = dialogs_.FindCategory(it->second);
    if (more != nullptr && !more->offered) c = more;
  }
  if (c == nullptr) c = FindCategory(t, "lainnya");
  if (c == nullptr) c = &CategoriesOf(t).front();
  it->second = c->id;
  slots["category_label"] = CategoryLabel(*c, catalog_, t.state.language);
}

const Category* Engine::FindCategory(const Turn& t, std::string_view id) const {
  for (const auto& c : CategoriesOf(t)) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

void Engine::Say(Turn& t, std::string_view key, const std::map<std::string, std::string>& args,
                 std::vector<std::pair<std::string, std::string>> choices) const {
  std::map<std::string, std::string> values;
  std::set<std::string> echoes;
  for (const auto& [name, slot] : args) {
    auto v = t.state.slots.find(slot);
    values[name] = v == t.state.slots.end() ? std::string() : v->second;
    if (t.in.medium != nullptr && IsEcho(t, slot)) echoes.insert(name);
  }
  SayValues(t, key, values, std::move(choices), echoes);
}

bool Engine::IsEcho(const Turn& t, const std::string& slot) const {
  const Flow* flow = dialogs_.FindFlow(t.state.flow);
  if (flow == nullptr) return false;
  for (const auto& [id, step] : flow->steps) {
    if (step.kind != StepKind::kAsk || step.slot.empty()) continue;
    if (step.input != InputType::kText && step.input != InputType::kName) continue;
    if (slot == step.slot || slot == step.slot + "_short") return true;
  }
  return false;
}

void Engine::SayValues(Turn& t, std::string_view key,
                       const std::map<std::string, std::string>& values,
                       std::vector<std::pair<std::string, std::string>> choices,
                       const std::set<std::string>& echoes) const {
  t.out.replies.push_back(Build(t, key, values, std::move(choices), echoes));
}

Reply Engine::Build(const Turn& t, std::string_view key,
                    const std::map<std::string, std::string>& raw_values,
                    std::vector<std::pair<std::string, std::string>> choices,
                    const std::set<std::string>& echoes) const {
  const State& s = t.state;
  const Medium* medium = t.in.medium;
  std::map<std::string, std::string> values = raw_values;
  if (medium != nullptr) {
    for (auto& [name, value] : values) value = medium->Echo(value);
  }
  locale::Args args;
  const auto kinds = catalog_.Arguments(s.language, key);
  for (const auto& [name, value] : values) {
    auto kind = kinds.find(name);
    if (kind != kinds.end() && kind->second == locale::ArgKind::kNumber) {
      std::int64_t n = 0;
      std::from_chars(value.data(), value.data() + value.size(), n);
      args[name] = n;
    } else if (kind != kinds.end() && kind->second == locale::ArgKind::kDate) {
      if (auto d = registry_io::ParseDate(value)) {
        args[name] = locale::Date{std::chrono::year{d->year},
                                  std::chrono::month{static_cast<unsigned>(d->month)},
                                  std::chrono::day{static_cast<unsigned>(d->day)}};
      }
    } else {
      args[name] = value;
    }
  }
  Reply r;
  r.key = std::string(key);
  auto text = catalog_.Render(s.language, key, args);
  r.text = text.ok() ? text.value() : catalog_.Text(s.language, "dialog.not_understood");
  r.choices = std::move(choices);
  if (medium == nullptr || echoes.empty() || !text.ok()) return r;
  // The citizen's own words must not push the prompt into a second SMS: the longest echo is
  // cut, a few characters at a time, until the prompt fits (or every echo is down to a few
  // words: then the prompt goes as it is).
  while (!medium->Fits(r, s.language)) {
    std::string* longest = nullptr;
    std::size_t longest_n = kMinEcho;
    for (const auto& name : echoes) {
      auto it = args.find(name);
      if (it == args.end() || !std::holds_alternative<std::string>(it->second)) continue;
      auto& value = std::get<std::string>(it->second);
      if (const std::size_t n = CodePoints(value); n > longest_n) {
        longest = &value;
        longest_n = n;
      }
    }
    if (longest == nullptr) break;
    *longest = CutWithDots(*longest, std::max(kMinEcho, longest_n - 6) - 2);
    auto shorter = catalog_.Render(s.language, key, args);
    if (!shorter.ok()) break;
    r.text = shorter.value();
  }
  return r;
}

void Engine::OnResult(Turn& t) const {
  State& s = t.state;
  if (s.awaiting.empty()) return;
  s.awaiting.clear();
  const Flow* flow = dialogs_.FindFlow(s.flow);
  auto it = flow ? flow->steps.find(s.step) : decltype(flow->steps.end()){};
  if (flow == nullptr || it == flow->steps.end() || it->second.kind != StepKind::kCall) {
    ClearDialog(s);
    return;
  }
  for (const auto& [k, v] : t.in.slots) s.slots[k] = v;
  if (auto lang = t.in.slots.find("language"); lang != t.in.slots.end()) {
    s.language = lang->second;
  }
  if (!t.in.candidates.empty()) s.candidates = t.in.candidates;
  Goto(t, Next(it->second, t.in.outcome));
}

void Engine::OnTimer(Turn& t) const {
  State& s = t.state;
  const std::int64_t due = TimerDue(s);
  if (due == 0 || t.in.now_ms < due) return;
  if (s.Idle()) {
    // The resume window is over: forget what was answered.
    ClearDialog(s);
    s.resume_flow.clear();
    s.resume_step.clear();
    return;
  }
  if (!s.reminded) {
    s.reminded = true;
    Say(t, "dialog.reminder", {});
    return;
  }
  s.resume_flow = s.flow;
  s.resume_step = s.step;
  ClearKeepingAnswers(s);
  s.reminded = false;
  Say(t, "dialog.expired", {});
}

std::string Engine::Next(const dialog::Step& step, const std::string& outcome) {
  if (auto it = step.next.find(outcome); it != step.next.end()) return it->second;
  if (auto it = step.next.find("default"); it != step.next.end()) return it->second;
  return "@end";
}

}  // namespace satupintu::dialog
