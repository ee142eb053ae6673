#include "cli/dialog_cli.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "adapters/sms/analysis.hpp"
#include "adapters/sms/substitute.hpp"
#include "app/chat_session.hpp"
#include "app/dialog_stack.hpp"
#include "cli/context.hpp"
#include "conversation/conversations.hpp"
#include "conversation/medium.hpp"
#include "conversation/services.hpp"
#include "core/metrics.hpp"
#include "dialog/definition.hpp"
#include "locale/catalog_check.hpp"
#include "regions/import.hpp"
#include "regions/region_index.hpp"
#include "schema/schema.hpp"
#include "text/fold.hpp"
#include "understand/lexicon.hpp"

namespace satupintu::cli {
namespace {

// The first sample of each argument of id.json's _meta.
locale::Args FirstSamples(const locale::Catalog& catalog) {
  locale::Args args;
  for (const auto& [name, values] : catalog.Samples()) {
    if (!values.empty()) args[name] = values.front();
  }
  return args;
}

// The SMS of `reply` exactly as the runtime sends it: yes/no without numbered lines, the
// others with "Balas angka:" and the options, typographic characters substituted.
adapters::sms::Analysis MeasureSms(const locale::Catalog& catalog, const std::string& language,
                                   const dialog::Reply& reply) {
  return adapters::sms::Analyze(
      adapters::sms::SmartSubstitute(conversation::Preview(conversation::ToOutgoing(
          reply, "kannel:check", "", "check", catalog.Text(language, "channel.list_button"),
          catalog.Text(language, "dialog.reply_number")))));
}

// A list of villages found by name (options_from "candidates"): the longest real villages the
// gateway can offer, in the pages the engine shows them in; every page must be one SMS.
void CheckVillagePages(const locale::Catalog& catalog, const dialog::Flow& flow,
                       const std::string& step_id, const std::string& language,
                       const dialog::Reply& prompt, const VillageSource& villages,
                       std::vector<locale::Problem>* problems) {
  const auto all = conversation::LongestVillageChoices(*villages.index, villages.home_regency,
                                                       catalog, language);
  const conversation::ChannelMedium sms(catalog, "kannel:check");
  const int body = static_cast<int>(all.size()) - 1;  // without "none of these"
  int start = 0;
  for (int page = 1; start < body || page == 1; ++page) {
    const int size = dialog::FittingPageSize(prompt, all, start, sms, catalog, language);
    dialog::Reply shown = prompt;
    shown.choices = dialog::ChoicePage(all, start, size, catalog, language);
    if (size == 1) dialog::FitChoiceLabels(shown, sms, language);
    const auto a = MeasureSms(catalog, language, shown);
    if (a.segments > 1) {
      problems->push_back({flow.file, "steps." + step_id,
                           language + ": page " + std::to_string(page) +
                               " of the longest village list (" + all.front().second +
                               ", ...) takes " + std::to_string(a.segments) + " SMS (" +
                               std::to_string(a.units) + " units)"});
    }
    if (size == 0) break;  // the whole list at once
    start += size;
  }
}

void CheckPrompts(const locale::Catalog& catalog, const dialog::DialogSet& dialogs,
                  const VillageSource* villages, std::vector<locale::Problem>* problems) {
  const locale::Args samples = FirstSamples(catalog);
  for (const auto& [flow_id, flow] : dialogs.Flows()) {
    for (const auto& [step_id, step] : flow.steps) {
      if (step.kind != dialog::StepKind::kAsk) continue;
      const bool found = step.input == dialog::InputType::kChoice &&
                         step.options_from == dialog::OptionSource::kCandidates;
      if (found && villages == nullptr) {
        problems->push_back({flow.file, "steps." + step_id,
                             "village lists not measured: no region tree (satupintu regions "
                             "import, or regions.data_dir)"});
        continue;
      }
      for (const auto& language : catalog.Languages()) {
        auto prompt = catalog.Render(language, step.message, samples);
        if (!prompt.ok()) continue;  // CheckCatalog reports it
        if (found) {
          CheckVillagePages(catalog, flow, step_id, language, {step.message, prompt.value(), {}},
                            *villages, problems);
          continue;
        }
        std::vector<std::pair<std::string, std::string>> options;
        switch (step.input) {
          case dialog::InputType::kYesNo:
            options = {{"yes", catalog.Text(language, "option.yes")},
                       {"no", catalog.Text(language, "option.no")}};
            break;
          case dialog::InputType::kChoice:
            if (step.options_from == dialog::OptionSource::kCategories) {
              for (const auto& c : dialogs.Categories()) {
                if (c.offered) options.emplace_back(c.id, catalog.Text(language, c.label));
              }
            } else if (step.options_from == dialog::OptionSource::kLanguages) {
              for (const auto& l : catalog.Languages()) {
                options.emplace_back(l, catalog.Text(l, "language." + l));
              }
            } else {
              for (const auto& o : step.options) {
                options.emplace_back(o.id, catalog.Text(language, o.label));
              }
            }
            break;
          default:
            break;
        }
        if (options.empty()) continue;
        // A list written in the dialogs must fit one SMS as a whole: only data (villages
        // found) goes in pages.
        const dialog::Reply reply{step.message, prompt.value(), options};
        const auto a = MeasureSms(catalog, language, reply);
        if (a.segments > 1 && !catalog.IsMultipart(step.message)) {
          problems->push_back({flow.file, "steps." + step_id,
                               language + ": the prompt with its " +
                                   std::to_string(options.size()) + " numbered options takes " +
                                   std::to_string(a.segments) + " SMS (" + std::to_string(a.units) +
                                   " units)"});
        }
        const std::size_t max_title = options.size() <= 3 ? 20 : 24;
        for (const auto& [id, title] : options) {
          if (text::DecodeUtf8(title).size() > max_title) {
            std::string key = "steps." + step_id;
            key.append(".options.").append(id);
            std::string what = language;
            what.append(": title '")
                .append(title)
                .append("' is longer than ")
                .append(std::to_string(max_title))
                .append(" characters (WhatsApp button/list row)");
            problems->push_back({flow.file, std::move(key), std::move(what)});
          }
        }
      }
    }
  }
}

}  // namespace

std::vector<locale::Problem> CheckDialogs(const std::string& locales_dir,
                                          const std::string& dialogs_dir,
                                          const VillageSource* villages) {
  std::vector<locale::Problem> problems;
  const locale::Catalog catalog = locale::Catalog::Read(locales_dir, &problems);
  const dialog::DialogSet dialogs =
      dialog::DialogSet::Read(dialogs_dir, catalog, conversation::ServiceOutcomes(), &problems);
  const auto used = dialogs.UsedKeys();
  for (auto& p : locale::CheckCatalog(catalog, catalog.Samples(),
                                      std::vector<std::string>(used.begin(), used.end()))) {
    problems.push_back(std::move(p));
  }
  CheckPrompts(catalog, dialogs, villages, &problems);
  auto lexicon = understand::Lexicon::Load(locales_dir + "/lexicon");
  if (!lexicon.ok()) {
    problems.push_back({"lexicon", "", lexicon.error().message});
  } else {
    for (const auto& [id, phrases] : lexicon.value().Categories()) {
      if (dialogs.FindCategory(id) == nullptr) {
        problems.push_back(
            {"lexicon", "categories." + id, "not a category of dialogs/categories.json"});
      }
    }
  }
  return problems;
}

int DialogsCheck(const Args& flags) {
  int code = 0;
  auto ctx = Prepare(flags, &code);
  if (!ctx) return code;
  const config::Config& config = ctx->config;
  // The region tree imported into the store, else the files of regions.data_dir: the village
  // lists are measured with the longest real names the gateway can offer.
  std::shared_ptr<const regions::RegionIndex> index;
  if (auto db = OpenStoreDb(config, false); db.ok()) {
    auto loaded = regions::RegionIndex::Load(*db.value());
    if (loaded.ok() && loaded.value()->size() > 0) index = std::move(loaded).value();
  }
  std::error_code ec;
  if (!index && std::filesystem::exists(config.regions.data_dir + "/villages.csv", ec)) {
    auto files = regions::ReadRegionFiles(config.regions.data_dir);
    if (files.summary.status.ok()) index = regions::RegionIndex::Build(std::move(files.regions));
  }
  const VillageSource villages{index.get(), config.regions.home_regency};
  const auto problems =
      CheckDialogs(config.locales.dir, app::DialogsDir(config), index ? &villages : nullptr);
  for (const auto& p : problems) std::fprintf(stderr, "%s\n", p.ToString().c_str());
  if (!problems.empty()) {
    std::fprintf(stderr, "satupintu: %zu problem(s) in %s and %s\n", problems.size(),
                 app::DialogsDir(config).c_str(), config.locales.dir.c_str());
    return 1;
  }
  std::printf("dialogs and locales OK\n");
  return 0;
}

namespace {

// A directory removed when the scratch chat ends.
struct ScratchDir {
  std::filesystem::path path;
  ~ScratchDir() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
};

}  // namespace

int Chat(const Args& flags) {
  int code = 0;
  auto ctx = Prepare(flags, &code);
  if (!ctx) return code;
  config::Config config = ctx->config;
  const std::string channel = flags.Has("channel") ? flags.Get("channel") : "sms";
  const std::string address = flags.Get("address");
  const bool scratch = flags.Has("scratch");
  ScratchDir dir;
  if (scratch) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "satupintu-chat-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
      std::fprintf(stderr, "satupintu: cannot make a scratch directory\n");
      return 1;
    }
    dir.path = tmpl;
    config.store.path = (dir.path / "chat.db").string();
    config.registry.hash_key_file = (dir.path / "no-registry.key").string();
    config.dialogs.state_key_file.clear();
  }
  app::ChatChannel kind = app::ChatChannel::kSms;
  if (channel == "whatsapp") {
    kind = app::ChatChannel::kWhatsApp;
  } else if (channel == "telegram") {
    kind = app::ChatChannel::kTelegram;
  } else if (channel != "sms") {
    std::fprintf(stderr, "satupintu: --channel must be sms, whatsapp or telegram\n");
    return 2;
  }
  std::string who = address;
  if (who.empty()) who = kind == app::ChatChannel::kTelegram ? "tg:1000001" : "6281100000001";
  auto catalog = locale::Catalog::Load(config.locales.dir);
  if (!catalog.ok()) {
    std::fprintf(stderr, "satupintu: %s\n", catalog.error().message.c_str());
    return 2;
  }
  core::MetricsRegistry metrics;
  storage::StoreOptions options;
  options.migrations = schema::Migrations();
  options.path = config.store.path;
  std::error_code ec;
  const auto parent = std::filesystem::path(options.path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  auto store = storage::Store::Open(options, &metrics);
  if (!store.ok()) {
    std::fprintf(stderr, "satupintu: %s\n", store.error().message.c_str());
    return 1;
  }
  app::LoadRegionTreeIfEmpty(config, *store.value());
  auto stack = app::BuildDialogStack(config, *store.value(), catalog.value());
  if (!stack.ok()) {
    std::fprintf(stderr, "satupintu: %s\n", stack.error().message.c_str());
    return 2;
  }
  app::ChatSession session(store.value().get(), stack.value().get(), kind, who);
  const std::string where =
      scratch ? "Scratch store: nothing is kept, no registry."
              : "Store " + config.store.path +
                    ": tickets opened here are real (--scratch for a throwaway store).";
  std::printf(
      "satupintu chat (%s). Type as a citizen would. /tap N taps the Nth button, /wait M lets M "
      "minutes pass, /quit ends.\n%s\n",
      channel.c_str(), where.c_str());
  std::string line;
  while (std::printf("> "), std::fflush(stdout), std::getline(std::cin, line)) {
    std::vector<std::string> replies;
    if (line == "/quit") break;
    if (line.rfind("/wait ", 0) == 0) {
      replies = session.Advance(std::atoll(line.c_str() + 6));
    } else if (line.rfind("/tap ", 0) == 0) {
      const auto n = static_cast<std::size_t>(std::atoll(line.c_str() + 5));
      const auto& choices = session.LastChoices();
      if (n < 1 || n > choices.size()) {
        std::printf("(no button %zu)\n", n);
        continue;
      }
      replies = session.Say(choices[n - 1].second, choices[n - 1].first);
    } else {
      replies = session.Say(line);
    }
    for (const auto& r : replies) std::printf("%s\n\n", r.c_str());
  }
  store.value()->Close();
  return 0;
}

}  // namespace satupintu::cli
