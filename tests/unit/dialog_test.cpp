// Dialog definitions, the state's JSON, the validators and the engine's purity.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>

#include "adapters/sms/analysis.hpp"
#include "adapters/sms/substitute.hpp"
#include "app/chat_session.hpp"
#include "app/dialog_stack.hpp"
#include "cli/dialog_cli.hpp"
#include "conversation/categories.hpp"
#include "conversation/medium.hpp"
#include "conversation/services.hpp"
#include "core/metrics.hpp"
#include "dialog/definition.hpp"
#include "dialog/engine.hpp"
#include "dialog/state.hpp"
#include "dialog/validate.hpp"
#include "paths/paths.hpp"
#include "regions/import.hpp"
#include "regions/region_index.hpp"
#include "schema/schema.hpp"
#include "support/process.hpp"
#include "tickets/tickets.hpp"
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

// The real tree, read once for the binary.
std::shared_ptr<const regions::RegionIndex> RealRegions() {
  static const auto index = [] {
    auto files = regions::ReadRegionFiles(::satupintu::testing::RegionsDataDir());
    EXPECT_TRUE(files.summary.status.ok()) << files.summary.status.error().message;
    return regions::RegionIndex::Build(std::move(files.regions));
  }();
  return index;
}

// With the village lists of the transcripts' regency, of a city and of a nationwide gateway.
TEST(DialogCheck, TheRealDialogsAndLocalesPass) {
  for (const std::string home : {"32.06", "32.75", ""}) {
    const cli::VillageSource villages{RealRegions().get(), home};
    const auto problems = cli::CheckDialogs(kSource + "/locales", kSource + "/dialogs", &villages);
    for (const auto& p : problems) ADD_FAILURE() << "home '" << home << "': " << p.ToString();
  }
}

// A prompt that leaves no room for a village, "more" and "none of these" in one SMS fails the
// check, though the message alone fits (the locale check passes it).
TEST(DialogCheck, AVillagePageOverOneSmsIsAProblem) {
  namespace fs = std::filesystem;
  satupintu::testing::TempDir dir;
  fs::copy(kSource + "/locales", dir.path(), fs::copy_options::recursive);
  const std::string id = dir.File("id.json");
  std::string text = satupintu::testing::ReadFile(id);
  const std::string prompt = "\"complaint.pick_village\": \"";
  const auto at = text.find(prompt);
  ASSERT_NE(at, std::string::npos);
  text.insert(at + prompt.size(), std::string(96, 'x') + " ");
  satupintu::testing::WriteFile(id, text);
  const cli::VillageSource villages{RealRegions().get(), "32.06"};
  const auto problems = cli::CheckDialogs(dir.path(), kSource + "/dialogs", &villages);
  bool page = false;
  for (const auto& p : problems) {
    page = page || p.ToString().find("of the longest village list") != std::string::npos;
    EXPECT_EQ(p.ToString().find("locale"), std::string::npos) << p.ToString();
  }
  EXPECT_TRUE(page);
}

// Without a region tree the village lists cannot be measured: said, not passed.
TEST(DialogCheck, VillageListsNeedARegionTree) {
  const auto problems = cli::CheckDialogs(kSource + "/locales", kSource + "/dialogs", nullptr);
  ASSERT_FALSE(problems.empty());
  for (const auto& p : problems) {
    EXPECT_NE(p.ToString().find("no region tree"), std::string::npos) << p.ToString();
  }
}

// The longest villages of Indonesia are what the check pages: one page per SMS, as the engine
// shows them (a label too long even alone cut with ".."); unpaged they take several SMS.
TEST(DialogCheck, TheLongestRealVillagesGoInPagesOfOneSms) {
  const auto all = conversation::LongestVillageChoices(*RealRegions(), "", Catalog(), "id");
  ASSERT_EQ(all.size(), conversation::kVillageCandidates + 1);
  EXPECT_EQ(all.back().first, "none");
  const Reply prompt{"complaint.pick_village", Catalog().Text("id", "complaint.pick_village"), {}};
  Reply whole = prompt;
  whole.choices = all;
  const conversation::ChannelMedium sms(Catalog(), "kannel:check");
  EXPECT_FALSE(sms.Fits(whole, "id"));
  int pages = 0;
  std::size_t shown = 0;
  for (int start = 0; start < static_cast<int>(all.size()) - 1; ++pages) {
    const int size = FittingPageSize(prompt, all, start, sms, Catalog(), "id");
    ASSERT_GT(size, 0);
    Reply page = prompt;
    page.choices = ChoicePage(all, start, size, Catalog(), "id");
    if (size == 1) FitChoiceLabels(page, sms, "id");
    EXPECT_TRUE(sms.Fits(page, "id")) << page.choices.front().second;
    shown += static_cast<std::size_t>(size);
    start += size;
  }
  EXPECT_EQ(shown, conversation::kVillageCandidates);
  EXPECT_GE(pages, 3);
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

// Found by tests/fuzz/dialog_loader_fuzz: a field of another type threw out of Read (or, for a
// float, converted with undefined behaviour) instead of being reported.
TEST(DialogDefinition, FieldsOfAnotherTypeAreReportedNotThrown) {
  satupintu::testing::TempDir dir;
  auto problems = ReadWith(dir, "categories.json",
                           R"({"categories": [{"id": "pkh", "label": "category.pkh",
                                               "offered": "yes"}]})");
  EXPECT_TRUE(Has(problems, "categories.json", "categories.pkh.offered", "true or false"));
  problems = ReadWith(dir, "human.json", R"({
    "flow": "human", "entry": "ask",
    "steps": {"ask": {"ask": "human.confirm", "input": "number", "slot": "n", "max_tries": 1e300,
                      "min": "one", "allow_unknown": 1, "next": "@end"}}
  })");
  EXPECT_TRUE(Has(problems, "human.json", "steps.ask.max_tries", "an integer 1-9"));
  EXPECT_TRUE(Has(problems, "human.json", "steps.ask.min", "an integer"));
  EXPECT_TRUE(Has(problems, "human.json", "steps.ask.allow_unknown", "true or false"));
  problems = ReadWith(dir, "keywords.json",
                      R"({"keywords": {}, "timeouts": {"remind_after_minutes": 9e18}})");
  EXPECT_TRUE(Has(problems, "keywords.json", "timeouts.remind_after_minutes", "an integer"));
  problems = ReadWith(dir, "human.json", R"({"flow": "human", "entry": {"step": "open"}})");
  EXPECT_TRUE(Has(problems, "human.json", "entry", "must be a string"));
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
  // Found by tests/fuzz/dialog_state_fuzz: numbers that are no integers (converting them was
  // undefined behaviour) and a version that is no number (an exception) are no state.
  EXPECT_FALSE(ParseState(R"({"v": 1, "at": 444444444440444464444600})").has_value());
  EXPECT_FALSE(ParseState(R"({"v": 1, "tries": 1e300})").has_value());
  EXPECT_FALSE(ParseState(R"({"v": 1, "page": [0.5, 1e99]})").has_value());
  EXPECT_FALSE(ParseState(R"({"v": 1e300})").has_value());
  EXPECT_FALSE(ParseState(R"({"v": "1"})").has_value());
  EXPECT_TRUE(ParseState(R"({"v": 1, "at": 1732256400000, "tries": 2, "page": [8, 8]})"));
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
  // A place asked once ("tidak tahu" opens the ticket in the regency's queue): a one-word
  // phrase only as the whole answer, because villages are called "Wih Ilang" and "Ojo Lali".
  EXPECT_EQ(check(InputType::kText, "gak tau desanya").outcome, "unknown");
  EXPECT_EQ(check(InputType::kText, "lupa").outcome, "unknown");
  EXPECT_EQ(check(InputType::kText, "Wih Ilang").outcome, "ok");
  EXPECT_EQ(check(InputType::kText, "ojo lali").values.at(""), "ojo lali");
  step.allow_unknown = false;
  EXPECT_EQ(check(InputType::kText, "tidak tahu").outcome, "ok") << "a description, there";
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

// A city's gateway (Kota Bekasi, 32.75) where "jati" names many villages: the list goes in
// pages that each fit one SMS, "more" shows the next page, and every village found can be
// chosen by the number the citizen read.
class RealTreeChat {
 public:
  RealTreeChat(const std::string& home, app::ChatChannel channel) {
    config_.store.path = dir_.File("store.db");
    config_.locales.dir = kSource + "/locales";
    config_.regions.data_dir = ::satupintu::testing::RegionsDataDir();
    config_.regions.home_regency = home;
    config_.registry.hash_key_file = dir_.File("no.key");
    storage::StoreOptions options;
    options.migrations = schema::Migrations();
    options.path = config_.store.path;
    auto store = storage::Store::Open(options, &metrics_);
    if (!store.ok()) return;
    store_ = std::move(store).value();
    app::LoadRegionTreeIfEmpty(config_, *store_);
    auto stack = app::BuildDialogStack(config_, *store_, Catalog());
    if (!stack.ok()) return;
    stack_ = std::move(stack).value();
    chat_ = std::make_unique<app::ChatSession>(
        store_.get(), stack_.get(), channel,
        channel == app::ChatChannel::kTelegram ? "tg:1000001" : "6281100000001");
  }
  ~RealTreeChat() {
    chat_.reset();
    if (store_) store_->Close();
  }
  bool ok() const { return chat_ != nullptr; }
  app::ChatSession& chat() { return *chat_; }
  // The region a ticket was opened at, by the code in `reply` ("... (PTG-7K3M9Q) ...").
  std::string PlaceOf(const std::string& reply) {
    const auto dash = reply.find('-');
    if (dash == std::string::npos || dash < 3) return "no code in: " + reply;
    const std::string code = reply.substr(dash - 3, 10);
    std::promise<std::string> place;
    store_->Read([&](storage::Db* db, const core::Error* error) {
      if (db == nullptr) {
        place.set_value(error != nullptr ? error->message : "no reader");
        return;
      }
      auto t = tickets::Find(*db, code);
      place.set_value(t.ok() && t.value() ? t.value()->village_code : "no ticket " + code);
    });
    return place.get_future().get();
  }
  // Up to the village question of a complaint without a NIK the registry knows.
  void ToVillageStep() {
    (void)chat_->Say("menu");
    (void)chat_->Say("1");
    (void)chat_->Say("1");
    (void)chat_->Say("3275014508850003");
    (void)chat_->Say("Siti Aminah");
  }

 private:
  satupintu::testing::TempDir dir_;
  config::Config config_;
  core::MetricsRegistry metrics_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<app::DialogStack> stack_;
  std::unique_ptr<app::ChatSession> chat_;
};

adapters::sms::Analysis AsSent(const std::string& sms) {
  return adapters::sms::Analyze(adapters::sms::SmartSubstitute(sms));
}

TEST(DialogPaging, AVillageListFromTheRealTreeGoesInPagesOfOneSms) {
  RealTreeChat c("32.75", app::ChatChannel::kSms);
  ASSERT_TRUE(c.ok());
  c.ToVillageStep();
  std::vector<std::string> offered;  // every village shown, page after page
  auto replies = c.chat().Say("jati");
  int pages = 0;
  for (;;) {
    ASSERT_EQ(replies.size(), 1U);
    const auto a = AsSent(replies[0]);
    EXPECT_EQ(a.segments, 1U) << a.units << " units:\n" << replies[0];
    ++pages;
    const auto choices = c.chat().LastChoices();
    ASSERT_GE(choices.size(), 2U) << replies[0];
    EXPECT_EQ(choices.back().first, "none") << "'none of these' on every page";
    const bool more = choices[choices.size() - 2].first == "_more";
    for (std::size_t i = 0; i + (more ? 2 : 1) < choices.size(); ++i) {
      offered.push_back(choices[i].first);
    }
    if (!more) break;
    EXPECT_EQ(choices[choices.size() - 2].second, std::to_string(9 - offered.size()) + " lainnya");
    replies = c.chat().Say(std::to_string(choices.size() - 1));  // "N lainnya"
  }
  EXPECT_GE(pages, 3) << "9 villages of about 30 characters take 3 SMS as one list";
  EXPECT_EQ(offered.size(), 9U);
  EXPECT_EQ(std::set<std::string>(offered.begin(), offered.end()).size(), 9U);
  // The number read on the last page is the village taken.
  replies = c.chat().Say("1");
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(replies[0], Catalog().Text("id", "complaint.ask_description"));
}

TEST(DialogPaging, WhatsAppShowsTheSameListAtOnce) {
  RealTreeChat c("32.75", app::ChatChannel::kWhatsApp);
  ASSERT_TRUE(c.ok());
  c.ToVillageStep();
  (void)c.chat().Say("jati");
  const auto choices = c.chat().LastChoices();
  EXPECT_EQ(choices.size(), 10U) << "9 villages and 'none of these': one WhatsApp list";
  EXPECT_EQ(choices.back().first, "none");
}

// The place a request for an officer and a one-shot complaint ask once: a kecamatan is an
// answer, "none of these" and "tidak tahu" leave the ticket to the fallbacks (the NIK's
// kecamatan, else the regency's queue) - never a region nobody answers for.
TEST(DialogPlace, TheTicketOpensWhereTheCitizenSaid) {
  RealTreeChat c("32.06", app::ChatChannel::kSms);
  ASSERT_TRUE(c.ok());
  auto handover = [&](const std::vector<std::string>& answers) {
    (void)c.chat().Say("PETUGAS");
    (void)c.chat().Say("ya");
    std::vector<std::string> replies;
    for (const auto& a : answers) replies = c.chat().Say(a);
    return replies.empty() ? std::string() : replies.back();
  };
  EXPECT_EQ(c.PlaceOf(handover({"kec cikatomas"})), "32.06.05");
  EXPECT_EQ(c.PlaceOf(handover({"pakemitan", "1"})), "32.06.05.2003");
  EXPECT_EQ(c.PlaceOf(handover({"sukamaju", "4"})), "32.06") << "none of these";
  EXPECT_EQ(c.PlaceOf(handover({"tidak tahu"})), "32.06");
  EXPECT_EQ(c.PlaceOf(handover({"xqzvw"})), "32.06") << "not found: not asked twice";
  // The one-shot form: one question; "tidak tahu" leaves the NIK's kecamatan (32.06.01).
  (void)c.chat().Say("ADU#3206014508850003#PKH belum cair");
  EXPECT_EQ(c.PlaceOf(c.chat().Say("tidak tahu").back()), "32.06.01");
  (void)c.chat().Say("ADU#3206014508850003#PKH belum cair");
  EXPECT_EQ(c.PlaceOf(c.chat().Say("cilumba").back()), "32.06.05.2002");
}

// An emoji or a curly quote in the description must not turn the summary into UCS-2 (2 SMS),
// and a long category and village must not push it past one SMS: the echo is GSM-7 and cut.
TEST(DialogPaging, TheSummaryEchoStaysOneGsm7Sms) {
  RealTreeChat c("32.06", app::ChatChannel::kSms);
  ASSERT_TRUE(c.ok());
  (void)c.chat().Say("menu");
  (void)c.chat().Say("1");
  (void)c.chat().Say("5");  // rutilahu, one of the longer labels
  (void)c.chat().Say("3206014508850003");
  (void)c.chat().Say("Siti Aminah");
  (void)c.chat().Say("cilumba");
  const auto replies = c.chat().Say(
      "Rumah kami bocor \xF0\x9F\x98\xAD\xE2\x80\x9Ctolong\xE2\x80\x9D dibantu "
      "pak, atapnya runtuh sejak hujan besar kemarin sore");
  ASSERT_EQ(replies.size(), 1U);
  const auto a = AsSent(replies[0]);
  EXPECT_EQ(a.encoding, adapters::sms::Encoding::kGsm7) << replies[0];
  EXPECT_EQ(a.segments, 1U) << a.units << " units: " << replies[0];
  EXPECT_NE(replies[0].find("\"tolong\""), std::string::npos) << replies[0];
  EXPECT_EQ(replies[0].find("\xF0\x9F\x98\xAD"), std::string::npos) << replies[0];
}

// A channel of 100 characters a message: the engine cuts the echo, and only the echo.
class NarrowMedium : public Medium {
 public:
  bool Fits(const Reply& reply, const std::string&) const override {
    return reply.text.size() <= 100;
  }
  std::string Echo(std::string_view text) const override { return std::string(text); }
};

TEST(DialogPaging, AnEchoThatWouldNotFitIsCutWithDots) {
  const auto& lex = understand::testing::RealLexicon();
  auto dialogs = DialogSet::Load(kSource + "/dialogs", Catalog(), conversation::ServiceOutcomes());
  ASSERT_TRUE(dialogs.ok()) << dialogs.error().message;
  const Engine engine(dialogs.value(), Catalog(), lex);
  const NarrowMedium narrow;
  State s;
  s.flow = "complaint";
  s.step = "description";
  s.slots = {{"category", "rutilahu"},
             {"category_label", "Rumah"},
             {"village_code", "32.06.05.2003"},
             {"village_code_label", "Pakemitan, Kec. Cikatomas"}};
  Input in;
  in.text = "atap rumah kami runtuh sejak hujan besar kemarin sore";
  in.now_ms = 1'700'000'000'000;
  in.today = {2026, 11, 22};
  State wide = s;
  const Output full = engine.Step(wide, in);
  ASSERT_EQ(full.replies.size(), 1U);
  ASSERT_GT(full.replies[0].text.size(), 100U) << full.replies[0].text;
  in.medium = &narrow;
  const Output cut = engine.Step(s, in);
  ASSERT_EQ(cut.replies.size(), 1U);
  const std::string& text = cut.replies[0].text;
  EXPECT_LE(text.size(), 100U) << text;
  EXPECT_NE(text.find("Pakemitan, Kec. Cikatomas"), std::string::npos) << "not the village";
  EXPECT_NE(text.find("\"atap rumah kami"), std::string::npos) << text;
  EXPECT_NE(text.find("..\""), std::string::npos) << text;
  EXPECT_EQ(s.slots.at("description"), in.text) << "the ticket keeps every word";
}

// A NIK or a phone number typed into the description is never sent back: the summary masks
// them on every channel (the ticket keeps the text as typed).
TEST(DialogPaging, TheSummaryNeverEchoesANikOrAPhoneNumber) {
  for (const auto channel : {app::ChatChannel::kSms, app::ChatChannel::kTelegram}) {
    RealTreeChat c("32.06", channel);
    ASSERT_TRUE(c.ok());
    (void)c.chat().Say("menu");
    (void)c.chat().Say("1");
    (void)c.chat().Say("1");
    (void)c.chat().Say("3206014508850003");
    (void)c.chat().Say("Siti Aminah");
    (void)c.chat().Say("cilumba");
    const auto replies =
        c.chat().Say("nik suami 3206-0145-0885-0011 hp 0812 3456 7890 PKH blm cair");
    ASSERT_EQ(replies.size(), 1U);
    const std::string& summary = replies[0];
    EXPECT_EQ(summary.find("0885"), std::string::npos) << summary;
    EXPECT_EQ(summary.find("3456"), std::string::npos) << summary;
    EXPECT_NE(summary.find("nik suami 3206********0011"), std::string::npos) << summary;
  }
}

TEST(DialogPaging, TelegramEchoesTheCitizensWordsAsTyped) {
  RealTreeChat c("32.06", app::ChatChannel::kTelegram);
  ASSERT_TRUE(c.ok());
  (void)c.chat().Say("menu");
  (void)c.chat().Say("1");
  (void)c.chat().Say("1");
  (void)c.chat().Say("3206014508850003");
  (void)c.chat().Say("Siti Aminah");
  (void)c.chat().Say("cilumba");
  const auto replies = c.chat().Say("PKH belum cair \xF0\x9F\x98\xAD");
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_NE(replies[0].find("\xF0\x9F\x98\xAD"), std::string::npos) << replies[0];
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
