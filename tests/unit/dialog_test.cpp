// Dialog definitions, the state's JSON, the validators and the engine's purity.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "app/chat_session.hpp"
#include "app/dialog_stack.hpp"
#include "cli/dialog_cli.hpp"
#include "conversation/categories.hpp"
#include "conversation/services.hpp"
#include "core/metrics.hpp"
#include "dialog/definition.hpp"
#include "dialog/engine.hpp"
#include "dialog/state.hpp"
#include "dialog/validate.hpp"
#include "paths/paths.hpp"
#include "schema/schema.hpp"
#include "support/process.hpp"
#include "unit/real_lexicon.hpp"

namespace satupintu::dialog {
namespace {

const std::string kSource = ::satupintu::testing::SourceDir();

const locale::Catalog& Catalog() {
  static const locale::Catalog catalog = [] {
    auto c = locale::Catalog::Load(kSource + "/locales");
    EXPECT_TRUE(c.ok()) << c.error().message;
    return c.ok() ? std::move(c).value() : locale::Catalog();
  }();
  return catalog;
}

TEST(DialogCheck, TheRealDialogsAndLocalesPass) {
  const auto problems = cli::CheckDialogs(kSource + "/locales", kSource + "/dialogs");
  for (const auto& p : problems) ADD_FAILURE() << p.ToString();
}

// A copy of dialogs/ with `file` replaced by `text`.
std::vector<locale::Problem> ReadWith(const satupintu::testing::TempDir& dir,
                                      const std::string& file, const std::string& text) {
  namespace fs = std::filesystem;
  for (const auto& e : fs::directory_iterator(kSource + "/dialogs")) {
    if (e.path().extension() == ".json") {
      fs::copy_file(e.path(), dir.File(e.path().filename().string()),
                    fs::copy_options::overwrite_existing);
    }
  }
  std::ofstream(dir.File(file)) << text;
  std::vector<locale::Problem> problems;
  (void)DialogSet::Read(dir.path(), Catalog(), conversation::ServiceOutcomes(), &problems);
  return problems;
}

bool Has(const std::vector<locale::Problem>& problems, const std::string& file,
         const std::string& key, const std::string& what) {
  for (const auto& p : problems) {
    if (p.file == file && p.key == key && p.what.find(what) != std::string::npos) return true;
  }
  return false;
}

TEST(DialogDefinition, ProblemsNameFileStepAndKey) {
  satupintu::testing::TempDir dir;
  const auto problems = ReadWith(dir, "human.json", R"({
    "flow": "human", "entry": "open",
    "steps": {
      "open": {"call": "tickets.open", "next": {"opened": "done"}},
      "done": {"say": "human.no_such_key", "next": "@end"},
      "lost": {"ask": "human.confirm", "input": "guess", "next": "@end"},
      "typo": {"say": "human.done", "nxet": "@end", "next": "@nowhere"}
    }
  })");
  EXPECT_TRUE(Has(problems, "human.json", "steps.open.next", "outcome 'failed' has no route"));
  EXPECT_TRUE(Has(problems, "human.json", "steps.done", "human.no_such_key"));
  EXPECT_TRUE(Has(problems, "human.json", "steps.lost.input", "unknown input type 'guess'"));
  EXPECT_TRUE(Has(problems, "human.json", "steps.lost", "unreachable"));
  EXPECT_TRUE(Has(problems, "human.json", "steps.typo.nxet", "unknown field"));
  EXPECT_TRUE(Has(problems, "human.json", "steps.typo.next.default", "@nowhere"));
}

TEST(DialogDefinition, AMissingFlowAndABadFileAreReported) {
  satupintu::testing::TempDir dir;
  const auto problems = ReadWith(dir, "survey.json", "{ not json");
  EXPECT_TRUE(Has(problems, "survey.json", "", "not a JSON object"));
  EXPECT_TRUE(Has(problems, "survey.json", "", "the engine needs this flow"));
  EXPECT_FALSE(DialogSet::Load(dir.path(), Catalog(), conversation::ServiceOutcomes()).ok());
}

TEST(DialogState, RoundTripsAndRefusesWhatItDidNotWrite) {
  State s;
  s.language = "jv";
  s.flow = "complaint";
  s.step = "nik";
  s.slots = {{"category", "pkh"}, {"category_label", "PKH"}};
  s.prefill = {{"description", "PKH belum cair"}};
  s.candidates = {{"32.06.01.2001", "Cikatomas"}, {"none", "Tidak ada"}};
  s.tries = 2;
  s.last_activity_ms = 1'700'000'000'000;
  s.reminded = true;
  s.resume_flow = "registration";
  s.resume_step = "kk";
  EXPECT_EQ(ParseState(SerializeState(s)), s);
  EXPECT_FALSE(ParseState("{}").has_value());
  EXPECT_FALSE(ParseState("{\"v\": 2}").has_value());
  EXPECT_FALSE(ParseState("{\"v\": 1, \"slots\": [1]}").has_value());
  EXPECT_FALSE(ParseState("not json").has_value());
}

TEST(DialogValidate, TicketCodesAsCitizensTypeThem) {
  EXPECT_EQ(NormalizeTicketCode("ADU-7K3M9Q"), "ADU-7K3M9Q");
  EXPECT_EQ(NormalizeTicketCode(" adu 7k3m9q "), "ADU-7K3M9Q");
  EXPECT_EQ(NormalizeTicketCode("adu7k3m9q"), "ADU-7K3M9Q");
  EXPECT_EQ(NormalizeTicketCode("adu-00000l"), "ADU-000001");   // l read as 1
  EXPECT_EQ(NormalizeTicketCode("usl-o0o0o0"), "USL-000000");   // o read as 0
  EXPECT_FALSE(NormalizeTicketCode("ADU-7K3M9").has_value());   // too short
  EXPECT_FALSE(NormalizeTicketCode("AD1-7K3M9Q").has_value());  // prefix not letters
  EXPECT_FALSE(NormalizeTicketCode("ADU-7K3U9Q").has_value());  // U is not Crockford
}

TEST(DialogValidate, NamesAndTexts) {
  EXPECT_EQ(CleanName("  Siti   Aminah "), "Siti Aminah");
  EXPECT_EQ(CleanName("Moh. Rizal"), "Moh. Rizal");
  EXPECT_EQ(CleanName("Ni'mah Al-Bantani"), "Ni'mah Al-Bantani");
  EXPECT_FALSE(CleanName("Siti 2").has_value());
  EXPECT_FALSE(CleanName("A").has_value());
  EXPECT_FALSE(CleanName("@@").has_value());
  EXPECT_FALSE(CleanName(std::string(81, 'a')).has_value());
  EXPECT_EQ(CleanText("  rumah bocor  "), "rumah bocor");
  EXPECT_FALSE(CleanText("ok").has_value());
  EXPECT_FALSE(CleanText("...!!").has_value());
  EXPECT_EQ(Shorten("PKH saya belum cair", 40), "PKH saya belum cair");
  EXPECT_EQ(Shorten("PKH saya belum cair sudah tiga bulan lamanya pak", 20),
            "PKH saya belum cair...");
}

TEST(DialogValidate, EachInputTypeOnRealLookingAnswers) {
  const auto& lex = understand::testing::RealLexicon();
  const registry_io::CivilDate today{2026, 11, 22};
  Step step;
  step.slot = "x";
  auto check = [&](InputType type, const std::string& text) {
    step.input = type;
    return Validate(step, {text, ""}, {{"pkh", "PKH"}, {"rumah", "Rumah"}}, lex, today);
  };
  EXPECT_EQ(check(InputType::kChoice, "no 2").outcome, "rumah");
  EXPECT_EQ(check(InputType::kChoice, "pkh").values.at("label"), "PKH");
  EXPECT_EQ(check(InputType::kChoice, "7").error_key, "input.choice");
  EXPECT_EQ(check(InputType::kYesNo, "nggih").outcome, "yes");
  EXPECT_EQ(check(InputType::kYesNo, "2").outcome, "no");
  EXPECT_EQ(check(InputType::kYesNo, "mungkin").error_key, "input.yesno");
  EXPECT_EQ(check(InputType::kNik, "3206 0145 0885 0003").values.at("masked"), "3206********0003");
  EXPECT_EQ(check(InputType::kNik, "3206014508850000").error_key, "input.nik.serial");
  EXPECT_EQ(check(InputType::kNik, "gak tau").error_key, "input.nik.required");
  EXPECT_EQ(check(InputType::kNik, "???").error_key, "input.nik.required");
  step.allow_unknown = true;
  EXPECT_EQ(check(InputType::kNik, "gak tau").outcome, "unknown");
  EXPECT_EQ(check(InputType::kNik, "???").error_key, "input.nik.missing");
  EXPECT_EQ(check(InputType::kKk, "tidak tahu").outcome, "unknown");
  step.allow_unknown = false;
  EXPECT_EQ(check(InputType::kDate, "17 agt 1985").values.at(""), "1985-08-17");
  EXPECT_EQ(check(InputType::kDate, "17-08-2030").error_key, "input.date_future");
  step.min = 1;
  step.max = 30;
  EXPECT_EQ(check(InputType::kNumber, "lima orang").values.at(""), "5");
  EXPECT_EQ(check(InputType::kNumber, "45").error_args.at("max"), "30");
  EXPECT_EQ(check(InputType::kRating, "tiga").values.at(""), "3");
  EXPECT_EQ(check(InputType::kRating, "6").error_key, "input.rating");
  EXPECT_EQ(check(InputType::kTicketCode, "cek adu 7k3m9q").error_key, "input.ticket_code");
  EXPECT_EQ(check(InputType::kPhone, "0812-3456-7890").values.at(""), "+6281234567890");
}

TEST(DialogEngine, TheSameStateAndInputGiveTheSameTurn) {
  const auto& lex = understand::testing::RealLexicon();
  auto dialogs = DialogSet::Load(kSource + "/dialogs", Catalog(), conversation::ServiceOutcomes());
  ASSERT_TRUE(dialogs.ok()) << dialogs.error().message;
  const Engine engine(dialogs.value(), Catalog(), lex);
  Input in;
  in.text = "PKH sy gk cair2 udh 3 bln";
  in.now_ms = 1'700'000'000'000;
  in.today = {2026, 11, 22};
  State a;
  State b;
  const Output first = engine.Step(a, in);
  const Output second = engine.Step(b, in);
  EXPECT_EQ(a, b);
  ASSERT_EQ(first.replies.size(), 1U);
  ASSERT_EQ(second.replies.size(), 1U);
  EXPECT_EQ(first.replies[0].text, second.replies[0].text);
  EXPECT_EQ(first.replies[0].key, "complaint.confirm");
  EXPECT_EQ(a.flow, "complaint");
  EXPECT_EQ(a.prefill.at("category"), "pkh");
  EXPECT_EQ(engine.TimerDue(a), in.now_ms + dialogs.value().timeouts.remind_after_ms);
}

// First start of a deployment: the region tree is imported into an empty store and the
// dialogs, built right after, already search it (the import is waited for until committed).
TEST(DialogStack, FirstStartImportsTheTreeBeforeTheDialogsReadIt) {
  satupintu::testing::TempDir dir;
  config::Config config;
  config.store.path = dir.File("store.db");
  config.locales.dir = kSource + "/locales";
  config.regions.data_dir = ::satupintu::testing::RegionsDataDir();
  config.regions.home_regency = "32.06";
  config.registry.hash_key_file = dir.File("no.key");
  core::MetricsRegistry metrics;
  storage::StoreOptions options;
  options.migrations = schema::Migrations();
  options.path = config.store.path;
  auto store = storage::Store::Open(options, &metrics);
  ASSERT_TRUE(store.ok()) << store.error().message;
  app::LoadRegionTreeIfEmpty(config, *store.value());
  auto stack = app::BuildDialogStack(config, *store.value(), Catalog());
  ASSERT_TRUE(stack.ok()) << stack.error().message;
  app::ChatSession chat(store.value().get(), stack.value().get(), app::ChatChannel::kSms,
                        "6281100000001");
  (void)chat.Say("menu");
  (void)chat.Say("3");                 // registration
  (void)chat.Say("3206014508850003");  // NIK
  (void)chat.Say("tidak tahu");        // KK
  (void)chat.Say("Siti Aminah");
  const auto replies = chat.Say("cilumba");
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(replies[0], Catalog().Text("id", "reg.ask_household"));
  store.value()->Close();
}

}  // namespace
}  // namespace satupintu::dialog

namespace satupintu::conversation {
namespace {

TEST(ServicesTableTest, EveryServiceHasAHandlerAndTheCheckerSeesItsOutcomes) {
  const auto outcomes = ServiceOutcomes();
  ASSERT_EQ(outcomes.size(), AllServices().size());
  for (const auto& [name, service] : AllServices()) {
    EXPECT_TRUE(static_cast<bool>(service.handler)) << name;
    EXPECT_FALSE(service.outcomes.empty()) << name;
    ASSERT_TRUE(outcomes.contains(name)) << name;
    EXPECT_EQ(outcomes.at(name).size(), service.outcomes.size()) << name << ": an outcome twice";
  }
  for (const char* family_member : {"registry.check", "tickets.open", "citizen.opt_out"}) {
    EXPECT_TRUE(outcomes.contains(family_member)) << family_member;
  }
}

}  // namespace
}  // namespace satupintu::conversation

namespace satupintu::dialog {
namespace {

// The categories an administrator keeps in the store: what the engine offers when the runtime
// gives it a source (retired ones absent, added ones with their own labels).
class FixedCategories : public CategorySource {
 public:
  explicit FixedCategories(std::vector<Category> c) : categories_(std::move(c)) {}
  const std::vector<Category>& Offered() const override { return categories_; }

 private:
  std::vector<Category> categories_;
};

TEST(DialogCategories, TheEngineOffersTheStoresCategoriesWithTheirLabels) {
  const auto& lex = understand::testing::RealLexicon();
  auto dialogs = DialogSet::Load(kSource + "/dialogs", Catalog(), conversation::ServiceOutcomes());
  ASSERT_TRUE(dialogs.ok()) << dialogs.error().message;
  const Engine engine(dialogs.value(), Catalog(), lex);
  const FixedCategories store(
      {{"pkh", "category.pkh"}, {"pungli", "", {{"id", "Pungutan liar"}, {"en", "Illegal fees"}}}});
  Input in;
  in.text = "menu";
  in.now_ms = 1'700'000'000'000;
  in.today = {2026, 11, 22};
  in.categories = &store;
  State s;
  engine.Step(s, in);
  in.text = "1";  // the complaint
  const Output out = engine.Step(s, in);
  ASSERT_FALSE(out.replies.empty());
  const auto& choices = out.replies.back().choices;
  ASSERT_EQ(choices.size(), 2u) << "the retired and the file's other categories are not offered";
  EXPECT_EQ(choices[0].second, Catalog().Text("id", "category.pkh"));
  EXPECT_EQ(choices[1], (std::pair<std::string, std::string>{"pungli", "Pungutan liar"}));
  in.text = "2";
  engine.Step(s, in);
  EXPECT_EQ(s.slots.at("category"), "pungli");
  EXPECT_EQ(CategoryLabel(store.Offered()[1], Catalog(), "en"), "Illegal fees");
  EXPECT_EQ(CategoryLabel(store.Offered()[1], Catalog(), "jv"), "Pungutan liar")
      << "a language without a label reads the Indonesian one";
}

TEST(DialogCategories, TheCitizensListMustStayOneSmsInEveryLanguage) {
  auto dialogs = DialogSet::Load(kSource + "/dialogs", Catalog(), conversation::ServiceOutcomes());
  ASSERT_TRUE(dialogs.ok()) << dialogs.error().message;
  // The first list: categories.json's "offered" ones (pungli, pemulangan, adminduk come after
  // "Lainnya", in a list of their own).
  std::vector<Category> offered;
  for (const auto& c : dialogs.value().Categories()) {
    if (c.offered) offered.push_back(c);
  }
  EXPECT_EQ(offered.size(), 10u);
  EXPECT_TRUE(conversation::CheckCategoryList(dialogs.value(), Catalog(), offered).ok());
  // The same number of categories, each renamed to a label of 24 characters: 2 SMS.
  std::vector<Category> longer = offered;
  for (auto& c : longer) {
    c.labels = {{"id", "Pengaduan bantuan sosial"}, {"en", "Complaint on social aid"}};
  }
  auto refused = conversation::CheckCategoryList(dialogs.value(), Catalog(), longer);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("SMS"), std::string::npos) << refused.error().message;
  EXPECT_FALSE(conversation::CheckCategoryList(dialogs.value(), Catalog(), {}).ok());
}

}  // namespace
}  // namespace satupintu::dialog
