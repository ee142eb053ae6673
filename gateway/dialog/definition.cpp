#include "dialog/definition.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "text/fold.hpp"

namespace satupintu::dialog {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr std::pair<InputType, const char*> kInputNames[] = {
    {InputType::kChoice, "choice"}, {InputType::kYesNo, "yesno"},
    {InputType::kNik, "nik"},       {InputType::kKk, "kk"},
    {InputType::kName, "name"},     {InputType::kText, "text"},
    {InputType::kDate, "date"},     {InputType::kNumber, "number"},
    {InputType::kRating, "rating"}, {InputType::kTicketCode, "ticket_code"},
    {InputType::kPhone, "phone"},
};

constexpr std::pair<KeywordAction, const char*> kActionNames[] = {
    {KeywordAction::kMenu, "menu"},         {KeywordAction::kCancel, "cancel"},
    {KeywordAction::kHelp, "help"},         {KeywordAction::kStop, "stop"},
    {KeywordAction::kStart, "start"},       {KeywordAction::kStatus, "status"},
    {KeywordAction::kLanguage, "language"}, {KeywordAction::kResume, "resume"},
    {KeywordAction::kHuman, "human"},
};

// Flows the engine starts by itself (keywords, menu, intents, the office).
constexpr const char* kRequiredFlows[] = {
    "menu",   "complaint", "registry_check", "registration", "ticket_status",
    "survey", "language",  "human",          "opt_out",      "opt_in"};

// The key of field `name` inside `where`: "where.name".
std::string FieldKey(const std::string& where, const std::string& name) {
  std::string key = where;
  key += '.';
  key += name;
  return key;
}

struct Reader {
  const locale::Catalog& catalog;
  const ServiceOutcomes& services;
  std::vector<locale::Problem>* problems;
  std::string file;

  void Fail(std::string key, std::string what) {
    problems->push_back({file, std::move(key), std::move(what)});
  }
  void CheckKey(const std::string& where, const std::string& key) {
    if (!catalog.Has(key)) Fail(where, "message key '" + key + "' is not in locales/id.json");
  }
  // Fields of `obj` not in `allowed` are problems: a typo must not silently do nothing.
  void CheckFields(const json& obj, const std::string& where,
                   std::initializer_list<const char*> allowed) {
    for (const auto& [k, v] : obj.items()) {
      if (std::none_of(allowed.begin(), allowed.end(),
                       [&k = k](const char* a) { return k == a; })) {
        Fail(FieldKey(where, k), "unknown field");
      }
    }
  }
  // A field of one JSON type, else `fallback` and a problem. nlohmann's value() throws on
  // another type and converts a float out of range with undefined behaviour.
  bool Bool(const json& obj, const std::string& where, const char* name, bool fallback) {
    const auto it = obj.find(name);
    if (it == obj.end()) return fallback;
    if (!it->is_boolean()) {
      Fail(FieldKey(where, name), "must be true or false");
      return fallback;
    }
    return it->get<bool>();
  }
  std::string String(const json& obj, const std::string& where, const char* name) {
    const auto it = obj.find(name);
    if (it == obj.end()) return {};
    if (!it->is_string()) {
      Fail(where.empty() ? name : FieldKey(where, name), "must be a string");
      return {};
    }
    return it->get<std::string>();
  }
  std::int64_t Int(const json& obj, const std::string& where, const char* name,
                   std::int64_t fallback, std::int64_t min, std::int64_t max) {
    const auto it = obj.find(name);
    if (it == obj.end()) return fallback;
    if (!it->is_number_integer() ||
        (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) ||
        it->get<std::int64_t>() < min || it->get<std::int64_t>() > max) {
      Fail(FieldKey(where, name),
           "must be an integer " + std::to_string(min) + "-" + std::to_string(max));
      return fallback;
    }
    return it->get<std::int64_t>();
  }
  std::map<std::string, std::string> StringMap(const json& obj, const std::string& where) {
    std::map<std::string, std::string> out;
    if (!obj.is_object()) {
      Fail(where, "must be an object of strings");
      return out;
    }
    for (const auto& [k, v] : obj.items()) {
      if (!v.is_string() || v.get<std::string>().empty()) {
        Fail(FieldKey(where, k), "must be a non-empty string");
      } else {
        out[k] = v.get<std::string>();
      }
    }
    return out;
  }
};

std::optional<json> ReadJson(const fs::path& path, Reader& r) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    r.Fail("", "cannot read the file");
    return std::nullopt;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  json j = json::parse(buffer.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    r.Fail("", "not a JSON object");
    return std::nullopt;
  }
  return j;
}

void ReadStep(const std::string& id, const json& s, Reader& r, Flow& flow) {
  const std::string where = "steps." + id;
  if (!s.is_object()) {
    r.Fail(where, "must be an object");
    return;
  }
  Step step;
  step.id = id;
  const int kinds = static_cast<int>(s.contains("ask")) + static_cast<int>(s.contains("call")) +
                    static_cast<int>(s.contains("say"));
  if (kinds != 1) {
    r.Fail(where, "needs exactly one of ask, call, say");
    return;
  }
  auto text = [&](const char* field) -> std::string {
    if (!s.contains(field)) return "";
    if (!s.at(field).is_string() || s.at(field).get<std::string>().empty()) {
      r.Fail(where + "." + field, "must be a non-empty string");
      return "";
    }
    return s.at(field).get<std::string>();
  };
  if (s.contains("ask")) {
    r.CheckFields(s, where,
                  {"ask", "args", "input", "options", "options_from", "slot", "allow_unknown",
                   "skip_if_set", "min", "max", "max_tries", "next"});
    step.kind = StepKind::kAsk;
    step.message = text("ask");
    const std::string input = text("input");
    bool known = false;
    for (const auto& [type, name] : kInputNames) {
      if (input == name) {
        step.input = type;
        known = true;
      }
    }
    if (!known) r.Fail(where + ".input", "unknown input type '" + input + "'");
    step.slot = text("slot");
    step.allow_unknown = r.Bool(s, where, "allow_unknown", false);
    step.skip_if_set = r.Bool(s, where, "skip_if_set", false);
    constexpr std::int64_t kLimit = 1'000'000'000'000'000;
    step.min = r.Int(s, where, "min", 1, -kLimit, kLimit);
    step.max = r.Int(s, where, "max", 99, -kLimit, kLimit);
    step.max_tries = static_cast<int>(r.Int(s, where, "max_tries", 3, 1, 9));
    if (s.contains("options")) {
      if (!s.at("options").is_array()) r.Fail(where + ".options", "must be an array");
      std::set<std::string> ids;
      for (const auto& o : s.value("options", json::array())) {
        if (!o.is_object() || !o.value("id", json()).is_string() ||
            !o.value("label", json()).is_string()) {
          r.Fail(where + ".options", "each option needs a string id and label");
          continue;
        }
        Option opt{o.at("id").get<std::string>(), o.at("label").get<std::string>()};
        if (!ids.insert(opt.id).second) r.Fail(where + ".options", "duplicate id " + opt.id);
        r.CheckKey(where + ".options." + opt.id, opt.label);
        step.options.push_back(std::move(opt));
      }
      if (step.options.size() > 10) {
        r.Fail(where + ".options", "more than 10 options (a WhatsApp list holds 10)");
      }
    }
    const std::string from = text("options_from");
    if (from == "categories") {
      step.options_from = OptionSource::kCategories;
    } else if (from == "languages") {
      step.options_from = OptionSource::kLanguages;
    } else if (from == "candidates") {
      step.options_from = OptionSource::kCandidates;
    } else if (!from.empty()) {
      r.Fail(where + ".options_from", "must be categories, languages or candidates");
    }
    if (step.input == InputType::kChoice && step.options.empty() && from.empty()) {
      r.Fail(where, "a choice needs options or options_from");
    }
    if (step.input != InputType::kChoice && (!step.options.empty() || !from.empty())) {
      r.Fail(where, "options belong to choice inputs");
    }
  } else if (s.contains("call")) {
    r.CheckFields(s, where, {"call", "args", "next"});
    step.kind = StepKind::kCall;
    step.service = text("call");
    if (!r.services.contains(step.service)) {
      r.Fail(where + ".call", "unknown service '" + step.service + "'");
    }
  } else {
    r.CheckFields(s, where, {"say", "args", "next"});
    step.kind = StepKind::kSay;
    step.message = text("say");
  }
  if (!step.message.empty()) r.CheckKey(where, step.message);
  if (s.contains("args")) {
    auto args = r.StringMap(s.at("args"), where + ".args");
    if (step.kind == StepKind::kCall) {
      step.call_args = std::move(args);
    } else {
      step.args = std::move(args);
    }
  }
  if (!s.contains("next")) {
    r.Fail(where + ".next", "missing");
  } else if (s.at("next").is_string()) {
    step.next["default"] = s.at("next").get<std::string>();
  } else {
    step.next = r.StringMap(s.at("next"), where + ".next");
  }
  flow.steps.emplace(id, std::move(step));
}

// The outcomes a step can produce; each needs a route (or "default").
std::set<std::string> OutcomesOf(const Step& step, const ServiceOutcomes& services) {
  if (step.kind == StepKind::kCall) {
    auto it = services.find(step.service);
    return it == services.end() ? std::set<std::string>{} : it->second;
  }
  if (step.kind == StepKind::kSay) return {};
  switch (step.input) {
    case InputType::kYesNo:
      return {"yes", "no"};
    case InputType::kNik:
    case InputType::kKk:
    case InputType::kText:
      if (step.allow_unknown) return {"ok", "unknown"};
      return {"ok"};
    case InputType::kChoice: {
      std::set<std::string> out;
      for (const auto& o : step.options) out.insert(o.id);
      if (step.options.empty()) out.insert("ok");
      return out;
    }
    default:
      return {"ok"};
  }
}

void CheckFlow(const Flow& flow, const std::map<std::string, Flow, std::less<>>& flows, Reader& r) {
  auto target_ok = [&](const std::string& target) {
    if (target == "@end" || target == "@menu") return true;
    if (target.starts_with("@flow:")) return flows.contains(target.substr(6));
    return flow.steps.contains(target);
  };
  if (!flow.steps.contains(flow.entry)) r.Fail("entry", "no step '" + flow.entry + "'");
  for (const auto& [field, step] : {std::pair{"guessed_entry", &flow.guessed_entry},
                                    std::pair{"oneshot_entry", &flow.oneshot_entry}}) {
    if (!step->empty() && !flow.steps.contains(*step)) r.Fail(field, "no step '" + *step + "'");
  }
  for (const auto& [id, step] : flow.steps) {
    const std::string where = "steps." + id + ".next";
    for (const auto& [outcome, target] : step.next) {
      if (!target_ok(target)) r.Fail(FieldKey(where, outcome), "no step or flow '" + target + "'");
    }
    if (step.next.contains("default")) continue;
    const auto outcomes = OutcomesOf(step, r.services);
    if (outcomes.empty() && step.next.empty()) r.Fail(where, "missing");
    for (const auto& o : outcomes) {
      if (!step.next.contains(o)) r.Fail(where, "outcome '" + o + "' has no route (or default)");
    }
  }
  // Every step reachable from an entry: a step nobody reaches is a mistake.
  std::set<std::string> seen;
  std::vector<std::string> todo{flow.entry};
  if (!flow.guessed_entry.empty()) todo.push_back(flow.guessed_entry);
  if (!flow.oneshot_entry.empty()) todo.push_back(flow.oneshot_entry);
  while (!todo.empty()) {
    const std::string id = todo.back();
    todo.pop_back();
    auto it = flow.steps.find(id);
    if (it == flow.steps.end() || !seen.insert(id).second) continue;
    for (const auto& [o, target] : it->second.next) todo.push_back(target);
  }
  for (const auto& [id, step] : flow.steps) {
    if (!seen.contains(id)) r.Fail("steps." + id, "unreachable from the entry");
  }
}

}  // namespace

const char* InputTypeName(InputType type) {
  for (const auto& [t, name] : kInputNames) {
    if (t == type) return name;
  }
  return "?";
}

DialogSet DialogSet::Read(const std::string& dir, const locale::Catalog& catalog,
                          const ServiceOutcomes& services, std::vector<locale::Problem>* problems) {
  DialogSet set;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    problems->push_back({dir, "", "not a directory"});
    return set;
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::map<std::string, std::string> flow_files;
  for (const auto& path : files) {
    Reader r{catalog, services, problems, path.filename().string()};
    auto j = ReadJson(path, r);
    if (!j) continue;
    const std::string stem = path.stem().string();
    if (stem == "categories") {
      r.CheckFields(*j, "", {"categories"});
      std::set<std::string> ids;
      for (const auto& c : j->value("categories", json::array())) {
        if (!c.is_object() || !c.value("id", json()).is_string() ||
            !c.value("label", json()).is_string()) {
          r.Fail("categories", "each category needs a string id and label");
          continue;
        }
        Category cat{c.at("id").get<std::string>(), c.at("label").get<std::string>()};
        cat.offered = r.Bool(c, "categories." + cat.id, "offered", true);
        if (!ids.insert(cat.id).second) r.Fail("categories." + cat.id, "duplicate id");
        r.CheckKey("categories." + cat.id, cat.label);
        set.categories_.push_back(std::move(cat));
      }
      if (set.categories_.empty()) r.Fail("categories", "no category");
      if (std::count_if(set.categories_.begin(), set.categories_.end(),
                        [](const Category& c) { return c.offered; }) > 10) {
        r.Fail("categories", "more than 10 offered (one WhatsApp list)");
      }
      continue;
    }
    if (stem == "keywords") {
      r.CheckFields(*j, "", {"keywords", "timeouts"});
      const json keywords = j->value("keywords", json::object());
      for (const auto& [action, words] : keywords.items()) {
        const auto* found =
            std::find_if(std::begin(kActionNames), std::end(kActionNames),
                         [&action = action](const auto& a) { return action == a.second; });
        if (found == std::end(kActionNames)) {
          r.Fail("keywords." + action, "unknown action");
          continue;
        }
        for (const auto& w : words) {
          if (!w.is_string() || w.get<std::string>().empty()) {
            r.Fail("keywords." + action, "words must be non-empty strings");
            continue;
          }
          const std::string folded = text::FoldForMatch(w.get<std::string>());
          auto [it, inserted] = set.keywords_.emplace(folded, found->first);
          if (!inserted && it->second != found->first) {
            r.Fail("keywords." + action, "'" + folded + "' is already another action's");
          }
        }
      }
      const json t = j->value("timeouts", json::object());
      r.CheckFields(t, "timeouts", {"remind_after_minutes", "expire_after_minutes"});
      constexpr std::int64_t kYearMinutes = 366 * 24 * 60;
      set.timeouts.remind_after_ms =
          r.Int(t, "timeouts", "remind_after_minutes", 30, 0, kYearMinutes) * 60'000LL;
      set.timeouts.expire_after_ms =
          r.Int(t, "timeouts", "expire_after_minutes", 1440, 0, kYearMinutes) * 60'000LL;
      if (set.timeouts.remind_after_ms <= 0 ||
          set.timeouts.expire_after_ms <= set.timeouts.remind_after_ms) {
        r.Fail("timeouts", "need 0 < remind_after_minutes < expire_after_minutes");
      }
      continue;
    }
    r.CheckFields(*j, "", {"flow", "entry", "guessed_entry", "oneshot_entry", "steps"});
    Flow flow;
    flow.file = r.file;
    flow.id = r.String(*j, "", "flow");
    flow.entry = r.String(*j, "", "entry");
    flow.guessed_entry = r.String(*j, "", "guessed_entry");
    flow.oneshot_entry = r.String(*j, "", "oneshot_entry");
    if (flow.id != stem) {
      r.Fail("flow", "must equal the file name '" + stem + "'");
      continue;
    }
    const json steps = j->value("steps", json::object());
    if (!steps.is_object() || steps.empty()) r.Fail("steps", "must be a non-empty object");
    for (const auto& [id, s] : steps.items()) ReadStep(id, s, r, flow);
    set.flows_.emplace(flow.id, std::move(flow));
  }
  for (const auto& [id, flow] : set.flows_) {
    Reader r{catalog, services, problems, flow.file};
    CheckFlow(flow, set.flows_, r);
  }
  for (const char* id : kRequiredFlows) {
    if (!set.flows_.contains(id)) {
      problems->push_back({std::string(id) + ".json", "", "the engine needs this flow"});
    }
  }
  if (set.categories_.empty()) problems->push_back({"categories.json", "", "missing or empty"});
  for (const auto& language : catalog.Languages()) {
    if (!catalog.Has("language." + language)) {
      problems->push_back({"(engine)", "language." + language, "each language needs its name"});
    }
  }
  if (set.keywords_.empty()) problems->push_back({"keywords.json", "", "missing or empty"});
  for (const auto& key : EngineKeys()) {
    if (!catalog.Has(key)) {
      problems->push_back({"(engine)", key, "message key is not in locales/id.json"});
    }
  }
  return set;
}

core::Result<DialogSet> DialogSet::Load(const std::string& dir, const locale::Catalog& catalog,
                                        const ServiceOutcomes& services) {
  std::vector<locale::Problem> problems;
  DialogSet set = Read(dir, catalog, services, &problems);
  if (problems.empty()) return set;
  std::string all = "dialogs: " + std::to_string(problems.size()) + " problem(s):";
  for (const auto& p : problems) all += "\n  " + p.ToString();
  return core::MakeError(core::ErrorCode::kInvalidArgument, all);
}

const Flow* DialogSet::FindFlow(std::string_view id) const {
  auto it = flows_.find(id);
  return it == flows_.end() ? nullptr : &it->second;
}

std::string CategoryLabel(const Category& category, const locale::Catalog& catalog,
                          const std::string& language) {
  if (!category.labels.empty()) {
    auto it = category.labels.find(language);
    if (it == category.labels.end()) it = category.labels.find("id");
    if (it != category.labels.end()) return it->second;
    return category.labels.begin()->second;
  }
  return catalog.Text(language, category.label);
}

const Category* DialogSet::FindCategory(std::string_view id) const {
  for (const auto& c : categories_) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const KeywordAction* DialogSet::Keyword(std::string_view folded) const {
  auto it = keywords_.find(folded);
  return it == keywords_.end() ? nullptr : &it->second;
}

std::set<std::string> DialogSet::UsedKeys() const {
  std::set<std::string> keys(EngineKeys().begin(), EngineKeys().end());
  for (const auto& c : categories_) keys.insert(c.label);
  for (const auto& [fid, flow] : flows_) {
    for (const auto& [sid, step] : flow.steps) {
      if (!step.message.empty()) keys.insert(step.message);
      for (const auto& o : step.options) keys.insert(o.label);
    }
  }
  return keys;
}

const std::vector<std::string>& EngineKeys() {
  static const std::vector<std::string> keys = {
      "dialog.help",
      "dialog.cancelled",
      "dialog.reminder",
      "dialog.expired",
      "dialog.nothing_to_resume",
      "dialog.give_up",
      "dialog.wait",
      "dialog.service_down",
      "dialog.not_understood",
      "option.yes",
      "option.no",
      "input.choice",
      "input.choice_ambiguous",
      "input.yesno",
      "input.nik.missing",
      "input.nik.required",
      "input.nik.length",
      "input.nik.characters",
      "input.nik.province",
      "input.nik.regency",
      "input.nik.date",
      "input.nik.serial",
      "input.kk",
      "input.name",
      "input.text",
      "input.date",
      "input.date_future",
      "input.number",
      "input.rating",
      "input.ticket_code",
      "input.phone",
      "intent.thanks",
      "intent.greeting",
      "oneshot.format",
      "dialog.kept_for_resume",
      "complaint.generic_topic",
      "dialog.none_of_these",
      "dialog.more_choices",
      // the runtime's (gateway/conversation)
      "dialog.reply_number",
      "check.programme_running",
      "check.programme_ended",
      "check.no_programme",
      "ticket.status.received",
      "ticket.status.in_progress",
      "ticket.status.referred",
      "ticket.status.resolved",
      "ticket.status.closed",
  };
  return keys;
}

}  // namespace satupintu::dialog
